"""JSON that gives back exactly what was stored: tuples, dates, times, decimals, the portal's
enums and dicts with non-text keys keep their types.

Built on Flask's own tagged JSON (the session cookie's format). Unlike pickle, reading it
can only ever make these plain values, so whoever can write to the cache cannot make the
portal run anything.
"""

import enum
import json
from datetime import date, datetime
from decimal import Decimal

from flask.json.tag import JSONTag, TaggedJSONSerializer


class TagExactDateTime(JSONTag):
    """ISO 8601 with microseconds and the offset (or none): Flask's own tag keeps whole
    seconds and makes every time UTC-aware."""

    key = " dt"

    def check(self, value):
        return isinstance(value, datetime)

    def to_json(self, value):
        return value.isoformat()

    def to_python(self, value):
        return datetime.fromisoformat(value)


class TagDate(JSONTag):
    key = " da"

    def check(self, value):
        return isinstance(value, date) and not isinstance(value, datetime)

    def to_json(self, value):
        return value.isoformat()

    def to_python(self, value):
        return date.fromisoformat(value)


class TagDecimal(JSONTag):
    key = " de"

    def check(self, value):
        return isinstance(value, Decimal)

    def to_json(self, value):
        return str(value)

    def to_python(self, value):
        return Decimal(value)


class TagKeyedDict(JSONTag):
    """A dict with keys that are not plain text (numbers, enums, tuples), as pairs."""

    key = " kd"

    def check(self, value):
        return isinstance(value, dict) and any(type(k) is not str for k in value)

    def to_json(self, value):
        return [[self.serializer.tag(k), self.serializer.tag(v)] for k, v in value.items()]

    def to_python(self, value):
        return {k: v for k, v in value}


def enum_tag(classes: tuple[type[enum.Enum], ...]) -> type[JSONTag]:
    """A tag for members of these enums only: a name read back is looked up among them,
    never imported."""
    known = {cls.__name__: cls for cls in classes}

    class TagEnum(JSONTag):
        key = " en"

        def check(self, value):
            return isinstance(value, enum.Enum) and known.get(type(value).__name__) is type(value)

        def to_json(self, value):
            return [type(value).__name__, value.value]

        def to_python(self, value):
            name, member = value
            return known[name](member)

    return TagEnum


class ExactTaggedJSON(TaggedJSONSerializer):
    """Plain json rather than the app's JSON provider, which sorts keys: a dict is read back
    in the order it was written."""

    def dumps(self, value) -> str:
        return json.dumps(self.tag(value), separators=(",", ":"))

    def loads(self, value):
        return self._untag_scan(json.loads(value))


def serializer(enums: tuple[type[enum.Enum], ...] = ()) -> TaggedJSONSerializer:
    """A tagged-JSON serializer with the exact tags above, checked before Flask's."""
    codec = ExactTaggedJSON()
    # Before Flask's datetime tag and its plain dict and str handling.
    for position, tag in enumerate((TagExactDateTime, TagDate, TagDecimal, TagKeyedDict,
                                    enum_tag(enums))):
        codec.register(tag, force=True, index=position)
    return codec
