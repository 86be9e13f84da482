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
    from kreislauf.advice.foerderdatenbank import ExportChanges
    from kreislauf.advice.selfcheck import SelfCheckResult
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
    """Fördermittel je Maßnahme und Programm, Zuschuss, Kapitalwert / funding per measure."""
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
    table.add_column(t("col.measure"), no_wrap=True)
    table.add_column(t("col.programme"), ratio=1, min_width=20)
    table.add_column(t("col.status"), no_wrap=True)
    for column in ("grant", "npv", "npv_grant"):
        table.add_column(t(f"col.{column}"), justify="right", no_wrap=True)
    #: The next question per measure, with the programmes that ask it (asked once).
    questions: dict[tuple[str, str], list[str]] = {}
    for row in result.results:
        if row.status == "not_eligible":
            continue
        unchecked = row.checked_against != "guideline"
        name = f"({t('unchecked')}) {row.programme_name}" if unchecked else row.programme_name
        table.add_row(
            row.measure,
            name,
            t(f"status.{row.status}"),
            format_number(row.estimated_grant_eur, lang, decimals=0),
            format_number(row.npv_eur, lang, decimals=0),
            format_number(row.npv_with_grant_eur, lang, decimals=0),
        )
        if row.next_question:
            questions.setdefault((row.measure, row.next_question), []).append(row.programme)
    console.print(table)
    if questions:
        console.print(t("questions"), highlight=False)
        for (measure, question), programmes in questions.items():
            console.print(f"  {measure} ({', '.join(programmes)}): {question}", highlight=False)
    hidden = sum(1 for row in result.results if row.status == "not_eligible")
    console.print(t("hidden", n=hidden), highlight=False)


@app.command("fdb-import")
def fdb_import(
    export: Annotated[Path, typer.Argument(help="Export der Förderdatenbank (ZIP) / export.")],
    history: Annotated[
        Path, typer.Option("--history", help="Verlaufsordner / history folder.")
    ] = Path("foerderdatenbank"),
    today: Annotated[str | None, typer.Option("--today", help="Datum / date YYYY-MM-DD.")] = None,
    json_out: JsonOption = None,
    lang: LangOption = None,
) -> None:
    """Förderdatenbank-Export ablegen, Änderungen zeigen / store an export, show changes."""
    from kreislauf.advice.foerderdatenbank import import_export

    language = parse_lang(lang)
    try:
        data = export.read_bytes()
    except OSError as error:
        from kreislauf.errors import FileNotReadable, os_error_reason

        raise FileNotReadable(file=export.name, reason=os_error_reason(error)) from error
    changes = import_export(data, history, name=export.name, day=_date(today))
    _print_changes(changes, language)
    if json_out is not None:
        _write_json(json_out, changes, language)


@app.command("fdb-diff")
def fdb_diff(
    old: Annotated[Path, typer.Argument(help="älterer Export (ZIP) / older export.")],
    new: Annotated[Path, typer.Argument(help="neuerer Export (ZIP) / newer export.")],
    json_out: JsonOption = None,
    lang: LangOption = None,
) -> None:
    """Änderungen zwischen zwei Exporten der Förderdatenbank / changes between two exports."""
    from kreislauf.advice.foerderdatenbank import export_changes, read_export

    language = parse_lang(lang)
    changes = export_changes(read_export(old), read_export(new))
    _print_changes(changes, language)
    if json_out is not None:
        _write_json(json_out, changes, language)


@app.command("fdb-search")
def fdb_search(
    export: Annotated[Path, typer.Argument(help="Export der Förderdatenbank (ZIP) / export.")],
    text: Annotated[str, typer.Argument(help="Suchtext / text to search for.")],
    lang: LangOption = None,
) -> None:
    """Programme der Förderdatenbank finden (Titel und Texte) / search the export."""
    from kreislauf.advice.foerderdatenbank import ATTRIBUTION, read_export, search_export

    language = parse_lang(lang)
    hits = search_export(read_export(export), text)
    for programme in hits:
        console.print(f"{programme.id}: {programme.title}", highlight=False, markup=False)
        if programme.categories:
            console.print(f"  {programme.shown_categories()}", highlight=False, markup=False)
    console.print(translate("advice.cli.hits", language, n=len(hits)), highlight=False)
    console.print(ATTRIBUTION, highlight=False, markup=False)


