"""An agent writes an article in Chromium: the live preview follows the typing (htmx), the
pages are accessible, valid HTML, and fit a 375 px phone."""

from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, check_phone_page, validate_html
from tests.e2e.test_requester_journey import sign_in


def test_write_preview_publish_and_restore(page, make_user, shoot):
    make_user("agent@example.com", role="agent", name="Alex Agent")
    sign_in(page, "agent@example.com")
    page.goto("/kb/new")
    page.get_by_label("Title").fill("Connect to the VPN")
    body = page.get_by_label("Article text")
    body.click()
    body.press_sequentially("## Install\n\nGet the client. <script>alert(1)</script>")
    preview = page.locator("#kb-preview")
    expect(preview.locator("h2#install")).to_have_text("Install")  # htmx swapped it in
    expect(preview).to_contain_text("<script>alert(1)</script>")  # shown as text, not run
    assert preview.locator("script").count() == 0
    assert_accessible(page)
    page.get_by_role("button", name="Create article").click()
    expect(page.locator(".flash-success")).to_contain_text("Draft “Connect to the VPN” saved.")

    page.get_by_label("Article text").fill("## Install\n\nNew words.")
    page.get_by_label("What changed?").fill("Shorter")
    page.get_by_role("button", name="Save changes").click()
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".kb-article-bar .badge")).to_have_text("Published")

    page.get_by_role("link", name="Revision history").click()
    expect(page.locator("table")).to_contain_text("Shorter")
    assert_accessible(page)
    page.get_by_role("link", name="Revision 1", exact=True).click()
    page.get_by_role("button", name="Restore revision 1").click()
    expect(page.locator(".flash-success")).to_contain_text("Revision 1 is current again")
    expect(page.get_by_label("Article text")).to_have_value(
        "## Install\n\nGet the client. <script>alert(1)</script>")


def test_authoring_pages_are_valid_at_phone_width(page, make_user, shoot):
    make_user("agent@example.com", role="agent", name="Alex Agent")
    sign_in(page, "agent@example.com")
    page.goto("/kb/new")
    page.get_by_label("Title").fill("A title long enough to wrap on a small phone screen")
    page.get_by_label("Article text").fill("## Table\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
                                           "```\n" + "x" * 200 + "\n```")
    page.get_by_role("button", name="Create article").click()
    page.get_by_role("link", name="Revision history").click()  # an edit page, then history
    page.set_viewport_size({"width": 375, "height": 800})
    slug = "a-title-long-enough-to-wrap-on-a-small-phone-screen"
    saved = []
    for name, path in [("m-kb-new", "/kb/new"), ("m-kb-edit", f"/kb/{slug}/edit"),
                       ("m-kb-revisions", f"/kb/{slug}/revisions"),
                       ("m-kb-revision", f"/kb/{slug}/revisions/1"),
                       ("m-kb-drafts", "/kb/drafts")]:
        saved.append(check_phone_page(page, shoot, name, path))
    assert validate_html(saved) == ""
