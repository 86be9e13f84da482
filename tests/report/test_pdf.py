"""The A4 PDF: German typography, page footer with page count, tables across pages, figures."""

from __future__ import annotations

import io
import re

import numpy as np
import pypdf
import pytest
from matplotlib.figure import Figure as MplFigure
from PIL import Image
from reportlab.pdfbase import pdfmetrics

from kreislauf import charts
from kreislauf.errors import ReportNotLaidOut
from kreislauf.report import (
    Callout,
    Figure,
    KeyFigure,
    KeyFigures,
    Paragraph,
    Report,
    Section,
    Table,
    render_pdf,
)
from kreislauf.report.pdf_blocks import column_widths
from kreislauf.report.pdf_style import FRAME_WIDTH, markup

CHART = charts.to_png(
    charts.diverging_stacked_bar_chart(
        ["Q1 Ressourceneffizienz ist ein strategisches Ziel", "Q2 Sekundärrohstoffe"],
        ["stimme gar nicht zu", "eher nicht", "teils/teils", "eher zu", "stimme voll zu"],
        np.array([[8.0, 12.0, 20.0, 44.0, 16.0], [4.0, 8.0, 28.0, 40.0, 20.0]]),
        neutral_index=2,
        xlabel="Anteil (%)",
    )
)
LONG_ROWS = 120


def sample(lang: str) -> Report:
    german = lang == "de"
    percent = "87\u00a0%" if german else "87%"
    mean = "4,120" if german else "4.120"
    rows = [
        [f"Unternehmen {i:03d}", f"{i},5" if german else f"{i}.5", percent]
        for i in range(LONG_ROWS)
    ]
    return Report(
        title="Größe & Wirkung – Ressourceneffizienz in Leipzig",
        subtitle="Ergebnisse der Befragung" if german else "Survey results",
        lang=lang,  # type: ignore[arg-type]
        meta=[("Datenquelle", "befragung_größe.sav"), ("N", "25")],
        footer="kreislauf · Befragung Leipzig 2024",
        sections=[
            Section(
                "Überblick" if german else "Overview",
                [
                    Paragraph(
                        f"Mittelwert {mean}; Zustimmung {percent}; Kosten ≥ 5 € für Maß "
                        "& Ziel <script>alert(1)</script>",
                        style="lead",
                    ),
                    KeyFigures(
                        [
                            KeyFigure(mean, "Mittelwert", "Skala 1–5"),
                            KeyFigure(percent, "Zustimmung", "n = 23"),
                            KeyFigure("25", "Unternehmen"),
                        ]
                    ),
                    Callout("Hinweise zur Datenqualität", ["Q5: 2 fehlende Werte"], "warning"),
                    Paragraph("Quelle: eigene Erhebung", style="note"),
                ],
            ),
            Section(
                "Häufigkeiten",
                [
                    Table(
                        ["Unternehmen", "Umsatz je Mitarbeiter", "Zustimmung"],
                        rows,
                        caption="Tabelle 1: Lange Tabelle über mehrere Seiten",
                        footer=[["Gesamt", "999,9", "100\u00a0%"]],
                        muted_rows=frozenset({3}),
                    ),
                ],
                level=2,
            ),
            Section("Abbildungen", [Figure(CHART, caption="Abbildung 1: Zustimmung je Frage")]),
        ],
    )


def read(pdf: bytes) -> pypdf.PdfReader:
    assert pdf.startswith(b"%PDF-")
    return pypdf.PdfReader(io.BytesIO(pdf))


def page_texts(reader: pypdf.PdfReader) -> list[str]:
    """Each page's text; line breaks and no-break spaces as plain spaces, runs collapsed."""
    return [re.sub(r"\s+", " ", page.extract_text() or "") for page in reader.pages]


@pytest.fixture(scope="module")
def german() -> pypdf.PdfReader:
    return read(render_pdf(sample("de")))


@pytest.fixture(scope="module")
def english() -> pypdf.PdfReader:
    return read(render_pdf(sample("en")))


