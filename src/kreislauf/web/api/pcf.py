"""Product carbon footprints: the company's bill of materials, the results and downloads.

The PCF takes what ``kreislauf carbon pcf`` takes: the BOM (uploaded here), the ledger
(the organisation's ledger uploads, mapping applied on upload) and factor files (the
organisation's factor files; they can be uploaded here together with the BOM and are the
same ones the GHG balance uses). The PDF report is rendered by a background job
(``POST …/pcf/report-jobs``), as the carbon report is.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Request, Response, UploadFile

from kreislauf.web.deps import DB, Editor, LangDep, RecordId, Viewer
from kreislauf.web.schemas.carbon import CarbonInputPublic
from kreislauf.web.schemas.jobs import JobPublic
from kreislauf.web.schemas.pcf import PcfOut
from kreislauf.web.services import pcf

router = APIRouter(tags=["carbon"])


@router.post("/orgs/{org}/pcf/bom", status_code=201)
def upload_bom(
    request: Request,
    access: Editor,
    db: DB,
    bom: Annotated[
        UploadFile | None,
        File(description="Bill of materials (CSV) as for 'kreislauf carbon pcf BOM'"),
    ] = None,
    factors: Annotated[
        list[UploadFile] | None,
        File(description="Emission factor CSV(s) as for 'kreislauf carbon pcf --factors'"),
    ] = None,
) -> list[CarbonInputPublic]:
    """Upload the BOM (replaces the stored one) and optionally factor files.

    An invalid file names file, row and column and stores nothing.
    """
    return pcf.store_bom(request, db, access, bom, factors)


@router.delete("/orgs/{org}/pcf/bom", status_code=204)
def delete_bom(access: Editor, db: DB) -> Response:
    """Delete the stored BOM (factor files stay: the GHG balance uses them too)."""
    pcf.delete_stored_bom(db, access)
    return Response(status_code=204)


def _results(db: DB, access: Viewer) -> pcf.PcfComputed:
    return pcf.pcf_results(
        db, organisation_id=access.organisation_id, slug=access.organisation.slug
    )


@router.get("/orgs/{org}/pcf")
def get_pcf(access: Viewer, db: DB) -> PcfOut:
    """PCF per product [kg CO2e per unit] by stage and component, primary-data share [%].

    404 without BOM or ledger; 422 (e.g. ``no_factor``, ``centre_not_in_ledger``) naming
    the BOM row when the stored files do not fit together.
    """
    return pcf.pcf_out(_results(db, access))


@router.get("/orgs/{org}/pcf/pcf.json")
def pcf_download(access: Viewer, db: DB) -> Response:
    """The JSON of 'kreislauf carbon pcf --json': every component, factor and centre."""
    return Response(
        pcf.pcf_json(_results(db, access)),
        media_type="application/json",
        headers={"Content-Disposition": 'attachment; filename="pcf.json"'},
    )


@router.post(
    "/orgs/{org}/pcf/report-jobs",
    status_code=202,
    responses={
        202: {"headers": {"Location": {"description": "The job", "schema": {"type": "string"}}}}
    },
)
def start_pcf_report(
    request: Request, response: Response, access: Viewer, db: DB, lang: LangDep
) -> JobPublic:
    """Render the PCF report (PDF) in the background; poll the job at ``Location``.

    The report (method, stages, components with factors and sources, centres) is the
    job's result (``…/jobs/{id}/result``, ``pcf-report.pdf``) when it is ``done``. No BOM,
    no ledger or stored files that do not fit (e.g. ``no_factor``) end it ``failed`` with
    the message in ``lang``.
    """
    job = pcf.pcf_report_job(request, db, access, lang)
    response.headers["Location"] = f"/api/v1/orgs/{access.organisation.slug}/jobs/{job.id}"
    return JobPublic.model_validate(job)


@router.get("/orgs/{org}/pcf/products/{number}/chart.png", response_class=Response)
def pcf_chart(number: RecordId, access: Viewer, db: DB, lang: LangDep) -> Response:
    """Product ``number`` (1-based, in BOM order): largest components by stage (PNG)."""
    data = pcf.chart_png(
        db, _results(db, access), organisation_id=access.organisation_id, number=number,
        lang=lang,
    )  # fmt: skip
    return Response(data, media_type="image/png")
