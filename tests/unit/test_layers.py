"""The import rules of portal/, read from the code itself (imports inside functions included):
the layers stay layers however the next feature is written."""

import ast
from collections import defaultdict
from pathlib import Path

import pytest

PORTAL = Path(__file__).resolve().parents[2] / "portal"
# Ground modules: anything may import them and they import nothing of the portal.
GROUND = {"portal.config", "portal.errors"}
# The composition root wires every package together; nothing imports it back.
ROOT = "portal"
# What web/ may lean on besides itself: the ground, the database handle and the pure catalog.
WEB_MAY_IMPORT = {"portal.web", "portal.extensions", "portal.catalog", *GROUND}


def module_name(path: Path) -> str:
    parts = path.relative_to(PORTAL.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Every portal module `path` imports, anywhere in the file, resolved to absolute names."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("portal"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("portal"):
                continue
            found.add(target)
            # `from . import x` may name a module: count it as one when it is.
            found.update(f"{target}.{alias.name}" for alias in node.names
                         if f"{target}.{alias.name}" in MODULES)
    found.discard(name)
    return found


MODULES = {module_name(p) for p in PORTAL.rglob("*.py")}
GRAPH = {module_name(p): imports_of(p) for p in PORTAL.rglob("*.py")}


def package_of(module: str) -> str:
    """portal.tickets.service → portal.tickets; a top-level module is its own package."""
    parts = module.split(".")
    return ".".join(parts[:2])


def within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def offenders(rule) -> list[str]:
    return sorted(f"{src} imports {dst}" for src, targets in GRAPH.items()
                  for dst in targets if rule(src, dst))


def test_the_import_graph_is_read_from_the_code():
    # Guards the reader itself: known imports, one of them inside a function, are seen.
    assert "portal.tickets.service" in GRAPH["portal.tickets.actions"]
    assert "portal.catalog" in GRAPH["portal.web.templating"]
    assert any(within(dst, "portal.tickets") for dst in GRAPH["portal.jobs"])
    assert len(GRAPH) > 50


def test_ground_modules_import_nothing_of_the_portal():
    assert offenders(lambda src, dst: src in GROUND) == []


def test_the_catalog_is_pure():
    assert offenders(lambda src, dst: within(src, "portal.catalog")
                     and not within(dst, "portal.catalog") and dst not in GROUND) == []


def test_web_is_the_floor():
    assert offenders(lambda src, dst: within(src, "portal.web")
                     and not any(within(dst, ok) for ok in WEB_MAY_IMPORT)) == []


def is_view_module(module: str) -> bool:
    return module.rsplit(".", 1)[-1].endswith("views")


def test_tickets_never_import_the_work_queue_and_only_their_views_use_web():
    assert offenders(lambda src, dst: within(src, "portal.tickets")
                     and within(dst, "portal.work")) == []
    assert offenders(lambda src, dst: within(src, "portal.tickets") and not is_view_module(src)
                     and src != "portal.tickets.templating" and within(dst, "portal.web")) == []


def test_no_views_module_imports_another_packages_views():
    assert offenders(lambda src, dst: is_view_module(src) and is_view_module(dst)
                     and package_of(src) != package_of(dst)) == []


def package_graph() -> dict[str, set[str]]:
    edges = defaultdict(set)
    for src, targets in GRAPH.items():
        for dst in targets:
            a, b = package_of(src), package_of(dst)
            if a != b and ROOT not in (a, b):
                edges[a].add(b)
    return edges


def rings(edges: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one package (Tarjan)."""
    index, low, stack, on_stack, found, counter = {}, {}, [], set(), [], [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_no_package_ring():
    assert rings(package_graph()) == []


@pytest.mark.parametrize("edges, expected", [
    ({"a": {"b"}, "b": {"c"}}, []),
    ({"a": {"b"}, "b": {"a"}}, [["a", "b"]]),
    ({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}, [["a", "b", "c"]]),
])
def test_the_ring_finder_finds_rings(edges, expected):
    assert rings(edges) == expected
