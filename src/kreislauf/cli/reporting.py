"""``kreislauf reporting vsme | e5 | lksg``: the VSME report, ESRS E5 data points, LkSG.

Commands parse options, call :mod:`kreislauf.reporting` and render with Rich; nothing is
computed here (docs/reporting.md).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kreislauf.cli.common import console, marked, parse_lang
from kreislauf.errors import InvalidOption
from kreislauf.i18n import Lang, translate

# The domains (pandas, pint), the report renderer and the Inline XBRL writer are imported
# inside the commands, so that ``kreislauf reporting --help`` loads none of them
# (tests/cli/test_startup.py).
if TYPE_CHECKING:
    from kreislauf.reporting.compare import VsmeComparison
    from kreislauf.reporting.vsme import VsmeReport

app = typer.Typer(
    help="Berichte: VSME, ESRS E5, LkSG-Risikoanalyse / reports: VSME, ESRS E5, LkSG.",
    no_args_is_help=True,
)

LedgerFiles = Annotated[
    list[Path],
    typer.Argument(help="Ledger-Datei(en), CSV/XLSX / ledger file(s).", show_default=False),
]
YearOption = Annotated[str, typer.Option("--year", "-y", help="Berichtsjahr / reporting year.")]
MappingOption = Annotated[
    Path | None, typer.Option("--mapping", "-m", help="Ledger-Zuordnung (YAML) / ledger mapping.")
]
JsonOption = Annotated[
    Path | None, typer.Option("--json", help="Ergebnis als JSON / result as JSON.")
]
LangOption = Annotated[str | None, typer.Option("--lang", help="Sprache / language: de|en.")]
VSME_FORMATS = ("html", "pdf", "xhtml", "xlsx")


def _year(value: str, option: str = "--year") -> str:
    if not (value.isdigit() and len(value) == 4):
        raise InvalidOption(value=value, option=option, expected="a year, e.g. 2024")
    return value


def _formats(value: str, choices: tuple[str, ...]) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(p.strip() for p in value.split(",") if p.strip()))
    unknown = [p for p in chosen if p not in choices]
    if unknown or not chosen:
        raise InvalidOption(
            value=unknown[0] if unknown else value, option="--formats", expected=", ".join(choices)
        )
    return chosen


def _write_json(path: Path, text: str, lang: Lang) -> None:
    from kreislauf.files import atomic_write, ensure_directory

    ensure_directory(path.parent)
    atomic_write(path, text + "\n")
    console.print(f"{path} {translate('cli.written', lang)}", highlight=False)


@app.command("vsme")
def vsme(
    files: LedgerFiles,
    year: YearOption,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Zielordner / output directory.")
    ] = None,
    answers: Annotated[
        Path | None,
        typer.Option("--answers", "-A", help="Angaben (YAML), die das Ledger nicht kennt."),
    ] = None,
    factors: Annotated[
        list[Path] | None,
        typer.Option("--factors", "-f", help="eigene Emissionsfaktoren (CSV), mehrfach möglich."),
    ] = None,
    activities: Annotated[
        Path | None,
        typer.Option("--activities", "-a", help="Aktivitäten (CSV): Reisen, Transport, Strom."),
    ] = None,
    mapping: MappingOption = None,
    formats: Annotated[
        str, typer.Option("--formats", help="html,pdf,xhtml,xlsx (EFRAG Digital Template)")
    ] = "html,pdf,xhtml",
    compare: Annotated[
        list[str] | None,
        typer.Option(
            "--compare",
            help="Vergleichsjahre, z. B. 2022,2023 oder 'all' (alle Jahre des Ledgers); "
            "mehrfach möglich / years to compare (2022,2023 or 'all').",
        ),
    ] = None,
    json_out: JsonOption = None,
    lang: LangOption = None,
) -> None:
    """VSME-Bericht eines Jahres aus Ledger und Bilanz / VSME report of one year."""
    from rich.table import Table

    from kreislauf.carbon import ghg_balance, read_activities, read_factors
    from kreislauf.ledger import read_ledgers
    from kreislauf.reporting import read_answers, vsme_report
    from kreislauf.reporting.taxonomy import MODULES

    language = parse_lang(lang)
    wanted = _formats(formats, VSME_FORMATS)
    chosen_year = _year(year)
    # read every input first: an error leaves nothing written
    given = read_answers(answers) if answers is not None else None
    library = read_factors(factors)
    ledger = read_ledgers(files, mapping=mapping)
    rows = read_activities(activities) if activities is not None else []
    balance = ghg_balance(ledger, library, activities=rows)
    report = vsme_report(ledger, year=chosen_year, balance=balance, activities=rows, answers=given)
    comparison = None
    if compare:
        from kreislauf.reporting import Answers
        from kreislauf.reporting.compare import compared_years, vsme_years

        for item in compare:
            for part in item.split(","):
                if part.strip() and part.strip() != "all":
                    _year(part.strip(), "--compare")
        years = compared_years(ledger, year=chosen_year, compare=compare)
        # earlier years: the answers file is the reporting year's; its waste codes hold
        codes = Answers(waste_codes=given.waste_codes) if given is not None else None
        comparison = vsme_years(
            ledger, report, years=years, balance=balance, activities=rows,
            answers=dict.fromkeys(years, codes) if codes is not None else None,
        )  # fmt: skip
    table = Table(
        title=translate("reporting.cli.vsme_title", language, year=chosen_year),
        title_justify="left",
    )
    for key in ("module", "reported", "complete"):
        table.add_column(translate(f"reporting.col.{key}", language))
    for module in MODULES:
        reported, total = report.completeness.modules[module]
        table.add_row(
            module, f"{reported} / {total}", f"{100 * report.completeness.share(module):.0f} %"
        )
    console.print(table)
    computed = sum(1 for p in report.points.values() if p.origin == "computed")
    console.print(
        translate(
            "reporting.cli.datapoints", language, count=len(report.points), computed=computed
        ),
        highlight=False,
    )
    for warning in report.warnings:
        console.print(marked("!", "yellow", warning))
    if out is not None:
        for path in _write_vsme(report, out, wanted, language, comparison):
            console.print(marked("✓", "green", f"{translate('cli.written', language)}: {path}"))
    if json_out is not None:
        data = report.to_dict()
        if comparison is not None:
            data["comparison"] = comparison.to_dict()
        import json

        _write_json(json_out, json.dumps(data, indent=2, ensure_ascii=False), language)


def _write_vsme(
    report: VsmeReport,
    out: Path,
    wanted: tuple[str, ...],
    lang: Lang,
    comparison: VsmeComparison | None = None,
) -> list[Path]:
    """Render every wanted format first, then write each file atomically."""
    from kreislauf.files import atomic_write, ensure_directory
    from kreislauf.report import render_html, render_pdf
    from kreislauf.reporting.vsme_document import vsme_document

    document = vsme_document(report, lang=lang, comparison=comparison)
    rendered: dict[str, str | bytes] = {}
    if "html" in wanted:
        rendered["html"] = render_html(document)
    if "pdf" in wanted:
        rendered["pdf"] = render_pdf(document)
    if "xhtml" in wanted:
        from kreislauf.reporting.ixbrl import inline_xbrl

        rendered["xhtml"] = inline_xbrl(report, lang=lang)
    if "xlsx" in wanted:
        from kreislauf.reporting.digital_template import fill_digital_template

        rendered["xlsx"] = fill_digital_template(report).data
    ensure_directory(out)
    paths = []
    for suffix, data in rendered.items():
        path = out / f"vsme-{report.year}.{suffix}"
        atomic_write(path, data)
        paths.append(path)
    return paths


@app.command("e5")
def e5(
    files: LedgerFiles,
    year: YearOption,
    answers: Annotated[
        Path | None,
        typer.Option("--answers", "-A", help="Angaben (YAML), Abschnitt esrs_e5 / answers."),
    ] = None,
    mapping: MappingOption = None,
    json_out: JsonOption = None,
    lang: LangOption = None,
) -> None:
    """ESRS E5-4/E5-5 Datenpunkte aus dem Ledger / ESRS E5 data points from the ledger."""
    from rich.table import Table

    from kreislauf.i18n import format_number
    from kreislauf.ledger import read_ledgers
    from kreislauf.reporting import read_answers
    from kreislauf.reporting.e5 import e5_datapoints, e5_definitions

    language = parse_lang(lang)
    chosen_year = _year(year)
    given = read_answers(answers) if answers is not None else None
    ledger = read_ledgers(files, mapping=mapping)
    result = e5_datapoints(ledger, year=chosen_year, answers=given)
    table = Table(
        title=translate("reporting.cli.e5_title", language, year=chosen_year),
        title_justify="left",
    )
    for key in ("datapoint", "value", "unit", "source"):
        table.add_column(translate(f"reporting.col.{key}", language))
    definitions = e5_definitions()
    for key, definition in definitions.items():
        point = result.points.get(key)
        label = f"{definition.paragraph} {definition.label(language)}"
        if point is None:
            table.add_row(
                label,
                "–",
                definition.unit,
                translate("reporting.open", language, paragraph=f"ESRS E5 §{definition.paragraph}"),
                style="dim",
            )
            continue
        value = point.value
        shown = (
            format_number(value, language, decimals=3) if isinstance(value, float) else str(value)
        )
        source = "; ".join(f"{s.file}: {s.field or len(s.rows)}" for s in point.sources)
        table.add_row(label, shown, definition.unit, source)
    console.print(table)
    if json_out is not None:
        _write_json(json_out, result.to_json(indent=2), language)


def _as_of(text: str | None) -> date:
    """The ``--as-of`` date (default today); a wrong one exits with the option named."""
    if text is None:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidOption(value=text, option="--as-of", expected="a date YYYY-MM-DD") from None


@app.command("lksg")
def lksg(
    suppliers: Annotated[
        Path, typer.Argument(help="Zuliefererliste (CSV/XLSX) / supplier list.", show_default=False)
    ],
    index: Annotated[
        Path | None,
        typer.Option("--index", help="Länderindex (CSV: country, rule_of_law, year, source)."),
    ] = None,
    followup: Annotated[
        Path | None,
        typer.Option(
            "--followup",
            help="Bewertungen und Maßnahmen des Jahres (YAML) → interne Dokumentation "
            "nach § 10 Abs. 1 / assessments and measures (YAML) → internal documentation.",
        ),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="Stichtag JJJJ-MM-TT (Standard: heute) / as-of date."),
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Zielordner / output directory.")
    ] = None,
    formats: Annotated[str, typer.Option("--formats", help="html,pdf")] = "html,pdf",
    json_out: JsonOption = None,
    lang: LangOption = None,
) -> None:
    """LkSG-Risikoanalyse (§ 5) der Zulieferer; mit --followup die interne Dokumentation
    (§ 10 Abs. 1) / LkSG risk analysis; with --followup the yearly internal documentation."""
    from rich.table import Table

    from kreislauf.cli.common import parse_formats
    from kreislauf.i18n import format_number
    from kreislauf.reporting.countries import country_name
    from kreislauf.reporting.lksg import lksg_screening, read_country_index, read_suppliers

    language = parse_lang(lang)
    wanted = parse_formats(formats)
    rows = read_suppliers(suppliers)
    country_index = read_country_index(index) if index is not None else None
    analysis = lksg_screening(rows, index=country_index)
    day = _as_of(as_of)
    followed = None
    if followup is not None:
        from kreislauf.reporting.lksg_followup import read_followup

        followed = read_followup(followup, suppliers=[s.name for s in rows])
    flagged = sum(1 for s in analysis.suppliers if s.flagged)
    table = Table(
        title=translate("reporting.cli.lksg_title", language, count=len(rows), flagged=flagged),
        title_justify="left",
    )
    for key in ("rank", "supplier", "country", "nace", "risk", "priority"):
        table.add_column(translate(f"reporting.lksg.col.{key}", language))
    for n, s in enumerate(analysis.suppliers, start=1):
        table.add_row(
            str(n),
            s.supplier.name,
            f"{country_name(s.supplier.country, language)} ({s.supplier.country})",
            s.supplier.nace,
            translate(f"reporting.lksg.{'flagged' if s.flagged else 'not_flagged'}", language),
            format_number(s.priority, language, decimals=1),
            style="bold" if s.flagged else None,
        )
    console.print(table)
    console.print(analysis.rules.legal_state[language], highlight=False, style="dim")
    if followed is not None:
        from kreislauf.reporting.lksg_followup import followup_status

        status = followup_status(analysis, followed, on=day)
        states = Table(
            title=translate("reporting.lksg.doc.assessments", language), title_justify="left"
        )
        for key in ("supplier", "position", "state"):
            states.add_column(translate(f"reporting.lksg.doc.col.{key}", language))
        for risk in status:
            states.add_row(
                risk.supplier,
                risk.position,
                translate(f"reporting.lksg.state.{risk.state}", language),
                style="bold" if risk.state in ("overdue", "not_assessed") else None,
            )
        console.print(states)
    if out is not None:
        from kreislauf.report import write_report
        from kreislauf.reporting.lksg_document import lksg_document

        document = lksg_document(analysis, lang=language, followup=followed, on=day)
        stem = f"lksg-documentation-{followed.year}" if followed else "lksg-risk-analysis"
        for path in write_report(document, out, stem=stem, formats=wanted):
            console.print(marked("✓", "green", f"{translate('cli.written', language)}: {path}"))
    if json_out is not None:
        _write_json(json_out, analysis.to_json(indent=2), language)


@app.command("xbrl-package")
def xbrl_package(
    out: Annotated[Path, typer.Argument(help="Ziel (ZIP) / target ZIP file.", show_default=False)],
    lang: LangOption = None,
) -> None:
    """Ersatz-Taxonomiepaket zur Offline-Prüfung mit Arelle / stand-in taxonomy package."""
    from kreislauf.files import atomic_write, ensure_directory
    from kreislauf.reporting.xbrl_standin import standin_package

    language = parse_lang(lang)
    ensure_directory(out.parent)
    atomic_write(out, standin_package())
    console.print(marked("✓", "green", f"{translate('cli.written', language)}: {out}"))
