"""Markdown to safe HTML: a maintained parser, then an allow-list sanitiser."""

import html
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup
from mdit_py_plugins.anchors import anchors_plugin

# Raw HTML is off in the parser, and the sanitiser below is the second line of defence.
_md = (MarkdownIt("commonmark", {"linkify": False, "html": False})
       .enable("table").enable("strikethrough")
       .use(anchors_plugin, min_level=2, max_level=4, permalink=False))

_TAGS = {
    "p", "br", "hr", "strong", "em", "del", "s", "code", "pre", "blockquote", "ul", "ol", "li",
    "a", "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "img",
}
_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "th": {"align"},
               "td": {"align"}, "code": {"class"}, "h1": {"id"}, "h2": {"id"}, "h3": {"id"},
               "h4": {"id"}}
_BLOCK_END = ("</p>", "</li>", "</h1>", "</h2>", "</h3>", "</h4>", "</td>", "</th>", "</pre>")


def render_markdown(text: str | None) -> Markup:
    """Render Markdown and strip anything unsafe whatever the author wrote."""
    text = text or ""
    return _cached_markdown(text) if len(text) <= _CACHED_LENGTH else _render_markdown(text)


# Catalog descriptions and articles are rendered on every view of their page, and the same
# text always gives the same HTML: recent ones are kept, few and short enough to bound memory.
_CACHED_LENGTH = 16_000


def _render_markdown(text: str) -> Markup:
    html = _md.render(text)
    clean = nh3.clean(
        html, tags=_TAGS, attributes=_ATTRIBUTES, url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    # Markup is safe here: nh3 kept only the tags and attributes listed above.
    return Markup(clean)  # nosec B704


_cached_markdown = lru_cache(maxsize=256)(_render_markdown)


def plain_text(text: str | None) -> str:
    """The words of a Markdown text without its markup (for search indexes and summaries)."""
    rendered = _md.render(text or "")
    for end in _BLOCK_END:
        rendered = rendered.replace(end, end + " ")
    return " ".join(html.unescape(nh3.clean(rendered, tags=set())).split())
