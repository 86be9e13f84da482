"""Turn a table of canonical ledger cells into a validated :class:`Ledger`, or say why not.

Every check runs vectorised over the whole table and every problem is collected before
anything is returned, so a file is imported completely or not at all. Units are parsed
once per distinct spelling with the one registry of :mod:`kreislauf.units` and applied to
all rows with that spelling.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import pint

from kreislauf.errors import (
    InputError,
    InvalidChoice,
    InvalidLedger,
    InvalidPeriod,
    InvalidShare,
    InvalidWasteCode,
    LedgerNonNumeric,
    MissingColumn,
    MissingValue,
    MixedPeriods,
    NegativeQuantity,
    NumberOutOfRange,
    TextNotStorable,
    UnexpectedColumn,
    UnitMismatch,
    UnknownCentre,
    UnknownFlowKind,
    UnknownUnit,
    WasteCodeNotOnWaste,
)
from kreislauf.i18n import msg
from kreislauf.ledger.models import (
    BASE_UNIT,
    CANONICAL_COLUMNS,
    CATEGORY_CHOICES,
    FLOW_DIMENSION,
    FLOW_KINDS,
    LABEL_COLUMNS,
    NUMERIC_COLUMNS,
    REQUIRED_COLUMNS,
    TREATMENTS,
    UNIT_EXAMPLES,
    Dimension,
    Ledger,
)
from kreislauf.numbers import coerce_numeric
from kreislauf.units import ureg

_PERIOD = r"\d{4}(-(0[1-9]|1[0-2]))?"
#: The largest magnitude of a quantity [its unit] or cost [EUR] a ledger row may hold.
#: Far above any real flow (10¹⁵ t is a thousand times the world's yearly material use),
#: so that sums, unit conversions and the dashboard's figures stay finite and exact enough.
MAX_MAGNITUDE = 1e15
#: The largest amount of a flow in its base unit [kg, kWh, m³]: 10¹⁵ kg = 10¹² t, so a
#: quantity within :data:`MAX_MAGNITUDE` in a large unit (``1e15 t``) is still refused.
MAX_AMOUNT = 1e15
MAX_AMOUNT_TEXT = "1e+15 kg (1e+12 t), 1e+15 kWh, 1e+15 m³"
#: The longest text per label column [characters], as the store's columns hold them
#: (``kreislauf.store.models.LedgerFlow``; ``note`` is unbounded there, 10 000 here).
MAX_CHARS: dict[str, int] = {
    "period": 7,
    "site": 200,
    "centre": 200,
    "flow": 20,
    "material": 300,
    "category": 100,
    "unit": 20,
    "treatment": 30,
    "to_centre": 200,
    "note": 10_000,
}
#: ``waste_code``: a code of the EU List of Waste (Commission Decision 2000/532/EC, in
#: Germany the Abfallverzeichnis-Verordnung, AVV): six digits, written ``070213``,
#: ``07 02 13`` or ``07-02-13``; a hazardous entry is marked with an asterisk
#: (``12 01 18*``). Whether the code is on the list is checked where it is used
#: (:mod:`kreislauf.reporting`), not here.
WASTE_CODE = re.compile(r"\d{2}([ -]?)\d{2}\1\d{2} ?\*?")
#: Problems kept per check; the total is always counted.
_KEEP_PER_CHECK = 200
#: Decimals of the base-unit amount that enter the row identity (1 mg, 1 Wh, 1 ml).
_IDENTITY_DECIMALS = 6
_IDENTITY_COLUMNS = (
    "period",
    "site",
    "centre",
    "flow",
    "material",
    "category",
    "amount",
    "cost_eur",
    "recycled_share",
    "treatment",
    "to_centre",
)


@dataclass
class _Problems:
    """Collects problems of one file: a few per check, every one counted."""

    source: str
    rows: np.ndarray
    columns: dict[str, str] = field(default_factory=dict)
    found: list[tuple[int, InputError]] = field(default_factory=list)
    total: int = 0

    def add(
        self,
        error: Callable[..., InputError],
        mask: np.ndarray,
        *,
        column: str,
        cells: pd.Series | None,
        **params: Any,
    ) -> None:
        positions = np.flatnonzero(mask)
        self.total += len(positions)
        for position in positions[:_KEEP_PER_CHECK]:
            value = "" if cells is None else _cell_text(cells.iloc[position])
            row = int(self.rows[position])
            shown = self.columns.get(column, column)
            problem = error(file=self.source, row=row, column=shown, value=value, **params)
            self.found.append((int(position), problem))

    def raise_if_any(self) -> None:
        if self.total:
            ordered = [problem for _, problem in sorted(self.found, key=lambda item: item[0])]
            raise InvalidLedger(problems=ordered, file=self.source, total=self.total)


def _cell_text(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return str(value)


def _labels(values: pd.Series) -> pd.Series:
    """Cells as a stripped categorical; blank cells become NaN."""
    if not isinstance(values.dtype, pd.CategoricalDtype):
        values = values.astype("category")
    categories = values.cat.categories.astype(str)
    if values.cat.categories.dtype != categories.dtype:
        # pandas-stubs omit Index, which keeps the str dtype (a list would not: the
        # categories of files merged later must have one dtype)
        values = values.cat.rename_categories(categories)  # type: ignore[arg-type]
    stripped = categories.str.strip()
    if not stripped.equals(categories):
        values = values.astype(str).where(values.notna()).str.strip().astype("category")
    if "" in values.cat.categories:
        values = values.cat.remove_categories([""])
    return values


def _excel_months(cells: pd.Series) -> pd.Series:
    """Date cells as ``YYYY-MM``: Excel turns a typed ``2024-03`` into the date 2024-03-01.

    Only cells that hold a date (XLSX) change; text and numbers (``2024``) stay as they are.
    """
    if pd.api.types.is_datetime64_any_dtype(cells.dtype):
        formatted: pd.Series = cells.dt.strftime("%Y-%m")
        return formatted
    if cells.dtype != object:
        return cells
    months = {
        value: f"{value.year:04d}-{value.month:02d}"
        for value in pd.unique(cells.dropna())
        if isinstance(value, date)
    }
    return cells.map(lambda value: months.get(value, value)) if months else cells


def _one_of(choices: Sequence[str]) -> Any:
    return msg("ledger.expected.one_of", choices=", ".join(choices))


def _unit_table(units: pd.Series) -> tuple[np.ndarray, list[Dimension | None], np.ndarray]:
    """Per unit category: known?, dimension and factor to the dimension's base unit.

    Parsed once per distinct spelling, not per row.
    """
    categories = list(units.cat.categories)
    known = np.zeros(len(categories), bool)
    dimensions: list[Dimension | None] = []
    factors = np.full(len(categories), np.nan)
    for position, spelling in enumerate(categories):
        try:
            unit = ureg.Unit(spelling)
        except (pint.errors.UndefinedUnitError, ValueError, AttributeError, TypeError):
            dimensions.append(None)
            continue
        known[position] = True
        dimension = next(
            (
                d
                for d, base in BASE_UNIT.items()
                if unit.dimensionality == ureg.Unit(base).dimensionality
            ),
            None,
        )
        dimensions.append(dimension)
        if dimension is not None:
            factors[position] = ureg.Quantity(1.0, unit).to(BASE_UNIT[dimension]).magnitude
    return known, dimensions, factors


def build_ledger(
    raw: pd.DataFrame,
    *,
    source: str,
    first_row: int = 2,
    rows: Sequence[int] | np.ndarray | None = None,
    columns: dict[str, str] | None = None,
) -> Ledger:
    """Validate canonical ledger cells and convert them to base units.

    Parameters
    ----------
    raw : one row per flow, columns named as in :data:`CANONICAL_COLUMNS`; cells as read
        (strings or numbers). Optional columns may be absent.
    source : the file name used in messages.
    first_row : the row number in the file of ``raw.iloc[0]`` (2 when a header line precedes).
    rows : the row number in the file of each row of ``raw`` (instead of ``first_row``, when
        the file skips lines, e.g. blank ones; see :class:`kreislauf.tables.Table`).
    columns : canonical column -> the column's name in the user's file, for messages (set
        when a mapping renamed the columns).

    Returns
    -------
    Ledger
        quantities in kg, kWh and m³ (``amount``), costs in EUR.

    Raises
    ------
    InvalidLedger
        listing every problem found (file, row, column, value, what was expected).
    """
    n = len(raw)
    row_numbers = (
        np.arange(first_row, first_row + n, dtype=np.int64)
        if rows is None
        else np.asarray(rows, dtype=np.int64)
    )
    problems = _Problems(source, row_numbers, dict(columns or {}))
    expected_columns = ", ".join(CANONICAL_COLUMNS)
    missing = [c for c in REQUIRED_COLUMNS if c not in raw.columns]
    unexpected = [str(c) for c in raw.columns if c not in CANONICAL_COLUMNS]
    column_errors: list[InputError] = [
        MissingColumn(file=source, value=c, expected=expected_columns) for c in missing
    ] + [UnexpectedColumn(file=source, value=c, expected=expected_columns) for c in unexpected]
    if column_errors:
        raise InvalidLedger(problems=column_errors, file=source)

    table: dict[str, Any] = {}
    for column in LABEL_COLUMNS:
        cells = raw[column] if column in raw.columns else pd.Series(np.nan, index=raw.index)
        if column == "period":
            cells = _excel_months(cells)
        table[column] = _labels(cells).reset_index(drop=True)
    numbers: dict[str, np.ndarray] = {}
    for column in NUMERIC_COLUMNS:
        if column in raw.columns:
            values, bad = coerce_numeric(raw[column])
            expected = msg(
                "ledger.expected.cost" if column == "cost_eur" else "ledger.expected.number"
            )
            problems.add(LedgerNonNumeric, bad, column=column, cells=raw[column], expected=expected)
        else:
            values = np.full(n, np.nan)
        numbers[column] = values

    _check_numbers(numbers, raw, problems)
    for column in LABEL_COLUMNS:
        if column in MAX_CHARS:  # waste_code: bounded by its format (_check_waste_codes)
            _check_text(table[column], column, problems)

    flow = table["flow"]
    codes = flow.cat.codes.to_numpy()
    kind_of_category = np.array(
        [FLOW_KINDS.index(c) if c in FLOW_KINDS else -1 for c in flow.cat.categories] + [-1]
    )
    kind = kind_of_category[codes]  # code -1 (blank) picks the trailing -1
    is_kind: dict[str, np.ndarray] = {name: kind == i for i, name in enumerate(FLOW_KINDS)}
    problems.add(MissingValue, codes < 0, column="flow", cells=None, expected=_one_of(FLOW_KINDS))
    problems.add(
        UnknownFlowKind,
        (codes >= 0) & (kind < 0),
        column="flow",
        cells=flow,
        expected=", ".join(FLOW_KINDS),
    )

    period = table["period"]
    good_period = np.asarray(period.cat.categories.astype(str).str.fullmatch(_PERIOD), bool)
    period_codes = period.cat.codes.to_numpy()
    problems.add(MissingValue, period_codes < 0, column="period", cells=None, expected="YYYY-MM")
    bad_period = (period_codes >= 0) & ~np.append(good_period, True)[period_codes]
    problems.add(InvalidPeriod, bad_period, column="period", cells=period)
    _check_granularity(period, good_period, problems)
    for column, expected_key in (
        ("site", "ledger.expected.site"),
        ("centre", "ledger.expected.centre"),
    ):
        problems.add(
            MissingValue,
            table[column].isna().to_numpy(),
            column=column,
            cells=None,
            expected=msg(expected_key),
        )

    # Units and quantities: one registry lookup per distinct spelling, then by code.
    units = table["unit"]
    known, unit_dimension, factors = _unit_table(units)
    unit_codes = units.cat.codes.to_numpy()
    dimensions: tuple[Dimension, ...] = tuple(BASE_UNIT)
    dim_of_unit = np.array([dimensions.index(d) if d else -1 for d in unit_dimension] + [-1])[
        unit_codes
    ]
    known_row = np.append(known, False)[unit_codes]
    quantity = numbers["quantity"]
    amount = np.full(n, np.nan)
    for position, dimension in enumerate(dimensions):
        flows_of_dim = [k for k, d in FLOW_DIMENSION.items() if d == dimension]
        rows = np.logical_or.reduce([is_kind[k] for k in flows_of_dim])
        problems.add(
            MissingValue,
            rows & (unit_codes < 0),
            column="unit",
            cells=None,
            expected=UNIT_EXAMPLES[dimension],
        )
        problems.add(
            UnknownUnit,
            rows & (unit_codes >= 0) & ~known_row,
            column="unit",
            cells=units,
            expected=UNIT_EXAMPLES[dimension],
        )
        mismatch = rows & known_row & (dim_of_unit != position)
        for flow_kind in flows_of_dim:
            problems.add(
                UnitMismatch,
                mismatch & is_kind[flow_kind],
                column="unit",
                cells=units,
                flow=flow_kind,
                expected=msg(f"ledger.dimension.{dimension}"),
                examples=UNIT_EXAMPLES[dimension],
            )
        problems.add(
            MissingValue,
            rows & np.isnan(quantity) & ~_filled(raw, "quantity"),
            column="quantity",
            cells=None,
            expected=msg("ledger.expected.quantity"),
        )
        take = rows & (dim_of_unit == position)
        with np.errstate(over="ignore"):  # refused below as out of range, never a warning
            amount[take] = quantity[take] * np.append(factors, np.nan)[unit_codes[take]]
    with np.errstate(invalid="ignore"):
        too_large = np.isfinite(quantity) & (np.abs(quantity) <= MAX_MAGNITUDE)
        too_large &= ~np.isfinite(amount) | (np.abs(amount) > MAX_AMOUNT)
        too_large &= ~np.isnan(amount)
    problems.add(
        NumberOutOfRange, too_large, column="quantity", cells=raw["quantity"], limit=MAX_AMOUNT_TEXT
    )
    negative = (
        (quantity < 0)
        & ~is_kind["stock_change"]
        & ~(is_kind["system_cost"] | is_kind["waste_cost"])
    )
    problems.add(NegativeQuantity, negative, column="quantity", cells=raw["quantity"])

    cost = numbers["cost_eur"]
    cost_rows = is_kind["system_cost"] | is_kind["waste_cost"]
    problems.add(
        MissingValue,
        cost_rows & np.isnan(cost) & ~_filled(raw, "cost_eur"),
        column="cost_eur",
        cells=None,
        expected=msg("ledger.expected.cost"),
    )
    share = numbers["recycled_share"]
    problems.add(
        InvalidShare, (share < 0) | (share > 1), column="recycled_share", cells=pd.Series(share)
    )

    for flow_kind, choices in CATEGORY_CHOICES.items():
        rows = is_kind[flow_kind]
        category = table["category"]
        problems.add(
            MissingValue,
            rows & category.isna().to_numpy(),
            column="category",
            cells=None,
            expected=_one_of(choices),
        )
        wrong = rows & category.notna().to_numpy() & ~category.isin(choices).to_numpy()
        problems.add(
            InvalidChoice, wrong, column="category", cells=category, expected=", ".join(choices)
        )
    treatment = table["treatment"]
    waste = is_kind["waste_out"]
    problems.add(
        MissingValue,
        waste & treatment.isna().to_numpy(),
        column="treatment",
        cells=None,
        expected=_one_of(TREATMENTS),
    )
    wrong = waste & treatment.notna().to_numpy() & ~treatment.isin(TREATMENTS).to_numpy()
    problems.add(
        InvalidChoice, wrong, column="treatment", cells=treatment, expected=", ".join(TREATMENTS)
    )

    _check_transfers(table, is_kind["transfer"], problems)
    _check_waste_codes(table["waste_code"], waste, problems)
    problems.raise_if_any()

    flows = pd.DataFrame(table)
    flows["flow"] = _flow_kinds(flows["flow"])
    flows["quantity"] = quantity
    flows["amount"] = amount
    flows["cost_eur"] = np.nan_to_num(cost, nan=0.0)
    flows["recycled_share"] = np.nan_to_num(share, nan=0.0)
    flows["source"] = pd.Categorical.from_codes(np.zeros(n, np.int8), categories=pd.Index([source]))
    flows["row"] = row_numbers
    flows["row_hash"], flows["occurrence"] = row_identity(flows)
    return Ledger(flows=flows, sources=(source,))


def _flow_kinds(flow: pd.Series) -> Any:
    """The flow column with the categories :data:`FLOW_KINDS` in their order.

    Recoded by category (every label of a valid ledger is a flow kind) instead of turning a
    million cells into text and back; the same column as
    ``pd.Categorical(flow.astype(str), categories=FLOW_KINDS)``.
    """
    if isinstance(flow.dtype, pd.CategoricalDtype):
        labels = list(flow.cat.categories)
        if all(type(label) is str and label in FLOW_KINDS for label in labels):
            recoded: pd.Categorical = pd.Categorical(flow.cat.set_categories(FLOW_KINDS))
            return recoded
    return pd.Categorical(flow.astype(str), categories=FLOW_KINDS)


def _check_numbers(numbers: dict[str, np.ndarray], raw: pd.DataFrame, problems: _Problems) -> None:
    """Quantities and costs finite and within :data:`MAX_MAGNITUDE` (``inf``, ``1e309``, a
    number of 400 digits are refused, not stored as infinity)."""
    for column in ("quantity", "cost_eur"):
        values = numbers[column]
        with np.errstate(invalid="ignore"):
            wrong = np.isinf(values) | (np.abs(values) > MAX_MAGNITUDE)
        if wrong.any():
            problems.add(
                NumberOutOfRange,
                wrong,
                column=column,
                cells=raw[column] if column in raw.columns else None,
                limit=f"{MAX_MAGNITUDE:.0e}",
            )


def _check_text(cells: pd.Series, column: str, problems: _Problems) -> None:
    """Labels without NUL characters and within :data:`MAX_CHARS` (checked per category)."""
    labels = cells.cat.categories.astype(str)
    limit = MAX_CHARS[column]
    bad = np.asarray((labels.str.len() > limit) | labels.str.contains("\x00", regex=False), bool)
    if not bad.any():
        return
    codes = cells.cat.codes.to_numpy()
    rows = (codes >= 0) & np.append(bad, False)[codes]
    problems.add(TextNotStorable, rows, column=column, cells=cells, limit=limit)


def _check_waste_codes(codes: pd.Series, waste: np.ndarray, problems: _Problems) -> None:
    """``waste_code`` (optional) written as :data:`WASTE_CODE` allows, and only on
    ``waste_out`` rows (the only ones the reports read it from)."""
    labels = codes.cat.categories.astype(str)
    good = np.append(np.asarray(labels.str.fullmatch(WASTE_CODE), bool), True)
    positions = codes.cat.codes.to_numpy()
    given = positions >= 0
    problems.add(
        InvalidWasteCode,
        given & ~good[positions],
        column="waste_code",
        cells=codes,
        expected=msg("ledger.expected.waste_code"),
    )
    problems.add(
        WasteCodeNotOnWaste,
        given & ~waste,
        column="waste_code",
        cells=codes,
    )


def _granularity(period: str) -> str:
    """``"year"`` for ``YYYY``, ``"month"`` for ``YYYY-MM``."""
    return "year" if len(period) == 4 else "month"


def _mixed_periods(
    problems: _Problems,
    mask: np.ndarray,
    cells: pd.Series,
    *,
    granularity: str,
    other_file: str,
    other_row: int,
    other_value: str,
) -> None:
    other = "month" if granularity == "year" else "year"
    problems.add(
        MixedPeriods,
        mask,
        column="period",
        cells=cells,
        granularity=msg(f"ledger.granularity.{granularity}"),
        other_granularity=msg(f"ledger.granularity.{other}"),
        other_file=other_file,
        other_row=other_row,
        other_value=other_value,
    )


def _check_granularity(period: pd.Series, good: np.ndarray, problems: _Problems) -> None:
    """One ledger, one period granularity: flag the rows of the rarer one (ties: years).

    Yearly and monthly rows cannot be compared or summed per period (``2024`` would stand
    next to ``2024-12`` as if it were one more period), so a ledger uses one of them.
    """
    codes = period.cat.codes.to_numpy()
    yearly = np.append(good & (period.cat.categories.astype(str).str.len() == 4), False)[codes]
    monthly = np.append(good & (period.cat.categories.astype(str).str.len() == 7), False)[codes]
    if not (yearly.any() and monthly.any()):
        return
    rare, common = (yearly, monthly) if yearly.sum() <= monthly.sum() else (monthly, yearly)
    first = int(np.argmax(common))
    _mixed_periods(
        problems,
        rare,
        period,
        granularity="year" if rare is yearly else "month",
        other_file=problems.source,
        other_row=int(problems.rows[first]),
        other_value=str(period.iloc[first]),
    )


def _check_merged_granularity(ledgers: Sequence[Ledger]) -> None:
    """Ledgers of different period granularity cannot be merged: name the rarer files."""
    kinds = [
        _granularity(str(ledger.flows["period"].iloc[0])) if len(ledger.flows) else None
        for ledger in ledgers
    ]
    rows = {
        k: sum(len(x.flows) for x, g in zip(ledgers, kinds, strict=True) if g == k)
        for k in ("year", "month")
    }
    if not (rows["year"] and rows["month"]):
        return
    rare = "year" if rows["year"] <= rows["month"] else "month"
    common = next(x.flows.iloc[0] for x, g in zip(ledgers, kinds, strict=True) if g != rare)
    found: list[InputError] = []
    for ledger, kind in zip(ledgers, kinds, strict=True):
        if kind != rare:
            continue
        first = ledger.flows.iloc[0]
        problems = _Problems(str(first["source"]), np.array([int(first["row"])]))
        _mixed_periods(
            problems,
            np.array([True]),
            pd.Series([str(first["period"])]),
            granularity=rare,
            other_file=str(common["source"]),
            other_row=int(common["row"]),
            other_value=str(common["period"]),
        )
        found += [problem for _, problem in problems.found]
    raise InvalidLedger(problems=found, file=", ".join(str(p.params["file"]) for p in found))


def _filled(raw: pd.DataFrame, column: str) -> np.ndarray:
    """Cells of ``column`` that hold something, so a NaN there is 'not a number', not blank."""
    if column not in raw.columns:
        return np.zeros(len(raw), bool)
    return raw[column].notna().to_numpy()


def _text_keys(*columns: pd.Series) -> list[np.ndarray]:
    """Per categorical column, an integer per row, equal for two rows (of any of the columns)
    exactly when their cells read the same as text; a blank cell reads ``nan``, as
    ``str()`` of a missing value. Compared per category, not per row."""
    labels = [np.append(c.cat.categories.astype(str).to_numpy(object), "nan") for c in columns]
    keys = pd.factorize(np.concatenate(labels))[0]
    out: list[np.ndarray] = []
    start = 0
    for cells, spellings in zip(columns, labels, strict=True):
        of_category = keys[start : start + len(spellings)]
        start += len(spellings)
        out.append(of_category[cells.cat.codes.to_numpy()])  # code -1 picks the last: nan
    return out


def _check_transfers(table: dict[str, Any], transfers: np.ndarray, problems: _Problems) -> None:
    """Every transfer names its target centre, and the target is a centre of its site.

    Vectorised over category codes: a (site, centre) pair is one integer, so the targets
    are looked up with one :func:`numpy.isin` over the transfer rows.
    """
    to_centre = table["to_centre"]
    problems.add(
        MissingValue,
        transfers & to_centre.isna().to_numpy(),
        column="to_centre",
        cells=None,
        expected=msg("ledger.expected.to_centre"),
    )
    rows = np.flatnonzero(transfers & to_centre.notna().to_numpy())
    if not len(rows):
        return
    site_key, centre_key, target_key = _text_keys(table["site"], table["centre"], to_centre)
    width = int(max(centre_key.max(), target_key.max())) + 1
    present = np.unique(site_key * width + centre_key)
    unknown = np.zeros(len(site_key), bool)
    unknown[rows] = ~np.isin(site_key[rows] * width + target_key[rows], present)
    if not unknown.any():
        return
    site_text = np.append(table["site"].cat.categories.astype(str).to_numpy(object), "nan")
    centre_text = np.append(table["centre"].cat.categories.astype(str).to_numpy(object), "nan")
    site_codes, centre_codes = (table[c].cat.codes.to_numpy() for c in ("site", "centre"))
    for key in pd.unique(site_key[unknown]):
        of_site = site_key == key
        site_name = str(site_text[site_codes[np.argmax(of_site)]])
        names = {str(c) for c in centre_text[np.unique(centre_codes[of_site])]}
        available = ", ".join(sorted(names))
        problems.add(
            UnknownCentre,
            unknown & of_site,
            column="to_centre",
            cells=to_centre,
            site=site_name,
            available=available,
        )


def row_identity(flows: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """A stable identity per flow: a content hash and the occurrence among equal rows.

    The hash covers the canonical fields with quantities in base units (so ``1 t`` and
    ``1000 kg`` are the same flow) and leaves out ``note``, ``source`` and ``row``.
    Identical rows within one file stay distinct through ``occurrence`` (0, 1, …), so
    importing the same file twice yields the same identities and merging drops the copy.
    The occurrence is counted with one stable sort of the hashes that occur more than once
    (rows of equal hash keep their file order); a hash of one row has occurrence 0.
    """
    rounded = ("amount", "cost_eur", "recycled_share")
    # the frame to hash holds the flows' own columns (copy=False) and the rounded numbers:
    # no copy of the ledger (pandas hashes column by column, in this order)
    content = pd.DataFrame(
        {
            column: np.round(flows[column].to_numpy(dtype=float), _IDENTITY_DECIMALS)
            if column in rounded
            else flows[column]
            for column in _IDENTITY_COLUMNS
        },
        copy=False,
    )
    hashes = pd.util.hash_pandas_object(content, index=False).to_numpy(dtype=np.uint64)
    del content
    occurrence = np.zeros(len(hashes), dtype=np.int64)  # a hash of one row: occurrence 0
    repeated = np.flatnonzero(pd.Series(hashes).duplicated(keep=False).to_numpy(bool))
    if not len(repeated):
        return hashes, occurrence
    # only the rows whose hash repeats are sorted (in file order, the sort is stable)
    some = hashes[repeated]
    order = np.argsort(some, kind="stable")
    ordered = some[order]
    first = np.ones(len(some), bool)
    first[1:] = ordered[1:] != ordered[:-1]
    positions = np.arange(len(some), dtype=np.int64)
    run_start = np.where(first, positions, 0)
    np.maximum.accumulate(run_start, out=run_start)
    positions -= run_start  # the position within its run of equal hashes
    occurrence[repeated[order]] = positions
    return hashes, occurrence


def merge_ledgers(ledgers: Sequence[Ledger]) -> Ledger:
    """One ledger with the flows of all; a flow already present (same identity) is dropped."""
    if len(ledgers) == 1:
        return ledgers[0]
    _check_merged_granularity(ledgers)
    frames = [ledger.flows for ledger in ledgers]
    merged: dict[str, Any] = {}
    for column in frames[0].columns:
        parts = [frame[column] for frame in frames]
        if isinstance(parts[0].dtype, pd.CategoricalDtype) and column != "flow":
            merged[column] = pd.api.types.union_categoricals(parts, ignore_order=True)
        else:
            merged[column] = pd.concat(parts, ignore_index=True)
    flows = pd.DataFrame(merged)
    flows["flow"] = pd.Categorical(flows["flow"].astype(str), categories=FLOW_KINDS)
    keep = ~flows.duplicated(subset=["row_hash", "occurrence"], keep="first").to_numpy()
    sources = tuple(s for ledger in ledgers for s in ledger.sources)
    removed = int((~keep).sum()) + sum(ledger.duplicates_removed for ledger in ledgers)
    return Ledger(
        flows=flows[keep].reset_index(drop=True), sources=sources, duplicates_removed=removed
    )
