"""The v2.3 OData ``$filter`` subset (PACT v2.3, "Action ListFootprints", Filter)."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from kreislauf.errors import PactBadRequest, PactNotImplemented
from kreislauf.passport.pact_host import matches, parse_query
from kreislauf.passport.pact_odata import AnyEq, Comparison, parse_filter

DATA = Path(__file__).parent / "data"


def _steel() -> dict[str, Any]:
    document: dict[str, Any] = json.loads((DATA / "pact-v3-steel.json").read_text("utf-8"))
    return document


def test_the_specifications_examples_parse() -> None:
    """The four examples of the v2.3 text, as written there."""
    assert parse_filter("productCategoryCpc eq '3342'") == (Comparison("cpc", "eq", "3342"),)
    assert parse_filter("pcf/geographyCountry eq 'DE'") == (
        Comparison("geography_country", "eq", "DE"),
    )
    period = parse_filter(
        "(pcf/referencePeriodStart ge '2023-01-01T00:00:00.000Z') and "
        "(pcf/referencePeriodEnd lt '2024-01-01T00:00:00.000Z')"
    )
    assert period == (
        Comparison("reference_start", "ge", datetime(2023, 1, 1, tzinfo=UTC)),
        Comparison("reference_end", "lt", datetime(2024, 1, 1, tzinfo=UTC)),
    )
    assert parse_filter("productIds/any(productId:(productId eq 'urn:x'))") == (
        AnyEq("productId", "urn:x"),
    )


def test_quotes_bare_dates_and_nesting() -> None:
    assert parse_filter("companyIds/any(c: c eq 'urn:o''brien')") == (
        AnyEq("companyId", "urn:o'brien"),
    )
    assert parse_filter("created gt 2024-05-01T10:00:00+02:00") == (
        Comparison("created", "gt", datetime(2024, 5, 1, 8, tzinfo=UTC)),
    )
    nested = parse_filter("((created le '2025-01-01') and (pcf/geographyCountry eq 'DE'))")
    assert [c.name for c in nested if isinstance(c, Comparison)] == ["created", "geography_country"]


def test_statements_evaluate_on_a_footprint() -> None:
    """The steel footprint: created 2025-06-02, DE, CPC 41232, reference period 2024."""
    steel = _steel()

    def holds(statement: str) -> bool:
        return matches(steel, parse_query([("$filter", statement)], version=2))

    assert holds("created ge '2025-06-02T08:00:00Z'")
    assert not holds("created gt '2025-06-02T08:00:00Z'")
    assert holds("productCategoryCpc eq '41232' and pcf/geographyCountry eq 'DE'")
    assert not holds("productCategoryCpc eq '41232' and pcf/geographyCountry eq 'FR'")
    assert holds(f"productIds/any(p:(p eq '{steel['productIds'][1]}'))")
    assert not holds("productIds/any(p:(p eq 'urn:gtin:0000000000000'))")
    assert holds("pcf/referencePeriodEnd le '2025-01-01T00:00:00Z'")
    assert not holds("updated lt '2100-01-01T00:00:00Z'")  # no `updated`: null, false


@pytest.mark.parametrize(
    ("statement", "error", "where"),
    [
        ("companyName eq 'x'", PactNotImplemented, "at 1 ('companyName')"),
        ("created ge '2024-01-01' or created lt '2020-01-01'", PactNotImplemented, "at 25 ('or')"),
        ("pcf/geographyCountry ne 'DE'", PactNotImplemented, "at 22 ('ne')"),
        ("productCategoryCpc gt '3'", PactNotImplemented, "takes 'eq' only at 20"),
        ("not (created ge '2024-01-01')", PactNotImplemented, "at 1 ('not')"),
        ("productIds/all(p: p eq 'x')", PactNotImplemented, "at 1 ('productIds/all')"),
        ("productIds/any(p: p lt 'x')", PactNotImplemented, "uses 'eq' only at 21"),
        ("productIds/any(p: q eq 'x')", PactNotImplemented, "compares 'p' only at 19"),
        ("created ge 'yesterday'", PactBadRequest, "date-time at 12"),
        ("created ge '2024-01-01", PactBadRequest, "closing quote for the string at 12"),
        ("(created ge '2024-01-01'", PactBadRequest, "')' at the end"),
        ("created ge", PactBadRequest, "a value after 'ge' at 9"),
        ("", PactBadRequest, "a filter statement"),
    ],
)
def test_refusals_name_the_position(statement: str, error: type, where: str) -> None:
    with pytest.raises(error, match=re.escape("field '$filter'")) as caught:
        parse_query([("$filter", statement)], version=2)
    assert where in caught.value.message("en"), caught.value.message("en")


def test_v3_refuses_the_filter() -> None:
    with pytest.raises(PactNotImplemented, match=re.escape("deprecated in v3.0")):
        parse_query([("$filter", "created ge '2024-01-01'")])
