"""A requester's whole journey in headless Chromium, as a person would do it."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, check_phone_page, validate_html


def sign_in(page, email="requester@example.com", password="secret-pass"):
    page.goto("/")
    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_request_from_catalog_to_comment(page, make_user, shoot):
    make_user("requester@example.com", name="Robin Requester")
    sign_in(page)
    # htmx loads with the page's scripts, maybe after the sign-in redirect settles: wait for it.
    page.wait_for_function("() => typeof window.htmx === 'object'", timeout=10_000)
    assert_accessible(page)
    shoot(page, "home")

    page.get_by_role("link", name="Service catalog").click()
    expect(page.get_by_role("heading", name="Service catalog", exact=True)).to_be_visible()
    assert_accessible(page)
    shoot(page, "catalog")
    page.get_by_role("link", name="Request a new laptop").click()

    # show_if in the browser: the new hire's name appears only for a new hire.
    name_field = page.get_by_label(re.compile("New hire's full name"))
    expect(name_field).to_be_hidden()
    expect(page.locator(".only-if").first).to_be_hidden()
    page.get_by_label("Who is it for?").select_option("new-hire")
    expect(name_field).to_be_visible()
    expect(page.get_by_label(re.compile("Desk number"))).to_be_hidden()
    assert_accessible(page)

    # Submit with a mistake: the server's message sits next to its field.
    page.get_by_label("Standard 14\"").check()
    page.get_by_label("Cost center").fill("12")
    page.get_by_role("button", name="Submit request").click()
    expect(page.get_by_role("alert")).to_contain_text("Please correct the marked fields")
    expect(page.locator("#f_new_hire_name-error")).to_have_text("This field is required.")
    expect(page.locator("#f_cost_center-error")).to_have_text("Use the form CC-1234")
    expect(page.get_by_label("Cost center")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Cost center")).to_have_value("12")
    assert_accessible(page)
    shoot(page, "form-errors")

    page.get_by_label(re.compile("New hire's full name")).fill("Jo Novak")
    page.get_by_label("Cost center").fill("CC-1234")
    page.get_by_label("Deliver to my desk").check()
    page.get_by_label(re.compile("Desk number")).fill("B-204")
    page.get_by_role("button", name="Submit request").click()

    expect(page).to_have_url(re.compile(r"/tickets/REQ-\d{6}$"))
    number = page.url.rsplit("/", 1)[1]
    expect(page.locator(".ticket-head .number")).to_have_text(number)
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text('Laptop for A new hire – Standard 14"')
    answers = page.locator(".answers")
    expect(answers).to_contain_text("Jo Novak")
    expect(answers).to_contain_text("CC-1234")
    expect(answers).to_contain_text("B-204")
    assert_accessible(page)
    shoot(page, "status-page")

    page.get_by_role("link", name="My requests").first.click()
    expect(page.get_by_role("link", name=number)).to_be_visible()
    assert_accessible(page)
    shoot(page, "my-requests")

    # A comment without a page reload: a marker on window survives only if no navigation.
    page.get_by_role("link", name=number).click()
    page.evaluate("() => { window.__noReload = true }")
    page.get_by_label("Add a comment").fill("Could it come with a docking station?")
    page.get_by_role("button", name="Add comment").click()
    expect(page.locator(".event-comment")).to_contain_text("docking station")
    assert page.evaluate("() => window.__noReload") is True
    expect(page.get_by_label("Add a comment")).to_have_value("")
    # An empty comment is refused in place.
    page.get_by_role("button", name="Add comment").click()
    expect(page.locator("#body-error")).to_have_text("Write something before sending.")
    assert page.evaluate("() => window.__noReload") is True
    shoot(page, "status-page-commented")


def test_pages_at_phone_width_are_valid_and_accessible(page, make_user, shoot):
    make_user("requester@example.com")
    page.set_viewport_size({"width": 375, "height": 800})
    sign_in(page)
    saved = []
    for name, path in [("m-home", "/"), ("m-catalog", "/catalog"),
                       ("m-item", "/catalog/item/new-laptop"), ("m-kb", "/kb/"),
                       ("m-mine", "/my/requests"), ("m-missing", "/tickets/REQ-424242")]:
        saved.append(check_phone_page(page, shoot, name, path))
    assert validate_html(saved) == ""


def test_form_works_without_javascript(browser, live_server, make_user):
    make_user("requester@example.com")
    context = browser.new_context(java_script_enabled=False, base_url=live_server)
    context.route(re.compile(r"^(?!http://127\.0\.0\.1).*"), lambda route: route.abort())
    page = context.new_page()
    sign_in(page)
    page.goto("/catalog/item/new-laptop")
    # Without scripts every field shows, with its "only if" hint.
    expect(page.get_by_text("Only if “Who is it for?” is “A new hire”.")).to_be_visible()
    page.get_by_label("Standard 14\"").check()
    page.get_by_role("button", name="Submit request").click()
    expect(page).to_have_url(re.compile(r"/tickets/REQ-\d{6}$"))
    page.get_by_label("Add a comment").fill("Plain form comment")
    page.get_by_role("button", name="Add comment").click()
    expect(page.locator(".event-comment")).to_contain_text("Plain form comment")
    context.close()


def test_a_desk_visit_with_a_time_a_phone_and_a_web_address(page, make_user):
    from datetime import date, timedelta
    make_user("requester@example.com", name="Robin Requester")
    sign_in(page)
    page.goto("/catalog/item/desk-visit")
    parking = page.get_by_label("I need a parking space")
    expect(parking).to_be_hidden()
    when = (date.today() + timedelta(days=7)).isoformat() + "T10:00"
    page.get_by_label(re.compile("Preferred time")).fill(when)
    expect(parking).to_be_visible()  # show_if gt on the date and time, read in the browser
    page.get_by_label(re.compile("^Task")).fill("Set up a dock")
    page.get_by_label(re.compile("^Phone")).fill("12")
    page.get_by_label("Manufacturer's page").fill("javascript:alert(1)")
    page.get_by_role("button", name="Submit request").click()
    expect(page.locator("#f_phone-error")).to_contain_text("6 to 20 digits")
    expect(page.locator("#f_vendor_page-error")).to_contain_text("https://")
    expect(page.get_by_label(re.compile("Preferred time"))).to_have_value(when)
    assert_accessible(page)

    page.get_by_label(re.compile("^Phone")).fill("+48 22 123 45 67")
    page.get_by_label("Manufacturer's page").fill("https://example.com/dock")
    page.get_by_role("button", name="Submit request").click()
    expect(page).to_have_url(re.compile(r"/tickets/REQ-\d{6}$"))
    expect(page.get_by_role("link", name="+48 22 123 45 67")).to_have_attribute(
        "href", "tel:+48221234567")
    expect(page.get_by_role("link", name="https://example.com/dock")).to_have_attribute(
        "rel", "noopener noreferrer nofollow")
    expect(page.locator("dl.answers time")).to_contain_text("(Europe/Warsaw)")
    assert_accessible(page)
