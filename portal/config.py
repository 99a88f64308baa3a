"""Settings from the environment; production refuses the development secret."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# A development default only: check() refuses it in production.
DEV_SECRET = "dev-secret-not-for-production"  # nosec B105

HTMX_URL = "https://cdn.jsdelivr.net/npm/htmx.org@2.0.11/dist/htmx.min.js"
HTMX_SRI = "sha384-2OatzQy1H+Zd/IIrjr1TcuDGqLXeHhbooAyJY1KdQMKnr4LZ22k31GBLdYKHmVjg"

# The interface languages, each named in its own language (the language menus show these).
LANGUAGES = {"en": "English", "pl": "Polski", "es": "Español", "fa": "فارسی"}
# Ticket priorities, most urgent first.
PRIORITIES = ("P1", "P2", "P3", "P4")


class ConfigError(RuntimeError):
    """The environment does not describe a safe configuration."""


def from_environment(instance_path: str) -> dict:
    """Build the settings dict from environment variables with development defaults."""
    env = os.environ.get("PORTAL_ENV", "development")
    default_db = "sqlite:///" + os.path.join(instance_path, "portal.db")
    return {
        "PORTAL_ENV": env,
        "SECRET_KEY": os.environ.get("SECRET_KEY", DEV_SECRET),
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(
            os.environ.get("DATABASE_URL", default_db)
        ),
        "CATALOG_PATH": os.environ.get("PORTAL_CATALOG", str(ROOT / "catalog.yaml")),
        "UPLOAD_FOLDER": os.environ.get("UPLOAD_FOLDER", os.path.join(instance_path, "uploads")),
        "MAIL_OUTBOX_DIR": os.path.join(instance_path, "mail"),
        # Absolute links in e-mails; its host also names the Message-IDs.
        "PORTAL_URL": os.environ.get("PORTAL_URL", "http://127.0.0.1:5000").rstrip("/"),
        "MAIL_BACKEND": os.environ.get(
            "MAIL_BACKEND", "smtp" if os.environ.get("MAIL_SERVER") else "console"),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", "localhost"),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", 25)),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME"),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD"),
        "MAIL_USE_TLS": env_flag("MAIL_USE_TLS"),
        "MAIL_USE_SSL": env_flag("MAIL_USE_SSL"),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "IT Service Portal <noreply@localhost>"),
        "MAIL_TIMEOUT": float(os.environ.get("MAIL_TIMEOUT", 10)),
        "MAIL_MAX_ATTEMPTS": int(os.environ.get("MAIL_MAX_ATTEMPTS", 12)),
        "MAIL_WORKER_THREAD": env_flag("MAIL_WORKER_THREAD"),
        # The whole request body; per-field limits come from the catalog's max_size.
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_UPLOAD_BYTES", 25 * 1024 * 1024)),
        "HTMX_URL": os.environ.get("HTMX_URL", HTMX_URL),
        "HTMX_SRI": os.environ.get("HTMX_SRI", HTMX_SRI if "HTMX_URL" not in os.environ else ""),
        "DEMO": env != "production",
        "LANGUAGES": list(LANGUAGES),
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_TRANSLATION_DIRECTORIES": str(ROOT / "portal" / "translations"),
        "PAGE_SIZE": 20,
        "REOPEN_WINDOW_DAYS": int(os.environ.get("REOPEN_WINDOW_DAYS", 7)),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": env == "production",
        "WTF_CSRF_TIME_LIMIT": None,
        # Logs: one JSON object per line in production, readable text in development.
        "LOG_FORMAT": os.environ.get("LOG_FORMAT", "json" if env == "production" else "text"),
        # Rate limits: in Redis when REDIS_URL is set, else in the database; all workers share them.
        "RATELIMIT_STORAGE_URI": os.environ.get("REDIS_URL", "portal-db://"),
        # Redis also holds the cache shared by all workers (otherwise each process keeps its own).
        "REDIS_URL": os.environ.get("REDIS_URL"),
        "DASHBOARD_CACHE_SECONDS": int(os.environ.get("DASHBOARD_CACHE_SECONDS", 60)),
        "RATELIMIT_ENABLED": not env_flag("RATELIMIT_DISABLED"),
        "RATELIMIT_HEADERS_ENABLED": True,
        "METRICS_TOKEN": os.environ.get("METRICS_TOKEN", ""),
        # Strict-Transport-Security in production (a year); 0 sends none.
        "HSTS_SECONDS": int(os.environ.get("HSTS_SECONDS",
                                           31536000 if env == "production" else 0)),
    }


def env_flag(name: str) -> bool:
    """A yes/no setting: 1, true, yes or on (any case) mean yes."""
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for plain postgres:// URLs, as hosting platforms hand them out."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def check(config) -> None:
    """Refuse settings that must never reach production."""
    if config["PORTAL_ENV"] == "production":
        if not config["SECRET_KEY"] or config["SECRET_KEY"] == DEV_SECRET:
            raise ConfigError("PORTAL_ENV=production needs a real SECRET_KEY")
        if len(config["SECRET_KEY"]) < 16:
            raise ConfigError("SECRET_KEY is too short for production (16 characters at least)")