def test_german_text_prints_with_umlauts_and_number_format(german: pypdf.PdfReader) -> None:
    text = "\n".join(page_texts(german))
    for expected in (
        "Größe & Wirkung – Ressourceneffizienz in Leipzig",
        "Ergebnisse der Befragung",
        "befragung_größe.sav",
        "Überblick",
        "Mittelwert 4,120; Zustimmung 87 %; Kosten ≥ 5 € für Maß & Ziel <script>alert(1)</script>",
        "Hinweise zur Datenqualität",
        "Skala 1–5",
        "Unternehmen 000",
        f"Unternehmen {LONG_ROWS - 1:03d}",
        "Abbildung 1: Zustimmung je Frage",
        "Gesamt",
    ):
        assert expected in text, expected


def test_every_page_has_footer_and_page_of_total(german: pypdf.PdfReader) -> None:
    texts = page_texts(german)
    total = len(texts)
    assert total > 1
    for number, text in enumerate(texts, start=1):
        assert f"Seite {number} von {total}" in text
        assert "kreislauf · Befragung Leipzig 2024" in text
    assert "Seite 1 von" in texts[0]


def test_english_report_has_english_page_footer(english: pypdf.PdfReader) -> None:
    texts = page_texts(english)
    assert all(f"Page {n} of {len(texts)}" in t for n, t in enumerate(texts, start=1))
    assert "Mittelwert 4.120; Zustimmung 87%" in "\n".join(texts)
    assert "Seite 1 von" not in "\n".join(texts)


def test_metadata_title_and_language(german: pypdf.PdfReader, english: pypdf.PdfReader) -> None:
    assert german.metadata is not None
    assert german.metadata.title == "Größe & Wirkung – Ressourceneffizienz in Leipzig"
    assert german.trailer["/Root"]["/Lang"] == "de-DE"
    assert english.trailer["/Root"]["/Lang"] == "en-GB"
    page = german.pages[0]
    assert page.mediabox.width == pytest.approx(595.28, abs=0.01)  # A4
    assert page.mediabox.height == pytest.approx(841.89, abs=0.01)


