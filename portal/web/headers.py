"""Security headers on every response: the content policy, HSTS in production, and the rest."""

from functools import lru_cache
from urllib.parse import quote, urlsplit

from flask import Flask

POLICY = ("default-src 'self'; script-src {scripts}; style-src 'self'; img-src 'self' data:; "
          "form-action 'self'; frame-ancestors 'none'; base-uri 'self'")


@lru_cache(maxsize=8)
def policy_for(htmx_url: str) -> str:
    """The Content-Security-Policy for pages that load htmx from `htmx_url`."""
    return POLICY.format(scripts=script_sources(htmx_url))


def script_sources(htmx_url: str) -> str:
    """'self' and the one pinned htmx file: a source with a full path matches that file
    only, so nothing else on the CDN's host may run in the portal. An htmx served by the
    portal itself (a path without a host) is already 'self'."""
    parts = urlsplit(htmx_url)
    if not parts.scheme or not parts.netloc:
        return "'self'"
    # ; and , end a directive or a policy; a space ends a source.
    path = quote(parts.path, safe="/@%-._~!$&()+=:")
    return f"'self' {parts.scheme}://{parts.netloc}{path}"


def register(app: Flask) -> None:
    @app.after_request
    def security_headers(response):
        response.headers.setdefault("Content-Security-Policy",
                                    policy_for(app.config["HTMX_URL"]))
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        hsts_seconds = app.config.get("HSTS_SECONDS", 0)
        if hsts_seconds:
            # Browsers heed it only over HTTPS, which a production portal is served over
            # (often behind a proxy, so the request itself may look like plain HTTP here).
            response.headers.setdefault(
                "Strict-Transport-Security", f"max-age={hsts_seconds}; includeSubDomains")
        return response
