"""ESRS E5 data points (resource inflows E5-4, resource outflows E5-5) from the ledger.

The list of data points is versioned data with its source
(``data/esrs-e5-set1-2023.csv``: Commission Delegated Regulation (EU) 2023/2772, Annex I,
ESRS E5 §§31, 36, 37, 39). What the ledger holds is computed and traced to its rows:

- §31(a) materials used [t] = Σ ``material_in``; §31(c) secondary (recycled) materials
  [t, %] = Σ ``material_in`` × ``recycled_share`` (the ledger's recycled share, ISO 14021);
- §37(a) waste [t] = Σ ``waste_out``; §37(b) diverted from disposal: ``recycling`` (ii)
  and ``energy_recovery`` (iii, other recovery operations: energy recovery is recovery
  operation R1 of Directive 2008/98/EC, Annex II); §37(c) directed to disposal:
  ``disposal`` (its type, incineration / landfill / other, is asked); §37(d) non-recycled
  waste [t, %]; hazardous / non-hazardous and §39 hazardous waste from the List-of-Waste
  codes of the answers (``waste_codes``).

The rest (§31(b), §36, §37(c)(i-iii), radioactive waste) comes from the answers'
``esrs_e5`` section or stays open.

References
----------
Commission Delegated Regulation (EU) 2023/2772, Annex I, ESRS E5 Resource use and circular
economy, paragraphs 31, 36, 37, 39. Directive 2008/98/EC, Annex I (disposal) and Annex II
(recovery operations).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

import pandas as pd

from kreislauf.i18n import Lang
from kreislauf.ledger import Ledger
from kreislauf.reporting.answers import Answers
from kreislauf.reporting.models import KG_PER_T, DataPoint, DataPointJson, Source, datapoint_json
from kreislauf.reporting.taxonomy import waste_codes
from kreislauf.reporting.vsme import rows_source, year_flows
from kreislauf.reporting.waste import row_waste_codes
from kreislauf.results import Result, Serialisable

E5_VERSION = "esrs-set1-2023"
E5_SOURCE = "Commission Delegated Regulation (EU) 2023/2772 of 31 July 2023, Annex I, ESRS E5"


@dataclass(frozen=True)
class E5Definition:
    """One E5 data point of the versioned list: id, disclosure, paragraph, unit, method."""

    id: str
    disclosure: str
    paragraph: str
    unit: str
    method: str
    label_de: str
    label_en: str

    def label(self, lang: Lang) -> str:
        return self.label_de if lang == "de" else self.label_en

    @property
    def asked(self) -> bool:
        return self.method == "answer"


@cache
def e5_definitions() -> dict[str, E5Definition]:
    """The E5 data points by id, in the order of the standard."""
    text = resources.files(__package__).joinpath(
        "data", f"esrs-e5-{E5_VERSION.removeprefix('esrs-')}.csv"
    )
    lines = [
        line for line in text.read_text(encoding="utf-8").splitlines() if not line.startswith("#")
    ]
    return {row["id"]: E5Definition(**row) for row in csv.DictReader(lines)}


@dataclass(frozen=True)
class E5Result(Serialisable):
    """The E5 data points of one year: computed and answered ones, and the open ids."""

    year: str
    points: dict[str, DataPoint]
    open: tuple[str, ...]
    sources: tuple[str, ...]

    def value(self, key: str) -> float | bool | str | None:
        point = self.points.get(key)
        return None if point is None else point.value

    def json_model(self) -> E5Json:
        return E5Json(
            year=self.year,
            version=E5_VERSION,
            source=E5_SOURCE,
            datapoints={k: datapoint_json(p) for k, p in self.points.items()},
            open=list(self.open),
        )


class E5Json(Result):
    """``kreislauf reporting e5 --json``: ``{"datapoints": {id: {"value", "unit",
    "source", …}}, "open": [ids], "version", "source"}``."""

    year: str
    version: str
    source: str
    datapoints: dict[str, DataPointJson]
    open: list[str]


def _hazardous(waste: pd.DataFrame, answers: Answers) -> list[bool | None]:
    """Per waste row: hazardous by its List-of-Waste code, None without a code."""
    table = waste_codes()
    return [
        table[code].hazardous if code else None for code in row_waste_codes(waste, answers).codes
    ]


def e5_datapoints(ledger: Ledger, *, year: str, answers: Answers | None = None) -> E5Result:
    """The ESRS E5-4 / E5-5 data points of ``year`` (see the module docstring).

    Masses in t; shares in %. Raises :class:`~kreislauf.errors.YearNotInLedger` when the
    ledger has no flow in ``year``.
    """
    given = answers or Answers()
    flows = year_flows(ledger, year)
    definitions = e5_definitions()
    points: dict[str, DataPoint] = {}

    def add(key: str, value: float, rows: pd.DataFrame, note: str) -> None:
        definition = definitions[key]
        points[key] = DataPoint(
            key=key,
            concept=key,
            value=value,
            unit=definition.unit,
            module=definition.disclosure,
            origin="computed",
            sources=rows_source(rows, note),
        )

    def t(rows: pd.DataFrame) -> float:
        return float(rows["amount"].sum()) / KG_PER_T

    materials = flows[flows["flow"] == "material_in"]
    if not materials.empty:
        total = float(materials["amount"].sum())
        recycled = float((materials["amount"] * materials["recycled_share"]).sum())
        add("E5-4.31a", total / KG_PER_T, materials, "material_in rows")
        note = "material_in rows: quantity × recycled_share"
        add("E5-4.31c", recycled / KG_PER_T, materials, note)
        add("E5-4.31c-share", 100 * recycled / total if total else 0.0, materials, note)
    waste = flows[flows["flow"] == "waste_out"]
    if not waste.empty:
        treatment = waste["treatment"].astype(object)
        flags = _hazardous(waste, given)
        coded = all(flag is not None for flag in flags)
        hazardous = pd.Series([flag is True for flag in flags], index=waste.index)
        diverted = waste[treatment.isin(["recycling", "energy_recovery"])]
        disposed = waste[treatment == "disposal"]
        recycling = waste[treatment == "recycling"]
        note = "waste_out rows"
        add("E5-5.37a", t(waste), waste, note)
        add("E5-5.37b", t(diverted), waste if diverted.empty else diverted, note)
        add("E5-5.37b-i", 0.0, waste, "no ledger treatment is preparation for reuse")
        add("E5-5.37b-ii", t(recycling), waste if recycling.empty else recycling, note)
        recovery = waste[treatment == "energy_recovery"]
        add("E5-5.37b-iii", t(recovery), waste if recovery.empty else recovery, note)
        add("E5-5.37c", t(disposed), waste if disposed.empty else disposed, note)
        non_recycled = waste[treatment != "recycling"]
        add("E5-5.37d", t(non_recycled), waste if non_recycled.empty else non_recycled, note)
        add("E5-5.37d-share", 100 * t(non_recycled) / t(waste) if t(waste) else 0.0, waste, note)
        if coded:
            for key, part in (("E5-5.37b", diverted), ("E5-5.37c", disposed)):
                haz = part[hazardous[part.index]]
                non = part[~hazardous[part.index]]
                add(f"{key}-hazardous", t(haz), part if haz.empty else haz, note)
                add(f"{key}-non-hazardous", t(non), part if non.empty else non, note)
            haz_all = waste[hazardous]
            add("E5-5.39-hazardous", t(haz_all), waste if haz_all.empty else haz_all, note)
    for key, value in given.e5_values.items():
        definition = definitions[key]
        points[key] = DataPoint(
            key=key,
            concept=key,
            value=value,
            unit=definition.unit or None,
            module=definition.disclosure,
            origin="answered",
            sources=(Source(file=given.source, field=f"esrs_e5.{key}", note=given.answered_by),),
        )
    ordered = {key: points[key] for key in definitions if key in points}
    return E5Result(
        year=year,
        points=ordered,
        open=tuple(key for key in definitions if key not in points),
        sources=tuple(dict.fromkeys([*ledger.sources, *([given.source] if given.source else [])])),
    )