def test_fonts_are_embedded_dejavu(german: pypdf.PdfReader) -> None:
    fonts = {
        str(font.get_object()["/BaseFont"]).split("+")[-1]
        for page in german.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert fonts == {"DejaVuSans", "DejaVuSans-Bold"}
    for page in german.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            assert font["/Subtype"] == "/TrueType"
            assert "/FontFile2" in font["/FontDescriptor"]  # the font program is embedded


def test_long_table_repeats_its_header_on_every_page(german: pypdf.PdfReader) -> None:
    texts = page_texts(german)
    table_pages = [t for t in texts if "Unternehmen 0" in t]
    assert len(table_pages) >= 2
    for text in table_pages:
        assert "Umsatz je Mitarbeiter" in text
    # the caption is printed once, above the first part
    assert sum("Tabelle 1: Lange Tabelle" in t for t in texts) == 1


def test_outline_lists_the_sections(german: pypdf.PdfReader) -> None:
    def titles(entries: list) -> list[str]:
        out: list[str] = []
        for entry in entries:
            out += titles(entry) if isinstance(entry, list) else [entry.title]
        return out

    assert titles(german.outline) == ["Überblick", "Häufigkeiten", "Abbildungen"]


def test_outline_never_skips_a_level() -> None:
    sections = [Section("a", [], level=2), Section("b", []), Section("c", [], level=2)]
    reader = read(render_pdf(Report("T", sections)))
    assert [getattr(entry, "title", None) for entry in reader.outline[:2]] == ["a", "b"]
    assert [entry.title for entry in reader.outline[2]] == ["c"]  # nested under "b"


def test_figure_is_embedded_pixel_for_pixel(german: pypdf.PdfReader) -> None:
    images = [image for page in german.pages for image in page.images]
    assert len(images) == 1
    embedded = np.asarray(images[0].image.convert("RGB"))
    original = np.asarray(Image.open(io.BytesIO(CHART)).convert("RGB"))
    assert embedded.shape == original.shape
    assert np.array_equal(embedded, original)


def test_figure_keeps_aspect_and_is_kept_with_caption() -> None:
    report = Report(
        "T",
        [
            Section("S", [Paragraph("x " * 1500)]),
            Section("F", [Figure(CHART, caption="Abbildung X", width_cm=12.0)]),
        ],
    )
    reader = read(render_pdf(report))
    (page,) = [page for page in reader.pages if page.images]
    assert "Abbildung X" in (page.extract_text() or "")
    content = page.get_contents().get_data().decode("latin-1")
    (scale,) = re.findall(r"([\d.]+) 0 0 ([\d.]+) 0 0 cm\s*/\S+ Do", content)
    width, height = (float(value) for value in scale)
    pixels = Image.open(io.BytesIO(CHART)).size
    assert width == pytest.approx(12.0 / 2.54 * 72, abs=0.01)  # width_cm [pt]
    assert height / width == pytest.approx(pixels[1] / pixels[0], rel=1e-4)


def test_png_with_alpha_channel_falls_back_to_decoding() -> None:
    figure = MplFigure(figsize=(4, 2))
    figure.add_subplot().plot([0, 1], [1, 0])
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", transparent=True)  # RGBA
    assert buffer.getvalue()[25] == 6  # colour type 6: RGB + alpha
    reader = read(render_pdf(Report("T", [Section("S", [Figure(buffer.getvalue(), "c")])])))
    (image,) = reader.pages[0].images
    assert image.image.size == (400, 200)


def test_markup_escapes_reportlab_mini_markup() -> None:
    assert markup("a < b & c > d") == "a &lt; b &amp; c &gt; d"
    assert markup("5\u202f%") == "5\u00a0%"


def test_column_widths_fit_the_frame() -> None:
    narrow = Table(["a", "b"], [["1", "2"]])
    assert sum(column_widths(narrow)) < FRAME_WIDTH / 4
    wide = Table(["Frage", "n", "%"], [["sehr lange Antwort " * 20, "25", "100,0\u00a0%"]])
    widths = column_widths(wide)
    assert sum(widths) == pytest.approx(FRAME_WIDTH)
    assert widths[1] < 40 and widths[2] < 60  # the short columns keep their natural width
    text = page_texts(read(render_pdf(Report("T", [Section("S", [wide])]))))[0]
    assert "100,0 %" in text


def test_one_very_long_word_does_not_squeeze_the_other_columns() -> None:
    table = Table(["a"] * 8, [["x" * 3000, *["y"] * 7]])
    widths = column_widths(table)
    assert sum(widths) == pytest.approx(FRAME_WIDTH)
    assert min(widths) >= 9  # the narrow columns keep their word and padding
    text = page_texts(read(render_pdf(Report("T", [Section("S", [table])]))))
    assert text[0].count("y") >= 7  # the long word breaks; the other cells are printed


def test_a_cell_taller_than_a_page_is_a_named_error_not_a_traceback() -> None:
    tall = Table(["Text", "n"], [[" ".join(["Wort"] * 6000), "1"]])
    with pytest.raises(ReportNotLaidOut) as caught:
        render_pdf(Report("T", [Section("S", [tall])], lang="de"))
    assert "Tabellenzelle" in caught.value.message("de")
    assert "table cell" in caught.value.message("en")


def test_column_widths_never_break_a_word_that_could_fit() -> None:
    header = ["Frage", "Zustimmung ohne Mitte [95-%-KI]", "Ablehnung ohne Mitte [95-%-KI]"]
    rows = [["REP durch Wettbewerbsdruck", "52,6\u00a0% [31,7–72,7]", "42,1\u00a0% " * 12]]
    widths = column_widths(Table(header, rows))
    assert sum(widths) == pytest.approx(FRAME_WIDTH)
    word = pdfmetrics.stringWidth("Wettbewerbsdruck", "DejaVuSans", 8.5)
    assert widths[0] >= word + 8  # + left and right padding
    # "52,6 % [31,7–72,7]" holds a breaking space only before "["
    bracket = pdfmetrics.stringWidth("[31,7–72,7]", "DejaVuSans", 8.5)
    assert widths[1] >= bracket + 8


def test_empty_report_renders_one_page() -> None:
    reader = read(render_pdf(Report("Nur ein Titel", [])))
    assert len(reader.pages) == 1
    assert "Seite 1 von 1" in page_texts(reader)[0]


def test_all_block_types_in_a_short_report_render_once() -> None:
    report = Report(
        "T",
        [
            Section(
                "S",
                [
                    Callout(f"C{tone}", ["x"], tone=tone)  # type: ignore[arg-type]
                    for tone in ("info", "warning", "ok")
                ]
                + [KeyFigures([KeyFigure(str(i), f"K{i}") for i in range(7)]), KeyFigures([])],
            )
        ],
    )
    text = page_texts(read(render_pdf(report)))[0]
    assert all(f"C{tone}" in text for tone in ("info", "warning", "ok"))
    assert all(f"K{i}" in text for i in range(7))
