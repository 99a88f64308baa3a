"""CatalogStore: stat-based reload, last good catalog kept, problems exposed."""

import logging
import os
import threading

import pytest

import portal.catalog.store as store_module
from portal.catalog import CatalogStore

from .helpers import HEADER

GOOD = HEADER
RENAMED = HEADER.replace("name: Laptop", "name: Notebook")
BROKEN = HEADER + "    tipe: oops\n"


def save(path, text):
    """Write and move mtime forward, so even a same-size edit within one tick is seen."""
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    stamp = max(path.stat().st_mtime_ns, before + 1_000_000_000)
    os.utime(path, ns=(stamp, stamp))


@pytest.fixture
def checks(monkeypatch):
    """Counts how often the store parses the catalog."""
    calls = []
    real = store_module.check_catalog

    def counting(path, slugs=None):
        calls.append(path)
        return real(path, slugs)

    monkeypatch.setattr(store_module, "check_catalog", counting)
    return calls


def test_unchanged_files_are_not_parsed_again(tmp_path, checks):
    path = tmp_path / "catalog.yaml"
    save(path, GOOD)
    store = CatalogStore(path)
    first = store.get()
    assert store.get() is first and store.get() is first
    assert len(checks) == 1
    assert first.item("laptop").name == "Laptop"
    assert store.problems == [] and not store.has_errors


def test_an_edit_is_picked_up(tmp_path, checks):
    path = tmp_path / "catalog.yaml"
    save(path, GOOD)
    store = CatalogStore(path)
    store.get()
    save(path, RENAMED)
    assert store.get().item("laptop").name == "Notebook"
    assert len(checks) == 2


def test_a_broken_edit_keeps_the_last_good_catalog_until_fixed(tmp_path, checks, caplog):
    path = tmp_path / "catalog.yaml"
    save(path, GOOD)
    store = CatalogStore(path)
    good = store.get()
    save(path, BROKEN)
    with caplog.at_level(logging.ERROR, logger="portal.catalog"):
        assert store.get() is good
    assert store.has_errors
    assert [p.message for p in store.problems] == ["unknown key 'tipe' (did you mean 'type'?)"]
    assert store.problems[0].line == 11
    assert "keeping the last good catalog" in caplog.text
    assert "unknown key 'tipe'" in caplog.text
    assert store.get() is good and len(checks) == 2  # not re-parsed while still broken
    save(path, RENAMED)
    assert store.get().item("laptop").name == "Notebook"
    assert not store.has_errors and store.problems == []


def test_without_a_good_catalog_get_returns_an_empty_one(tmp_path):
    store = CatalogStore(tmp_path / "missing.yaml")
    assert store.get().items == []
    assert store.has_errors
    save(tmp_path / "missing.yaml", GOOD)
    assert [i.id for i in store.get().items] == ["laptop"]


def test_included_files_added_changed_and_removed(tmp_path, checks):
    main = tmp_path / "catalog.yaml"
    save(main, GOOD + "include: [parts/*.yaml]\n")
    store = CatalogStore(main)
    assert [i.id for i in store.get().items] == ["laptop"]
    assert store.problems[0].message == "include pattern 'parts/*.yaml' matches no file"
    extra = "items:\n  - {id: mouse, category: hw, name: Mouse, team: desk}\n"
    save(tmp_path / "parts" / "a.yaml", extra)
    assert [i.id for i in store.get().items] == ["laptop", "mouse"]
    store.get()
    assert len(checks) == 2
    save(tmp_path / "parts" / "a.yaml", extra.replace("Mouse", "A mouse"))
    assert store.get().item("mouse").name == "A mouse"
    (tmp_path / "parts" / "a.yaml").unlink()
    assert [i.id for i in store.get().items] == ["laptop"]
    assert len(checks) == 4


def test_known_kb_slugs_are_asked_on_each_check(tmp_path):
    path = tmp_path / "catalog.yaml"
    save(path, GOOD + "    kb: [vpn]\n")
    store = CatalogStore(path, known_kb_slugs=lambda: {"vpn-setup"})
    store.get()
    assert [str(p.message) for p in store.problems] == [
        "no knowledge-base article 'vpn'"]
    assert not store.has_errors


