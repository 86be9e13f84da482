"""The shared long-table output of the CLI (kreislauf.cli.output)."""

from __future__ import annotations

import pytest
from rich.table import Table

from kreislauf.cli.output import SUMMARY_ROWS, parse_table, print_rows
from kreislauf.errors import InvalidOption


def _table() -> Table:
    table = Table()
    table.add_column("n")
    return table


def test_summary_shows_the_first_rows_and_totals(capsys: pytest.CaptureFixture[str]) -> None:
    calls: list[int] = []

    def row(n: int) -> tuple[str]:
        calls.append(n)
        return (f"row-{n}",)

    items = list(range(1, 3241))
    shown = print_rows(
        _table(), items, row, mode="summary", lang="de", rest="kpis.json", totals=("Summe",)
    )
    out = " ".join(capsys.readouterr().out.split())
    assert shown == SUMMARY_ROWS
    assert calls == items[:SUMMARY_ROWS]  # only the rows shown are formatted
    assert f"row-{SUMMARY_ROWS}" in out and f"row-{SUMMARY_ROWS + 1} " not in out
    assert "Summe" in out
    assert (
        "20 von 3.240 Zeilen gezeigt. Alle Zeilen: kpis.json; im Terminal mit --table full." in out
    )


def test_full_and_short_tables_show_every_row(capsys: pytest.CaptureFixture[str]) -> None:
    assert print_rows(_table(), list(range(50)), lambda n: (str(n),), mode="full", lang="en") == 50
    assert print_rows(_table(), list(range(5)), lambda n: (str(n),), mode="summary", lang="en") == 5
    assert "shown" not in capsys.readouterr().out


def test_summary_without_a_file_names_the_options(capsys: pytest.CaptureFixture[str]) -> None:
    print_rows(_table(), list(range(30)), lambda n: (str(n),), mode="summary", lang="en")
    out = " ".join(capsys.readouterr().out.split())
    assert "20 of 30 rows shown. All rows with --table full or --json FILE." in out


def test_table_option() -> None:
    assert parse_table("full") == "full"
    with pytest.raises(InvalidOption, match="summary, full"):
        parse_table("alle")
