"""Writing result files so that a failure never leaves a half-written file behind."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from kreislauf.errors import OutputNotWritable

_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)


def atomic_write(path: Path, data: bytes | str) -> None:
    """Write ``data`` to ``path`` all at once or not at all.

    The data goes to a temporary file in the same directory, is flushed to disk and then
    renamed over ``path`` (``os.replace``, atomic on POSIX and Windows). Readers see either
    the old file or the complete new one; on failure the temporary file is removed and an
    existing ``path`` stays untouched. ``str`` data is written as UTF-8. The new file gets
    the usual permissions (``0o666`` minus the umask). The parent directory must exist.

    Raises
    ------
    OutputNotWritable
        if the file cannot be created, written or renamed (``file`` and ``reason`` name it).
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        descriptor = os.open(temporary, _FLAGS, 0o666)
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
            temporary.replace(path)  # os.replace: atomic, also over an existing file
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
    except OSError as error:
        raise OutputNotWritable(file=str(path), reason=_reason(error)) from error


def ensure_directory(directory: Path) -> None:
    """Create ``directory`` and its parents unless they exist.

    Raises
    ------
    OutputNotWritable
        if it cannot be created (e.g. no permission, or a file of that name is in the way).
    """
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputNotWritable(file=str(directory), reason=_reason(error)) from error


def _reason(error: OSError) -> str:
    """The operating system's description of ``error`` without the path it names."""
    return error.strerror or type(error).__name__
