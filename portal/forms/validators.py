"""WTForms validators for the catalog's rules, with messages a requester understands."""

from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms.validators import StopValidation, ValidationError

from ..auth.models import find_user
from ..catalog.patterns import PatternError, compile_pattern
from . import filetypes


class Required:
    """Required, where 'empty' depends on the field (an empty list, an unchecked box...)."""

    field_flags = {"required": True}

    def __init__(self, message=None):
        self.message = message or _l("This field is required.")

    def __call__(self, form, field):
        data = field.data
        empty = data is None or data == "" or data == [] or data is False
        if isinstance(data, str) and not data.strip():
            empty = True
        if hasattr(data, "filename"):  # an upload
            empty = not data.filename
        if empty and field.process_errors and typed(field):
            # Something was typed that does not parse: its own message says more.
            raise StopValidation()
        if empty:
            field.errors[:] = []
            raise StopValidation(self.message)


def typed(field) -> bool:
    """Whether the submission held non-blank text for the field."""
    return any(isinstance(v, str) and v.strip() for v in field.raw_data or [])


class Optional:
    """Skip the remaining validators when nothing was given."""

    field_flags = {"optional": True}

    def __call__(self, form, field):
        # A number or date that failed to parse has data None but raw input: keep its error.
        raw = [v for v in (field.raw_data or []) if not (isinstance(v, str) and not v.strip())]
        if raw and not hasattr(raw[0], "filename"):
            return
        data = field.data
        no_file = hasattr(data, "filename") and not data.filename
        if data is None or data == "" or data == [] or no_file:
            field.errors[:] = []
            raise StopValidation()


class Between:
    """A number, date or count within inclusive bounds (either may be None)."""

    def __init__(self, low, high, too_low, too_high, measure=lambda v: v):
        self.low, self.high = low, high
        self.too_low, self.too_high = too_low, too_high
        self.measure = measure

    def __call__(self, form, field):
        value = self.measure(field.data)
        if value is None:
            return
        if self.low is not None and value < self.low:
            raise ValidationError(self.too_low)
        if self.high is not None and value > self.high:
            raise ValidationError(self.too_high)


class Step:
    """A number that is min + k·step, as <input type=number step> requires."""

    def __init__(self, step, base):
        self.step = Decimal(str(step))
        self.base = Decimal(str(base or 0))

    def __call__(self, form, field):
        if field.data is None or not self.step:
            return
        try:
            remainder = (Decimal(field.data) - self.base) % self.step
        except InvalidOperation:
            raise ValidationError(_("Enter a number.")) from None
        if remainder != 0:
            raise ValidationError(_("Use steps of %(step)s.", step=self.step.normalize()))


class Length:
    """Text length bounds, counted in characters."""

    def __init__(self, low, high):
        self.low, self.high = low, high

    def __call__(self, form, field):
        n = len(field.data or "")
        if self.low is not None and n < self.low:
            raise ValidationError(
                _("Use at least %(min)d characters (you used %(n)d).", min=self.low, n=n)
            )
        if self.high is not None and n > self.high:
            raise ValidationError(
                _("Use at most %(max)d characters (you used %(n)d).", max=self.high, n=n)
            )


class Pattern:
    """Text that matches the field's `pattern` from its start, with the same engine (RE2)
    the catalog check compiled it with, so no answer can make matching backtrack."""

    def __init__(self, pattern: str, message):
        self.message = message
        try:
            self.regex = compile_pattern(pattern)
        except PatternError:  # the catalog check refuses such a catalog: never served
            self.regex = None

    def __call__(self, form, field):
        if self.regex is None or self.regex.match(field.data or "") is None:
            raise ValidationError(self.message)


class FileRules:
    """Extension and size limits of an upload, and bytes that are what the name says."""

    def __init__(self, accept, max_size):
        self.accept = [a.lower() for a in (accept or [])]
        self.max_size = max_size

    def __call__(self, form, field):
        upload = field.data
        if not upload or not getattr(upload, "filename", ""):
            return
        name = upload.filename.lower()
        if self.accept and not any(name.endswith(ext) for ext in self.accept):
            raise ValidationError(
                _("Choose a file of type %(types)s.", types=", ".join(self.accept))
            )
        if self.max_size is not None:
            upload.stream.seek(0, 2)
            size = upload.stream.tell()
            upload.stream.seek(0)
            if size > self.max_size:
                raise ValidationError(
                    _("The file is too large: %(size)s; the limit is %(limit)s.",
                      size=human_size(size), limit=human_size(self.max_size))
                )
        reason = filetypes.problem(upload.filename, upload.stream)
        if reason:
            raise ValidationError(reason)


class FileContents:
    """Each of several uploads is what its name says (for fields with no catalog rules)."""

    def __call__(self, form, field):
        for upload in field.data or []:
            if getattr(upload, "filename", ""):
                reason = filetypes.problem(upload.filename, upload.stream)
                if reason:
                    raise ValidationError(reason)


class ExistingUser:
    """The value names an active portal user (by email)."""

    def __call__(self, form, field):
        if not field.data:
            return
        user = find_user(field.data)
        if user is None or not user.active:
            raise ValidationError(_("No portal user has the email %(email)s.", email=field.data))


def human_size(n: int) -> str:
    """1536 -> '1.5 KB'."""
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n} {unit}" if unit == "bytes" else f"{n:.1f} {unit}".replace(".0 ", " ")
        n /= 1024
    return str(n)
