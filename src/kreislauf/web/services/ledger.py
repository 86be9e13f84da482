"""The company's ledger: uploads, their import job, KPIs and MFCA of the stored uploads.

Nothing is computed here: :func:`kreislauf.ledger.ledger_kpis` gives the KPIs (whole
ledger and per period, with the change against the previous period) and
:func:`kreislauf.ledger.mfca_balance` the loss costs. Results are cached per process by
organisation and set of uploads, so repeated dashboard requests do not rebuild the ledger.

A small upload is validated and stored within the request (:func:`store_upload`); one
larger than ``import_background_bytes`` by the ``ledger_import`` job (:func:`queue_upload`,
:func:`ledger_import`).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from fastapi import Request, UploadFile
from sqlalchemy.orm import Session

from kreislauf.bounded import Limits, applied
from kreislauf.errors import NotFound
from kreislauf.i18n import Lang, format_number, translate
from kreislauf.ledger import KPI_DEFINITIONS, Ledger, MfcaResult, ledger_kpis, mfca_balance
from kreislauf.ledger.trends import KPI_BETTER, trend_svg, verdict
from kreislauf.store import job as job_store
from kreislauf.store import ledger as ledger_store
from kreislauf.store.account import Access
from kreislauf.store.models import Job
from kreislauf.store.stamp import Stamp, TableStamp, data_stamp
from kreislauf.web.cache import SingleFlightLRU, database_key
from kreislauf.web.deps import get_settings
from kreislauf.web.jobs import JobContext, Step, create_job, register, submit
from kreislauf.web.schemas.ledger import (
    CellsOut,
    CentreOut,
    DashboardOut,
    KpiOut,
    MfcaOut,
    UploadHistoryOut,
    UploadPublic,
)
from kreislauf.web.uploads import required, saved_uploads

IMPORT = "ledger_import"
#: Steps of an import [share of the work done, 0-1]: its files are read from the job,
READING = Step(0.02, "reading")
#: the ledger is validated,
VALIDATING = Step(0.05, "validating")
#: and its rows are stored (progress per chunk of rows up to STORED).
STORING = Step(0.5, "storing")
STORED = Step(0.98, "storing")


@dataclass(frozen=True)
class Computed:
    ledger: Ledger
    mfca: MfcaResult
    dashboard: DashboardOut
    #: The ledger part of the organisation's :class:`~kreislauf.store.stamp.Stamp`.
    upload_key: TableStamp = (0, None, None)


# Per process; keyed by database, organisation and the stamp of its uploads (uploads are
# never changed in place, so a stamp always means the same ledger).
_CACHE: SingleFlightLRU[Computed | None] = SingleFlightLRU(32)


def computed(
    session: Session, *, organisation_id: int, stamp: Stamp | None = None
) -> Computed | None:
    """Ledger, MFCA and dashboard of the organisation (None without uploads), cached.

    ``stamp`` is the organisation's data stamp if the caller has it (``Access.stamp``);
    otherwise it is read here (one query).
    """
    stamp = stamp or data_stamp(session, organisation_id=organisation_id)
    key = (database_key(session), organisation_id, stamp.ledger)

    def compute() -> Computed | None:
        ledger = ledger_store.organisation_ledger(session, organisation_id=organisation_id)
        return None if ledger is None else _compute(ledger, upload_key=stamp.ledger)

    return _CACHE.get(key, compute)


def ledger_result(session: Session, access: Access) -> Computed:
    """The organisation's computed ledger; ``NotFound`` without uploads."""
    result = computed(session, organisation_id=access.organisation_id)
    if result is None:
        raise NotFound(what="ledger", id=access.organisation.slug)
    return result


