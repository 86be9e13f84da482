"""Ledger uploads and the company dashboard (KPIs, MFCA, GHG balance, measures).

Numbers follow the rule of :mod:`kreislauf.results`: a model holds the domain's values,
its JSON rounds them (:data:`~kreislauf.results.Number`: 6 decimals) and writes ``null``
for a value that is missing or not finite.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from kreislauf.results import Number
from kreislauf.web.schemas.carbon import CarbonProblem, GhgOut, MeasuresOut
from kreislauf.web.schemas.common import Public


class UploadPublic(Public):
    """A stored ledger upload: ``mode`` replace|add, ``status`` applied|pending, ``digest``
    SHA-256 of its canonical rows (docs/ledger.md#uploads)."""

    id: int
    filename: str
    rows: int
    created_at: datetime
    mode: str = "replace"
    status: str = "applied"
    digest: str | None = None


class CellsOut(BaseModel):
    """The site × period cells of one site an upload covers: ``periods`` months from
    ``first`` to ``last``; ``rows`` the flows there [rows] (in force now, for a preview)."""

    site: str
    first: str
    last: str
    periods: int
    rows: int


class UploadHistoryOut(UploadPublic):
    """An upload in the history: who uploaded it, the cells it covers, its rows in force
    now, and for a pending upload the flows in force that it would replace."""

    uploaded_by: str | None
    cells: list[CellsOut]
    in_force: int
    replaces: list[CellsOut]


class KpiOut(BaseModel):
    """One KPI: whole ledger, latest period, previous period and the change (KPI's unit)."""

    id: str
    unit: str
    source: str
    total: Number | None
    latest: Number | None
    previous: Number | None
    change: Number | None
    #: which change is an improvement: up, down or none (no judgement)
    better: str = "none"
    #: the latest change judged: better, worse, same (None without a previous period)
    verdict: str | None = None
    #: the KPI per period, in the order of the dashboard's ``periods``
    series: list[Number | None] = []


class CentreOut(BaseModel):
    """MFCA of one quantity centre over all periods; masses [t], costs [EUR]."""

    site: str
    centre: str
    input_mass_t: Number | None
    loss_mass_t: Number | None
    product_cost_eur: Number | None
    loss_cost_eur: Number | None


class MfcaOut(BaseModel):
    """MFCA totals [EUR]; loss_share [%] (ISO 14051)."""

    product_cost_eur: Number | None
    loss_cost_eur: Number | None
    total_cost_eur: Number | None
    loss_share: Number | None
    centres: list[CentreOut]
    balance_warnings: int


class DashboardOut(BaseModel):
    """Everything the dashboard shows.

    ``ghg`` is the GHG balance by scope, or ``ghg_problem`` says why it could not be
    computed (e.g. a flow without emission factor); ``measures`` / ``measures_problem``
    likewise when a measures file is stored.
    """

    uploads: int
    rows: int
    sites: list[str]
    periods: list[str]
    latest_period: str | None
    previous_period: str | None
    kpis: list[KpiOut]
    mfca: MfcaOut | None
    ghg: GhgOut | None = None
    ghg_problem: CarbonProblem | None = None
    measures: MeasuresOut | None = None
    measures_problem: CarbonProblem | None = None
