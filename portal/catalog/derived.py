"""Values derived from catalog objects (a form class, a rendered fragment), kept per process."""

from collections.abc import Callable, Hashable


class DerivedCache:
    """Keyed by a catalog object (the catalog or one of its items) plus whatever else the
    value depends on, such as the language. A catalog reload brings new objects, so old
    entries never match again; the object is kept beside its value so that a reused id()
    cannot match either, and the cache starts afresh when it is full."""

    def __init__(self, size: int = 512):
        self.size = size
        self._entries: dict[tuple, tuple] = {}

    def get(self, source, key: tuple[Hashable, ...], make: Callable[[], object]):
        full_key = (id(source), *key)
        entry = self._entries.get(full_key)
        if entry is None or entry[0] is not source:
            if len(self._entries) >= self.size:
                self._entries.clear()
            entry = self._entries[full_key] = (source, make())
        return entry[1]
