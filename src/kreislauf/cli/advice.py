"""``kreislauf advice``: funding finder, self-check against the peer group, Förderdatenbank.

Commands parse options, call :mod:`kreislauf.advice` and render with Rich; nothing is
computed here. The domains are imported inside the commands (tests/cli/test_startup.py).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kreislauf.cli.common import console, parse_lang
from kreislauf.errors import InvalidOption
from kreislauf.files import atomic_write, ensure_directory
from kreislauf.i18n import Lang, format_number, translate

if TYPE_CHECKING:
    from kreislauf.advice import FundingResult
    from kreislauf.results import Result

app = typer.Typer(
    help="Beratung: Fördermittel-Finder, Selbstcheck, Förderdatenbank / advice: funding "
    "finder, self-check, funding database.",
    no_args_is_help=True,
)

JsonOption = Annotated[Path | None, typer.Option("--json", help="Ergebnis als JSON / as JSON.")]
LangOption = Annotated[str | None, typer.Option("--lang", help="Sprache / language: de|en.")]


@app.command("funding")
def funding(
    company: Annotated[
        Path, typer.Option("--company", "-c", help="Unternehmensdatei (YAML) / company file.")
    ],
    measures: Annotated[
        Path, typer.Option("--measures", help="Maßnahmen (YAML/CSV) / measures file.")
    ],
    ledger: Annotated[
        list[Path] | None,
        typer.Option(
            "--ledger", "-l", help="Ledger-Datei(en) / ledger file(s).", show_default=False
        ),
    ] = None,
    mapping: Annotated[
        Path | None, typer.Option("--mapping", "-m", help="Ledger-Zuordnung / ledger mapping.")
    ] = None,
    factors: Annotated[
        list[Path] | None,
        typer.Option("--factors", "-f", help="eigene Emissionsfaktoren (CSV) / own factors."),
    ] = None,
    rules: Annotated[
        Path | None,
        typer.Option(
            "--rules",
            help="eigene Regeltabelle (YAML; mode: replace|extend) / own rule table.",
        ),
    ] = None,
    discount_rate: Annotated[
        float, typer.Option("--discount-rate", help="Kalkulationszins / discount rate, 0.05 = 5 %.")
    ] = 0.05,
    today: Annotated[
        str | None,
        typer.Option("--today", help="Stichtag JJJJ-MM-TT (Standard heute) / reference date."),
    ] = None,
    json_out: JsonOption = None,
    lang: LangOption = None,
) -> None:
    """Fördermittel je Maßnahme und Programm: förderfähig / nicht / Daten fehlen, Zuschuss,
    Kapitalwert mit und ohne Zuschuss / funding per measure and programme."""
    from kreislauf.advice import funding_options, measure_figures, read_company, read_rules
    from kreislauf.carbon.factors import read_factors
    from kreislauf.carbon.measures import evaluate_measures, read_measures
    from kreislauf.carbon.prices import read_price_paths
    from kreislauf.ledger import read_ledgers

    language = parse_lang(lang)
    if not 0.0 <= discount_rate < 1.0:
        raise InvalidOption(value=discount_rate, option="--discount-rate", expected="0 to < 1")
    day = _date(today)
    firm = read_company(company)
    items = read_measures(measures)
    table, source = read_rules(rules)
    evaluation = book = library = None
    if ledger:
        book = read_ledgers(ledger, mapping=mapping)
        library = read_factors(factors)
        evaluation = evaluate_measures(
            items,
            book,
            library,
            read_price_paths(None),
            discount_rate=discount_rate,
            measures_source=measures.name,
        )
    figures = measure_figures(items, firm, evaluation=evaluation, ledger=book, factors=library)
    result = funding_options(firm, figures, table, today=day, lang=language, rules_source=source)
    _print_funding(result, language)
    if json_out is not None:
        _write_json(json_out, result, language)


def _date(value: str | None) -> date:
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidOption(value=value, option="--today", expected="a date YYYY-MM-DD") from None


def _write_json(path: Path, result: Result, lang: Lang) -> None:
    ensure_directory(path.parent)
    atomic_write(path, result.to_json(indent=2) + "\n")
    console.print(f"{path} {translate('cli.written', lang)}", highlight=False)


def _print_funding(result: FundingResult, lang: Lang) -> None:
    from rich.table import Table

    def t(key: str, **params: object) -> str:
        return translate(f"advice.cli.{key}", lang, **params)

    size = translate(f"advice.size.{result.size_class}", lang) if result.size_class else "–"
    console.print(t("size", size=size, reason=result.size_class_reason), highlight=False)
    table = Table(title=t("title", rules=result.rules_source))
    for column in ("measure", "programme", "status", "grant", "npv", "npv_grant", "next"):
        table.add_column(t(f"col.{column}"))
    for row in result.results:
        if row.status == "not_eligible":
            continue
        table.add_row(
            row.measure,
            row.programme_name,
            t(f"status.{row.status}"),
            format_number(row.estimated_grant_eur, lang, decimals=0),
            format_number(row.npv_eur, lang, decimals=0),
            format_number(row.npv_with_grant_eur, lang, decimals=0),
            row.next_question or "",
        )
    console.print(table)
    hidden = sum(1 for row in result.results if row.status == "not_eligible")
    console.print(t("hidden", n=hidden), highlight=False)
