"""Every change a new version; old versions kept, chained by digest."""

from __future__ import annotations

from pathlib import Path

from kreislauf.passport import chain_problems, digest, load_versions, save_version
from kreislauf.passport.io import _version_path
from tests.passport.passport_fixtures import demo_passport


def test_versions_are_numbered_chained_and_kept(tmp_path: Path) -> None:
    first = save_version(tmp_path, demo_passport())
    assert first.version == 1 and first.previous_digest is None
    again = save_version(tmp_path, first.model_copy(update={"version": 7}))
    assert again == first  # same content: no new version
    durability = first.durability.model_copy(update={"warranty_years": 3.0})
    second = save_version(tmp_path, first.model_copy(update={"durability": durability}))
    assert second.version == 2 and second.id == first.id
    assert second.previous_digest == digest(first)
    stored = load_versions(tmp_path, str(first.id))
    assert [p.version for p in stored] == [1, 2]
    assert stored[0].durability.warranty_years == 2.0  # the old version is unchanged
    assert stored[1].durability.warranty_years == 3.0
    assert chain_problems(stored) == []


def test_a_broken_chain_is_reported(tmp_path: Path) -> None:
    first = save_version(tmp_path, demo_passport())
    second = save_version(tmp_path, first.model_copy(update={"notes": "changed"}))
    forged = first.model_copy(update={"notes": "forged"})
    assert chain_problems([forged, second]) == ["version 2 does not name version 1"]


def test_a_stored_version_file_is_never_rewritten(tmp_path: Path) -> None:
    first = save_version(tmp_path, demo_passport())
    path = _version_path(tmp_path, first)
    before = path.read_bytes()
    save_version(tmp_path, first.model_copy(update={"notes": "x"}))
    save_version(tmp_path, first.model_copy(update={"notes": "y"}))
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == [
        "v0001.json",
        "v0002.json",
        "v0003.json",
    ]
