"""Settings: production refuses what is only safe for trying the portal."""

import pytest

from portal import create_app
from portal.config import DEV_SECRET, ConfigError, normalise_database_url


@pytest.fixture
def production(monkeypatch, tmp_path):
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("PORTAL_INSTANCE", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", "sqlite:///" + str(tmp_path / "p.db"))
    return monkeypatch


def test_production_refuses_the_development_secret(production):
    production.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="real SECRET_KEY"):
        create_app()
    production.setenv("SECRET_KEY", DEV_SECRET)
    with pytest.raises(ConfigError, match="real SECRET_KEY"):
        create_app()


def test_production_refuses_a_short_secret(production):
    production.setenv("SECRET_KEY", "short")
    with pytest.raises(ConfigError, match="too short"):
        create_app()


def test_production_starts_with_a_real_secret_and_refuses_demo_data(production):
    production.setenv("SECRET_KEY", "x" * 40)
    app = create_app()
    assert app.config["SESSION_COOKIE_SECURE"] is True
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code != 0
    assert "refused in production" in result.output


@pytest.mark.parametrize(("given", "used"), [
    ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
    ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
    ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
    ("sqlite:////tmp/x.db", "sqlite:////tmp/x.db"),
])
def test_database_urls_use_psycopg_3(given, used):
    assert normalise_database_url(given) == used


def test_sqlite_goes_through_sqlean_with_percentile():
    # The dashboard's medians on SQLite rely on the stats extension's percentile().
    from portal.extensions import engine_options

    assert engine_options("postgresql+psycopg://db/portal") == {}
    driver = engine_options("sqlite:////tmp/portal.db")["module"]
    connection = driver.connect(":memory:")
    values = "SELECT 1 AS x UNION ALL SELECT 2 UNION ALL SELECT 10"
    assert connection.execute(f"SELECT percentile(x, 50), percentile(x, 90) FROM ({values})"
                              ).fetchone() == (2.0, 8.4)
