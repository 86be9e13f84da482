"""Ledger uploads (small ones at once, big ones by a job), Sankey diagrams and the KPI CSV."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Request, Response, UploadFile
from fastapi.responses import JSONResponse

from kreislauf import exports
from kreislauf.ledger.charts import figure_svg, sankey_figure, sankey_html
from kreislauf.ledger.sankey import sankey_data
from kreislauf.store import ledger as ledger_store
from kreislauf.web.deps import DB, Editor, LangDep, RecordId, Viewer
from kreislauf.web.schemas.common import json_view
from kreislauf.web.schemas.jobs import JobPublic
from kreislauf.web.schemas.ledger import UploadPublic
from kreislauf.web.security import SVG_CSP, document_csp
from kreislauf.web.services.ledger import (
    ledger_result,
    queue_upload,
    runs_in_background,
    store_upload,
)

router = APIRouter(tags=["ledger"])


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
) -> UploadPublic | JSONResponse:
    """Upload a ledger; an invalid file stores nothing and lists every row problem.

    Small files are imported within the request (201); big ones in the background (202).
    """
    if not runs_in_background(request, file, mapping):
        return store_upload(request, db, access, file, mapping)
    job = queue_upload(request, db, access, file, mapping, lang)
    location = f"/api/v1/orgs/{access.organisation.slug}/jobs/{job.id}"
    return JSONResponse(
        JobPublic.model_validate(job).model_dump(mode="json"),
        status_code=202,
        headers={"Location": location},
    )


@router.get("/orgs/{org}/ledger/uploads")
def list_uploads(access: Viewer, db: DB) -> list[UploadPublic]:
    """The organisation's ledger uploads, newest first."""
    return [
        UploadPublic.model_validate(u)
        for u in ledger_store.uploads(db, organisation_id=access.organisation_id)
    ]


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
