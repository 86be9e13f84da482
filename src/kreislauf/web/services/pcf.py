"""Product carbon footprints (PCF) of a company from its stored BOM, ledger and factor files.

Nothing is computed here: :func:`kreislauf.carbon.pcf.product_footprints` gives the PCF of
every product of the stored bill of materials, exactly as ``kreislauf carbon pcf BOM
--ledger L --factors F…`` does with the organisation's ledger uploads and its factor files
(in upload order; a later file wins). An error a user can act on (a BOM row without
factor, a centre not in the ledger) is kept and shown instead of the results. Results and
charts are cached per process by organisation and its data stamp
(:class:`~kreislauf.web.cache.SingleFlightLRU`); the PDF report is rendered by a background
job (``pcf_report_pdf``, :func:`pcf_report_pdf`), never within a request.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from fastapi import Request, UploadFile
from sqlalchemy.orm import Session

from kreislauf import __version__, charts
from kreislauf.carbon.bom import read_bom
from kreislauf.carbon.factors import read_factors
from kreislauf.carbon.pcf import STAGES, FootprintsJson, PcfResult, product_footprints
from kreislauf.carbon.pcf_report import pcf_figure, pcf_report_sections
from kreislauf.errors import KreislaufError, NotFound
from kreislauf.i18n import Lang, translate
from kreislauf.report import Report
from kreislauf.report.pdf import render_pdf
from kreislauf.store import carbon as carbon_store
from kreislauf.store.account import Access
from kreislauf.store.models import Job, Organisation
from kreislauf.store.stamp import Stamp, data_stamp
from kreislauf.web.cache import SingleFlightLRU, database_key
from kreislauf.web.deps import get_settings
from kreislauf.web.jobs import JobContext, JobResult, Step, create_job, register, submit
from kreislauf.web.schemas.carbon import CarbonInputPublic
from kreislauf.web.schemas.common import json_view
from kreislauf.web.schemas.pcf import ComponentOut, PcfOut, ProductOut, StageOut
from kreislauf.web.services import ledger as ledger_service
from kreislauf.web.uploads import required, saved_uploads

REPORT = "pcf_report_pdf"
#: Steps of the PCF report [share of the work done, 0-1]: results computed (then rendered).
COMPUTED = Step(0.2)


@dataclass(frozen=True)
class PcfComputed:
    """The organisation's PCF results, or why there are none.

    bom_file : the stored BOM's name (None: no BOM stored)
    has_ledger : whether the organisation has ledger uploads
    error : the domain's error when both exist but the PCF cannot be computed
    """

    results: tuple[PcfResult, ...]
    error: KreislaufError | None
    bom_file: str | None
    has_ledger: bool
    factor_files: tuple[str, ...]


# Per process; keyed by database, organisation, its ledger uploads and its carbon inputs.
_CACHE: SingleFlightLRU[PcfComputed] = SingleFlightLRU(32)
_FILES: SingleFlightLRU[bytes] = SingleFlightLRU(16)


def _key(session: Session, organisation_id: int, stamp: Stamp) -> tuple[Any, ...]:
    return (database_key(session), organisation_id, stamp)


def computed_pcf(session: Session, *, organisation_id: int) -> PcfComputed:
    """PCF of each product of the stored BOM with the stored ledger and factors, cached."""
    stamp = data_stamp(session, organisation_id=organisation_id)

    def compute() -> PcfComputed:
        ledger = ledger_service.computed(session, organisation_id=organisation_id, stamp=stamp)
        with carbon_store.carbon_files(session, organisation_id=organisation_id) as files:
            names = tuple(p.name for p in files.factors)
            if files.bom is None or ledger is None:
                bom_name = files.bom.name if files.bom else None
                return PcfComputed((), None, bom_name, ledger is not None, names)
            try:
                results = product_footprints(
                    read_bom(files.bom), ledger.ledger, read_factors(files.factors)
                )
            except KreislaufError as error:
                return PcfComputed((), error, files.bom.name, True, names)
            return PcfComputed(tuple(results), None, files.bom.name, True, names)

    return _CACHE.get(_key(session, organisation_id, stamp), compute)


def pcf_results(session: Session, *, organisation_id: int, slug: str) -> PcfComputed:
    """The computed PCF; raises ``NotFound`` without BOM or ledger, or the domain's error."""
    result = computed_pcf(session, organisation_id=organisation_id)
    if result.bom_file is None:
        raise NotFound(what="bom", id=slug)
    if not result.has_ledger:
        raise NotFound(what="ledger", id=slug)
    if result.error is not None:
        raise result.error
    return result


def product_out(result: PcfResult) -> ProductOut:
    """One product's PCF with its stages and every component (largest first)."""
    total = result.total_kg or float("nan")  # shares of a zero PCF are not defined
    return ProductOut(
        product=result.product,
        pcf_kg_co2e=result.total_kg,
        primary_data_share=100 * result.primary_share,
        mass_kg=result.mass_kg,
        stages=[
            StageOut(stage=s, kg_co2e=result.stages[s], share=100 * result.stages[s] / total)
            for s in STAGES
        ],
        components=[
            ComponentOut(
                item=str(row.item),
                level=int(row.level),
                quantity=float(row.quantity),
                unit=str(row.unit),
                raw_materials=float(row.raw_materials),
                processing=float(row.processing),
                waste=float(row.waste),
                total=float(row.total),
                share=100 * float(row.total) / total,
                primary=bool(row.primary),
                factor_key=str(row.factor_key),
                factor_source=str(row.factor_source),
                recycled_share=float(row.recycled_share),
            )
            for row in cast("Iterable[Any]", result.components.itertuples())
        ],
    )


