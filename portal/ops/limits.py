"""Rate limits on sign-in and submissions, shared by every worker.

The counters live in Redis when REDIS_URL is set, otherwise in the portal's database
(`limit_store`): never in one process's memory, where each worker would count for itself.
"""

from flask import current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits.storage import Storage, storage_from_string

from . import limit_store  # noqa: F401 - registers the portal-db:// storage scheme

limiter = Limiter(key_func=get_remote_address, default_limits=[])


def limits_enabled() -> bool:
    """Whether this app counts at all (tests and benchmarks switch the limits off)."""
    return bool(current_app.config.get("RATELIMIT_ENABLED", True))


def shared_storage() -> Storage:
    """The app's counter storage, the one Flask-Limiter's limits use too."""
    extensions = current_app.extensions
    if "limits_storage" not in extensions:
        # Made on first use: the limiter builds no storage when limits are off.
        extensions["limits_storage"] = storage_from_string(
            current_app.config["RATELIMIT_STORAGE_URI"])
    return extensions["limits_storage"]
