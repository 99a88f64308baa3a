"""A short-lived cache shared by every web worker: Redis when REDIS_URL is set, otherwise this
process's memory. For results that are costly to compute and may be a minute old (the
dashboard's figures); never for anything that must be current, such as access rules.

Values go to Redis as tagged JSON, not pickle: anyone who can write to the Redis could
otherwise make every web worker run their code."""

import logging
import threading
import time
from collections.abc import Callable

from flask import current_app

from .tagged_json import serializer

log = logging.getLogger("portal.cache")


def init_app(app, enums: tuple = ()) -> None:
    """`enums`: the enum types cached values may hold; a name read back is looked up among
    them only (the cache itself knows no domain)."""
    app.extensions["shared_cache"] = SharedCache(app.config.get("REDIS_URL"),
                                                 app.config.get("CACHE_PREFIX", "portal:"),
                                                 enums)


def shared_cache() -> "SharedCache":
    """The application's cache."""
    return current_app.extensions["shared_cache"]


class SharedCache:
    def __init__(self, redis_url: str | None = None, prefix: str = "portal:",
                 enums: tuple = ()):
        self._redis = None
        if redis_url:
            import redis
            # A slow or absent Redis must not hold pages up: short timeouts, then compute.
            self._redis = redis.Redis.from_url(redis_url, socket_timeout=0.5,
                                               socket_connect_timeout=0.5)
        self._prefix = prefix
        self._codec = serializer(enums)
        self._local: dict[str, tuple[float, tuple]] = {}
        self._lock = threading.Lock()

    def remember(self, key: str, seconds: int, compute: Callable[[], object]
                 ) -> tuple[object, float]:
        """(value, time it was computed): a stored value up to `seconds` old, else compute()'s
        (stored for the next reader). With seconds <= 0 nothing is stored."""
        if seconds <= 0:
            return compute(), time.time()
        key = self._prefix + key
        found = self._get(key)
        if found is not None:
            return found
        entry = (compute(), time.time())
        self._set(key, entry, seconds)
        return entry

    def _get(self, key: str) -> tuple | None:
        if self._redis is None:
            with self._lock:
                expires, entry = self._local.get(key, (0.0, None))
            return entry if expires > time.monotonic() else None
        try:
            raw = self._redis.get(key)
        except Exception:  # noqa: BLE001 - Redis down: compute instead of failing the page
            log.warning("cache read failed for %s", key, exc_info=True)
            return None
        if raw is None:
            return None
        try:
            value, computed_at = self._codec.loads(raw)
            return value, float(computed_at)
        except (ValueError, TypeError, KeyError, LookupError):
            # Not ours (an older format, or planted): computed afresh and overwritten.
            log.warning("unreadable cache entry %s ignored", key)
            return None

    def _set(self, key: str, entry: tuple, seconds: int) -> None:
        if self._redis is None:
            with self._lock:
                if len(self._local) >= 256:  # a bounded memory: drop what expired first
                    now = time.monotonic()
                    self._local = {k: v for k, v in self._local.items() if v[0] > now}
                    if len(self._local) >= 256:
                        self._local.clear()
                self._local[key] = (time.monotonic() + seconds, entry)
            return
        try:
            self._redis.set(key, self._codec.dumps(entry), ex=seconds)
        except Exception:  # noqa: BLE001
            log.warning("cache write failed for %s", key, exc_info=True)

