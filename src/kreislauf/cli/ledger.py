"""``kreislauf ledger …``: validate a resource ledger, its KPIs, MFCA and Sankey diagrams."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kreislauf.cli.common import console, console_err, marked, parse_formats, parse_lang
from kreislauf.cli.output import TABLE_HELP, parse_table, print_rows
from kreislauf.errors import InvalidOption, OutputNotWritable, os_error_reason
from kreislauf.i18n import Lang, format_number, format_percent, translate
from kreislauf.numbers import parse_number

# The domain (pandas), charts (matplotlib, plotly) and the report renderer are imported
# inside the commands that use them: ``kreislauf ledger --help`` loads none of them and
# ``validate`` only the reader and the MFCA (tests/cli/test_startup.py).
if TYPE_CHECKING:
    from kreislauf.ledger import Allocation, Ledger, MfcaResult
    from kreislauf.ledger.kpis import GroupKey, KpiValue
    from kreislauf.ledger.mfca import CentreCost
    from kreislauf.results import Serialisable

app = typer.Typer(
    help="Ressourcen-Ledger: Kennzahlen, MFCA, Sankey / resource ledger.", no_args_is_help=True
)

LedgerFiles = Annotated[
    list[Path],
    typer.Argument(help="Ledger-Datei(en), CSV/XLSX / ledger file(s).", show_default=False),
]
MappingOption = Annotated[
    Path | None, typer.Option("--mapping", "-m", help="Zuordnungsdatei (YAML) / mapping file.")
]
LangOption = Annotated[str | None, typer.Option("--lang", help="Sprache / language: de|en.")]
AllocationOption = Annotated[
    list[str] | None,
    typer.Option(
        "--allocation",
        help="MFCA-Schlüssel / allocation key, e.g. system=product, energy=0.3, "
        "byproducts=product (repeatable; default: mass, waste_management=loss).",
    ),
]
JsonOption = Annotated[
    Path | None, typer.Option("--json", help="Ergebnis als JSON / result as JSON.")
]
TableOption = Annotated[str, typer.Option("--table", help=TABLE_HELP)]


def _by(value: str) -> tuple[GroupKey, ...]:
    parts = tuple(p.strip() for p in value.split(",") if p.strip())
    if value == "all" or not parts:
        return ()
    if len(set(parts)) != len(parts) or any(p not in ("site", "period") for p in parts):
        raise InvalidOption(value=value, option="--by", expected="site, period, site,period, all")
    return tuple(k for k in ("site", "period") if k in parts)


def _allocation(values: list[str] | None) -> Allocation:
    """``--allocation category=key`` pairs as an :class:`Allocation` (defaults elsewhere)."""
    from pydantic import ValidationError

    from kreislauf.ledger import Allocation

    expected = (
        "material|energy|system|waste_management=mass|product|loss|0..1, byproducts=loss|product"
    )
    keys: dict[str, object] = {}
    for value in values or []:
        name, sep, key = (part.strip() for part in value.partition("="))
        if not sep or name not in Allocation.model_fields:
            raise InvalidOption(value=value, option="--allocation", expected=expected)
        try:
            keys[name] = parse_number(key) if key[:1].isdigit() else key
        except ValueError as error:
            raise InvalidOption(value=value, option="--allocation", expected=expected) from error
    try:
        return Allocation.model_validate(keys)
    except ValidationError as error:
        raise InvalidOption(
            value=", ".join(values or []), option="--allocation", expected=expected
        ) from error


def _write(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise OutputNotWritable(file=str(path), reason=os_error_reason(error)) from error


def _write_json(path: Path, result: Serialisable, lang: Lang) -> None:
    _write(path, result.to_json(indent=2) + "\n")
    console.print(f"{path} {translate('cli.written', lang)}", highlight=False)


def _warnings(result: MfcaResult, lang: Lang) -> None:
    if not result.warnings:
        return  # ledger.report loads the charts and the renderer; skip it when not needed
    from kreislauf.ledger.report import balance_warning_text

    for warning in result.warnings:
        console_err.print(
            marked(
                f"{translate('ledger.warnings', lang)}:",
                "yellow",
                balance_warning_text(warning, lang),
            )
        )


def _load(files: list[Path], mapping: Path | None, lang: Lang) -> Ledger:
    from kreislauf.ledger import read_ledgers

    ledger = read_ledgers(files, mapping=mapping)
    if ledger.duplicates_removed:
        console_err.print(translate("ledger.merged", lang, duplicates=ledger.duplicates_removed))
    return ledger


@app.command()
def validate(files: LedgerFiles, mapping: MappingOption = None, lang: LangOption = None) -> None:
    """Ledger prüfen (alle Probleme mit Zeile und Spalte) / check a ledger."""
    from kreislauf.ledger import mfca_balance

    language = parse_lang(lang)
    ledger = _load(files, mapping, language)
    result = mfca_balance(ledger)
    console.print(
        translate(
            "ledger.valid",
            language,
            file=", ".join(ledger.sources),
            rows=format_number(len(ledger.flows), language, decimals=0),
            sites=len(ledger.sites),
            centres=len(ledger.centres),
            periods=len(ledger.periods),
        ),
        highlight=False,
    )
    _warnings(result, language)


@app.command()
def kpis(
    files: LedgerFiles,
    mapping: MappingOption = None,
    by: Annotated[str, typer.Option("--by", help="site | period | site,period")] = "all",
    json_out: JsonOption = None,
    allocation: AllocationOption = None,
    lang: LangOption = None,
    table_mode: TableOption = "summary",
) -> None:
    """Kennzahlen (VDI 4800-1, MFCA) / key performance indicators."""
    from rich.table import Table

    from kreislauf.ledger import ledger_kpis, mfca_balance

    language = parse_lang(lang)
    mode = parse_table(table_mode)
    group = _by(by)
    keys = _allocation(allocation)
    ledger = _load(files, mapping, language)
    table = ledger_kpis(ledger, by=group, mfca=mfca_balance(ledger, allocation=keys))
    rich = Table(title=translate("ledger.kpis.title", language))
    for key, justify in (
        ("kpi", "left"),
        ("site", "left"),
        ("period", "left"),
        ("value", "right"),
        ("unit", "left"),
        ("change", "right"),
    ):
        rich.add_column(translate(f"ledger.col.{key}", language), justify=justify)  # type: ignore[arg-type]
    all_label = translate("ledger.all", language)

    def row(value: KpiValue) -> tuple[str, ...]:
        return (
            translate(f"ledger.kpi.{value.id}", language),
            all_label if value.site == "all" else value.site,
            all_label if value.period == "all" else value.period,
            format_number(value.value, language, decimals=2),
            value.unit,
            "" if value.change is None else format_number(value.change, language, decimals=2),
        )

    rest = str(json_out) if json_out is not None else None
    print_rows(rich, table.values, row, mode=mode, lang=language, rest=rest)
    if json_out is not None:
        _write_json(json_out, table, language)


@app.command()
def mfca(
    files: LedgerFiles,
    mapping: MappingOption = None,
    json_out: JsonOption = None,
    allocation: AllocationOption = None,
    lang: LangOption = None,
    table_mode: TableOption = "summary",
) -> None:
    """Materialflusskostenrechnung nach ISO 14051 / material flow cost accounting."""
    from rich.table import Table

    from kreislauf.ledger import mfca_balance

    language = parse_lang(lang)
    mode = parse_table(table_mode)
    keys = _allocation(allocation)
    result = mfca_balance(_load(files, mapping, language), allocation=keys)

    rich = Table(title=translate("ledger.mfca.title_units", language))
    columns = (
        "site",
        "centre",
        "input_t",
        "product_t",
        "loss_t",
        "product_cost",
        "loss_cost",
        "loss_share",
    )
    for key in columns:
        rich.add_column(
            translate(f"ledger.col.{key}", language),
            justify="left" if key in ("site", "centre") else "right",
        )

    def row(c: CentreCost) -> tuple[str, ...]:
        total = c.product_cost_eur + c.loss_cost_eur
        return (
            c.site,
            c.centre,
            *(
                format_number(v, language, decimals=2)
                for v in (c.input_mass_t, c.product_mass_t, c.loss_mass_t)
            ),
            *(
                format_number(v, language, decimals=0)
                for v in (c.product_cost_eur, c.loss_cost_eur)
            ),
            format_percent(100 * c.loss_cost_eur / total if total else float("nan"), language),
        )

    t = result.total
    totals = (
        translate("ledger.total", language),
        "",
        "",
        "",
        "",
        format_number(t.product_cost_eur, language, decimals=0),
        format_number(t.loss_cost_eur, language, decimals=0),
        format_percent(t.loss_share, language),
    )
    rest = str(json_out) if json_out is not None else None
    print_rows(rich, result.centres, row, mode=mode, lang=language, rest=rest, totals=totals)
    console.print(translate("ledger.mfca.total_note", language), style="dim", highlight=False)
    _warnings(result, language)
    if json_out is not None:
        _write_json(json_out, result, language)


@app.command()
def template(
    out: Annotated[Path, typer.Option("--out", "-o", help="Zielordner / output directory.")],
    lang: LangOption = None,
) -> None:
    """Vorlagen: Ledger (CSV, XLSX mit Spaltenhilfe), Faktoren, Aktivitäten / templates."""
    from kreislauf.carbon.templates import activities_template_csv, factors_template_csv
    from kreislauf.files import atomic_write, ensure_directory
    from kreislauf.ledger.templates import ledger_template_csv, ledger_template_xlsx

    language = parse_lang(lang)
    ensure_directory(out)
    files: dict[str, str | bytes] = {
        "ledger-template.csv": ledger_template_csv(),
        "ledger-template.xlsx": ledger_template_xlsx(language),
        "factors-template.csv": factors_template_csv(),
        "activities-template.csv": activities_template_csv(),
    }
    for name, content in files.items():
        atomic_write(out / name, content)
        console.print(marked("✓", "green", f"{translate('cli.written', language)}: {out / name}"))


@app.command()
def sankey(
    files: LedgerFiles,
    mapping: MappingOption = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Zielordner / output folder.")] = Path(),
    site: Annotated[
        str | None, typer.Option("--site", help="nur dieser Standort / one site")
    ] = None,
    period: Annotated[
        str | None, typer.Option("--period", help="nur dieser Zeitraum / one period")
    ] = None,
    lang: LangOption = None,
) -> None:
    """Sankey-Diagramme (HTML interaktiv, SVG) und Verlustkosten je Mengenstelle."""
    from kreislauf.ledger import mfca_balance
    from kreislauf.ledger.charts import figure_svg, loss_cost_figure, sankey_figure, sankey_html
    from kreislauf.ledger.sankey import sankey_data

    language = parse_lang(lang)
    ledger = _load(files, mapping, language)
    for option, value, known in (
        ("--site", site, ledger.sites),
        ("--period", period, ledger.periods),
    ):
        if value is not None and value not in known:
            raise InvalidOption(value=value, option=option, expected=", ".join(known))
    written: list[Path] = []
    for kind in ("material", "energy"):
        data = sankey_data(ledger, kind=kind, site=site, period=period, lang=language)
        html, svg = out / f"sankey-{kind}.html", out / f"sankey-{kind}.svg"
        _write(html, sankey_html(data, lang=language))
        _write(svg, figure_svg(sankey_figure(data, lang=language)))
        written += [html, svg]
    loss = out / "loss-cost.svg"
    _write(loss, figure_svg(loss_cost_figure(mfca_balance(ledger), lang=language)))
    written.append(loss)
    for path in written:
        console.print(f"{path} {translate('cli.written', language)}", highlight=False)


@app.command()
def report(
    files: LedgerFiles,
    mapping: MappingOption = None,
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Zielordner für report.html/.pdf / folder.")
    ] = Path(),
    by: Annotated[
        str, typer.Option("--by", help="Kennzahlen je / KPIs by: site | period | site,period | all")
    ] = "site,period",
    formats: Annotated[
        str, typer.Option("--formats", help="Berichtsformate / formats: html,pdf")
    ] = "html,pdf",
    allocation: AllocationOption = None,
    lang: LangOption = None,
) -> None:
    """Bericht (HTML, PDF): Kennzahlen, MFCA, Sankey, Massenbilanzen / ledger report."""
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from kreislauf.ledger import mfca_balance
    from kreislauf.ledger.report import ledger_report
    from kreislauf.report import write_report

    language = parse_lang(lang)
    group = _by(by)
    chosen = parse_formats(formats)
    keys = _allocation(allocation)
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=console_err,
        transient=True,
    ) as progress:
        task = progress.add_task(translate("ledger.cli.reading", language), total=None)
        ledger = _load(files, mapping, language)
        progress.update(task, description=translate("ledger.cli.computing", language))
        result = mfca_balance(ledger, allocation=keys)
        document = ledger_report(ledger, lang=language, by=group, mfca=result)
        progress.update(task, description=translate("ledger.cli.rendering", language))
        written = write_report(document, out, stem="report", formats=chosen)
    _warnings(result, language)
    for path in written:
        console.print(f"{path} {translate('cli.written', language)}", highlight=False)
