"""Carbon inputs of a company (factor, activity, measures files) and the carbon downloads."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Request, Response, UploadFile

from kreislauf.carbon.measures_report import mac_curve_figure
from kreislauf.charts import to_png
from kreislauf.errors import NotFound
from kreislauf.store import carbon as carbon_store
from kreislauf.web.deps import DB, Editor, LangDep, RecordId, Viewer
from kreislauf.web.schemas.carbon import CarbonInputPublic
from kreislauf.web.schemas.jobs import JobPublic
from kreislauf.web.services.carbon import (
    balance_of,
    carbon_report_job,
    carbon_result,
    store_carbon_inputs,
)

router = APIRouter(tags=["carbon"])


@router.post("/orgs/{org}/carbon/inputs", status_code=201)
def upload_carbon_inputs(
    request: Request,
    access: Editor,
    db: DB,
    factors: Annotated[
        list[UploadFile] | None,
        File(description="Emission factor CSV(s) as for 'kreislauf carbon balance --factors'"),
    ] = None,
    activities: Annotated[
        UploadFile | None, File(description="Activity CSV (replaces the stored one)")
    ] = None,
    measures: Annotated[
        UploadFile | None, File(description="Measures YAML or CSV (replaces the stored one)")
    ] = None,
) -> list[CarbonInputPublic]:
    """Upload carbon inputs; an invalid file names file, row and column and stores nothing."""
    return store_carbon_inputs(request, db, access, factors, activities, measures)


@router.get("/orgs/{org}/carbon/inputs")
def list_carbon_inputs(access: Viewer, db: DB) -> list[CarbonInputPublic]:
    """The stored carbon inputs, in the order they are applied."""
    return [
        CarbonInputPublic.model_validate(r)
        for r in carbon_store.carbon_inputs(db, organisation_id=access.organisation_id)
    ]


@router.delete("/orgs/{org}/carbon/inputs/{input_id}", status_code=204)
def delete_carbon_input(input_id: RecordId, access: Editor, db: DB) -> Response:
    """Delete one carbon input."""
    carbon_store.delete_carbon_input(db, organisation_id=access.organisation_id, input_id=input_id)
    return Response(status_code=204)


@router.get("/orgs/{org}/carbon/balance.json")
def balance_download(access: Viewer, db: DB) -> Response:
    """The GHG balance with every line (the JSON of 'kreislauf carbon balance --json').

    A flow without emission factor answers 422 (``no_factor``) naming the row and the
    closest factor keys.
    """
    balance = balance_of(carbon_result(db, access))
    return Response(
        balance.to_json(),
        media_type="application/json",
        headers={"Content-Disposition": 'attachment; filename="balance.json"'},
    )


@router.get("/orgs/{org}/carbon/balance-scopes.png", response_class=Response)
def balance_scopes_chart(access: Viewer, db: DB, lang: LangDep) -> Response:
    """The reporting year's GHG balance by scope and Scope-3 category (PNG)."""
    from kreislauf.carbon.balance_report import scope_chart

    balance = balance_of(carbon_result(db, access))
    return Response(scope_chart(balance, lang), media_type="image/png")


@router.get("/orgs/{org}/carbon/balance-years.png", response_class=Response)
def balance_years_chart(access: Viewer, db: DB, lang: LangDep) -> Response:
    """Every year's GHG balance by scope (PNG)."""
    from kreislauf.carbon.balance_report import years_chart

    balance = balance_of(carbon_result(db, access))
    return Response(years_chart(balance, lang), media_type="image/png")


@router.get("/orgs/{org}/carbon/mac-curve.png", response_class=Response)
def mac_curve(access: Viewer, db: DB, lang: LangDep) -> Response:
    """The marginal abatement cost curve of the stored measures (PNG)."""
    carbon = carbon_result(db, access)
    if carbon.balance_error is not None:
        raise carbon.balance_error
    if carbon.measures_error is not None:
        raise carbon.measures_error
    if carbon.measures is None:
        raise NotFound(what="measures", id=access.organisation.slug)
    return Response(to_png(mac_curve_figure(carbon.measures, lang)), media_type="image/png")


@router.post("/orgs/{org}/carbon/report-jobs", status_code=202)
def start_carbon_report(request: Request, access: Viewer, db: DB, lang: LangDep) -> JobPublic:
    """Render the carbon report (PDF) in the background; poll the job, then fetch its result."""
    return JobPublic.model_validate(carbon_report_job(request, db, access, lang))
