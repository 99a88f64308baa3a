"""`flask kb import|export` (filled in by the authoring work)."""

from flask.cli import AppGroup

kb_cli = AppGroup("kb", help="Knowledge-base articles as a folder of Markdown files.")
