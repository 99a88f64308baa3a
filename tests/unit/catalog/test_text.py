import pytest

from portal.catalog import localize

TEXT = {"en": "Laptop", "pl": "Laptop PL", "pt": "Portátil", "pt_BR": "Notebook"}


@pytest.mark.parametrize("locale, expected", [
    ("pl", "Laptop PL"),
    ("pt_BR", "Notebook"),
    ("pt-BR", "Notebook"),
    ("pt_PT", "Portátil"),
    ("de", "Laptop"),
    (None, "Laptop"),
])
def test_localize_falls_back_to_language_then_en(locale, expected):
    assert localize(TEXT, locale) == expected


def test_localize_falls_back_to_the_first_locale_without_en():
    assert localize({"pl": "Sprzęt", "es": "Equipos"}, "fa") == "Sprzęt"


def test_plain_text_and_nothing():
    assert localize("Hardware", "pl") == "Hardware"
    assert localize(None, "pl") == ""
    assert localize({}, "pl") == ""
