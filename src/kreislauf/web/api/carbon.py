"""Carbon inputs of a company (factor, activity, measures files) and the carbon downloads."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, File, Request, Response, UploadFile

from kreislauf.carbon.balance_json import balance_json
from kreislauf.carbon.measures_report import mac_curve_figure
from kreislauf.charts import to_png
from kreislauf.errors import InvalidField, NotFound
from kreislauf.store import carbon as carbon_store
from kreislauf.store import job as job_store
from kreislauf.store.models import Job
from kreislauf.web.carbon import CarbonComputed
from kreislauf.web.dashboard import carbon_of, computed
from kreislauf.web.deps import DB, Editor, LangDep, RecordId, Viewer, get_settings
from kreislauf.web.schemas import CarbonInputPublic, JobPublic
from kreislauf.web.uploads import saved_uploads

router = APIRouter(tags=["carbon"])


def store_carbon_inputs(
    request: Request,
    db: DB,
    access: Editor,
    factors: list[UploadFile] | None,
    activities: UploadFile | None,
    measures: UploadFile | None,
) -> list[CarbonInputPublic]:
    """Validate and store uploaded carbon inputs (shared by the API and the page)."""
    limit = get_settings(request).upload_max_bytes
    files: dict[str, UploadFile | None] = {
        f"factors{n}": f for n, f in enumerate(factors or []) if f is not None and f.filename
    }
    files |= {"activities": activities, "measures": measures}
    with saved_uploads(files, max_bytes=limit) as paths:
        factor_paths = [p for k, p in paths.items() if k.startswith("factors") and p is not None]
        if not factor_paths and paths["activities"] is None and paths["measures"] is None:
            raise InvalidField(field="factors", value="", expected="a file")
        records = carbon_store.add_carbon_inputs(
            db,
            organisation_id=access.organisation_id,
            factors=factor_paths,
            activities=paths["activities"],
            measures=paths["measures"],
            uploaded_by=access.user_id,
        )
    return [CarbonInputPublic.model_validate(r) for r in records]


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


def carbon_result(db: DB, access: Viewer) -> CarbonComputed:
    """The organisation's carbon result; NotFound without a ledger."""
    result = computed(db, organisation_id=access.organisation_id)
    if result is None:
        raise NotFound(what="ledger", id=access.organisation.slug)
    return carbon_of(db, result, organisation_id=access.organisation_id)


@router.get("/orgs/{org}/carbon/balance.json")
def balance_download(access: Viewer, db: DB) -> Response:
    """The GHG balance with every line (the JSON of 'kreislauf carbon balance --json').

    A flow without emission factor answers 422 (``no_factor``) naming the row and the
    closest factor keys.
    """
    carbon = carbon_result(db, access)
    if carbon.balance_error is not None:
        raise carbon.balance_error
    text = json.dumps(balance_json(carbon.balance), ensure_ascii=False, allow_nan=False)  # type: ignore[arg-type]
    return Response(
        text,
        media_type="application/json",
        headers={"Content-Disposition": 'attachment; filename="balance.json"'},
    )


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
    return JobPublic.model_validate(create_carbon_report_job(request, db, access, lang))


def create_carbon_report_job(request: Request, db: DB, access: Viewer, lang: str) -> Job:
    """Queue a carbon report job (committed first, so the worker sees it)."""
    carbon_result(db, access)
    job = job_store.create_job(
        db, organisation_id=access.organisation_id, kind="carbon_report_pdf", params={"lang": lang}
    )
    db.commit()
    request.app.state.worker.submit(job.id)
    return job
