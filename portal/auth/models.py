"""People: requesters, agents, managers and admins."""

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db, utcnow


class Role(enum.StrEnum):
    REQUESTER = "requester"
    AGENT = "agent"
    MANAGER = "manager"
    ADMIN = "admin"


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[Role] = mapped_column(
        db.Enum(Role, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e]),
        default=Role.REQUESTER,
    )
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    locale: Mapped[str | None] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(default=True)
    # Copied into the session at sign-in and compared on every request: raising it ends every
    # session of this person, saved cookies included (sign-out, new password, deactivation).
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utcnow)

    manager: Mapped["User | None"] = relationship(remote_side=[id])

    def set_password(self, password: str) -> None:
        """Set the password; replacing one also signs this person out everywhere."""
        if self.password_hash is not None:
            self.end_sessions()
        self.password_hash = generate_password_hash(password)

    def end_sessions(self) -> None:
        """Make every session signed in so far invalid (saved on the next flush)."""
        # In SQL, so two sign-outs at the same moment both count.
        self.session_version = User.session_version + 1

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses sign-in for deactivated people
        return self.active

    @property
    def is_agent(self) -> bool:
        return self.role in (Role.AGENT, Role.ADMIN)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class TeamMember(db.Model):
    """Which agents belong to which catalog team (teams themselves live in catalog.yaml)."""

    __tablename__ = "team_members"

    team_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )


def normalise_email(email: str) -> str:
    """Emails compare case-insensitively; store them trimmed and lower-cased."""
    return (email or "").strip().lower()


def find_user(email: str) -> User | None:
    """The active or inactive user with this email, if any."""
    return db.session.scalar(db.select(User).where(User.email == normalise_email(email)))
