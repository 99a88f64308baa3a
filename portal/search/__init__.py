"""Full-text search over knowledge-base articles: SQLite FTS5 or PostgreSQL tsvector, one
interface. No stemming, so Polish, Spanish and Persian words are found as written."""

import re
from dataclasses import dataclass

from markupsafe import Markup, escape

from ..extensions import db

# Match markers that cannot occur in article text; turned into <mark> after escaping.
OPEN, CLOSE = "\x02", "\x03"
MAX_TERMS = 8
WORD = re.compile(r"\w+", re.UNICODE)
# Tables the search backends own; kept out of the models so each database gets its own kind.
TABLE_PREFIX = "search_"


@dataclass
class Hit:
    article_id: int
    score: float
    title: Markup      # escaped, with <mark> around matched words
    snippet: Markup


def terms(query: str) -> list[str]:
    """The words of a query, lower-cased, at most MAX_TERMS (the rest is ignored)."""
    return [w.lower() for w in WORD.findall(query or "")][:MAX_TERMS]


def marked(text: str | None) -> Markup:
    """Escape text from the index, then turn the backend's match markers into <mark>."""
    safe = str(escape((text or "").replace("\x00", "")))
    html = safe.replace(OPEN, "<mark>").replace(CLOSE, "</mark>")
    # Markup is safe here: escaped first, then only our own markers became tags.
    return Markup(html)  # nosec B704


def backend():
    """The search backend for the current database."""
    if db.engine.dialect.name == "postgresql":
        from .postgres import PostgresSearch
        return PostgresSearch()
    from .sqlite import SqliteSearch
    return SqliteSearch()


def search(query: str, limit: int = 10, *, any_term: bool = False) -> list[Hit]:
    """Published articles matching every word of the query (as prefixes), best first; with
    any_term, articles matching any word (for suggestions from free text)."""
    words = terms(query)
    if not words:
        return []
    return backend().search(words, limit, any_term=any_term)


def index_article(article) -> None:
    """Put a published article in the index (or take any other out), in the caller's
    transaction, so the index never disagrees with what was saved."""
    if article.is_published:
        backend().upsert(article)
    else:
        backend().remove(article.id)

