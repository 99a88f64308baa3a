"""Uploaded files, kept on disk outside the database under random names."""

import hashlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path


@dataclass
class StoredFile:
    key: str
    size: int
    sha256: str


def _path(folder: str, key: str) -> Path:
    # Keys are generated here, never taken from a request, so no path traversal is possible.
    return Path(folder) / key[:2] / key


def save(folder: str, stream) -> StoredFile:
    """Copy an upload's stream to disk, hashing as it goes."""
    key = secrets.token_hex(20)
    path = _path(folder, key)
    path.parent.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    stream.seek(0)
    tmp = path.with_suffix(".part")
    with open(tmp, "wb") as out:
        while chunk := stream.read(64 * 1024):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    os.replace(tmp, path)
    return StoredFile(key=key, size=size, sha256=digest.hexdigest())


def open_path(folder: str, key: str) -> Path:
    """Where a stored file lives."""
    return _path(folder, key)


def delete(folder: str, keys) -> None:
    """Remove stored files (after a failed transaction); missing files are fine."""
    for key in keys:
        _path(folder, key).unlink(missing_ok=True)
