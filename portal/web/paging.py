"""Page numbers from the query string, forgiving of whatever people type into a URL."""

from flask import request


def page_arg(name: str = "page") -> int:
    """A page number of at least 1; junk or absurd values fall back to 1."""
    raw = request.args.get(name, "1")
    if not raw.isdigit() or len(raw) > 7:
        return 1
    return max(1, int(raw))
