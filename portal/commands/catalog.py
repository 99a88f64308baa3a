"""`flask catalog check` and `flask catalog schema`: the catalog maintainer's tools."""

import json

import click
from flask import current_app
from flask.cli import AppGroup

from ..catalog import check_catalog, json_schema
from ..catalog.problems import count_summary, plural

catalog_cli = AppGroup("catalog", help="Check catalog.yaml and export its JSON Schema.")


def known_kb_slugs() -> set[str] | None:
    """The knowledge-base slugs, when the app's catalog store was given a way to list them."""
    store = current_app.extensions.get("catalog_store")
    slugs = getattr(store, "known_kb_slugs", None)
    if not slugs:
        return None
    try:
        return slugs()
    except Exception as error:  # no database here: check the catalog all the same
        click.echo(f"warning: knowledge-base slugs not checked ({type(error).__name__})",
                   err=True)
        return None


@catalog_cli.command("check")
@click.argument("path", required=False, type=click.Path(dir_okay=False))
def check(path):
    """Check the catalog (default: CATALOG_PATH) and its includes; exit 1 on any error."""
    path = path or current_app.config["CATALOG_PATH"]
    result = check_catalog(path, known_kb_slugs())
    for problem in result.problems:
        click.echo(str(problem))
    errors, warnings = len(result.errors), len(result.warnings)
    if errors:
        click.echo(count_summary(result.problems))
        raise SystemExit(1)
    catalog = result.catalog
    categories = len(catalog.categories)
    summary = (f"catalog OK: {plural(len(catalog.items), 'item')} in {categories} "
               f"{'category' if categories == 1 else 'categories'}")
    click.echo(summary + (f" ({plural(warnings, 'warning')})" if warnings else ""))


@catalog_cli.command("schema")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True),
              help="Write to this file instead of printing.")
def schema(output):
    """Print (or write) the catalog's JSON Schema, for editors."""
    text = json.dumps(json_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    if output:
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(text)
        click.echo(f"wrote {output}")
    else:
        click.echo(text, nl=False)
