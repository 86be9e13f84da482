"""Session cookies that can be ended: generation, idle and absolute timeout, ``Secure``.

The session cookie is signed (Starlette's :class:`SessionMiddleware`) and holds

``uid``
    the user's id;
``gen``
    the user's ``session_generation`` at sign-in. Every request compares it with the
    database (joined into the one authorisation query,
    :func:`kreislauf.store.account.access_of`); logout and a password change raise the
    generation, so every older cookie of the user stops working at once;
``iat``, ``seen``
    sign-in time and last use [s since the epoch], for the absolute timeout
    (``session_max_age_s``) and the idle timeout (``session_idle_s``). ``seen`` is renewed
    at most every :func:`seen_interval` seconds, so that most responses send no new cookie;
``csrf``
    the CSRF token (:func:`kreislauf.web.deps.csrf_token`).

A cookie signed before this scheme (without ``gen``) is treated as signed out.
"""

from __future__ import annotations

import time
from typing import Literal

from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from kreislauf.settings import Settings

#: The name of the session cookie.
COOKIE = "kreislauf_session"


def now() -> float:
    """The current time [s since the epoch]; tests replace it to move the clock."""
    return time.time()


def seen_interval(settings: Settings) -> float:
    """How long a request's ``seen`` stamp stays unrenewed [s]: a tenth of the idle timeout,
    at most a minute (the idle timeout is exact to this much)."""
    return min(60.0, settings.session_idle_s / 10)


def sign_in(request: Request, *, user_id: int, generation: int) -> None:
    """A fresh session (no data of an earlier one survives) for the user."""
    stamp = int(now())
    request.session.clear()
    request.session.update({"uid": user_id, "gen": generation, "iat": stamp, "seen": stamp})


def session_claims(request: Request, settings: Settings) -> tuple[int, int] | None:
    """``(user id, generation)`` of a live session cookie, or None.

    A cookie past its idle or absolute timeout, or without generation, is cleared (the
    response deletes it). A live one gets its ``seen`` stamp renewed when it is older than
    :func:`seen_interval`.
    """
    session = request.session
    if "uid" not in session:
        return None
    try:
        user_id, generation = int(session["uid"]), int(session["gen"])
        issued, seen = float(session["iat"]), float(session["seen"])
    except (KeyError, TypeError, ValueError):
        session.clear()
        return None
    moment = now()
    if moment - issued >= settings.session_max_age_s or moment - seen >= settings.session_idle_s:
        session.clear()
        return None
    if moment - seen >= seen_interval(settings):
        session["seen"] = int(moment)
    return user_id, generation


class SessionCookies:
    """Starlette's session middleware, with the ``Secure`` flag on every HTTPS response.

    ``always_secure`` (the setting ``cookie_secure``) marks the cookie ``Secure`` on plain
    HTTP too: behind a proxy that terminates TLS and does not forward the scheme.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        secret_key: str,
        max_age: int,
        same_site: Literal["lax", "strict", "none"] = "lax",
        always_secure: bool = False,
    ) -> None:
        def middleware(secure: bool) -> SessionMiddleware:
            return SessionMiddleware(
                app,
                secret_key=secret_key,
                session_cookie=COOKIE,
                max_age=max_age,
                same_site=same_site,
                https_only=secure,
            )

        self._plain = middleware(always_secure)
        self._secure = middleware(True)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        secure = scope.get("scheme") in ("https", "wss")
        await (self._secure if secure else self._plain)(scope, receive, send)
