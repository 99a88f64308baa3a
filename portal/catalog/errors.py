"""Pydantic's validation errors in a catalog maintainer's words, at YAML paths."""

import re
import types
from datetime import date
from typing import Annotated, Union, get_args, get_origin

from pydantic import BaseModel, Discriminator, Tag
from pydantic.fields import FieldInfo

from . import basetypes as bt
from .fields import FIELD_MODELS
from .model import Catalog
from .problems import did_you_mean
from .sla import DAY_SPAN_PATTERN

PATTERN_MESSAGES = {
    bt.ID_PATTERN: "is not a valid id: use lowercase letters, digits, '-' and '_'",
    bt.EMAIL_PATTERN: "is not an email address",
    bt.LOCALE_PATTERN: "is not a locale such as en or pt_BR",
    bt.DATE_BOUND_PATTERN: "is not a date bound: use a date such as 2026-01-01, or today, "
                           "today+Nd, today-Nd",
    bt.SIZE_PATTERN: "is not a size such as 5MB",
    bt.DURATION_PATTERN: "is not a duration such as 30m, 4h or 1h30m (working time: hours, "
                         "not days)",
    DAY_SPAN_PATTERN: "is not a day or days of the week such as mon-fri",
    r"^\.[A-Za-z0-9_-]+$": "is not a file extension such as .pdf",
}
EXPECTED = {
    "string_type": "text", "int_type": "a whole number", "int_from_float": "a whole number",
    "float_type": "a number", "bool_type": "true or false", "list_type": "a list",
    "dict_type": "a mapping (key: value)", "model_type": "a mapping (key: value)",
    "model_attributes_type": "a mapping (key: value)", "date_type": "a date such as 2026-01-01",
    "date_parsing": "a date such as 2026-01-01", "date_from_datetime_parsing": "a date",
}
FIELD_TYPE_LIST = ", ".join(FIELD_MODELS)


def describe_error(detail: dict, raw, prefix: tuple, data: dict) -> tuple[tuple, str]:
    """(path in the merged document, message) for one pydantic error detail."""
    kind, value = detail["type"], detail.get("input")
    path, is_key = clean_loc(detail["loc"], raw, kind == "missing")
    path = prefix + path
    if kind == "extra_forbidden":
        return path, unknown_key_message(path, data)
    if kind == "invalid_key":
        return path, f"key {shown(value)} is not text{quote_hint(value)}"
    if kind == "missing":
        return path, f"missing required key '{path[-1]}'"
    if kind == "union_tag_invalid":
        tag = detail.get("ctx", {}).get("tag", value)
        return (*path, "type"), (f"unknown field type '{tag}'{did_you_mean(tag, FIELD_MODELS)}; "
                                 f"use one of {FIELD_TYPE_LIST}")
    if kind == "union_tag_not_found":
        return (*path, "type"), f"a field needs a type: one of {FIELD_TYPE_LIST}"
    message = value_message(kind, detail, value)
    if is_key:
        start = shown(value)
        message = f"key {message}" if message.startswith(start) else f"key {start}: {message}"
    return path, message


def value_message(kind: str, detail: dict, value) -> str:
    """The message for an error about a value."""
    ctx = detail.get("ctx") or {}
    if kind == "wrong_type":
        return f"wrong type: {detail['msg']}, got {shown(value)}{quote_hint(value)}"
    if kind in EXPECTED:
        hint = quote_hint(value) if kind == "string_type" else ""
        return f"wrong type: expected {EXPECTED[kind]}, got {shown(value)}{hint}"
    if kind == "literal_error":
        allowed = re.findall(r"'([^']*)'", ctx.get("expected", ""))
        return (f"{shown(value)} is not allowed here{did_you_mean(value, allowed)}; "
                f"use {ctx.get('expected', '')}")
    if kind == "string_pattern_mismatch":
        return f"{shown(value)} {PATTERN_MESSAGES.get(ctx.get('pattern'), detail['msg'])}"
    if kind == "value_error":
        return detail["msg"].removeprefix("Value error, ")
    if kind == "too_short" and isinstance(value, list | dict):
        return "needs at least one entry"
    if kind in ("too_short", "string_too_short"):
        return "must not be empty"
    return detail["msg"].replace("Input should be", "should be")


