"""How large a catalog may be: bounds that keep one bad edit from exhausting time or memory.

The real catalog is about 100 KB in 8 files, at most 12 levels deep, with no aliases; these
bounds leave it ample room while keeping a check well under a few seconds and 300 MB.
"""

MAX_FILE_BYTES = 512 * 1024
MAX_TOTAL_BYTES = 1024 * 1024
MAX_FILES = 64
MAX_INCLUDE_PATTERNS = 32
# Mappings and lists inside each other; show_if nesting of all/any counts too.
MAX_DEPTH = 40
# Nodes an alias may copy in, over the whole file: expanding aliases is how a few lines
# become billions of values ("billion laughs").
MAX_ALIAS_NODES = 10_000
