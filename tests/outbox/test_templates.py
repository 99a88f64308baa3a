"""babel.cfg extracts texts from .html templates only: every text of a plain-text mail must
also appear in its HTML twin, or it would never reach the translators."""

from pathlib import Path

from babel.messages.extract import extract_from_file

ROOT = Path(__file__).resolve().parents[2]
MAIL = ROOT / "templates" / "mail"


def texts(path: Path) -> set:
    found = extract_from_file("jinja2", str(path), options={"extensions": "jinja2.ext.i18n"})
    return {msg if isinstance(msg, str) else msg[0] for _, msg, _, _ in found}


def test_plain_text_mails_use_only_texts_of_the_html_mails():
    html = set().union(*(texts(p) for p in MAIL.glob("*.html")))
    for path in MAIL.glob("*.txt"):
        assert texts(path) <= html, path.name

