"""The knowledge base (articles arrive with the knowledge-base work)."""

from flask import Blueprint, render_template

bp = Blueprint("kb", __name__, url_prefix="/kb")


@bp.get("/")
def index():
    return render_template("kb/index.html", articles=[])
