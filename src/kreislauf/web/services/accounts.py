"""Accounts: signing in a session and the client address the login rate limit counts."""

from __future__ import annotations

from collections.abc import Sequence
from ipaddress import IPv4Address, IPv6Address, ip_address

from fastapi import Request
from pydantic import IPvAnyNetwork

from kreislauf.store.models import User
from kreislauf.web.deps import csrf_token, get_settings
from kreislauf.web.sessions import sign_in


def start_session(request: Request, user: User) -> str:
    """Sign the user in: a fresh session with the user's session generation and a new CSRF
    token (returned)."""
    sign_in(request, user_id=user.id, generation=user.session_generation)
    return csrf_token(request)


def client_address(request: Request) -> str:
    """The client's address for the login rate limit.

    The direct peer's address, unless the peer is one of the ``trusted_proxies``: then the
    right-most address of ``X-Forwarded-For`` that is not a trusted proxy itself (each
    proxy appends the address it saw, so everything left of it may be forged by the
    client). A malformed entry stops the walk: the last trusted hop's address counts.
    """
    peer = request.client.host if request.client else "unknown"
    return forwarded_client(
        peer,
        request.headers.getlist("x-forwarded-for"),
        trusted=get_settings(request).trusted_proxies,
    )


def forwarded_client(
    peer: str, forwarded: Sequence[str], *, trusted: Sequence[IPvAnyNetwork]
) -> str:
    """The client address behind ``peer`` given the ``X-Forwarded-For`` header values."""
    if not _is_trusted(_address(peer), trusted):
        return peer
    hop = peer
    for entry in reversed([part.strip() for value in forwarded for part in value.split(",")]):
        address = _address(entry)
        if address is None:
            return hop
        hop = str(address)
        if not _is_trusted(address, trusted):
            return hop
    return hop


def _address(value: str) -> IPv4Address | IPv6Address | None:
    try:
        return ip_address(value)
    except ValueError:
        return None


def _is_trusted(
    address: IPv4Address | IPv6Address | None, trusted: Sequence[IPvAnyNetwork]
) -> bool:
    return address is not None and any(address in network for network in trusted)
