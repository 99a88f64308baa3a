"""Agents write articles: drafts, edits with revisions, live preview, publish and archive,
restoring an earlier revision, and starting an article from a solved ticket."""

import re

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.kb.models import Article, ArticleStatus, Revision
from portal.kb.service import save_article
from portal.tickets.lifecycle import Status
from portal.tickets.models import Answer, Event, EventKind, Ticket, TicketType

ARTICLE = {"title": "Connect to the VPN", "slug": "", "summary": "", "category": "Network",
           "tags": "vpn, Remote work", "language": "en", "status": "draft",
           "body": "## Install\n\nGet the **client**.\r\n\r\n| a | b |\r\n|---|---|\r\n| 1 | 2 |"}


@pytest.fixture
def people(make_user):
    return {"requester": make_user("requester@example.com", name="Rita Requester"),
            "agent": make_user("agent@example.com", role="agent", name="Agent Ann"),
            "admin": make_user("admin@example.com", role="admin", name="Ada Admin")}


@pytest.fixture
def agent(people, login):
    login(people["agent"])
    return people["agent"]


def article(app, slug) -> Article:
    with app.app_context():
        found = db.session.scalar(select(Article).where(Article.slug == slug))
        if found is not None:
            found.revisions  # noqa: B018 - load before the session closes
            db.session.expunge_all()
        return found


def make_article(app, slug="vpn", status=ArticleStatus.DRAFT, **values):
    with app.app_context():
        values = {"title": "VPN", "body": "First text.", **values}
        save_article(Article(slug=slug), None, "first", status=status, **values)
        db.session.commit()


def field_errors(page: str, field: str) -> list[str]:
    match = re.search(rf'<ul class="field-errors" id="{field}-error">(.*?)</ul>', page, re.S)
    return re.findall(r"<li>(.*?)</li>", match.group(1)) if match else []


