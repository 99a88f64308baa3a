"""`flask users ...`: people for real installs."""

import difflib
from contextlib import contextmanager

import click
from flask.cli import AppGroup
from flask_babel import force_locale

from ..errors import Refused
from ..extensions import db, store_catalog
from .models import Role, User, find_user, normalise_email
from .people import (
    add_member,
    remove_member,
    set_active,
    set_manager,
    set_role,
)
from .teams import team_ids_of

users_cli = AppGroup("users", help="Create and change portal users.")


def get_person(email: str) -> User:
    """The user with this email, or a clean error (exit 1)."""
    user = find_user(email)
    if user is None:
        raise click.ClickException(f"no user has the email {email}")
    return user


def check_team(team_id: str) -> None:
    """A clean error naming the known teams (and the likeliest one) unless `team_id` is one."""
    known = [team.id for team in store_catalog().teams]
    if team_id in known:
        return
    close = difflib.get_close_matches(team_id, known, n=1)
    hint = f" Did you mean {close[0]}?" if close else ""
    raise click.ClickException(
        f"no team {team_id!r} in the catalog.{hint} Known teams: {', '.join(known) or 'none'}")


@contextmanager
def saving():
    """Commit what the block changed; a refused change is an error and saves nothing."""
    try:
        yield
    except Refused as refused:
        db.session.rollback()
        # Messages are translatable; outside a request there is no reader's language to pick.
        with force_locale("en"):
            message = str(refused)
        raise click.ClickException(message) from None
    db.session.commit()


@users_cli.command("create")
@click.argument("email")
@click.option("--name", required=True, help="Full name.")
@click.option("--role", type=click.Choice([r.value for r in Role]), default="requester")
@click.option("--manager", "manager_email", help="Email of this person's manager.")
@click.option("--locale", default=None, help="Preferred language, e.g. pl.")
@click.password_option(help="Password (asked for when not given).")
def create(email, name, role, manager_email, locale, password):
    """Create a user."""
    if find_user(email):
        raise click.ClickException(f"a user with email {email} already exists")
    manager = get_person(manager_email) if manager_email else None
    user = User(email=normalise_email(email), name=name, role=Role(role), locale=locale)
    user.set_password(password)
    with saving():
        db.session.add(user)
        db.session.flush()
        set_manager(user, manager)
    click.echo(f"created {user.email} ({user.role.value})")


@users_cli.command("list")
def list_users():
    """List users with their roles and managers."""
    for user in db.session.scalars(db.select(User).order_by(User.email)):
        manager = user.manager.email if user.manager else "-"
        state = "" if user.active else " (inactive)"
        click.echo(f"{user.email}\t{user.role.value}\tmanager={manager}{state}")


@users_cli.command("add-member")
@click.argument("email")
@click.argument("team_id")
def add_member_command(email, team_id):
    """Add a person to a catalog team."""
    user = get_person(email)
    if team_id in team_ids_of(user):
        click.echo(f"{user.email} is already a member of {team_id}")
        return
    check_team(team_id)
    with saving():
        add_member(user, team_id)
    click.echo(f"added {user.email} to {team_id}")
    if not user.is_agent:
        click.echo(f"note: {user.email} is a {user.role.value}; team queues are for agents "
                   "and admins", err=True)


@users_cli.command("remove-member")
@click.argument("email")
@click.argument("team_id")
def remove_member_command(email, team_id):
    """Remove a person from a team."""
    # The catalog check comes only when they are not a member, so stale memberships can go.
    user = get_person(email)
    if team_id not in team_ids_of(user):
        check_team(team_id)
        click.echo(f"{user.email} is not a member of {team_id}")
        return
    with saving():
        remove_member(user, team_id)
    click.echo(f"removed {user.email} from {team_id}")


@users_cli.command("set-role")
@click.argument("email")
@click.argument("role", type=click.Choice([r.value for r in Role]))
def set_role_command(email, role):
    """Give a person a role."""
    user = get_person(email)
    with saving():
        changed = set_role(user, Role(role))
    click.echo(f"{user.email} is now {role}" if changed else f"{user.email} already is {role}")


@users_cli.command("set-manager")
@click.argument("email")
@click.argument("manager_email", required=False)
@click.option("--none", "clear", is_flag=True, help="Clear the manager.")
def set_manager_command(email, manager_email, clear):
    """Set a person's manager (or clear it with --none)."""
    if bool(manager_email) == clear:
        raise click.UsageError("give either MANAGER_EMAIL or --none")
    user = get_person(email)
    manager = None if clear else get_person(manager_email)
    with saving():
        changed = set_manager(user, manager)
    who = manager.email if manager else "nobody"
    click.echo(f"{user.email}'s manager is now {who}" if changed
               else f"{user.email}'s manager already is {who}")


@users_cli.command("deactivate")
@click.argument("email")
def deactivate(email):
    """Stop a person signing in; their tickets stay."""
    user = get_person(email)
    with saving():
        changed = set_active(user, False)
    click.echo(f"deactivated {user.email}" if changed else f"{user.email} already is inactive")


@users_cli.command("activate")
@click.argument("email")
def activate(email):
    """Let a deactivated person sign in again."""
    user = get_person(email)
    with saving():
        changed = set_active(user, True)
    click.echo(f"activated {user.email}" if changed else f"{user.email} already is active")
