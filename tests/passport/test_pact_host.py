"""The PACT host's rules (v3.0 "Action ListFootprints" and "Action Events") without a server."""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from kreislauf.errors import PactBadRequest, PactNotImplemented
from kreislauf.passport.pact_host import (
    ERROR_CODES,
    EVENT_TYPES,
    FootprintQuery,
    event_query,
    matches,
    page,
    parse_event,
    parse_query,
    validity,
)

DATA = Path(__file__).parent / "data"


def _steel(**changes: Any) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((DATA / "pact-v3-steel.json").read_text("utf-8"))
    pcf = changes.pop("pcf", {})
    document.update(changes)
    document["pcf"].update(pcf)
    return document


def test_repeated_values_or_and_different_parameters_and() -> None:
    steel = _steel()
    assert matches(
        steel, parse_query([("productId", "urn:x"), ("productId", steel["productIds"][1])])
    )
    assert not matches(steel, parse_query([("productId", "urn:x")]))
    both = [("productId", steel["productIds"][0]), ("geography", "FR")]
    assert not matches(steel, parse_query(both))  # DE, not FR
    assert matches(steel, parse_query([*both, ("geography", "DE")]))
    assert matches(steel, parse_query([("classification", "urn:cpc:41232"), ("status", "Active")]))
    assert not matches(steel, parse_query([("status", "Deprecated")]))
    assert not matches(steel, parse_query([("status", "BogusStatusValue")]))  # empty, no error
    assert matches(steel, parse_query([("companyId", steel["companyIds"][0]), ("x-acme-id", "1")]))


def test_validity_defaults_to_three_years_after_the_reference_period() -> None:
    start, end = validity(_steel())
    assert (start.isoformat(), end.isoformat()) == (
        "2025-01-01T00:00:00+00:00",
        "2028-01-01T00:00:00+00:00",
    )
    steel = _steel()
    assert matches(steel, parse_query([("validOn", "2026-06-01T00:00:00Z")]))
    assert not matches(steel, parse_query([("validOn", "2029-06-01T00:00:00Z")]))
    assert matches(steel, parse_query([("validAfter", "2024-12-31T00:00:00Z")]))
    assert not matches(steel, parse_query([("validAfter", "2025-01-01T00:00:00Z")]))
    assert matches(steel, parse_query([("validBefore", "2028-01-02T00:00:00Z")]))
    assert not matches(steel, parse_query([("validBefore", "2028-01-01T00:00:00Z")]))
    given = _steel(validityPeriodEnd="2026-01-01T00:00:00Z")
    assert not matches(given, parse_query([("validOn", "2026-06-01T00:00:00Z")]))


@pytest.mark.parametrize(
    ("params", "error", "field"),
    [
        ([("limit", "0")], PactBadRequest, "limit"),
        ([("limit", "ten")], PactBadRequest, "limit"),
        ([("validOn", "yesterday")], PactBadRequest, "validOn"),
        ([("status", "Active"), ("status", "Deprecated")], PactBadRequest, "status"),
        ([("$filter", "companyName eq 'x'")], PactNotImplemented, "$filter"),
    ],
)
def test_malformed_parameters(params: list[tuple[str, str]], error: type, field: str) -> None:
    with pytest.raises(error, match=re.escape(f"field '{field}'")) as caught:
        parse_query(params)
    assert ERROR_CODES[type(caught.value)] in ("BadRequest", "NotImplemented")


def test_pagination_links_are_absolute_and_cover_everything_once() -> None:
    footprints = [_steel(id=f"00000000-0000-4000-8000-{n:012d}") for n in range(7)]
    url = "https://host.example/pact/3/footprints?geography=DE&limit=3"
    seen: list[str] = []
    query = parse_query([("geography", "DE"), ("limit", "3")])
    pages = 0
    while True:
        result = page(footprints, query, url=url)
        seen += [f["id"] for f in result.footprints]
        pages += 1
        assert len(result.footprints) <= 3
        if result.link is None:
            break
        target = result.link.removeprefix("<").split(">;")[0]
        assert result.link.endswith('; rel="next"')
        parts = urlsplit(target)
        assert (parts.scheme, parts.netloc, parts.path) == (
            "https",
            "host.example",
            "/pact/3/footprints",
        )
        url = target
        query = parse_query([(k, v) for k, vs in parse_qs(parts.query).items() for v in vs])
    assert pages == 3 and seen == [f["id"] for f in footprints]
    assert page(footprints, FootprintQuery(product_ids=("urn:none",)), url=url).footprints == []


@pytest.mark.parametrize("spelling", sorted(EVENT_TYPES))
def test_both_event_spellings_are_accepted(spelling: str) -> None:
    event = parse_event(
        {
            "specversion": "1.0",
            "id": "e1",
            "source": "//r.example/3/events",
            "type": spelling,
            "data": {"pfIds": [str(uuid.uuid4())]} if "Published" in spelling else {},
        }
    )
    kind = event.kind.removeprefix("Request")
    assert kind in spelling and event.version == (3 if spelling.endswith(".3") else 2)


def test_a_request_created_event_asks_what_list_footprints_asks() -> None:
    event = parse_event(
        {
            "type": "org.wbcsd.pact.ProductFootprint.RequestCreatedEvent.3",
            "specversion": "1.0",
            "id": "848dcf00-2c18-400d-bcb8-11e45bbf7ebd",
            "source": "//api.recipient.example/3/events",
            "time": "2024-11-06T16:23:00Z",
            "data": {"productId": ["urn:gtin:4006381333931"], "geography": ["DE"], "comment": "?"},
        }
    )
    assert event.kind == "RequestCreated" and event.version == 3
    query = event_query(event)
    assert query == FootprintQuery(product_ids=("urn:gtin:4006381333931",), geographies=("DE",))
    assert matches(_steel(), query)
    v2 = parse_event(
        {
            "type": "org.wbcsd.pathfinder.ProductFootprintRequest.Created.v1",
            "specversion": "1.0", "id": "2", "source": "//r.example",
            "data": {"pf": {"productIds": ["urn:gtin:4006381333931"]}, "comment": ""},
        }
    )  # fmt: skip
    assert event_query(v2).product_ids == ("urn:gtin:4006381333931",)


@pytest.mark.parametrize(
    ("body", "error", "field"),
    [
        ([], PactBadRequest, "body"),
        (
            {"specversion": "0.3", "id": "1", "source": "s", "type": "t"},
            PactBadRequest,
            "specversion",
        ),
        ({"specversion": "1.0", "id": "", "source": "s", "type": "t"}, PactBadRequest, "id"),
        (
            {"specversion": "1.0", "id": "1", "source": "s", "type": "x.y"},
            PactNotImplemented,
            "type",
        ),
        (  # v2 conformance case 21: a GTIN URN is no footprint id
            {"specversion": "1.0", "id": "1", "source": "s", "data": {"pfIds": ["urn:gtin:1"]},
             "type": "org.wbcsd.pathfinder.ProductFootprint.Published.v1"},
            PactBadRequest,
            "data.pfIds",
        ),
        (
            {"specversion": "1.0", "id": "1", "source": "s", "data": {},
             "type": "org.wbcsd.pact.ProductFootprint.PublishedEvent.3"},
            PactBadRequest,
            "data.pfIds",
        ),
    ],
)  # fmt: skip
def test_malformed_events(body: Any, error: type, field: str) -> None:
    with pytest.raises(error, match=re.escape(f"field '{field}'")):
        parse_event(body)
