"""Hostile files for the security tests, generated on the fly (nothing hostile is shipped).

Each imitates a probe of issue 13: an XLSX of a few KB whose declared dimension (or last
cell) is ``XFD1048576``, an XLSX with one cell of 300 MiB (300 KB compressed), YAML alias
bombs, ledgers with NUL bytes, 400-digit numbers, ``1e309``.
"""

from __future__ import annotations

import io
import re
import zipfile

import openpyxl

from kreislauf.ledger.models import CANONICAL_COLUMNS

LEDGER_HEADINGS = list(CANONICAL_COLUMNS)
LEDGER_ROW = ["2024-01", "Leipzig", "Spritzguss", "material_in", "PP", "raw", 1, "t", 10]
SHEET = "xl/worksheets/sheet1.xml"


def xlsx(rows: list[list[object]]) -> bytes:
    """A small valid workbook with ``rows`` on its one sheet."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _rewrite(data: bytes, part: str, change: object) -> bytes:
    """``data`` (an XLSX) with ``part`` replaced by ``change(old_xml)`` (bytes or chunks)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename != part:
                target.writestr(item, content)
                continue
            with target.open(item.filename, "w", force_zip64=True) as stream:
                for piece in change(content):  # type: ignore[operator]
                    stream.write(piece)
    return out.getvalue()


def fake_dimension_xlsx(*, corner_cell: bool = False) -> bytes:
    """A ledger XLSX declaring ``A1:XFD1048576``; ``corner_cell``: a cell there as well."""
    good = xlsx([LEDGER_HEADINGS, LEDGER_ROW])

    def change(sheet: bytes) -> list[bytes]:
        sheet = re.sub(rb'<dimension ref="[^"]*" ?/>', b'<dimension ref="A1:XFD1048576"/>', sheet)
        if corner_cell:
            corner = b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
            sheet = sheet.replace(b"</sheetData>", corner + b"</sheetData>")
        return [sheet]

    return _rewrite(good, SHEET, change)


def huge_cell_xlsx(mib: int = 300) -> bytes:
    """A ledger XLSX whose note cell holds ``mib`` MiB of text (inline, streamed)."""
    good = xlsx([LEDGER_HEADINGS, [*LEDGER_ROW, None, None, None, "NOTE"]])

    def change(sheet: bytes) -> list[bytes] | object:
        head, tail = sheet.split(b"NOTE", 1)
        block = b"A" * (1 << 20)
        return iter([head, *(block for _ in range(mib)), tail])

    return _rewrite(good, SHEET, change)


def broken_xml_xlsx() -> bytes:
    """A valid archive whose sheet is not well-formed XML (``ParseError``)."""
    good = xlsx([LEDGER_HEADINGS, LEDGER_ROW])
    return _rewrite(good, SHEET, lambda _: [b"<worksheet><sheetData><row"])


def corrupt_deflate_xlsx() -> bytes:
    """An archive whose sheet's compressed bytes are damaged (``zlib.error`` on reading)."""
    good = bytearray(xlsx([LEDGER_HEADINGS, LEDGER_ROW]))
    with zipfile.ZipFile(io.BytesIO(bytes(good))) as archive:
        info = archive.getinfo(SHEET)
    start = info.header_offset + 30 + len(info.filename) + len(info.extra) + 10
    for position in range(start, start + 30):
        good[position] ^= 0x5A
    return bytes(good)


def alias_bomb(levels: int = 9, width: int = 9, key: str = "measures") -> str:
    """The 'billion laughs' in YAML: ``width ** levels`` strings from a few hundred bytes."""
    lines = [f"a0: &a0 [{', '.join(['lol'] * width)}]"]
    for level in range(1, levels + 1):
        lines.append(f"a{level}: &a{level} [{', '.join([f'*a{level - 1}'] * width)}]")
    lines.append(f"{key}: *a{levels}")
    return "\n".join(lines) + "\n"


def ledger_csv(*rows: list[object]) -> bytes:
    """A canonical ledger CSV with the given rows (cells as given, padded to 13)."""
    lines = [",".join(LEDGER_HEADINGS)]
    for row in rows:
        cells = [str(c) for c in row] + [""] * (len(LEDGER_HEADINGS) - len(row))
        lines.append(",".join(cells))
    return ("\n".join(lines) + "\n").encode("utf-8")
