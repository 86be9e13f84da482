"""``kreislauf carbon pcf`` and ``kreislauf carbon measures``: product footprints, measures.

Registered on the ``carbon`` command group by :func:`register_product_commands`. Commands
parse options, call :mod:`kreislauf.carbon.pcf` / :mod:`kreislauf.carbon.measures` and
render with Rich; nothing is computed here.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kreislauf.cli.common import console, marked, parse_lang
from kreislauf.errors import InvalidOption
from kreislauf.files import atomic_write, ensure_directory
from kreislauf.i18n import Lang, format_number, format_percent, translate

# The carbon and ledger domains (pandas, scipy) and matplotlib are imported inside the
# commands, so that ``kreislauf carbon --help`` loads none of them
# (tests/cli/test_startup.py).
if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from kreislauf.carbon.measures import MeasuresResult
    from kreislauf.carbon.pcf import PcfResult
    from kreislauf.results import Result, Serialisable

#: ``kreislauf.carbon.prices.DEFAULT_PATH``, written out so that the help text does not
#: import the carbon domain; tests/cli/test_startup.py checks that the two agree.
DEFAULT_PATH = "de_ets2_central"

LedgerOption = Annotated[
    list[Path],
    typer.Option("--ledger", "-l", help="Ledger-Datei(en) / ledger file(s).", show_default=False),
]
MappingOption = Annotated[
    Path | None, typer.Option("--mapping", "-m", help="Ledger-Zuordnung (YAML) / ledger mapping.")
]
FactorsOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--factors", "-f", help="eigene Emissionsfaktoren (CSV), mehrfach möglich / own factors."
    ),
]
JsonOption = Annotated[Path | None, typer.Option("--json", help="Ergebnis als JSON / as JSON.")]
LangOption = Annotated[str | None, typer.Option("--lang", help="Sprache / language: de|en.")]


def register_product_commands(app: typer.Typer) -> None:
    """Add ``pcf`` and ``measures`` to the ``carbon`` command group."""
    app.command("pcf")(pcf)
    app.command("measures")(measures)


def pcf(
    bom: Annotated[Path, typer.Argument(help="Stückliste (CSV) / bill of materials (CSV).")],
    ledger: LedgerOption,
    mapping: MappingOption = None,
    factors: FactorsOption = None,
    product: Annotated[
        list[str] | None,
        typer.Option("--product", "-p", help="nur dieses Produkt / only this product."),
    ] = None,
    json_out: JsonOption = None,
    lang: LangOption = None,
) -> None:
    """Produkt-CO2-Fußabdruck (cradle-to-gate) aus Stückliste und Ledger / product PCF."""
    from kreislauf.carbon.bom import read_bom
    from kreislauf.carbon.factors import read_factors
    from kreislauf.carbon.pcf import FootprintsJson, product_footprints
    from kreislauf.ledger import read_ledgers

    language = parse_lang(lang)
    results = product_footprints(
        read_bom(bom),
        read_ledgers(ledger, mapping=mapping),
        read_factors(factors),
        products=product or None,
    )
    for result in results:
        _print_pcf(result, language)
    if json_out is not None:
        _write_json(json_out, FootprintsJson.of(results), language)


def measures(
    measures_file: Annotated[
        Path, typer.Argument(help="Maßnahmen (YAML/CSV) / measures file.", show_default=False)
    ],
    ledger: LedgerOption,
    mapping: MappingOption = None,
    factors: FactorsOption = None,
    prices: Annotated[
        Path | None, typer.Option("--prices", help="eigene CO2-Preispfade (CSV) / own prices.")
    ] = None,
    price_path_name: Annotated[
        str, typer.Option("--price-path", help="Standard-Preispfad / default price path.")
    ] = DEFAULT_PATH,
    discount_rate: Annotated[
        float, typer.Option("--discount-rate", help="Kalkulationszins / discount rate, 0.05 = 5 %.")
    ] = 0.05,
    json_out: JsonOption = None,
    chart: Annotated[
        Path | None, typer.Option("--chart", help="MAC-Kurve als PNG/SVG / MAC curve image.")
    ] = None,
    lang: LangOption = None,
) -> None:
    """Maßnahmen: Einsparung, Kapitalwert, Amortisation, Vermeidungskosten / measures."""
    from kreislauf.carbon.factors import read_factors
    from kreislauf.carbon.measures import evaluate_measures, read_measures
    from kreislauf.carbon.measures_report import mac_curve_figure
    from kreislauf.carbon.prices import price_path, read_price_paths
    from kreislauf.ledger import read_ledgers

    language = parse_lang(lang)
    if not 0.0 <= discount_rate < 1.0:
        raise InvalidOption(value=discount_rate, option="--discount-rate", expected="0 to < 1")
    if chart is not None and chart.suffix.lower() not in (".png", ".svg"):
        raise InvalidOption(value=chart.name, option="--chart", expected="a .png or .svg file")
    paths = read_price_paths(prices)
    price_path(paths, price_path_name)
    result = evaluate_measures(
        read_measures(measures_file),
        read_ledgers(ledger, mapping=mapping),
        read_factors(factors),
        paths,
        discount_rate=discount_rate,
        default_path=price_path_name,
        measures_source=measures_file.name,
    )
    _print_measures(result, language)
    if json_out is not None:
        _write_json(json_out, result, language)
    if chart is not None:
        write_chart(mac_curve_figure(result, language), chart)
        console.print(f"{chart} {translate('cli.written', language)}", highlight=False)


def write_chart(fig: Figure, path: Path) -> None:
    """``fig`` as PNG or SVG (text kept as text), written atomically."""
    import matplotlib

    from kreislauf import charts

    ensure_directory(path.parent)
    if path.suffix.lower() == ".png":
        atomic_write(path, charts.to_png(fig))
        return
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "kreislauf"}):
        fig.savefig(buffer, format="svg", facecolor="white", metadata={"Date": None})
    atomic_write(path, buffer.getvalue())


def _write_json(path: Path, result: Result | Serialisable, lang: Lang) -> None:
    ensure_directory(path.parent)
    atomic_write(path, result.to_json(indent=2) + "\n")
    console.print(f"{path} {translate('cli.written', lang)}", highlight=False)


def _print_pcf(result: PcfResult, lang: Lang) -> None:
    from rich.table import Table

    from kreislauf.carbon.pcf import STAGES

    def t(key: str, **params: object) -> str:
        return translate(f"carbon.pcf.{key}", lang, **params)

    console.print(
        marked(
            f"{t('title')}: {result.product}",
            "bold",
            f"= {format_number(result.total_kg, lang)} {t('unit_kg')} · {t('primary_share')} "
            f"{format_percent(100 * result.primary_share, lang)}",
        ),
        soft_wrap=True,
        highlight=False,
    )
    table = Table()
    table.add_column(t("component"))
    table.add_column(t("quantity"), justify="right")
    for stage in STAGES:
        table.add_column(t(f"stage_{stage}"), justify="right")
    table.add_column(t("share"), justify="right")
    table.add_column(t("factor"))
    total = result.total_kg or float("nan")
    row: Any  # a row of the components frame (pandas types its fields loosely)
    for row in result.components.head(15).itertuples():
        table.add_row(
            str(row.item),
            f"{format_number(row.quantity, lang)} {row.unit}",
            *(format_number(getattr(row, s), lang, decimals=4) for s in STAGES),
            format_percent(100 * row.total / total, lang),
            str(row.factor_key),
        )
    table.add_section()
    table.add_row(
        t("total"),
        "",
        *(format_number(result.stages[s], lang, decimals=4) for s in STAGES),
        format_percent(100, lang),
        "",
    )
    console.print(table)


def _print_measures(result: MeasuresResult, lang: Lang) -> None:
    from rich.table import Table

    def t(key: str) -> str:
        return translate(f"carbon.measures.{key}", lang)

    table = Table(title=t("title"), title_justify="left")
    for key in ("measure", "co2e_t", "savings_eur", "investment", "npv", "payback", "mac"):
        table.add_column(t(key), justify="left" if key == "measure" else "right")
    for m in result.measures:
        table.add_row(
            f"{m.measure.id}: {m.measure.name}",
            format_number(m.co2e_t, lang, decimals=2),
            format_number(m.savings_eur, lang, decimals=0),
            format_number(m.measure.investment_eur, lang, decimals=0),
            format_number(m.npv_eur, lang, decimals=0),
            format_number(m.payback_years, lang, decimals=1)
            if m.payback_years is not None
            else t("never"),
            format_number(m.mac_eur_per_t, lang, decimals=0),
        )
    console.print(table)
