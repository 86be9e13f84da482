"""Accounts: sign-up, login, logout, the current user, API tokens, accepting invitations."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from kreislauf.errors import InvalidCredentials
from kreislauf.store import account as account_store
from kreislauf.web.deps import DB, CurrentUser, RecordId, SameOrigin, get_settings
from kreislauf.web.problems import declared
from kreislauf.web.schemas.accounts import (
    AcceptIn,
    LoginIn,
    MembershipPublic,
    MeOut,
    PasswordIn,
    SessionOut,
    SignupIn,
    TokenCreated,
    TokenIn,
    TokenPublic,
    UserPublic,
)
from kreislauf.web.services.accounts import client_address, start_session

router = APIRouter(tags=["accounts"])


@router.post("/auth/signup", status_code=201, responses=declared(409))
def signup(body: SignupIn, request: Request, db: DB, _origin: SameOrigin) -> SessionOut:
    """Create an account and sign in."""
    user = account_store.create_user(db, email=body.email, name=body.name, password=body.password)
    token = start_session(request, user)
    return SessionOut(user=UserPublic.model_validate(user), csrf_token=token)


@router.post("/auth/login", responses=declared(401, 429))
def login(body: LoginIn, request: Request, db: DB, _origin: SameOrigin) -> SessionOut:
    """Sign in with e-mail and password (rate-limited per account and address)."""
    settings = get_settings(request)
    try:
        user = account_store.authenticate(
            db,
            email=body.email,
            password=body.password,
            client=client_address(request),
            max_failures=settings.login_max_failures,
            window_s=settings.login_window_s,
        )
    except InvalidCredentials:
        db.commit()  # keep the failed attempt: the rate limit counts it
        raise
    token = start_session(request, user)
    return SessionOut(user=UserPublic.model_validate(user), csrf_token=token)


@router.post("/auth/logout", status_code=204)
def logout(request: Request, user: CurrentUser, db: DB) -> Response:
    """End the session, and with it every other session of the user (the cookie stops
    working at once, wherever a copy of it is)."""
    account_store.end_sessions(db, user=user)
    request.session.clear()
    return Response(status_code=204)


@router.post("/me/password")
def change_password(body: PasswordIn, request: Request, user: CurrentUser, db: DB) -> SessionOut:
    """Set a new password; every other session of the user ends, this one goes on (with a
    new CSRF token)."""
    account_store.change_password(db, user=user, current=body.current_password, new=body.password)
    token = start_session(request, user)
    return SessionOut(user=UserPublic.model_validate(user), csrf_token=token)


@router.get("/me")
def me(user: CurrentUser, db: DB) -> MeOut:
    """The current user and their organisations with roles."""
    items = [
        MembershipPublic.model_validate(m, from_attributes=True)
        for m in account_store.memberships(db, user_id=user.id)
    ]
    return MeOut(user=UserPublic.model_validate(user), memberships=items)


@router.get("/me/tokens")
def list_tokens(user: CurrentUser, db: DB) -> list[TokenPublic]:
    """The current user's API tokens (without the secret)."""
    return [TokenPublic.model_validate(t) for t in account_store.api_tokens(db, user_id=user.id)]


@router.post("/me/tokens", status_code=201)
def create_token(body: TokenIn, user: CurrentUser, db: DB) -> TokenCreated:
    """A new API token; the token is shown only in this response."""
    record, token = account_store.create_api_token(db, user_id=user.id, name=body.name)
    return TokenCreated(**TokenPublic.model_validate(record).model_dump(), token=token)


@router.delete("/me/tokens/{token_id}", status_code=204)
def revoke_token(token_id: RecordId, user: CurrentUser, db: DB) -> Response:
    """Revoke one of the current user's tokens."""
    account_store.revoke_api_token(db, user_id=user.id, token_id=token_id)
    return Response(status_code=204)


@router.post("/invitations/accept", responses=declared(404))
def accept(body: AcceptIn, user: CurrentUser, db: DB) -> MembershipPublic:
    """Join an organisation with an invitation token."""
    membership = account_store.accept_invitation(db, token=body.token, user=user)
    db.refresh(membership)
    return MembershipPublic.model_validate(membership, from_attributes=True)
