"""A short-lived cache shared by every web worker: Redis when REDIS_URL is set, otherwise this
process's memory. For results that are costly to compute and may be a minute old (the
dashboard's figures); never for anything that must be current, such as access rules."""

import hashlib
import hmac
import logging
import pickle  # only entries signed with the portal's key are unpickled (_get)  # nosec B403
import secrets
import threading
import time
from collections.abc import Callable

from flask import current_app

log = logging.getLogger("portal.cache")
# Without the app's secret, a cache trusts only what this process wrote.
_PROCESS_KEY = secrets.token_bytes(32)
MAC_BYTES = hashlib.sha256().digest_size


def init_app(app) -> None:
    app.extensions["shared_cache"] = SharedCache(app.config.get("REDIS_URL"),
                                                 app.config.get("CACHE_PREFIX", "portal:"),
                                                 secret=app.config.get("SECRET_KEY"))


def shared_cache() -> "SharedCache":
    """The application's cache."""
    return current_app.extensions["shared_cache"]


class SharedCache:
    def __init__(self, redis_url: str | None = None, prefix: str = "portal:", *,
                 secret: str | bytes | None = None):
        self._redis = None
        # Entries in Redis are signed: whoever else can write to that Redis (another app, a
        # compromised host) must not get to choose what this process unpickles.
        secret = secret.encode() if isinstance(secret, str) else secret
        self._key = hashlib.sha256(b"portal shared cache\0" + secret).digest() if secret \
            else _PROCESS_KEY
        if redis_url:
            import redis
            # A slow or absent Redis must not hold pages up: short timeouts, then compute.
            self._redis = redis.Redis.from_url(redis_url, socket_timeout=0.5,
                                               socket_connect_timeout=0.5)
        self._prefix = prefix
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
        mac, data = raw[:MAC_BYTES], raw[MAC_BYTES:]
        if not hmac.compare_digest(mac, self._mac(data)):
            log.warning("cache entry %s is not signed with this portal's key: ignored", key)
            return None
        # The signature was checked just above.
        return pickle.loads(data)  # noqa: S301  # nosec B301

    def _mac(self, data: bytes) -> bytes:
        return hmac.new(self._key, data, hashlib.sha256).digest()

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
            data = pickle.dumps(entry)
            self._redis.set(key, self._mac(data) + data, ex=seconds)
        except Exception:  # noqa: BLE001
            log.warning("cache write failed for %s", key, exc_info=True)
