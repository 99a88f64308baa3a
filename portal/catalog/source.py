"""Read catalog YAML (and its include: files) into raw data plus a position index.

Positions map a path in the merged document, such as ("items", 3, "fields", 2, "type"), to
(file, line, column), 1-based. A mapping entry is located at its key, a list entry at its start.
"""

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .includes import resolve_includes
from .limits import MAX_FILE_BYTES, MAX_FILES, MAX_TOTAL_BYTES
from .loader import CatalogLoader, LimitError
from .positions import duplicate_keys, index_positions
from .problems import Problem, format_path

Position = tuple[str, int, int]


@dataclass
class Source:
    """The merged raw catalog, where each part came from, and problems met while reading."""

    path: Path
    data: dict = field(default_factory=dict)
    positions: dict[tuple, Position] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)
    include_globs: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def locate(self, path: tuple) -> tuple[str, int | None, int | None]:
        """The position of `path`, or of its nearest located parent (e.g. for a missing key)."""
        for end in range(len(path), -1, -1):
            found = self.positions.get(tuple(path[:end]))
            if found:
                return found
        return (str(self.path), None, None)

    def problem(self, severity: str, message: str, path: tuple, loud: bool = False) -> Problem:
        """A Problem located at `path` in the merged document."""
        return Problem(severity, message, tuple(path), *self.locate(tuple(path)), loud=loud)


def load_source(path) -> Source:
    """Read the main file and every file its include: globs match; never raises on bad input."""
    main = Path(path)
    source = Source(path=main)
    budget = Budget()
    data, positions, problems = read_yaml(main, budget)
    source.problems += problems
    if problems and data is None:
        return source
    source.files.append(main)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        source.problems.append(Problem(
            "error", "the catalog must be a mapping of keys such as version, teams and items",
            (), str(main), 1, 1))
        return source
    source.data, source.positions = data, positions
    seen = {main.resolve()}
    patterns = data.get("include") if isinstance(data.get("include"), list) else []
    for entry in resolve_includes(main, patterns):
        where = ("include", entry.index)
        if entry.refusal:
            source.problems.append(source.problem("error", entry.refusal, where))
            continue
        source.include_globs.append(entry.full)
        if not entry.files:
            source.problems.append(source.problem(
                "warning", f"include pattern '{entry.pattern}' matches no file", where,
                loud=True))
        for included in entry.files:
            if included.resolve() in seen or not included.is_file():
                continue
            seen.add(included.resolve())
            if len(seen) > MAX_FILES:
                source.problems.append(source.problem(
                    "error", f"a catalog may have at most {MAX_FILES} files", where))
                return source
            extra, extra_positions, problems = read_yaml(included, budget)
            source.problems += problems
            if problems and extra is None:
                continue
            source.files.append(included)
            merge(source, extra, extra_positions, included)
    return source


@dataclass
class Budget:
    """Bytes still allowed for the files of one catalog."""

    left: int = MAX_TOTAL_BYTES


def read_text(file: Path, budget: Budget) -> str:
    """The file's text, refused (ValueError) beyond the size limits."""
    limit = min(MAX_FILE_BYTES, budget.left)
    with open(file, "rb") as handle:
        raw = handle.read(limit + 1)
    if len(raw) > limit:
        if limit < MAX_FILE_BYTES:
            raise ValueError(f"the catalog's files together are larger than "
                             f"{MAX_TOTAL_BYTES // 1024} KB")
        raise ValueError(f"the file is larger than {MAX_FILE_BYTES // 1024} KB")
    budget.left -= len(raw)
    return raw.decode("utf-8")


