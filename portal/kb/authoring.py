"""Writing and revising articles (filled in by the authoring work)."""

from flask import Blueprint

bp = Blueprint("kb_authoring", __name__, url_prefix="/kb")