def _compute(ledger: Ledger, *, upload_key: TableStamp) -> Computed:
    mfca = mfca_balance(ledger)
    total = {v.id: v for v in ledger_kpis(ledger, mfca=mfca).values}
    periods = ledger.periods
    latest = periods[-1] if periods else None
    by_period = ledger_kpis(ledger, by=("period",), mfca=mfca).values
    current = {v.id: v for v in by_period if v.period == latest}
    series: dict[str, dict[str, float | None]] = {}
    for value in by_period:
        series.setdefault(value.id, {})[str(value.period)] = value.value
    kpis = [
        KpiOut(
            id=d.id,
            unit=d.unit,
            source=d.source,
            total=total[d.id].value,
            latest=current[d.id].value if d.id in current else None,
            previous=current[d.id].previous if d.id in current else None,
            change=current[d.id].change if d.id in current else None,
            better=KPI_BETTER.get(d.id, "none"),
            verdict=verdict(
                current[d.id].change if d.id in current else None,
                KPI_BETTER.get(d.id, "none"),
                decimals=0 if d.unit == "EUR" else 1,
            ),
            series=[series.get(d.id, {}).get(str(p)) for p in periods],
        )
        for d in KPI_DEFINITIONS
    ]
    dashboard = DashboardOut(
        uploads=upload_key[0],
        rows=len(ledger.flows),
        sites=ledger.sites,
        periods=periods,
        latest_period=latest,
        previous_period=periods[-2] if len(periods) > 1 else None,
        kpis=kpis,
        mfca=MfcaOut(
            product_cost_eur=mfca.total.product_cost_eur,
            loss_cost_eur=mfca.total.loss_cost_eur,
            total_cost_eur=mfca.total.total_cost_eur,
            loss_share=mfca.total.loss_share,
            centres=[CentreOut.model_validate(c, from_attributes=True) for c in mfca.centres],
            balance_warnings=len(mfca.warnings),
        ),
    )
    return Computed(ledger=ledger, mfca=mfca, dashboard=dashboard, upload_key=upload_key)


def trend_charts(board: DashboardOut, lang: Lang) -> dict[str, str]:
    """One SVG trend chart per KPI of the dashboard (inline in the page, values beside)."""
    charts: dict[str, str] = {}
    for kpi in board.kpis:
        name = translate(f"ledger.kpi.{kpi.id}", lang)
        decimals = 0 if kpi.unit == "EUR" else 1
        values = ", ".join(
            f"{p}: {format_number(v, lang, decimals=decimals)}"
            for p, v in zip(board.periods, kpi.series, strict=False)
        )
        charts[kpi.id] = trend_svg(
            kpi.series,
            board.periods,
            title=f"{name} [{kpi.unit}]",
            description=values,
            better=KPI_BETTER.get(kpi.id, "none"),
        )
    return charts


#: The downloadable templates: name → (media type, content for a language).
TEMPLATES: dict[str, str] = {
    "template.csv": "text/csv; charset=utf-8",
    "template.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "template-factors.csv": "text/csv; charset=utf-8",
    "template-activities.csv": "text/csv; charset=utf-8",
}


def template_file(name: str, lang: Lang) -> tuple[bytes, str]:
    """A template's content and media type (ledger CSV/XLSX, factors, activities)."""
    from kreislauf.carbon.templates import activities_template_csv, factors_template_csv
    from kreislauf.ledger.templates import ledger_template_csv, ledger_template_xlsx

    if name == "template.xlsx":
        return ledger_template_xlsx(lang), TEMPLATES[name]
    text = {
        "template.csv": ledger_template_csv,
        "template-factors.csv": factors_template_csv,
        "template-activities.csv": activities_template_csv,
    }[name]()
    return text.encode("utf-8"), TEMPLATES[name]


def empty_dashboard() -> DashboardOut:
    """The dashboard of an organisation without uploads."""
    return DashboardOut(
        uploads=0,
        rows=0,
        sites=[],
        periods=[],
        latest_period=None,
        previous_period=None,
        kpis=[],
        mfca=None,
    )


def store_upload(
    request: Request,
    db: Session,
    access: Access,
    file: UploadFile | None,
    mapping: UploadFile | None,
    *,
    mode: ledger_store.Mode = "replace",
    pending: bool = False,
) -> UploadPublic:
    """Validate and store an uploaded ledger within the request (API and page).

    ``pending``: keep it out of force until :func:`confirm_or_apply` (the page asks first).
    """
    settings = get_settings(request)
    limit, limits = settings.upload_max_bytes, settings.limits()
    with saved_uploads({"file": file, "mapping": mapping}, max_bytes=limit, limits=limits) as paths:
        upload = ledger_store.import_ledger(
            db,
            organisation_id=access.organisation_id,
            path=required(paths["file"], "file"),
            mapping=paths["mapping"],
            uploaded_by=access.user_id,
            mode=mode,
            pending=pending,
        )
    return UploadPublic.model_validate(upload)


def _cells_out(cells: dict[ledger_store.Cell, int] | list[ledger_store.Cell]) -> list[CellsOut]:
    """Cells grouped by site (periods first–last); rows per cell when given."""
    rows = cells if isinstance(cells, dict) else dict.fromkeys(cells, 0)
    by_site: dict[str, list[str]] = {}
    for site, period in rows:
        by_site.setdefault(site, []).append(period)
    return [
        CellsOut(
            site=site,
            first=min(periods),
            last=max(periods),
            periods=len(periods),
            rows=sum(rows[(site, p)] for p in periods),
        )
        for site, periods in sorted(by_site.items())
    ]


