"""Knowledge-base operations: saving with a revision and the search index in one transaction,
votes, deflections, views and search logging. Functions flush; callers commit once."""

import re
from datetime import UTC, datetime

from flask_babel import gettext as _
from sqlalchemy import func, or_, select, update

from ..auth.models import User
from ..config import LANGUAGES
from ..extensions import db
from ..search import backend as search_backend
from ..search import index_article
from ..web.markdown import plain_text
from .models import Article, ArticleStatus, Deflection, Revision, SearchLog, Vote

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Paths under /kb/ that pages use; no article may take them as its slug.
RESERVED_SLUGS = {"new", "preview", "search", "suggest", "deflect", "deflected", "import",
                  "drafts"}
EDITABLE = ("title", "summary", "body", "category", "tags", "language", "status")


class ArticleError(ValueError):
    """The article cannot be saved as given; the message says why."""


def slugify(text: str) -> str:
    """A URL slug from a title (ASCII letters and digits; other scripts fall back to 'article')."""
    import unicodedata
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:80] or "article"


def unique_slug(base: str) -> str:
    slug, n = base, 2
    while db.session.scalar(select(Article.id).where(Article.slug == slug)):
        slug, n = f"{base}-{n}", n + 1
    return slug


def summary_of(body: str, limit: int = 300) -> str:
    """The first paragraph's words, for articles saved without a summary."""
    first = (body or "").strip().split("\n\n", 1)[0]
    words = plain_text(first)
    return words if len(words) <= limit else words[: limit - 1].rsplit(" ", 1)[0] + "…"


def clean_tags(tags) -> list[str]:
    if isinstance(tags, str):
        tags = tags.split(",")
    seen = []
    for tag in tags or []:
        tag = " ".join(str(tag).lower().split())[:40]
        if tag and tag not in seen:
            seen.append(tag)
    return seen[:12]


def save_article(article: Article, editor: User | None, note: str | None = None, **changes):
    """Apply changes, record a revision, and re-index, all in the caller's transaction."""
    for name, value in changes.items():
        if name not in EDITABLE:
            raise ArticleError(f"unknown article field {name}")
        setattr(article, name, value)
    # A new Article has no column defaults until it is flushed.
    article.language = article.language or "en"
    article.status = article.status or ArticleStatus.DRAFT
    article.title = (article.title or "").strip()[:200]
    if not article.title:
        raise ArticleError(_("An article needs a title."))
    if article.slug in RESERVED_SLUGS:
        raise ArticleError(_("“%(slug)s” is a reserved word; choose another slug.",
                             slug=article.slug))
    if not SLUG.match(article.slug or "") or len(article.slug) > 120:
        raise ArticleError(_("A slug is lowercase letters, digits and dashes, like "
                             "reset-your-password."))
    if article.language not in LANGUAGES:
        raise ArticleError(_("Choose a language from the list."))
    article.tags = clean_tags(article.tags)
    article.category = (article.category or "").strip()[:80]
    article.summary = (article.summary or "").strip()[:500] or summary_of(article.body)
    now = datetime.now(UTC)
    article.updated_at = now
    if article.status == ArticleStatus.PUBLISHED and article.published_at is None:
        article.published_at = now
    if editor is not None and article.author_id is None:
        article.author_id = editor.id
    db.session.add(article)
    db.session.flush()
    number = (db.session.scalar(select(func.max(Revision.number))
                                .where(Revision.article_id == article.id)) or 0) + 1
    db.session.add(Revision(
        article_id=article.id, number=number, title=article.title, summary=article.summary,
        body=article.body, category=article.category, tags=list(article.tags),
        language=article.language, status=article.status, note=(note or "")[:300] or None,
        author_id=editor.id if editor else None))
    index_article(article)
    db.session.flush()
    return article


def restore(article: Article, revision: Revision, editor: User) -> Article:
    """Make an earlier revision current again (as a new revision: history only grows)."""
    return save_article(article, editor, _("Restored revision %(n)d", n=revision.number),
                        title=revision.title, summary=revision.summary, body=revision.body,
                        category=revision.category, tags=list(revision.tags),
                        language=revision.language, status=revision.status)


def published():
    return select(Article).where(Article.status == ArticleStatus.PUBLISHED)


def get_published(slug: str) -> Article | None:
    return db.session.scalar(published().where(Article.slug == slug))


def vote(article: Article, user: User, helpful: bool, comment: str | None = None) -> Vote:
    """Record or change a person's vote, keeping the article's counters in step."""
    existing = db.session.scalar(select(Vote).where(Vote.article_id == article.id,
                                                    Vote.user_id == user.id))
    yes, no = (1, 0) if helpful else (0, 1)
    if existing is not None:
        if existing.helpful != helpful:
            yes, no = (1, -1) if helpful else (-1, 1)
        else:
            yes = no = 0
        existing.helpful = helpful
        existing.comment = (comment or "").strip()[:1000] or existing.comment
        existing.updated_at = datetime.now(UTC)
        row = existing
    else:
        row = Vote(article_id=article.id, user_id=user.id, helpful=helpful,
                   comment=(comment or "").strip()[:1000] or None)
        db.session.add(row)
    if yes or no:
        db.session.execute(update(Article).where(Article.id == article.id).values(
            helpful_yes=Article.helpful_yes + yes, helpful_no=Article.helpful_no + no))
    db.session.flush()
    return row


def my_vote(article: Article, user) -> Vote | None:
    if user is None or not user.is_authenticated:
        return None
    return db.session.scalar(select(Vote).where(Vote.article_id == article.id,
                                                Vote.user_id == user.id))


def record_view(article: Article) -> None:
    """Count a read with one UPDATE (no read-modify-write race between workers)."""
    db.session.execute(update(Article).where(Article.id == article.id)
                       .values(views=Article.views + 1))


def record_deflection(article: Article, item_id: str | None, user) -> Deflection:
    row = Deflection(article_id=article.id, item_id=item_id,
                     user_id=user.id if user is not None and user.is_authenticated else None)
    db.session.add(row)
    db.session.flush()
    return row


def log_search(query: str, results: int, user) -> None:
    db.session.add(SearchLog(query=query.strip()[:200], results=results,
                             user_id=user.id if user.is_authenticated else None))


def related(article: Article, limit: int = 5) -> list[Article]:
    """Published articles in the same category or sharing a tag, most helpful first."""
    query = published().where(Article.id != article.id)
    same = [Article.category == article.category] if article.category else []
    candidates = db.session.scalars(
        query.where(or_(*same) if same else Article.id.is_(None))
        .order_by(Article.helpful_yes.desc(), Article.published_at.desc()).limit(limit * 3)
    ).all()
    tags = set(article.tags or [])
    candidates.sort(key=lambda a: (-len(tags & set(a.tags or [])), -a.helpful_yes))
    return candidates[:limit]


def items_linking(slug: str, catalog) -> list:
    """Catalog items whose `kb:` list names this article."""
    return [item for item in catalog.items if slug in (item.kb or [])]


def articles_for(hits) -> dict[int, Article]:
    """The published articles behind search hits, by id (one query)."""
    if not hits:
        return {}
    rows = db.session.scalars(published().where(Article.id.in_([h.article_id for h in hits])))
    return {a.id: a for a in rows}


def reindex_all() -> int:
    """Re-index every published article (after a bulk import or a restore from backup)."""
    engine = search_backend()
    engine.clear()
    count = 0
    for article in db.session.scalars(published()):
        engine.upsert(article)
        count += 1
    return count
