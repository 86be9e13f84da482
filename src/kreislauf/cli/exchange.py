"""``kreislauf exchange …``: data quality levels, matching and forecasts of listings."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kreislauf.cli.common import console, parse_lang
from kreislauf.i18n import Lang, format_number, translate

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


@app.command()
def match(
    listings: ListingsFile,
    transport_eur_per_tkm: Annotated[
        float | None,
        typer.Option(
            "--transport-eur-per-tkm",
            help="Transportsatz / transport rate [EUR/(t·km)] (default 0.10, docs/exchange.md).",
        ),
    ] = None,
    rules: RulesOption = None,
    json_out: JsonOption = None,
    lang: LangOption = None,
) -> None:
    """Angebote Gesuchen zuordnen: größte Menge, dann geringste Kosten / match listings."""
    from rich.table import Table

    from kreislauf.errors import InvalidOption
    from kreislauf.exchange import read_listings
    from kreislauf.exchange.matching import DEFAULT_TRANSPORT_EUR_PER_TKM, match_listings
    from kreislauf.i18n import msg

    language = parse_lang(lang)
    rate = DEFAULT_TRANSPORT_EUR_PER_TKM if transport_eur_per_tkm is None else transport_eur_per_tkm
    if not rate >= 0 or rate == float("inf"):
        raise InvalidOption(
            value=str(transport_eur_per_tkm),
            option="--transport-eur-per-tkm",
            expected=msg("exchange.expected.rate"),
        )
    table = _rules(rules)
    result = match_listings(
        read_listings(listings, rules=table), rules=table, transport_eur_per_tkm=rate
    )
    rich = Table(title=translate("exchange.match.title", language))
    columns = ("offer", "request", "quantity_t", "distance_km", "cost_eur", "co2e_kg")
    for key in columns:
        rich.add_column(translate(f"exchange.col.{key}", language))
    for m in result.matches:
        rich.add_row(
            m.offer,
            m.request,
            format_number(m.quantity_t, language),
            format_number(m.distance_km, language, decimals=1),
            format_number(m.cost_eur, language, decimals=2),
            format_number(m.co2e_kg, language, decimals=1),
        )
    console.print(rich)
    console.print(
        translate(
            "exchange.match.total",
            language,
            total_t=format_number(result.total_t, language),
            total_cost_eur=format_number(result.total_cost_eur, language, decimals=2),
        ),
        highlight=False,
    )
    if json_out is not None:
        _write_json(json_out, result, language)


@app.command()
def forecast(
    history: Annotated[
        Path,
        typer.Argument(
            help="Verlauf / history: series_id, period (YYYY-MM), quantity_t (CSV/XLSX).",
            show_default=False,
        ),
    ],
    horizon: Annotated[
        int, typer.Option("--horizon", help="Monate voraus / months ahead (1-36).")
    ] = 12,
    models: Annotated[
        str | None,
        typer.Option(
            "--models",
            help="Kandidaten / candidate models, comma-separated (default: Croston*, ADIDA, "
            "IMAPA, TSB, AutoETS, AutoARIMA).",
        ),
    ] = None,
    engine: Annotated[
        str,
        typer.Option(
            "--engine",
            help="local (Standard / default), dask oder / or ray: dieselben statsforecast-"
            "Aufrufe verteilt über fugue / the same statsforecast calls distributed through "
            "fugue (extra 'distributed' bzw. / or 'ray'; docs/exchange.md).",
        ),
    ] = "local",
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            help="Prozesse des lokalen Clusters / processes of the local cluster "
            "(dask, ray; without a running one).",
        ),
    ] = 2,
    json_out: JsonOption = None,
    lang: LangOption = None,
) -> None:
    """Verfügbarkeit prognostizieren, mit Backtest und Baselines / forecast availability."""
    from rich.table import Table

    from kreislauf.errors import InvalidOption
    from kreislauf.exchange import read_history
    from kreislauf.exchange.forecast import CANDIDATES, ENGINES, forecast_availability
    from kreislauf.i18n import msg

    language = parse_lang(lang)
    if not 1 <= horizon <= 36:
        raise InvalidOption(
            value=str(horizon), option="--horizon", expected=msg("exchange.expected.horizon")
        )
    chosen: tuple[str, ...] = CANDIDATES
    if models is not None:
        chosen = tuple(part.strip() for part in models.split(",") if part.strip())
        unknown = [name for name in chosen if name not in CANDIDATES]
        if unknown or not chosen:
            raise InvalidOption(
                value=unknown[0] if unknown else models,
                option="--models",
                expected=", ".join(CANDIDATES),
            )
    if engine not in ENGINES:
        raise InvalidOption(value=engine, option="--engine", expected=", ".join(ENGINES))
    if not 1 <= workers <= 64:
        raise InvalidOption(value=str(workers), option="--workers", expected="1 to 64")
    result = forecast_availability(
        read_history(history), horizon=horizon, candidates=chosen, source=history.name,
        engine=engine, workers=workers,  # checked against ENGINES
    )  # fmt: skip
    rich = Table(title=translate("exchange.forecast.title", language))
    for key in ("series", "model", "mase", "naive", "seasonal_naive"):
        rich.add_column(translate(f"exchange.col.{key}", language))
    for series in result.series:
        rich.add_row(
            series.id,
            series.model,
            format_number(series.mase, language, decimals=3),
            format_number(series.baselines["naive"], language, decimals=3),
            format_number(series.baselines["seasonal_naive"], language, decimals=3),
        )
    console.print(rich)
    key = (
        "exchange.forecast.beats" if result.beats_seasonal_naive else "exchange.forecast.not_beats"
    )
    console.print(
        translate(
            key,
            language,
            mase=format_number(result.mean_mase, language, decimals=3),
            baseline=format_number(result.mean_mase_seasonal_naive, language, decimals=3),
        ),
        highlight=False,
    )
    if json_out is not None:
        _write_json(json_out, result, language)
