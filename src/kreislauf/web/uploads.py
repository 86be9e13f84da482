"""Uploaded files: kept in a private temporary folder under their own (sanitised) name.

The domain readers name the file in every message, so the upload is stored as
``<tmp>/<original name>``; the folder is removed when the request is done.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fastapi import UploadFile

from kreislauf.bounded import Limits, applied
from kreislauf.errors import InvalidField, UploadTooLarge

_UNSAFE = re.compile(r"[^\w.\- ]+")
_CHUNK = 1 << 16


def safe_name(filename: str | None, default: str) -> str:
    """The base name without path parts or unusual characters."""
    name = Path((filename or "").replace("\\", "/")).name
    name = _UNSAFE.sub("_", name).strip(" .")
    return name[:120] or default


@contextmanager
def saved_uploads(
    files: dict[str, UploadFile | None], *, max_bytes: int, limits: Limits | None = None
) -> Iterator[dict[str, Path | None]]:
    """Write each given upload to a temporary folder; yields field name -> path (or None).

    Inside the ``with`` block the readers work within ``limits`` (rows, columns, cell
    length, YAML nodes …; default :class:`kreislauf.bounded.Limits`), see docs/web.md,
    "Upload limits".
    """
    with (
        tempfile.TemporaryDirectory(prefix="kreislauf-upload-") as folder,
        applied(limits or Limits()),
    ):
        paths: dict[str, Path | None] = {}
        for field, upload in files.items():
            if upload is None or not upload.filename:
                paths[field] = None
                continue
            target = Path(folder) / field
            target.mkdir()
            path = target / safe_name(upload.filename, field)
            size = 0
            with path.open("wb") as handle:
                while chunk := upload.file.read(_CHUNK):
                    size += len(chunk)
                    if size > max_bytes:
                        raise UploadTooLarge(field=field, limit=max_bytes // (1024 * 1024))
                    handle.write(chunk)
            paths[field] = path
        yield paths


def required(path: Path | None, field: str) -> Path:
    """The path of a required upload; :class:`InvalidField` when no file was sent."""
    if path is None:
        raise InvalidField(field=field, value="", expected="a file")
    return path
