"""Knowledge-base search at scale: seed N articles, then time realistic queries.

    .venv/bin/python bench/search.py --articles 50000                      # SQLite (fresh file)
    .venv/bin/python bench/search.py --articles 50000 --database postgresql+psycopg://127.0.0.1/bench

Two corpora. `zipf` (default): each article's words follow a Zipf distribution over a large
vocabulary, as words do in real text, and one article in ten also quotes sentences of a demo
article, so the demo's words (vpn, printer, hasło...) are as common as a topic is in a real base
(a few per cent of articles). `repeated`: every article is a shuffled demo article, so common
words such as "laptop" occur in half the base: a worst case, reported beside the first.
"""

import argparse
import json
import random
import re
import time
from pathlib import Path

from common import ROOT, make_app, summary

QUERIES = ["vpn", "vpn cert", "printer", "print", "password reset", "passw", "laptop",
           "mfa", "wifi guest", "phishing", "hasło", "drukarka", "contraseña", "conexión",
           "shared mailbox", "software licence", "onboarding", "toner", "timeout",
           "account locked", "monitor", "firewall rule", "admin rights", "stolen",
           "change freeze", "zzzz nothing", "vpn connection timeout certificate", "a", "the",
           "kalo", "mite", "prament", "sa", "vel do"]
EXTRA = [
    "server", "network", "ticket", "portal", "account", "access", "request", "approval",
    "manager", "team", "desk", "remote", "office", "calendar", "meeting", "room", "projector",
    "headset", "keyboard", "mouse", "docking", "license", "renewal", "budget", "invoice",
    "supplier", "warranty", "repair", "backup", "restore", "archive", "encryption", "token",
    "device", "phone", "tablet", "browser", "cache", "cookie", "update", "patch"
]


def corpus() -> list[tuple[str, str, list[str]]]:
    """(title, sentence list, tags) of the demo articles."""
    found = []
    for path in sorted((ROOT / "kb").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        head, _, body = text.partition("\n---\n")
        title = re.search(r"^title: (.+)$", head, re.M).group(1).strip()
        tags = re.search(r"^tags: \[(.*)\]$", head, re.M).group(1).split(", ")
        sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+", body) if len(s) > 20]
        found.append((title, sentences, tags))
    return found


def pseudo_words(rng: random.Random, count: int) -> list[str]:
    syllables = ["ka", "lo", "mi", "ter", "sa", "on", "ri", "vel", "do", "pra", "us", "ne",
                 "zo", "fi", "gra", "ment", "is", "tu", "bel", "cor"]
    words = set()
    while len(words) < count:
        words.add("".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def zipf_picker(rng: random.Random, words: list[str]):
    weights = [1 / (rank + 1) for rank in range(len(words))]
    cumulative, total = [], 0.0
    for weight in weights:
        total += weight
        cumulative.append(total)
    return lambda k: rng.choices(words, cum_weights=cumulative, k=k)


def article_text(corpus_kind, rng, sources, pick):
    """(title, summary, body, tags) of one generated article."""
    title, sentences, tags = rng.choice(sources)
    if corpus_kind == "repeated":
        body = " ".join(rng.sample(sentences, min(len(sentences), 12)))
        body += " " + " ".join(rng.sample(EXTRA, 8))
        return f"{title} ({rng.choice(EXTRA)})", sentences[0][:300], body, tags
    words = pick(160)
    quoted = rng.random() < 0.1
    head = title if quoted else " ".join(pick(4)).capitalize()
    body = " ".join(words[20:])
    if quoted:
        body = " ".join(rng.sample(sentences, min(len(sentences), 3))) + " " + body
    return head, " ".join(words[:20]), body, (tags if quoted else pick(3))


def seed(app, count: int, rng: random.Random, corpus_kind: str = "zipf") -> float:
    from sqlalchemy import insert, text

    from portal.extensions import db
    from portal.kb.models import Article
    from portal.web.markdown import plain_text

    sources = corpus()
    pick = zipf_picker(rng, pseudo_words(rng, 30000))
    started = time.perf_counter()
    with app.app_context():
        dialect = db.engine.dialect.name
        batch, rows = 2000, []
        for n in range(count):
            title, summary_text, body, tags = article_text(corpus_kind, rng, sources, pick)
            rows.append({"id": n + 1, "slug": f"bench-{n + 1}", "title": title[:200],
                         "summary": summary_text[:300], "body": body, "category": "Bench",
                         "tags": tags, "language": "en", "status": "published",
                         "published_at": None})
            if len(rows) == batch or n == count - 1:
                db.session.execute(insert(Article), rows)
                index = [{"id": r["id"], "title": r["title"], "tags": " ".join(r["tags"]),
                          "summary": r["summary"], "body": plain_text(r["body"])} for r in rows]
                if dialect == "postgresql":
                    db.session.execute(text(
                        "INSERT INTO search_documents (article_id, title, summary, body, "
                        "document) VALUES (:id, :title, :summary, :body, "
                        "setweight(to_tsvector('simple', :title), 'A') || "
                        "setweight(to_tsvector('simple', :tags), 'A') || "
                        "setweight(to_tsvector('simple', :summary), 'B') || "
                        "setweight(to_tsvector('simple', :body), 'C'))"), index)
                else:
                    db.session.execute(text(
                        "INSERT INTO search_fts (rowid, title, tags, summary, body) "
                        "VALUES (:id, :title, :tags, :summary, :body)"), index)
                db.session.commit()
                rows = []
        if dialect == "postgresql":
            db.session.execute(text("ANALYZE search_documents"))
            db.session.commit()
    return time.perf_counter() - started


def measure(app, rounds: int) -> dict:
    from portal.search import search

    timings, per_query = [], {}
    with app.app_context():
        for query in QUERIES:  # warm-up
            search(query)
        for _ in range(rounds):
            for query in QUERIES:
                started = time.perf_counter()
                hits = search(query, limit=10)
                elapsed = (time.perf_counter() - started) * 1000
                timings.append(elapsed)
                per_query.setdefault(query, []).append(elapsed)
                per_query[query + " (hits)"] = len(hits)
    result = summary(timings)
    result["slowest"] = sorted(
        ((q, round(sorted(v)[len(v) // 2], 2)) for q, v in per_query.items()
         if isinstance(v, list)), key=lambda x: -x[1])[:5]
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=50000)
    parser.add_argument("--database", default=None,
                        help="SQLAlchemy URL of an EMPTY database (default: new SQLite file)")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--corpus", choices=["zipf", "repeated"], default="zipf")
    args = parser.parse_args()
    app, url = make_app(args.database)
    seconds = seed(app, args.articles, random.Random(7), args.corpus)
    result = {"database": url.split("://")[0], "articles": args.articles,
              "corpus": args.corpus,
              "seed_seconds": round(seconds, 1), **measure(app, args.rounds)}
    print(json.dumps(result, indent=2, ensure_ascii=False))
    Path(ROOT / "bench" / "results").mkdir(exist_ok=True)
    out = (ROOT / "bench" / "results"
           / f"search-{result['database'].split('+')[0]}-{args.corpus}.json")
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
