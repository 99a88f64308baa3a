"""The dashboard's shared cache stores tagged JSON: exact round trips, and nothing planted in
Redis is ever run or loaded."""

import os
import pickle
import uuid
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from portal.dashboard import figures
from portal.dashboard.figures import CACHED_ENUMS
from portal.ops.cache import SharedCache
from portal.ops.tagged_json import serializer
from portal.tickets.lifecycle import Status
from tests.web.test_dashboard import data, march, people, redis_reachable  # noqa: F401

REDIS = "redis://127.0.0.1:6379/15"
needs_redis = pytest.mark.skipif(not os.environ.get("CI") and not redis_reachable(),
                                 reason="Redis is not running on 127.0.0.1:6379")


def same(a, b) -> bool:
    """Equal, and of the same types all the way down (1 == 1.0 == True would not do)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a) and all(
            same(ka, kb) for ka, kb in zip(a, b, strict=True))
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return a == b or (a != a and b != b)  # NaN


VALUES = {
    "tuple": (1, "a", (2.5, None)),
    "dates": [date(2025, 3, 1), datetime(2025, 3, 1, 9, 30, 15, 123456),
              datetime(2025, 3, 1, 9, 30, 15, 7, tzinfo=UTC),
              datetime(2025, 3, 1, 9, 30, tzinfo=timezone(timedelta(hours=-3, minutes=-30)))],
    "decimals": [Decimal("4.90"), Decimal("-0.001"), Decimal("1E+3")],
    "status": [(Status.OPEN, 3), (Status.NEW, 0)],
    "int keys": {5: 1, 1: 0, 3: 2},
    "tuple keys": {("service-desk", "P1"): {"met": 1}},
    "enum keys": {Status.OPEN: 1},
    "looks tagged": {" t": [1, 2]},
    "plain": {"b": True, "a": [1, 1.0, 0.1, float("nan"), None, "", "ü"]},
}


@pytest.mark.parametrize("name", VALUES)
def test_every_kind_of_value_comes_back_exactly(name):
    codec = serializer(CACHED_ENUMS)
    value = VALUES[name]
    assert same(codec.loads(codec.dumps(value)), value)


def test_an_enum_it_was_not_told_about_is_refused_not_guessed():
    codec = serializer(CACHED_ENUMS)
    with pytest.raises(KeyError):
        codec.loads('{" en":["Path","/etc"]}')


@needs_redis
def test_the_dashboard_figures_round_trip_exactly_through_redis(app, people, data):  # noqa: F811
    prefix = f"portal-test-{uuid.uuid4().hex}:"
    writer, reader = (SharedCache(REDIS, prefix, CACHED_ENUMS),
                      SharedCache(REDIS, prefix, CACHED_ENUMS))
    try:
        with app.test_request_context("/dashboard"):
            computed = figures.collect(march(app))
            writer.remember("dashboard:x", 60, lambda: computed)
            stored = writer._redis.get(prefix + "dashboard:x")
            read, _at = reader.remember("dashboard:x", 60, lambda: pytest.fail("recomputed"))
        assert stored.startswith(b'{" t":[')  # JSON: the (figures, time) pair
        assert same(read, computed)
        assert same(VALUES, reader._codec.loads(writer._codec.dumps(VALUES)))
    finally:
        writer._redis.delete(prefix + "dashboard:x")


class Planted:
    """What an attacker with write access to Redis would store: unpickling runs mkdir."""

    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return os.mkdir, (self.path,)


@needs_redis
def test_a_pickle_planted_in_redis_is_neither_run_nor_loaded(tmp_path):
    marker = str(tmp_path / "ran")
    prefix = f"portal-test-{uuid.uuid4().hex}:"
    cache = SharedCache(REDIS, prefix, CACHED_ENUMS)
    cache._redis.set(prefix + "dashboard:x", pickle.dumps((Planted(marker), 1.0)), ex=60)
    try:
        value, _at = cache.remember("dashboard:x", 60, lambda: {"fresh": 1})
        assert not os.path.exists(marker)
        assert value == {"fresh": 1}
        # The planted entry is replaced by the portal's own.
        assert cache._codec.loads(cache._redis.get(prefix + "dashboard:x"))[0] == {"fresh": 1}
    finally:
        cache._redis.delete(prefix + "dashboard:x")
