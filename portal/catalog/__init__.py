"""The service catalog as data: read, check, model and serve catalog.yaml.

Pure data: this package imports neither Flask nor SQLAlchemy.
"""

from .checks import CheckResult, check_catalog
from .conditions import evaluate, visible_fields
from .model import (
    Calendar,
    Catalog,
    Category,
    FieldCondition,
    Item,
    Option,
    PriorityMatrix,
    SlaPolicy,
    SlaTarget,
    Team,
)
from .problems import Problem, format_path
from .schema import json_schema
from .store import CatalogStore
from .text import localize
from .units import parse_duration, parse_size, resolve_date_bound

__all__ = [
    "Calendar",
    "Catalog",
    "CatalogStore",
    "Category",
    "CheckResult",
    "FieldCondition",
    "Item",
    "Option",
    "PriorityMatrix",
    "Problem",
    "SlaPolicy",
    "SlaTarget",
    "Team",
    "check_catalog",
    "evaluate",
    "format_path",
    "json_schema",
    "localize",
    "parse_duration",
    "parse_size",
    "resolve_date_bound",
    "visible_fields",
]
