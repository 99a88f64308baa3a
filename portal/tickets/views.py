"""Status pages, comments, cancelling, My requests and attachment downloads."""

from datetime import UTC, datetime

from flask import (
    Blueprint,
    current_app,
    flash,
    render_template,
    request,
    send_file,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from jinja2_fragments.flask import render_block
from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

from ..errors import Refused
from ..extensions import db
from ..web.catalog import current_catalog
from ..web.htmx import is_htmx
from ..web.paging import page_arg
from . import actions, files
from .access import get_attachment_or_404, get_ticket_or_404, sees_internal, visible_tickets
from .agent_views import agent_forms
from .approvals import current_step
from .forms import CancelForm, CommentForm, ConfirmForm, RatingForm, ReopenForm
from .lifecycle import DONE, FINAL, SOLVED, STATUS_LABELS, Action, can
from .links import to_ticket
from .models import EventKind, Ticket
from .service import add_comment, change_status

bp = Blueprint("tickets", __name__)


def visible_events(ticket, user):
    """The timeline as `user` may read it: internal notes only for staff, never the requester,
    and links only to tickets `user` may open."""
    internal = sees_internal(user, ticket)
    events = [e for e in ticket.events if not e.internal or internal]
    linked = {e.new_value for e in events if e.kind == EventKind.LINK}
    readable = set(db.session.scalars(select(Ticket.number).where(
        Ticket.number.in_(linked), visible_tickets(user)))) if linked else set()
    return [e for e in events if e.kind != EventKind.LINK or e.new_value in readable]


def _render_show(ticket, comment_form=None, cancel_form=None, status=200, rating_form=None):
    is_requester = ticket.requester_id == current_user.id
    window = current_app.config["REOPEN_WINDOW_DAYS"]
    deadline = actions.reopen_deadline(ticket, window) if is_requester else None
    agent = actions.can_work(current_user, ticket)
    return render_template(
        "tickets/show.html", ticket=ticket, events=visible_events(ticket, current_user),
        comment_form=comment_form or CommentForm(), cancel_form=cancel_form or CancelForm(),
        can_cancel=is_requester and can(ticket.status, Action.CANCEL),
        reopen_deadline=deadline,
        can_reopen=deadline is not None and datetime.now(UTC) <= deadline,
        reopen_form=ReopenForm(formdata=None), confirm_form=ConfirmForm(formdata=None),
        can_work=agent, current_approval=current_step(ticket),
        # Only a resolved or closed ticket shows its rating.
        rating=actions.rating_of(ticket) if ticket.status in SOLVED
        else None,
        rating_form=rating_form or RatingForm(formdata=None),
        **(agent_forms(ticket) if agent else {}),
    ), status


@bp.get("/tickets/<number>")
@login_required
def show(number):
    return _render_show(get_ticket_or_404(number, current_user))


@bp.post("/tickets/<number>/comments")
@login_required
def comment(number):
    ticket = get_ticket_or_404(number, current_user)
    form = CommentForm()
    if ticket.status in FINAL:
        form.validate()
        form.body.errors = [_("This ticket is %(status)s; comments are closed.",
                              status=STATUS_LABELS[ticket.status])]
    elif form.validate():
        add_comment(ticket, current_user, form.body.data.strip(), catalog=current_catalog())
        db.session.commit()
        if is_htmx():
            return render_block(
                "tickets/show.html", "timeline", ticket=ticket,
                comment_form=CommentForm(formdata=None),
                events=visible_events(ticket, current_user),
            )
        flash(_("Your comment was added."), "success")
        return to_ticket(ticket, "timeline")
    if is_htmx():
        return render_block("tickets/show.html", "timeline", ticket=ticket, comment_form=form,
                            events=visible_events(ticket, current_user)), 422
    return _render_show(ticket, comment_form=form, status=422)


@bp.post("/tickets/<number>/cancel")
@login_required
def cancel(number):
    ticket = get_ticket_or_404(number, current_user)
    form = CancelForm()
    if ticket.requester_id != current_user.id:
        flash(_("Only the requester can withdraw a request."), "error")
        return to_ticket(ticket)
    if not form.validate():
        return _render_show(ticket, cancel_form=form, status=422)
    try:
        change_status(ticket, Action.CANCEL, current_user, (form.reason.data or "").strip(),
                      catalog=current_catalog())
    except Refused as refused:
        db.session.rollback()
        flash(str(refused), "error")
        return to_ticket(ticket)
    db.session.commit()
    flash(_("Request %(number)s was cancelled.", number=ticket.number), "success")
    return to_ticket(ticket)


@bp.get("/my/requests")
@login_required
def mine():
    state = request.args.get("state", "open")
    if state not in ("open", "closed", "all"):
        state = "open"
    page = page_arg()
    size = current_app.config["PAGE_SIZE"]
    query = select(Ticket).where(Ticket.requester_id == current_user.id)
    if state == "open":
        query = query.where(Ticket.status.not_in(DONE))
    elif state == "closed":
        query = query.where(Ticket.status.in_(DONE))
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    pages = max(1, -(-total // size))
    page = min(page, pages)
    tickets = db.session.scalars(
        query.order_by(Ticket.created_at.desc(), Ticket.id.desc())
        .limit(size).offset((page - 1) * size)
    ).all()
    return render_template("tickets/mine.html", tickets=tickets, state=state, page=page,
                           pages=pages, total=total)


@bp.get("/tickets/<number>/files/<int:attachment_id>")
@login_required
def attachment(number, attachment_id):
    found = get_attachment_or_404(number, attachment_id, current_user)
    path = files.open_path(current_app.config["UPLOAD_FOLDER"], found.storage_key)
    if not path.exists():
        return render_template("errors/error.html", code=404, title=_("File missing"),
                               message=_("This file is no longer stored.")), 404
    # Always a download: an uploaded HTML or SVG file must never run in our origin.
    return send_file(path, mimetype=found.content_type, as_attachment=True,
                     download_name=found.filename, max_age=0)


@bp.post("/tickets/<number>/confirm")
@login_required
def confirm(number):
    ticket = get_ticket_or_404(number, current_user)
    if ticket.requester_id != current_user.id or not ConfirmForm().validate():
        flash(_("Only the requester can confirm a solution."), "error")
        return to_ticket(ticket)
    return _requester_decision(ticket, lambda: actions.confirm(ticket, current_user,
                                                                 catalog=current_catalog()),
                               _("Thank you. The request is closed."))


@bp.post("/tickets/<number>/reopen")
@login_required
def reopen(number):
    ticket = get_ticket_or_404(number, current_user)
    form = ReopenForm()
    if ticket.requester_id != current_user.id:
        flash(_("Only the requester can reopen a request."), "error")
        return to_ticket(ticket)
    if not form.validate():
        return _requester_refused(ticket, form)
    window = current_app.config["REOPEN_WINDOW_DAYS"]
    return _requester_decision(
        ticket, lambda: actions.reopen(ticket, current_user, form.reason.data or "", window,
                                    catalog=current_catalog()),
        _("The request is open again; the team has been told."))


def _requester_refused(ticket, form):
    for errors in form.errors.values():
        flash(errors[0], "error")
        break
    return to_ticket(ticket)


def _requester_decision(ticket, action, success):
    try:
        action()
        db.session.commit()
        flash(success, "success")
    except Refused as why:
        db.session.rollback()
        flash(str(why), "error")
    except StaleDataError:
        db.session.rollback()
        flash(_("The ticket changed a moment ago; look at it again and retry."), "error")
    return to_ticket(ticket)


@bp.post("/tickets/<number>/rating")
@login_required
def rate(number):
    ticket = get_ticket_or_404(number, current_user)
    if ticket.requester_id != current_user.id:
        flash(_("Only the requester can rate a request."), "error")
        return to_ticket(ticket)
    form = RatingForm()
    if not form.validate():
        return _render_show(ticket, rating_form=form, status=422)
    return _requester_decision(
        ticket, lambda: actions.rate(ticket, current_user, int(form.score.data), form.comment.data),
        _("Thank you for rating this request."))
