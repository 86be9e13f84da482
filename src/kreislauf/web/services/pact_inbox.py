"""The owner's side of the PACT host: client credentials, credentials at requesters'
hosts, the request inbox, and the delivery of RequestFulfilled/RequestRejected events.

Fulfilling or rejecting a RequestCreated event stores the reply event
(:mod:`kreislauf.passport.pact_events`) and queues the job ``pact_reply``
(:mod:`kreislauf.web.jobs`), which authenticates at the requester's host with the
credentials the owner keeps for it (PACT "Action Authenticate", client credentials) and
POSTs the event to its ``/3/events`` endpoint. A failed delivery is recorded on the reply
(the reason, the attempts) and the job raises :class:`PactEventNotDelivered`.

PACT v3.0 ("Action Events"): a host SHOULD retry a failed delivery with an exponential
back-off for up to 3 days. On PostgreSQL the queue does that with procrastinate's
``RetryStrategy`` (:data:`REPLY_RETRY`: waits of 3¹, 3², … 3¹¹ s, 11 retries, the last
one 3.07 days after the first attempt); meanwhile the reply is ``retrying`` with the time
of the next attempt. After the last attempt (and at once on SQLite, which has no queue)
it is ``failed``. The inbox page shows attempts and state; "Send again" queues a new
delivery at once (a scheduled retry is cancelled first).
"""

from __future__ import annotations

import base64
import json
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.error import HTTPError, URLError

import procrastinate
from fastapi import Request
from sqlalchemy.orm import Session

from kreislauf.errors import InvalidField, PactEventNotDelivered
from kreislauf.passport import Tier, disclose
from kreislauf.passport.pact import from_pact_v3, to_pact_v2
from kreislauf.passport.pact_events import (
    fulfilled,
    rejected,
    reply_target,
    request_version,
)
from kreislauf.passport.pact_host import PactEvent, event_query, matches
from kreislauf.store import job as job_store
from kreislauf.store import passport as passport_store
from kreislauf.store import passport_web as store
from kreislauf.store.account import Access
from kreislauf.store.models import Job, PactPeer
from kreislauf.web.jobs import JobContext, JobResult, cancel_job, create_job, register, submit

REPLY_JOB = "pact_reply"
#: Automatic retries of an undelivered reply (module docstring): before retry n (1–11)
#: the queue waits 3ⁿ s; 3 + 9 + … + 177,147 s = 265,719 s = 3.07 days in all.
REPLY_RETRY = procrastinate.RetryStrategy(
    max_attempts=11, exponential_wait=3, retry_exceptions=[PactEventNotDelivered]
)
#: Time allowed for each HTTP call to a requester's host [s].
HTTP_TIMEOUT_S = 15
#: Most of a requester's answer kept in the reply's error [characters].
ANSWER_EXCERPT = 300


@dataclass(frozen=True)
class InboxRow:
    """A received event and the reply to it, for the inbox page."""

    id: int
    kind: str
    event_id: str
    source: str
    received: str
    criteria: str
    comment: str
    reply_kind: str | None
    reply_state: str | None
    reply_target: str | None
    reply_error: str | None
    reply_attempts: int
    reply_next: str | None
    footprints: int | None


def _criteria(data: dict[str, Any]) -> str:
    if isinstance(data.get("pf"), dict):
        data = data["pf"]
    parts = []
    for name, value in data.items():
        if name == "comment":
            continue
        shown = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
        parts.append(f"{name}: {shown}")
    return "; ".join(parts)[:500]


def inbox(session: Session, access: Access) -> list[InboxRow]:
    """The organisation's received events, newest first, with their replies."""
    organisation_id = access.organisation_id
    answered = store.replies(session, organisation_id=organisation_id)
    rows = []
    for request in passport_store.pact_requests(session, organisation_id=organisation_id):
        reply = answered.get(request.id)
        pfs = None if reply is None else reply.event.get("data", {}).get("pfs")
        rows.append(
            InboxRow(
                request.id,
                request.kind,
                request.event_id,
                request.source,
                request.created_at.strftime("%Y-%m-%d %H:%M"),
                _criteria(request.data),
                str(request.data.get("comment") or "")[:500],
                None if reply is None else reply.kind,
                None if reply is None else reply.state,
                None if reply is None else reply.target,
                None if reply is None else reply.last_error,
                0 if reply is None else reply.attempts,
                _when(None if reply is None else reply.next_attempt_at),
                len(pfs) if isinstance(pfs, list) else None,
            )
        )
    return rows


def _when(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)  # SQLite: naive UTC
    return aware.strftime("%Y-%m-%d %H:%M:%S UTC")


@dataclass(frozen=True)
class ClientRow:
    """A PACT client of the organisation (the secret is never shown again)."""

    id: int
    name: str
    client_id: str
    created: str


