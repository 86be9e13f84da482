"""The limits of reading user input and the bounded YAML loader."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pytest
import yaml

from kreislauf.bounded import (
    Limits,
    applied,
    archive_members,
    current,
    load_yaml,
    parse_yaml,
    read_archive_members,
)
from kreislauf.errors import FileNotReadable, InvalidMeasure, InvalidRules, LimitExceeded
from kreislauf.settings import Settings
from tests import hostile


@pytest.mark.parametrize("levels", [9, 10, 12])
def test_alias_bombs_are_refused_before_expansion(levels: int) -> None:
    start = time.monotonic()
    with pytest.raises(LimitExceeded, match="yaml_max_nodes") as info:
        load_yaml(hostile.alias_bomb(levels), name="bomb.yaml")
    assert time.monotonic() - start < 10
    assert info.value.params["file"] == "bomb.yaml"
    assert len(info.value.message()) < 300


def test_aliases_within_the_bound_are_kept() -> None:
    data = load_yaml("base: &b {unit: kg}\nfirst: *b\nsecond: *b\n", name="ok.yaml")
    assert data == {"base": {"unit": "kg"}, "first": {"unit": "kg"}, "second": {"unit": "kg"}}
    assert load_yaml("", name="empty.yaml") is None


def test_a_recursive_alias_is_refused() -> None:
    with pytest.raises(LimitExceeded, match="recursive alias"):
        load_yaml("a: &a [1, *a]\n", name="loop.yaml")


def test_nesting_depth_and_size_are_bounded() -> None:
    with pytest.raises(LimitExceeded, match="yaml_max_depth"):
        load_yaml("[" * 60 + "]" * 60, name="deep.yaml")
    assert load_yaml("[" * 40 + "]" * 40, name="deep.yaml") is not None
    with pytest.raises(LimitExceeded, match="yaml_max_bytes"):
        load_yaml("a: " + "x" * 2_000, name="big.yaml", limits=Limits(yaml_max_bytes=1_000))


def test_not_yaml_is_left_to_the_caller() -> None:
    with pytest.raises(yaml.YAMLError):
        load_yaml("a: [1, 2\n", name="broken.yaml")


@pytest.mark.parametrize("error", [InvalidMeasure, InvalidRules])
def test_not_yaml_is_the_callers_error_with_its_line(error: type[Exception]) -> None:
    with pytest.raises(error) as caught:
        parse_yaml("a: 1\nb: [1, 2\nc: 3\n", name="broken.yaml", error=error)
    assert type(caught.value) is error
    fields = caught.value.params  # type: ignore[attr-defined]
    assert fields["file"] == "broken.yaml"
    assert fields["row"] == 3  # the parser notices the open list at "c: 3"
    assert fields["expected"] == "valid YAML"
    assert "while parsing" in fields["value"]


def test_parse_yaml_gives_the_data_and_keeps_the_limits() -> None:
    assert parse_yaml("a: [1, 2]\n", name="ok.yaml", error=InvalidMeasure) == {"a": [1, 2]}
    with pytest.raises(LimitExceeded):
        parse_yaml(
            "a: &x [1]\n" + "b: *x\n" * 5,
            name="b.yaml",
            error=InvalidMeasure,
            limits=Limits(yaml_max_nodes=4),
        )


def test_applied_limits_hold_inside_the_block_only() -> None:
    default = current()
    with applied(Limits(yaml_max_nodes=5)), pytest.raises(LimitExceeded, match="allowed 5"):
        load_yaml("[1, 2, 3, 4, 5, 6]", name="six.yaml")
    assert current() == default
    assert load_yaml("[1, 2, 3, 4, 5, 6]", name="six.yaml") == [1, 2, 3, 4, 5, 6]


def test_settings_give_the_limits() -> None:
    settings = Settings(database_url="sqlite://", secret_key="k" * 40, table_max_rows=7)
    assert settings.limits() == Limits(max_rows=7)
    assert Settings(database_url="sqlite://", secret_key="k" * 40).limits() == Limits()


def _zip(members: dict[str, bytes], *, method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_archive_members_reads_the_selected_members_only() -> None:
    data = _zip({"a.xml": b"<a/>", "b.txt": b"b", "sub/c.xml": b"<c/>"})
    found = read_archive_members(
        data, name="x.zip", reason="readers.reason.corrupt_zip", select=lambda m: m.endswith(".xml")
    )
    assert found == {"a.xml": b"<a/>", "sub/c.xml": b"<c/>"}


def test_a_zip_bomb_is_refused_from_the_declared_sizes_before_decompressing() -> None:
    data = _zip({"bomb.xml": b"0" * 5_000_000})  # deflates to about 5 kB
    assert len(data) < 10_000
    members = archive_members(data, name="bomb.zip", reason="readers.reason.corrupt_zip")
    with applied(Limits(max_xlsx_bytes=1_000_000)), pytest.raises(LimitExceeded) as caught:
        next(members)
    assert caught.value.params["found"] == 5_000_000
    assert caught.value.params["limit"] == "max_xlsx_bytes"


def test_the_selected_members_are_counted() -> None:
    data = _zip({f"p{i}.xml": b"<p/>" for i in range(5)})
    with pytest.raises(LimitExceeded, match="members"):
        read_archive_members(data, name="x.zip", reason="readers.reason.corrupt_zip", max_members=4)
    assert len(read_archive_members(data, name="x.zip", reason="readers.reason.corrupt_zip")) == 5


def test_a_member_larger_than_its_header_says_is_a_damaged_archive() -> None:
    data = bytearray(_zip({"a.xml": b"x" * 1000}, method=zipfile.ZIP_STORED))
    # the central directory's uncompressed size says 10 bytes; zipfile stops there and the
    # CRC of the 10 bytes read does not match: never more than the declared size is read
    central = data.rindex(b"PK\x01\x02")
    data[central + 24 : central + 28] = (10).to_bytes(4, "little")
    with pytest.raises(FileNotReadable, match=r"x\.zip"):
        read_archive_members(bytes(data), name="x.zip", reason="readers.reason.corrupt_zip")


def test_not_a_zip_and_a_missing_file_are_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(FileNotReadable, match="ZIP"):
        read_archive_members(b"PK not really", name="x.zip", reason="readers.reason.corrupt_zip")
    with pytest.raises(FileNotReadable, match=r"gone\.zip"):
        read_archive_members(
            tmp_path / "gone.zip", name="gone.zip", reason="readers.reason.corrupt_zip"
        )


def test_an_encrypted_member_is_an_unreadable_file_not_a_crash() -> None:
    data = bytearray(_zip({"a.xml": b"<a/>"}))
    central = data.rindex(b"PK\x01\x02")
    data[central + 8] |= 0x01  # general purpose flag: encrypted (zipfile raises RuntimeError)
    with pytest.raises(FileNotReadable, match="encrypted"):
        read_archive_members(bytes(data), name="x.zip", reason="readers.reason.corrupt_zip")
