"""Business time for SLAs: working calendars, pauses, due moments and target states.

Pure: this package imports neither Flask nor SQLAlchemy (only the catalog's models, for types).
"""

from .clock import WorkingCalendar, as_utc
from .policy import (
    AT_RISK,
    Pause,
    Target,
    Targets,
    TargetState,
    due_time,
    elapsed,
    pauses,
    resolve_targets,
    state,
)

__all__ = [
    "AT_RISK",
    "Pause",
    "Target",
    "TargetState",
    "Targets",
    "WorkingCalendar",
    "as_utc",
    "due_time",
    "elapsed",
    "pauses",
    "resolve_targets",
    "state",
]
