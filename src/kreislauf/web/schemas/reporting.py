"""The guided VSME page and its API: data points by module with value, unit and source,
the open ones with their help, completeness, and the answers' who/when."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class VsmePointOut(BaseModel):
    """A data point with a value (computed or answered)."""

    key: str
    concept: str
    label: str
    value: str
    unit: str
    source: str
    origin: str
    answered_by: str | None = None
    answered_at: datetime | None = None


class OptionOut(BaseModel):
    """A member an enumeration may take: the id sent back and its label."""

    value: str
    label: str


class VsmeOpenOut(BaseModel):
    """A reportable data point without a value: what the form asks."""

    id: str
    label: str
    paragraph: str
    reference: str
    help: str
    input: str  # number | boolean | text | date | year | select | checkboxes
    unit: str
    options: list[OptionOut] = []


class VsmeColumnOut(BaseModel):
    """An axis or column of a table row form."""

    id: str
    label: str
    input: str  # identifier | select | number | boolean | text | date
    unit: str
    options: list[OptionOut] = []


class VsmeCellOut(BaseModel):
    """An answered table value the form lets one change or remove (blank)."""

    key: str
    label: str
    value: str
    input: str


class VsmeTableOut(BaseModel):
    """A table of the taxonomy the page fills row by row (sites, pollutants …)."""

    id: str
    label: str
    columns: list[VsmeColumnOut]
    cells: list[VsmeCellOut]


class VsmeModuleOut(BaseModel):
    module: str
    title: str
    reported: int
    total: int
    points: list[VsmePointOut]
    open: list[VsmeOpenOut]
    tables: list[VsmeTableOut] = []


class VsmeComparedOut(BaseModel):
    """A B3/B6/B7 data point over the years, as shown: ``values`` per year, the latest
    year's change against the year before (absolute in ``unit``, relative in %; "–" where
    a value is missing) and the numbers themselves (None where missing)."""

    key: str
    label: str
    unit: str
    shown: dict[str, str]
    change: str
    change_percent: str
    values: dict[str, float | None]
    change_value: float | None
    change_percent_value: float | None


class VsmeComparisonOut(BaseModel):
    """The reporting year beside every other year of the ledger."""

    years: list[str]
    latest: str
    previous: str | None
    points: list[VsmeComparedOut]


class VsmeOut(BaseModel):
    """``GET /api/v1/orgs/{org}/reporting/vsme?year=Y`` and the page."""

    year: str
    years: list[str]
    modules: list[VsmeModuleOut]
    warnings: list[str]
    balance_problem: str | None
    comparison: VsmeComparisonOut | None = None


class LksgRiskOut(BaseModel):
    """A high risk of a flagged supplier (or an own finding) with its follow-up state."""

    supplier: str
    position: str
    position_label: str
    state: str
    state_label: str
    finding: str | None
    evidence: str
    assessed_by: str
    assessed_on: str
    measures: list[str]


class LksgMeasureOut(BaseModel):
    id: str
    supplier: str
    position: str
    kind: str
    description: str
    owner: str
    due: str
    status: str
    overdue: bool
    reviewed_on: str
    follow_up: str


class LksgSupplierOut(BaseModel):
    rank: int
    name: str
    country: str
    country_name: str
    nace: str
    flagged: bool
    priority: float


class LksgOut(BaseModel):
    """``GET /api/v1/orgs/{org}/reporting/lksg?year=Y`` and the page."""

    year: int
    as_of: str
    legal_state: str
    rule_set: str
    suppliers: list[LksgSupplierOut]
    risks: list[LksgRiskOut]
    measures: list[LksgMeasureOut]
    positions: list[OptionOut]
