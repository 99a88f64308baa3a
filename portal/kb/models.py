"""Knowledge-base articles, their revisions, helpfulness votes, deflections and searches."""

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..extensions import db, enum_column, utcnow


class ArticleStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class Article(db.Model):
    __tablename__ = "kb_articles"
    __table_args__ = (
        Index("ix_kb_articles_status_category", "status", "category"),
        Index("ix_kb_articles_status_published", "status", "published_at"),
        Index("ix_kb_articles_status_helpful", "status", "helpful_yes"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(500), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(80), default="")
    tags: Mapped[list] = mapped_column(JSON, default=list)
    language: Mapped[str] = mapped_column(String(8), default="en")
    status: Mapped[ArticleStatus] = mapped_column(
        enum_column(ArticleStatus, 12), default=ArticleStatus.DRAFT)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(db.DateTime(timezone=True))
    # Counters kept in the same transaction as the votes and views they count, so "most
    # helpful" and "most read" are an index scan, not an aggregate over every vote.
    views: Mapped[int] = mapped_column(default=0)
    helpful_yes: Mapped[int] = mapped_column(default=0)
    helpful_no: Mapped[int] = mapped_column(default=0)

    author: Mapped[User | None] = relationship()
    revisions: Mapped[list["Revision"]] = relationship(
        back_populates="article", order_by="Revision.number", cascade="all, delete-orphan")

    @property
    def is_published(self) -> bool:
        return self.status == ArticleStatus.PUBLISHED


class Revision(db.Model):
    """A full copy of an article as saved: who changed what, when; restorable."""

    __tablename__ = "kb_revisions"
    __table_args__ = (UniqueConstraint("article_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("kb_articles.id", ondelete="CASCADE"))
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(500), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(80), default="")
    tags: Mapped[list] = mapped_column(JSON, default=list)
    language: Mapped[str] = mapped_column(String(8), default="en")
    status: Mapped[ArticleStatus] = mapped_column(enum_column(ArticleStatus, 12))
    note: Mapped[str | None] = mapped_column(String(300))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow)

    article: Mapped[Article] = relationship(back_populates="revisions")
    author: Mapped[User | None] = relationship()


class Vote(db.Model):
    """'Was this helpful?': one per person per article, changeable."""

    __tablename__ = "kb_votes"
    __table_args__ = (UniqueConstraint("article_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("kb_articles.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    helpful: Mapped[bool]
    comment: Mapped[str | None] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow)


class Deflection(db.Model):
    """'This solved my problem' on a request form: a ticket nobody had to work."""

    __tablename__ = "kb_deflections"
    __table_args__ = (Index("ix_kb_deflections_created", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("kb_articles.id", ondelete="CASCADE"),
                                            index=True)
    item_id: Mapped[str | None] = mapped_column(String(64))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow)


class SearchLog(db.Model):
    """One search someone ran (for the self-help figures on the dashboard)."""

    __tablename__ = "kb_searches"
    __table_args__ = (Index("ix_kb_searches_created", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    query: Mapped[str] = mapped_column(String(200))
    results: Mapped[int] = mapped_column(default=0)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow)
