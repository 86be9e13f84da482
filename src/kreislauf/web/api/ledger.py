"""Ledger uploads (small ones at once, big ones by a job), Sankey diagrams and the KPI CSV."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, File, Query, Request, Response, UploadFile
from fastapi.responses import JSONResponse

from kreislauf import exports
from kreislauf.ledger.charts import figure_svg, sankey_figure, sankey_html
from kreislauf.ledger.sankey import sankey_data
from kreislauf.store import ledger as ledger_store
from kreislauf.web.deps import DB, Editor, LangDep, RecordId, Viewer
from kreislauf.web.schemas.common import json_view
from kreislauf.web.schemas.jobs import JobPublic
from kreislauf.web.schemas.ledger import UploadHistoryOut, UploadPublic
from kreislauf.web.security import SVG_CSP, document_csp
from kreislauf.web.services.ledger import (
    ledger_result,
    queue_upload,
    runs_in_background,
    store_upload,
    upload_history,
)

router = APIRouter(tags=["ledger"])

ModeQuery = Annotated[
    Literal["replace", "add"],
    Query(
        description="`replace` (default): the upload's flows replace the flows in force in "
        "every site × period it covers; `add`: they are added to them."
    ),
]


@router.post(
    "/orgs/{org}/ledger/uploads",
    status_code=201,
    response_model=UploadPublic,
    responses={
        202: {
            "model": JobPublic,
            "description": "A file larger than the server's `import_background_bytes` "
            "(default 1 MiB) is imported by a background job: poll the job at `Location` "
            "until it is `done` (the upload is stored) or `failed` (nothing is stored; "
            "`errors` lists every row problem).",
            "headers": {"Location": {"description": "The job", "schema": {"type": "string"}}},
        }
    },
)
def upload_ledger(
    request: Request,
    access: Editor,
    db: DB,
    lang: LangDep,
    file: Annotated[UploadFile, File(description="Ledger file, canonical CSV or XLSX")],
    mapping: Annotated[UploadFile | None, File(description="Mapping YAML (optional)")] = None,
    mode: ModeQuery = "replace",
) -> UploadPublic | JSONResponse:
    """Upload a ledger; an invalid file stores nothing and lists every row problem.

    By default the upload replaces the flows in force in the site × period cells it covers
    (a corrected file corrects); `mode=add` adds its flows. A file whose content is stored
    already is not stored again: the stored upload is applied again (same `id`).
    Small files are imported within the request (201); big ones in the background (202).
    """
    if not runs_in_background(request, file, mapping):
        return store_upload(request, db, access, file, mapping, mode=mode)
    job = queue_upload(request, db, access, file, mapping, lang, mode=mode)
    location = f"/api/v1/orgs/{access.organisation.slug}/jobs/{job.id}"
    return JSONResponse(
        JobPublic.model_validate(job).model_dump(mode="json"),
        status_code=202,
        headers={"Location": location},
    )


@router.get("/orgs/{org}/ledger/uploads")
def list_uploads(access: Viewer, db: DB) -> list[UploadHistoryOut]:
    """The upload history, newest first: who, when, rows, cells covered, rows in force."""
    return upload_history(db, access)


@router.post("/orgs/{org}/ledger/uploads/{upload_id}/restore")
def restore_upload(upload_id: RecordId, access: Editor, db: DB) -> UploadPublic:
    """Apply a stored upload again: its flows replace those in force in its cells."""
    upload = ledger_store.restore_upload(
        db, organisation_id=access.organisation_id, upload_id=upload_id
    )
    return UploadPublic.model_validate(upload)


@router.post("/orgs/{org}/ledger/uploads/{upload_id}/apply")
def apply_upload(
    upload_id: RecordId, access: Editor, db: DB, mode: ModeQuery = "replace"
) -> UploadPublic:
    """Apply a stored (e.g. pending) upload as the newest, replacing or adding its flows."""
    upload = ledger_store.apply_upload(
        db, organisation_id=access.organisation_id, upload_id=upload_id, mode=mode
    )
    return UploadPublic.model_validate(upload)


@router.delete("/orgs/{org}/ledger/uploads/{upload_id}", status_code=204)
def delete_upload(upload_id: RecordId, access: Editor, db: DB) -> Response:
    """Delete an upload and its flows."""
    ledger_store.delete_upload(db, organisation_id=access.organisation_id, upload_id=upload_id)
    return Response(status_code=204)


@router.get("/orgs/{org}/ledger/sankey.svg", response_class=Response)
def sankey_svg(access: Viewer, db: DB, lang: LangDep) -> Response:
    """The material Sankey diagram [t] of the whole ledger as SVG."""
    data = sankey_data(ledger_result(db, access).ledger, lang=lang)
    svg = figure_svg(sankey_figure(data, lang=lang))
    return Response(svg, media_type="image/svg+xml", headers={"Content-Security-Policy": SVG_CSP})


@router.get("/orgs/{org}/ledger/sankey.html", response_class=Response)
def sankey_page(access: Viewer, db: DB, lang: LangDep) -> Response:
    """The interactive material Sankey diagram (self-contained HTML, plotly.js embedded)."""
    data = sankey_data(ledger_result(db, access).ledger, lang=lang)
    html = sankey_html(data, lang=lang)
    return Response(
        html, media_type="text/html", headers={"Content-Security-Policy": document_csp(html)}
    )


@router.get("/orgs/{org}/ledger/kpis.csv", response_class=Response)
def kpis_csv(access: Viewer, db: DB) -> Response:
    """The dashboard's KPIs as CSV (UTF-8, comma-separated, decimal point)."""
    kpis = [json_view(k) for k in ledger_result(db, access).dashboard.kpis]  # as the API rounds
    header = ["kpi", "unit", "total", "latest", "previous", "change", "source"]
    rows = [[k.id, k.unit, k.total, k.latest, k.previous, k.change, k.source] for k in kpis]
    return Response(
        exports.csv_text(header, rows),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="kpis.csv"'},
    )
