"""``kreislauf carbon balance | factors search | report``: GHG balance, factor search, report.

Registered on the ``carbon`` command group by :func:`register_balance_commands`. Commands
parse options, call :mod:`kreislauf.carbon` and render with Rich; nothing is computed here.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kreislauf.cli.common import console, marked, parse_formats, parse_lang
from kreislauf.cli.output import TABLE_HELP, TableMode, parse_table, print_rows
from kreislauf.errors import InvalidOption
from kreislauf.i18n import Lang, format_number, translate

# The carbon and ledger domains (pandas, scipy) and the report renderer are imported inside
# the commands, so that ``kreislauf carbon --help`` loads none of them
# (tests/cli/test_startup.py).
if TYPE_CHECKING:
    from kreislauf.carbon.balance import GhgBalance, YearTotals
    from kreislauf.carbon.factors import FactorLibrary
    from kreislauf.ledger import Ledger
    from kreislauf.report import Section

LedgerFiles = Annotated[
    list[Path],
    typer.Argument(help="Ledger-Datei(en), CSV/XLSX / ledger file(s).", show_default=False),
]
MappingOption = Annotated[
    Path | None, typer.Option("--mapping", "-m", help="Ledger-Zuordnung (YAML) / ledger mapping.")
]
ActivitiesOption = Annotated[
    Path | None,
    typer.Option("--activities", "-a", help="Aktivitäten (CSV): Reisen, Transport, Ausgaben."),
]
FactorsOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--factors", "-f", help="eigene Emissionsfaktoren (CSV), mehrfach möglich / own factors."
    ),
]
BaseYearOption = Annotated[
    str | None, typer.Option("--base-year", help="Basisjahr / base year (default: earliest).")
]
YearOption = Annotated[
    str | None,
    typer.Option(
        "--year", help="Berichtsjahr / reporting year (default: latest year with 12 months)."
    ),
]
LangOption = Annotated[str | None, typer.Option("--lang", help="Sprache / language: de|en.")]


def register_balance_commands(app: typer.Typer) -> None:
    """Add ``balance``, ``factors search`` and ``report`` to the ``carbon`` group."""
    app.command("balance")(balance)
    app.command("report")(report)
    factors_app = typer.Typer(help="Emissionsfaktoren / emission factors.", no_args_is_help=True)
    factors_app.command("search")(factors_search)
    app.add_typer(factors_app, name="factors")


def _compute(
    files: list[Path],
    mapping: Path | None,
    activities: Path | None,
    factors: list[Path] | None,
    base_year: str | None,
    year: str | None = None,
) -> tuple[GhgBalance, Ledger, FactorLibrary]:
    """Read every input first, then compute; any error leaves nothing written."""
    from kreislauf.carbon.activities import read_activities
    from kreislauf.carbon.balance import ghg_balance
    from kreislauf.carbon.factors import read_factors
    from kreislauf.ledger import read_ledgers

    if base_year is not None and not (base_year.isdigit() and len(base_year) == 4):
        raise InvalidOption(value=base_year, option="--base-year", expected="a year, e.g. 2023")
    if year is not None and not (year.isdigit() and len(year) == 4):
        raise InvalidOption(value=year, option="--year", expected="a year, e.g. 2024")
    library = read_factors(factors)
    ledger = read_ledgers(files, mapping=mapping)
    rows = read_activities(activities) if activities is not None else []
    result = ghg_balance(ledger, library, activities=rows, base_year=base_year, reporting_year=year)
    return result, ledger, library


def _print_balance(
    result: GhgBalance, lang: Lang, *, mode: TableMode = "summary", rest: str | None = None
) -> None:
    from rich.table import Table

    from kreislauf.carbon.balance import SCOPES

    year = result.reporting_year or "–"
    title = translate("carbon.cli.balance_title", lang, year=year)
    table = Table(title=title, title_justify="left")
    table.add_column(translate("carbon.col.scope", lang))
    for key in ("co2e_t", "low", "high", "quality"):
        table.add_column(translate(f"carbon.col.{key}", lang), justify="right")
    for scope in SCOPES:
        u = result.uncertainty[scope]
        table.add_row(
            translate(f"carbon.scope.{scope}", lang),
            format_number(result.totals[scope], lang, decimals=2),
            format_number(u.low_t, lang, decimals=2),
            format_number(u.high_t, lang, decimals=2),
            format_number(u.quality_score, lang, decimals=1),
        )
    for category, value in result.scope3_by_category.items():
        table.add_row(
            "  " + translate(f"carbon.cat3.{category}", lang),
            format_number(value, lang, decimals=2),
            "",
            "",
            "",
        )
    console.print(table)
    years = Table(
        title=translate("carbon.cli.years_title", lang, base=result.base_year or "–"),
        title_justify="left",
    )
    years.add_column(translate("carbon.col.year", lang))
    for scope in SCOPES:
        years.add_column(translate(f"carbon.scope.{scope}", lang), justify="right")

    def year_row(row: YearTotals) -> tuple[str, ...]:
        label = row.year
        if row.year == result.reporting_year:
            label += " (" + translate("carbon.reporting_year", lang) + ")"
        if result.months.get(row.year, 12) < 12:
            label += " · " + translate("carbon.months", lang, count=result.months[row.year])
        return (label, *(format_number(row.totals[s], lang, decimals=2) for s in SCOPES))

    print_rows(years, result.years, year_row, mode=mode, lang=lang, rest=rest)
    console.print(
        translate("carbon.cli.lines", lang, count=len(result.lines)), highlight=False, style="dim"
    )


def balance(
    files: LedgerFiles,
    mapping: MappingOption = None,
    activities: ActivitiesOption = None,
    factors: FactorsOption = None,
    base_year: BaseYearOption = None,
    year: YearOption = None,
    json_out: Annotated[
        Path | None, typer.Option("--json", help="Ergebnis als JSON / result as JSON.")
    ] = None,
    lang: LangOption = None,
    table_mode: Annotated[str, typer.Option("--table", help=TABLE_HELP)] = "summary",
) -> None:
    """Treibhausgasbilanz Scope 1–3 (GHG Protocol) / GHG balance, Scope 1-3."""
    from kreislauf.files import atomic_write, ensure_directory

    language = parse_lang(lang)
    mode = parse_table(table_mode)
    result, _, _ = _compute(files, mapping, activities, factors, base_year, year)
    _print_balance(result, language, mode=mode, rest=str(json_out) if json_out else None)
    if json_out is not None:
        ensure_directory(json_out.parent)
        atomic_write(json_out, result.to_json(indent=2) + "\n")
        console.print(f"{json_out} {translate('cli.written', language)}", highlight=False)


def factors_search(
    text: Annotated[str, typer.Argument(help="Suchtext / search text.")],
    factors: FactorsOption = None,
    limit: Annotated[int, typer.Option("--limit", help="höchstens / at most.")] = 20,
    lang: LangOption = None,
) -> None:
    """Emissionsfaktoren suchen (unscharf) / search emission factors (fuzzy)."""
    from rich.table import Table

    from kreislauf.carbon.factors import read_factors

    language = parse_lang(lang)
    library = read_factors(factors)
    hits = library.search(text, limit=limit)
    if not hits:
        console.print(translate("carbon.factors.none", language, text=text), highlight=False)
        return
    table = Table(
        title=translate("carbon.factors.title", language, text=text), title_justify="left"
    )
    columns = ("key", "name", "value", "unit", "scope", "year", "quality", "source")
    for key in (*columns, "score"):
        table.add_column(
            translate(f"carbon.col.{key}", language),
            justify="right" if key in ("value", "quality", "score") else "left",
            no_wrap=key in ("key", "value", "unit"),
            overflow="ellipsis" if key == "source" else "fold",
            max_width=48 if key == "source" else None,
        )
    for score, factor in hits:
        table.add_row(
            factor.key,
            library.name_of(factor, language),
            format_number(factor.value, language, decimals=5 if factor.value < 10 else 1),
            factor.unit,
            f"{factor.scope} · {factor.category}",
            str(factor.year or "–"),
            str(factor.quality),
            f"{factor.source} ({factor.region})" + (" [user]" if factor.origin == "user" else ""),
            format_number(score, language, decimals=2),
        )
    console.print(table)


def _extra_sections(
    bom: Path | None, measures: Path | None, ledger: Ledger, library: FactorLibrary, lang: Lang
) -> list[Section]:
    """PCF and measures sections of the part-2 modules, when their inputs are given."""
    sections: list[Section] = []
    if bom is not None:
        from kreislauf.carbon.bom import read_bom
        from kreislauf.carbon.pcf import product_footprints
        from kreislauf.carbon.pcf_report import pcf_report_sections

        sections += pcf_report_sections(product_footprints(read_bom(bom), ledger, library), lang)
    if measures is not None:
        from kreislauf.carbon.measures import evaluate_measures, read_measures
        from kreislauf.carbon.measures_report import measures_report_sections
        from kreislauf.carbon.prices import DEFAULT_PATH, read_price_paths

        result = evaluate_measures(
            read_measures(measures),
            ledger,
            library,
            read_price_paths(None),
            discount_rate=0.05,
            default_path=DEFAULT_PATH,
            measures_source=measures.name,
        )
        sections += measures_report_sections(result, lang)
    return sections


def report(
    files: LedgerFiles,
    out: Annotated[Path, typer.Option("--out", "-o", help="Zielordner / output directory.")],
    mapping: MappingOption = None,
    activities: ActivitiesOption = None,
    factors: FactorsOption = None,
    base_year: BaseYearOption = None,
    year: YearOption = None,
    bom: Annotated[
        Path | None, typer.Option("--bom", help="Stückliste für PCF / bill of materials.")
    ] = None,
    measures: Annotated[
        Path | None, typer.Option("--measures", help="Maßnahmen / measures file.")
    ] = None,
    formats: Annotated[str, typer.Option("--formats", help="html,pdf")] = "html,pdf",
    lang: LangOption = None,
) -> None:
    """Bericht (HTML/PDF): Bilanz, optional PCF und Maßnahmen / carbon report."""
    from kreislauf.carbon.balance_report import carbon_report
    from kreislauf.report import write_report

    language = parse_lang(lang)
    wanted = parse_formats(formats)
    result, ledger, library = _compute(files, mapping, activities, factors, base_year, year)
    extra = _extra_sections(bom, measures, ledger, library, language)
    document = carbon_report(result, lang=language, extra_sections=extra)
    for path in write_report(document, out, stem="report", formats=wanted):
        console.print(marked("✓", "green", f"{translate('cli.written', language)}: {path}"))
