"""Cost of the security headers: :class:`kreislauf.web.security.SecurityHeaders` per request.

The middleware runs on every response, the dashboard API included (docs/web.md,
"Performance"), so its cost is measured on its own: an ASGI app that answers a small JSON
response is called ``--requests`` times in one event loop, bare and wrapped; the difference
per request is the middleware's cost. Best of ``--rounds`` rounds. Figures in docs/web.md
("Headers").

Run: ``python benchmarks/web_headers.py [--requests 200000] [--rounds 3]``
"""

from __future__ import annotations

import argparse
import asyncio
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kreislauf.web.security import SecurityHeaders

SCOPE: Scope = {"type": "http", "path": "/api/v1/orgs/demo-gmbh/dashboard", "scheme": "http"}


async def answer(scope: Scope, receive: Receive, send: Send) -> None:
    headers = [(b"content-type", b"application/json"), (b"content-length", b"2")]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": b"{}"})


async def _receive() -> Message:
    return {"type": "http.request"}


async def _send(message: Message) -> None:
    return None


async def seconds_per_request(app: ASGIApp, requests: int) -> float:
    start = time.perf_counter()
    for _ in range(requests):
        await app(dict(SCOPE), _receive, _send)
    return (time.perf_counter() - start) / requests


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    wrapped = SecurityHeaders(answer)
    bare = min(asyncio.run(seconds_per_request(answer, args.requests)) for _ in range(args.rounds))
    secured = min(
        asyncio.run(seconds_per_request(wrapped, args.requests)) for _ in range(args.rounds)
    )
    print(f"bare app:             {bare * 1e6:6.2f} µs per request")
    print(f"with SecurityHeaders: {secured * 1e6:6.2f} µs per request")
    print(f"cost of the headers:  {(secured - bare) * 1e6:6.2f} µs per request")


if __name__ == "__main__":
    main()