def _print_changes(changes: ExportChanges, lang: Lang) -> None:
    def t(key: str, **params: object) -> str:
        return translate(f"advice.cli.{key}", lang, **params)

    console.print(
        t(
            "changes",
            old=changes.old,
            new=changes.new,
            added=len(changes.added),
            removed=len(changes.removed),
            changed=len(changes.changed),
        ),
        highlight=False,
        markup=False,
    )
    for ident in changes.added:
        console.print(f"+ {ident}", highlight=False, markup=False)
    for ident in changes.removed:
        console.print(f"- {ident}", highlight=False, markup=False)
    for change in changes.changed:
        console.print(f"~ {change.id}: {', '.join(change.fields)}", highlight=False, markup=False)
    console.print(changes.attribution, highlight=False, markup=False)


@app.command("selfcheck")
def selfcheck(
    questionnaire: Annotated[
        Path, typer.Option("--questionnaire", "-q", help="Fragebogen (YAML) / questionnaire.")
    ],
    responses: Annotated[
        Path, typer.Option("--responses", "-r", help="Antworten der Vergleichsgruppe / peers.")
    ],
    answers: Annotated[
        Path, typer.Option("--answers", "-a", help="Antworten des Unternehmens (YAML) / answers.")
    ],
    json_out: JsonOption = None,
    lang: LangOption = None,
) -> None:
    """Selbstcheck gegen die Vergleichsgruppe, Maßnahmen / self-check against the peers."""
    from kreislauf.advice.selfcheck import read_answers, self_check
    from kreislauf.survey import (
        AnalysisOptions,
        analyze_responses,
        read_questionnaire,
        read_responses,
    )

    language = parse_lang(lang)
    spec = read_questionnaire(questionnaire)
    own = read_answers(answers, spec)
    peers = analyze_responses(read_responses(responses), spec, AnalysisOptions(lang=language))
    result = self_check(peers, spec, own, lang=language)
    _print_selfcheck(result, language)
    if json_out is not None:
        _write_json(json_out, result, language)


def _print_selfcheck(result: SelfCheckResult, lang: Lang) -> None:
    from rich.table import Table

    from kreislauf.i18n import format_percent

    def t(key: str, **params: object) -> str:
        return translate(f"advice.cli.{key}", lang, **params)

    table = Table(title=t("selfcheck", n=result.n_peers))
    for column in ("item", "answer", "lower", "same", "higher", "position", "agree"):
        table.add_column(t(f"col.{column}"))
    for item in result.items:
        agree = format_percent(item.peers_agree_pct, lang, decimals=0)
        if item.peers_agree_low is not None and item.peers_agree_high is not None:
            agree += (
                f" [{format_percent(item.peers_agree_low, lang, decimals=0)}–"
                f"{format_percent(item.peers_agree_high, lang, decimals=0)}]"
            )
        table.add_row(
            item.item,
            format_number(item.answer, lang, decimals=0),
            format_percent(item.lower_pct, lang, decimals=0),
            format_percent(item.same_pct, lang, decimals=0),
            format_percent(item.higher_pct, lang, decimals=0),
            t(f"position.{item.position}") if item.position else "–",
            agree,
        )
    console.print(table)
    for note in sorted({n for item in result.items for n in item.notes}):
        console.print(note, highlight=False, markup=False)
    for suggestion in result.suggestions:
        console.print(
            f"→ {suggestion.name} ({suggestion.code}): {suggestion.why}",
            highlight=False,
            markup=False,
        )
