"""The one place that reads htmx's request headers."""

from flask import Flask, request


def is_htmx() -> bool:
    """A partial-update request from htmx (not a history restore or a boosted navigation,
    which want the full page)."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
        and request.headers.get("HX-Boosted") != "true"
    )


def wants_fragment(target_id: str) -> bool:
    """An htmx request that will swap the element with this id: answer with that part only."""
    return is_htmx() and request.headers.get("HX-Target") == target_id


def register(app: Flask) -> None:
    @app.after_request
    def vary_on_htmx(response):
        # The same URL answers with a page or a fragment: caches must keep them apart.
        response.vary.add("HX-Request")
        return response
