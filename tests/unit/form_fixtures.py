"""Fixtures for tests that build generated forms outside a browser: the test catalog, and
CSRF off (it has its own request tests). Import them into a test module to use them."""

import pytest

from portal.catalog import check_catalog
from tests.conftest import CATALOGS


@pytest.fixture(scope="module")
def catalog():
    result = check_catalog(CATALOGS / "portal.yaml")
    assert result.errors == []
    return result.catalog


@pytest.fixture(autouse=True)
def _no_csrf(app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
