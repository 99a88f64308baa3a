"""Text that the status page turns into a link: a web address, a phone number."""

import re
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from wtforms import TelField, URLField
from wtforms.validators import ValidationError

from .base import display_text
from .text import TextType

LONGEST_ADDRESS = 2000
HOST = re.compile(r"^[^\s/?#@\[\]\\]+$")  # a name or an address, IPv6 without its brackets


def is_web_address(text: str) -> bool:
    """http or https, a host, nothing a browser would read differently (spaces, controls,
    backslashes, which browsers take for slashes)."""
    if not text or len(text) > LONGEST_ADDRESS or "\\" in text \
            or any(c.isspace() or ord(c) < 32 for c in text):
        return False
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(HOST.match(parts.hostname or ""))


class WebAddress:
    def __call__(self, form, field):
        if field.data and not is_web_address(field.data.strip()):
            raise ValidationError(_l("Enter a web address starting with http:// or https://, "
                                     "like https://example.com/page."))


class UrlType(TextType):
    wtf_class = URLField

    def rules(self, spec, locale, today):
        return [WebAddress(), *super().rules(spec, locale, today)]

    def answer_html(self, answer, ticket, locale):
        address = answer.value if isinstance(answer.value, str) else ""
        if not is_web_address(address):
            return super().answer_html(answer, ticket, locale)
        # nofollow: the address is the requester's; noopener: the page cannot reach ours.
        return Markup('<a href="%s" rel="noopener noreferrer nofollow">%s</a>') % (
            address, display_text(answer.display, locale))


PHONE_CHARACTERS = re.compile(r"^\+?[0-9 ()\-]+$")
FEWEST_DIGITS, MOST_DIGITS = 6, 20


def phone_digits(text: str) -> str | None:
    """'+48 (22) 123-45-67' -> '+48221234567' for a tel: link; None when it is no number."""
    text = text.strip()
    if not PHONE_CHARACTERS.match(text):
        return None
    digits = re.sub(r"\D", "", text)
    if not FEWEST_DIGITS <= len(digits) <= MOST_DIGITS:
        return None
    return ("+" if text.startswith("+") else "") + digits


class PhoneNumber:
    def __call__(self, form, field):
        if field.data and phone_digits(field.data) is None:
            raise ValidationError(_l(
                "Enter a phone number of 6 to 20 digits; spaces, +, - and brackets may be "
                "used, like +48 22 123 45 67."))


class PhoneType(TextType):
    wtf_class = TelField

    def rules(self, spec, locale, today):
        return [PhoneNumber(), *super().rules(spec, locale, today)]

    def value(self, data):
        return re.sub(r"\s+", " ", (data or "").strip()) or None

    def attributes(self, spec, field, locale):
        return {**super().attributes(spec, field, locale), "autocomplete": "tel"}

    def answer_html(self, answer, ticket, locale):
        number = phone_digits(answer.value) if isinstance(answer.value, str) else None
        if number is None:
            return super().answer_html(answer, ticket, locale)
        return Markup('<a href="tel:%s">%s</a>') % (number, display_text(answer.display, locale))
