"""Organisations, members and invitations."""

from __future__ import annotations

from fastapi import APIRouter, Response

from kreislauf.store import account as account_store
from kreislauf.web.deps import DB, CurrentUser, Owner, RecordId, Viewer
from kreislauf.web.problems import declared
from kreislauf.web.schemas.accounts import (
    InvitationCreated,
    InvitationIn,
    InvitationPublic,
    MembershipPublic,
    OrganisationIn,
    OrganisationPublic,
    RoleIn,
)

router = APIRouter(tags=["organisations"])


@router.post("/orgs", status_code=201, responses=declared(409))
def create_organisation(body: OrganisationIn, user: CurrentUser, db: DB) -> OrganisationPublic:
    """Create an organisation; the current user becomes its owner."""
    organisation = account_store.create_organisation(
        db, owner=user, slug=body.slug, name=body.name, kind=body.kind
    )
    return OrganisationPublic.model_validate(organisation)


@router.get("/orgs")
def list_organisations(user: CurrentUser, db: DB) -> list[OrganisationPublic]:
    """The organisations the current user is a member of."""
    return [
        OrganisationPublic.model_validate(m.organisation)
        for m in account_store.memberships(db, user_id=user.id)
    ]


@router.get("/orgs/{org}")
def get_organisation(access: Viewer) -> OrganisationPublic:
    """One organisation of the current user."""
    return OrganisationPublic.model_validate(access.organisation)


@router.get("/orgs/{org}/members")
def list_members(access: Viewer, db: DB) -> list[MembershipPublic]:
    """The members and their roles."""
    return [
        MembershipPublic.model_validate(m, from_attributes=True)
        for m in account_store.members(db, organisation_id=access.organisation_id)
    ]


@router.patch("/orgs/{org}/members/{member_id}")
def change_role(member_id: RecordId, body: RoleIn, access: Owner, db: DB) -> MembershipPublic:
    """Change a member's role (owners only; the last owner stays)."""
    membership = account_store.set_role(
        db, organisation_id=access.organisation_id, membership_id=member_id, role=body.role
    )
    return MembershipPublic.model_validate(membership, from_attributes=True)


@router.delete("/orgs/{org}/members/{member_id}", status_code=204)
def remove_member(member_id: RecordId, access: Owner, db: DB) -> Response:
    """Remove a member (owners only; the last owner stays)."""
    account_store.remove_member(db, organisation_id=access.organisation_id, membership_id=member_id)
    return Response(status_code=204)


@router.get("/orgs/{org}/invitations")
def list_invitations(access: Owner, db: DB) -> list[InvitationPublic]:
    """Open invitations (owners only)."""
    return [
        InvitationPublic.model_validate(i)
        for i in account_store.invitations(db, organisation_id=access.organisation_id)
    ]


@router.post("/orgs/{org}/invitations", status_code=201)
def invite(body: InvitationIn, access: Owner, db: DB) -> InvitationCreated:
    """Invite a person by a token (no e-mail is sent; pass the token on yourself)."""
    invitation, token = account_store.create_invitation(
        db,
        organisation_id=access.organisation_id,
        email=body.email,
        role=body.role,
        created_by=access.user_id,
    )
    return InvitationCreated(
        **InvitationPublic.model_validate(invitation).model_dump(), token=token
    )


@router.delete("/orgs/{org}/invitations/{invitation_id}", status_code=204)
def revoke_invitation(invitation_id: RecordId, access: Owner, db: DB) -> Response:
    """Withdraw an invitation."""
    account_store.revoke_invitation(
        db, organisation_id=access.organisation_id, invitation_id=invitation_id
    )
    return Response(status_code=204)
