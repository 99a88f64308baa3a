"""What the page-rendering shortcuts must not change: kept fragments, language links and the
templates' own translation functions."""

from flask import render_template_string

from tests.web.conftest import save


def test_a_blank_form_is_kept_but_prefilled_and_rejected_forms_are_not(
        client, make_user, login, post):
    login(make_user())
    blank = client.get("/catalog/item/new-laptop").get_data(as_text=True)
    assert client.get("/catalog/item/new-laptop").get_data(as_text=True).count(
        'name="f_new_hire_name"') == blank.count('name="f_new_hire_name"') == 1
    prefilled = client.get("/catalog/item/new-laptop?new_hire_name=Ada+Lovelace")
    assert 'value="Ada Lovelace"' in prefilled.get_data(as_text=True)
    assert 'value="Ada Lovelace"' not in client.get("/catalog/item/new-laptop").get_data(
        as_text=True)
    refused = post("/catalog/item/new-laptop", {"new_hire_name": "Grace"})
    assert refused.status_code == 422
    assert 'aria-invalid="true"' in refused.get_data(as_text=True)
    assert 'aria-invalid="true"' not in client.get("/catalog/item/new-laptop").get_data(
        as_text=True)


def test_kept_fragments_follow_the_language_and_catalog_edits(
        catalog_file, client, make_user, login):
    login(make_user())
    assert "Hardware" in client.get("/").get_data(as_text=True)
    assert "Sprzęt" in client.get("/?lang=pl").get_data(as_text=True)
    form_pl = client.get("/catalog/item/new-laptop").get_data(as_text=True)
    save(catalog_file, catalog_file.read_text(encoding="utf-8")
         .replace("pl: Sprzęt", "pl: Sprzęt komputerowy")
         .replace("id: new_hire_name", "id: new_hire_full_name"))
    assert "Sprzęt komputerowy" in client.get("/").get_data(as_text=True)
    form = client.get("/catalog/item/new-laptop").get_data(as_text=True)
    assert 'name="f_new_hire_name"' in form_pl
    assert 'name="f_new_hire_full_name"' in form and 'name="f_new_hire_name"' not in form


def test_language_links_keep_the_page_and_its_query(client):
    page = client.get("/search?q=vpn+%C5%BC&lang=pl").get_data(as_text=True)
    assert 'href="/search?q=vpn+%C5%BC&amp;lang=es"' in page
    assert 'href="/search?q=vpn+%C5%BC&amp;lang=en"' in page


def test_page_translations_escape_and_format_like_jinja(app):
    template = ('{{ _("Service catalog") }}|{{ _("Up to %(size)s.", size="<b>") }}|'
                '{{ ngettext("%(num)d service", "%(num)d services", 3) }}|'
                '{{ _("100%% sure") }}')
    with app.test_request_context("/?lang=pl"):
        text = render_template_string(template)
    catalog, size, services, percent = text.split("|")
    assert catalog == "Katalog usług"
    assert "&lt;b&gt;" in size and "<b>" not in size
    assert services.startswith("3 ")
    assert percent == "100% sure"
