"""Reading the knowledge base: search on both databases, votes, deflection, browsing."""

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.kb.models import Article, ArticleStatus, Deflection, Revision, SearchLog, Vote
from portal.kb.service import save_article
from portal.search import search
from portal.tickets.models import Ticket

ARTICLES = [
    # slug, title, tags, summary, body, language, category
    ("vpn-troubleshooting", "VPN troubleshooting", ["vpn", "network"],
     "When the VPN will not connect.", "Check the certificate and the timeout settings.",
     "en", "Network and VPN"),
    ("printer-jam", "Clear a paper jam", ["printer"], "Paper stuck in the printer.",
     "Open tray 2. Mention of vpn only in the body here.", "en", "Hardware"),
    ("resetowanie-hasla", "Resetowanie hasła", ["hasło", "konto"], "Jak zmienić hasło.",
     "Otwórz stronę i wpisz nowe hasło.", "pl", "Accounts and access"),
    ("restablecer-contrasena", "Restablecer la contraseña", ["contraseña"],
     "Cómo cambiar la contraseña.", "Abra la página de conexión.", "es", "Accounts and access"),
    ("vpn-fa", "اتصال وی‌پی‌ان", ["شبکه"], "راهنمای اتصال", "برای اتصال به شبکه", "fa",
     "Network and VPN"),
    ("laptop-standard-models", "Standard laptop models", ["laptop"], "Which laptops we buy.",
     "| Model | RAM |\n|---|---|\n| Standard | 16 GB |", "en", "Hardware"),
]


@pytest.fixture
def articles(app):
    with app.app_context():
        for slug, title, tags, summary, body, language, category in ARTICLES:
            save_article(Article(slug=slug), None, title=title, tags=tags, summary=summary,
                         body=body, language=language, category=category,
                         status=ArticleStatus.PUBLISHED)
        save_article(Article(slug="draft-vpn"), None, title="Draft about VPN",
                     body="vpn vpn vpn", status=ArticleStatus.DRAFT)
        db.session.commit()


def slugs(hits, app):
    with app.app_context():
        ids = [h.article_id for h in hits]
        by_id = {a.id: a.slug for a in db.session.scalars(select(Article))}
        return [by_id[i] for i in ids]


def test_title_and_tags_outrank_the_body(app, articles):
    with app.app_context():
        found = slugs(search("vpn"), app)
    assert found[0] == "vpn-troubleshooting"
    assert "printer-jam" in found  # found through the body, ranked lower
    assert "draft-vpn" not in found  # drafts are not searchable


def test_prefixes_match_while_typing(app, articles):
    with app.app_context():
        assert slugs(search("troub"), app) == ["vpn-troubleshooting"]
        assert slugs(search("vpn certif"), app) == ["vpn-troubleshooting"]


@pytest.mark.parametrize(("query", "slug"), [
    ("hasło", "resetowanie-hasla"), ("hasł", "resetowanie-hasla"), ("HASŁO", "resetowanie-hasla"),
    ("contraseña", "restablecer-contrasena"), ("conexión", "restablecer-contrasena"),
    ("شبکه", "vpn-fa"),
])
def test_polish_spanish_and_persian_are_findable(app, articles, query, slug):
    with app.app_context():
        assert slug in slugs(search(query), app)


def test_snippets_are_escaped_and_highlighted(app):
    with app.app_context():
        save_article(Article(slug="xss"), None, title="<script>alert(1)</script> printer",
                     body="Look <img src=x onerror=alert(1)> at the printer queue.",
                     status=ArticleStatus.PUBLISHED)
        db.session.commit()
        hit = search("printer")[0]
    assert "<script>" not in hit.title and "&lt;script&gt;" in hit.title
    assert "<mark>printer</mark>" in hit.title
    assert "<img" not in hit.snippet and "<mark>" in hit.snippet


def test_the_index_follows_every_write(app, articles):
    with app.app_context():
        article = db.session.scalar(select(Article).where(Article.slug == "printer-jam"))
        save_article(article, None, title="Clear a paper jam in the scanner", body="Tray 3.")
        db.session.commit()
        assert slugs(search("scanner"), app) == ["printer-jam"]
        assert "printer-jam" not in slugs(search("vpn"), app)
        save_article(article, None, status=ArticleStatus.ARCHIVED)
        db.session.commit()
        assert search("scanner") == []
        assert db.session.scalar(select(func.count()).select_from(Revision).where(
            Revision.article_id == article.id)) == 3


