"""One report renderer for every domain: a document model, rendered to HTML and PDF."""

from kreislauf.report.model import (
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

__all__ = [
    "Block",
    "Callout",
    "Figure",
    "KeyFigure",
    "KeyFigures",
    "Paragraph",
    "Report",
    "Section",
    "Table",
]
