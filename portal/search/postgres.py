"""PostgreSQL: a tsvector per article with the 'simple' configuration (no English stemming),
title and tags weighted A, summary B, body C, under a GIN index; prefix matching with :*."""

from sqlalchemy import text

from ..extensions import db
from ..web.markdown import plain_text
from . import CLOSE, OPEN, Hit, marked

HEADLINE = (f"StartSel={OPEN}, StopSel={CLOSE}, MaxWords=30, MinWords=12, "
            "MaxFragments=1, FragmentDelimiter=…")


class PostgresSearch:
    def upsert(self, article) -> None:
        db.session.execute(text(
            "INSERT INTO search_documents (article_id, title, summary, body, document) "
            "VALUES (:id, :title, :summary, :body, "
            "  setweight(to_tsvector('simple', :title), 'A') || "
            "  setweight(to_tsvector('simple', :tags), 'A') || "
            "  setweight(to_tsvector('simple', :summary), 'B') || "
            "  setweight(to_tsvector('simple', :body), 'C')) "
            "ON CONFLICT (article_id) DO UPDATE SET title = EXCLUDED.title, "
            "  summary = EXCLUDED.summary, body = EXCLUDED.body, document = EXCLUDED.document"),
            {"id": article.id, "title": article.title, "tags": " ".join(article.tags or []),
             "summary": article.summary or "", "body": plain_text(article.body)})

    def remove(self, article_id: int) -> None:
        db.session.execute(text("DELETE FROM search_documents WHERE article_id = :id"),
                           {"id": article_id})

    def clear(self) -> None:
        db.session.execute(text("DELETE FROM search_documents"))

    def search(self, words: list[str], limit: int, *, any_term: bool) -> list[Hit]:
        # Quoted lexemes: nothing in the words can be read as tsquery syntax.
        joiner = " | " if any_term else " & "
        query = joiner.join("'" + w.replace("'", "").replace("\\", "") + "'"
                            + (":*" if len(w) > 1 else "") for w in words)
        # Rank and limit first; headlines (the costly part) only for the rows shown.
        rows = db.session.execute(text(
            "WITH q AS (SELECT to_tsquery('simple', :query) AS query), "
            "top AS (SELECT d.article_id, ts_rank_cd(d.document, q.query) AS rank "
            "        FROM search_documents d, q WHERE d.document @@ q.query "
            "        ORDER BY rank DESC, d.article_id LIMIT :limit) "
            "SELECT top.article_id, top.rank, "
            "  ts_headline('simple', d.title, q.query, :title_opts), "
            "  ts_headline('simple', d.summary || ' ' || d.body, q.query, :opts) "
            "FROM top JOIN search_documents d USING (article_id), q "
            "ORDER BY top.rank DESC, top.article_id"),
            {"query": query, "limit": limit, "opts": HEADLINE,
             "title_opts": f"StartSel={OPEN}, StopSel={CLOSE}, HighlightAll=true"}).all()
        return [Hit(row[0], float(row[1]), marked(row[2]), marked(row[3])) for row in rows]