def test_query_syntax_cannot_break_the_search(app, articles):
    with app.app_context():
        for nasty in ['"', "vpn AND", "NEAR(", "*", "a:*", "'", "\\", "vpn -x", "(((", "é" * 300]:
            search(nasty)  # no exception


def test_search_page_finds_services_and_articles_and_logs(app, client, articles, make_user,
                                                          login):
    make_user("requester@example.com")
    login("requester@example.com")
    page = client.get("/search?q=laptop").get_data(as_text=True)
    assert "Request a new laptop" in page  # the catalog item
    assert "/kb/laptop-standard-models" in page  # the article
    fragment = client.get("/search?q=vpn", headers={"HX-Request": "true"})
    text = fragment.get_data(as_text=True)
    assert "<html" not in text and "/kb/vpn-troubleshooting" in text
    with app.app_context():
        logged = db.session.scalars(select(SearchLog.query)).all()
    assert logged == ["laptop"]  # typing (htmx) is not logged, a search is
    empty = client.get("/search?q=zzzzqqq").get_data(as_text=True)
    assert "Nothing matches" in empty and "Browse the service catalog" in empty


def test_article_page_counts_views_and_renders_tables(app, client, articles):
    page = client.get("/kb/laptop-standard-models").get_data(as_text=True)
    assert "<table>" in page and "Standard laptop models" in page
    assert "Request a new laptop" in page  # the catalog item that links to it
    client.get("/kb/laptop-standard-models")
    with app.app_context():
        assert db.session.scalar(select(Article.views).where(
            Article.slug == "laptop-standard-models")) == 2
    assert client.get("/kb/draft-vpn").status_code == 404
    assert client.get("/kb/no-such-article").status_code == 404


def test_one_vote_per_person_changeable(app, client, articles, make_user, login, post):
    make_user("requester@example.com")
    login("requester@example.com")
    fragment = post("/kb/vpn-troubleshooting/vote", {"helpful": "yes"},
                    headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Thank you for your feedback." in fragment and "<html" not in fragment
    post("/kb/vpn-troubleshooting/vote", {"helpful": "yes"})
    post("/kb/vpn-troubleshooting/vote", {"helpful": "no", "comment": "Outdated"})
    with app.app_context():
        article = db.session.scalar(select(Article).where(Article.slug == "vpn-troubleshooting"))
        assert (article.helpful_yes, article.helpful_no) == (0, 1)
        votes = db.session.scalars(select(Vote)).all()
        assert len(votes) == 1 and votes[0].comment == "Outdated"
    assert post("/kb/vpn-troubleshooting/vote", {"helpful": "maybe"}).status_code == 303


def test_this_solved_my_problem_leaves_no_ticket(app, client, articles, make_user, login, post):
    make_user("requester@example.com")
    login("requester@example.com")
    page = client.get("/catalog/item/new-laptop").get_data(as_text=True)
    assert "Standard laptop models" in page and "This solved my problem" in page
    suggestions = client.get("/kb/suggest?item=new-laptop&f_justification=vpn+certificate")
    assert "VPN troubleshooting" in suggestions.get_data(as_text=True)
    response = post("/kb/deflect", {"article": "laptop-standard-models",
                                    "item": "new-laptop"})
    assert response.status_code == 303
    with app.app_context():
        deflection = db.session.scalar(select(Deflection))
        assert deflection.item_id == "new-laptop"
        assert db.session.scalar(select(func.count()).select_from(Ticket)) == 0
    assert post("/kb/deflect", {"article": "draft-vpn"}).status_code == 404


def test_index_lists_categories_with_counts(client, articles):
    page = client.get("/kb/").get_data(as_text=True)
    assert "Network and VPN" in page and "2 articles" in page
    category = client.get("/kb/?category=Hardware").get_data(as_text=True)
    assert "Clear a paper jam" in category and "VPN troubleshooting" not in category
