"""The engine for a text field's `pattern`: RE2, whose matching time grows linearly.

Python's `re` backtracks, so a pattern such as `^(a+)+$` can take minutes on one answer;
RE2 refuses what it cannot match in linear time (backreferences, lookaround) at load time.
"""

import re2

OPTIONS = re2.Options()
OPTIONS.log_errors = False  # the reason is reported to the maintainer, not to stderr


class PatternError(ValueError):
    """A pattern the engine cannot compile, with the engine's reason."""


def compile_pattern(pattern: str):
    """The compiled pattern; PatternError when RE2 cannot compile it."""
    try:
        return re2.compile(pattern, OPTIONS)
    except re2.error as error:
        reason = error.args[0] if error.args else error
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        raise PatternError(str(reason)) from None
    except (TypeError, ValueError) as error:  # e.g. a NUL or surrogate the binding refuses
        raise PatternError(str(error)) from None
