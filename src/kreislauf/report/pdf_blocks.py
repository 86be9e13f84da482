"""The flowables of a PDF report: title block, headings, paragraphs, tables, figures,
callouts and key figures, one builder per block type of :mod:`kreislauf.report.model`."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable, HRFlowable, Spacer, TableStyle
from reportlab.platypus import Paragraph as RLParagraph
from reportlab.platypus import Table as RLTable

from kreislauf.report.model import (
    Block,
    Callout,
    Figure,
    KeyFigures,
    Paragraph,
    Report,
    Section,
    Table,
)
from kreislauf.report.pdf_image import png_flowable
from kreislauf.report.pdf_style import (
    ACCENT,
    CELL_PAD,
    CELL_SIZE,
    FONT,
    FONT_BOLD,
    FRAME_HEIGHT,
    FRAME_WIDTH,
    INK,
    MUTED,
    TABLE_FONT,
    TONES,
    ZEBRA,
    Styles,
    cell_style,
    markup,
)
from kreislauf.report.png import png_header

_BREAKS = re.compile(r"[ \t\n]+")


def story(report: Report, styles: Styles) -> list[Flowable]:
    """Every flowable of ``report``, title block first."""
    flowables = _title_block(report, styles)
    for section in report.sections:
        flowables.extend(_section(section, styles))
    return flowables


class Heading(RLParagraph):
    """A section heading; becomes an entry of the PDF outline (bookmarks)."""

    def __init__(self, text: str, style: ParagraphStyle, *, outline_level: int) -> None:
        super().__init__(markup(text), style)
        self.title = text
        self.outline_level = outline_level


def _title_block(report: Report, styles: Styles) -> list[Flowable]:
    flowables: list[Flowable] = [RLParagraph(markup(report.title), styles.title)]
    if report.subtitle:
        flowables.append(RLParagraph(markup(report.subtitle), styles.subtitle))
    if report.meta:
        rows = [
            [
                RLParagraph(markup(label), styles.meta_label),
                RLParagraph(markup(value), styles.meta_value),
            ]
            for label, value in report.meta
        ]
        label_width = min(
            0.4 * FRAME_WIDTH,
            max(pdfmetrics.stringWidth(label, FONT, 8.5) for label, _ in report.meta) + 12,
        )
        meta = RLTable(rows, colWidths=[label_width, FRAME_WIDTH - label_width], hAlign="LEFT")
        meta.setStyle(
            TableStyle(
                [
                    TABLE_FONT,
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                    ("TOPPADDING", (0, 0), (-1, -1), 1),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                ]
            )
        )
        flowables.extend([Spacer(1, 4), meta])
    flowables.extend(
        [Spacer(1, 8), HRFlowable(width="100%", thickness=2, color=ACCENT, spaceAfter=10)]
    )
    return flowables


def _section(section: Section, styles: Styles) -> list[Flowable]:
    sub = section.level >= 2
    flowables: list[Flowable] = [
        Heading(
            section.title,
            styles.heading2 if sub else styles.heading1,
            outline_level=1 if sub else 0,
        )
    ]
    for block in section.blocks:
        flowables.extend(_block(block, styles))
    return flowables


def _block(block: Block, styles: Styles) -> list[Flowable]:
    if isinstance(block, Paragraph):
        return [RLParagraph(markup(block.text), styles.paragraph(block.style))]
    if isinstance(block, Table):
        return _table(block, styles)
    if isinstance(block, Figure):
        return _figure(block, styles)
    if isinstance(block, Callout):
        return _callout(block, styles)
    if isinstance(block, KeyFigures):
        return _key_figures(block, styles)
    raise TypeError(f"cannot render a {type(block).__name__} block to PDF")


def _table(table: Table, styles: Styles) -> list[Flowable]:
    if not table.header:
        return []
    aligns = table.alignments()
    widths = column_widths(table)
    body_start, footer_start = 1, 1 + len(table.rows)

    def cells(row: Sequence[str], *, bold: bool, muted: bool) -> list[str | RLParagraph]:
        font = FONT_BOLD if bold else FONT
        padded = [*row[: len(aligns)], *[""] * (len(aligns) - len(row))]
        out: list[str | RLParagraph] = []
        for text, align, width in zip(padded, aligns, widths, strict=True):
            if "\n" not in text and _text_width(text, font) + 2 * CELL_PAD <= width:
                out.append(text)  # a plain cell is drawn as is (no markup, much faster)
            else:
                out.append(RLParagraph(markup(text), cell_style(align, bold=bold, muted=muted)))
        return out

    data = [cells(table.header, bold=True, muted=False)]
    data += [
        cells(row, bold=False, muted=index in table.muted_rows)
        for index, row in enumerate(table.rows)
    ]
    data += [cells(row, bold=True, muted=False) for row in table.footer]
    last = len(data) - 1
    commands: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), FONT, CELL_SIZE, CELL_SIZE * 1.3),
        ("FONT", (0, 0), (-1, 0), FONT_BOLD, CELL_SIZE, CELL_SIZE * 1.3),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LINEABOVE", (0, 0), (-1, 0), 1.0, INK),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, INK),
        ("LINEBELOW", (0, last), (-1, last), 1.0, INK),
    ]
    commands += [
        ("ALIGN", (column, 0), (column, -1), align.upper()) for column, align in enumerate(aligns)
    ]
    if table.rows:
        commands.append(
            ("ROWBACKGROUNDS", (0, body_start), (-1, footer_start - 1), [colors.white, ZEBRA])
        )
    commands += [
        ("TEXTCOLOR", (0, body_start + index), (-1, body_start + index), MUTED)
        for index in sorted(table.muted_rows)
        if index < len(table.rows)
    ]
    if table.footer:
        commands += [
            ("FONT", (0, footer_start), (-1, last), FONT_BOLD, CELL_SIZE, CELL_SIZE * 1.3),
            ("LINEABOVE", (0, footer_start), (-1, footer_start), 0.6, INK),
        ]
    flowable = RLTable(data, colWidths=widths, repeatRows=1, hAlign="LEFT", style=commands)
    parts: list[Flowable] = []
    if table.caption:
        parts.append(RLParagraph(markup(table.caption), styles.caption))  # keepWithNext
    return [*parts, flowable, Spacer(1, 10)]


def column_widths(table: Table, available: float = FRAME_WIDTH) -> list[float]:
    """Column widths [pt] for ``table``, as a browser lays out an automatic table.

    Every column gets at least its longest word (its text wraps only between words) and at
    most its longest line; if the longest lines do not fit, the room above the minima is
    shared in proportion to what each column would still need. Only when even the longest
    words do not fit are the minima lowered (words then break): a column whose longest word
    is narrower than an equal share keeps it, the others share the rest equally — so one
    very long word cannot squeeze the other columns below their padding.

    References
    ----------
    W3C CSS 2.1, 17.5.2.2 "Automatic table layout" (minimum and maximum cell widths).
    """
    count = len(table.header)
    minimum, maximum = [0.0] * count, [0.0] * count
    for row, font in (
        [(table.header, FONT_BOLD)]
        + [(r, FONT) for r in table.rows]
        + [(r, FONT_BOLD) for r in table.footer]
    ):
        for column, text in enumerate(row[:count]):
            maximum[column] = max(maximum[column], _text_width(text, font))
            minimum[column] = max(minimum[column], _longest_word_width(text, font))
    padding = 2 * CELL_PAD + 1
    maximum = [width + padding for width in maximum]
    minimum = [width + padding for width in minimum]
    if sum(maximum) <= available:
        return maximum
    if sum(minimum) >= available:
        return _shared_minima(minimum, available)
    room = available - sum(minimum)
    wanted = [high - low for low, high in zip(minimum, maximum, strict=True)]
    return [low + room * want / sum(wanted) for low, want in zip(minimum, wanted, strict=True)]


def _shared_minima(minimum: list[float], available: float) -> list[float]:
    """Widths summing to ``available`` when the columns' ``minimum`` widths do not fit."""
    widths = [0.0] * len(minimum)
    open_columns = set(range(len(minimum)))
    room = available
    while open_columns:
        share = room / len(open_columns)
        narrow = {c for c in open_columns if minimum[c] <= share}
        if not narrow:  # every remaining word is wider than a share: equal shares
            for column in open_columns:
                widths[column] = share
            break
        for column in narrow:
            widths[column] = minimum[column]
            room -= minimum[column]
        open_columns -= narrow
    return widths


