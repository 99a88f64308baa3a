"""/healthz (the process answers) and /readyz (the database answers, migrations are current)."""

from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from ..extensions import db

bp = Blueprint("ops", __name__)


@bp.get("/healthz")
def healthz():
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz():
    try:
        with db.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
            current = MigrationContext.configure(conn).get_current_revision()
    except Exception as error:  # any failure means: do not send traffic here
        current_app.logger.warning("not ready: database unreachable: %s", error)
        return jsonify(status="unavailable", database="unreachable"), 503
    head = _head_revision()
    if current != head:
        return jsonify(status="unavailable", database="ok", migration=current,
                       expected=head), 503
    return jsonify(status="ok", database="ok", migration=current)


def _head_revision() -> str | None:
    config = current_app.extensions["migrate"].migrate.get_config()
    return ScriptDirectory.from_config(config).get_current_head()
