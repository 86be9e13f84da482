"""Limits on what a reader of user input accepts, and the one YAML loader for user files.

A hostile file of a few kilobytes can ask a parser for gigabytes: an XLSX whose cells reach
row 1 048 576 and column XFD, a YAML document whose aliases expand a thousand-fold per
level. :class:`Limits` holds the bounds every reader checks *before* it builds the data;
the defaults below apply unless the caller sets others with :func:`applied` (the web
platform does so from its settings, ``KREISLAUF_TABLE_MAX_ROWS`` …, see docs/web.md,
"Upload limits"). Beyond a limit a reader raises :class:`~kreislauf.errors.LimitExceeded`,
naming the file, the limit and the value found.

:func:`load_yaml` is ``yaml.safe_load`` within the limits: the document's size, its nesting
depth and the number of nodes it holds *with aliases expanded* (so an alias bomb is refused
after reading a few hundred bytes, before anything walks it); a recursive alias is refused.

:func:`archive_members` and :func:`read_archive_members` are the one way to open a ZIP
archive from a user (XLSX workbooks, LimeSurvey ``.lsa`` archives, Förderdatenbank exports):
the declared uncompressed sizes are summed before anything is decompressed
(``max_xlsx_bytes``, a zip bomb), the bytes actually decompressed are counted against the
same bound, and a damaged archive is a :class:`~kreislauf.errors.FileNotReadable` with the
caller's reason.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, cast

import yaml

from kreislauf.errors import FileNotReadable, InputError, LimitExceeded, os_error_reason
from kreislauf.i18n import msg

__all__ = [
    "Limits",
    "applied",
    "archive_members",
    "current",
    "load_yaml",
    "read_archive_members",
]


@dataclass(frozen=True)
class Limits:
    """Bounds of one read of user input.

    max_rows : data rows of a table (XLSX: also the highest row a cell may name) [-]
    max_columns : columns of a table (XLSX: also the highest column a cell may name) [-]
    max_cells : rows × columns of a table's extent, the grid a reader fills [-]
    max_cell_chars : characters of one cell; Excel's own limit is 32 767 [-]
    max_xlsx_bytes : uncompressed size of all parts of an XLSX file (zip bomb) [bytes]
    yaml_max_bytes : size of a YAML document [bytes]
    yaml_max_nodes : scalars, lists and mappings of a YAML document, aliases expanded [-]
    yaml_max_depth : nesting depth of a YAML document [-]
    """

    max_rows: int = 1_000_000
    max_columns: int = 2_000
    max_cells: int = 20_000_000
    max_cell_chars: int = 32_767
    max_xlsx_bytes: int = 200 * 1024 * 1024
    yaml_max_bytes: int = 1024 * 1024
    yaml_max_nodes: int = 100_000
    yaml_max_depth: int = 50


# Limits is frozen, so one shared default is safe
_CURRENT: ContextVar[Limits] = ContextVar("kreislauf_limits", default=Limits())  # noqa: B039


def current() -> Limits:
    """The limits in force (the defaults unless :func:`applied` set others)."""
    return _CURRENT.get()


@contextmanager
def applied(limits: Limits) -> Iterator[Limits]:
    """Read within ``limits`` inside the ``with`` block (this thread or task only)."""
    token = _CURRENT.set(limits)
    try:
        yield limits
    finally:
        _CURRENT.reset(token)


class _Loader(yaml.SafeLoader):
    """``SafeLoader`` that stops composing at the nesting depth limit."""

    def __init__(self, stream: str, *, name: str, limits: Limits) -> None:
        super().__init__(stream)
        self._name = name
        self._limits = limits
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        self._depth += 1
        try:
            if self._depth > self._limits.yaml_max_depth:
                raise LimitExceeded(
                    file=self._name,
                    limit="yaml_max_depth",
                    found=f"> {self._depth - 1}",
                    allowed=self._limits.yaml_max_depth,
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _expanded_size(root: yaml.Node, *, name: str, limit: int) -> int:
    """Nodes under ``root`` with every alias expanded; refuses cycles and more than ``limit``."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()

    def size(node: yaml.Node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in open_nodes:
            raise LimitExceeded(
                file=name, limit="yaml_max_nodes", found="recursive alias", allowed=limit
            )
        open_nodes.add(key)
        total = 1
        if isinstance(node, yaml.SequenceNode):
            total += sum(size(child) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            total += sum(size(k) + size(v) for k, v in node.value)
        if total > limit:
            raise LimitExceeded(
                file=name, limit="yaml_max_nodes", found=f"> {limit}", allowed=limit
            )
        open_nodes.discard(key)
        sizes[key] = total
        return total

    return size(root)


def load_yaml(text: str, *, name: str, limits: Limits | None = None) -> Any:
    """The data of a YAML document from a user, as ``yaml.safe_load`` gives it.

    name : the file name used in messages
    limits : default :func:`current`

    Raises :class:`~kreislauf.errors.LimitExceeded` beyond a limit and ``yaml.YAMLError``
    for a document that is not YAML (the caller names it in its own error).
    """
    bounds = limits or current()
    if len(text) * 4 > bounds.yaml_max_bytes:  # else even 4-byte characters fit
        size = len(text.encode("utf-8", errors="replace"))
        if size > bounds.yaml_max_bytes:
            raise LimitExceeded(
                file=name, limit="yaml_max_bytes", found=size, allowed=bounds.yaml_max_bytes
            )
    loader = _Loader(text, name=name, limits=bounds)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _expanded_size(node, name=name, limit=bounds.yaml_max_nodes)
        return loader.construct_document(node)
    finally:
        loader.dispose()


def parse_yaml(
    text: str, *, name: str, error: Callable[..., InputError], limits: Limits | None = None
) -> Any:
    """:func:`load_yaml`, with a document that is not YAML raised as the caller's ``error``.

    ``error`` is the caller's :class:`~kreislauf.errors.InputError` class for its kind of
    file (answers, measures, rules …); it is raised with the file ``name``, the line of the
    problem (where the parser knows it), the parser's first message line and the
    expectation "valid YAML".
    """
    try:
        return load_yaml(text, name=name, limits=limits)
    except yaml.YAMLError as problem:
        mark = getattr(problem, "problem_mark", None)
        raise error(
            file=name,
            row=mark.line + 1 if mark else None,
            value=str(problem).split("\n")[0],
            expected="valid YAML",
        ) from None


#: What zipfile raises for a damaged archive or member (NotImplementedError: a compression
#: method it does not support; EOFError: a truncated member).
_CORRUPT_ZIP = (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, zlib.error)


class _CountedMember(io.RawIOBase):
    """A member stream that counts what it decompresses against the archive's budget."""

    def __init__(self, stream: IO[bytes], archive: _Budget) -> None:
        super().__init__()
        self._stream = stream
        self._archive = archive

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        try:
            data = self._stream.read(-1 if size is None else size)
        except _CORRUPT_ZIP as exc:
            raise self._archive.corrupt(exc) from exc
        self._archive.spend(len(data))
        return data

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


@dataclass
class _Budget:
    name: str
    reason: str
    allowed: int
    used: int = 0

    def spend(self, size: int) -> None:
        self.used += size
        if self.used > self.allowed:
            raise LimitExceeded(
                file=self.name, limit="max_xlsx_bytes", found=self.used, allowed=self.allowed
            )

    def corrupt(self, exc: BaseException) -> FileNotReadable:
        detail = str(exc).strip("'\"") or type(exc).__name__
        return FileNotReadable(file=self.name, reason=msg(self.reason, detail=detail))


def archive_members(
    source: Path | bytes,
    *,
    name: str,
    reason: str,
    select: Callable[[str], bool] = lambda _: True,
    max_members: int | None = None,
    limits: Limits | None = None,
) -> Iterator[tuple[str, IO[bytes]]]:
    """Each member of the ZIP archive ``source`` that ``select`` accepts, as (name, stream).

    name : the file name used in messages
    reason : catalogue key of the reason a damaged archive is not readable, with ``{detail}``
    select : which member names (full path inside the archive) to open; default all
    max_members : the most members ``select`` may accept [-]; default no bound

    The selected members' declared sizes together must stay within ``max_xlsx_bytes``
    before the first byte is decompressed; the streams count what they decompress against
    the same bound (zipfile stops at the declared size, so both agree for an honest file).

    Raises :class:`~kreislauf.errors.LimitExceeded` beyond a limit and
    :class:`~kreislauf.errors.FileNotReadable` for a file that cannot be opened or is no
    (undamaged) ZIP archive.
    """
    bounds = limits or current()
    budget = _Budget(name=name, reason=reason, allowed=bounds.max_xlsx_bytes)
    try:
        archive = zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source)
    except OSError as error:
        raise FileNotReadable(file=name, reason=os_error_reason(error)) from error
    except _CORRUPT_ZIP as exc:
        raise budget.corrupt(exc) from exc
    with archive:
        chosen = [info for info in archive.infolist() if select(info.filename)]
        if max_members is not None and len(chosen) > max_members:
            raise LimitExceeded(file=name, limit="members", found=len(chosen), allowed=max_members)
        declared = sum(info.file_size for info in chosen)
        if declared > budget.allowed:
            raise LimitExceeded(
                file=name, limit="max_xlsx_bytes", found=declared, allowed=budget.allowed
            )
        for info in chosen:
            try:
                stream = archive.open(info)
            except (*_CORRUPT_ZIP, RuntimeError) as exc:  # RuntimeError: an encrypted member
                raise budget.corrupt(exc) from exc
            with stream:
                yield info.filename, cast(IO[bytes], _CountedMember(stream, budget))


def read_archive_members(
    source: Path | bytes,
    *,
    name: str,
    reason: str,
    select: Callable[[str], bool] = lambda _: True,
    max_members: int | None = None,
    limits: Limits | None = None,
) -> dict[str, bytes]:
    """The bytes of each member :func:`archive_members` opens, by member name."""
    return {
        member: stream.read()
        for member, stream in archive_members(
            source, name=name, reason=reason, select=select, max_members=max_members, limits=limits
        )
    }
