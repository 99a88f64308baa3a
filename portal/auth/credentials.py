"""Checking an email and password without telling which accounts exist."""

from functools import cache

from werkzeug.security import check_password_hash, generate_password_hash

from .models import User, find_user


@cache
def _stand_in_hash() -> str:
    """A hash made the way real ones are, so checking against it costs as much as a real check."""
    return generate_password_hash("no account has this password")


def authenticate(email: str, password: str) -> User | None:
    """The active person with this email and password, or None.

    An unknown email and a deactivated account take the same password check as a wrong
    password: answering faster would tell an attacker which addresses have accounts.
    """
    user = find_user(email)
    stored = user.password_hash if user is not None else _stand_in_hash()
    matches = check_password_hash(stored, password)
    if user is None or not user.active or not matches:
        return None
    return user
