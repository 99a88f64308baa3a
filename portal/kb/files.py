"""Articles as a folder of Markdown files with YAML front matter, so a team can keep them in git.

    ---
    title: Reset your password
    slug: reset-your-password
    category: Accounts
    tags:
    - password
    status: published
    language: en
    ---

    The body, in Markdown.

Import updates articles by slug and writes a revision only when something changed, so
importing the same folder twice changes nothing. Export writes keys in a fixed order, so
export → import → export gives identical files.
"""

import re
from pathlib import Path

import yaml
from sqlalchemy import select

from ..auth.models import User
from ..config import LANGUAGES
from ..extensions import db
from .authoring_forms import TAKEN_SLUGS, clean_body
from .models import Article, ArticleStatus
from .service import SLUG, ArticleError, clean_tags, save_article, summary_of

KEYS = ("title", "slug", "category", "tags", "status", "language", "summary")
FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|\Z)(.*)\Z", re.S)


class ArticleFileError(ValueError):
    """The file cannot be imported; the message says why."""


def changed_fields(article: Article, values: dict) -> dict:
    """Those of `values` that differ from the article as saved, compared the way the service
    stores them (cleaned tags, the automatic summary), so an unchanged save is recognised."""
    body = clean_body(values.get("body", article.body)) or ""
    wanted = dict(values)
    if "body" in wanted:
        wanted["body"] = body
    if "tags" in wanted:
        wanted["tags"] = clean_tags(wanted["tags"])
    for name in ("title", "category"):
        if name in wanted:
            wanted[name] = (wanted[name] or "").strip()
    if "summary" in wanted:
        wanted["summary"] = (wanted["summary"] or "").strip()[:500] or summary_of(body)
    current = {name: getattr(article, name) for name in wanted}
    if "body" in current:
        current["body"] = clean_body(current["body"] or "")
    return {name: value for name, value in wanted.items() if current[name] != value}


def read_article_file(path: Path) -> dict:
    """The slug and article fields of one file; ArticleFileError when it is not usable."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ArticleFileError("not UTF-8 text") from None
    if "\x00" in text:
        raise ArticleFileError("contains a NUL character")
    match = FRONT_MATTER.match(text.replace("\r\n", "\n"))
    if not match:
        raise ArticleFileError("no front matter: the file must start with a line '---', the "
                               "YAML keys, and another line '---'")
    try:
        meta = yaml.safe_load(match.group(1) or "") or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 2}: " if mark else ""
        raise ArticleFileError(f"{where}invalid YAML ({getattr(error, 'problem', error)})") \
            from None
    if not isinstance(meta, dict):
        raise ArticleFileError("the front matter must be keys and values")
    unknown = sorted(str(key) for key in meta if key not in KEYS)
    if unknown:
        raise ArticleFileError(f"unknown key {', '.join(unknown)} (known: {', '.join(KEYS)})")
    values = {name: text_value(meta, name) for name in ("title", "category", "summary")}
    slug = text_value(meta, "slug") or path.stem
    if slug != path.stem:
        raise ArticleFileError(f"slug {slug!r} differs from the file name; name the file "
                               f"{slug}.md")
    if not SLUG.match(slug) or len(slug) > 120 or slug in TAKEN_SLUGS:
        raise ArticleFileError(f"{slug!r} cannot be a slug: use lowercase letters, digits and "
                               "dashes, and not a reserved word")
    if not values["title"]:
        raise ArticleFileError("title is missing")
    if len(values["title"]) > 200:
        raise ArticleFileError("title is longer than 200 characters")
    tags = meta.get("tags") or []
    if not isinstance(tags, list | str) or any(isinstance(t, dict | list) for t in tags):
        raise ArticleFileError("tags must be a list of words")
    status = text_value(meta, "status") or ArticleStatus.DRAFT.value
    if status not in {s.value for s in ArticleStatus}:
        raise ArticleFileError(f"status {status!r} is not one of draft, published, archived")
    language = text_value(meta, "language") or "en"
    if language not in LANGUAGES:
        raise ArticleFileError(f"language {language!r} is not one of {', '.join(LANGUAGES)}")
    body = clean_body(match.group(2))
    return {"slug": slug, **values, "tags": clean_tags(tags), "status": ArticleStatus(status),
            "language": language, "body": body}


def text_value(meta: dict, name: str) -> str:
    """A scalar from the front matter as text (YAML reads `2024` or `yes` as other types)."""
    value = meta.get(name)
    if value is None:
        return ""
    if isinstance(value, dict | list):
        raise ArticleFileError(f"{name} must be text")
    return str(value).strip()


def import_folder(path, editor: User | None = None) -> dict:
    """Create or update an article from each `*.md` file; the caller commits. A bad file is
    reported and leaves nothing behind; the others are imported all the same."""
    result = {"created": [], "updated": [], "unchanged": [], "errors": []}
    for file in sorted(Path(path).glob("*.md")):
        try:
            values = read_article_file(file)
        except ArticleFileError as error:
            result["errors"].append((file.name, str(error)))
            continue
        slug = values.pop("slug")
        article = db.session.scalar(select(Article).where(Article.slug == slug))
        changes = values if article is None else changed_fields(article, values)
        if not changes:
            result["unchanged"].append(slug)
            continue
        # A savepoint per file: a refusal from the service undoes just this file's changes.
        savepoint = db.session.begin_nested()
        try:
            save_article(article or Article(slug=slug), editor, f"Imported from {file.name}",
                         **changes)
            savepoint.commit()
        except ArticleError as error:
            savepoint.rollback()
            result["errors"].append((file.name, str(error)))
            continue
        result["created" if article is None else "updated"].append(slug)
    return result


def article_text(article: Article) -> str:
    """One article as a file: front matter in a fixed key order, then the body."""
    meta = {"title": article.title, "slug": article.slug, "category": article.category or "",
            "tags": list(article.tags or []), "status": str(article.status.value),
            "language": article.language}
    # An automatic summary is left out, so it keeps following the body after edits in git.
    if article.summary and article.summary != summary_of(article.body):
        meta["summary"] = article.summary
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
    body = clean_body(article.body or "")
    return f"---\n{front}---\n" + (f"\n{body}\n" if body else "")


def export_folder(path) -> int:
    """Write every article, whatever its status, to `<slug>.md` in the folder; the count."""
    folder = Path(path)
    folder.mkdir(parents=True, exist_ok=True)
    count = 0
    for article in db.session.scalars(select(Article).order_by(Article.slug)):
        (folder / f"{article.slug}.md").write_text(article_text(article), encoding="utf-8")
        count += 1
    return count
