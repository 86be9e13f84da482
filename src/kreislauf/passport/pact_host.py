"""The PACT host's rules without the web: filters, pagination, events, error bodies.

The web layer (``/pact/3/footprints``, ``/pact/3/events``, the v2 paths) parses a request
with these functions and answers with their results, so the rules are tested without a
server:

- **Filters** of ListFootprints (v3.0, "Filtering"): ``productId``, ``companyId``,
  ``geography``, ``classification`` (each repeatable: repeated values OR), ``validOn``,
  ``validAfter``, ``validBefore``, ``status`` (a value other than ``Active`` and
  ``Deprecated`` matches nothing: an empty list, not an error, as the conformance suite's
  test case 37 expects); different parameters AND. Criteria named
  ``x-…`` are implementor extensions and ignored here; the deprecated OData ``$filter`` of
  v2.2 is answered with ``NotImplemented``.
- **Validity** of a footprint: ``validityPeriodStart``/``End`` when given, else from
  ``referencePeriodEnd`` for 3 years (v3.0, "Validity Period").
- **Pagination**: ``limit`` (a positive integer) and an ``offset`` the host puts into the
  absolute ``Link: <…>; rel="next"`` target (RFC 8288) on the request's host.
- **Events**: CloudEvents 1.0 JSON (``specversion``, ``id``, ``source``, ``type``,
  ``data``). Both the v3.0 types of the OpenAPI schema
  (``org.wbcsd.pact.ProductFootprint.RequestCreatedEvent.3``) and the spellings of the
  prose (``…ProductFootprint.RequestCreated.3``) are accepted, and the v2 types
  (``org.wbcsd.pathfinder.ProductFootprintRequest.Created.v1``, …). A Published event
  names its footprints in ``data.pfIds``, each a UUID.
- **Errors** travel as ``{"code": …, "message": …}`` with the codes ``BadRequest`` (400),
  ``NotImplemented`` (400), ``AccessDenied`` (403), ``TokenExpired`` (401),
  ``NoSuchFootprint`` (v2) / ``NotFound`` (v3) (404).

References
----------
PACT Technical Specifications v3.0 (2025), "HTTP REST API", "Action ListFootprints"
(filtering, pagination), "Action Events"; v2.3 (2024) for the v2 events and error codes.
CloudEvents 1.0 (CNCF), JSON format. RFC 8288 (Web Linking).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, Literal
from urllib.parse import urlencode, urlsplit, urlunsplit

from kreislauf.errors import PactBadRequest, PactNotImplemented

EventKind = Literal["RequestCreated", "RequestFulfilled", "RequestRejected", "Published"]
KINDS: tuple[EventKind, ...] = (
    "RequestCreated",
    "RequestFulfilled",
    "RequestRejected",
    "Published",
)

#: Every accepted CloudEvents ``type`` → (kind, PACT major version).
EVENT_TYPES: dict[str, tuple[EventKind, int]] = {
    **{f"org.wbcsd.pact.ProductFootprint.{k}Event.3": (k, 3) for k in KINDS},
    **{f"org.wbcsd.pact.ProductFootprint.{k}.3": (k, 3) for k in KINDS},
    "org.wbcsd.pathfinder.ProductFootprintRequest.Created.v1": ("RequestCreated", 2),
    "org.wbcsd.pathfinder.ProductFootprintRequest.Fulfilled.v1": ("RequestFulfilled", 2),
    "org.wbcsd.pathfinder.ProductFootprintRequest.Rejected.v1": ("RequestRejected", 2),
    "org.wbcsd.pathfinder.ProductFootprint.Published.v1": ("Published", 2),
}
LIST_CRITERIA = ("productId", "companyId", "geography", "classification")
DATE_CRITERIA = ("validOn", "validAfter", "validBefore")
#: The most footprints one page holds when the recipient gives no smaller ``limit``.
MAX_PAGE = 100


@dataclass(frozen=True)
class FootprintQuery:
    """What a ListFootprints request or a RequestCreated event asks for (module doc)."""

    product_ids: tuple[str, ...] = ()
    company_ids: tuple[str, ...] = ()
    geographies: tuple[str, ...] = ()
    classifications: tuple[str, ...] = ()
    valid_on: datetime | None = None
    valid_after: datetime | None = None
    valid_before: datetime | None = None
    status: str | None = None
    limit: int | None = None
    offset: int = 0


def _moment(name: str, value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as error:
        raise PactBadRequest(field=name, value=value, expected="an ISO 8601 date-time") from error
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _count(name: str, value: str, *, least: int) -> int:
    if not value.isdigit() or int(value) < least:
        raise PactBadRequest(field=name, value=value, expected=f"an integer ≥ {least}")
    return int(value)


def parse_query(params: Iterable[tuple[str, str]]) -> FootprintQuery:
    """The query of ListFootprints from its (repeatable) request parameters.

    Raises :class:`~kreislauf.errors.PactBadRequest` for a malformed value and
    :class:`~kreislauf.errors.PactNotImplemented` for ``$filter``.
    """
    lists: dict[str, list[str]] = {name: [] for name in LIST_CRITERIA}
    single: dict[str, str] = {}
    for name, value in params:
        if name == "$filter":
            raise PactNotImplemented(field=name, detail="OData $filter (deprecated in v3.0)")
        if name in lists:
            lists[name].append(value)
        elif name in (*DATE_CRITERIA, "status", "limit", "offset"):
            if name in single:
                raise PactBadRequest(field=name, value=value, expected="the parameter once")
            single[name] = value
    status = single.get("status")  # another value than Active/Deprecated matches nothing
    dates = {name: _moment(name, single[name]) for name in DATE_CRITERIA if name in single}
    return FootprintQuery(
        product_ids=tuple(lists["productId"]),
        company_ids=tuple(lists["companyId"]),
        geographies=tuple(lists["geography"]),
        classifications=tuple(lists["classification"]),
        valid_on=dates.get("validOn"),
        valid_after=dates.get("validAfter"),
        valid_before=dates.get("validBefore"),
        status=status,
        limit=_count("limit", single["limit"], least=1) if "limit" in single else None,
        offset=_count("offset", single["offset"], least=0) if "offset" in single else 0,
    )


def validity(footprint: dict[str, Any]) -> tuple[datetime, datetime]:
    """Start and end of a v3.0 footprint's validity (module docstring)."""
    reference_end = _moment("referencePeriodEnd", footprint["pcf"]["referencePeriodEnd"])
    start = footprint.get("validityPeriodStart")
    end = footprint.get("validityPeriodEnd")
    default_end = reference_end.replace(year=reference_end.year + 3)
    return (
        _moment("validityPeriodStart", start) if start else reference_end,
        _moment("validityPeriodEnd", end) if end else default_end,
    )


