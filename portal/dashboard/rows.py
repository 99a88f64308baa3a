"""The dashboard page's rows, ready to print: labels in the reader's language beside their
numbers, and the chart's bar heights. The template loops over these and reshapes nothing."""

from flask_babel import gettext as _
from flask_babel import ngettext

from ..tickets.lifecycle import STATUS_LABELS


def age_labels() -> dict[str, str]:
    return {"lt1": _("Under 1 day"), "1to3": _("1 to 3 days"), "3to7": _("3 to 7 days"),
            "7to30": _("7 to 30 days"), "gt30": _("Over 30 days")}


def page_rows(fig: dict, names: dict) -> dict:
    """(label, count) rows for each bar list, and each period with its bars' heights in %."""
    volume, labels = fig["volume"], age_labels()
    return {
        "backlog_by_status": [(STATUS_LABELS[s], n) for s, n in fig["backlog"]["by_status"]],
        "backlog_by_age": [(labels[key], n) for key, n in fig["backlog"]["by_age"]],
        "stars": [(ngettext("%(num)d star", "%(num)d stars", score), n)
                  for score, n in fig["satisfaction"]["distribution"]],
        "busiest": [(names["item"].get(row["item_id"], row["item_id"]), row["count"])
                    for row in fig["busiest_items"]],
        "bars": [{**period, "created_height": round(100 * period["created"] / volume["max"], 2),
                  "resolved_height": round(100 * period["resolved"] / volume["max"], 2)}
                 for period in volume["periods"]],
    }
