"""The survey report: :class:`SurveyResults` rendered into the shared document model.

The report shows its working: N and the base of every percentage, the 95 % intervals, the
data-quality findings and the checks of the sample description, and the method (scale,
missing codes, quantile type, weights).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import numpy as np

from kreislauf import __version__, charts
from kreislauf.i18n import Lang, format_integer, format_number, format_percent, translate
from kreislauf.report import (
    Align,
    Block,
    Callout,
    Figure,
    KeyFigure,
    KeyFigures,
    Paragraph,
    Report,
    Section,
    Table,
)
from kreislauf.survey.models import Comparison, ItemResult, SurveyResults


def survey_report(
    results: SurveyResults, *, with_charts: bool = True, chart_workers: int = 1
) -> Report:
    """The complete survey report in the results' language.

    chart_workers : processes that draw the items' bar charts (forked; 1 = in this process).
        Only for a process of its own such as the CLI: a forked child shares the parent's
        open sockets (a database connection, a job queue), so the web workers keep 1.
    """
    lang = results.settings.lang

    def t(key: str, **params: object) -> str:
        return translate(f"survey.report.{key}", lang, **params)

    likert = [i for i in results.items if i.kind == "likert"]
    questions = [i for i in results.items if i.role == "item"]
    demographics = [i for i in results.items if i.role == "demographic"]
    # forked processes draw the bar charts while this one draws the overview
    bar_charts = (
        _bar_charts([*questions, *demographics], lang, chart_workers) if with_charts else dict
    )
    try:
        sections = [
            _summary(results, likert, lang),
            _quality(results, lang),
            _descriptives_table(results, lang),
        ]
        if likert:
            sections.append(_overview(likert, lang, with_charts=with_charts))
    finally:
        pngs = bar_charts()  # also on an error: the processes are waited for
    sections.append(Section(t("questions"), []))
    sections.extend(_item_section(i, results, lang, pngs.get(i.id)) for i in questions)
    if demographics:
        sections.append(Section(t("demographics"), []))
        sections.extend(_item_section(i, results, lang, pngs.get(i.id)) for i in demographics)
    if results.reliability:
        sections.append(_reliability(results, lang))
    if results.multiple:
        sections.extend(_multiple(results, lang))
    if results.comparisons:
        sections.extend(_comparisons(results, lang))
    sections.append(_method(results, lang))
    settings = results.settings
    meta = [
        (t("meta_source"), settings.source),
        (t("meta_n"), format_integer(results.n_responses, lang)),
    ]
    if settings.questionnaire:
        meta.append((t("meta_questionnaire"), settings.questionnaire))
    if settings.scale:
        meta.append((t("meta_scale"), _scale_text(results, lang)))
    meta.append(
        (t("meta_created"), t("created", date=date.today().isoformat(), version=__version__))
    )
    return Report(
        title=results.title or t("title"),
        subtitle=t("subtitle", n=format_integer(results.n_responses, lang)),
        lang=lang,
        meta=meta,
        sections=[s for s in sections if s is not None],
        footer=f"kreislauf {__version__} · {settings.source}",
    )


def _summary(results: SurveyResults, likert: list[ItemResult], lang: Lang) -> Section:
    blocks: list[Block] = []
    figures = []
    for item in likert:
        shares = item.shares
        if shares is None or shares.agree_excl_neutral is None:
            continue
        interval = shares.intervals.get("agree_excl_neutral")
        figures.append(
            KeyFigure(
                value=format_percent(shares.agree_excl_neutral, lang),
                label=translate("survey.report.kf_label", lang, item=item.short or item.text),
                detail=translate(
                    "survey.report.kf_detail",
                    lang,
                    k=_count(shares.counts["agree"], lang),
                    base=_count(shares.bases["excl_neutral"], lang),
                    low=format_percent(interval.low if interval else None, lang, decimals=0),
                    high=format_percent(interval.high if interval else None, lang, decimals=0),
                ),
            )
        )
    if figures:
        blocks.append(Paragraph(translate("survey.report.summary_lead", lang), style="lead"))
        blocks.append(KeyFigures(figures))
    blocks.extend(Paragraph(note, style="note") for note in results.notes)
    return Section(translate("survey.report.summary", lang), blocks)


def _quality(results: SurveyResults, lang: Lang) -> Section:
    blocks: list[Block] = []
    if results.warnings:
        blocks.append(
            Callout(
                translate("survey.report.warnings", lang),
                [w.message for w in results.warnings],
                tone="warning",
            )
        )
    else:
        blocks.append(Callout(translate("survey.report.no_warnings", lang), [], tone="ok"))
    if results.checks:
        for holds, tone, key in ((True, "ok", "checks_ok"), (False, "warning", "checks_failed")):
            lines = [
                translate(
                    _check_key(c.share),
                    lang,
                    claim=c.claim,
                    share=format_percent(c.share, lang),
                    base=_count(c.base, lang),
                    missing=c.missing,
                )
                for c in results.checks
                if c.holds is holds
            ]
            if lines:
                blocks.append(Callout(translate(f"survey.report.{key}", lang), lines, tone=tone))  # type: ignore[arg-type]
    return Section(translate("survey.report.quality", lang), blocks)


def _descriptives_table(results: SurveyResults, lang: Lang) -> Section:
    header = [
        translate(f"survey.report.col_{c}", lang)
        for c in ("item", "valid", "missing", "mean", "sd", "median", "iqr", "min", "max")
    ]
    rows = []
    for item in results.items:
        d = item.descriptives
        if d is None:
            continue
        rows.append(
            [
                item.text,
                format_integer(d.valid, lang),
                format_integer(d.missing, lang),
                *(
                    format_number(v, lang) if v is not None else ""
                    for v in (d.mean, d.sd, d.median, d.iqr, d.min, d.max)
                ),
            ]
        )
    caption = translate(
        "survey.report.table1_caption", lang, quantile=results.settings.quantile_method
    )
    return Section(
        translate("survey.report.descriptives", lang), [Table(header, rows, caption=caption)]
    )


def _overview(likert: list[ItemResult], lang: Lang, *, with_charts: bool) -> Section:
    blocks: list[Block] = []
    first = likert[0]
    if first.scale is None:
        return Section(translate("survey.report.overview", lang), blocks)
    low, high = first.scale
    points = [float(p) for p in range(low, high + 1)]
    same_scale = [i for i in likert if i.scale == first.scale]
    if with_charts and same_scale:
        labels = {r.value: r.label for r in first.frequencies if r.value in points}
        shares = np.array([_in_scale_shares(i, points) for i in same_scale])
        neutral = points.index(first.neutral) if first.neutral in points else None
        figure = charts.diverging_stacked_bar_chart(
            [i.short or i.text for i in same_scale],
            [labels.get(p, _code(p)) for p in points],
            shares,
            neutral_index=neutral,
            xlabel=translate("survey.report.percent_valid", lang),
        )
        blocks.append(
            Figure(
                charts.to_png(figure),
                translate("survey.report.diverging_caption", lang),
                alt=translate("survey.report.diverging_alt", lang),
            )
        )
    header = [
        translate(f"survey.report.col_{c}", lang)
        for c in (
            "item",
            "base",
            "agree",
            "neutral",
            "disagree",
            "base_excl",
            "agree_excl",
            "disagree_excl",
        )
    ]
    rows = []
    for item in likert:
        s = item.shares
        if s is None:
            continue
        rows.append(
            [
                item.short or item.text,
                _count(s.bases["all"], lang),
                *(format_percent(v, lang) for v in (s.agree, s.neutral, s.disagree)),
                _count(s.bases["excl_neutral"], lang),
                _with_interval(s.agree_excl_neutral, s.intervals.get("agree_excl_neutral"), lang),
                _with_interval(
                    s.disagree_excl_neutral, s.intervals.get("disagree_excl_neutral"), lang
                ),
            ]
        )
    blocks.append(Table(header, rows, caption=translate("survey.report.shares_caption", lang)))
    return Section(translate("survey.report.overview", lang), blocks)


#: A bar chart: answer labels, frequencies, the percentages on the bars, y-axis label.
BarSpec = tuple[list[str], list[float], list[str], str]


def _bar_spec(item: ItemResult, lang: Lang) -> BarSpec | None:
    valid_rows = [r for r in item.frequencies if r.kind == "valid"]
    if not valid_rows or len(valid_rows) > 30:
        return None
    return (
        [r.label for r in valid_rows],  # the answer's label; its code where it has none
        [r.frequency for r in valid_rows],
        [format_percent(r.valid_percent, lang) for r in valid_rows],
        translate("survey.report.absolute_frequency", lang),
    )


def _bar_pngs(specs: list[BarSpec]) -> list[bytes]:
    """The PNGs of ``specs``, drawn on one reused figure (:class:`charts.FrequencyBarCharts`;
    the same bytes as a new figure per chart)."""
    painter = charts.FrequencyBarCharts()
    return [
        painter.png(labels, counts, texts, ylabel=ylabel) for labels, counts, texts, ylabel in specs
    ]


def _bar_charts(
    items: list[ItemResult], lang: Lang, workers: int
) -> Callable[[], dict[str, bytes]]:
    """The PNG bar chart of every item that gets one, by item id, as a call that waits for
    them.

    With at least 8 charts per process, ``workers`` forked processes start drawing at once,
    each one share of the charts on its own reused figure, and the caller goes on (the
    overview chart) until it asks for them; otherwise they are drawn here when asked for.
    """
    specs = {item.id: spec for item in items if (spec := _bar_spec(item, lang)) is not None}
    workers = min(workers, len(specs) // 8)
    if workers <= 1:
        return lambda: dict(zip(specs, _bar_pngs(list(specs.values())), strict=True))
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork")  # matplotlib is loaded already
    values = list(specs.values())
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context)
    shares = [pool.submit(_bar_pngs, values[k::workers]) for k in range(workers)]

    def drawn() -> dict[str, bytes]:
        pngs: list[bytes] = [b""] * len(values)
        try:
            for k, share in enumerate(shares):  # every workers-th chart: similar labels in each
                pngs[k::workers] = share.result()
        finally:
            pool.shutdown(cancel_futures=True)
        return dict(zip(specs, pngs, strict=True))

    return drawn


def _item_section(
    item: ItemResult, results: SurveyResults, lang: Lang, png: bytes | None
) -> Section:
    blocks: list[Block] = [Paragraph(item.text, style="lead")]
    valid_rows = [r for r in item.frequencies if r.kind == "valid"]
    if item.shares is not None and item.shares.agree_excl_neutral is not None:
        s = item.shares
        blocks.append(
            Paragraph(
                translate(
                    "survey.report.item_shares",
                    lang,
                    agree=format_percent(s.agree_excl_neutral, lang),
                    disagree=format_percent(s.disagree_excl_neutral, lang),
                    base=_count(s.bases["excl_neutral"], lang),
                    n=_count(s.bases["all"], lang),
                    agree_all=format_percent(s.agree, lang),
                    neutral=format_percent(s.neutral, lang),
                    disagree_all=format_percent(s.disagree, lang),
                )
            )
        )
    if png is not None:
        valid_n = sum(r.frequency for r in valid_rows)
        blocks.append(
            Figure(
                png,
                translate(
                    "survey.report.bar_caption",
                    lang,
                    item=item.short or item.text,
                    n=_count(valid_n, lang),
                ),
                alt=translate("survey.report.bar_alt", lang, item=item.short or item.text),
                width_cm=13.0,
            )
        )
    blocks.append(_frequency_table(item, results, lang))
    return Section(item.short or item.text, blocks, level=2)


def _frequency_table(item: ItemResult, results: SurveyResults, lang: Lang) -> Table:
    likert = item.kind == "likert"
    columns = ["value", "label", "frequency", "percent", "valid_percent", "cumulative"]
    if likert:
        columns.append("percent_excl")
    header = [translate(f"survey.report.col_{c}", lang) for c in columns]
    rows, muted = [], set()
    for position, row in enumerate(item.frequencies):
        cells = [
            _code(row.value) if row.kind in ("valid", "declared") else "",
            row.label + ("" if row.in_scale else " ⚠"),
            _count(row.frequency, lang),
            format_percent(row.percent, lang),
            _opt_percent(row.valid_percent, lang),
            _opt_percent(row.cumulative_percent, lang),
        ]
        if likert:
            cells.append(_opt_percent(row.percent_excl_neutral, lang))
        if row.kind != "valid":
            muted.add(position)
        rows.append(cells)
    if not any(r.kind != "valid" for r in item.frequencies):
        rows.append(
            ["", translate("survey.report.missing", lang), "0", format_percent(0.0, lang), "", ""]
            + ([""] if likert else [])
        )
        muted.add(len(rows) - 1)
    total = sum(r.frequency for r in item.frequencies)
    footer = [
        [
            "",
            translate("survey.report.total", lang),
            _count(total, lang),
            format_percent(100.0 if total else 0.0, lang),
            "",
            "",
        ]
        + ([""] if likert else [])
    ]
    right: Align = "right"
    return Table(
        header,
        rows,
        footer=footer,
        muted_rows=frozenset(muted),
        align=["left", "left", *[right] * (len(header) - 2)],
        caption=translate(
            "survey.report.freq_caption", lang, n=format_integer(results.n_responses, lang)
        ),
    )


def _reliability(results: SurveyResults, lang: Lang) -> Section:
    header = [translate(f"survey.report.col_{c}", lang) for c in ("scale", "k", "n", "alpha")]
    rows = [
        [r.text, str(len(r.items)), format_integer(r.n, lang), format_number(r.alpha, lang)]
        for r in results.reliability
    ]
    return Section(
        translate("survey.report.reliability", lang),
        [
            Table(
                header,
                rows,
                caption=translate(
                    "survey.report.alpha_caption_weighted"
                    if any(r.weighted for r in results.reliability)
                    else "survey.report.alpha_caption",
                    lang,
                ),
            ),
        ],
    )


def _comparisons(results: SurveyResults, lang: Lang) -> list[Section]:
    """One table per grouping variable; notes (small groups, no test) below it, marked."""
    names = {i.id: i.short or i.text for i in results.items}
    header = [
        translate(f"survey.report.col_{c}", lang)
        for c in ("item", "test", "statistic", "p", "effect", "groups")
    ]
    by_variable: dict[str, list[Comparison]] = {}
    for c in results.comparisons:
        by_variable.setdefault(c.by, []).append(c)
    sections = [Section(translate("survey.report.comparisons", lang), [])]
    for by, comparisons in by_variable.items():
        rows, notes = [], []
        for c in comparisons:
            mark = ""
            if c.note:
                if c.note not in notes:
                    notes.append(c.note)
                mark = " " + "*" * (notes.index(c.note) + 1)
            rows.append(
                [
                    names.get(c.item, c.item) + mark,
                    translate(f"survey.test.{c.test}", lang),
                    format_number(c.statistic, lang) if c.statistic is not None else "–",
                    format_number(c.p_value, lang, decimals=3) if c.p_value is not None else "–",
                    translate(f"survey.effect.{c.test}", lang, value=format_number(c.effect, lang))
                    if c.effect is not None
                    else "–",
                    ", ".join(f"{g.label or g.group} ({_count(g.n, lang)})" for g in c.groups),
                ]
            )
        blocks: list[Block] = [
            Table(
                header,
                rows,
                caption=translate("survey.report.compare_caption", lang),
                align=["left", "left", "right", "right", "right", "left"],
            )
        ]
        blocks.extend(
            Paragraph(f"{'*' * (position + 1)} {note}", style="note")
            for position, note in enumerate(notes)
        )
        title = translate("survey.report.compare_by", lang, by=names.get(by, by))
        sections.append(Section(title, blocks, level=2))
    return sections


def _multiple(results: SurveyResults, lang: Lang) -> list[Section]:
    """Multiple-response tables in the layout of SPSS MULT RESPONSE."""
    header = [
        translate(f"survey.report.col_{c}", lang)
        for c in ("label", "frequency", "percent_responses", "percent_cases")
    ]
    sections = [Section(translate("survey.report.multiple", lang), [])]
    for table in results.multiple:
        rows = [
            [
                r.label,
                _count(r.count, lang),
                _opt_percent(r.percent_of_responses, lang),
                _opt_percent(r.percent_of_cases, lang),
            ]
            for r in table.rows
        ]
        total_cases = 100 * table.responses / table.cases if table.cases else None
        footer = [
            [
                translate("survey.report.total", lang),
                _count(table.responses, lang),
                format_percent(100.0 if table.responses else 0.0, lang),
                _opt_percent(total_cases, lang),
            ]
        ]
        caption = translate(
            f"survey.report.multiple_caption_{table.kind}",
            lang,
            cases=_count(table.cases, lang),
            missing=_count(table.missing_cases, lang),
        )
        sections.append(
            Section(table.label, [Table(header, rows, footer=footer, caption=caption)], level=2)
        )
    return sections


def _method(results: SurveyResults, lang: Lang) -> Section:
    s = results.settings
    codes = ", ".join(_code(c) for c in s.missing_codes) or "–"
    texts = [
        translate("survey.report.method_bases", lang),
        translate("survey.report.method_missing", lang, codes=codes),
        translate("survey.report.method_quantiles", lang, type=s.quantile_method),
        translate("survey.report.method_weights", lang, column=s.weight_column)
        if s.weight_column
        else translate("survey.report.method_unweighted", lang),
        translate("survey.report.method_tests", lang),
        translate(f"survey.report.method_id_{s.id_rule}", lang, column=s.id_column)
        if s.id_column and s.id_rule
        else translate("survey.report.method_no_id", lang),
    ]
    return Section(
        translate("survey.report.method", lang), [Paragraph(text, style="note") for text in texts]
    )


def _check_key(share: float | None) -> str:
    """Natural phrasing: "keine der 11", "alle 11", else the percentage."""
    if share == 0:
        return "survey.report.check_line_none"
    if share == 100:
        return "survey.report.check_line_all"
    return "survey.report.check_line"


def _in_scale_shares(item: ItemResult, points: list[float]) -> list[float]:
    counts = {r.value: r.frequency for r in item.frequencies if r.kind == "valid"}
    values = [counts.get(p, 0.0) for p in points]
    total = sum(values)
    return [100 * v / total if total else 0.0 for v in values]


def _scale_text(results: SurveyResults, lang: Lang) -> str:
    low, high = results.settings.scale  # type: ignore[misc]
    neutral = results.settings.neutral
    key = "scale_neutral" if neutral is not None else "scale_even"
    return translate(
        f"survey.report.{key}",
        lang,
        low=low,
        high=high,
        neutral=_code(neutral) if neutral is not None else "",
    )


def _with_interval(value: float | None, interval: object, lang: Lang) -> str:
    if value is None:
        return "–"
    low = getattr(interval, "low", None)
    high = getattr(interval, "high", None)
    return (
        f"{format_percent(value, lang)} [{format_number(low, lang, decimals=1)}–"
        f"{format_number(high, lang, decimals=1)}]"
    )


def _opt_percent(value: float | None, lang: Lang) -> str:
    return "" if value is None else format_percent(value, lang)


def _count(value: float, lang: Lang) -> str:
    """Counts are integers unless case weights made them fractional."""
    if float(value).is_integer():
        return format_integer(value, lang)
    return format_number(value, lang, decimals=1)


def _code(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)
