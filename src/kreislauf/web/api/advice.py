"""Advice: funding per measure, the one-page summary, the self-check, the taxonomy and
rule table, and the Förderdatenbank import job."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from kreislauf.advice import RuleTable, Taxonomy, shipped_rules, taxonomy
from kreislauf.web.deps import DB, LangDep, Owner, RecordId, Viewer
from kreislauf.web.schemas.advice import CompanyIn, FundingOut, SelfCheckIn, SelfCheckOut
from kreislauf.web.schemas.jobs import JobPublic
from kreislauf.web.services.advice import (
    funding_for,
    funding_import_job,
    selfcheck_for,
    summary_pdf,
)

router = APIRouter(tags=["advice"])


@router.get("/advice/taxonomy")
def measure_taxonomy() -> Taxonomy:
    """The measure taxonomy: codes mapped to EEW modules, AGVO articles, VDI 4800 strategies."""
    return taxonomy()


@router.get("/advice/rules")
def funding_rules() -> RuleTable:
    """The shipped funding rule table, every row with its sources and check status."""
    return shipped_rules()


@router.post("/orgs/{org}/advice/funding")
def funding(access: Viewer, db: DB, lang: LangDep, company: CompanyIn) -> FundingOut:
    """Each stored measure × each programme: status, reasons, next question, estimate.

    Needs the organisation's ledger and measures file (404 otherwise).
    """
    return funding_for(db, access, company, lang)


@router.post("/orgs/{org}/advice/funding/{measure}/summary.pdf", response_class=Response)
def funding_summary_pdf(
    measure: str, access: Viewer, db: DB, lang: LangDep, company: CompanyIn
) -> Response:
    """The printable one-page funding summary of one measure (PDF)."""
    pdf = summary_pdf(funding_for(db, access, company, lang), measure, lang)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="funding-{measure[:40]}.pdf"'},
    )


@router.post("/orgs/{org}/advice/selfcheck/{questionnaire_id}")
def selfcheck(
    questionnaire_id: RecordId, access: Viewer, db: DB, lang: LangDep, body: SelfCheckIn
) -> SelfCheckOut:
    """A company's answers against the questionnaire's responses (the peer group)."""
    return selfcheck_for(db, access, questionnaire_id, dict(body.answers), lang)


@router.post("/orgs/{org}/advice/funding-import-jobs", status_code=202)
def start_funding_import(request: Request, access: Owner, db: DB, lang: LangDep) -> JobPublic:
    """Import the configured Förderdatenbank export in the background (its result: the
    changes against the previous export, JSON)."""
    return JobPublic.model_validate(funding_import_job(request, db, access, lang))
