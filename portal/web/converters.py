"""URL converters: the `int` in a route takes only what the id columns can hold."""

import builtins

from flask import Flask
from werkzeug.routing import IntegerConverter

# Ids are Integer columns: 64-bit in SQLite but 32-bit (int4) in PostgreSQL, which refuses a
# larger bound value ("integer out of range"); SQLite's driver raises OverflowError past
# 2**63. A number beyond the narrower range names nothing, so such a URL is a 404.
ID_MIN, ID_MAX = -(2**31), 2**31 - 1


def is_id(value) -> bool:
    """Whether a value (from a URL, a form or a cursor) is an integer an id column can hold."""
    return isinstance(value, int) and not isinstance(value, bool) and ID_MIN <= value <= ID_MAX


class BoundedIntegerConverter(IntegerConverter):
    """`<int:…>` limited to the id columns' range (a route may ask for a narrower one)."""

    # Werkzeug's own parameter names, which shadow the builtins here.
    def __init__(self, map, fixed_digits=0, min=None, max=None, signed=False):  # noqa: A002
        super().__init__(
            map, fixed_digits=fixed_digits, signed=signed,
            min=ID_MIN if min is None else builtins.max(min, ID_MIN),
            max=ID_MAX if max is None else builtins.min(max, ID_MAX))


def register(app: Flask) -> None:
    """Before any blueprint: a rule takes its converters when it is added to the map."""
    app.url_map.converters["int"] = BoundedIntegerConverter
