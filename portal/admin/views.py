"""Admin pages: people, their roles, managers and team memberships."""

import secrets

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from wtforms.fields.choices import SelectChoice

from ..auth.models import Role, TeamMember, User, find_user, normalise_email
from ..auth.people import set_active, set_manager, set_role, set_teams
from ..auth.teams import team_ids_of
from ..errors import Refused
from ..extensions import contains, db, login_manager
from ..web.catalog import current_catalog
from ..web.paging import page_arg
from ..web.templating import team_name
from .forms import LOCALE_NAMES, ROLE_LABELS, AddPersonForm, EditPersonForm

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
def admins_only():
    """Signed-out people go to sign-in; everyone else but admins sees a 404, so the admin
    pages' existence does not leak."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not (current_user.is_admin and current_user.active):
        abort(404)


@bp.context_processor
def labels():
    return {"ROLE_LABELS": ROLE_LABELS}


def get_person_or_404(user_id: int) -> User:
    """The person with this id, or a 404 page."""
    # Ids beyond PostgreSQL's integer range would fail in the database rather than not match.
    user = db.session.get(User, user_id) if user_id < 2**31 else None
    if user is None:
        abort(404)
    return user


def memberships(user_ids) -> dict[int, list[str]]:
    """Team ids per person, for the people on one page (one query, not one per row)."""
    teams: dict[int, list[str]] = {}
    rows = db.session.execute(select(TeamMember.user_id, TeamMember.team_id)
                              .where(TeamMember.user_id.in_(user_ids))
                              .order_by(TeamMember.team_id))
    for user_id, team_id in rows:
        teams.setdefault(user_id, []).append(team_id)
    return teams


def manager_from_form(field) -> tuple[bool, User | None]:
    """(ok, manager) for a manager-email field; adds the error to the field when unknown."""
    email = normalise_email(field.data)
    if not email:
        return True, None
    manager = find_user(email)
    if manager is None:
        field.errors.append(_("Nobody has this email."))
        return False, None
    return True, manager


@bp.route("/people", methods=["GET", "POST"])
def people():
    form = AddPersonForm()
    if request.method == "POST":
        created = _add_person(form)
        if created:
            return created
    return _render_people(form, status=422 if request.method == "POST" else 200)


def _add_person(form):
    """Create the person; the response showing the result, or None when the form is invalid."""
    if not form.validate():
        return None
    email = normalise_email(form.email.data)
    if find_user(email):
        form.email.errors.append(_("Someone already has this email."))
        return None
    ok, manager = manager_from_form(form.manager)
    if not ok:
        return None
    user = User(email=email, name=form.name.data, role=Role(form.role.data))
    password = form.password.data or secrets.token_urlsafe(12)
    user.set_password(password)
    db.session.add(user)
    try:
        db.session.flush()
        set_manager(user, manager)
        db.session.commit()
    except Refused as refused:
        db.session.rollback()
        form.manager.errors.append(str(refused))
        return None
    except IntegrityError:  # the same email added at the same moment elsewhere
        db.session.rollback()
        form.email.errors.append(_("Someone already has this email."))
        return None
    if form.password.data:
        flash(_("%(name)s was added.", name=user.name), "success")
        return redirect(url_for("admin.person", user_id=user.id), code=303)
    # A generated password is shown once, in this response only: a redirect would have to
    # carry it in the (signed, not encrypted) session cookie.
    response = current_app.make_response(
        render_template("admin/created.html", person=user, password=password))
    response.headers["Cache-Control"] = "no-store"
    return response


def _render_people(form, status=200):
    query_text = (request.args.get("q") or "").strip()[:200]
    role = request.args.get("role", "")
    role = role if role in {r.value for r in Role} else ""
    query = select(User)
    if query_text:
        query = query.where(or_(contains(User.name, query_text),
                                contains(User.email, query_text)))
    if role:
        query = query.where(User.role == Role(role))
    size = current_app.config["PAGE_SIZE"]
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    pages = max(1, -(-total // size))
    page = min(page_arg(), pages)
    people = db.session.scalars(
        query.options(selectinload(User.manager)).order_by(User.name, User.id)
        .limit(size).offset((page - 1) * size)
    ).all()
    return render_template(
        "admin/people.html", people=people, teams=memberships([p.id for p in people]),
        form=form, q=query_text, role=role, page=page, pages=pages, total=total,
    ), status


@bp.route("/people/<int:user_id>", methods=["GET", "POST"])
def person(user_id):
    user = get_person_or_404(user_id)
    catalog = current_catalog()
    current_teams = set(team_ids_of(user))
    # Memberships of teams gone from the catalog stay listed, so they can be seen and removed.
    unknown_teams = sorted(current_teams - {t.id for t in catalog.teams})
    # Current values; on a POST the submitted ones replace them (an unticked box means off).
    form = EditPersonForm(name=user.name, role=user.role.value, locale=user.locale or "",
                          manager=user.manager.email if user.manager else "",
                          active=user.active, teams=sorted(current_teams))
    team_ids = [team.id for team in catalog.teams] + unknown_teams
    form.teams.choices = [SelectChoice(team_id) for team_id in team_ids]
    if request.method == "POST":
        if form.validate() and _save_person(user, form):
            if not (current_user.is_admin and current_user.active):
                return redirect(url_for("catalog.home"), code=303)  # they demoted themselves
            return redirect(url_for("admin.person", user_id=user.id), code=303)
        status = 422
    else:
        status = 200
    return render_template("admin/person.html", person=user, form=form, catalog=catalog,
                           unknown_teams=unknown_teams), status


def _save_person(user: User, form) -> bool:
    """Apply the form in one transaction and flash what changed; False if refused."""
    ok, manager = manager_from_form(form.manager)
    if not ok:
        return False
    old_manager = user.manager
    changes = []
    try:
        # Role and activation first: their last-admin check locks rows, best before any write.
        if set_role(user, Role(form.role.data)):
            changes.append(_("role is now %(role)s", role=ROLE_LABELS[user.role]))
        if set_active(user, form.active.data):
            changes.append(_("active: may sign in") if user.active
                           else _("deactivated: may no longer sign in"))
        if user.name != form.name.data:
            user.name = form.name.data
            changes.append(_("name is now %(name)s", name=user.name))
        if set_manager(user, manager):
            changes.append(_("manager is now %(name)s", name=manager.name) if manager
                           else _("no manager (was %(name)s)", name=old_manager.name))
        locale = form.locale.data or None
        if user.locale != locale:
            user.locale = locale
            changes.append(_("language is now %(language)s",
                             language=LOCALE_NAMES[form.locale.data]))
        added, removed = set_teams(user, set(form.teams.data))
    except Refused as refused:
        db.session.rollback()
        form[refused.field].errors.append(str(refused))
        return False
    if added:
        changes.append(_("added to %(teams)s", teams=team_list(added)))
    if removed:
        changes.append(_("removed from %(teams)s", teams=team_list(removed)))
    db.session.commit()
    if changes:
        flash(_("Saved %(name)s: %(changes)s.", name=user.name, changes="; ".join(changes)),
              "success")
    else:
        flash(_("Nothing changed for %(name)s.", name=user.name), "info")
    return True


def team_list(team_ids) -> str:
    """Team names for a message, in the reader's language."""
    return ", ".join(team_name(team_id) for team_id in sorted(team_ids))


@bp.get("/teams")
def teams():
    catalog = current_catalog()
    members: dict[str, list[User]] = {}
    rows = db.session.execute(select(TeamMember.team_id, User).join(User)
                              .order_by(User.name, User.id))
    for team_id, user in rows:
        members.setdefault(team_id, []).append(user)
    known = {t.id for t in catalog.teams}
    unknown = {team_id: people for team_id, people in sorted(members.items())
               if team_id not in known}
    return render_template("admin/teams.html", catalog=catalog, members=members,
                           unknown=unknown)
