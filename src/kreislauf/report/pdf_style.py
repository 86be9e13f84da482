"""The look of kreislauf's PDF reports: page geometry, fonts, colours, paragraph styles.

Text is set in DejaVu Sans, the TrueType family that ships inside matplotlib (so nothing
needs installing), embedded as a subset, so German typography (ä ö ü ß – € ≥ and no-break
spaces before ``%``) prints on every viewer. The colours match the HTML page and
:mod:`kreislauf.charts`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal
from xml.sax.saxutils import escape

import matplotlib
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from kreislauf.i18n import Lang
from kreislauf.report.model import Align, Tone

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONT_FILES = {
    FONT: "DejaVuSans.ttf",
    FONT_BOLD: "DejaVuSans-Bold.ttf",
    "DejaVuSans-Oblique": "DejaVuSans-Oblique.ttf",
    "DejaVuSans-BoldOblique": "DejaVuSans-BoldOblique.ttf",
}
PDF_LANG: dict[Lang, str] = {"de": "de-DE", "en": "en-GB"}

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 20 * mm
MARGIN_TOP = 20 * mm
MARGIN_BOTTOM = 22 * mm
FRAME_WIDTH = PAGE_WIDTH - 2 * MARGIN_X  # 17 cm, the width figures' width_cm refers to
FRAME_HEIGHT = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM

INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#52606d")
ACCENT = colors.HexColor("#2b5f8a")
RULE = colors.HexColor("#d9dee3")
ZEBRA = colors.HexColor("#f3f5f7")
TONES: dict[Tone, tuple[colors.Color, colors.Color, colors.Color]] = {
    # background, line, title ink: title and text reach WCAG AA contrast on the background
    "info": (colors.HexColor("#eef4fa"), colors.HexColor("#2b5f8a"), colors.HexColor("#1d4466")),
    "warning": (
        colors.HexColor("#fdf3e4"),
        colors.HexColor("#b35806"),
        colors.HexColor("#6e3603"),
    ),
    "ok": (colors.HexColor("#edf6ee"), colors.HexColor("#2e7d32"), colors.HexColor("#1b4d1e")),
}
CELL_PAD = 4.0  # [pt] left and right padding of table cells
CELL_SIZE = 8.5  # [pt]
# tables whose cells are all paragraphs still set a font per cell (Helvetica by default)
TABLE_FONT = ("FONT", (0, 0), (-1, -1), FONT, CELL_SIZE)
ALIGN_ENUM: dict[Align, Literal[0, 1, 2]] = {
    "left": TA_LEFT,
    "right": TA_RIGHT,
    "center": TA_CENTER,
}


@cache
def register_fonts() -> None:
    """Register DejaVu Sans (regular, bold, oblique) from matplotlib's data with reportlab."""
    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    for name, filename in FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(folder / filename)))
    pdfmetrics.registerFontFamily(
        FONT,
        normal=FONT,
        bold=FONT_BOLD,
        italic="DejaVuSans-Oblique",
        boldItalic="DejaVuSans-BoldOblique",
    )


def markup(text: str) -> str:
    """``text`` safe for reportlab's paragraph mini-markup.

    ``&``, ``<`` and ``>`` are escaped. A narrow no-break space (U+202F) becomes a no-break
    space (U+00A0): reportlab treats U+202F as a breaking, collapsible space inside
    paragraphs, which would split "87 %" across lines.
    """
    return escape(text).replace("\u202f", "\u00a0")


def fit(text: str, size: float, width: float) -> str:
    """``text`` shortened with an ellipsis to fit ``width`` [pt] at ``size`` [pt]."""
    if pdfmetrics.stringWidth(text, FONT, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", FONT, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


@dataclass(frozen=True)
class Styles:
    """The paragraph styles of a report, one per kind of text."""

    title: ParagraphStyle
    subtitle: ParagraphStyle
    heading1: ParagraphStyle
    heading2: ParagraphStyle
    body: ParagraphStyle
    lead: ParagraphStyle
    note: ParagraphStyle
    caption: ParagraphStyle
    figcaption: ParagraphStyle
    meta_label: ParagraphStyle
    meta_value: ParagraphStyle
    callout_item: ParagraphStyle
    kf_value: ParagraphStyle
    kf_label: ParagraphStyle
    kf_detail: ParagraphStyle

    def paragraph(self, style: str) -> ParagraphStyle:
        return {"lead": self.lead, "note": self.note}.get(style, self.body)


@cache
def styles() -> Styles:
    base = ParagraphStyle(
        "kreislauf-body", fontName=FONT, fontSize=9.5, leading=13.5, textColor=INK, spaceAfter=6
    )

    def derive(name: str, **changes: Any) -> ParagraphStyle:
        return ParagraphStyle(f"kreislauf-{name}", parent=base, **changes)

    return Styles(
        title=derive("title", fontName=FONT_BOLD, fontSize=20, leading=24, spaceAfter=4),
        subtitle=derive("subtitle", fontSize=12, leading=16, textColor=MUTED, spaceAfter=8),
        heading1=derive(
            "h1",
            fontName=FONT_BOLD,
            fontSize=14,
            leading=18,
            textColor=ACCENT,
            spaceBefore=16,
            spaceAfter=7,
            keepWithNext=1,
        ),
        heading2=derive(
            "h2",
            fontName=FONT_BOLD,
            fontSize=11,
            leading=14.5,
            spaceBefore=11,
            spaceAfter=5,
            keepWithNext=1,
        ),
        body=base,
        lead=derive("lead", fontSize=11, leading=15.5, spaceAfter=8),
        note=derive("note", fontSize=8, leading=11, textColor=MUTED),
        caption=derive(
            "caption",
            fontName=FONT_BOLD,
            fontSize=9,
            leading=12,
            spaceBefore=4,
            spaceAfter=4,
            keepWithNext=1,
        ),
        figcaption=derive("figcaption", fontSize=8.5, leading=11.5, textColor=MUTED, spaceBefore=4),
        meta_label=derive("meta-label", fontSize=8.5, leading=11.5, textColor=MUTED, spaceAfter=0),
        meta_value=derive("meta-value", fontSize=8.5, leading=11.5, spaceAfter=0),
        callout_item=derive(
            "callout-item",
            fontSize=9,
            leading=12.5,
            leftIndent=11,
            bulletIndent=1,
            bulletFontName=FONT,
            spaceAfter=1,
        ),
        kf_value=derive(
            "kf-value", fontName=FONT_BOLD, fontSize=17, leading=21, textColor=ACCENT, spaceAfter=2
        ),
        kf_label=derive("kf-label", fontName=FONT_BOLD, fontSize=8, leading=10.5, spaceAfter=1),
        kf_detail=derive("kf-detail", fontSize=7.5, leading=10, textColor=MUTED, spaceAfter=0),
    )


@cache
def cell_style(align: Align, *, bold: bool, muted: bool) -> ParagraphStyle:
    return ParagraphStyle(
        f"kreislauf-cell-{align}-{bold}-{muted}",
        fontName=FONT_BOLD if bold else FONT,
        fontSize=CELL_SIZE,
        leading=CELL_SIZE * 1.3,
        textColor=MUTED if muted else INK,
        alignment=ALIGN_ENUM[align],
    )
