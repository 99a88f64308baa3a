"""Small helpers for the catalog tests: write YAML, find marked lines."""

import textwrap
from pathlib import Path

CATALOGS = Path(__file__).resolve().parents[2] / "catalogs"

# The start of a catalog with one team, one category and one item whose fields follow.
HEADER = """\
version: 1
teams:
  - {id: desk, name: Desk}
categories:
  - {id: hw, name: Hardware}
items:
  - id: laptop
    category: hw
    name: Laptop
    team: desk
"""


def write(folder: Path, text: str, name: str = "catalog.yaml") -> Path:
    """Write dedented YAML to folder/name and return its path."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def line_of(text: str, marker: str = "# <-") -> int:
    """The 1-based line of the (dedented) text that carries the marker."""
    for number, line in enumerate(textwrap.dedent(text).splitlines(), start=1):
        if marker in line:
            return number
    raise AssertionError(f"no {marker!r} in the text")
