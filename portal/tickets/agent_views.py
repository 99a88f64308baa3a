"""What an agent does to one ticket from its page: assign, move, reply, transfer, link and
re-prioritise. Every handler opens the same way (agent_action), acts through work.py and
returns to the ticket page, which shows what happened."""

import functools

from flask import Blueprint, abort, current_app, flash
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from ..auth.models import User
from ..auth.teams import active_members
from ..catalog import localize
from ..extensions import db
from ..web.catalog import current_catalog
from ..web.i18n import current_locale
from . import actions, files
from .access import get_ticket_or_404
from .agent_forms import (
    AssignForm,
    LinkForm,
    MoveForm,
    PriorityForm,
    ReplyForm,
    TransferForm,
)
from .lifecycle import ACTION_LABELS, Action, agent_actions
from .links import to_ticket
from .models import Ticket
from .outcomes import act, commit_or_explain, first_error

bp = Blueprint("agent", __name__)


def workable_ticket(number: str) -> Ticket:
    """The ticket, if the signed-in agent works it; a 404 otherwise (no existence leak)."""
    ticket = get_ticket_or_404(number, current_user)
    if not actions.can_work(current_user, ticket):
        abort(404)
    return ticket


def assign_choices(ticket: Ticket) -> list[SelectChoice]:
    choices = [SelectChoice("me", _("Me")), SelectChoice("none", _("Nobody"))]
    choices += [SelectChoice(str(u.id), u.name)
                for u in active_members(ticket.team_id, by_name=True)
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
        "agent_actions": [(a, ACTION_LABELS[a]) for a in agent_actions(ticket.status)],
        "linked": actions.linked_tickets(ticket, current_user),
    }


def agent_action(form_class, **choices):
    """Register POST /tickets/<number>/<name> for view(ticket, form): the opening every
    handler shares. The ticket (404 unless this agent works it), the form with its choices
    filled per ticket, validated; an invalid form goes back to the page with its first error.
    The view's answer, or else the ticket page, is the response."""

    def register(view):
        @functools.wraps(view)
        def handler(number):
            ticket = workable_ticket(number)
            form = form_class()
            for field, choices_of in choices.items():
                getattr(form, field).choices = choices_of(ticket)
            if not form.validate():
                flash(first_error(form), "error")
            else:
                view(ticket, form)
            return to_ticket(ticket)

        bp.add_url_rule(f"/tickets/<number>/{view.__name__}", view_func=login_required(handler),
                        methods=["POST"])
        return handler

    return register


def versioned(ticket, form, change):
    """Act only if the page the agent saw is still current, then change."""
    def checked():
        actions.check_version(ticket, form.version.data)
        return change()
    act(checked)


@agent_action(AssignForm, assignee=assign_choices)
def assign(ticket, form):
    def change():
        choice = form.assignee.data
        assignee = (current_user._get_current_object() if choice == "me"
                    else None if choice == "none" else db.session.get(User, int(choice)))
        actions.assign(ticket, assignee, current_user)
        return _("%(number)s is now assigned to %(name)s.", number=ticket.number,
                 name=assignee.name if assignee else _("nobody"))
    versioned(ticket, form, change)


@agent_action(MoveForm)
def move(ticket, form):
    action = Action(form.action.data)

    def change():
        actions.move(ticket, action, current_user, (form.note.data or "").strip() or None,
                         catalog=current_catalog())
        return _("%(number)s: %(action)s.", number=ticket.number, action=ACTION_LABELS[action])
    versioned(ticket, form, change)


@agent_action(ReplyForm)
def reply(ticket, form):
    uploads = [f for f in (form.files.data or []) if getattr(f, "filename", "")]
    if len(uploads) > 10:
        flash(_("Attach at most 10 files at a time."), "error")
        return
    stored = []
    try:
        _event, stored = actions.reply(
            ticket, current_user, form.body.data.strip(), catalog=current_catalog(),
            internal=form.internal.data,
            uploads=uploads, upload_folder=current_app.config["UPLOAD_FOLDER"])
    except Exception:
        db.session.rollback()
        files.delete(current_app.config["UPLOAD_FOLDER"], stored)
        raise
    commit_or_explain(_("Internal note added; the requester cannot see it.")
                      if form.internal.data else _("Reply sent to the requester."), stored)


@agent_action(TransferForm, team=team_choices)
def transfer(ticket, form):
    team = current_catalog().team(form.team.data)

    def change():
        actions.transfer(ticket, team, current_user, form.reason.data,
                             catalog=current_catalog())
        return _("%(number)s moved to %(team)s.", number=ticket.number,
                 team=localize(team.name, current_locale()))
    # The agent may no longer work (or even see) it; the page says what they may see.
    versioned(ticket, form, change)


@agent_action(LinkForm)
def link(ticket, form):
    def change():
        other = actions.link(ticket, form.other.data, current_user)
        return _("Linked to %(number)s.", number=other.number)
    act(change)


@agent_action(PriorityForm)
def priority(ticket, form):
    def change():
        actions.set_priority(ticket, form.priority.data, current_user,
                                 form.reason.data or "", catalog=current_catalog())
        return _("Priority is now %(p)s.", p=ticket.priority)
    versioned(ticket, form, change)
