"""QR codes that carry a product's GS1 Digital Link URI (segno).

Error correction level M (15 % of the symbol recoverable), as GS1 recommends for Digital
Link QR codes on products; the URI is encoded as it is, in byte mode.

References
----------
GS1 General Specifications, 5.7 (QR Code, ISO/IEC 18004:2015) and GS1 Digital Link
Standard: URI Syntax 1.4 (the URI as the QR content).
"""

from __future__ import annotations

import io

import segno

from kreislauf.passport.identifiers import digital_link


def qr_code(uri: str) -> segno.QRCode:
    """The QR code of ``uri`` (error correction M, the smallest version that holds it)."""
    return segno.make(uri, error="m", micro=False, boost_error=False)


def qr_bytes(uri: str, *, kind: str = "svg", scale: int = 8) -> bytes:
    """The QR code as an SVG or PNG file; ``scale`` [px per module]."""
    buffer = io.BytesIO()
    code = qr_code(uri)
    if kind == "svg":
        code.save(buffer, kind="svg", scale=scale, title=uri, xmldecl=True)
    else:
        code.save(buffer, kind="png", scale=scale)
    return buffer.getvalue()


def product_qr(
    base: str, gtin: str, *, serial: str | None = None, batch: str | None = None, kind: str = "svg"
) -> tuple[str, bytes]:
    """The Digital Link URI of a product and its QR code file."""
    uri = digital_link(base, gtin, serial=serial, batch=batch)
    return uri, qr_bytes(uri, kind=kind)
