"""Product identifiers: GTIN check, the GS1 Digital Link URI, PACT product URNs.

References
----------
GS1 General Specifications, release 24.0, section 7.9 (check digit calculation, mod 10
with weights 3 and 1). GS1 Digital Link Standard: URI Syntax, release 1.4 (2024), section
4 (``/01/{gtin}/21/{serial}``, ``/01/{gtin}/10/{lot}``). PACT Technical Specifications
v3.0, "Product Identifier URNs" (``urn:gtin:…``, ``urn:pact:…``) and RFC 8141 (URN
syntax).
"""

from __future__ import annotations

from urllib.parse import quote

from pydantic_core import PydanticCustomError
from stdnum import ean
from stdnum.exceptions import InvalidChecksum, ValidationError

#: Lengths a GTIN can have: GTIN-8, -12 (UPC-A), -13 (EAN-13), -14.
GTIN_LENGTHS = (8, 12, 13, 14)


def normalised_gtin(value: str) -> str:
    """``value`` as a checked GTIN, its digits as given (spaces removed).

    The length is kept (a GTIN-13 stays 13 digits), so that identifiers travel unchanged
    between formats; :func:`gtin14` pads for the GS1 Digital Link URI.

    Raises ``PydanticCustomError`` ``gtin_check_digit`` (with the expected digit) or
    ``gtin_format``, so that a model field names the problem.
    """
    digits = str(value).strip().replace(" ", "")
    if not digits.isdigit() or len(digits) not in GTIN_LENGTHS:
        raise PydanticCustomError(
            "gtin_format",
            "a GTIN has 8, 12, 13 or 14 digits, found {value!r}",
            {"value": value},
        )
    try:
        ean.validate(digits)
    except InvalidChecksum:
        expected = ean.calc_check_digit(digits[:-1])
        raise PydanticCustomError(
            "gtin_check_digit",
            "GTIN {value} has check digit {found}, expected {expected}",
            {"value": digits, "found": digits[-1], "expected": expected},
        ) from None
    except ValidationError as error:  # stdnum's own base class, not pydantic's
        raise PydanticCustomError(
            "gtin_format", "not a GTIN: {detail}", {"detail": str(error)}
        ) from None
    return digits


def gtin14(value: str) -> str:
    """A checked GTIN as 14 digits, left-padded with zeros (GS1 Digital Link, 4.1)."""
    return normalised_gtin(value).zfill(14)


def digital_link(
    base: str, gtin: str, *, serial: str | None = None, batch: str | None = None
) -> str:
    """The GS1 Digital Link URI of a product, item (AI 21) or batch (AI 10).

    base : scheme and host of the resolver, e.g. ``https://id.example.com`` (no slash at
    the end); a serial wins over a batch, as an item identifies its batch.
    """
    uri = f"{base.rstrip('/')}/01/{gtin14(gtin)}"
    if serial:
        return f"{uri}/21/{quote(serial, safe='')}"
    if batch:
        return f"{uri}/10/{quote(batch, safe='')}"
    return uri


def gtin_urn(gtin: str) -> str:
    """The product-id URN of a GTIN, ``urn:gtin:{gtin}`` (the "widely used" form of PACT
    v3.0, "Product Identifier URNs": GTIN is no IANA namespace), the GTIN as given."""
    return f"urn:gtin:{normalised_gtin(gtin)}"


def gtin_of_urn(urn: str) -> str | None:
    """The GTIN in ``urn:gtin:…``, or ``None`` for another URN (raises on a bad GTIN)."""
    prefix = "urn:gtin:"
    return normalised_gtin(urn[len(prefix) :]) if urn.lower().startswith(prefix) else None
