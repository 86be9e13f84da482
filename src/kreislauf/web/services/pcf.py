"""Product carbon footprints (PCF) of a company from its stored BOM, ledger and factor files.

Nothing is computed here: :func:`kreislauf.carbon.pcf.product_footprints` gives the PCF of
every product of the stored bill of materials, exactly as ``kreislauf carbon pcf BOM
--ledger L --factors F…`` does with the organisation's ledger uploads and its factor files
(in upload order; a later file wins). An error a user can act on (a BOM row without
factor, a centre not in the ledger) is kept and shown instead of the results. Results and
charts are cached per process by organisation and its data stamp
(:class:`~kreislauf.web.cache.SingleFlightLRU`); the PDF report is rendered by a background
job (``pcf_report_pdf``, :mod:`kreislauf.web.worker`), never within a request.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import BaseModel
from sqlalchemy.orm import Session

from kreislauf import __version__, charts
from kreislauf.carbon.bom import read_bom
from kreislauf.carbon.factors import read_factors
from kreislauf.carbon.pcf import STAGES, PcfResult, product_footprints
from kreislauf.carbon.pcf_report import pcf_figure, pcf_report_sections
from kreislauf.errors import KreislaufError, NotFound
from kreislauf.i18n import Lang, translate
from kreislauf.report import Report
from kreislauf.report.pdf import render_pdf
from kreislauf.store import carbon as carbon_store
from kreislauf.store.stamp import Stamp, data_stamp
from kreislauf.web import dashboard
from kreislauf.web.cache import SingleFlightLRU, database_key


def _num(value: float | None, digits: int = 6) -> float | None:
    return None if value is None or math.isnan(value) else round(float(value), digits)


class StageOut(BaseModel):
    """One life-cycle stage: emissions [kg CO2e per product unit] and share of the PCF [%]."""

    stage: str
    kg_co2e: float | None
    share: float | None


class ComponentOut(BaseModel):
    """One item reachable from the product, emissions per product unit [kg CO2e].

    ``quantity`` per product unit in ``unit``; ``share`` of the PCF [%]; ``primary``: the
    emissions come from primary data (own centres, supplier-specific factors).
    """

    item: str
    level: int
    quantity: float | None
    unit: str
    raw_materials: float | None
    processing: float | None
    waste: float | None
    total: float | None
    share: float | None
    primary: bool
    factor_key: str
    factor_source: str
    recycled_share: float | None


class ProductOut(BaseModel):
    """The cradle-to-gate PCF of one product [kg CO2e per unit], mass [kg], primary-data
    share [%] (PACT Methodology v2)."""

    product: str
    pcf_kg_co2e: float | None
    primary_data_share: float | None
    mass_kg: float | None
    stages: list[StageOut]
    components: list[ComponentOut]


class PcfOut(BaseModel):
    """The PCF of every product of the stored BOM and the files it was computed from."""

    bom: str
    ledger: list[str]
    factor_files: list[str]
    products: list[ProductOut]


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
        ledger = dashboard.computed(session, organisation_id=organisation_id, stamp=stamp)
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
    total = result.total_kg or float("nan")
    return ProductOut(
        product=result.product,
        pcf_kg_co2e=_num(result.total_kg),
        primary_data_share=_num(100 * result.primary_share),
        mass_kg=_num(result.mass_kg),
        stages=[
            StageOut(
                stage=s,
                kg_co2e=_num(result.stages[s]),
                share=_num(100 * result.stages[s] / total),
            )
            for s in STAGES
        ],
        components=[
            ComponentOut(
                item=str(row.item),
                level=int(row.level),
                quantity=_num(float(row.quantity)),
                unit=str(row.unit),
                raw_materials=_num(float(row.raw_materials)),
                processing=_num(float(row.processing)),
                waste=_num(float(row.waste)),
                total=_num(float(row.total)),
                share=_num(100 * float(row.total) / total),
                primary=bool(row.primary),
                factor_key=str(row.factor_key),
                factor_source=str(row.factor_source),
                recycled_share=_num(float(row.recycled_share)),
            )
            for row in result.components.itertuples()
        ],
    )


def pcf_out(computed: PcfComputed) -> PcfOut:
    """The API's view of computed results."""
    ledger = list(computed.results[0].ledger_sources) if computed.results else []
    return PcfOut(
        bom=computed.bom_file or "",
        ledger=ledger,
        factor_files=list(computed.factor_files),
        products=[product_out(r) for r in computed.results],
    )


def pcf_json(computed: PcfComputed) -> dict[str, Any]:
    """The JSON of ``kreislauf carbon pcf --json`` (every component, factor and centre)."""
    return {"products": [r.to_dict() for r in computed.results]}


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