def test_concurrent_gets_parse_once(tmp_path, checks):
    path = tmp_path / "catalog.yaml"
    save(path, GOOD)
    store = CatalogStore(path)
    results = []
    threads = [threading.Thread(target=lambda: results.append(store.get())) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(checks) == 1 and len({id(r) for r in results}) == 1


def test_the_catalog_package_is_pure_data():
    import subprocess
    import sys
    from pathlib import Path

    portal_dir = Path(store_module.__file__).resolve().parents[1]
    # portal/__init__.py builds the Flask app; a bare package stands in for it here.
    code = ("import sys, types; package = types.ModuleType('portal'); "
            f"package.__path__ = [{str(portal_dir)!r}]; sys.modules['portal'] = package; "
            "import portal.catalog, portal.catalog.store; "
            "print([m for m in sys.modules if m.split('.')[0] in ('flask', 'sqlalchemy')])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


def test_an_unexpected_failure_while_checking_keeps_the_last_good_catalog(
        tmp_path, monkeypatch, caplog):
    path = tmp_path / "catalog.yaml"
    save(path, GOOD)
    store = CatalogStore(path)
    good = store.get()

    def broken(*args):
        raise KeyError("surprise")

    monkeypatch.setattr("portal.catalog.checks.structural_problems", broken)
    save(path, RENAMED)
    with caplog.at_level(logging.ERROR, logger="portal.catalog"):
        assert store.get() is good
    assert store.has_errors
    [problem] = store.problems
    assert (problem.file, problem.line, problem.col) == (str(path), 1, 1)
    assert "could not be checked (KeyError: 'surprise')" in problem.message
    assert "surprise" in caplog.text and "Traceback" in caplog.text
    monkeypatch.undo()
    save(path, RENAMED + "\n")
    assert store.get().item("laptop").name == "Notebook" and not store.has_errors


def test_get_never_raises_even_when_the_store_itself_fails(tmp_path, monkeypatch):
    path = tmp_path / "catalog.yaml"
    save(path, GOOD)
    store = CatalogStore(path)
    good = store.get()

    def broken(*args):
        raise MemoryError()

    monkeypatch.setattr(store_module, "check_catalog", broken)
    save(path, RENAMED)
    assert store.get() is good and store.has_errors
    assert "MemoryError" in store.problems[0].message


@pytest.mark.parametrize("text", ["", "# all gone\n", "version: 1\n",
                                  HEADER.split("items:")[0]])
def test_an_edit_that_empties_the_catalog_keeps_the_last_good_one(tmp_path, text):
    path = tmp_path / "catalog.yaml"
    save(path, GOOD)
    store = CatalogStore(path)
    good = store.get()
    save(path, text)
    assert store.get() is good
    assert store.has_errors and store.alerts == store.problems
    assert store.problems[0].message.startswith("the catalog has no items")


def test_a_lost_include_file_and_a_lost_category_are_alerts(tmp_path):
    main = tmp_path / "catalog.yaml"
    save(main, GOOD + "include: [parts/*.yaml]\n")
    extra = ("categories: [{id: net, name: Network}]\n"
             "items:\n  - {id: vpn, category: net, name: VPN, team: desk}\n")
    save(tmp_path / "parts" / "a.yaml", extra)
    save(tmp_path / "parts" / "b.yaml", "teams: [{id: other, name: Other}]\n")
    store = CatalogStore(main)
    assert [i.id for i in store.get().items] == ["laptop", "vpn"]
    assert store.alerts == []
    (tmp_path / "parts" / "a.yaml").unlink()
    assert [i.id for i in store.get().items] == ["laptop"]
    assert not store.has_errors
    messages = [(p.line, p.message) for p in store.alerts]
    assert messages == [
        (11, f"{tmp_path / 'parts' / 'a.yaml'} is no longer included (the include: patterns "
             "now match 1 files, 2 before)"),
        (4, "category 'net' of the catalog in service is gone"),
    ]
    assert all(not p.is_error for p in store.alerts)
