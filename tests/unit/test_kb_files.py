"""Articles as a folder of Markdown files: export → import → export is stable, importing twice
changes nothing, and a broken file is reported without stopping the others."""

from pathlib import Path

import pytest
from sqlalchemy import delete, func, select

from portal.extensions import db
from portal.kb.files import export_folder, import_folder, read_article_file
from portal.kb.models import Article, ArticleStatus, Revision
from portal.kb.service import save_article

ARTICLES = [
    dict(slug="reset-your-password", title="Reset your password: the quick way",
         body="Open **Settings**.\n\n## Steps\n\n1. Click *Forgot*\n2. Check your mail\n",
         category="Accounts", tags=["Password", "sign in"], status=ArticleStatus.PUBLISHED),
    dict(slug="vpn", title="VPN: 2024", summary="Connect from home, step by step.",
         body="| Port | Use |\n|---|---|\n| 443 | VPN |\n\n```sh\nvpn up\n```",
         category="Network", tags=[], status=ArticleStatus.DRAFT),
    dict(slug="drukarka", title="Drukarka nie drukuje — co zrobić?", language="pl",
         body="Sprawdź kabel.\n\n---\n\nPotem: `lpstat -t`.", category="Sprzęt",
         tags=["drukarka", "yes"], status=ArticleStatus.ARCHIVED),
    dict(slug="wifi-fa", title="اتصال به وای‌فای", language="fa", body="رمز را وارد کنید.",
         category="", tags=["شبکه"], status=ArticleStatus.PUBLISHED),
    dict(slug="empty", title="true", body="", status=ArticleStatus.DRAFT),
]


def make_articles():
    for values in ARTICLES:
        values = dict(values)
        save_article(Article(slug=values.pop("slug")), None, "test", **values)
    db.session.commit()


def files_of(folder: Path) -> dict:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.md"))}


def revision_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Revision))


def write(folder: Path, name: str, text: str) -> None:
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


def test_export_import_export_gives_identical_files(app_ctx, tmp_path):
    make_articles()
    assert export_folder(tmp_path / "one") == len(ARTICLES)
    first = files_of(tmp_path / "one")
    assert first["vpn.md"].startswith("---\ntitle: 'VPN: 2024'\nslug: vpn\ncategory: Network\n"
                                      "tags: []\nstatus: draft\nlanguage: en\n"
                                      "summary: Connect from home, step by step.\n---\n\n")
    assert "title: اتصال به وای‌فای" in first["wifi-fa.md"]  # readable, not \u escapes
    assert "summary" not in first["reset-your-password.md"]  # automatic: follows the body

    # Into an empty knowledge base, then out again.
    db.session.execute(delete(Article))
    db.session.commit()
    result = import_folder(tmp_path / "one")
    db.session.commit()
    assert sorted(result["created"]) == sorted(a["slug"] for a in ARTICLES)
    assert result["errors"] == [] and result["updated"] == [] and result["unchanged"] == []
    export_folder(tmp_path / "two")
    assert files_of(tmp_path / "two") == first

    article = db.session.scalar(select(Article).where(Article.slug == "drukarka"))
    assert article.status == ArticleStatus.ARCHIVED and article.language == "pl"
    assert article.tags == ["drukarka", "yes"] and article.category == "Sprzęt"
    assert article.revisions[-1].note == "Imported from drukarka.md"


def test_importing_twice_leaves_no_new_revisions(app_ctx, tmp_path):
    make_articles()
    export_folder(tmp_path)
    before = revision_count()
    for _round in range(2):
        result = import_folder(tmp_path)
        db.session.commit()
        assert sorted(result["unchanged"]) == sorted(a["slug"] for a in ARTICLES)
        assert result["created"] == result["updated"] == result["errors"] == []
    assert revision_count() == before


def test_a_changed_file_updates_its_article_with_a_revision(app_ctx, tmp_path):
    make_articles()
    export_folder(tmp_path)
    path = tmp_path / "vpn.md"
    path.write_text(path.read_text().replace("vpn up", "vpn up --all")
                    .replace("status: draft", "status: published"), encoding="utf-8")
    result = import_folder(tmp_path)
    db.session.commit()
    assert result["updated"] == ["vpn"]
    article = db.session.scalar(select(Article).where(Article.slug == "vpn"))
    assert "vpn up --all" in article.body and article.status == ArticleStatus.PUBLISHED
    assert article.published_at is not None
    assert [r.note for r in article.revisions] == ["test", "Imported from vpn.md"]


