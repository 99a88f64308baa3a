"""Queue, ticket actions for agents, and approvals. Every action: check, change, commit once,
then redirect (POST/redirect/GET) with a message saying what happened or why not."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from jinja2_fragments.flask import render_block
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError
from wtforms.fields.choices import SelectChoice

from ..auth.models import TeamMember, User
from ..catalog import localize
from ..errors import Refused
from ..extensions import db
from ..tickets import files
from ..tickets import work as ticket_work
from ..tickets.access import get_ticket_or_404
from ..tickets.approvals import DecisionRefused, decide, may_decide, stuck_steps, waiting_for
from ..tickets.lifecycle import ACTION_LABELS, AGENT_ACTIONS, Action
from ..tickets.models import Approval, Ticket
from ..tickets.queue import QueueFilter, load_page, my_team_ids
from ..web.catalog import current_catalog
from ..web.htmx import wants_fragment
from ..web.i18n import current_locale
from .forms import (
    AssignForm,
    BulkForm,
    DecisionForm,
    LinkForm,
    MoveForm,
    PriorityForm,
    ReplyForm,
    TransferForm,
)

bp = Blueprint("work", __name__)



def conflict_message() -> str:
    return _("This ticket was changed by someone else at the same moment. Here is the latest "
             "state; check it and try again.")


def _agent_only():
    if not current_user.is_agent:
        abort(404)


def _workable_ticket(number: str) -> Ticket:
    ticket = get_ticket_or_404(number, current_user)
    if not ticket_work.can_work(current_user, ticket):
        abort(404)
    return ticket


def _back(ticket: Ticket):
    return redirect(url_for("tickets.show", number=ticket.number), code=303)


def _commit_or_explain(ticket: Ticket, success: str, stored_keys=()) -> bool:
    """Commit the action; on refusal or a concurrent change, roll back and say why."""
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        files.delete(current_app.config["UPLOAD_FOLDER"], list(stored_keys))
        flash(conflict_message(), "error")
        return False
    flash(success, "success")
    return True


def team_members(team_id: str) -> list[User]:
    return list(db.session.scalars(
        select(User).join(TeamMember, TeamMember.user_id == User.id)
        .where(TeamMember.team_id == team_id, User.active.is_(True))
        .order_by(User.name)))


def assign_choices(ticket: Ticket) -> list[SelectChoice]:
    choices = [SelectChoice("me", _("Me")), SelectChoice("none", _("Nobody"))]
    choices += [SelectChoice(str(u.id), u.name) for u in team_members(ticket.team_id)
                if u.is_agent and u.id != current_user.id]
    return choices


def team_choices(ticket: Ticket) -> list[SelectChoice]:
    locale = current_locale()
    return [SelectChoice(t.id, f"{localize(t.name, locale)} · " + _("tier %(n)d", n=t.tier))
            for t in current_catalog().teams if t.id != ticket.team_id]


def agent_forms(ticket: Ticket) -> dict:
    """The forms of the agent panel on a ticket page, bound to the current version."""
    version = {"version": ticket.version}
    assign = AssignForm(formdata=None, data=version)
    assign.assignee.choices = assign_choices(ticket)
    transfer = TransferForm(formdata=None, data=version)
    transfer.team.choices = team_choices(ticket)
    return {
        "assign_form": assign, "move_form": MoveForm(formdata=None, data=version),
        "reply_form": ReplyForm(formdata=None, data=version), "transfer_form": transfer,
        "link_form": LinkForm(formdata=None),
        "priority_form": PriorityForm(formdata=None, data={**version,
                                                           "priority": ticket.priority}),
        "agent_actions": ticket_work_actions(ticket),
        "linked": ticket_work.linked_tickets(ticket, current_user),
    }


def ticket_work_actions(ticket: Ticket) -> list[tuple[Action, str]]:
    from ..tickets.lifecycle import agent_actions
    return [(a, ACTION_LABELS[a]) for a in agent_actions(ticket.status)]


def _first_error(form) -> str:
    for errors in form.errors.values():
        if errors:
            return errors[0]
    return _("Check the form and try again.")


# --- queue -------------------------------------------------------------------------------


@bp.get("/queue")
@login_required
def queue():
    _agent_only()
    catalog = current_catalog()
    team_ids = my_team_ids(current_user)
    if current_user.is_admin:
        team_ids = sorted({t.id for t in catalog.teams} | set(team_ids))
    flt = QueueFilter.from_args(request.args, team_ids, [c.id for c in catalog.categories])
    tickets, next_cursor = load_page(flt, current_user, team_ids)
    members = {u.id: u for tid in team_ids for u in team_members(tid) if u.is_agent}
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
        flash(_first_error(form), "error")
        return back
    numbers = [n for n in request.form.getlist("ticket")[:100] if n]
    if not numbers:
        flash(_("Select at least one ticket."), "error")
        return back
    done, refused = [], []
    for number in numbers:
        ticket = db.session.scalar(select(Ticket).where(Ticket.number == number.upper()))
        if ticket is None or not ticket_work.can_work(current_user, ticket):
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
        ticket_work.assign(ticket, current_user, current_user)
    elif action == "unassign":
        ticket_work.assign(ticket, None, current_user)
    else:
        ticket_work.move(ticket, Action(action), current_user, catalog=current_catalog())


def _safe_back(url: str | None) -> bool:
    return bool(url) and url.startswith("/queue") and "//" not in url


# --- one ticket ----------------------------------------------------------------------------


def _act(ticket: Ticket, change):
    """Run one change (which returns what to tell the agent); commit it, or roll it back and
    say why not. Either way the agent is sent back to the ticket."""
    try:
        success = change()
    except Refused as why:
        db.session.rollback()
        flash(str(why), "error")
    else:
        _commit_or_explain(ticket, success)
    return _back(ticket)


@bp.post("/tickets/<number>/assign")
@login_required
def assign(number):
    ticket = _workable_ticket(number)
    form = AssignForm()
    form.assignee.choices = assign_choices(ticket)
    if not form.validate():
        flash(_first_error(form), "error")
        return _back(ticket)

    def change():
        ticket_work.check_version(ticket, form.version.data)
        choice = form.assignee.data
        assignee = (current_user._get_current_object() if choice == "me"
                    else None if choice == "none" else db.session.get(User, int(choice)))
        ticket_work.assign(ticket, assignee, current_user)
        return _("%(number)s is now assigned to %(name)s.", number=ticket.number,
                 name=assignee.name if assignee else _("nobody"))

    return _act(ticket, change)


@bp.post("/tickets/<number>/move")
@login_required
def move(number):
    ticket = _workable_ticket(number)
    form = MoveForm()
    if not form.validate() or form.action.data not in {a.value for a in AGENT_ACTIONS}:
        flash(_("Choose one of the actions offered."), "error")
        return _back(ticket)
    action = Action(form.action.data)

    def change():
        ticket_work.check_version(ticket, form.version.data)
        ticket_work.move(ticket, action, current_user, (form.note.data or "").strip() or None,
                         catalog=current_catalog())
        return _("%(number)s: %(action)s.", number=ticket.number, action=ACTION_LABELS[action])

    return _act(ticket, change)


@bp.post("/tickets/<number>/reply")
@login_required
def reply(number):
    ticket = _workable_ticket(number)
    form = ReplyForm()
    if not form.validate():
        flash(_first_error(form), "error")
        return _back(ticket)
    uploads = [f for f in (form.files.data or []) if getattr(f, "filename", "")]
    if len(uploads) > 10:
        flash(_("Attach at most 10 files at a time."), "error")
        return _back(ticket)
    stored = []
    try:
        _event, stored = ticket_work.reply(
            ticket, current_user, form.body.data.strip(), catalog=current_catalog(),
            internal=form.internal.data,
            uploads=uploads, upload_folder=current_app.config["UPLOAD_FOLDER"])
    except Exception:
        db.session.rollback()
        files.delete(current_app.config["UPLOAD_FOLDER"], stored)
        raise
    message = (_("Internal note added; the requester cannot see it.") if form.internal.data
               else _("Reply sent to the requester."))
    _commit_or_explain(ticket, message, stored)
    return _back(ticket)


@bp.post("/tickets/<number>/transfer")
@login_required
def transfer(number):
    ticket = _workable_ticket(number)
    form = TransferForm()
    form.team.choices = team_choices(ticket)
    if not form.validate():
        flash(_first_error(form), "error")
        return _back(ticket)
    team = current_catalog().team(form.team.data)

    def change():
        ticket_work.check_version(ticket, form.version.data)
        ticket_work.transfer(ticket, team, current_user, form.reason.data,
                             catalog=current_catalog())
        return _("%(number)s moved to %(team)s.", number=ticket.number,
                 team=localize(team.name, current_locale()))

    # The agent may no longer work (or even see) it; the page says what they may see.
    return _act(ticket, change)


@bp.post("/tickets/<number>/link")
@login_required
def link(number):
    ticket = _workable_ticket(number)
    form = LinkForm()
    if not form.validate():
        flash(_first_error(form), "error")
        return _back(ticket)

    def change():
        other = ticket_work.link(ticket, form.other.data, current_user)
        return _("Linked to %(number)s.", number=other.number)

    return _act(ticket, change)


@bp.post("/tickets/<number>/priority")
@login_required
def priority(number):
    ticket = _workable_ticket(number)
    form = PriorityForm()
    if not form.validate():
        flash(_first_error(form), "error")
        return _back(ticket)

    def change():
        ticket_work.check_version(ticket, form.version.data)
        ticket_work.set_priority(ticket, form.priority.data, current_user,
                                 form.reason.data or "", catalog=current_catalog())
        return _("Priority is now %(p)s.", p=ticket.priority)

    return _act(ticket, change)


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
        flash(_first_error(form), "error")
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
