"""Flask-Login's link to the users table, and sessions that end on the server's word.

A session is a signed cookie, so the server cannot delete it; instead the cookie carries the
person's session version from sign-in, and a cookie whose version is no longer the person's
is refused. Signing out, a new password and deactivation raise the version.
"""

from flask import session
from flask_login import login_user, logout_user

from ..extensions import db
from .models import User

SESSION_VERSION = "session_version"


def load_user(user_id: str) -> User | None:
    """The signed-in user from the session cookie's id; None for a deactivated person or a
    session that was ended (the version check costs nothing: the row is loaded anyway)."""
    try:
        user = db.session.get(User, int(user_id))
    except (TypeError, ValueError):
        return None
    if user is None or not user.active:
        return None
    return user if session.get(SESSION_VERSION) == user.session_version else None


def sign_in(user: User) -> None:
    """Start a session for `user`, tied to their current session version."""
    login_user(user)
    session[SESSION_VERSION] = user.session_version


def sign_out(user: User) -> None:
    """End this session and every other one of `user` (the caller commits)."""
    user.end_sessions()
    logout_user()
    session.pop(SESSION_VERSION, None)
