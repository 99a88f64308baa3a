"""The service portal: create_app() builds the Flask application."""

import logging
import os

from flask import Flask

from . import config as settings
from .config import ROOT


def create_app(test_config: dict | None = None) -> Flask:
    """Config → extensions → blueprints → CLI → template helpers."""
    app = Flask(
        __name__,
        instance_path=os.environ.get("PORTAL_INSTANCE", str(ROOT / "instance")),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.from_mapping(settings.from_environment(app.instance_path))
    if test_config:
        app.config.from_mapping(test_config)
    settings.check(app.config)
    os.makedirs(app.instance_path, exist_ok=True)
    if app.testing:  # pytest owns the log handlers
        logging.getLogger("portal").setLevel(logging.INFO)
    else:
        from .ops import logs
        logs.configure(json_lines=app.config["LOG_FORMAT"] == "json")

    _init_extensions(app)
    _register_blueprints(app)
    _register_cli(app)
    if app.config.get("MAIL_WORKER_THREAD"):
        from .jobs import start_background_thread
        start_background_thread(app)
    return app


def _init_extensions(app: Flask) -> None:
    from . import models  # noqa: F401 - registers every table with the metadata
    from .auth.session import load_user
    from .catalog import CatalogStore
    from .dashboard.figures import CACHED_ENUMS
    from .extensions import babel, csrf, db, engine_options, login_manager, migrate
    from .ops import cache, logs, metrics
    from .ops.limits import limiter
    from .outbox.render import register_values
    from .tickets.mail_values import KINDS as TICKET_MAIL
    from .tickets.mail_values import ticket_mail_values
    from .web.i18n import select_locale

    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
        **engine_options(app.config["SQLALCHEMY_DATABASE_URI"]),
        **app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {})}
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    # Request ids, timing and rate limits first: a flood is refused before any other work.
    logs.init_app(app)
    metrics.init_app(app)
    limiter.init_app(app)
    cache.init_app(app, enums=CACHED_ENUMS)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.user_loader(load_user)
    register_values(app, TICKET_MAIL, ticket_mail_values)
    # The catalog is a cache of a file, re-read when the file changes: safe per process.
    app.extensions["catalog_store"] = CatalogStore(app.config["CATALOG_PATH"],
                                                   known_kb_slugs=_article_slugs)


def _article_slugs() -> set[str] | None:
    """Published article slugs, so the catalog check warns about `kb:` links to nothing;
    None (no check) when there is no database yet, e.g. checking a catalog before install."""
    from sqlalchemy import select
    from sqlalchemy.exc import SQLAlchemyError

    from .extensions import db
    from .kb.models import Article, ArticleStatus

    try:
        return set(db.session.scalars(
            select(Article.slug).where(Article.status == ArticleStatus.PUBLISHED)))
    except SQLAlchemyError:
        db.session.rollback()
        return None


def _register_blueprints(app: Flask) -> None:
    from .admin.views import bp as admin_bp
    from .auth.models import Role
    from .auth.views import bp as auth_bp
    from .catalog_pages.views import bp as catalog_pages_bp
    from .dashboard.views import bp as dashboard_bp
    from .forms import templating as form_templating
    from .kb.authoring import bp as kb_authoring_bp
    from .kb.views import bp as kb_bp
    from .ops.health import bp as health_bp
    from .ops.metrics import bp as metrics_bp
    from .tickets import templating as ticket_templating
    from .tickets.agent_views import bp as agent_bp
    from .tickets.views import bp as tickets_bp
    from .web import converters, errors, headers, htmx, templating
    from .work.views import bp as work_bp

    converters.register(app)
    app.register_blueprint(auth_bp)
    app.register_blueprint(catalog_pages_bp)
    app.register_blueprint(tickets_bp)
    app.register_blueprint(kb_bp)
    app.register_blueprint(kb_authoring_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(agent_bp)
    app.register_blueprint(work_bp)
    app.register_blueprint(dashboard_bp)
    app.register_blueprint(health_bp)
    app.register_blueprint(metrics_bp)
    errors.register(app)
    htmx.register(app)
    headers.register(app)
    templating.register(app)
    ticket_templating.register(app)
    form_templating.register(app)
    app.jinja_env.globals["Role"] = Role  # the navigation shows each role its own links


def _register_cli(app: Flask) -> None:
    from .auth.cli import users_cli
    from .commands.catalog import catalog_cli
    from .demo import demo_cli
    from .jobs import worker_cli
    from .kb.cli import kb_cli
    from .outbox.cli import outbox_cli
    from .tickets.cli import sla_cli, tickets_cli

    app.cli.add_command(catalog_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(worker_cli)
    app.cli.add_command(outbox_cli)
    app.cli.add_command(kb_cli)
    app.cli.add_command(tickets_cli)
    app.cli.add_command(sla_cli)
