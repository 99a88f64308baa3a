"""Fields that are not typed text: an upload, and the display-only markdown and section."""

from flask import url_for
from flask_babel import gettext as _
from flask_wtf.file import FileField
from jinja2.filters import do_filesizeformat
from markupsafe import Markup, escape

from ...catalog import parse_size
from .. import validators as v
from .base import FieldType


class FileType(FieldType):
    wtf_class = FileField
    upload = True
    reads_as = "file"

    def rules(self, spec, locale, today):
        limit = parse_size(spec.max_size) if spec.max_size else None
        return [v.FileRules(spec.accept, limit)]

    def default(self, spec, today):
        return None

    def from_query(self, spec, raw, today):
        return None

    def value(self, data):
        return None  # set by the ticket service once the file is stored

    def attributes(self, spec, field, locale):
        return {"accept": ",".join(spec.accept)} if spec.accept else {}

    def after_input(self, spec, field, locale):
        if not spec.max_size:
            return Markup("")
        note = escape(_("Up to %(size)s.", size=spec.max_size))
        if spec.accept:
            note += Markup(" ") + _("Types: %(types)s.", types=", ".join(spec.accept))
        return Markup('<p class="field-help">%s</p>') % note

    def answer_html(self, answer, ticket, locale):
        """A link to the stored file, with its size."""
        stored = next((a for a in ticket.attachments if a.field_id == answer.field_id), None)
        if stored is None:
            return super().answer_html(answer, ticket, locale)
        href = url_for("tickets.attachment", number=ticket.number, attachment_id=stored.id)
        return Markup('<a href="%s">%s</a> <span class="muted">(%s)</span>') % (
            href, stored.filename, do_filesizeformat(stored.size))


class DisplayOnly(FieldType):
    """markdown and section: shown on the form, never an input."""

    input = False
    widget = "note"
