"""The one units registry and its definition cache (``kreislauf.units``, issue 21).

The cache must be invisible in the results: a registry built through it, cold or warm,
equals one built from pint's definition text, and a cache that is damaged, stale, not
private or not writable falls back to the text without a word.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from kreislauf import units
from kreislauf.units import MAGIC, UnitsCache, build_registry

#: Spellings the domains read (ledger, BOM, factors, passports).
SPELLINGS = ["kg", "t", "to", "g", "kWh", "MWh", "GJ", "m3", "cbm", "m³", "l", "Liter", "km"]


def unit_names() -> list[str]:
    """Every unit of a registry built from the text, prefixed ones its build resolved too."""
    return sorted(build_registry(cache_folder=None)._units)


NAMES = unit_names()


def fingerprint(registry: Any) -> dict[str, Any]:
    """Everything pint built from the definitions, as comparable values.

    Built from the text, pint resolves the root units of every unit at once and so adds a
    few prefixed units (``kilometer``) to its table; from the cache it adds them on first
    use. Both answer alike for every name, so the names come from one list.
    """
    roots = {}
    for name in NAMES:
        try:
            factor, root = registry.get_root_units(name)
            roots[name] = (factor, str(root), str(registry.get_dimensionality(name)))
        except Exception as error:  # noqa: BLE001 (the same failure is part of the fingerprint)
            roots[name] = repr(error)
    return {
        "units": roots,
        "prefixes": {
            k: (v.name, v.converter.to_reference(1.0)) for k, v in registry._prefixes.items()
        },
        "suffixes": dict(registry._suffixes),
        "casei": {k: sorted(v) for k, v in registry._units_casei.items()},
        "dimensions": sorted(registry._dimensions),
        "defaults": dict(registry._defaults),
        "groups": {k: sorted(g.members) for k, g in registry._groups.items()},
        "systems": sorted(registry._systems),
        "contexts": sorted(registry._contexts),
        "conversions": [
            (s, registry.Quantity(1.0, s).to_base_units().magnitude,
             str(registry.Quantity(1.0, s).to_base_units().units))
            for s in SPELLINGS
        ],
        "temperature": registry.Quantity(20.0, "degC").to("K").magnitude,
    }  # fmt: skip


def cache_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.pickle"))


@pytest.fixture(scope="module")
def reference() -> dict[str, Any]:
    return fingerprint(build_registry(cache_folder=None))


def test_the_fingerprint_covers_every_unit(reference):
    assert len(reference["units"]) > 1000
    assert reference["units"]["kilometer"] == (1000, "meter", "[length]")


def test_a_cold_and_a_warm_cache_build_the_registry_the_text_builds(tmp_path, reference):
    folder = tmp_path / "units"
    assert fingerprint(build_registry(cache_folder=folder)) == reference  # cold: writes
    files = cache_files(folder)
    assert len(files) == 3  # default_en.txt, constants_en.txt, the resolved root units
    assert all(f.read_bytes().startswith(MAGIC) for f in files)
    stamps = [f.stat().st_mtime_ns for f in files]
    assert fingerprint(build_registry(cache_folder=folder)) == reference  # warm: reads
    assert [f.stat().st_mtime_ns for f in files] == stamps  # nothing rewritten


def test_a_warm_cache_is_read_and_not_parsed_again(tmp_path, monkeypatch):
    folder = tmp_path / "units"
    build_registry(cache_folder=folder)
    saved: list[Path] = []
    original = UnitsCache.rawsave
    monkeypatch.setattr(
        UnitsCache, "rawsave", lambda self, h, o, p=None: saved.append(p) or original(self, h, o, p)
    )
    build_registry(cache_folder=folder)
    assert saved == []  # all three entries came from the files
    for file in cache_files(folder):
        file.unlink()
    build_registry(cache_folder=folder)
    assert len(saved) == 3


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b[: len(b) // 2],  # truncated (a writer killed half-way, pint's own cache)
        lambda b: b"",  # empty
        lambda b: b[:-1] + bytes([b[-1] ^ 1]),  # one bit of the pickle flipped
        lambda b: b"kreislauf units cache 0\n" + b[len(MAGIC) :],  # another layout
        lambda b: b[len(MAGIC) + 32 :],  # a bare pickle (pint's format): never unpickled
    ],
    ids=["truncated", "empty", "bit-flip", "old-layout", "bare-pickle"],
)
def test_a_damaged_cache_file_is_rebuilt(tmp_path, reference, damage):
    folder = tmp_path / "units"
    build_registry(cache_folder=folder)
    for file in cache_files(folder):
        file.write_bytes(damage(file.read_bytes()))
    assert fingerprint(build_registry(cache_folder=folder)) == reference
    cache = UnitsCache(folder)
    for file in cache_files(folder):  # written anew, whole, and readable again
        assert file.read_bytes().startswith(MAGIC)
        assert cache.rawload(None, file) is not None


def test_a_valid_pickle_with_a_wrong_digest_is_not_loaded(tmp_path):
    folder = tmp_path / "units"
    folder.mkdir(mode=0o700)
    cache = UnitsCache(folder)
    cache.rawsave(None, {"a": 1}, folder / "x.pickle")
    assert cache.rawload(None, folder / "x.pickle") == {"a": 1}
    content = (folder / "x.pickle").read_bytes()
    other = UnitsCache(tmp_path / "other")
    other.rawsave(None, {"a": 2}, tmp_path / "other" / "x.pickle")
    foreign = (tmp_path / "other" / "x.pickle").read_bytes()
    # the digest of one entry and the pickle of another
    (folder / "x.pickle").write_bytes(content[: len(MAGIC) + 32] + foreign[len(MAGIC) + 32 :])
    assert cache.rawload(None, folder / "x.pickle") is None


def test_a_folder_others_may_write_to_is_neither_read_nor_written(tmp_path, reference):
    if not hasattr(os, "geteuid"):
        pytest.skip("POSIX permissions")
    folder = tmp_path / "units"
    build_registry(cache_folder=folder)
    folder.chmod(0o777)
    cache = UnitsCache(folder)
    assert all(cache.rawload(None, f) is None for f in cache_files(folder))
    for file in cache_files(folder):
        file.unlink()
    assert fingerprint(build_registry(cache_folder=folder)) == reference
    assert cache_files(folder) == []  # not written where another user could swap it
    folder.chmod(0o700)
    build_registry(cache_folder=folder)
    entry = cache_files(folder)[0]
    entry.chmod(0o666)  # an entry others may write to
    assert cache.rawload(None, entry) is None


def test_a_cache_folder_that_cannot_be_written_still_gives_the_registry(
    tmp_path, reference, monkeypatch
):
    # a path below a file cannot be created, whoever runs the tests (root ignores modes)
    blocker = tmp_path / "home"
    blocker.write_text("not a folder")
    assert fingerprint(build_registry(cache_folder=blocker / "units")) == reference
    # a folder that exists but refuses new files (read-only home, full disk)
    folder = tmp_path / "units"
    folder.mkdir(mode=0o700)

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(units.tempfile, "mkstemp", refuse)
    assert fingerprint(build_registry(cache_folder=folder)) == reference
    assert list(folder.iterdir()) == []


def test_a_failed_move_leaves_no_temporary_file(tmp_path, reference, monkeypatch):
    folder = tmp_path / "units"

    def refuse(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(units.Path, "replace", refuse)
    assert fingerprint(build_registry(cache_folder=folder)) == reference
    assert list(folder.iterdir()) == []


def test_a_read_only_cache_folder_is_read(tmp_path, reference):
    folder = tmp_path / "units"
    build_registry(cache_folder=folder)
    folder.chmod(0o500)
    try:
        assert fingerprint(build_registry(cache_folder=folder)) == reference
    finally:
        folder.chmod(0o700)


_WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from kreislauf.units import UnitsCache

    folder, seed = Path(sys.argv[1]), int(sys.argv[2])
    cache = UnitsCache(folder)
    payload = {"seed": seed, "data": bytes([seed]) * 4_000_000}
    for _ in range(5):
        cache.rawsave(None, payload, folder / "entry.pickle")
    """
)

