"""The current catalog of this process: re-checked when its files change, last good one kept."""

import glob
import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path

from .checks import CheckResult, check_catalog
from .model import Catalog
from .problems import Problem

log = logging.getLogger("portal.catalog")

Stamp = tuple[tuple[str, int | None, int | None], ...]


class CatalogStore:
    """Serves the last good catalog; a saved edit is picked up on the next get()."""

    def __init__(self, path, known_kb_slugs: Callable[[], set[str]] | None = None):
        self.path = Path(path)
        self.known_kb_slugs = known_kb_slugs
        self._lock = threading.Lock()
        self._catalog: Catalog | None = None
        self._stamp: Stamp | None = None
        self._files: list[Path] = [self.path]
        self._globs: list[str] = []
        self._problems: list[Problem] = []
        self._good_files: list[Path] = []

    @property
    def problems(self) -> list[Problem]:
        """Errors and warnings of the latest check."""
        return list(self._problems)

    @property
    def has_errors(self) -> bool:
        """Whether the latest check found errors (the last good catalog is still served)."""
        return any(p.is_error for p in self._problems)

    @property
    def alerts(self) -> list[Problem]:
        """What admins should see at once: the errors, or else the warnings that the edit
        may have lost part of the catalog (files, categories)."""
        if self.has_errors:
            return self.problems
        return [p for p in self._problems if p.loud]

    def get(self) -> Catalog:
        """The current good catalog (an empty one if there never was one); never raises."""
        with self._lock:
            try:
                stamp = self._current_stamp()
                if stamp != self._stamp:
                    self._reload(stamp)
            except Exception as error:  # a bad edit must never take the portal down
                log.exception("checking the catalog %s failed; keeping the last good one",
                              self.path)
                self._problems = [Problem(
                    "error", f"the catalog could not be checked ({type(error).__name__}: "
                             f"{error})", (), str(self.path), 1, 1)]
                self._stamp = self._last_stamp_or_none()
            return self._catalog if self._catalog is not None else Catalog()

    def _last_stamp_or_none(self) -> Stamp | None:
        # Not re-checked on every request while the files stay as they are.
        try:
            return self._current_stamp()
        except Exception:
            return None

    def _current_stamp(self) -> Stamp:
        # Stat only: cheap enough for every request. The include globs catch added files.
        return self._stamp_of(self._watched_names(), {})

    def _watched_names(self) -> set[str]:
        names = {str(f) for f in self._files}
        for pattern in self._globs:
            names.update(os.path.normpath(n) for n in glob.glob(pattern, recursive=True))
        return names

    def _stamp_of(self, names: set[str], known: dict) -> Stamp:
        return tuple(known.get(name) or stat(name) for name in sorted(names))

    def _reload(self, stamp: Stamp) -> None:
        slugs = None
        if self.known_kb_slugs:
            try:
                slugs = self.known_kb_slugs()
            except Exception:  # the slugs only add warnings: never let them block a reload
                log.exception("could not list knowledge-base slugs for the catalog check")
        result = check_catalog(self.path, slugs)
        self._problems = result.problems
        self._files = result.files or [self.path]
        self._globs = result.include_globs
        # Keep the stats taken before reading, so a save during the read triggers another
        # check; files found by this read are stat'ed now.
        self._stamp = self._stamp_of(self._watched_names(), {s[0]: s for s in stamp})
        if result.catalog is not None:
            if self._catalog is not None and result.source is not None:
                self._problems += lost_parts(self._catalog, self._good_files, result)
            self._catalog, self._good_files = result.catalog, list(result.files)
            log.info("catalog loaded: %d items from %d files", len(result.catalog.items),
                     len(result.files))
            for problem in result.problems:
                log.warning("%s", problem)
            return
        log.error("catalog %s has %d errors; %s", self.path, len(result.errors),
                  "keeping the last good catalog" if self._catalog else "no catalog to serve")
        for problem in result.problems:
            (log.error if problem.is_error else log.warning)("%s", problem)


def lost_parts(served: Catalog, served_files: list[Path], result: CheckResult) -> list[Problem]:
    """Loud warnings for files and categories of the catalog in service that the edit lost:
    a renamed folder or a bad paste should not go unnoticed."""
    source = result.source
    problems = []
    now = {str(f) for f in result.files}
    for file in served_files:
        if str(file) not in now:
            problems.append(source.problem(
                "warning", f"{file} is no longer included (the include: patterns now match "
                           f"{len(result.files) - 1} files, {len(served_files) - 1} before)",
                ("include",), loud=True))
    kept = {c.id for c in result.catalog.categories}
    for category in served.categories:
        if category.id not in kept:
            problems.append(source.problem(
                "warning", f"category '{category.id}' of the catalog in service is gone",
                ("categories",), loud=True))
    return problems


def stat(name: str) -> tuple[str, int | None, int | None]:
    """(name, mtime_ns, size), with None for a file that is not there."""
    try:
        info = os.stat(name)
    except OSError:
        return (name, None, None)
    return (name, info.st_mtime_ns, info.st_size)
