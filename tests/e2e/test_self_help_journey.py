"""Answers before tickets, in Chromium: live search, an article, a vote, and deflection."""

import re

from playwright.sync_api import expect
from sqlalchemy import func, select

from portal.extensions import db
from portal.kb.models import Article, ArticleStatus, Deflection, Vote
from portal.kb.service import save_article
from portal.tickets.models import Ticket
from tests.e2e.conftest import assert_accessible, check_phone_page, validate_html
from tests.e2e.test_requester_journey import sign_in


def publish(app):
    with app.app_context():
        save_article(Article(slug="vpn-troubleshooting"), None, title="VPN troubleshooting",
                     category="Network and VPN", tags=["vpn", "connection"],
                     body="When the VPN shows a **timeout** or a certificate error:\n\n"
                          "## Steps\n\n1. Restart the client.\n2. Check the date.\n\n"
                          "| Error | Fix |\n|---|---|\n| 809 | Change network |",
                     status=ArticleStatus.PUBLISHED)
        save_article(Article(slug="laptop-standard-models"), None,
                     title="Standard laptop models", category="Hardware",
                     body="Our standard laptops ship in five days.",
                     status=ArticleStatus.PUBLISHED)
        save_article(Article(slug="resetowanie-hasla"), None, title="Resetowanie hasła",
                     language="pl", body="Jak zmienić hasło.", status=ArticleStatus.PUBLISHED)
        db.session.commit()


def test_question_search_article_vote_and_deflection(app, page, make_user, shoot):
    make_user("requester@example.com", name="Robin Requester")
    publish(app)
    sign_in(page)

    # Typing on the home page brings results without pressing Enter.
    page.get_by_label("Search for help or a service").press_sequentially("vpn tim", delay=30)
    results = page.locator("#search-results")
    expect(results.get_by_role("link", name=re.compile("VPN troubleshooting"))).to_be_visible()
    assert page.url.endswith("/")  # still the home page: the results came in place
    assert_accessible(page)
    shoot(page, "live-search")
    page.get_by_label("Search for help or a service").fill("hasło")
    expect(results.get_by_role("link", name=re.compile("Resetowanie"))).to_be_visible()
    page.get_by_label("Search for help or a service").fill("vpn")
    results.get_by_role("link", name=re.compile("VPN troubleshooting")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("VPN troubleshooting")
    expect(page.locator(".prose table")).to_be_visible()
    page.get_by_label("Yes").check()
    page.evaluate("() => { window.__noReload = true; }")
    page.get_by_role("button", name="Send feedback").click()
    expect(page.locator("#helpful")).to_contain_text("Thank you for your feedback.")
    expect(page.locator("#helpful")).to_contain_text("1 person found this helpful")
    assert page.evaluate("() => window.__noReload") is True
    assert_accessible(page)
    shoot(page, "article-voted")

    # On a request form, the description brings a suggestion; it solves the problem.
    page.goto("/catalog/item/new-laptop")
    page.get_by_label(re.compile("Who is it for")).select_option("new-hire")
    page.get_by_label(re.compile("New hire's full name")).press_sequentially(
        "my vpn shows a timeout", delay=20)
    suggestions = page.locator("#suggestions")
    expect(suggestions.get_by_role("link", name="VPN troubleshooting")).to_be_visible()
    assert_accessible(page)
    shoot(page, "form-suggestion")
    suggestions.get_by_role("button", name="This solved my problem").click()
    expect(page.locator(".flash-success")).to_contain_text("Glad that helped")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Ticket)) == 0
        deflection = db.session.scalar(select(Deflection))
        assert deflection.item_id == "new-laptop"
        assert db.session.scalar(select(func.count()).select_from(Vote)) == 1


def test_knowledge_base_pages_at_phone_width(app, page, make_user, shoot):
    make_user("requester@example.com")
    publish(app)
    sign_in(page)
    page.set_viewport_size({"width": 375, "height": 800})
    saved = []
    for name, path in [("m-kb-index", "/kb/"), ("m-kb-article", "/kb/vpn-troubleshooting"),
                       ("m-kb-category", "/kb/?category=Hardware"),
                       ("m-search", "/search?q=laptop"), ("m-search-none", "/search?q=zzqx")]:
        saved.append(check_phone_page(page, shoot, name, path))
    assert validate_html(saved) == ""
