"""Sign in and sign out."""

import math
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import format_time, format_timedelta
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required

from ..extensions import db
from .credentials import authenticate
from .forms import LoginForm
from .session import sign_in, sign_out
from .throttle import Refusal, SignInAttempt

bp = Blueprint("auth", __name__)


def safe_next(target: str | None) -> str:
    """Only local paths: an open redirect would let a phishing link borrow our sign-in page."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") \
                and not target.startswith("//") and "\\" not in target:
            return target
    return url_for("catalog.home")


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("catalog.home"))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        attempt = SignInAttempt(form.email.data, get_remote_address())
        refusal = attempt.start()
        if refusal is not None:
            return refused(form, refusal)
        user = authenticate(form.email.data, form.password.data)
        if user is not None:
            attempt.succeeded()
            sign_in(user)
            return redirect(safe_next(form.next.data), code=303)
        form.password.errors.append(_("The email or password is not right."))
        return render_template("auth/login.html", form=form), 422
    status = 422 if form.errors else 200
    return render_template("auth/login.html", form=form), status


def refused(form: LoginForm, refusal: Refusal):
    """The sign-in page again, saying exactly when the next attempt will be checked."""
    wait = refusal.retry_after
    # Rounded up to the minute shown, so trying at the time given always works.
    at = datetime.fromtimestamp(math.ceil(refusal.retry_at / 60) * 60, UTC)
    values = {"when": format_timedelta(timedelta(seconds=wait), add_direction=True),
              "time": format_time(at, "HH:mm", rebase=False)}  # in UTC, as the text says
    if refusal.per_account:
        message = _("Too many failed sign-ins with this email address. Try again %(when)s, "
                    "at %(time)s UTC.", **values)
    else:
        message = _("Too many failed sign-ins from your network. Try again %(when)s, at "
                    "%(time)s UTC.", **values)
    flash(message, "error")
    return render_template("auth/login.html", form=form), 429, {"Retry-After": str(wait)}


@bp.post("/logout")
@login_required
def logout():
    sign_out(current_user._get_current_object())
    db.session.commit()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"), code=303)
