"""SQLite FTS5: a contentful virtual table keyed by article id, unicode61 with diacritics
folded (so 'haslo' also finds 'hasło'), bm25 with title and tags weighing most."""

from sqlalchemy import text

from ..extensions import db
from ..web.markdown import plain_text
from . import CLOSE, OPEN, Hit, marked


class SqliteSearch:
    def upsert(self, article) -> None:
        self.remove(article.id)
        db.session.execute(text(
            "INSERT INTO search_fts (rowid, title, tags, summary, body) "
            "VALUES (:id, :title, :tags, :summary, :body)"), {
            "id": article.id, "title": article.title, "tags": " ".join(article.tags or []),
            "summary": article.summary or "", "body": plain_text(article.body)})

    def remove(self, article_id: int) -> None:
        db.session.execute(text("DELETE FROM search_fts WHERE rowid = :id"), {"id": article_id})

    def clear(self) -> None:
        db.session.execute(text("DELETE FROM search_fts"))

    def search(self, words: list[str], limit: int, *, any_term: bool) -> list[Hit]:
        # Each word quoted (no FTS5 syntax gets through) and matched as a prefix; a single
        # letter as a prefix would match nearly everything, so it must match a whole word.
        match = (" OR " if any_term else " ").join(
            '"' + w.replace('"', "") + '"' + ("*" if len(w) > 1 else "") for w in words)
        # bm25's column weights: title 10, tags 8, summary 3, body 1.
        rows = db.session.execute(text(
            "SELECT rowid, bm25(search_fts, 10.0, 8.0, 3.0, 1.0) AS rank, "
            "highlight(search_fts, 0, :open, :close), "
            "snippet(search_fts, -1, :open, :close, '…', 18) "
            "FROM search_fts WHERE search_fts MATCH :match ORDER BY rank LIMIT :limit"),
            {"match": match, "limit": limit, "open": OPEN, "close": CLOSE}).all()
        return [Hit(row[0], -row[1], marked(row[2]), marked(row[3])) for row in rows]