def upload_history(db: Session, access: Access) -> list[UploadHistoryOut]:
    """Every upload of the organisation, newest first, with its cells and rows in force."""
    return [
        UploadHistoryOut.model_validate(
            {
                **UploadPublic.model_validate(state.upload).model_dump(),
                "uploaded_by": state.uploader,
                "cells": _cells_out(state.cells),
                "in_force": state.in_force,
                "replaces": _cells_out(state.replaces),
            }
        )
        for state in ledger_store.history(db, organisation_id=access.organisation_id)
    ]


def confirm_or_apply(db: Session, access: Access, upload: UploadPublic) -> UploadHistoryOut | None:
    """After a page upload (stored pending): the upload to confirm, or None when applied.

    A pending upload that replaces nothing is applied at once; one that would replace flows
    in force is returned for the page to ask; an upload whose content was stored before is
    applied again (its flows come back into force).
    """
    state = next(s for s in upload_history(db, access) if s.id == upload.id)
    if state.status == "pending" and state.replaces:
        return state
    ledger_store.apply_upload(db, organisation_id=access.organisation_id, upload_id=upload.id)
    return None


def _size(upload: UploadFile | None) -> int:
    """The size of an upload [bytes] (0 when none was sent)."""
    if upload is None or not upload.filename:
        return 0
    if upload.size is not None:
        return upload.size
    upload.file.seek(0, 2)
    size = upload.file.tell()
    upload.file.seek(0)
    return size


def runs_in_background(request: Request, *uploads: UploadFile | None) -> bool:
    """Whether the uploads together exceed ``import_background_bytes``."""
    return sum(_size(u) for u in uploads) > get_settings(request).import_background_bytes


def queue_upload(
    request: Request,
    db: Session,
    access: Access,
    file: UploadFile | None,
    mapping: UploadFile | None,
    lang: str,
    *,
    mode: ledger_store.Mode = "replace",
    pending: bool = False,
) -> Job:
    """Keep the uploaded files with a queued import job (committed first) and hand it over."""
    settings = get_settings(request)
    limit, limits = settings.upload_max_bytes, settings.limits()
    with saved_uploads({"file": file, "mapping": mapping}, max_bytes=limit, limits=limits) as paths:
        required(paths["file"], "file")
        job = create_job(
            db,
            organisation_id=access.organisation_id,
            kind=IMPORT,
            params={
                "lang": lang,
                "uploaded_by": access.user_id,
                "limits": asdict(limits),
                "mode": mode,
                "pending": pending,
            },
        )
        for field, path in paths.items():
            if path is not None:
                job_store.add_file(
                    db, job, field=field, filename=path.name, content=path.read_bytes()
                )
    return submit(request, db, job)


@register(IMPORT, row_problems=True, steps=(READING, VALIDATING, STORING, STORED))
def ledger_import(job: JobContext) -> None:
    """Validate and store an uploaded ledger in one transaction, with progress.

    The files are written under their original names (the ledger reader names the file
    in every message). The rows are stored and the job marked done in the same
    transaction, so a failed import stores nothing. SQLite allows one writer at a time,
    so there the progress of the storing step shows only at its start and end.
    """
    job.advance(READING)
    with tempfile.TemporaryDirectory(prefix="kreislauf-import-") as folder:
        with job.sessions() as session:
            row = session.get(Job, job.job_id)
            if row is None:
                return
            paths: dict[str, Path] = {}
            for item in job_store.job_files(session, row):
                target = Path(folder) / item.field
                target.mkdir(exist_ok=True)
                paths[item.field] = target / item.filename
                paths[item.field].write_bytes(item.content)
        job.advance(VALIDATING)
        limits = Limits(**job.params.get("limits", {}))  # the settings of the queueing app
        with applied(limits), job.sessions() as session, session.begin():
            upload = ledger_store.import_ledger(
                session,
                organisation_id=job.organisation_id,
                path=paths["file"],
                mapping=paths.get("mapping"),
                uploaded_by=job.params.get("uploaded_by"),
                mode=job.params.get("mode", "replace"),
                pending=bool(job.params.get("pending", False)),
                on_progress=_storing(job, live=_concurrent_writes(session)),
            )
            row = job.claim(session)  # Superseded rolls the import back
            row.params = {**job.params, "upload_id": upload.id, "rows": upload.rows}
            job_store.finish(session, row, name=upload.filename)


def _storing(job: JobContext, *, live: bool) -> Callable[[int, int], None]:
    def report(stored: int, total: int) -> None:
        if stored == 0 or live:
            job.between(STORING, STORED, stored, total)

    return report


def _concurrent_writes(session: Session) -> bool:
    """Whether another connection may write while ``session`` holds a write transaction."""
    return session.get_bind().dialect.name != "sqlite"
