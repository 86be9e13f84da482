"""Pages: members and roles of an organisation (change, remove), invitations (create,
withdraw) and accepting them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from kreislauf.errors import InvalidField, KreislaufError
from kreislauf.i18n import translate
from kreislauf.store import account as account_store
from kreislauf.store.models import Membership
from kreislauf.store.tenancy import get_scoped
from kreislauf.web.deps import DB, CurrentUser, LangDep, Owner, RecordId, Viewer
from kreislauf.web.templating import render

router = APIRouter()


def _page(
    request: Request, access: Viewer, db: DB, lang: LangDep, *, status: int = 200, **extra: object
) -> Response:
    context: dict[str, object] = {
        "access": access,
        "members": account_store.members(db, organisation_id=access.organisation_id),
        "invitations": account_store.invitations(db, organisation_id=access.organisation_id)
        if access.allows("owner")
        else [],
        "created": None,
        "error": None,
        "removing": None,
        "revoked": request.query_params.get("revoked") == "1",
    }
    return render(request, "members.html", lang, status_code=status, **(context | extra))


@router.get("/orgs/{org}/members")
def members_page(request: Request, access: Viewer, db: DB, lang: LangDep) -> Response:
    return _page(request, access, db, lang)


@router.post("/orgs/{org}/members/invite")
def invite(
    request: Request,
    access: Owner,
    db: DB,
    lang: LangDep,
    email: Annotated[str, Form()],
    role: Annotated[str, Form()] = "viewer",
) -> Response:
    try:
        _, token = account_store.create_invitation(
            db,
            organisation_id=access.organisation_id,
            email=email,
            role=role,
            created_by=access.user_id,
        )
    except KreislaufError as error:
        db.rollback()
        return _page(request, access, db, lang, status=error.http_status, error=error.message(lang))
    return _page(request, access, db, lang, created=f"/invite/{token}")


@router.post("/orgs/{org}/members/{member_id}/role")
def change_role(
    member_id: RecordId,
    request: Request,
    access: Owner,
    db: DB,
    lang: LangDep,
    role: Annotated[str, Form()],
) -> Response:
    try:
        account_store.set_role(
            db, organisation_id=access.organisation_id, membership_id=member_id, role=role
        )
    except KreislaufError as error:
        db.rollback()
        message = _last_owner(error, lang, yourself=False) or error.message(lang)
        return _page(request, access, db, lang, status=error.http_status, error=message)
    return RedirectResponse(f"/orgs/{access.organisation.slug}/members", status_code=303)


def _membership(db: DB, access: Owner, member_id: int) -> Membership:
    return get_scoped(db, Membership, member_id, organisation_id=access.organisation_id)


@router.get("/orgs/{org}/members/{member_id}/remove")
def confirm_removal(
    member_id: RecordId, request: Request, access: Owner, db: DB, lang: LangDep
) -> Response:
    """Asks the owner to confirm (removing oneself means losing access)."""
    return _page(request, access, db, lang, removing=_membership(db, access, member_id))


@router.post("/orgs/{org}/members/{member_id}/remove")
def remove_member(
    member_id: RecordId, request: Request, access: Owner, db: DB, lang: LangDep
) -> Response:
    """Remove a member; the last owner stays. An owner who removed themselves goes to /orgs."""
    membership = _membership(db, access, member_id)
    yourself = membership.user_id == access.user_id
    try:
        account_store.remove_member(
            db, organisation_id=access.organisation_id, membership_id=member_id
        )
    except KreislaufError as error:
        db.rollback()
        message = _last_owner(error, lang, yourself=yourself) or error.message(lang)
        return _page(request, access, db, lang, status=error.http_status, error=message)
    target = "/orgs" if yourself else f"/orgs/{access.organisation.slug}/members"
    return RedirectResponse(target, status_code=303)


def _last_owner(error: KreislaufError, lang: LangDep, *, yourself: bool) -> str | None:
    """The page's wording for the store's "keep an owner" refusal (else None)."""
    if isinstance(error, InvalidField) and error.params.get("value") == "owner":
        key = "web.members.last_owner_self" if yourself else "web.members.last_owner"
        return translate(key, lang)
    return None


@router.post("/orgs/{org}/invitations/{invitation_id}/revoke")
def revoke_invitation(invitation_id: RecordId, access: Owner, db: DB) -> Response:
    """Withdraw an open invitation: its link stops working."""
    account_store.revoke_invitation(
        db, organisation_id=access.organisation_id, invitation_id=invitation_id
    )
    return RedirectResponse(f"/orgs/{access.organisation.slug}/members?revoked=1", status_code=303)


@router.get("/invite/{token}")
def invitation_page(token: str, request: Request, user: CurrentUser, lang: LangDep) -> Response:
    """Asks the signed-in user to accept (the token alone reveals nothing)."""
    return render(request, "invite.html", lang, token=token, user=user)


@router.post("/invite/{token}")
def accept_invitation(token: str, user: CurrentUser, db: DB) -> Response:
    membership = account_store.accept_invitation(db, token=token, user=user)
    db.refresh(membership)
    return RedirectResponse(f"/orgs/{membership.organisation.slug}", status_code=303)
