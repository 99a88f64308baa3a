"""Views reach the current catalog through here."""

from flask import abort, current_app


def catalog_store():
    """This process's catalog store (re-reads catalog.yaml when it changes)."""
    return current_app.extensions["catalog_store"]


def current_catalog():
    """The last good catalog; cheap when the file has not changed."""
    return catalog_store().get()


def get_item_or_404(item_id: str):
    """A catalog item by id, or a 404 page."""
    item = current_catalog().item(item_id)
    if item is None:
        abort(404)
    return item
