"""The survey report: tables that never split a token in the PDF, test names, ordinal group
order, answer labels on the chart axis, natural phrasing, multiple-response tables."""

from __future__ import annotations

import io
from pathlib import Path

import pypdf
import pytest

from kreislauf.i18n import Lang
from kreislauf.report import Callout, Paragraph, Section, Table
from kreislauf.report.pdf import render_pdf
from kreislauf.survey.analysis import AnalysisOptions, analyze_responses
from kreislauf.survey.items import parse_scale
from kreislauf.survey.models import SurveyResults
from kreislauf.survey.questionnaire import read_questionnaire
from kreislauf.survey.readers import read_responses
from kreislauf.survey.report import survey_report
from tests.survey.conftest import EXAMPLE

DATA = EXAMPLE.parents[1] / "tests" / "survey" / "data"


def _leipzig(lang: Lang) -> SurveyResults:
    q = read_questionnaire(EXAMPLE / "questionnaire.yaml")
    raw = read_responses(EXAMPLE / "responses.csv")
    return analyze_responses(raw, q, AnalysisOptions(lang=lang))


@pytest.fixture(scope="module")
def german() -> SurveyResults:
    return _leipzig("de")


def _sections(results: SurveyResults) -> list[Section]:
    return survey_report(results, with_charts=False).sections


def _comparison_text(results: SurveyResults) -> tuple[str, set[str]]:
    """The PDF's text from the group comparisons to the method section, and every word
    the report puts there (cells, headings, captions, notes) plus the running header."""
    report = survey_report(results, with_charts=False)
    reader = pypdf.PdfReader(io.BytesIO(render_pdf(report)))
    text = "\n".join(page.extract_text() for page in reader.pages)
    start = text.index("\nGruppenvergleiche\n")
    end = text.index("\nMethode\n", start)
    words: set[str] = set()
    first = next(i for i, s in enumerate(report.sections) if s.title == "Gruppenvergleiche")
    for section in report.sections[first:]:
        if section.title == "Methode":
            break
        words.update(section.title.split())
        for block in section.blocks:
            if isinstance(block, Table):
                for row in [block.header, *block.rows]:
                    for cell in row:
                        words.update(cell.split())
                words.update(block.caption.split())
            elif isinstance(block, Paragraph):
                words.update(block.text.split())
    words.update(f"kreislauf 0.1.0 · responses.csv Seite von {report.title}".split())
    words.update(str(n) for n in range(1, len(reader.pages) + 1))
    return text[start:end], words


def test_german_group_comparison_table_splits_no_token(german: SurveyResults) -> None:
    text, words = _comparison_text(german)
    found = text.split()
    assert found, "the comparison section is in the PDF"
    fragments = [w for w in found if w not in words]
    assert fragments == []
    for token in ("Statistik", "Effektstärke", "Kruskal-Wallis-Test", "0,199", "4,650"):
        assert token in found


def test_test_names_in_both_languages(german: SurveyResults) -> None:
    tables = [b for s in _sections(german) for b in s.blocks if isinstance(b, Table)]
    tests = {row[1] for t in tables if t.header[1] == "Test" for row in t.rows}
    assert tests == {"Kruskal-Wallis-Test", "kein Test"}
    english = _leipzig("en")
    tables = [b for s in _sections(english) for b in s.blocks if isinstance(b, Table)]
    tests = {row[1] for t in tables if t.header[1] == "Test" for row in t.rows}
    assert tests == {"Kruskal-Wallis test", "no test"}
    assert "kruskal-wallis" not in str(tables)


def test_groups_in_questionnaire_order_with_labels(german: SurveyResults) -> None:
    comparison = next(c for c in german.comparisons if c.by == "unternehmensalter")
    assert [g.group for g in comparison.groups] == [
        "<1 Jahr",
        "1-5 Jahre",
        "11-20 Jahre",
        ">20 Jahre",
    ]
    assert [g.label for g in comparison.groups] == [
        "< 1 Jahr",
        "1–5 Jahre",
        "11–20 Jahre",
        "> 20 Jahre",
    ]


def test_zero_share_reads_none_of(german: SurveyResults) -> None:
    messages = [w.message for w in german.warnings if w.code == "rule_violated"]
    assert any("keine der 11 gültigen Antworten" in m for m in messages)
    assert not any("0,0 %" in m for m in messages)
    english = [w.message for w in _leipzig("en").warnings if w.code == "rule_violated"]
    assert any("none of the 11 valid answers" in m for m in english)
    lines = [
        line
        for s in _sections(german)
        for b in s.blocks
        if isinstance(b, Callout)
        for line in b.items
    ]
    assert (
        "Unternehmensgröße: überwiegend KMU: keine der 11 gültigen Antworten (14 ohne Angabe)"
        in lines
    )


