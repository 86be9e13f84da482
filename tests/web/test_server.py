"""The uvicorn protocol of ``kreislauf serve`` switches Nagle's algorithm off.

With ``--workers N`` uvicorn passes a listening socket it bound itself (``proto`` 0) to the
workers, and asyncio then leaves ``TCP_NODELAY`` unset on accepted connections, which costs
every keep-alive request ~40 ms on Linux. The test serves through such a socket.
"""

from __future__ import annotations

import asyncio
import http.client
import socket
import threading
import time

import pytest
import uvicorn

from kreislauf.cli.web import NODELAY_PROTOCOL
from kreislauf.web.server import NoDelayH11Protocol, NoDelayHttpToolsProtocol


async def _app(scope: dict, receive: object, send: object) -> None:
    assert scope["type"] == "http"
    await send({"type": "http.response.start", "status": 200, "headers": []})  # type: ignore[operator]
    await send({"type": "http.response.body", "body": b"ok"})  # type: ignore[operator]


def test_serve_uses_the_httptools_protocol() -> None:
    protocol = NoDelayHttpToolsProtocol
    assert f"{protocol.__module__}:{protocol.__name__}" == NODELAY_PROTOCOL


@pytest.mark.parametrize("protocol", [NoDelayHttpToolsProtocol, NoDelayH11Protocol])
def test_accepted_connections_have_tcp_nodelay(protocol: type) -> None:
    listener = socket.socket(socket.AF_INET)  # proto 0, as uvicorn's Config.bind_socket
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    config = uvicorn.Config(_app, http=protocol, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=lambda: asyncio.run(server.serve(sockets=[listener])))
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while not server.started:
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.02)
        client = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        for _ in range(2):  # keep-alive: the same connection twice
            client.request("GET", "/")
            assert client.getresponse().read() == b"ok"
        sockets = [c.transport.get_extra_info("socket") for c in server.server_state.connections]
        assert sockets
        assert all(s.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) for s in sockets)
        client.close()
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        listener.close()
