"""Ways to break a catalog, each made to a copy of catalog.yaml and catalog.d/ with a seeded rng."""

import random
import re
from pathlib import Path

BAD_INCLUDES = ["/**/*.yaml", "../*.yaml", "**/*.yaml", "*/x.yaml", "~/x.yaml", "/etc/*",
                "catalog.d/[", "nope/*.yaml", "catalog.d/../../*.yaml", "catalog.d/1*.yaml",
                "catalog.d", ""]
BAD_PATTERNS = [r"^(a+)+$", r"(a|aa)*c", r"^(?=x)x", r"(a)\1", r"[", r"a{1000}{1000}",
                r"(?<=a)b", r"(x+x+)+y", r"^(\w+\s?)*$", "\\", r"(?P<n>a)(?P=n)"]
CONTROL = ["\x00", "\x01", "\x07", "\x1b", "\x7f", "\x80", "\x81", "\x9f", "\ufffe", "\ud800"]


def files(folder: Path) -> list[Path]:
    return [folder / "catalog.yaml", *sorted((folder / "catalog.d").glob("*.yaml"))]


def pick(rng: random.Random, folder: Path) -> Path:
    return rng.choice(files(folder))


def edit(path: Path, change) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(change(text), encoding="utf-8", errors="surrogatepass")


def delete_lines(rng, folder):
    path = pick(rng, folder)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start, count = rng.randrange(len(lines)), rng.randint(1, 8)
    path.write_text("".join(lines[:start] + lines[start + count:]), encoding="utf-8")
    return f"{path.name}: deleted lines {start + 1}-{start + count}"


def type_change(rng, folder):
    path = pick(rng, folder)
    text = path.read_text(encoding="utf-8")
    spots = list(re.finditer(r"(?m)^(\s*-?\s*[a-z_]+: )(.+)$", text))
    spot = rng.choice(spots)
    value = rng.choice(["[1, 2]", "{a: 1}", "true", "123", "null", "2026-02-30", "''", "~"])
    path.write_text(text[:spot.start(2)] + value + text[spot.end(2):], encoding="utf-8")
    return f"{path.name}: {spot.group(1).strip()} {value}"


def duplicate_key(rng, folder):
    path = pick(rng, folder)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    candidates = [n for n, line in enumerate(lines) if re.match(r"^\s+[a-z_]+: \S", line)]
    n = rng.choice(candidates)
    lines.insert(n + 1, lines[n])
    path.write_text("".join(lines), encoding="utf-8")
    return f"{path.name}: line {n + 1} twice"


def control_character(rng, folder):
    path, char = pick(rng, folder), rng.choice(CONTROL)
    text = path.read_text(encoding="utf-8")
    at = rng.randrange(len(text))
    data = (text[:at] + char + text[at:]).encode("utf-8", "surrogatepass")
    path.write_bytes(data)
    return f"{path.name}: U+{ord(char):04X} at {at}"


def invalid_utf8(rng, folder):
    path = pick(rng, folder)
    data = path.read_bytes()
    at = rng.randrange(len(data))
    path.write_bytes(data[:at] + bytes([rng.randint(0x80, 0xff)]) + data[at:])
    return f"{path.name}: a stray byte at {at}"


def alias_bomb(rng, folder):
    path, width, depth = pick(rng, folder), rng.randint(5, 12), rng.randint(6, 12)
    lines = [f"lol0: &l0 [{', '.join(['lol'] * width)}]"]
    lines += [f"lol{n}: &l{n} [{', '.join([f'*l{n - 1}'] * width)}]" for n in range(1, depth)]
    if rng.random() < 0.5:  # hidden inside an item, where the model would walk it
        edit(path, lambda t: t.replace("\n    tags: [", f"\n    x_bomb: *l{depth - 1}\n"
                                       "    tags: [", 1) + "\n" + "\n".join(lines) + "\n")
        edit(path, lambda t: "\n".join(lines) + "\n" + t)
    else:
        edit(path, lambda t: t + "\n" + "\n".join(lines) + "\n")
    return f"{path.name}: {width}^{depth} aliases"


def huge_file(rng, folder):
    path, size = pick(rng, folder), rng.choice([600_000, 1_100_000, 3_000_000, 20_000_000])
    filler = "# " + "x" * 98 + "\n" if rng.random() < 0.5 else "  - x\n"
    edit(path, lambda t: t + filler * (size // len(filler)))
    return f"{path.name}: +{size // 1000} KB"


def deep_nesting(rng, folder):
    path, depth = pick(rng, folder), rng.choice([45, 100, 1000, 10_000, 100_000])
    nested = (rng.choice(["[", "{a: "]), rng.choice(["]", "}"]))
    value = nested[0] * depth + "1" + ("]" if nested[0] == "[" else "}") * depth
    if rng.random() < 0.3:
        condition = "{field: x, equals: y}"
        for _ in range(min(depth, 200)):
            condition = f"{{all: [{condition}]}}"
        value = condition
    edit(path, lambda t: t + f"\nx_deep: {value}\n")
    return f"{path.name}: {depth} levels"


def bad_include(rng, folder):
    pattern = rng.choice(BAD_INCLUDES)
    edit(folder / "catalog.yaml",
         lambda t: t.replace("include: [catalog.d/*.yaml]", f"include: ['{pattern}']"))
    return f"include: {pattern!r}"


def bad_pattern(rng, folder):
    pattern = rng.choice(BAD_PATTERNS)
    path = rng.choice([p for p in files(folder) if "pattern:" in p.read_text(encoding="utf-8")])
    text = path.read_text(encoding="utf-8")
    spot = rng.choice(list(re.finditer(r"pattern: '([^']*)'", text)))
    quoted = pattern.replace("'", "''")
    path.write_text(text[:spot.start(1)] + quoted + text[spot.end(1):], encoding="utf-8")
    return f"{path.name}: pattern {pattern!r}"


def empty_file(rng, folder):
    path = pick(rng, folder)
    path.write_text(rng.choice(["", "\n", "# nothing\n", "---\n", "{}\n"]), encoding="utf-8")
    return f"{path.name}: emptied"


def delete_files(rng, folder):
    included = files(folder)[1:]
    gone = included if rng.random() < 0.3 else rng.sample(included, rng.randint(1, 3))
    for path in gone:
        path.unlink()
    return f"deleted {', '.join(p.name for p in gone)}"


def truncate(rng, folder):
    path = pick(rng, folder)
    data = path.read_bytes()
    path.write_bytes(data[:rng.randrange(len(data))])
    return f"{path.name}: truncated"


def bad_indent(rng, folder):
    path = pick(rng, folder)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    n = rng.randrange(len(lines))
    lines[n] = rng.choice([" ", "\t", "      ", ""]) + lines[n].lstrip(" ")
    path.write_text("".join(lines), encoding="utf-8")
    return f"{path.name}: line {n + 1} re-indented"


KINDS_AND_MAKERS = {
    "delete_lines": delete_lines, "type_change": type_change, "duplicate_key": duplicate_key,
    "control_character": control_character, "invalid_utf8": invalid_utf8,
    "alias_bomb": alias_bomb, "huge_file": huge_file, "deep_nesting": deep_nesting,
    "bad_include": bad_include, "bad_pattern": bad_pattern, "empty_file": empty_file,
    "delete_files": delete_files, "truncate": truncate, "bad_indent": bad_indent,
}
KINDS = list(KINDS_AND_MAKERS)


def mutate(rng: random.Random, kind: str, folder: Path) -> str:
    """Break the catalog copy in `folder` in the way `kind` names; says what was done."""
    return KINDS_AND_MAKERS[kind](rng, folder)
