"""One report renderer for every domain: a document model, rendered to HTML and PDF."""

from kreislauf.report.html import render_html
from kreislauf.report.model import (
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
from kreislauf.report.pdf import render_pdf
from kreislauf.report.write import write_report

__all__ = [
    "Align",
    "Block",
    "Callout",
    "Figure",
    "KeyFigure",
    "KeyFigures",
    "Paragraph",
    "Report",
    "Section",
    "Table",
    "render_html",
    "render_pdf",
    "write_report",
]
