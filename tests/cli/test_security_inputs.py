"""Hostile input files on the command line: a short located message, exit code 2, fast."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests import hostile
from tests.ledger.ledger_fixtures import run_cli as run

LEDGER = Path(__file__).resolve().parents[2] / "examples" / "demo-company" / "ledger.csv"
ROW = hostile.LEDGER_ROW


def _refused(args: list[str], capsys: pytest.CaptureFixture[str], *, needle: str) -> str:
    start = time.monotonic()
    code, stdout, stderr = run(args, capsys)
    seconds = time.monotonic() - start
    output = stdout + stderr
    assert code == 2, output[:500]
    assert needle in output, output[:500]
    assert len(output) < 10_000 and "Traceback" not in output
    assert seconds < 10
    return output


@pytest.mark.parametrize("corner_cell", [False, True])
def test_fake_dimension_xlsx(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], corner_cell: bool
) -> None:
    path = tmp_path / "ledger.xlsx"
    path.write_bytes(hostile.fake_dimension_xlsx(corner_cell=corner_cell))
    _refused(["ledger", "validate", str(path)], capsys, needle="max_rows")


def test_300_mib_cell_xlsx(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "ledger.xlsx"
    path.write_bytes(hostile.huge_cell_xlsx(300))
    _refused(["ledger", "validate", str(path)], capsys, needle="max_xlsx_bytes")


def test_alias_bomb_measures(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "measures.yaml"
    path.write_text(hostile.alias_bomb(10), encoding="utf-8")
    args = ["carbon", "measures", str(path), "--ledger", str(LEDGER)]
    _refused(args, capsys, needle="yaml_max_nodes")


def test_alias_bomb_mapping(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "map.yaml"
    path.write_text(hostile.alias_bomb(9, key="constants"), encoding="utf-8")
    args = ["ledger", "validate", str(LEDGER), "--mapping", str(path)]
    _refused(args, capsys, needle="yaml_max_nodes")


@pytest.mark.parametrize("cell", ["9" * 400, "1e309", "inf", "1e27"])
def test_numbers_out_of_range(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], cell: str
) -> None:
    path = tmp_path / "ledger.csv"
    path.write_bytes(hostile.ledger_csv([*ROW[:6], cell, *ROW[7:]]))
    output = _refused(["ledger", "validate", str(path), "--lang", "en"], capsys, needle="row 2")
    assert "out of range" in output and "1e+15" in output


def test_unknown_codec_in_mapping(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "map.yaml"
    path.write_text("encoding: rot13\n", encoding="utf-8")
    args = ["ledger", "validate", str(LEDGER), "--mapping", str(path), "--lang", "en"]
    _refused(args, capsys, needle="rot13")


@pytest.mark.parametrize("cell", ["[/x]", "[bold]", "[link=file:///etc/passwd]x"])
def test_a_cell_that_looks_like_rich_markup_is_printed_as_it_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], cell: str
) -> None:
    """Rich would swallow the tag or fail with MarkupError (a traceback) on "[/x]"."""
    path = tmp_path / "ledger.csv"
    lines = LEDGER.read_text(encoding="utf-8").splitlines()
    first = lines[1].split(",", 1)
    path.write_text(f"{lines[0]}\n{cell},{first[1]}\n", encoding="utf-8")
    _refused(["ledger", "validate", str(path), "--lang", "en"], capsys, needle=f"'{cell}'")
