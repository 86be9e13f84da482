"""Accounts: sign-up, login, logout, the current user, API tokens, accepting invitations."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from kreislauf.errors import InvalidCredentials
from kreislauf.store import account as account_store
from kreislauf.web.deps import DB, CurrentUser, RecordId, get_settings
from kreislauf.web.schemas.accounts import (
    AcceptIn,
    LoginIn,
    MembershipPublic,
    MeOut,
    SessionOut,
    SignupIn,
    TokenCreated,
    TokenIn,
    TokenPublic,
    UserPublic,
)
from kreislauf.web.services.accounts import client_address, start_session

router = APIRouter(tags=["accounts"])


@router.post("/auth/signup", status_code=201)
def signup(body: SignupIn, request: Request, db: DB) -> SessionOut:
    """Create an account and sign in."""
    user = account_store.create_user(db, email=body.email, name=body.name, password=body.password)
    token = start_session(request, user.id)
    return SessionOut(user=UserPublic.model_validate(user), csrf_token=token)


@router.post("/auth/login")
def login(body: LoginIn, request: Request, db: DB) -> SessionOut:
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
    token = start_session(request, user.id)
    return SessionOut(user=UserPublic.model_validate(user), csrf_token=token)


@router.post("/auth/logout", status_code=204)
def logout(request: Request, _user: CurrentUser) -> Response:
    """End the session."""
    request.session.clear()
    return Response(status_code=204)


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


@router.post("/invitations/accept")
def accept(body: AcceptIn, user: CurrentUser, db: DB) -> MembershipPublic:
    """Join an organisation with an invitation token."""
    membership = account_store.accept_invitation(db, token=body.token, user=user)
    db.refresh(membership)
    return MembershipPublic.model_validate(membership, from_attributes=True)
