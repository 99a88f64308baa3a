"""Which files an `include:` pattern names: only files inside the catalog's own folder.

A pattern such as `/**/*.yaml` would walk the whole disk on every check (and the store globs
its patterns on every request), so wildcards are allowed in the file name only.
"""

import glob
import os
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from .limits import MAX_FILES, MAX_INCLUDE_PATTERNS


@dataclass
class Include:
    """One include: entry: its index, the full glob, and the files it matched (or why not)."""

    index: int
    pattern: str
    full: str | None = None
    files: list[Path] = field(default_factory=list)
    refusal: str | None = None


def resolve_includes(main: Path, patterns: list) -> list[Include]:
    """Each usable include: pattern with its matches, or the reason it was refused."""
    folder = os.path.realpath(main.parent)
    found = []
    for index, pattern in enumerate(patterns):
        if not isinstance(pattern, str) or not pattern.strip():
            continue  # the model reports an include: of the wrong shape
        entry = Include(index, pattern)
        found.append(entry)
        if index >= MAX_INCLUDE_PATTERNS:
            entry.refusal = f"more than {MAX_INCLUDE_PATTERNS} include: patterns"
            continue
        entry.refusal = refusal(pattern)
        if entry.refusal:
            continue
        entry.full = os.path.join(str(main.parent), pattern)
        names = sorted(islice(glob.iglob(entry.full), MAX_FILES + 1))
        for name in names:
            real = os.path.realpath(name)
            if os.path.commonpath([folder, real]) != folder:
                entry.refusal = (f"include pattern '{pattern}' matches {name}, which leads "
                                 "outside the catalog's folder")
                break
            entry.files.append(Path(os.path.normpath(name)))
    return found


def refusal(pattern: str) -> str | None:
    """Why `pattern` may not be used, or None."""
    parts = pattern.replace("\\", "/").split("/")
    if os.path.isabs(pattern) or pattern.startswith("~"):
        return (f"include pattern '{pattern}' must be relative to the catalog's folder, "
                "such as catalog.d/*.yaml")
    if ".." in parts:
        return f"include pattern '{pattern}' may not leave the catalog's folder with '..'"
    if any(glob.has_magic(part) for part in parts[:-1]):
        return (f"include pattern '{pattern}' may use wildcards only in the file name, "
                "such as catalog.d/*.yaml")
    return None
