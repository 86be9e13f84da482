"""Render a :class:`~kreislauf.report.model.Report` to an A4 PDF with reportlab platypus.

Pure Python: no system libraries. :mod:`~kreislauf.report.pdf_style` holds the look,
:mod:`~kreislauf.report.pdf_blocks` turns blocks into flowables; this module lays them out
on pages. Every page carries the report's footer line and "Seite 3 von 7"; the total is
drawn through one PDF form per page that is filled in when the document is complete, so
the story is laid out only once. Section headings become the PDF outline (bookmarks).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import partial
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, KeepTogether, PageTemplate
from reportlab.platypus.doctemplate import LayoutError

from kreislauf.errors import ReportNotLaidOut
from kreislauf.i18n import Lang, translate
from kreislauf.report.model import Report
from kreislauf.report.pdf_blocks import Heading, story
from kreislauf.report.pdf_style import (
    FONT,
    FRAME_HEIGHT,
    FRAME_WIDTH,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    MUTED,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    PDF_LANG,
    RULE,
    fit,
    register_fonts,
    styles,
)


def render_pdf(report: Report) -> bytes:
    """``report`` as the bytes of an A4 PDF (title and language in the PDF metadata)."""
    register_fonts()
    buffer = io.BytesIO()
    document = _ReportDocument(buffer, report)
    label = partial(_page_label, report.lang)
    try:
        document.build(
            story(report, styles()), canvasmaker=partial(_PageLabelCanvas, page_label=label)
        )
    except LayoutError as error:  # content taller than a page where it cannot be split
        raise ReportNotLaidOut(detail=str(error).strip().split("\n")[0]) from None
    return buffer.getvalue()


class _KeepTogether(KeepTogether):
    """Keeps a heading or caption with what follows, unless that is longer than a page.

    reportlab's :class:`KeepTogether` moves content that does not fit to the next page even
    when it could never fit on one page (a long table); then the heading's page ends half
    empty. Here such content starts on the current page if a quarter of the page is free.
    """

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        # _content: the flowables KeepTogether holds (private, so not in the stubs)
        content: list[Flowable] = self._content  # type: ignore[attr-defined]
        content_height = sum(
            flowable.wrapOn(self.canv, available_width, FRAME_HEIGHT)[1] for flowable in content
        )
        if content_height > FRAME_HEIGHT and available_height >= FRAME_HEIGHT / 4:
            return list(content)
        return super().split(available_width, available_height)


class _ReportDocument(BaseDocTemplate):
    """A4 with one frame; draws the running header and footer; builds the outline."""

    def __init__(self, buffer: io.BytesIO, report: Report) -> None:
        super().__init__(
            buffer,
            pagesize=A4,
            leftMargin=MARGIN_X,
            rightMargin=MARGIN_X,
            topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
            title=report.title,
            subject=report.subtitle,
            author="",
            creator="kreislauf",
            lang=PDF_LANG[report.lang],
            initialFontName=FONT,  # else every page also references Helvetica
            initialFontSize=9.5,
        )
        self.report = report
        self.keepTogetherClass = _KeepTogether  # used for keepWithNext groups
        self._outline_keys = 0
        self._outline_level = -1
        frame = Frame(
            MARGIN_X,
            MARGIN_BOTTOM,
            FRAME_WIDTH,
            FRAME_HEIGHT,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id="body",
        )
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self._decorate)])

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 (reportlab hook)
        if isinstance(flowable, Heading):
            key = f"section-{self._outline_keys}"
            self._outline_keys += 1
            # an outline may not skip a level (a sub-section before any section)
            level = min(flowable.outline_level, self._outline_level + 1)
            self._outline_level = level
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(flowable.title, key, level=level)

    def _decorate(self, canvas: Canvas, _document: BaseDocTemplate) -> None:
        canvas.saveState()
        footer_y = MARGIN_BOTTOM - 11 * mm
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN_X, footer_y + 9, PAGE_WIDTH - MARGIN_X, footer_y + 9)
        canvas.setFont(FONT, 7.5)
        canvas.setFillColor(MUTED)
        if self.report.footer:
            canvas.drawString(MARGIN_X, footer_y, fit(self.report.footer, 7.5, 0.78 * FRAME_WIDTH))
        if canvas.getPageNumber() > 1:
            header_y = PAGE_HEIGHT - MARGIN_TOP + 6 * mm
            canvas.drawString(MARGIN_X, header_y, fit(self.report.title, 7.5, FRAME_WIDTH))
            canvas.line(MARGIN_X, header_y - 4, PAGE_WIDTH - MARGIN_X, header_y - 4)
        canvas.restoreState()
        if isinstance(canvas, _PageLabelCanvas):
            canvas.draw_page_label(PAGE_WIDTH - MARGIN_X, footer_y)


class _PageLabelCanvas(Canvas):
    """A canvas that prints "Seite n von N" once N, the page count, is known.

    Each page draws a form ``page-label-n`` (right-aligned at the given point); the forms are
    defined in :meth:`save`, after the last page, with the final page count.
    """

    def __init__(self, *args: Any, page_label: Callable[[int, int], str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._page_label = page_label
        self._labelled_pages: list[int] = []
        self._pages_shown = 0

    def draw_page_label(self, right: float, baseline: float) -> None:
        page = self.getPageNumber()
        self.saveState()
        self.translate(right, baseline)
        self.doForm(f"page-label-{page}")
        self.restoreState()
        self._labelled_pages.append(page)

    def showPage(self) -> None:  # noqa: N802 (reportlab API)
        self._pages_shown += 1
        super().showPage()

    def save(self) -> None:
        total = self._pages_shown
        for page in self._labelled_pages:
            self.beginForm(
                f"page-label-{page}",
                lowerx=-FRAME_WIDTH,  # type: ignore[arg-type]  # stubs say int; reportlab takes float
                lowery=-4,
                upperx=1,
                uppery=12,
            )
            self.setFont(FONT, 7.5)
            self.setFillColor(MUTED)
            self.drawRightString(0, 0, self._page_label(page, total))
            self.endForm()
        super().save()


def _page_label(lang: Lang, page: int, total: int) -> str:
    return translate("report.page_of", lang, page=page, total=total)
