"""Long tables in the terminal: a summary by default, every row with ``--table full``.

A command whose result can run to thousands of rows (``ledger kpis`` by site and period,
``ledger mfca`` per cost centre, ``survey analyze`` per item, the years of ``carbon
balance``) prints its first :data:`SUMMARY_ROWS` rows, its totals and a line saying how
many rows there are and where the rest is (the JSON file, results.json, or ``--table
full``). Rendering every row with Rich was 47 % of ``ledger kpis`` on 3,240 KPI rows
(issue 21); only the rows shown are formatted.

Imported by ``kreislauf --help`` through the command modules: standard library, Rich and
the i18n module only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Literal, TypeVar

from kreislauf.cli.common import console
from kreislauf.errors import InvalidOption
from kreislauf.i18n import Lang, format_number, translate

if TYPE_CHECKING:
    from rich.table import Table

TableMode = Literal["summary", "full"]
TABLE_MODES: tuple[TableMode, ...] = ("summary", "full")
#: Rows a summary shows; a result with at most this many rows is always shown whole.
SUMMARY_ROWS = 20
#: The ``--table`` option's help text (German / English, as the other option texts).
TABLE_HELP = (
    "Tabelle im Terminal: summary = erste Zeilen, Summen, Verweis auf den Rest (Standard); "
    "full = alle Zeilen / summary (default) or full."
)

T = TypeVar("T")


def parse_table(value: str) -> TableMode:
    """The ``--table`` option: ``summary`` or ``full``."""
    if value not in TABLE_MODES:
        raise InvalidOption(value=value, option="--table", expected=", ".join(TABLE_MODES))
    return value


def print_rows(
    table: Table,
    items: Sequence[T],
    row: Callable[[T], Sequence[str]],
    *,
    mode: TableMode,
    lang: Lang,
    rest: str | None = None,
    totals: Sequence[str] | None = None,
) -> int:
    """Add the rows of ``items`` to ``table`` (its columns already set) and print it.

    row : one item -> its cells; called only for the rows shown
    rest : where the rows not shown are (e.g. the JSON file written), named in the note
    totals : a last row after a separator, always shown
    Returns the number of rows shown.
    """
    shown = items if mode == "full" or len(items) <= SUMMARY_ROWS else items[:SUMMARY_ROWS]
    for item in shown:
        table.add_row(*row(item))
    if totals is not None:
        table.add_section()
        table.add_row(*totals)
    console.print(table)
    if len(shown) < len(items):
        count = format_number(len(shown), lang, decimals=0)
        total = format_number(len(items), lang, decimals=0)
        note = translate("cli.table.summary", lang, shown=count, total=total)
        where = (
            translate("cli.table.rest_in", lang, where=rest)
            if rest
            else translate("cli.table.rest_full", lang)
        )
        console.print(f"{note} {where}", style="dim", highlight=False)
    return len(shown)
