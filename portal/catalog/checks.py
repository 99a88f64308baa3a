"""Check a catalog: parse (keeping positions), validate structure, check references.

Everything is collected, never raised: a maintainer sees every problem of an edit at once.
"""

import logging
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from .errors import describe_error
from .model import Catalog, Item
from .problems import Problem
from .references import reference_problems
from .source import Source, load_source

ITEM = TypeAdapter(Item)
log = logging.getLogger("portal.catalog")


@dataclass
class CheckResult:
    """The catalog (None when there is any error), every problem found, and the files read."""

    catalog: Catalog | None
    problems: list[Problem] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    include_globs: list[str] = field(default_factory=list)
    source: Source | None = None

    @property
    def errors(self) -> list[Problem]:
        """The problems that block the catalog."""
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        """The problems worth fixing that do not block the catalog."""
        return [p for p in self.problems if not p.is_error]


def check_catalog(path, known_kb_slugs: set[str] | None = None) -> CheckResult:
    """Read and check the catalog at `path` (with its includes); never raises on bad input."""
    try:
        return checked(path, known_kb_slugs)
    except Exception as error:  # a gap in the checks must not become a 500 or a traceback
        log.exception("checking the catalog %s failed", path)
        return CheckResult(None, [Problem(
            "error", f"the catalog could not be checked ({type(error).__name__}: {error}); "
                     "the portal keeps the last good catalog", (), str(path), 1, 1)])


def checked(path, known_kb_slugs: set[str] | None) -> CheckResult:
    source = load_source(path)
    problems = list(source.problems)
    if source.files:
        problems += structural_problems(source)
        problems += reference_problems(source, known_kb_slugs)
    problems = ordered(problems, source.files)
    catalog = None
    if source.files and not any(p.is_error for p in problems):
        try:
            catalog = Catalog.model_validate(source.data)
        except ValidationError as error:  # should not happen: every part passed on its own
            problems += validation_problems(error, source.data, (), source)
        if catalog is not None and not catalog.items:
            # Served, it would answer 404 for every item: most likely a lost include or paste.
            problems = ordered([*problems, empty_problem(source)], source.files)
            catalog = None
    return CheckResult(catalog, problems, list(source.files), list(source.include_globs), source)


def empty_problem(source: Source) -> Problem:
    """The error for a catalog without a single item."""
    message = "the catalog has no items (an empty file, or items lost from it or its includes)"
    file, line, col = source.locate(("items",))
    return Problem("error", message, ("items",), file, line or 1, col or 1)


def structural_problems(source: Source) -> list[Problem]:
    """Pydantic's verdict, item by item, so one broken item never hides another's problems."""
    data = source.data
    items = data.get("items")
    if not isinstance(items, list):
        return validate(Catalog, data, (), source)
    problems = validate(Catalog, {**data, "items": []}, (), source)
    for index, raw in enumerate(items):
        problems += validate(ITEM, raw, ("items", index), source)
    return problems


def validate(model, raw, prefix: tuple, source: Source) -> list[Problem]:
    """Validate `raw` with a model class or TypeAdapter; its errors as Problems."""
    try:
        model.validate_python(raw) if isinstance(model, TypeAdapter) else model.model_validate(raw)
    except ValidationError as error:
        return validation_problems(error, raw, prefix, source)
    return []


def validation_problems(error: ValidationError, raw, prefix: tuple, source: Source):
    """Each pydantic error as a Problem at its YAML position."""
    found = [describe_error(detail, raw, prefix, source.data)
             for detail in error.errors(include_url=False)]
    # 'lable' is reported as unknown with "did you mean 'label'?": a missing 'label' is the
    # same mistake, so it is not reported again.
    suggested = {(path[:-1], message.split("did you mean '")[1].split("'")[0])
                 for path, message in found if "(did you mean '" in message}
    return [source.problem("error", message, path) for path, message in found
            if not (message.startswith("missing required key")
                    and (path[:-1], path[-1]) in suggested)]


def ordered(problems: list[Problem], files: list[Path]) -> list[Problem]:
    """Problems in file order, then line by line; each one once."""
    rank = {str(f): n for n, f in enumerate(files)}
    unique = list(dict.fromkeys(problems))
    # A file that could not be read is not in `files`: after those that were.
    return sorted(unique, key=lambda p: (rank.get(p.file, len(rank)) if p.file else -1,
                                         p.file or "", p.line or 0, p.col or 0))
