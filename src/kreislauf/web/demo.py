"""``kreislauf demo``: a database with a demo network, a demo company and the Leipzig survey.

The demo company also gets the demo's carbon inputs (factor files, activities, measures)
and its bill of materials, so its dashboard shows a GHG balance and ranked measures and
its product footprints page the PCF of two products. Idempotent: running it again on the
same database adds nothing (a demo database made before carbon inputs or BOMs existed gets
them once). The example files come
from the package (wheel: ``kreislauf/_examples``) or, in a source checkout, ``examples/``.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from kreislauf.store import account as account_store
from kreislauf.store import carbon as carbon_store
from kreislauf.store import ledger as ledger_store
from kreislauf.store import make_engine, make_sessionmaker, upgrade
from kreislauf.store import survey as survey_store
from kreislauf.store.models import Organisation, User
from kreislauf.survey.readers import read_responses

DEMO_EMAIL = "demo@kreislauf.example"
DEMO_PASSWORD = "kreislauf-demo"
NETWORK = "demo-netzwerk"
COMPANY = "demo-gmbh"


def examples_dir() -> Path:
    """The folder with ``demo-company/`` and ``leipzig-survey/``."""
    packaged = Path(str(resources.files("kreislauf"))) / "_examples"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "examples"


def create_demo(url: str) -> None:
    """Migrate ``url`` and fill it with the demo data (once)."""
    upgrade(url)
    examples = examples_dir()
    engine = make_engine(url)
    try:
        with make_sessionmaker(engine)() as session, session.begin():
            user = session.scalars(select(User).where(User.email == DEMO_EMAIL)).first()
            if user is not None:
                company = session.scalars(
                    select(Organisation).where(Organisation.slug == COMPANY)
                ).first()
                if company is not None:
                    _add_carbon_inputs(session, company.id, user.id, examples)
                    _add_bom(session, company.id, user.id, examples)
                return
            user = account_store.create_user(
                session, email=DEMO_EMAIL, name="Demo", password=DEMO_PASSWORD
            )
            network = account_store.create_organisation(
                session, owner=user, slug=NETWORK, name="Demo-Netzwerk Leipzig", kind="network"
            )
            company = account_store.create_organisation(
                session, owner=user, slug=COMPANY, name="Demo GmbH", kind="company"
            )
            ledger_store.import_ledger(
                session,
                organisation_id=company.id,
                path=examples / "demo-company" / "ledger.csv",
                uploaded_by=user.id,
            )
            _add_carbon_inputs(session, company.id, user.id, examples)
            _add_bom(session, company.id, user.id, examples)
            survey = examples / "leipzig-survey"
            record = survey_store.create_questionnaire(
                session, organisation_id=network.id, path=survey / "questionnaire.yaml"
            )
            survey_store.import_responses(
                session,
                organisation_id=network.id,
                questionnaire_id=record.id,
                raw=read_responses(survey / "responses.csv"),
            )
            survey_store.set_status(
                session,
                organisation_id=network.id,
                questionnaire_id=record.id,
                status="published",
            )
    finally:
        engine.dispose()


def _add_carbon_inputs(session: Session, company_id: int, user_id: int, examples: Path) -> None:
    """The demo's carbon inputs for the demo company, unless it has carbon inputs already."""
    if carbon_store.carbon_inputs(session, organisation_id=company_id):
        return
    carbon = examples / "demo-company" / "carbon"
    carbon_store.add_carbon_inputs(
        session,
        organisation_id=company_id,
        factors=[carbon / "product-factors.csv", carbon / "factors.csv"],
        activities=carbon / "activities.csv",
        measures=carbon / "measures.yaml",
        uploaded_by=user_id,
    )


def _add_bom(session: Session, company_id: int, user_id: int, examples: Path) -> None:
    """The demo's bill of materials for the demo company, unless it has a BOM already."""
    stored = carbon_store.carbon_inputs(session, organisation_id=company_id)
    if any(record.kind == "bom" for record in stored):
        return
    carbon_store.add_carbon_inputs(
        session,
        organisation_id=company_id,
        bom=examples / "demo-company" / "carbon" / "bom.csv",
        uploaded_by=user_id,
    )