def _text_width(text: str, font: str) -> float:
    return max(pdfmetrics.stringWidth(line, font, CELL_SIZE) for line in text.split("\n"))


def _longest_word_width(text: str, font: str) -> float:
    """Width [pt] of the longest run between breaking spaces (no-break spaces bind)."""
    return max(pdfmetrics.stringWidth(word, font, CELL_SIZE) for word in _BREAKS.split(text))


def _figure(figure: Figure, styles: Styles) -> list[Flowable]:
    header = png_header(figure.png)
    if header is not None:
        pixel_width, pixel_height = header.width, header.height
    else:  # not a PNG after all: let Pillow find out what it is
        pixel_width, pixel_height = ImageReader(io.BytesIO(figure.png)).getSize()
    width = min(figure.width_cm * cm, FRAME_WIDTH)
    height = width * pixel_height / pixel_width
    limit = FRAME_HEIGHT - 3 * cm  # room for the caption on the same page
    if height > limit:
        width, height = width * limit / height, limit
    image = png_flowable(figure.png, width=width, height=height)
    if not figure.caption:
        return [image, Spacer(1, 10)]
    image.keepWithNext = True  # the caption stays with its figure
    return [image, RLParagraph(markup(figure.caption), styles.figcaption), Spacer(1, 10)]


