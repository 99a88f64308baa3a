"""Every interface text is in the message catalogue and translated into every language."""

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "portal" / "translations"


def message_ids(path: Path) -> set:
    with path.open("rb") as f:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}


def test_the_template_lists_every_text_in_the_code(tmp_path):
    fresh = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "-q", "extract",
                    "-F", "babel.cfg", "-k", "_l", "-k", "lazy_gettext", "--no-location",
                    "-o", str(fresh), "."], cwd=ROOT, check=True, capture_output=True)
    missing = message_ids(fresh) - message_ids(TRANSLATIONS / "messages.pot")
    assert not missing, "run `make messages` and translate: " + ", ".join(sorted(missing))


@pytest.mark.parametrize("lang", ["pl", "es", "fa"])
def test_every_text_is_translated(lang):
    with (TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po").open("rb") as f:
        catalogue = read_po(f, locale=lang)
    untranslated = [m.id for m in catalogue if m.id and (
        not m.string or (isinstance(m.string, tuple) and not all(m.string)) or m.fuzzy)]
    assert not untranslated
    assert message_ids(TRANSLATIONS / "messages.pot") <= {
        m.id if isinstance(m.id, str) else m.id[0] for m in catalogue if m.id}
