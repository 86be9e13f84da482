"""The QR code decodes to the resolver URI (decoded with zxing-cpp, an independent reader)."""

from __future__ import annotations

import io

import pytest
import zxingcpp
from PIL import Image

from kreislauf.passport.qr import product_qr, qr_bytes
from kreislauf.passport.resolver import parse_path


@pytest.mark.parametrize(
    ("serial", "batch"), [(None, None), ("SN-0001/7", None), (None, "L2024-11")]
)
def test_the_qr_code_decodes_to_the_digital_link(serial: str | None, batch: str | None) -> None:
    uri, png = product_qr(
        "https://id.example.com", "4012345000016", serial=serial, batch=batch, kind="png"
    )
    (decoded,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)).convert("L"))
    assert decoded.format == zxingcpp.BarcodeFormat.QRCode
    assert decoded.text == uri
    key = parse_path(uri.removeprefix("https://id.example.com"))
    assert key is not None and key.gtin == "04012345000016"
    assert (key.serial, key.batch) == (serial, batch)


def test_svg_output_names_the_uri() -> None:
    svg = qr_bytes("https://id.example.com/01/04012345000016", kind="svg").decode()
    assert (
        svg.startswith("<?xml") and "<title>https://id.example.com/01/04012345000016</title>" in svg
    )
