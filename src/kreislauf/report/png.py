"""Facts about a PNG read straight from its chunks (no decoding), for both renderers.

References
----------
W3C PNG Specification (Second Edition), 5.2 signature, 5.3 chunk layout, 11.2.2 IHDR,
11.2.4 IDAT. https://www.w3.org/TR/png/
"""

from __future__ import annotations

import base64
import struct
from dataclasses import dataclass

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class PngHeader:
    """The IHDR chunk: size [px], bit depth, colour type and interlace method."""

    width: int
    height: int
    bit_depth: int
    colour_type: int
    interlace: int


def png_header(png: bytes) -> PngHeader | None:
    """The PNG's header, or ``None`` if ``png`` does not start like a PNG."""
    if len(png) < 29 or not png.startswith(PNG_SIGNATURE) or png[12:16] != b"IHDR":
        return None
    width, height, depth, colour_type, _compression, _filter, interlace = struct.unpack(
        ">IIBBBBB", png[16:29]
    )
    return PngHeader(width, height, depth, colour_type, interlace)


def png_idat(png: bytes) -> bytes:
    """The image data of all IDAT chunks joined: one zlib stream of filtered rows."""
    position, data = len(PNG_SIGNATURE), bytearray()
    while position + 8 <= len(png):
        length, kind = struct.unpack(">I4s", png[position : position + 8])
        if kind == b"IDAT":
            data += png[position + 8 : position + 8 + length]
        elif kind == b"IEND":
            break
        position += 12 + length  # length, type, data, CRC
    return bytes(data)


def png_data_uri(png: bytes) -> str:
    """``png`` as a ``data:image/png;base64,...`` URI."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")