def _callout(callout: Callout, styles: Styles) -> list[Flowable]:
    background, line, title_ink = TONES[callout.tone]
    title_style = ParagraphStyle(
        f"kreislauf-callout-title-{callout.tone}",
        parent=styles.body,
        fontName=FONT_BOLD,
        textColor=title_ink,
        spaceAfter=0,
    )
    rows: list[list[Flowable]] = [[RLParagraph(markup(callout.title), title_style)]]
    rows += [
        [RLParagraph(markup(item), styles.callout_item, bulletText="•")] for item in callout.items
    ]
    box = RLTable(rows, colWidths=[FRAME_WIDTH], hAlign="LEFT")
    box.setStyle(
        TableStyle(
            [
                TABLE_FONT,
                ("BACKGROUND", (0, 0), (-1, -1), background),
                ("LINEBEFORE", (0, 0), (0, -1), 3, line),
                ("LEFTPADDING", (0, 0), (-1, -1), 10),
                ("RIGHTPADDING", (0, 0), (-1, -1), 10),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                ("TOPPADDING", (0, 0), (-1, 0), 7),
                ("BOTTOMPADDING", (0, 0), (-1, 0), 3),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 7),
            ]
        )
    )
    return [box, Spacer(1, 10)]


def _key_figures(block: KeyFigures, styles: Styles) -> list[Flowable]:
    """The headline numbers as cards in a grid of up to four columns."""
    count = len(block.figures)
    if count == 0:
        return []
    columns = count if count <= 4 else (3 if count in (5, 6, 9) else 4)
    gap = 6.0  # [pt] white space between the cards
    cards: list[list[Flowable]] = [
        [
            RLParagraph(markup(figure.value), styles.kf_value),
            RLParagraph(markup(figure.label), styles.kf_label),
            *([RLParagraph(markup(figure.detail), styles.kf_detail)] if figure.detail else []),
        ]
        for figure in block.figures
    ]
    rows: list[list[Any]] = []
    heights: list[float | None] = []
    commands: list[tuple[Any, ...]] = [
        TABLE_FONT,
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 7),
        ("RIGHTPADDING", (0, 0), (-1, -1), 7),
        ("TOPPADDING", (0, 0), (-1, -1), 8),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 9),
    ]
    for start in range(0, count, columns):
        if rows:  # an empty row of `gap` height between two rows of cards
            rows.append([""] * columns)
            heights.append(gap)
        row = len(rows)
        filled = min(columns, count - start)
        rows.append(cards[start : start + filled] + [""] * (columns - filled))
        heights.append(None)
        commands += [
            ("BACKGROUND", (0, row), (filled - 1, row), ZEBRA),
            ("LINEABOVE", (0, row), (filled - 1, row), 2, ACCENT),
        ]
    # white rules between the columns make the gaps of the grid
    commands.append(("LINEAFTER", (0, 0), (-2, -1), gap, colors.white))
    grid = RLTable(
        rows,
        colWidths=[FRAME_WIDTH / columns] * columns,
        rowHeights=heights,
        hAlign="LEFT",
        style=commands,
    )
    return [grid, Spacer(1, 12)]
