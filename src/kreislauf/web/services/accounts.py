"""Accounts: signing in a session and the client address the login rate limit counts."""

from __future__ import annotations

from fastapi import Request

from kreislauf.store.models import User
from kreislauf.web.deps import csrf_token
from kreislauf.web.sessions import sign_in


def start_session(request: Request, user: User) -> str:
    """Sign the user in: a fresh session with the user's session generation and a new CSRF
    token (returned)."""
    sign_in(request, user_id=user.id, generation=user.session_generation)
    return csrf_token(request)


def client_address(request: Request) -> str:
    """The client's address for the login rate limit (the proxy's, behind a proxy)."""
    return request.client.host if request.client else "unknown"