def pcf_out(computed: PcfComputed) -> PcfOut:
    """The API's view of computed results, with the numbers of its JSON (what the page shows)."""
    ledger = list(computed.results[0].ledger_sources) if computed.results else []
    return json_view(
        PcfOut(
            bom=computed.bom_file or "",
            ledger=ledger,
            factor_files=list(computed.factor_files),
            products=[product_out(r) for r in computed.results],
        )
    )


def pcf_json(computed: PcfComputed) -> str:
    """The JSON of ``kreislauf carbon pcf --json`` (every component, factor and centre)."""
    return FootprintsJson.of(computed.results).to_json()


def chart_png(
    session: Session, computed: PcfComputed, *, organisation_id: int, number: int, lang: Lang
) -> bytes:
    """Stacked bars of product ``number`` (1-based): largest components by stage (PNG)."""
    if not 1 <= number <= len(computed.results):
        raise NotFound(what="product", id=number)
    result = computed.results[number - 1]
    stamp = data_stamp(session, organisation_id=organisation_id)
    key = ("chart", _key(session, organisation_id, stamp), number, lang)
    return _FILES.get(key, lambda: charts.to_png(pcf_figure(result, lang)))


def report_pdf(computed: PcfComputed, lang: Lang) -> bytes:
    """The PCF report (PDF, shared report renderer; about a second: run it in a job)."""
    return render_pdf(_report(computed, lang))


def _report(computed: PcfComputed, lang: Lang) -> Report:
    sources = ", ".join([computed.bom_file or "", *computed.results[0].ledger_sources])
    return Report(
        title=translate("carbon.pcf.title", lang),
        subtitle=", ".join(r.product for r in computed.results),
        lang=lang,
        meta=[
            (translate("web.pcf.meta_source", lang), sources),
            (translate("web.pcf.meta_factors", lang), ", ".join(computed.factor_files) or "–"),
            (translate("web.pcf.meta_created", lang), f"{date.today().isoformat()}"),
        ],
        sections=pcf_report_sections(list(computed.results), lang),
        footer=f"kreislauf {__version__} · {sources}",
    )


def store_bom(
    request: Request,
    db: Session,
    access: Access,
    bom: UploadFile | None,
    factors: list[UploadFile] | None,
) -> list[CarbonInputPublic]:
    """Validate and store a BOM (and factor files); API and page.

    The BOM is read and ordered by the carbon package (``InvalidBom``, ``BomCycle``); when
    the organisation has a ledger, the PCF is computed with it and the stored and new
    factor files, so that a BOM row without factor or a centre missing from the ledger is
    refused too. On any error nothing is stored (the caller rolls back).
    """
    settings = get_settings(request)
    limit, limits = settings.upload_max_bytes, settings.limits()
    files: dict[str, UploadFile | None] = {"bom": bom}
    files |= {f"factors{n}": f for n, f in enumerate(factors or []) if f is not None and f.filename}
    with saved_uploads(files, max_bytes=limit, limits=limits) as paths:
        factor_paths = [p for k, p in paths.items() if k.startswith("factors") and p is not None]
        records = carbon_store.add_carbon_inputs(
            db,
            organisation_id=access.organisation_id,
            factors=factor_paths,
            bom=required(paths["bom"], "bom"),
            uploaded_by=access.user_id,
        )
    result = computed_pcf(db, organisation_id=access.organisation_id)
    if result.error is not None:
        raise result.error
    return [CarbonInputPublic.model_validate(r) for r in records]


def delete_stored_bom(db: Session, access: Access) -> None:
    """Delete the organisation's BOM; ``NotFound`` when none is stored."""
    stored = [
        r
        for r in carbon_store.carbon_inputs(db, organisation_id=access.organisation_id)
        if r.kind == "bom"
    ]
    if not stored:
        raise NotFound(what="bom", id=access.organisation.slug)
    for record in stored:
        carbon_store.delete_carbon_input(
            db, organisation_id=access.organisation_id, input_id=record.id
        )


def pcf_report_job(request: Request, db: Session, access: Access, lang: str) -> Job:
    """Queue a PCF report job (committed first, so the worker sees it); API and page."""
    job = create_job(db, organisation_id=access.organisation_id, kind=REPORT, params={"lang": lang})
    return submit(request, db, job)


@register(REPORT, steps=(COMPUTED,))
def pcf_report_pdf(job: JobContext) -> JobResult:
    """The PCF report of the stored BOM, ledger and factor files.

    No BOM or no ledger (``NotFound``) and stored files that do not fit (e.g.
    ``NoFactor``) end the job failed with the domain's message in the job's language.
    """
    with job.sessions() as session:
        organisation = session.get(Organisation, job.organisation_id)
        slug = organisation.slug if organisation is not None else str(job.organisation_id)
        computed = pcf_results(session, organisation_id=job.organisation_id, slug=slug)
    job.advance(COMPUTED)
    return JobResult("pcf-report.pdf", "application/pdf", report_pdf(computed, job.lang))
