"""``kreislauf survey …``: evaluate questionnaire responses."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kreislauf.cli.common import console, marked, parse_formats, parse_lang
from kreislauf.cli.output import TABLE_HELP, TableMode, parse_table, print_rows
from kreislauf.i18n import Lang, format_number, format_percent, translate

# The survey domain (pandas, scipy) and the report renderer are imported inside the command,
# so that ``kreislauf survey --help`` loads neither (tests/cli/test_startup.py).
if TYPE_CHECKING:
    from kreislauf.report.write import Format
    from kreislauf.survey.models import ItemResult, SurveyResults

#: ``kreislauf.survey.descriptives.DEFAULT_QUANTILE_METHOD``, written out so that the help
#: text does not import numpy; tests/cli/test_startup.py checks that the two agree.
DEFAULT_QUANTILE_METHOD = 7

app = typer.Typer(help="Umfragen auswerten / evaluate surveys.", no_args_is_help=True)


@app.command("analyze")
def analyze(
    responses: Annotated[
        Path,
        typer.Argument(
            help="Antworten: CSV, XLSX, SPSS .sav, LimeSurvey-Export, -Archiv (.lsa) "
            "oder -Antworttabelle (.lsr, mit --structure)."
        ),
    ],
    out: Annotated[
        Path,
        typer.Option("--out", "-o", help="Zielordner für results.json, report.html, report.pdf."),
    ],
    questionnaire: Annotated[
        Path | None,
        typer.Option(
            "--questionnaire", "-q", help="Fragebogen (YAML): Texte, Skala, Codes, Regeln."
        ),
    ] = None,
    structure: Annotated[
        Path | None,
        typer.Option(
            "--structure",
            help="LimeSurvey-Struktur (.lss) mit Fragetexten und Antwortlabels (zu CSV/.lsr).",
        ),
    ] = None,
    scale: Annotated[
        str | None, typer.Option("--scale", help="Likert-Skala MIN-MAX, z. B. 1-5.")
    ] = None,
    missing: Annotated[
        list[str] | None,
        typer.Option(
            "--missing", help="Fehlend-Code, wiederholbar (z. B. --missing 0 --missing 99)."
        ),
    ] = None,
    weight: Annotated[
        str | None, typer.Option("--weight", help="Spalte mit Fallgewichten.")
    ] = None,
    compare_by: Annotated[
        list[str] | None,
        typer.Option(
            "--compare-by", help="Item, nach dessen Gruppen verglichen wird (wiederholbar)."
        ),
    ] = None,
    quantile_method: Annotated[
        int,
        typer.Option(
            "--quantile-method",
            min=1,
            max=9,
            help="Quantil-Typ nach Hyndman & Fan: 7 = JASP/R, 6 = SPSS.",
        ),
    ] = DEFAULT_QUANTILE_METHOD,
    sheet: Annotated[
        str | None,
        typer.Option("--sheet", help="Tabellenblatt einer XLSX-Datei (Name oder Nummer ab 0)."),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang", help="Sprache des Berichts: de | en (Standard: KREISLAUF_LANG, de)."
        ),
    ] = None,
    formats: Annotated[
        str,
        typer.Option(
            "--formats",
            help="Ausgaben, kommagetrennt: json,html,pdf; results.json wird immer geschrieben, "
            "'json' allein: keine Diagramme, kein Bericht.",
        ),
    ] = "html,pdf",
    table: Annotated[str, typer.Option("--table", help=TABLE_HELP)] = "summary",
) -> None:
    """Antworten auswerten: Kennwerte, Häufigkeiten, Anteile, Prüfungen, Bericht.

    Analyse responses: descriptives, frequency tables, shares, checks and the report.
    """
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from kreislauf.files import atomic_write, ensure_directory
    from kreislauf.survey.analysis import AnalysisOptions, analyze_prepared, prepare_options
    from kreislauf.survey.items import normalise_code, parse_scale
    from kreislauf.survey.questionnaire import read_questionnaire
    from kreislauf.survey.readers import read_responses

    language = parse_lang(lang)
    report_formats = _report_formats(formats)
    table_mode = parse_table(table)
    q = read_questionnaire(questionnaire) if questionnaire else None
    options = AnalysisOptions(
        scale=parse_scale(scale) if scale else None,
        missing_codes=tuple(normalise_code(code) for code in missing or []),
        quantile_method=quantile_method,
        weight_column=weight,
        compare_by=tuple(compare_by or []),
        lang=language,
        questionnaire_name=questionnaire.name if questionnaire else None,
    )
    sheet_arg: str | int | None = int(sheet) if sheet and sheet.isdigit() else sheet
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task(translate("survey.cli.reading", language), total=None)
        raw = read_responses(responses, structure=structure, sheet=sheet_arg)
        progress.update(task, description=translate("survey.cli.analysing", language))

        def advance(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        survey = prepare_options(raw, q, options)
        del raw  # the cells as read are not needed any more (peak memory, issue 21)
        results = analyze_prepared(survey, q, options, on_item=advance)
        del survey
        progress.update(
            task, description=translate("survey.cli.rendering", language), completed=0, total=None
        )
        ensure_directory(out)
        written = [out / "results.json"]
        atomic_write(written[0], results.model_dump_json(indent=2))
        if report_formats:  # charts and renderer are loaded only for a report
            from kreislauf.report import write_report
            from kreislauf.survey.report import survey_report

            written += write_report(
                survey_report(results, chart_workers=_cores()),
                out,
                stem="report",
                formats=report_formats,
            )

    _print_summary(results, language, mode=table_mode, rest=str(written[0]))
    for path in written:
        console.print(marked("✓", "green", f"{translate('cli.written', language)}: {path}"))


def _cores() -> int:
    """The CPUs this process may run on (the report's bar charts are drawn in parallel)."""
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _report_formats(value: str) -> tuple[Format, ...]:
    """``--formats``: ``json`` alone writes results.json only (no charts, no report);
    otherwise the report formats (``html``, ``pdf``) besides results.json."""
    parts = [part.strip() for part in value.split(",") if part.strip()]
    if parts and all(part == "json" for part in parts):
        return ()
    return parse_formats(",".join(part for part in parts if part != "json") or value)


def _print_summary(results: SurveyResults, lang: Lang, *, mode: TableMode, rest: str) -> None:
    from rich.table import Table

    table = Table(title=translate("survey.cli.summary", lang, n=results.n_responses))
    for key in ("item", "valid", "mean", "sd", "agree_excl"):
        table.add_column(
            translate(f"survey.report.col_{key}", lang),
            justify="left" if key == "item" else "right",
        )
    shown = [
        item
        for item in results.items
        if item.kind != "categorical" and item.descriptives is not None
    ]

    def row(item: ItemResult) -> tuple[str, ...]:
        d = item.descriptives
        share = item.shares.agree_excl_neutral if item.shares else None
        return (
            item.short or item.id,
            str(d.valid) if d else "–",
            format_number(d.mean if d else None, lang),
            format_number(d.sd if d else None, lang),
            format_percent(share, lang),
        )

    print_rows(table, shown, row, mode=mode, lang=lang, rest=rest)
    settings = results.settings
    key = f"method_id_{settings.id_rule}" if settings.id_column else "method_no_id"
    console.print(
        translate(f"survey.report.{key}", lang, column=settings.id_column), highlight=False
    )
    if results.warnings:
        from rich.text import Text

        console.print(marked(f"{translate('survey.report.warnings', lang)}:", "yellow"))
        for warning in results.warnings:
            console.print(Text("  ").append(marked("•", "yellow", warning.message)))
        if any(w.code == "out_of_scale" for w in results.warnings):
            console.print(f"  {translate('survey.cli.missing_hint', lang)}", highlight=False)
