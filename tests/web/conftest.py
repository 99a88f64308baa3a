"""Fixtures shared by the request tests."""

import os
import shutil

import pytest

from portal.catalog import CatalogStore
from tests.conftest import CATALOGS


@pytest.fixture
def catalog_file(app, tmp_path, monkeypatch):
    """The app serves a copy of the test catalog that the test may edit."""
    path = tmp_path / "catalog.yaml"
    shutil.copy(CATALOGS / "portal.yaml", path)
    monkeypatch.setitem(app.extensions, "catalog_store", CatalogStore(path))
    return path


def save(path, text):
    """Write like an editor would; bump the mtime so even a same-size edit is seen."""
    path.write_text(text, encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
