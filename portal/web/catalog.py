"""Views reach the current catalog through here."""

from flask import abort, current_app, has_request_context, request


def catalog_store():
    """This process's catalog store (re-reads catalog.yaml when it changes)."""
    return current_app.extensions["catalog_store"]


def current_catalog():
    """The last good catalog. A request looks it up once and keeps it: one request sees one
    catalog, and the files are stat'ed once per request, not once per lookup."""
    if not has_request_context():
        return catalog_store().get()
    catalog = request.environ.get("portal.catalog")
    if catalog is None:
        catalog = request.environ["portal.catalog"] = catalog_store().get()
    return catalog


def get_item_or_404(item_id: str):
    """A catalog item by id, or a 404 page."""
    item = current_catalog().item(item_id)
    if item is None:
        abort(404)
    return item