def clients(session: Session, access: Access) -> list[ClientRow]:
    """The organisation's PACT client credentials."""
    return [
        ClientRow(c.id, c.name, c.client_id, c.created_at.strftime("%Y-%m-%d %H:%M"))
        for c in store.pact_clients(session, organisation_id=access.organisation_id)
    ]


def create_client(session: Session, access: Access, name: str) -> dict[str, str]:
    """New client credentials; the secret is returned once."""
    if not name.strip():
        raise InvalidField(field="name", value=name, expected="the customer's name")
    client, secret = passport_store.create_pact_client(
        session, organisation_id=access.organisation_id, name=name
    )
    return {"client_id": client.client_id, "client_secret": secret}


def revoke_client(session: Session, access: Access, record_id: int) -> None:
    """Revoke a client's credentials."""
    store.revoke_pact_client(session, organisation_id=access.organisation_id, record_id=record_id)


@dataclass(frozen=True)
class PeerRow:
    """Credentials at a requester's host (the secret is not shown)."""

    id: int
    base_url: str
    client_id: str


def peers(session: Session, access: Access) -> list[PeerRow]:
    """The organisation's credentials at requesters' hosts."""
    return [
        PeerRow(p.id, p.base_url, p.client_id)
        for p in store.peers(session, organisation_id=access.organisation_id)
    ]


def add_peer(
    session: Session, access: Access, *, base_url: str, client_id: str, client_secret: str
) -> None:
    """Keep credentials for a requester's host (its PACT base URL is checked as a reply
    target would be)."""
    base = base_url.strip().rstrip("/")
    reply_target(base, 3)  # raises PactSourceRefused for a refused address
    if not client_id.strip() or not client_secret:
        raise InvalidField(field="client_id", value=client_id, expected="client id and secret")
    store.add_peer(
        session,
        organisation_id=access.organisation_id,
        base_url=base,
        client_id=client_id.strip()[:200],
        client_secret=client_secret[:400],
    )


def remove_peer(session: Session, access: Access, record_id: int) -> None:
    """Forget credentials for a requester's host."""
    store.remove_peer(session, organisation_id=access.organisation_id, record_id=record_id)


def _own_source(request: Request) -> str:
    """This host's PACT base as a CloudEvents source, ``//host/pact``."""
    return f"//{request.url.netloc}/pact"


def answer(
    request: Request,
    session: Session,
    access: Access,
    record_id: int,
    *,
    decision: str,
    message: str = "",
) -> Job:
    """Fulfil (the organisation's footprints that match the request's criteria) or reject
    a RequestCreated event, and queue the delivery of the reply."""
    organisation_id = access.organisation_id
    received = store.pact_request(session, organisation_id=organisation_id, record_id=record_id)
    if decision not in ("fulfil", "reject"):
        raise InvalidField(field="decision", value=decision, expected="fulfil, reject or retry")
    if received.kind != "RequestCreated":
        raise InvalidField(field="kind", value=received.kind, expected="a RequestCreated event")
    version = request_version(received.data)
    target = reply_target(received.source, version)
    source = _own_source(request)
    if decision == "fulfil":
        event = PactEvent(
            "RequestCreated", version, received.event_id, received.source, received.data
        )
        query = event_query(event)
        stored = passport_store.published_footprints(session, organisation_id=organisation_id)
        found = [d for d in stored if matches(d, query)]
        if version == 2:
            found = [to_pact_v2(disclose(from_pact_v3(d), Tier.legitimate_interest)) for d in found]
        reply_event = fulfilled(received.event_id, found, version=version, source=source)
        kind = "RequestFulfilled"
        if received.client_id is not None:
            from kreislauf.web.services.passport_platform import log_pact_access

            log_pact_access(
                session,
                organisation_id=organisation_id,
                client_id=received.client_id,
                footprint_ids=[str(d["id"]) for d in stored if matches(d, query)],
                form=f"pact-v{version}-event",
            )
    else:
        code, text = _rejection(session, organisation_id, received, version, message)
        reply_event = rejected(
            received.event_id, code=code, message=text, version=version, source=source
        )
        kind = "RequestRejected"
    reply = store.add_reply(
        session,
        organisation_id=organisation_id,
        request_id=received.id,
        kind=kind,
        target=target,
        event=reply_event,
    )
    received.state = "answered"
    return _queue(request, session, organisation_id, reply.id)


def _rejection(
    session: Session, organisation_id: int, received: Any, version: int, message: str
) -> tuple[str, str]:
    """The error code and message of a rejection: ``NotFound`` (v2: ``NoSuchFootprint``)
    when no published footprint meets the request's criteria (the conformance tool's
    case 14.B), else ``AccessDenied`` with the owner's reason."""
    event = PactEvent("RequestCreated", version, received.event_id, received.source, received.data)
    query = event_query(event)
    stored = passport_store.published_footprints(session, organisation_id=organisation_id)
    reason = message.strip()[:1000]
    if not any(matches(d, query) for d in stored):
        code = "NotFound" if version == 3 else "NoSuchFootprint"
        return code, reason or "The requested footprint could not be found."
    return "AccessDenied", reason or "The request was declined by the data owner."


