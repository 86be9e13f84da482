"""The company dashboard: the ledger's KPIs and MFCA with the GHG balance and measures.

The ledger part comes from :mod:`kreislauf.web.services.ledger`, the carbon part from
:mod:`kreislauf.web.services.carbon`; both are cached there. The dashboard API's JSON body
is cached here as bytes, per organisation stamp and language, so a cached dashboard costs
no validation and no query of its own. Numbers are rounded in the JSON only (the rule of
:mod:`kreislauf.results`); the page renders the same numbers (:func:`full_dashboard`).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from kreislauf.i18n import Lang
from kreislauf.store.account import Access
from kreislauf.store.stamp import Stamp
from kreislauf.web.cache import SingleFlightLRU, database_key
from kreislauf.web.schemas.common import json_view
from kreislauf.web.schemas.ledger import DashboardOut
from kreislauf.web.services import carbon as carbon_service
from kreislauf.web.services import ledger as ledger_service

# The dashboard API's JSON bodies, keyed by database, organisation, whole stamp, language.
_JSON: SingleFlightLRU[bytes] = SingleFlightLRU(64)


def full_dashboard(
    session: Session, *, organisation_id: int, lang: Lang, stamp: Stamp | None = None
) -> DashboardOut:
    """The dashboard as the page shows it: the numbers of its JSON (:func:`json_view`)."""
    return json_view(_dashboard(session, organisation_id=organisation_id, lang=lang, stamp=stamp))


def _dashboard(
    session: Session, *, organisation_id: int, lang: Lang, stamp: Stamp | None
) -> DashboardOut:
    """The dashboard with the GHG balance and measures (problems localized to ``lang``)."""
    result = ledger_service.computed(session, organisation_id=organisation_id, stamp=stamp)
    if result is None:
        return ledger_service.empty_dashboard()
    carbon = carbon_service.carbon_of(session, result, organisation_id=organisation_id, stamp=stamp)
    problem = carbon_service.problem
    return result.dashboard.model_copy(
        update={
            "ghg": carbon_service.ghg_out(carbon),
            "ghg_problem": problem(carbon.balance_error, lang) if carbon.balance_error else None,
            "measures": carbon_service.measures_out(carbon),
            "measures_problem": (
                problem(carbon.measures_error, lang) if carbon.measures_error else None
            ),
        }
    )


def dashboard_json(session: Session, access: Access, lang: Lang) -> bytes:
    """:func:`full_dashboard` as JSON, cached per process by the organisation's stamp.

    With the stamp read by the access query, a cached dashboard costs no query of its own.
    """
    organisation_id, stamp = access.organisation_id, access.stamp

    def compute() -> bytes:
        board = _dashboard(session, organisation_id=organisation_id, lang=lang, stamp=stamp)
        return board.model_dump_json().encode()

    return _JSON.get((database_key(session), organisation_id, stamp, lang), compute)
