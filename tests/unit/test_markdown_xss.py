"""Article Markdown is rendered by a maintained parser and sanitised: whatever an author
writes (or pastes), no script, event handler or dangerous URL reaches a reader's browser."""

import html
import re
from html.parser import HTMLParser

import pytest

from portal.web.markdown import render_markdown

PAYLOADS = [
    # Script tags, plain and disguised
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<!-- x --><script>alert(1)</script>",
    "## <script>alert(1)</script> heading",
    # Event handlers
    "<img src=x onerror=alert(1)>",
    '<a href="https://example.com" onclick="alert(1)">x</a>',
    "<details open ontoggle=alert(1)>x</details>",
    "<body onload=alert(1)>",
    '[x](https://example.com "t" onmouseover="alert(1)")',
    '[x](https://example.com "a\\" onmouseover=\\"alert(1)")',
    "| a |\n|---|\n| <img src=x onerror=alert(1)> |",
    # javascript:, vbscript: and data: in links and images, in every disguise
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](  javascript:alert(1)  )",
    "[x](<javascript:alert(1)>)",
    "[x](&#106;avascript:alert(1))",
    "[x](&#x6A;&#x61;vascript:alert(1))",
    "[x](javascript&colon;alert(1))",
    "[x](java&#x09;script:alert(1))",
    "[x](java\tscript:alert(1))",
    "[x](vbscript:msgbox(1))",
    "[x](VBScript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:alert(1))",
    "![x](JAVASCRIPT:alert(1))",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "![x](&#x64;ata:image/svg+xml,<svg onload=alert(1)>)",
    '<a href="javascript:alert(1)">x</a>',
    '<img src="jav&#x09;ascript:alert(1)">',
    # Markdown autolinks and reference links
    "<javascript:alert(1)>",
    "<JaVaScRiPt:alert(1)>",
    "<vbscript:msgbox(1)>",
    "<data:text/html,<script>alert(1)</script>>",
    "[x][evil]\n\n[evil]: javascript:alert(1)",
    "[evil]\n\n[evil]: JAVASCRIPT:alert(1) \"title\"",
    "![x][pic]\n\n[pic]: data:image/svg+xml;base64,PHN2Zz4=",
    "[x][v]\n\n[v]: <vbscript:msgbox(1)>",
    # SVG and MathML
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<math><maction actiontype="statusline" xlink:href="javascript:alert(1)">x</maction></math>',
    # style, iframe, object, embed, forms, meta
    "<style>body { background: url(javascript:alert(1)) }</style>",
    '<p style="background:url(javascript:alert(1))">x</p>',
    "<iframe src=javascript:alert(1)></iframe>",
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="data:text/html,<script>alert(1)</script>">',
    '<form action="javascript:alert(1)"><button>x</button></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
]

SAFE_SCHEMES = {"http", "https", "mailto"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "srcset",
                  "background", "poster"}
FORBIDDEN_TAGS = {"script", "style", "iframe", "object", "embed", "svg", "math", "form",
                  "meta", "base", "link", "body", "details"}


class Elements(HTMLParser):
    """Every start tag and its attributes, as a browser would parse them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))


def elements(markup: str) -> list:
    parser = Elements()
    parser.feed(markup)
    parser.close()
    return parser.found


def scheme(url: str) -> str | None:
    """The scheme a browser would see: entities decoded, tabs and newlines dropped."""
    url = re.sub(r"[\t\n\r]", "", html.unescape(url or "")).strip("\x00\x01\x02 \x0b\x0c")
    match = re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*):", url)
    return match.group(1).lower() if match else None


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_is_neutralised(payload):
    out = str(render_markdown(payload))
    assert "<script" not in out.lower()
    # Attribute values are quoted and escaped: what is left inside tags are the names.
    tags_only = re.sub(r'"[^"]*"', '""', out)
    assert not re.search(r"<[^>]*\son\w+\s*=", tags_only, re.I), out
    for tag, attrs in elements(out):
        assert tag not in FORBIDDEN_TAGS, out
        for name, value in attrs:
            assert not name.startswith("on"), out
            assert name not in {"style", "srcdoc"}, out
            if name in URL_ATTRIBUTES:
                assert scheme(value) in SAFE_SCHEMES | {None}, out
    for url in re.findall(r'<[a-z][^>]*\s(?:href|src)="([^"]*)"', out):
        assert scheme(url) not in {"javascript", "vbscript", "data"}, out


def test_the_list_is_long_enough():
    assert len(PAYLOADS) >= 25


def test_safe_links_and_images_stay():
    out = str(render_markdown("[docs](https://example.com/a?b=1) ![logo](/static/logo.png) "
                              "<https://example.com> [mail](mailto:help@example.com)"))
    assert '<a href="https://example.com/a?b=1" rel="noopener noreferrer nofollow">docs</a>' \
        in out
    assert '<img src="/static/logo.png" alt="logo">' in out
    assert 'href="mailto:help@example.com"' in out


def test_headings_get_ids():
    out = str(render_markdown("# Title\n\n## Install the VPN client\n\n### Step 2: sign in"))
    assert '<h2 id="install-the-vpn-client">Install the VPN client</h2>' in out
    assert '<h3 id="step-2-sign-in">' in out


def test_tables_and_code_blocks_render():
    text = ("| Setting | Value |\n|:--|--:|\n| Port | 443 |\n\n"
            "```python\nprint('<b>hi</b>')\n```\n\nRun `ls -l` ~~not rm~~.")
    out = str(render_markdown(text))
    assert "<table>" in out and "<th" in out and "<td" in out and "443" in out
    assert '<pre><code class="language-python">print(\'&lt;b&gt;hi&lt;/b&gt;\')' in out
    assert "<code>ls -l</code>" in out and "<s>not rm</s>" in out


def test_empty_and_none():
    assert str(render_markdown(None)) == ""
    assert str(render_markdown("")) == ""
