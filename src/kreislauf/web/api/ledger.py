"""Company workspace: ledger uploads, the dashboard, Sankey diagrams and downloads."""

from __future__ import annotations

import csv
import io
from typing import Annotated

from fastapi import APIRouter, File, Request, Response, UploadFile

from kreislauf.errors import NotFound
from kreislauf.ledger.charts import figure_svg, sankey_figure, sankey_html
from kreislauf.ledger.sankey import sankey_data
from kreislauf.store import ledgers
from kreislauf.web.dashboard import computed
from kreislauf.web.deps import DB, Editor, LangDep, RecordId, Viewer, get_settings
from kreislauf.web.schemas import UploadPublic
from kreislauf.web.uploads import required, saved_uploads

router = APIRouter(tags=["ledger"])


def store_upload(
    request: Request, db: DB, access: Editor, file: UploadFile | None, mapping: UploadFile | None
) -> UploadPublic:
    """Validate and store an uploaded ledger (shared by the API and the page)."""
    limit = get_settings(request).upload_max_bytes
    with saved_uploads({"file": file, "mapping": mapping}, max_bytes=limit) as paths:
        upload = ledgers.import_ledger(
            db,
            organisation_id=access.organisation_id,
            path=required(paths["file"], "file"),
            mapping=paths["mapping"],
            uploaded_by=access.user_id,
        )
    return UploadPublic.model_validate(upload)


@router.post("/orgs/{org}/ledger/uploads", status_code=201)
def upload_ledger(
    request: Request,
    access: Editor,
    db: DB,
    file: Annotated[UploadFile, File(description="Ledger file, canonical CSV or XLSX")],
    mapping: Annotated[UploadFile | None, File(description="Mapping YAML (optional)")] = None,
) -> UploadPublic:
    """Upload a ledger; an invalid file stores nothing and lists every row problem."""
    return store_upload(request, db, access, file, mapping)


@router.get("/orgs/{org}/ledger/uploads")
def list_uploads(access: Viewer, db: DB) -> list[UploadPublic]:
    """The organisation's ledger uploads, newest first."""
    return [
        UploadPublic.model_validate(u)
        for u in ledgers.uploads(db, organisation_id=access.organisation_id)
    ]


@router.delete("/orgs/{org}/ledger/uploads/{upload_id}", status_code=204)
def delete_upload(upload_id: RecordId, access: Editor, db: DB) -> Response:
    """Delete an upload and its flows."""
    ledgers.delete_upload(db, organisation_id=access.organisation_id, upload_id=upload_id)
    return Response(status_code=204)


def _ledger(db: DB, access: Viewer):
    result = computed(db, organisation_id=access.organisation_id)
    if result is None:
        raise NotFound(what="ledger", id=access.organisation.slug)
    return result


@router.get("/orgs/{org}/ledger/sankey.svg", response_class=Response)
def sankey_svg(access: Viewer, db: DB, lang: LangDep) -> Response:
    """The material Sankey diagram [t] of the whole ledger as SVG."""
    data = sankey_data(_ledger(db, access).ledger, lang=lang)
    svg = figure_svg(sankey_figure(data, lang=lang))
    return Response(svg, media_type="image/svg+xml")


@router.get("/orgs/{org}/ledger/sankey.html", response_class=Response)
def sankey_page(access: Viewer, db: DB, lang: LangDep) -> Response:
    """The interactive material Sankey diagram (self-contained HTML, plotly.js embedded)."""
    data = sankey_data(_ledger(db, access).ledger, lang=lang)
    return Response(sankey_html(data, lang=lang), media_type="text/html")


@router.get("/orgs/{org}/ledger/kpis.csv", response_class=Response)
def kpis_csv(access: Viewer, db: DB) -> Response:
    """The dashboard's KPIs as CSV (UTF-8, comma-separated, decimal point)."""
    board = _ledger(db, access).dashboard
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["kpi", "unit", "total", "latest", "previous", "change", "source"])
    for k in board.kpis:
        writer.writerow([k.id, k.unit, k.total, k.latest, k.previous, k.change, k.source])
    return Response(
        buffer.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="kpis.csv"'},
    )
