"""URL converters: the `int` in a route takes only what the id columns can hold."""

import builtins

from flask import Flask
from werkzeug.routing import IntegerConverter

from ..extensions import ID_MAX, ID_MIN


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
