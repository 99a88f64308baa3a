"""How an item's tickets get their priority: fixed, or from two answers and a matrix."""

from .basetypes import Id, Model, Priority


class MatrixRow(Model):
    """Priority by urgency, for one impact level."""

    high: Priority
    """The priority when the urgency is high: P1, P2, P3 or P4."""
    medium: Priority
    """The priority when the urgency is medium: P1, P2, P3 or P4."""
    low: Priority
    """The priority when the urgency is low: P1, P2, P3 or P4."""


class PriorityMatrix(Model):
    """Priority by impact (rows) and urgency (columns)."""

    high: MatrixRow
    """High impact, by urgency (default {high: P1, medium: P2, low: P3})."""
    medium: MatrixRow
    """Medium impact, by urgency (default {high: P2, medium: P3, low: P4})."""
    low: MatrixRow
    """Low impact, by urgency (default {high: P3, medium: P4, low: P4})."""


class PriorityFrom(Model):
    """Compute the priority from two fields valued high, medium or low."""

    impact: Id
    """The id of the select or radio field whose answer (high, medium or low) is the impact."""
    urgency: Id
    """The id of the select or radio field whose answer (high, medium or low) is the
    urgency."""
