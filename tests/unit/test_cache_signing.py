"""The shared cache unpickles only entries signed with the portal's key: whoever else can write
to its Redis cannot make a web worker load an object of their choosing."""

import os
import pickle
import socket
import uuid

import pytest

from portal.ops.cache import SharedCache

REDIS = "redis://127.0.0.1:6379/15"


def redis_reachable() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


pytestmark = pytest.mark.skipif(not os.environ.get("CI") and not redis_reachable(),
                                reason="Redis is not running on 127.0.0.1:6379")


@pytest.fixture
def prefix():
    prefix = f"portal-test-{uuid.uuid4().hex}:"
    yield prefix
    cache = SharedCache(REDIS, prefix)
    cache._redis.delete(*(cache._redis.keys(prefix + "*") or [prefix]))


def test_an_unsigned_entry_written_by_someone_else_is_not_loaded(prefix):
    cache = SharedCache(REDIS, prefix, secret="portal-secret")
    cache._redis.set(prefix + "figures", pickle.dumps(("forged", 0.0)), ex=60)
    assert cache.remember("figures", 60, lambda: "computed")[0] == "computed"


def test_an_entry_signed_with_another_key_is_not_loaded(prefix):
    SharedCache(REDIS, prefix, secret="other-secret").remember("figures", 60, lambda: "theirs")
    mine = SharedCache(REDIS, prefix, secret="portal-secret")
    assert mine.remember("figures", 60, lambda: "computed")[0] == "computed"


def test_workers_with_the_same_secret_share_entries(prefix):
    first = SharedCache(REDIS, prefix, secret="portal-secret")
    second = SharedCache(REDIS, prefix, secret="portal-secret")
    value, at = first.remember("figures", 60, lambda: {"open": 3})
    assert second.remember("figures", 60, lambda: {"open": -1}) == (value, at)
