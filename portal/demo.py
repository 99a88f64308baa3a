"""Demo people for `make run`; refused in production."""

import click
from flask import current_app
from flask.cli import AppGroup

from .auth.models import Role, TeamMember, User, find_user
from .config import ROOT
from .extensions import db

# Demo accounts; refused in production.
DEMO_PASSWORD = "demo"  # nosec B105
DEMO_PEOPLE = [
    # email, name, role, manager email, locale
    ("manager@example.com", "Maria Manager", Role.MANAGER, None, None),
    ("requester@example.com", "Robin Requester", Role.REQUESTER, "manager@example.com", None),
    ("agent@example.com", "Alex Agent", Role.AGENT, "manager@example.com", None),
    ("agent2@example.com", "Sam Specialist", Role.AGENT, "manager@example.com", None),
    ("admin@example.com", "Ada Admin", Role.ADMIN, None, None),
    ("cfo@example.com", "Casey CFO", Role.MANAGER, None, None),
    ("ania@example.com", "Anna Kowalska", Role.REQUESTER, "manager@example.com", "pl"),
]
DEMO_TEAMS = [("agent@example.com", "service-desk"), ("agent2@example.com", "desktop-support"),
              ("agent2@example.com", "security"), ("manager@example.com", "procurement")]

demo_cli = AppGroup("demo", help="Demo data for trying the portal.")


def load_demo() -> list[str]:
    """Create the demo people and team memberships if missing; return the emails created."""
    created = []
    for email, name, role, manager_email, locale in DEMO_PEOPLE:
        if find_user(email):
            continue
        user = User(email=email, name=name, role=role, locale=locale)
        user.set_password(DEMO_PASSWORD)
        if manager_email:
            user.manager = find_user(manager_email)
        db.session.add(user)
        db.session.flush()
        created.append(email)
    for email, team_id in DEMO_TEAMS:
        user = find_user(email)
        if db.session.get(TeamMember, (team_id, user.id)) is None:
            db.session.add(TeamMember(team_id=team_id, user_id=user.id))
    db.session.commit()
    return created


def load_articles() -> dict:
    """The demo knowledge base from kb/ (update by slug, so loading twice changes nothing)."""
    from .kb.files import import_folder

    result = import_folder(ROOT / "kb", editor=find_user("agent@example.com"))
    db.session.commit()
    for name, message in result["errors"]:
        click.echo(f"kb/{name}: {message}", err=True)
    return result


@demo_cli.command("load")
def load():
    """Create demo accounts (idempotent); refused in production."""
    if not current_app.config["DEMO"]:
        raise click.ClickException("demo data is refused in production (PORTAL_ENV=production)")
    created = load_demo()
    articles = load_articles()
    from .demo_history import load_history
    from .extensions import store_catalog
    tickets = load_history(store_catalog())
    click.echo(f"demo data ready ({len(created)} new accounts, {len(articles['created'])} new "
               f"and {len(articles['updated'])} updated articles, {tickets} tickets of history)")
    click.echo("Portal: http://127.0.0.1:5000")
    click.echo(f"Demo accounts (password '{DEMO_PASSWORD}'):")
    for email, _name, role, _m, _l in DEMO_PEOPLE:
        click.echo(f"  {email:26} {role.value}")