def shown(value) -> str:
    """A value as a maintainer wrote it in YAML."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "nothing (null)"
    if isinstance(value, str | int | float | date):
        return repr(value) if isinstance(value, str) else str(value)
    return "a list" if isinstance(value, list) else "a mapping"


def quote_hint(value) -> str:
    """YAML reads yes/no/on/off and bare numbers as non-text: say how to keep them text."""
    if isinstance(value, bool):
        return " (YAML reads yes/no/on/off/true/false as true or false: put it in quotes)"
    if isinstance(value, int | float | date):
        return " (put it in quotes to make it text)"
    return ""


def clean_loc(loc: tuple, raw, missing: bool) -> tuple[tuple, bool]:
    """Pydantic's location as a YAML path: union tags dropped, '[key]' noted."""
    path, node, tag_seen, is_key = [], raw, False, False
    for part in loc:
        if part == "[key]":
            is_key = True
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            path.append(part)
            node, tag_seen = node[part], False
        elif is_tag(part, node, tag_seen):
            tag_seen = True
        elif isinstance(node, dict) and part in node:
            path.append(part)
            node, tag_seen = node[part], False
        else:
            path.append(part)
            node = None
    return tuple(path), is_key


def is_tag(part, node, tag_seen: bool) -> bool:
    """Whether a location part names a union variant rather than a key."""
    if part in bt.UNION_TAGS:
        return True
    # Fields are tagged by their type, which may also be a key (a markdown field's `text`).
    return (part in FIELD_MODELS and not tag_seen
            and (not isinstance(node, dict) or part not in node or node.get("type") == part))


def unknown_key_message(path: tuple, data: dict) -> str:
    """"unknown key 'lable' (did you mean 'label'?)" with the keys allowed just there."""
    key = path[-1]
    parent = node_at(path[:-1], data)
    model = model_at(path[:-1], data)
    message = f"unknown key '{key}'"
    if model is None:
        return message
    allowed = [f.alias or name for name, f in model.model_fields.items()]
    kind = parent.get("type") if isinstance(parent, dict) else None
    if kind in ("markdown", "section") and key in ("required", "default", "placeholder"):
        return f"{message}: a {kind} field holds no value"
    if kind == "file" and key == "default":
        return f"{message}: a file field cannot have a default"
    return message + did_you_mean(key, allowed)


def node_at(path: tuple, data):
    """The raw value at `path`, or None."""
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def model_at(path: tuple, data) -> type[BaseModel] | None:
    """The model class that validates the mapping at `path` (None when there is none)."""
    kind, meta, node = Catalog, [], data
    for part in path:
        kind = narrow(kind, meta, node)
        meta = []
        if isinstance(kind, type) and issubclass(kind, BaseModel):
            info = next((f for name, f in kind.model_fields.items()
                         if (f.alias or name) == part), None)
            if info is None:
                return None
            kind, meta = info.annotation, info.metadata
        elif get_origin(kind) in (list, dict):
            kind = get_args(kind)[-1]
        else:
            return None
        node = node_at((part,), node)
    kind = narrow(kind, meta, node)
    return kind if isinstance(kind, type) and issubclass(kind, BaseModel) else None


def narrow(kind, meta: list, node):
    """Unwrap Annotated and Optional; pick the union variant the value `node` would take."""
    chooser = None
    while True:
        for item in meta:
            if isinstance(item, Discriminator | FieldInfo) and item.discriminator:
                chooser = item.discriminator
        origin = get_origin(kind)
        if origin is Annotated:
            kind, *meta = get_args(kind)
            continue
        if origin in (Union, types.UnionType):
            variants = [v for v in get_args(kind) if v is not type(None)]
            if callable(chooser):
                tag = chooser(node)
                picked = [v for v in variants if Tag(tag) in getattr(v, "__metadata__", ())]
            elif chooser == "type" and isinstance(node, dict):
                picked = [FIELD_MODELS.get(node.get("type"))]
            else:
                picked = variants[:1] if len(variants) == 1 else []
            if not picked or picked[0] is None:
                return None
            kind, meta, chooser = picked[0], [], None
            continue
        return kind
