"""PACT reply events without the web: where a reply goes, and the RequestFulfilled and
RequestRejected CloudEvents that answer a RequestCreated event.

A data owner that answers a request "MUST send the response back to the host system
referenced in ``source`` of the PF Request Event" and "MUST validate the value of
``source``" (PACT v3.0, "Asynchronous request and retrieval of Product Footprints"):
``source`` is ``//host/subpath`` (or an absolute ``https://`` URL); the reply goes to
``https://host/subpath/3/events`` (``/2/events`` for a v2 request). Only ``https`` is
accepted, except ``http`` for a loopback host (a local test system).

References
----------
PACT Technical Specifications v3.0 (WBCSD 2025), "Action Events": PF Response Event
(``data.requestEventId``, ``data.pfs``) and PF Response Error Event (``data.requestEventId``,
``data.error`` = an error response ``{code, message}``); the v3 types of the OpenAPI
(``org.wbcsd.pact.ProductFootprint.RequestFulfilledEvent.3``), the v2.3 types
(``org.wbcsd.pathfinder.ProductFootprintRequest.Fulfilled.v1``). CloudEvents 1.0 JSON.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from kreislauf.errors import PactSourceRefused

LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1"})
#: The CloudEvents ``type`` of a reply, by kind and PACT major version.
REPLY_TYPES = {
    ("RequestFulfilled", 3): "org.wbcsd.pact.ProductFootprint.RequestFulfilledEvent.3",
    ("RequestRejected", 3): "org.wbcsd.pact.ProductFootprint.RequestRejectedEvent.3",
    ("RequestFulfilled", 2): "org.wbcsd.pathfinder.ProductFootprintRequest.Fulfilled.v1",
    ("RequestRejected", 2): "org.wbcsd.pathfinder.ProductFootprintRequest.Rejected.v1",
}


def request_version(data: dict[str, Any]) -> int:
    """The PACT major version of a stored RequestCreated event's data (v2.3 has ``pf``)."""
    return 2 if isinstance(data.get("pf"), dict) else 3


def reply_target(source: str, version: int) -> str:
    """The events endpoint a reply to a request from ``source`` goes to (module doc).

    Raises :class:`~kreislauf.errors.PactSourceRefused` for anything but an ``https``
    address (``http`` on a loopback host) with a host name.
    """
    address = source if "://" in source else f"https:{source}" if source.startswith("//") else ""
    parts = urlsplit(address)
    host = (parts.hostname or "").lower()
    allowed = parts.scheme == "https" or (parts.scheme == "http" and host in LOOPBACK)
    if not host or not allowed or parts.query or parts.fragment or parts.username:
        raise PactSourceRefused(value=source)
    return f"{address.rstrip('/')}/{version}/events"


def _event(kind: str, version: int, source: str, data: dict[str, Any]) -> dict[str, Any]:
    return {
        "specversion": "1.0",
        "id": str(uuid.uuid4()),
        "source": source,
        "time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "type": REPLY_TYPES[(kind, version)],
        "data": data,
    }


def fulfilled(
    request_event_id: str, footprints: list[dict[str, Any]], *, version: int, source: str
) -> dict[str, Any]:
    """The RequestFulfilled event with ``footprints`` (``pfs``; may be empty)."""
    data = {"requestEventId": request_event_id, "pfs": footprints}
    return _event("RequestFulfilled", version, source, data)


def rejected(
    request_event_id: str, *, code: str, message: str, version: int, source: str
) -> dict[str, Any]:
    """The RequestRejected event with an error response ``{code, message}``."""
    data = {"requestEventId": request_event_id, "error": {"code": code, "message": message}}
    return _event("RequestRejected", version, source, data)