def read_yaml(file: Path, budget: Budget | None = None
              ) -> tuple[object, dict[tuple, Position], list[Problem]]:
    """Parse one YAML file into (data, positions, problems); syntax errors become problems."""
    name = str(file)
    try:
        text = read_text(file, budget or Budget())
    except UnicodeDecodeError as error:
        line, col = line_col(error.object, error.start)
        return None, {}, [Problem("error", f"the file is not UTF-8 text (byte "
                                  f"0x{error.object[error.start]:02x})", (), name, line, col)]
    except ValueError as error:  # too large: located at the file's start
        return None, {}, [Problem("error", f"cannot read the file: {error}", (), name, 1, 1)]
    except OSError as error:
        reason = error.strerror or str(error)
        return None, {}, [Problem("error", f"cannot read the file: {reason}", (), name)]
    loader = None
    try:
        loader = CatalogLoader(text)
        node = loader.get_single_node()
        problems = duplicate_keys(node, name)
        data = loader.construct_document(node) if node is not None else None
    except yaml.reader.ReaderError as error:
        line, col = line_col(text, error.position)
        return None, {}, [Problem(
            "error", f"the file contains the character U+{error.character:04X}, which YAML "
                     "does not allow (a control character): remove it", (), name, line, col)]
    except yaml.MarkedYAMLError as error:
        return None, {}, [syntax_problem(error, name)]
    except (yaml.YAMLError, ValueError, RecursionError) as error:
        return None, {}, [Problem("error", f"YAML error: {error}", (), name)]
    finally:
        if loader is not None:
            loader.dispose()
    positions: dict[tuple, Position] = {}
    if node is not None:
        index_positions(node, (), name, positions, set())
    return data, positions, problems


def syntax_problem(error: yaml.MarkedYAMLError, name: str) -> Problem:
    """A YAML syntax error as a Problem at its mark."""
    mark = error.problem_mark or error.context_mark
    if isinstance(error, LimitError):
        return Problem("error", error.problem, (), name, mark.line + 1, mark.column + 1)
    message = f"YAML syntax error: {error.problem or error.context}"
    if error.context and error.context_mark and error.problem:
        start = error.context_mark
        message += f" ({error.context} from line {start.line + 1}, column {start.column + 1})"
    if "flow" in str(error.context):
        message += "; inside [ ] or { }, put text containing : ? , [ ] { } or # in quotes"
    line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
    return Problem("error", message, (), name, line, col)


def line_col(text, position: int) -> tuple[int, int]:
    """1-based line and column of a character (or byte) offset."""
    newline = "\n" if isinstance(text, str) else b"\n"
    return text.count(newline, 0, position) + 1, position - text.rfind(newline, 0, position)


def merge(source: Source, extra, positions: dict[tuple, Position], file: Path) -> None:
    """Merge an included file: lists are concatenated, mappings merged by key."""
    def here(path, message):
        source.problems.append(Problem("error", message, path, *positions.get(path, (str(file),))))

    if extra is None:
        return
    if not isinstance(extra, dict):
        here((), "an included file must be a mapping of keys such as teams and items")
        return
    data = source.data

    def copy(prefix_from: tuple, prefix_to: tuple):
        for path, position in positions.items():
            if path[:len(prefix_from)] == prefix_from:
                source.positions[prefix_to + path[len(prefix_from):]] = position

    for key, value in extra.items():
        if key == "include":
            here((key,), "include: works only in the main file")
        elif key not in data:
            data[key] = value
            copy((key,), (key,))
        elif isinstance(data[key], list) and isinstance(value, list):
            offset = len(data[key])
            data[key].extend(value)
            for i in range(len(value)):
                copy((key, i), (key, offset + i))
        elif isinstance(data[key], dict) and isinstance(value, dict):
            for sub, sub_value in value.items():
                if sub in data[key]:
                    first = source.locate((key, sub))
                    here((key, sub), f"duplicate key '{sub}' in {key} (first at "
                                     f"{first[0]}:{first[1]})")
                    continue
                data[key][sub] = sub_value
                copy((key, sub), (key, sub))
        elif data[key] != value:
            here((key,), f"{format_path((key,))} is already set in {source.path}; an included "
                         "file may only add to lists and mappings")