_READER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from kreislauf.units import UnitsCache

    folder = Path(sys.argv[1])
    cache = UnitsCache(folder)
    seen = 0
    for _ in range(400):
        entry = cache.rawload(None, folder / "entry.pickle")
        if entry is not None:
            assert entry["data"] == bytes([entry["seed"]]) * 4_000_000, "mixed entry"
            seen += 1
    print(seen)
    """
)


def test_processes_writing_at_once_leave_a_whole_entry(tmp_path):
    folder = tmp_path / "units"
    folder.mkdir(mode=0o700)
    writers = [
        subprocess.Popen([sys.executable, "-c", _WRITER, str(folder), str(seed)])
        for seed in (1, 2, 3)
    ]
    reader = subprocess.run(
        [sys.executable, "-c", _READER, str(folder)], capture_output=True, text=True, timeout=120
    )
    assert [w.wait(timeout=120) for w in writers] == [0, 0, 0]
    assert reader.returncode == 0, reader.stderr  # never a half-written or mixed entry
    entry = UnitsCache(folder).rawload(None, folder / "entry.pickle")
    assert entry["seed"] in (1, 2, 3) and entry["data"] == bytes([entry["seed"]]) * 4_000_000
    assert [p.name for p in folder.iterdir()] == ["entry.pickle"]  # no temporary left


_FINGERPRINT = textwrap.dedent(
    """
    import json, sys
    sys.path.insert(0, sys.argv[1])
    from test_units import fingerprint
    from kreislauf.units import ureg
    print(json.dumps(fingerprint(ureg), sort_keys=True, default=repr))
    """
)


def test_registries_of_concurrent_fresh_processes_equal_the_uncached_one(tmp_path, reference):
    """``import kreislauf.units`` in processes started at once on an empty cache folder."""
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    argv = [sys.executable, "-c", _FINGERPRINT, str(Path(__file__).parent)]
    runs = [subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, text=True) for _ in range(3)]
    outputs = [run.communicate(timeout=120)[0] for run in runs]
    warm = subprocess.run(argv, env=env, capture_output=True, text=True, check=True, timeout=120)
    expected = json.dumps(reference, sort_keys=True, default=repr)
    assert [json.loads(o) for o in outputs] == [json.loads(expected)] * 3
    assert json.loads(warm.stdout) == json.loads(expected)
    folder = tmp_path / "cache" / "kreislauf" / "units"
    assert len(cache_files(folder)) == 3
    assert [p for p in folder.iterdir() if p.suffix != ".pickle"] == []
