"""The PACT host's rules without the web: filters, pagination, events, error bodies.

The web layer (``/pact/3/footprints``, ``/pact/3/events``, the v2 paths) parses a request
with these functions and answers with their results, so the rules are tested without a
server:

- **Filters** of ListFootprints (v3.0, "Filtering"): ``productId``, ``companyId``,
  ``geography``, ``classification`` (each repeatable: repeated values OR), ``validOn``,
  ``validAfter``, ``validBefore``, ``status`` (a value other than ``Active`` and
  ``Deprecated`` matches nothing: an empty list, not an error, as the conformance suite's
  test case 37 expects); different parameters AND. Criteria named
  ``x-…`` are implementor extensions and ignored here. The OData ``$filter`` is
  evaluated on the v2 paths (the v2.3 subset, :mod:`kreislauf.passport.pact_odata`) and
  answered with ``NotImplemented`` on v3.0 (deprecated there).
- **Index**: :func:`footprint_index` gives the values every criterion tests (validity,
  the v2.3 filter properties, the list criteria as terms), so a database can store them
  in columns and answer the same query as :func:`matches` does in Python.
- **Validity** of a footprint: ``validityPeriodStart``/``End`` when given, else from
  ``referencePeriodEnd`` for 3 years (v3.0, "Validity Period").
- **Pagination**: ``limit`` (a positive integer) and the cursor ``after`` (the id of the
  last footprint of the page before, in the host's stable order: oldest published first)
  that the host puts into the absolute ``Link: <…>; rel="next"`` target (RFC 8288) on
  the request's host; a footprint published between two pages appears on a later page,
  none is skipped or repeated. ``offset`` is still read (links of earlier versions).
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
from kreislauf.passport.pact_odata import AnyEq, Comparison, Condition, holds, parse_filter

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
    after: str | None = None
    odata: tuple[Condition, ...] = ()


def _moment(name: str, value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as error:
        raise PactBadRequest(field=name, value=value, expected="an ISO 8601 date-time") from error
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def _count(name: str, value: str, *, least: int) -> int:
    if not value.isdigit() or int(value) < least:
        raise PactBadRequest(field=name, value=value, expected=f"an integer ≥ {least}")
    return int(value)


def parse_query(params: Iterable[tuple[str, str]], *, version: int = 3) -> FootprintQuery:
    """The query of ListFootprints (PACT ``version`` 3 or 2) from its (repeatable) request
    parameters.

    Raises :class:`~kreislauf.errors.PactBadRequest` for a malformed value and
    :class:`~kreislauf.errors.PactNotImplemented` for ``$filter`` on v3.0 or outside the
    v2.3 subset.
    """
    lists: dict[str, list[str]] = {name: [] for name in LIST_CRITERIA}
    single: dict[str, str] = {}
    for name, value in params:
        if name == "$filter" and version != 2:
            raise PactNotImplemented(field=name, detail="OData $filter (deprecated in v3.0)")
        if name in lists:
            lists[name].append(value)
        elif name in (*DATE_CRITERIA, "status", "limit", "offset", "after", "$filter"):
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
        after=single.get("after") or None,
        odata=parse_filter(single["$filter"]) if "$filter" in single else (),
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


@dataclass(frozen=True)
class FootprintIndex:
    """The values of a v3.0 footprint that the criteria test (module docstring).

    Moments are timezone-aware UTC; ``terms`` are (criterion, value) pairs of the list
    criteria (``productId``, ``companyId``, ``geography``, ``classification``).
    """

    status: str
    validity_start: datetime
    validity_end: datetime
    created: datetime
    reference_start: datetime
    reference_end: datetime
    cpc: str | None
    geography_country: str | None
    terms: tuple[tuple[str, str], ...]

    def value(self, name: str) -> datetime | str | None:
        """The value a v2.3 ``$filter`` property is indexed as (``updated``: never set)."""
        values: dict[str, datetime | str | None] = {
            "created": self.created,
            "updated": None,
            "reference_start": self.reference_start,
            "reference_end": self.reference_end,
            "cpc": self.cpc,
            "geography_country": self.geography_country,
        }
        return values[name]


def footprint_index(footprint: dict[str, Any]) -> FootprintIndex:
    """What :func:`matches` tests of a v3.0 footprint.

    ``cpc`` is the v2.3 ``productCategoryCpc`` the converter writes: the code of the first
    ``urn:cpc:`` classification.
    """
    pcf = footprint["pcf"]
    geography = [
        pcf[name]
        for name in (
            "geographyCountry",
            "geographyRegionOrSubregion",
            "geographyCountrySubdivision",
        )
        if pcf.get(name)
    ]
    classifications = list(footprint.get("productClassifications") or [])
    cpc = [urn.split(":", 2)[2] for urn in classifications if urn.lower().startswith("urn:cpc:")]
    lists = (
        ("productId", footprint["productIds"]),
        ("companyId", footprint["companyIds"]),
        ("geography", geography),
        ("classification", classifications),
    )
    terms = {(criterion, str(v)) for criterion, values in lists for v in values}
    start, end = validity(footprint)
    return FootprintIndex(
        status=str(footprint["status"]),
        validity_start=start,
        validity_end=end,
        created=_moment("created", footprint["created"]),
        reference_start=_moment("referencePeriodStart", pcf["referencePeriodStart"]),
        reference_end=_moment("referencePeriodEnd", pcf["referencePeriodEnd"]),
        cpc=cpc[0] if cpc else None,
        geography_country=pcf.get("geographyCountry") or None,
        terms=tuple(sorted(terms)),
    )


def matches(footprint: dict[str, Any], query: FootprintQuery) -> bool:
    """Whether a v3.0 footprint meets every criterion of ``query``."""
    index = footprint_index(footprint)
    terms = set(index.terms)
    wanted = (
        ("productId", query.product_ids),
        ("companyId", query.company_ids),
        ("geography", query.geographies),
        ("classification", query.classifications),
    )
    if any(values and not {(c, v) for v in values} & terms for c, values in wanted):
        return False
    if query.status is not None and index.status != query.status:
        return False
    start, end = index.validity_start, index.validity_end
    if query.valid_on is not None and not start <= query.valid_on <= end:
        return False
    if query.valid_after is not None and not query.valid_after < start:
        return False
    if query.valid_before is not None and not query.valid_before > end:
        return False
    for condition in query.odata:
        if isinstance(condition, AnyEq) and (condition.criterion, condition.value) not in terms:
            return False
        if isinstance(condition, Comparison) and not holds(condition, index.value(condition.name)):
            return False
    return True


@dataclass(frozen=True)
class Page:
    """One page of footprints and the ``Link`` header value for the next (``None``: last)."""

    footprints: list[dict[str, Any]]
    link: str | None


def page(footprints: Sequence[dict[str, Any]], query: FootprintQuery, *, url: str) -> Page:
    """The page of the matching ``footprints`` (in the host's order) that ``query`` asks
    for; the in-memory form of what the platform's store answers in SQL.

    url : the absolute request URL (scheme and host of the request); the next link keeps its
        path and parameters and sets ``limit`` and ``after``
    """
    start = 0
    if query.after is not None:
        ids = [str(f["id"]) for f in footprints]
        if query.after not in ids:
            raise unknown_cursor(query.after)
        start = ids.index(query.after) + 1
    found = [f for f in footprints[start:] if matches(f, query)]
    size = page_size(query)
    chosen = found[query.offset : query.offset + size]
    more = query.offset + size < len(found)
    return Page(chosen, next_link(url, size=size, last=str(chosen[-1]["id"])) if more else None)


def unknown_cursor(after: str) -> PactBadRequest:
    """The error for an ``after`` that names no footprint of the caller's list."""
    return PactBadRequest(
        field="after", value=after, expected="the id of a listed footprint (from a next link)"
    )


def page_size(query: FootprintQuery) -> int:
    """How many footprints a page holds: ``limit``, at most :data:`MAX_PAGE`."""
    return min(query.limit or MAX_PAGE, MAX_PAGE)


def next_link(url: str, *, size: int, last: str) -> str:
    """The ``Link`` header value of the next page after the footprint ``last``.

    url : the absolute request URL; the target keeps its scheme, host, path and parameters
        (``offset``, ``limit`` and ``after`` replaced)
    """
    parts = urlsplit(url)
    kept = [(k, v) for k, v in _pairs(parts.query) if k not in ("offset", "limit", "after")]
    params = urlencode([*kept, ("limit", str(size)), ("after", last)])
    target = urlunsplit((parts.scheme, parts.netloc, parts.path, params, ""))
    return f'<{target}>; rel="next"'


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
