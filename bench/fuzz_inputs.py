"""What the fuzzer sends: random hostile values, and the forms and links it finds on pages.

Every choice comes from a random.Random the caller seeds, so a run can be repeated.
"""

import contextlib
import re
import threading
import urllib.parse
from html.parser import HTMLParser

# Numbers that break naive int handling: SQLite and PostgreSQL integers end at 2**63 - 1.
HOSTILE_INTS = ("0", "-1", "1", "2147483647", "2147483648", "9223372036854775807",
                "9223372036854775808", str(2**64), "9" * 40, "1e3", "0x10", "+7", " 3")
HOSTILE_TEXT = ("", " ", "\t", "\x09", "\r\n", "%00", "\x00", "\x1b[31m", "\u202e", "\ufeff",
                "\udcff", "😀" * 3, "ﷺ", "<script>alert(1)</script>", "' OR 1=1 --", "../../etc",
                "%", "%%", "{{7*7}}", "${x}", "me", "NaN", "null", "true", "2026-02-30",
                "9999-12-31", "0001-01-01", "1970-01-01", "\u0000x", "é", "ß" * 50, "\\")
QUERY_KEYS = ("q", "page", "state", "team", "from", "to", "group", "category", "item",
              "status", "sort", "order", "assignee", "priority", "lang", "next", "role", "kind",
              "type", "view", "mine", "filter", "tab")
HX_TARGETS = ("dashboard-results", "queue-results", "results", "main", "search-results",
              "kb-suggestions", "nav", "")
LANGUAGES = ("pl", "es", "fa", "en-US,en;q=0.9", "xx", "*", "pl;q=abc", ";;;", "fa-IR;q=1.5",
             "\u00e9\u00e8", "a" * 300, "")


def random_unicode(rng, n: int) -> str:
    """n characters from everywhere: ASCII controls, Latin, RTL scripts, emoji, surrogates."""
    ranges = ((0, 0x20), (0x20, 0x7f), (0x80, 0x250), (0x590, 0x700), (0x2000, 0x2070),
              (0x4e00, 0x4f00), (0xd800, 0xe000), (0xfff0, 0x10000), (0x1f600, 0x1f650))
    out = []
    for _ in range(n):
        low, high = rng.choice(ranges)
        out.append(chr(rng.randrange(low, high)))
    return "".join(out)


def fuzz_text(rng) -> str:
    roll = rng.random()
    if roll < 0.35:
        return rng.choice(HOSTILE_TEXT)
    if roll < 0.45:
        return rng.choice(HOSTILE_INTS)
    if roll < 0.5:
        return rng.choice("ax😀\x01") * rng.choice((1000, 10000, 100000))  # huge values
    return random_unicode(rng, rng.randrange(1, 40))


def fuzz_int(rng) -> str:
    return rng.choice(HOSTILE_INTS) if rng.random() < 0.7 else str(rng.randrange(-5, 5000))


def quote(value: str) -> str:
    """Percent-encode for a URL; lone surrogates go out as the bytes a broken client sends."""
    return urllib.parse.quote(value.encode("utf-8", "surrogatepass"), safe="")


def query_string(rng, keep: dict | None = None) -> str:
    pairs = list((keep or {}).items())
    for _ in range(rng.randrange(0, 5)):
        key = rng.choice(QUERY_KEYS) if rng.random() < 0.85 else fuzz_text(rng)[:30]
        pairs.append((key, fuzz_text(rng)))
    rng.shuffle(pairs)
    return "&".join(f"{quote(k)}={quote(v)}" for k, v in pairs)


def fuzz_headers(rng, cookie: str) -> dict:
    headers = {"Cookie": cookie}
    if rng.random() < 0.3:
        headers["HX-Request"] = rng.choice(("true", "false", "1", ""))
        headers["HX-Target"] = rng.choice(HX_TARGETS) if rng.random() < 0.8 else \
            fuzz_text(rng)[:80]
    if rng.random() < 0.3:
        headers["Accept-Language"] = rng.choice(LANGUAGES)
    if rng.random() < 0.04:  # a damaged or foreign cookie: the request is anonymous
        headers["Cookie"] = rng.choice(("session=garbage", "session=" + "A" * 4000,
                                        cookie[:-5], "session=.eJw.x.y", "a=b; session="))
    if rng.random() < 0.05:
        headers["X-Request-ID"] = fuzz_text(rng)[:100]
    # Latin-1 on the wire; CR and LF would split the header, which the client refuses to do.
    return {k: v.encode("latin-1", "replace").decode("latin-1").replace("\r", " ")
            .replace("\n", " ") for k, v in headers.items()}


class PageParser(HTMLParser):
    """Forms (action, method, fields with their offered values) and same-site links."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self.links, self._form, self._select = [], set(), None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and (a.get("href") or "").startswith("/"):
            self.links.add(a["href"])
        elif tag == "form":
            self._form = {"action": a.get("action") or "", "method": (a.get("method") or
                          "get").lower(), "fields": {}}
            self.forms.append(self._form)
        elif self._form is not None and tag in ("input", "textarea", "select", "button"):
            name = a.get("name")
            if not name:
                return
            values = self._form["fields"].setdefault(name, [])
            if a.get("value") is not None:
                values.append(a["value"])
            self._select = name if tag == "select" else None
        elif tag == "option" and self._form is not None and self._select:
            self._form["fields"][self._select].append(a.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def parse_page(html: str) -> PageParser:
    parser = PageParser()
    with contextlib.suppress(Exception):  # a page it chokes on gives what it gave so far
        parser.feed(html)
    return parser


class Harvest:
    """Real URLs and forms seen on pages, shared by the clients, bounded in size."""

    LIMIT = 3000

    def __init__(self):
        self.lock = threading.Lock()
        self.links: list[str] = []
        self.forms: dict[str, dict] = {}
        self._seen: set[str] = set()

    def add(self, page: PageParser, here: str) -> None:
        with self.lock:
            for link in page.links:
                if link not in self._seen and len(self.links) < self.LIMIT:
                    self._seen.add(link)
                    self.links.append(link)
            for form in page.forms:
                if form["method"] == "post" and len(self.forms) < self.LIMIT:
                    action = form["action"] or here
                    self.forms.setdefault(action.split("#")[0], form)

    def form_for(self, path: str) -> dict | None:
        with self.lock:
            return self.forms.get(path)

    def pick_link(self, rng) -> str | None:
        with self.lock:
            return rng.choice(self.links) if self.links else None

    def pick_form(self, rng) -> tuple[str, dict] | None:
        with self.lock:
            return rng.choice(list(self.forms.items())) if self.forms else None

    def matching(self, pattern: re.Pattern) -> list[str]:
        with self.lock:
            return [link for link in self.links if pattern.fullmatch(link.split("?")[0])]


def form_values(rng, form: dict, csrf: str, mutate: float) -> list[tuple[str, str]]:
    """A form's fields: offered values, each replaced by a hostile one with `mutate` chance;
    the session's CSRF token most of the time (a missing or wrong one must be a 400)."""
    pairs = []
    for name, offered in form["fields"].items():
        if name == "csrf_token":
            continue
        if rng.random() < mutate or not offered:
            pairs.append((name, fuzz_text(rng) if rng.random() < 0.8 else fuzz_int(rng)))
        else:
            pairs.append((name, rng.choice(offered)))
    roll = rng.random()
    if roll < 0.92:
        pairs.append(("csrf_token", csrf))
    elif roll < 0.96:
        pairs.append(("csrf_token", fuzz_text(rng)))
    return pairs
