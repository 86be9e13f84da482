"""PNG images in a reportlab PDF without decoding and re-compressing them.

reportlab embeds a PNG by decoding it with Pillow and compressing the raw pixels again,
which took most of the time of a report with 61 charts. A non-interlaced 8-bit RGB or grey
PNG (what :func:`kreislauf.charts.to_png` writes) can go into the PDF as it is: its IDAT
data is a zlib stream with PNG row filters, which PDF's FlateDecode filter reads directly
given the PNG predictor. Other PNGs (alpha channel, palette, 16 bit, interlaced) fall back
to reportlab's own :class:`~reportlab.platypus.Image`.

References
----------
ISO 32000-1:2008 (PDF 1.7), 7.4.4.4 "LZW and Flate Predictor Functions" (Predictor 15).
"""

from __future__ import annotations

import hashlib
import io

from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFName, PDFObject, PDFStream
from reportlab.platypus import Flowable, Image

from kreislauf.report.png import PngHeader, png_header, png_idat

_COLOUR_SPACES = {0: ("DeviceGray", 1), 2: ("DeviceRGB", 3)}  # PNG colour type -> PDF


def png_flowable(png: bytes, *, width: float, height: float) -> Flowable:
    """A flowable drawing ``png`` at ``width`` x ``height`` [pt], centred in the frame."""
    header = png_header(png)
    idat = png_idat(png) if header is not None and _embeddable(header) else b""
    if header is None or not idat:
        return Image(io.BytesIO(png), width=width, height=height, hAlign="CENTER")
    digest = hashlib.sha1(png, usedforsecurity=False).hexdigest()
    return _PngFlowable(header, idat, f"kreislauf-png-{digest}", width, height)


def _embeddable(header: PngHeader) -> bool:
    return header.bit_depth == 8 and header.interlace == 0 and header.colour_type in _COLOUR_SPACES


class _PngXObject(PDFObject):
    """An image XObject whose stream is the PNG's IDAT data (Flate + PNG predictor)."""

    def __init__(self, header: PngHeader, idat: bytes) -> None:
        self.header = header
        self.idat = idat

    def format(self, document: object) -> bytes:
        colour_space, components = _COLOUR_SPACES[self.header.colour_type]
        stream = PDFStream(content=self.idat)
        entries = stream.dictionary
        entries["Type"] = PDFName("XObject")
        entries["Subtype"] = PDFName("Image")
        entries["Width"] = self.header.width
        entries["Height"] = self.header.height
        entries["BitsPerComponent"] = 8
        entries["ColorSpace"] = PDFName(colour_space)
        # with a Filter entry present, reportlab writes the content as it is. A single
        # name, not an array: with a Filter array, readers (poppler) expect DecodeParms to
        # be an array as well and ignore a dictionary
        entries["Filter"] = PDFName("FlateDecode")
        entries["DecodeParms"] = PDFDictionary(
            {
                "Predictor": 15,
                "Colors": components,
                "BitsPerComponent": 8,
                "Columns": self.header.width,
            }
        )
        return stream.format(document)


class _PngFlowable(Flowable):
    """Draws a PNG XObject scaled to the given size; equal PNGs are stored once."""

    def __init__(
        self, header: PngHeader, idat: bytes, name: str, width: float, height: float
    ) -> None:
        super().__init__()
        self.header = header
        self.idat = idat
        self.name = name
        self.width = width
        self.height = height
        self.hAlign = "CENTER"

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        # reportlab has no public call to register a ready-made image XObject; its own
        # drawImage registers through the canvas's document in the same way
        document = canvas._doc  # type: ignore[attr-defined]  # private, so not in the stubs
        if not document.hasForm(self.name):
            document.Reference(
                _PngXObject(self.header, self.idat), document.getXObjectName(self.name)
            )
        canvas.saveState()
        canvas.scale(self.width, self.height)
        canvas.doForm(self.name)
        canvas.restoreState()