def test_warnings_name_items_by_text_and_no_cli_flag(german: SurveyResults) -> None:
    messages = " ".join(w.message for w in german.warnings)
    assert "Tagesgeschäft:" in messages
    assert "tagesgeschaeft" not in messages
    assert "--missing" not in messages


def test_method_reports_the_identifier(german: SurveyResults) -> None:
    method = next(s for s in _sections(german) if s.title == "Methode")
    texts = [b.text for b in method.blocks if isinstance(b, Paragraph)]
    assert any("Kennung der Befragten" in t or "Keine Kennungsspalte" in t for t in texts)


def test_bar_chart_axis_shows_answer_labels(monkeypatch: pytest.MonkeyPatch) -> None:
    from kreislauf import charts

    seen: list[list[str]] = []
    real = charts.frequency_bar_chart

    def spy(labels: list[str], *args: object, **kwargs: object) -> object:
        seen.append(list(labels))
        return real(labels, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(charts, "frequency_bar_chart", spy)
    raw = read_responses(DATA / "survey_archive_451738.lsa")
    survey_report(analyze_responses(raw), with_charts=True)
    assert seen[0] == [
        "trifft überhaupt nicht zu",
        "trifft eher nicht zu",
        "teils/teils",
        "trifft eher zu",
        "trifft voll zu",
    ]


def test_multiple_response_section() -> None:
    results = analyze_responses(read_responses(DATA / "pyreadstat" / "simple_alltypes.sav"))
    sections = _sections(results)
    titles = [s.title for s in sections]
    assert "Mehrfachantworten" in titles
    table = next(b for s in sections if s.title == "My multiple response set" for b in s.blocks)
    assert isinstance(table, Table)
    assert table.header == ["Antwort", "Häufigkeit", "Prozent der Antworten", "Prozent der Fälle"]
    nbsp = "\u00a0"  # German percentages: a no-break space before %
    assert table.rows[1] == ["Response #2", "4", f"57,1{nbsp}%", f"80,0{nbsp}%"]
    assert table.footer == [["Gesamt", "7", f"100,0{nbsp}%", f"140,0{nbsp}%"]]


def test_the_token_check_sees_a_split_word() -> None:
    """The check above can fail: twelve columns of long words must break inside words."""
    from kreislauf.report import Report

    header, row = ["Effektstärkeberechnung"] * 12, ["Kruskal-Wallis-Test-Statistik"] * 12
    report = Report(
        title="T", subtitle="", lang="de", meta=[], sections=[Section("G", [Table(header, [row])])]
    )
    reader = pypdf.PdfReader(io.BytesIO(render_pdf(report)))
    found = " ".join(page.extract_text() for page in reader.pages).split()
    known = {*header, *row, "T", "G", "Seite", "von", "1"}
    assert [w for w in found if w not in known]


def test_bar_charts_drawn_in_parallel_are_the_same_charts(tmp_path: Path) -> None:
    """Forked chart processes give byte-identical PNGs in the same places (to_png writes no
    metadata); 16 bar charts are enough for two processes (at least 8 each)."""
    from kreislauf.report import Figure

    lines = ["id," + ",".join(f"q{i:02d}" for i in range(1, 17))]
    lines += [f"{r}," + ",".join(str(1 + (r * r + i) % 5) for i in range(1, 17))
              for r in range(1, 41)]  # fmt: skip
    (tmp_path / "r.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    results = analyze_responses(
        read_responses(tmp_path / "r.csv"), None, AnalysisOptions(scale=parse_scale("1-5"))
    )

    def figures(workers: int) -> list[tuple[str, bytes]]:
        report = survey_report(results, chart_workers=workers)
        return [
            (section.title, block.png)
            for section in report.sections
            for block in section.blocks
            if isinstance(block, Figure)
        ]

    serial, parallel = figures(1), figures(2)
    assert len(serial) == 17  # 16 bar charts and the overview
    assert parallel == serial
    # and each is the chart a new figure draws (the reused figure changes nothing)
    from kreislauf import charts
    from kreislauf.survey.report import _bar_spec

    for item in results.items:
        spec = _bar_spec(item, results.settings.lang)
        assert spec is not None
        labels, counts, texts, ylabel = spec
        fresh = charts.to_png(charts.frequency_bar_chart(labels, counts, texts, ylabel=ylabel))
        assert (item.short or item.text, fresh) in serial