BROKEN = {
    "no-front-matter.md": ("Just text.", "no front matter"),
    "bad-yaml.md": ("---\ntitle: [unclosed\n---\nx", "invalid YAML"),
    "no-title.md": ("---\nslug: no-title\n---\nBody", "title is missing"),
    "bad-status.md": ("---\ntitle: T\nstatus: live\n---\n", "status 'live' is not one of"),
    "bad-language.md": ("---\ntitle: T\nlanguage: de\n---\n", "language 'de' is not one of"),
    "typo.md": ("---\ntitle: T\ncategroy: X\n---\n", "unknown key categroy"),
    "mismatch.md": ("---\ntitle: T\nslug: other\n---\n", "differs from the file name"),
    "Bad Name.md": ("---\ntitle: T\n---\n", "cannot be a slug"),
    "new.md": ("---\ntitle: T\n---\n", "cannot be a slug"),
    "list.md": ("---\n- a\n- b\n---\n", "must be keys and values"),
    "tags.md": ("---\ntitle: T\ntags:\n  a: b\n---\n", "tags must be a list"),
}


def test_a_broken_file_is_reported_and_the_others_are_imported(app_ctx, tmp_path):
    make_articles()
    write(tmp_path, "good.md", "---\ntitle: Good one\ntags: [a, b]\n---\n\nFine.\n")
    for name, (text, _reason) in BROKEN.items():
        write(tmp_path, name, text)
    # A broken file for an existing article leaves that article exactly as it was.
    write(tmp_path, "vpn.md", "---\ntitle: VPN\nstatus: nonsense\n---\n\nGone?\n")
    (tmp_path / "binary.md").write_bytes(b"\xff\xfe\x00junk")
    result = import_folder(tmp_path)
    db.session.commit()
    assert result["created"] == ["good"]
    errors = dict(result["errors"])
    assert set(errors) == set(BROKEN) | {"vpn.md", "binary.md"}
    for name, (_text, reason) in BROKEN.items():
        assert reason in errors[name], (name, errors[name])
    vpn = db.session.scalar(select(Article).where(Article.slug == "vpn"))
    assert vpn.title == "VPN: 2024" and "Gone?" not in vpn.body and len(vpn.revisions) == 1
    good = db.session.scalar(select(Article).where(Article.slug == "good"))
    assert good.tags == ["a", "b"] and good.body == "Fine." and good.status == ArticleStatus.DRAFT


def test_crlf_files_and_a_byte_order_mark_are_read(tmp_path):
    write(tmp_path, "win.md", "")
    (tmp_path / "win.md").write_bytes(
        "\ufeff---\r\ntitle: Windows\r\nslug: win\r\n---\r\n\r\nLine one\r\nLine two\r\n"
        .encode())
    values = read_article_file(tmp_path / "win.md")
    assert values["title"] == "Windows" and values["body"] == "Line one\nLine two"


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def test_the_commands(app, runner, tmp_path):
    with app.app_context():
        make_articles()
    result = runner.invoke(args=["kb", "export", str(tmp_path / "out")])
    assert result.exit_code == 0 and f"exported {len(ARTICLES)} articles" in result.output
    result = runner.invoke(args=["kb", "import", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"created 0, updated 0, unchanged {len(ARTICLES)}"

    write(tmp_path / "out", "broken.md", "no front matter")
    write(tmp_path / "out", "extra.md", "---\ntitle: Extra\n---\nx")
    result = runner.invoke(args=["kb", "import", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert f"created 1, updated 0, unchanged {len(ARTICLES)}" in result.stdout
    assert "broken.md: no front matter" in result.stderr
    with app.app_context():  # the good file was saved even though another failed
        assert db.session.scalar(select(Article.id).where(Article.slug == "extra"))

    result = runner.invoke(args=["kb", "reindex"])
    assert result.exit_code == 0 and "indexed 2 published articles" in result.output
    assert runner.invoke(args=["kb", "import", str(tmp_path / "missing")]).exit_code == 2


def test_a_refused_save_leaves_no_half_article(app_ctx, tmp_path, monkeypatch):
    """Should the service refuse a file after changing the article, its savepoint undoes it."""
    from portal.kb import files
    from portal.kb.service import ArticleError
    real_save = files.save_article

    def refusing(article, editor, note, **changes):
        if article.slug == "vpn":
            article.title = "half written"
            db.session.flush()
            raise ArticleError("refused")
        return real_save(article, editor, note, **changes)

    make_articles()
    export_folder(tmp_path)
    for name in ("vpn.md", "empty.md"):
        path = tmp_path / name
        path.write_text(path.read_text() + "\nMore.\n", encoding="utf-8")
    monkeypatch.setattr(files, "save_article", refusing)
    result = import_folder(tmp_path)
    db.session.commit()
    db.session.expire_all()
    assert result["errors"] == [("vpn.md", "refused")] and result["updated"] == ["empty"]
    assert db.session.scalar(select(Article.title).where(Article.slug == "vpn")) == "VPN: 2024"
    assert db.session.scalar(select(Article.body).where(Article.slug == "empty")) == "More."
