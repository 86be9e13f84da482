"""``kreislauf exchange …``: data quality levels, matching and forecasts of listings."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kreislauf.cli.common import console, parse_lang
from kreislauf.i18n import Lang, translate

# The domain (pandas), OR-Tools and statsforecast are imported inside the commands.
if TYPE_CHECKING:
    from kreislauf.exchange import RuleTable
    from kreislauf.results import Result

app = typer.Typer(
    help="Börse für Sekundärrohstoffe: Qualitätsstufen, Zuordnung, Prognosen / "
    "exchange of secondary raw materials: quality levels, matching, forecasts.",
    no_args_is_help=True,
)

ListingsFile = Annotated[
    Path,
    typer.Argument(help="Angebote und Gesuche, CSV/XLSX / listings file.", show_default=False),
]
RulesOption = Annotated[
    Path | None,
    typer.Option("--rules", help="Regeltabelle (YAML) des Netzwerks / the network's rule table."),
]
JsonOption = Annotated[
    Path | None, typer.Option("--json", help="Ergebnis als JSON / result as JSON.")
]
LangOption = Annotated[str | None, typer.Option("--lang", help="Sprache / language: de|en.")]


def _rules(path: Path | None) -> RuleTable:
    from kreislauf.exchange import default_rules, read_rules

    return default_rules() if path is None else read_rules(path)


def _write_json(path: Path, result: Result, lang: Lang) -> None:
    from kreislauf.files import atomic_write

    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, result.to_json(indent=2) + "\n")
    console.print(f"{path} {translate('exchange.written', lang)}", highlight=False)


@app.command()
def levels(
    listings: ListingsFile,
    rules: RulesOption = None,
    json_out: JsonOption = None,
    lang: LangOption = None,
) -> None:
    """Datenqualitätsstufen (EN 18065 / DIN SPEC 91446) ableiten / derive quality levels."""
    from rich.table import Table

    from kreislauf.exchange import listing_levels, read_listings

    language = parse_lang(lang)
    table = _rules(rules)
    result = listing_levels(read_listings(listings, rules=table), table)
    rich = Table(title=f"{translate('exchange.levels.title', language)} ({table.id})")
    for key in ("id", "dql", "missing"):
        rich.add_column(translate(f"exchange.col.{key}", language))
    for level in result.listings:
        rich.add_row(level.id, str(level.dql), ", ".join(level.missing_for_next))
    console.print(rich)
    if json_out is not None:
        _write_json(json_out, result, language)
