"""Where each part of a YAML document starts, and keys given twice: read from the node tree
(positions are 1-based (file, line, column); see source.py)."""

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, SequenceNode

from .problems import Problem

MERGE_TAG = "tag:yaml.org,2002:merge"


def key_of(node: Node):
    """The Python value of a mapping key node, as the loader builds it."""
    try:
        return SafeConstructor().construct_object(node, deep=True)
    except (yaml.YAMLError, TypeError, ValueError):
        return getattr(node, "value", None)


def index_positions(node: Node, path: tuple, name: str, positions: dict, active: set) -> None:
    """Record where every path starts; `active` guards against recursive aliases."""
    if not path:
        positions[()] = (name, node.start_mark.line + 1, node.start_mark.column + 1)
    if id(node) in active:
        return
    active.add(id(node))
    if isinstance(node, MappingNode):
        for key_node, value_node in node.value:
            key = key_of(key_node)
            try:
                child = (*path, key)
                positions[child] = (name, key_node.start_mark.line + 1,
                                    key_node.start_mark.column + 1)
            except TypeError:  # an unhashable key: the model reports it
                continue
            index_positions(value_node, child, name, positions, active)
    elif isinstance(node, SequenceNode):
        for i, item in enumerate(node.value):
            positions[(*path, i)] = (name, item.start_mark.line + 1, item.start_mark.column + 1)
            index_positions(item, (*path, i), name, positions, active)
    active.discard(id(node))


def duplicate_keys(node: Node | None, name: str) -> list[Problem]:
    """A key given twice in one mapping: YAML keeps the last silently, which hides mistakes."""
    problems, stack, done = [], [(node, ())], set()
    while stack:
        current, path = stack.pop()
        if current is None or id(current) in done:
            continue
        done.add(id(current))
        if isinstance(current, MappingNode):
            first: dict = {}
            for key_node, value_node in current.value:
                if key_node.tag == MERGE_TAG:
                    continue
                key = getattr(key_node, "value", None) if not isinstance(
                    key_node.value, list) else id(key_node)
                mark = key_node.start_mark
                if key in first:
                    problems.append(Problem(
                        "error", f"duplicate key '{key}' (first on line {first[key]})",
                        (*path, key), name, mark.line + 1, mark.column + 1))
                else:
                    first[key] = mark.line + 1
                stack.append((value_node, (*path, key)))
        elif isinstance(current, SequenceNode):
            stack.extend((item, (*path, i)) for i, item in enumerate(current.value))
    return sorted(problems, key=lambda p: (p.line, p.col))