def test_signed_out_people_are_sent_to_sign_in(client):
    for url in ("/kb/new", "/kb/drafts", "/kb/vpn/edit", "/kb/vpn/revisions"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_requester_gets_404_on_every_authoring_url(app, client, people, login, post):
    make_article(app)
    login(people["requester"])
    for url in ("/kb/new", "/kb/new?from=REQ-000001", "/kb/drafts", "/kb/vpn/edit",
                "/kb/vpn/revisions", "/kb/vpn/revisions/1", "/kb/nothing/edit"):
        assert client.get(url).status_code == 404, url
    for url in ("/kb/new", "/kb/preview", "/kb/vpn/edit", "/kb/vpn/publish", "/kb/vpn/archive",
                "/kb/vpn/unpublish", "/kb/vpn/revisions/1/restore"):
        assert post(url, {"title": "Mine now", "body": "x"}).status_code == 404, url
    assert article(app, "vpn").status == ArticleStatus.DRAFT
    assert article(app, "vpn").title == "VPN"


def test_admins_may_write_too(client, people, login):
    login(people["admin"])
    assert client.get("/kb/new").status_code == 200


def test_create_a_draft(app, client, agent, post):
    page = client.get("/kb/new").get_data(as_text=True)
    assert 'name="title"' in page and 'name="note"' not in page and 'name="status"' in page
    response = post("/kb/new", ARTICLE)
    assert response.status_code == 303
    assert response.headers["Location"] == "/kb/connect-to-the-vpn/edit"
    saved = article(app, "connect-to-the-vpn")
    assert saved.status == ArticleStatus.DRAFT and saved.author_id == agent.id
    assert saved.tags == ["vpn", "remote work"] and saved.category == "Network"
    assert "\r" not in saved.body and saved.summary == "Install"
    assert [(r.number, r.note, r.author_id) for r in saved.revisions] == [(1, "Created",
                                                                            agent.id)]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Draft “Connect to the VPN” saved." in page
    assert '<h2 id="install">Install</h2>' in page and "<table>" in page  # the preview
    # The same title again gets the next free slug.
    assert post("/kb/new", ARTICLE).headers["Location"] == "/kb/connect-to-the-vpn-2/edit"
    drafts = client.get("/kb/drafts").get_data(as_text=True)
    assert drafts.count('href="/kb/connect-to-the-vpn/edit"') == 2  # a draft, and my edit


def test_publish_straight_away_and_reserved_titles(app, client, agent, post):
    response = post("/kb/new", {**ARTICLE, "title": "New", "status": "published"})
    assert response.headers["Location"] == "/kb/new-article/edit"
    assert article(app, "new-article").status == ArticleStatus.PUBLISHED
    assert article(app, "new-article").published_at is not None


@pytest.mark.parametrize("slug, message", [
    ("taken", "Another article already has this slug; choose another one."),
    ("Not A Slug", "A slug is lowercase letters, digits and dashes, like reset-your-password."),
    ("search", "“search” is a reserved word; choose another slug."),
    ("drafts", "“drafts” is a reserved word; choose another slug."),
    ("a" * 121, "Keep the slug under 120 characters."),
])
def test_slug_problems_are_shown_next_to_the_field(app, client, agent, post, slug, message):
    make_article(app, "taken")
    response = post("/kb/new", {**ARTICLE, "slug": slug, "title": "Kept title"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert field_errors(page, "slug") == [message]
    assert 'aria-invalid="true"' in page and 'aria-describedby="slug-help slug-error"' in page
    assert 'value="Kept title"' in page and "Get the **client**." in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Article)) == 1


def test_a_slug_taken_at_the_same_moment_is_a_message_not_a_500(app, client, agent, post,
                                                                 monkeypatch):
    make_article(app, "taken")
    # As if another agent saved "taken" between our check and our save.
    monkeypatch.setattr("portal.kb.authoring.slug_in_use", lambda slug, article: False)
    response = post("/kb/new", {**ARTICLE, "slug": "taken"})
    assert response.status_code == 422
    assert field_errors(response.get_data(as_text=True), "slug") == [
        "Another article already has this slug; choose another one."]
    assert article(app, "taken").title == "VPN"


def test_missing_title_keeps_what_was_typed(app, client, agent, post):
    response = post("/kb/new", {**ARTICLE, "title": "  "})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert field_errors(page, "title") == ["Give the article a title."]
    assert "Get the **client**." in page and 'value="vpn, Remote work"' in page


def test_edit_makes_a_revision_with_its_note(app, client, agent, post):
    make_article(app)
    page = client.get("/kb/vpn/edit").get_data(as_text=True)
    assert 'name="note"' in page and 'name="status"' not in page and "First text." in page
    # The live preview: the textarea posts to /kb/preview into a polite live region.
    textarea = re.search(r"<textarea[^>]*name=\"body\"[^>]*>", page).group(0)
    assert 'data-hx-post="/kb/preview"' in textarea
    assert 'data-hx-trigger="keyup changed delay:500ms"' in textarea
    assert 'data-hx-target="#kb-preview"' in textarea
    assert '<div id="kb-preview" class="prose" aria-live="polite">' in page
    assert "<script" not in page.split("</head>", 1)[1]  # no inline scripts (CSP)

    form = {"title": "VPN for everyone", "slug": "vpn", "summary": "", "body": "Second text.",
            "category": "", "tags": "", "language": "en", "note": "Simpler words"}
    response = post("/kb/vpn/edit", form)
    assert response.status_code == 303 and response.headers["Location"] == "/kb/vpn/edit"
    saved = article(app, "vpn")
    assert saved.title == "VPN for everyone" and saved.body == "Second text."
    assert [(r.number, r.note) for r in saved.revisions] == [(1, "first"), (2, "Simpler words")]
    assert saved.revisions[1].author_id == agent.id
    # Saving again unchanged writes no revision.
    post("/kb/vpn/edit", form)
    assert len(article(app, "vpn").revisions) == 2
    # A new slug moves the article.
    assert post("/kb/vpn/edit", {**form, "slug": "vpn-help"}).headers["Location"] == \
        "/kb/vpn-help/edit"
    assert article(app, "vpn") is None and article(app, "vpn-help") is not None


def test_editing_into_a_taken_slug_is_refused(app, client, agent, post):
    make_article(app, "vpn")
    make_article(app, "wifi", title="Wi-Fi")
    response = post("/kb/wifi/edit", {"title": "Wi-Fi", "slug": "vpn", "body": "x",
                                      "language": "en"})
    assert response.status_code == 422
    assert field_errors(response.get_data(as_text=True), "slug") == [
        "Another article already has this slug; choose another one."]
    assert article(app, "wifi").body == "First text."


def test_view_and_restore_an_earlier_revision(app, client, agent, post):
    make_article(app, body="## Old heading\n\nOld words.")
    post("/kb/vpn/edit", {"title": "VPN", "slug": "vpn", "body": "New words.",
                          "language": "en", "note": "Rewrote it"})
    history = client.get("/kb/vpn/revisions").get_data(as_text=True)
    assert "Rewrote it" in history and "Agent Ann" in history and "The portal" in history
    assert history.index("Revision 2") < history.index("Revision 1")  # newest first
    old = client.get("/kb/vpn/revisions/1").get_data(as_text=True)
    assert '<h2 id="old-heading">Old heading</h2>' in old and "Restore revision 1" in old
    current = client.get("/kb/vpn/revisions/2").get_data(as_text=True)
    assert "Restore revision" not in current
    assert client.get("/kb/vpn/revisions/9").status_code == 404

    response = post("/kb/vpn/revisions/1/restore")
    assert response.status_code == 303 and response.headers["Location"] == "/kb/vpn/edit"
    saved = article(app, "vpn")
    assert saved.body == "## Old heading\n\nOld words."
    assert [r.note for r in saved.revisions] == ["first", "Rewrote it", "Restored revision 1"]
    assert post("/kb/vpn/revisions/9/restore").status_code == 404


def test_publish_archive_and_back_to_draft(app, client, agent, post):
    make_article(app)
    page = client.get("/kb/vpn/edit").get_data(as_text=True)
    assert 'action="/kb/vpn/publish"' in page and 'action="/kb/vpn/unpublish"' not in page
    assert post("/kb/vpn/publish").headers["Location"] == "/kb/vpn/edit"
    assert article(app, "vpn").status == ArticleStatus.PUBLISHED
    page = client.get("/kb/vpn/edit").get_data(as_text=True)
    assert "“VPN” is published." in page and 'href="/kb/vpn"' in page
    post("/kb/vpn/publish")  # twice: refused with a message, nothing saved
    assert "The article is already “Published”." in client.get("/kb/vpn/edit").get_data(
        as_text=True)
    post("/kb/vpn/archive")
    assert article(app, "vpn").status == ArticleStatus.ARCHIVED
    assert "VPN" in client.get("/kb/drafts").get_data(as_text=True)
    post("/kb/vpn/unpublish")
    saved = article(app, "vpn")
    assert saved.status == ArticleStatus.DRAFT
    assert [r.note for r in saved.revisions] == ["first", "Published", "Archived",
                                                 "Back to draft"]
    assert client.post("/kb/vpn/publish").status_code == 400  # no CSRF token
    assert post("/kb/missing/publish").status_code == 404


def test_the_preview_fragment_is_sanitised(client, agent, post):
    body = ("## Hello\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1)) "
            "<img src=x onerror=alert(1)>\n\n```\ncode\n```")
    response = post("/kb/preview", {"body": body}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    fragment = response.get_data(as_text=True)
    assert "<html" not in fragment and '<h2 id="hello">Hello</h2>' in fragment
    assert "<script" not in fragment and "<img" not in fragment
    assert 'href="javascript' not in fragment and "<pre><code>code" in fragment
    assert "appears here" in post("/kb/preview", {"body": ""}).get_data(as_text=True)
    assert "too long" in post("/kb/preview", {"body": "x" * 100_001}).get_data(as_text=True)


def test_the_preview_button_works_without_javascript(app, client, agent, post):
    response = post("/kb/new", {**ARTICLE, "title": "", "preview": "1"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and '<h2 id="install">Install</h2>' in page
    assert field_errors(page, "title") == []  # not an attempt to save
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Article)) == 0


def solved_ticket(app, people, status=Status.RESOLVED, restricted=False) -> str:
    with app.app_context():
        ticket = Ticket(number="INC-000042", type=TicketType.INCIDENT, title="VPN drops at noon",
                        status=status, priority="P3", team_id="security", item_id="outage",
                        item_version="1", item_name="Outage", restricted=restricted,
                        requester_id=people["requester"].id)
        ticket.answers = [
            Answer(position=0, field_id="what", field_type="text",
                   label={"en": "What happened?", "pl": "Co się stało?"},
                   value="It drops", display="The VPN drops every day at 12:00"),
            Answer(position=1, field_id="os", field_type="checkboxes", label="Systems",
                   value=["mac", "win"], display=[{"en": "macOS"}, "Windows"]),
        ]
        ticket.events = [
            Event(actor_id=people["requester"].id, kind=EventKind.CREATED),
            Event(actor_id=people["agent"].id, kind=EventKind.NOTE, internal=True,
                  body="SECRET: the firewall admin password is hunter2"),
            Event(actor_id=people["agent"].id, kind=EventKind.COMMENT,
                  body="Update the client to version 5.2; it keeps the tunnel alive."),
            Event(actor_id=people["requester"].id, kind=EventKind.COMMENT,
                  body="Thanks, Rita's private phone is 555-0100"),
            Event(actor_id=people["admin"].id, kind=EventKind.COMMENT,
                  body="Also turn off *power saving* for the network card."),
        ]
        db.session.add(ticket)
        db.session.commit()
        return ticket.number


def test_create_from_a_ticket_takes_public_replies_and_never_internal_notes(
        app, client, agent, post, people):
    number = solved_ticket(app, people)
    page = client.get(f"/kb/new?from={number.lower()}").get_data(as_text=True)
    assert 'value="VPN drops at noon"' in page
    body = re.search(r'<textarea[^>]*name="body"[^>]*>(.*?)</textarea>', page, re.S).group(1)
    assert "## Question" in body and "## Solution" in body
    assert ("- **What happened?** The VPN drops every day at 12:00\n"
            "- **Systems** macOS, Windows") in body
    assert "Update the client to version 5.2" in body
    assert "turn off *power saving*" in body
    assert "hunter2" not in page and "SECRET" not in page  # the internal note
    assert "555-0100" not in page  # the requester's own comment is not a solution
    assert f'action="/kb/new?from={number}"' in page and f"/tickets/{number}" in page

    form = {**ARTICLE, "title": "VPN drops at noon", "body": "## Solution\n\nUpdate."}
    response = post(f"/kb/new?from={number}", form)
    assert response.status_code == 303
    saved = article(app, "vpn-drops-at-noon")
    assert saved.revisions[0].note == f"Created from {number}"


def test_create_from_a_ticket_in_polish(app, client, agent, post, people):
    number = solved_ticket(app, people, status=Status.CLOSED)
    page = client.get(f"/kb/new?from={number}&lang=pl").get_data(as_text=True)
    assert "**Co się stało?**" in page


def test_create_from_an_unsolved_or_unknown_ticket_is_404(app, client, agent, people):
    number = solved_ticket(app, people, status=Status.IN_PROGRESS)
    assert client.get(f"/kb/new?from={number}").status_code == 404
    assert client.get("/kb/new?from=REQ-999999").status_code == 404
    assert client.get("/kb/new?from=../../etc").status_code == 404


def test_create_from_a_restricted_ticket_of_another_team_is_404(app, client, agent, people):
    number = solved_ticket(app, people, restricted=True)
    assert client.get(f"/kb/new?from={number}").status_code == 404
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Revision)) == 0
