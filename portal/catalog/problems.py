"""Problem: one error or warning about the catalog, with where it is."""

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """An error or warning at a YAML path, located in a file (line and column are 1-based)."""

    severity: Severity
    message: str
    path: tuple = ()
    file: str | None = None
    line: int | None = None
    col: int | None = None
    # A warning that admins see in the banner too: the edit may have lost part of the catalog.
    loud: bool = False

    @property
    def is_error(self) -> bool:
        """True for an error (which blocks the catalog), False for a warning."""
        return self.severity == "error"

    def __str__(self) -> str:
        where = ":".join(str(part) for part in (self.file, self.line, self.col) if part is not None)
        text = ("warning: " if self.severity == "warning" else "") + self.message
        if self.path:
            text += f" ({format_path(self.path)})"
        return f"{where}: {text}" if where else text


def format_path(path: Iterable) -> str:
    """("items", 3, "fields", 2, "type") -> "items[3].fields[2].type"."""
    text = ""
    for part in path:
        if isinstance(part, int) and not isinstance(part, bool):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def did_you_mean(word, candidates: Iterable) -> str:
    """' (did you mean 'x'?)' for the closest candidate, or '' when none is close."""
    names = [str(c) for c in candidates]
    match = difflib.get_close_matches(str(word), names, n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""


def count_summary(problems: list[Problem]) -> str:
    """'2 errors, 1 warning'."""
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    return f"{plural(errors, 'error')}, {plural(warnings, 'warning')}"


def plural(count: int, word: str) -> str:
    """'1 error', '2 errors'."""
    return f"{count} {word}{'' if count == 1 else 's'}"
