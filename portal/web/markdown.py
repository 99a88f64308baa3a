"""Markdown to safe HTML: a maintained parser, then an allow-list sanitiser."""

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_md = MarkdownIt("commonmark", {"linkify": False, "html": False}).enable("table").enable(
    "strikethrough")

_TAGS = {
    "p", "br", "hr", "strong", "em", "del", "s", "code", "pre", "blockquote", "ul", "ol", "li",
    "a", "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "img",
}
_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "th": {"align"},
               "td": {"align"}, "code": {"class"}, "h1": {"id"}, "h2": {"id"}, "h3": {"id"},
               "h4": {"id"}}


def render_markdown(text: str | None) -> Markup:
    """Render Markdown and strip anything unsafe whatever the author wrote."""
    html = _md.render(text or "")
    clean = nh3.clean(
        html, tags=_TAGS, attributes=_ATTRIBUTES, url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return Markup(clean)
