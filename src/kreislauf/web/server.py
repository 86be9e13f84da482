"""uvicorn's HTTP/1.1 protocols with Nagle's algorithm switched off on every connection.

``uvicorn --workers N`` (N > 1) binds the listening socket itself with ``proto`` 0, so
asyncio does not set ``TCP_NODELAY`` on accepted connections (uvicorn issue #3149). On
Linux every keep-alive request after the first then waits for the client's delayed ACK,
about 40 ms: a static file took 44 ms instead of under 2 ms. These protocols set the option
themselves; :func:`kreislauf.cli.web.run_server` selects :class:`NoDelayHttpToolsProtocol`
(the C parser ``httptools``, about half the CPU per request of the pure-Python ``h11``).
"""

from __future__ import annotations

import asyncio
import contextlib
import socket

from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol


def set_nodelay(transport: asyncio.BaseTransport) -> None:
    """Switch Nagle's algorithm off on the transport's TCP socket (others are left alone)."""
    sock = transport.get_extra_info("socket")
    if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
        with contextlib.suppress(OSError):  # the connection may already be gone
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class NoDelayH11Protocol(H11Protocol):
    """:class:`~uvicorn.protocols.http.h11_impl.H11Protocol` with ``TCP_NODELAY`` set."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        set_nodelay(transport)
        super().connection_made(transport)


class NoDelayHttpToolsProtocol(HttpToolsProtocol):
    """:class:`~uvicorn.protocols.http.httptools_impl.HttpToolsProtocol` with ``TCP_NODELAY``."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        set_nodelay(transport)
        super().connection_made(transport)
