"""The YAML loader for catalog files: safe, bounded in depth and alias expansion.

Every refusal is a YAML error with a position, so the maintainer gets file:line:column.
"""

import yaml
from yaml.composer import ComposerError
from yaml.events import AliasEvent, CollectionStartEvent
from yaml.nodes import MappingNode, Node, SequenceNode

from .limits import MAX_ALIAS_NODES, MAX_DEPTH


class LimitError(ComposerError):
    """A catalog file beyond the limits: well-formed YAML, refused all the same."""


class CatalogLoader(yaml.SafeLoader):
    """SafeLoader whose bad dates (2026-02-30) are YAML errors with a position, and which
    refuses nesting deeper than MAX_DEPTH and aliases that copy in more than MAX_ALIAS_NODES."""

    def __init__(self, stream):
        super().__init__(stream)
        self.depth = 0
        self.alias_nodes = 0
        self.sizes: dict[int, int] = {}

    def compose_node(self, parent, index):
        if self.check_event(AliasEvent):
            event = self.peek_event()
            node = self.anchors.get(event.anchor)
            if node is not None:
                self.count_alias(node, event)
            return super().compose_node(parent, index)
        opens = self.check_event(CollectionStartEvent)
        if opens:
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise LimitError(None, None, f"nested more than {MAX_DEPTH} levels deep",
                                    self.peek_event().start_mark)
        try:
            return super().compose_node(parent, index)
        finally:
            if opens:
                self.depth -= 1

    def count_alias(self, node: Node, event) -> None:
        size = self.expanded_size(node)
        if size is None:
            raise LimitError(None, None, f"alias *{event.anchor} refers to a mapping or "
                                "list that contains it", event.start_mark)
        self.alias_nodes += size
        if self.alias_nodes > MAX_ALIAS_NODES:
            raise LimitError(None, None, f"aliases copy in more than {MAX_ALIAS_NODES} "
                                f"values (at *{event.anchor}); write the values out or use "
                                "fewer aliases", event.start_mark)

    def expanded_size(self, node: Node) -> int | None:
        """Values `node` stands for with its aliases expanded; None while it is still open
        (an alias inside its own anchor)."""
        key = id(node)
        if key in self.sizes:
            return self.sizes[key]
        if isinstance(node, MappingNode | SequenceNode) and node.end_mark is None:
            return None
        self.sizes[key] = -1  # in progress: a cycle would come back here
        total = 1
        children = (node.value if isinstance(node, SequenceNode) else
                    [part for pair in node.value for part in pair]
                    if isinstance(node, MappingNode) else [])
        for child in children:
            size = self.expanded_size(child)
            if size is None or size < 0:
                return None
            total += size
            if total > MAX_ALIAS_NODES:
                break  # enough to refuse; no need to count the rest
        self.sizes[key] = total
        return total

    def construct_yaml_timestamp(self, node):
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as error:
            raise yaml.constructor.ConstructorError(
                None, None, f"{node.value} is not a valid date ({error})", node.start_mark
            ) from None


CatalogLoader.add_constructor("tag:yaml.org,2002:timestamp",
                              CatalogLoader.construct_yaml_timestamp)
