"""The company profile of the funding finder: one row per organisation
(:class:`~kreislauf.store.models.AdviceCompanyProfile`), with who saved it and when.

Values are validated by the web schema ``CompanyIn`` (which holds the domain's
``MeasureFacts``) before they are written; the tenant filter is
:func:`kreislauf.store.tenancy.scoped`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from kreislauf.store.base import utcnow
from kreislauf.store.engine import lock_key
from kreislauf.store.models import AdviceCompanyProfile
from kreislauf.store.tenancy import scoped

__all__ = ["PROFILE_FIELDS", "company_profile", "save_company_profile"]

#: The company fields kept in their own columns (units as in docs/advice.md#company-file).
PROFILE_FIELDS = (
    "employees",
    "turnover_eur",
    "balance_sheet_eur",
    "state",
    "nace",
    "de_minimis_received_eur",
    "energy_network_member",
)


def company_profile(session: Session, *, organisation_id: int) -> AdviceCompanyProfile | None:
    """The organisation's stored profile, or None before the first save."""
    statement = scoped(AdviceCompanyProfile, organisation_id)
    return session.scalars(statement).first()


def save_company_profile(
    session: Session,
    *,
    organisation_id: int,
    values: Mapping[str, Any],
    facts: Mapping[str, Mapping[str, Any]],
    user_id: int,
) -> AdviceCompanyProfile:
    """Store ``values`` (the fields of :data:`PROFILE_FIELDS`; a field left out is stored
    as unknown) and the per-measure ``facts``, replacing what was stored before.

    Two saves of a first profile at once end as one row: the organisation's key is locked
    before the look-up (:func:`kreislauf.store.engine.lock_key`).
    """
    lock_key(session, f"advice_company_profile:{organisation_id}")
    profile = company_profile(session, organisation_id=organisation_id)
    if profile is None:
        profile = AdviceCompanyProfile(organisation_id=organisation_id)
        session.add(profile)
    for name in PROFILE_FIELDS:
        setattr(profile, name, values.get(name))
    profile.facts = {measure: dict(values_) for measure, values_ in facts.items()}
    profile.updated_by = user_id
    profile.updated_at = utcnow()
    session.flush()
    return profile
