"""Write a report to files: the HTML page and/or the PDF, each written atomically."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Literal

from kreislauf.errors import InvalidOption
from kreislauf.files import atomic_write, ensure_directory
from kreislauf.report.html import render_html
from kreislauf.report.model import Report
from kreislauf.report.pdf import render_pdf

Format = Literal["html", "pdf"]
FORMATS: tuple[Format, ...] = ("html", "pdf")


def write_report(
    report: Report,
    directory: Path,
    *,
    stem: str = "report",
    formats: Sequence[Format] = FORMATS,
) -> list[Path]:
    """Render ``report`` and write ``<directory>/<stem>.html`` and/or ``.pdf``.

    The directory is created if needed. Every format is rendered before the first file is
    written, so a rendering error writes nothing; each file is replaced atomically
    (:func:`kreislauf.files.atomic_write`). Returns the written paths in the order of
    ``formats`` (duplicates written once).

    Raises
    ------
    OutputNotWritable
        if the directory cannot be created or a file cannot be written.
    InvalidOption
        if ``formats`` names a format other than ``html`` and ``pdf``.
    """
    renderers: dict[Format, Callable[[Report], str | bytes]] = {
        "html": render_html,
        "pdf": render_pdf,
    }
    wanted = list(dict.fromkeys(formats))
    for name in wanted:
        if name not in renderers:
            raise InvalidOption(value=name, option="formats", expected=", ".join(FORMATS))
    ensure_directory(directory)
    rendered = {name: renderers[name](report) for name in wanted}
    paths: list[Path] = []
    for name, data in rendered.items():
        path = directory / f"{stem}.{name}"
        atomic_write(path, data)
        paths.append(path)
    return paths