def matches(footprint: dict[str, Any], query: FootprintQuery) -> bool:
    """Whether a v3.0 footprint meets every criterion of ``query``."""
    pcf = footprint["pcf"]
    geography = {
        pcf.get("geographyCountry"),
        pcf.get("geographyRegionOrSubregion"),
        pcf.get("geographyCountrySubdivision"),
    } - {None}
    wanted = (
        (query.product_ids, set(footprint["productIds"])),
        (query.company_ids, set(footprint["companyIds"])),
        (query.geographies, geography),
        (query.classifications, set(footprint.get("productClassifications") or [])),
    )
    if any(values and not set(values) & found for values, found in wanted):
        return False
    if query.status is not None and footprint["status"] != query.status:
        return False
    start, end = validity(footprint)
    if query.valid_on is not None and not start <= query.valid_on <= end:
        return False
    if query.valid_after is not None and not query.valid_after < start:
        return False
    return query.valid_before is None or query.valid_before > end


@dataclass(frozen=True)
class Page:
    """One page of footprints and the ``Link`` header value for the next (``None``: last)."""

    footprints: list[dict[str, Any]]
    link: str | None


def page(footprints: Sequence[dict[str, Any]], query: FootprintQuery, *, url: str) -> Page:
    """The page of the matching ``footprints`` that ``query`` asks for.

    url : the absolute request URL (scheme and host of the request); the next link keeps its
        path and parameters and sets ``offset`` and ``limit``
    """
    found = [f for f in footprints if matches(f, query)]
    size = min(query.limit or MAX_PAGE, MAX_PAGE)
    chosen = found[query.offset : query.offset + size]
    if query.offset + size >= len(found):
        return Page(chosen, None)
    parts = urlsplit(url)
    kept = [(k, v) for k, v in _pairs(parts.query) if k not in ("offset", "limit")]
    params = urlencode([*kept, ("limit", str(size)), ("offset", str(query.offset + size))])
    target = urlunsplit((parts.scheme, parts.netloc, parts.path, params, ""))
    return Page(chosen, f'<{target}>; rel="next"')


