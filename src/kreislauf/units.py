"""The one pint unit registry for every quantity in kreislauf.

Domains import ``ureg`` and ``Quantity`` from here; no other module creates a registry, so
quantities from different domains can be added and compared. Unit spellings that German
exports use and pint does not know are defined here once (:data:`EXTRA_DEFINITIONS`), so
every domain reads them alike.

Building pint's registry parses its definition file (about 1,000 lines) and resolves every
unit's root units: 0.6–0.9 s of every command that reads quantities (issue 21). The parsed
definitions and the resolved units are therefore kept in a cache (:class:`UnitsCache`) in
the user's cache directory, which builds the same registry in about a tenth of that time.
The cache is only an accelerator: whenever it cannot be read or written, the registry is
built from the definition text as without it, with the same result.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

import flexcache
import pint
from pint.delegates import ParserConfig, build_disk_cache_class
from pint.delegates.txt_defparser import DefParser

#: Definitions added to pint's defaults, in pint's definition syntax:
#: ``m3`` and ``cbm`` (Kubikmeter) for m³, ``Liter`` for l, ``to`` (Tonne) for t.
EXTRA_DEFINITIONS = (
    "cubic_metre = meter ** 3 = m3 = cbm",
    "@alias liter = Liter",
    "@alias metric_ton = to",
)

#: First bytes of a cache file; a new layout of the file gets a new number.
MAGIC = b"kreislauf units cache 1\n"
_DIGEST = hashlib.sha256
_DIGEST_SIZE = _DIGEST().digest_size


def cache_dir() -> Path:
    """Where the units cache lives: ``units`` in the user's cache directory.

    ``platformdirs.user_cache_path("kreislauf")``: ``~/.cache/kreislauf`` on Linux (or
    ``$XDG_CACHE_HOME/kreislauf``), ``~/Library/Caches/kreislauf`` on macOS,
    ``%LOCALAPPDATA%\\kreislauf\\Cache`` on Windows.
    """
    from platformdirs import user_cache_path

    return user_cache_path("kreislauf", appauthor=False) / "units"


def _private(stat: os.stat_result) -> bool:
    """Whether a file or folder belongs to this user and nobody else may write to it."""
    if not hasattr(os, "geteuid"):  # Windows: the user's profile folder is private
        return True
    return stat.st_uid == os.geteuid() and not stat.st_mode & 0o022


class UnitsCache(flexcache.DiskCache):
    """pint's definition cache, written and read so that no process sees half a file.

    pint names each entry by its own header (pint's version, the Python version and
    platform, and a hash of the definition file's content or of the parsed definitions),
    so a new pint or a changed definition file gets a new entry. What this class changes
    against pint's own ``cache_folder``:

    - an entry is written to a temporary file in the same folder and moved into place with
      :meth:`pathlib.Path.replace` (``os.replace``), which is atomic: a reader, or a second
      process writing the same entry at the same time, sees the old file, the new one or
      none, never part of one;
    - an entry starts with :data:`MAGIC` and a SHA-256 digest of its pickle, checked before
      anything is unpickled, so a damaged or truncated file is never loaded;
    - an entry is read only when it and its folder belong to the current user and nobody
      else may write to them (the same trust Python gives the user's own ``.pyc`` files);
      the folder is created readable by the user alone;
    - every failure to read (missing, damaged, stale, not private) or to write (read-only
      home, full disk) is silent: pint then parses the definition text, and the entry is
      written anew where the folder allows.
    """

    _store_header = False  # pint's JSON header beside the pickle: for people, not needed
    _header_classes = build_disk_cache_class(float)._header_classes

    def __init__(self, cache_folder: str | Path) -> None:
        # unlike flexcache's, creates nothing yet: the folder is made when an entry is saved
        self.cache_folder = Path(cache_folder)

    def rawload(self, header: Any, cache_path: Path | None = None) -> Any:
        """The entry's object, or None when the file is missing, damaged or not private."""
        path = self.cache_path_for(header) if cache_path is None else cache_path
        try:
            if not _private(self.cache_folder.stat()):
                return None
            with path.open("rb") as file:
                if not _private(os.fstat(file.fileno())):
                    return None
                content = file.read()
        except OSError:
            return None
        head = len(MAGIC) + _DIGEST_SIZE
        digest, payload = content[len(MAGIC) : head], content[head:]
        if not content.startswith(MAGIC) or _DIGEST(payload).digest() != digest:
            return None
        try:
            return pickle.loads(payload)  # digest checked, file private (see the class)
        except Exception:  # noqa: BLE001 (a pickle of another pint: any error is "stale")
            return None

    def rawsave(self, header: Any, converted_object: Any, cache_path: Path | None = None) -> Path:
        """Write the entry atomically; a folder that cannot be written is left as it is."""
        path = self.cache_path_for(header) if cache_path is None else cache_path
        payload = pickle.dumps(converted_object, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            self.cache_folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            if not _private(self.cache_folder.stat()):
                return path  # never write where another user could swap the file
            handle, temporary = tempfile.mkstemp(dir=self.cache_folder, prefix=".", suffix=".part")
        except OSError:
            return path
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(MAGIC + _DIGEST(payload).digest() + payload)
            Path(temporary).replace(path)
        except OSError:
            Path(temporary).unlink(missing_ok=True)
        return path


class _Registry(pint.UnitRegistry):  # type: ignore[type-arg]
    """pint's registry, parsing its definitions through ``cache`` when one is given."""

    def __init__(self, *, cache: flexcache.DiskCache | None, **options: Any) -> None:
        super().__init__(**options)
        # pint reads its definition file in _after_init, which its metaclass calls after
        # __init__: the parser and the registry's cache must be in place before that
        self._diskcache = cache
        self._def_parser = DefParser(ParserConfig(float), diskcache=cache)  # type: ignore[arg-type]


def build_registry(*, cache_folder: Path | None) -> pint.UnitRegistry[float]:
    """A new registry with pint's defaults and :data:`EXTRA_DEFINITIONS`.

    ``cache_folder`` is where :class:`UnitsCache` keeps the parsed definitions; None parses
    them from pint's definition text. Both give the same registry.
    """
    cache = UnitsCache(cache_folder) if cache_folder is not None else None
    registry: pint.UnitRegistry[float] = _Registry(cache=cache, autoconvert_offset_to_baseunit=True)
    for definition in EXTRA_DEFINITIONS:
        registry.define(definition)
    return registry


#: Magnitudes are Python or numpy floats (pint's registry is generic in the magnitude type).
ureg: pint.UnitRegistry[float] = build_registry(cache_folder=cache_dir())
Quantity = ureg.Quantity
