"""The agents' queue with its bulk actions, and the approvals page. Every action: check,
change, commit once, then redirect (POST/redirect/GET) with a message saying what happened."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from jinja2_fragments.flask import render_block
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError
from wtforms.fields.choices import SelectChoice

from ..auth.teams import active_members, team_ids_of
from ..errors import Refused
from ..extensions import db
from ..tickets import actions
from ..tickets.approvals import DecisionRefused, decide, may_decide, stuck_steps, waiting_for
from ..tickets.lifecycle import ACTION_LABELS, AGENT_ACTIONS, Action
from ..tickets.models import Approval, Ticket
from ..tickets.outcomes import conflict_message, first_error
from ..tickets.queue import QueueFilter, load_page
from ..web.catalog import current_catalog
from ..web.htmx import wants_fragment
from .forms import BulkForm, DecisionForm

bp = Blueprint("work", __name__)



def _agent_only():
    if not current_user.is_agent:
        abort(404)


# --- queue -------------------------------------------------------------------------------


@bp.get("/queue")
@login_required
def queue():
    _agent_only()
    catalog = current_catalog()
    team_ids = team_ids_of(current_user)
    if current_user.is_admin:
        team_ids = sorted({t.id for t in catalog.teams} | set(team_ids))
    flt = QueueFilter.from_args(request.args, team_ids, [c.id for c in catalog.categories])
    tickets, next_cursor = load_page(flt, current_user, team_ids)
    members = {u.id: u for tid in team_ids for u in active_members(tid) if u.is_agent}
    bulk = BulkForm(formdata=None)
    bulk.action.choices = bulk_choices()
    context = dict(flt=flt, tickets=tickets, next_cursor=next_cursor, team_ids=team_ids,
                   members=sorted(members.values(), key=lambda u: u.name), catalog=catalog,
                   bulk_form=bulk)
    if wants_fragment("queue-results"):
        return render_block("work/queue.html", "results", **context)
    return render_template("work/queue.html", **context)


def bulk_choices() -> list[SelectChoice]:
    choices = [SelectChoice("assign_me", _("Assign to me")),
               SelectChoice("unassign", _("Unassign"))]
    choices += [SelectChoice(a.value, ACTION_LABELS[a]) for a in AGENT_ACTIONS]
    return choices


@bp.post("/queue/bulk")
@login_required
def bulk():
    _agent_only()
    form = BulkForm()
    form.action.choices = bulk_choices()
    back = redirect(request.form.get("back") if _safe_back(request.form.get("back"))
                    else url_for("work.queue"), code=303)
    if not form.validate():
        flash(first_error(form), "error")
        return back
    numbers = [n for n in request.form.getlist("ticket")[:100] if n]
    if not numbers:
        flash(_("Select at least one ticket."), "error")
        return back
    done, refused = [], []
    for number in numbers:
        ticket = db.session.scalar(select(Ticket).where(Ticket.number == number.upper()))
        if ticket is None or not actions.can_work(current_user, ticket):
            refused.append(_("%(number)s: not found in your queues.", number=number[:20]))
            continue
        savepoint = db.session.begin_nested()
        try:
            _apply_bulk(ticket, form.action.data)
            savepoint.commit()
            done.append(ticket.number)
        except Refused as why:
            savepoint.rollback()
            refused.append(f"{ticket.number}: {why}")
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        flash(conflict_message(), "error")
        return back
    if done:
        flash(_("Done for %(numbers)s.", numbers=", ".join(done)), "success")
    for message in refused:
        flash(message, "error")
    return back


def _apply_bulk(ticket: Ticket, action: str) -> None:
    if action == "assign_me":
        actions.assign(ticket, current_user, current_user)
    elif action == "unassign":
        actions.assign(ticket, None, current_user)
    else:
        actions.move(ticket, Action(action), current_user, catalog=current_catalog())


def _safe_back(url: str | None) -> bool:
    return bool(url) and url.startswith("/queue") and "//" not in url


# --- approvals ----------------------------------------------------------------------------


@bp.get("/approvals")
@login_required
def approvals():
    waiting = db.session.scalars(waiting_for(current_user).limit(200)).all()
    stuck = [a for a in stuck_steps() if a not in waiting] if current_user.is_admin else []
    return render_template("work/approvals.html", waiting=waiting, stuck=stuck,
                           form=DecisionForm(formdata=None))


@bp.post("/approvals/<int:approval_id>")
@login_required
def decide_approval(approval_id):
    approval = db.session.get(Approval, approval_id)
    if approval is None or not may_decide(current_user, approval):
        abort(404)
    form = DecisionForm()
    if not form.validate():
        flash(first_error(form), "error")
        return redirect(url_for("work.approvals"), code=303)
    ticket = approval.ticket
    try:
        decide(approval, current_user, form.decision.data == "approve", form.comment.data,
               catalog=current_catalog())
        db.session.commit()
    except DecisionRefused as why:
        db.session.rollback()
        flash(str(why), "error")
        return redirect(url_for("work.approvals"), code=303)
    except StaleDataError:
        db.session.rollback()
        flash(_("Someone else decided this approval a moment ago."), "error")
        return redirect(url_for("work.approvals"), code=303)
    if form.decision.data == "approve":
        flash(_("You approved %(number)s.", number=ticket.number), "success")
    else:
        flash(_("You rejected %(number)s; the requester has been told why.",
                number=ticket.number), "success")
    return redirect(url_for("work.approvals"), code=303)
