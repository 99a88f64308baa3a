"""`flask users ...`: people for real installs."""

import click
from flask.cli import AppGroup

from ..extensions import db
from .models import Role, User, find_user, normalise_email

users_cli = AppGroup("users", help="Create and change portal users.")


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
    user = User(email=normalise_email(email), name=name, role=Role(role), locale=locale)
    user.set_password(password)
    if manager_email:
        manager = find_user(manager_email)
        if manager is None:
            raise click.ClickException(f"no user has the email {manager_email}")
        user.manager = manager
    db.session.add(user)
    db.session.commit()
    click.echo(f"created {user.email} ({user.role.value})")


@users_cli.command("list")
def list_users():
    """List users with their roles and managers."""
    for user in db.session.scalars(db.select(User).order_by(User.email)):
        manager = user.manager.email if user.manager else "-"
        state = "" if user.active else " (inactive)"
        click.echo(f"{user.email}\t{user.role.value}\tmanager={manager}{state}")
