"""`flask kb import|export|reindex`: articles as a folder of Markdown files kept in git."""

from pathlib import Path

import click
from flask.cli import AppGroup
from flask_babel import force_locale

from ..extensions import db
from .files import export_folder, import_folder
from .service import reindex_all

kb_cli = AppGroup("kb", help="Knowledge-base articles as a folder of Markdown files.")


@kb_cli.command("import")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
def import_command(folder: Path):
    """Create or update articles from FOLDER/*.md (by slug); exit 1 if a file was refused."""
    # The service's messages are translatable; outside a request there is no reader to ask.
    with force_locale("en"):
        result = import_folder(folder)
    db.session.commit()
    click.echo(f"created {len(result['created'])}, updated {len(result['updated'])}, "
               f"unchanged {len(result['unchanged'])}")
    for name, message in result["errors"]:
        click.echo(f"{folder / name}: {message}", err=True)
    if result["errors"]:
        raise SystemExit(1)


@kb_cli.command("export")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
def export_command(folder: Path):
    """Write every article to FOLDER/<slug>.md (the folder is created if needed)."""
    count = export_folder(folder)
    click.echo(f"exported {count} article{'' if count == 1 else 's'} to {folder}")


@kb_cli.command("reindex")
def reindex_command():
    """Rebuild the search index from the published articles."""
    count = reindex_all()
    db.session.commit()
    click.echo(f"indexed {count} published article{'' if count == 1 else 's'}")
