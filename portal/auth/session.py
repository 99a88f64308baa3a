"""Flask-Login's link to the users table."""

from ..extensions import db
from .models import User


def load_user(user_id: str) -> User | None:
    """The signed-in user from the session cookie's id; a deactivated person is signed out."""
    try:
        user = db.session.get(User, int(user_id))
    except (TypeError, ValueError):
        return None
    return user if user is not None and user.active else None