def retry(request: Request, session: Session, access: Access, record_id: int) -> Job:
    """Send the reply to a request again (after a failed delivery)."""
    reply = store.reply_for_request(
        session, organisation_id=access.organisation_id, request_id=record_id
    )
    if reply.state == "delivered":
        raise InvalidField(field="state", value=reply.state, expected="a reply not yet delivered")
    scheduled = job_store.queued_twin(
        session,
        organisation_id=access.organisation_id,
        kind=REPLY_JOB,
        digest=job_store.inputs_digest(REPLY_JOB, {"reply_id": reply.id}, []),
        other_than=0,
    )
    if scheduled is not None:  # an automatic retry waits: send now instead
        cancel_job(request.app.state.runner, session, scheduled, by="Send again")
        reply = store.reply_for_request(
            session, organisation_id=access.organisation_id, request_id=record_id
        )
    reply.state = "pending"
    reply.next_attempt_at = None
    return _queue(request, session, access.organisation_id, reply.id)


def _queue(request: Request, session: Session, organisation_id: int, reply_id: int) -> Job:
    job = create_job(
        session, organisation_id=organisation_id, kind=REPLY_JOB, params={"reply_id": reply_id}
    )
    return submit(request, session, job)


def _post(url: str, body: bytes, headers: dict[str, str]) -> bytes:
    """POST ``body``; the answer's body, or ``RuntimeError`` saying what went wrong."""
    call = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(call, timeout=HTTP_TIMEOUT_S) as response:
            return bytes(response.read(64 * 1024))
    except HTTPError as error:
        text = error.read(ANSWER_EXCERPT).decode("utf-8", "replace")
        raise RuntimeError(f"HTTP {error.code} from {url}: {text}") from error
    except (URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        raise RuntimeError(f"{url}: {reason}") from error


def _token(peer: PactPeer) -> str:
    """An access token from the requester's host (client credentials, HTTP Basic)."""
    basic = base64.b64encode(f"{peer.client_id}:{peer.client_secret}".encode()).decode()
    answer = _post(
        f"{peer.base_url}/auth/token",
        b"grant_type=client_credentials",
        {
            "Authorization": f"Basic {basic}",
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/json",
        },
    )
    try:
        token = json.loads(answer)["access_token"]
    except (ValueError, KeyError, TypeError) as error:
        raise RuntimeError(f"{peer.base_url}/auth/token: no access_token in the answer") from error
    return str(token)


def deliver(target: str, event: dict[str, Any], peer: PactPeer | None) -> None:
    """POST ``event`` to ``target`` (with a bearer token when a peer's credentials fit)."""
    headers = {"Content-Type": "application/cloudevents+json; charset=UTF-8"}
    if peer is not None:
        headers["Authorization"] = f"Bearer {_token(peer)}"
    _post(target, json.dumps(event).encode("utf-8"), headers)


def _peer_for(target: str, candidates: list[PactPeer]) -> PactPeer | None:
    fitting = [p for p in candidates if target.startswith(p.base_url.rstrip("/") + "/")]
    return max(fitting, key=lambda p: len(p.base_url), default=None)


@register(REPLY_JOB, time_limit_s=120, retry=REPLY_RETRY)
def reply_job(job: JobContext) -> JobResult:
    """Deliver one stored reply event; record the outcome on the reply (a failure with
    the time of the queue's next attempt, if one follows)."""
    reply_id = int(job.params["reply_id"])
    with job.sessions.begin() as session:
        reply = store.reply(session, organisation_id=job.organisation_id, record_id=reply_id)
        target, event = reply.target, dict(reply.event)
        peer = _peer_for(target, store.peers(session, organisation_id=job.organisation_id))
        if peer is not None:
            session.expunge(peer)
    error: str | None = None
    try:
        deliver(target, event, peer)
    except RuntimeError as refused:
        error = str(refused)
        if peer is None:
            error += " (no credentials kept for this host: add them on the PACT page)"
    failure = None if error is None else PactEventNotDelivered(target=target, reason=error)
    with job.sessions.begin() as session:
        reply = store.reply(session, organisation_id=job.organisation_id, record_id=reply_id)
        next_attempt = None if failure is None else job.retry_at(failure)
        store.record_delivery(session, reply, error=error, next_attempt=next_attempt)
    if failure is not None:
        raise failure
    receipt = {"target": target, "event_id": event["id"], "type": event["type"]}
    return JobResult("delivery.json", "application/json", json.dumps(receipt).encode())
