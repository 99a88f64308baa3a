"""The one base of every "the rules say no" error: a view catches Refused and shows its message
to the person who tried; anything else that goes wrong is a bug, not a refusal."""


class Refused(Exception):
    """The action cannot be done; the message says why, fit to show the person who tried.
    `field` names the form field the message belongs to, when there is one."""

    def __init__(self, message, field: str | None = None):
        super().__init__(message)
        self.message = message  # may be a lazy text: rendered in the reader's language
        self.field = field

    def __str__(self) -> str:
        return str(self.message)