def _pairs(query: str) -> list[tuple[str, str]]:
    from urllib.parse import parse_qsl

    return parse_qsl(query, keep_blank_values=True)


@dataclass(frozen=True)
class PactEvent:
    """A CloudEvent received on ``/events``: its kind, PACT version, id, source, data."""

    kind: EventKind
    version: int
    id: str
    source: str
    data: dict[str, Any]


def parse_event(body: Any) -> PactEvent:
    """A PACT event from a CloudEvents JSON body (module docstring).

    Raises :class:`~kreislauf.errors.PactBadRequest` naming the attribute.
    """
    if not isinstance(body, dict):
        raise PactBadRequest(field="body", value=type(body).__name__, expected="a JSON object")
    for name in ("specversion", "id", "source", "type"):
        if not isinstance(body.get(name), str) or not body[name]:
            raise PactBadRequest(field=name, value=body.get(name), expected="a non-empty string")
    if body["specversion"] != "1.0":
        raise PactBadRequest(field="specversion", value=body["specversion"], expected="1.0")
    if body["type"] not in EVENT_TYPES:
        raise PactNotImplemented(field="type", detail=f"event type '{body['type']}'")
    data = body.get("data")
    if not isinstance(data, dict):
        raise PactBadRequest(field="data", value=data, expected="a JSON object")
    kind, version = EVENT_TYPES[body["type"]]
    if kind == "Published":
        _check_pf_ids(data.get("pfIds"))
    return PactEvent(kind, version, body["id"], body["source"], data)


def _check_pf_ids(ids: Any) -> None:
    """``data.pfIds`` of a Published event: a list of footprint ids, each a UUID (v2.3 and
    v3.0, "PublishedEvent"; the conformance tool's v2 case 21 sends a GTIN URN and
    expects 400)."""
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise PactBadRequest(field="data.pfIds", value=ids, expected="a list of footprint ids")
    for value in ids:
        try:
            uuid.UUID(value)
        except ValueError as error:
            raise PactBadRequest(
                field="data.pfIds", value=value, expected="a footprint id (a UUID)"
            ) from error


def event_query(event: PactEvent) -> FootprintQuery:
    """The criteria of a RequestCreated event (v3.0: the criteria of ListFootprints)."""
    data = event.data
    if event.version == 2:  # v2.3: data.pf is a ProductFootprint fragment
        pf = data.get("pf")
        fragment: dict[str, Any] = pf if isinstance(pf, dict) else {}
        data = {"productId": fragment.get("productIds"), "companyId": fragment.get("companyIds")}
    pairs: list[tuple[str, str]] = []
    for name in LIST_CRITERIA:
        values = data.get(name) or []
        if isinstance(values, str) or not all(isinstance(v, str) for v in values):
            raise PactBadRequest(field=f"data.{name}", value=values, expected="a list of strings")
        pairs += [(name, v) for v in values]
    for name in (*DATE_CRITERIA, "status"):
        if isinstance(data.get(name), str):
            pairs.append((name, data[name]))
    return replace(parse_query(pairs), limit=None, offset=0)


#: The PACT error code of each kreislauf error class the host raises.
ERROR_CODES: dict[type[Exception], str] = {
    PactBadRequest: "BadRequest",
    PactNotImplemented: "NotImplemented",
}


def error_body(code: str, message: str) -> dict[str, str]:
    """A PACT error response body."""
    return {"code": code, "message": message}
