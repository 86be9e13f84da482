"""Accounts: signing in a session and the client address the login rate limit counts."""

from __future__ import annotations

from fastapi import Request

from kreislauf.web.deps import csrf_token


def start_session(request: Request, user_id: int) -> str:
    """Sign the user in: a fresh session (new CSRF token) that holds only the user id."""
    request.session.clear()
    request.session["uid"] = user_id
    return csrf_token(request)


def client_address(request: Request) -> str:
    """The client's address for the login rate limit (the proxy's, behind a proxy)."""
    return request.client.host if request.client else "unknown"
