"""LkSG follow-up of a year: concrete risk assessments of flagged suppliers, preventive and
remedial measures with owner, due date and status, and their review.

The abstract screening (:func:`kreislauf.reporting.lksg.lksg_screening`) flags suppliers;
§ 5 Abs. 1 LkSG asks the company to assess those risks concretely, § 6 (preventive
measures) and § 7 (remedial action) to act on the confirmed ones, § 6 Abs. 5 / § 7 Abs. 4
to review the measures' effectiveness, and § 10 Abs. 1 to document all of it internally
and keep the documentation for seven years. (The reporting duty to BAFA of § 10 Abs. 2 was
abolished; the documentation duty stays; see the rule set's legal state.)

A follow-up file (YAML, read by :func:`kreislauf.bounded.parse_yaml`; docs/reporting.md#lksg)::

    year: 2025
    assessments:                      # one per flagged supplier and protected position
      - supplier: Kivu Cobalt SARL    # the name as in the supplier list
        position: HR01                # id of lksg-positions.csv (§ 2 Abs. 2 Nr. 1)
        finding: confirmed            # confirmed | not_confirmed | open
        method: audit                 # self_assessment | audit | certificate | site_visit | other
        evidence: Audit report 2025-03-12 (SGS)
        assessed_by: Erika Muster
        assessed_on: 2025-04-02
    measures:
      - id: M1
        supplier: Kivu Cobalt SARL
        position: HR01
        kind: remedial                # preventive (§ 6) | remedial (§ 7)
        description: Corrective action plan with the smelter, RMI audit
        owner: Einkauf, Max Beispiel
        due: 2025-09-30
        status: in_progress           # planned | in_progress | done | dropped
        reviewed_on: 2025-06-30       # last effectiveness review (§ 6 Abs. 5, § 7 Abs. 4)
        follow_up: Interim audit passed; second audit due Q3

:func:`followup_status` joins the file with the screening: per flagged supplier and
high-risk position whether an assessment exists, which measures it has and which are
overdue on the documentation date (due date passed, status neither done nor dropped).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from kreislauf.bounded import parse_yaml
from kreislauf.errors import FileNotReadable, InvalidLksgFollowUp, os_error_reason
from kreislauf.reporting.lksg import LksgAnalysis, rule_set

Finding = Literal["confirmed", "not_confirmed", "open"]
FINDINGS: tuple[Finding, ...] = ("confirmed", "not_confirmed", "open")
METHODS = ("self_assessment", "audit", "certificate", "site_visit", "other")
KINDS = ("preventive", "remedial")
STATUSES = ("planned", "in_progress", "done", "dropped")
TOP_LEVEL = ("year", "assessments", "measures")
ASSESSMENT_FIELDS = (
    "supplier", "position", "finding", "method", "evidence", "assessed_by", "assessed_on",
)  # fmt: skip
MEASURE_FIELDS = (
    "id", "supplier", "position", "kind", "description", "owner", "due", "status",
    "reviewed_on", "follow_up",
)  # fmt: skip
#: Most assessments or measures a follow-up file may hold.
MAX_ENTRIES = 2000
MAX_TEXT = 2000


@dataclass(frozen=True)
class Assessment:
    """The concrete assessment (§ 5 Abs. 1) of one supplier's risk for one position."""

    supplier: str
    position: str
    finding: Finding
    method: str
    evidence: str
    assessed_by: str
    assessed_on: str
    field: str = ""


@dataclass(frozen=True)
class Measure:
    """A preventive (§ 6) or remedial (§ 7) measure; ``due``/``reviewed_on`` ISO dates."""

    id: str
    supplier: str
    position: str
    kind: str
    description: str
    owner: str
    due: str
    status: str
    reviewed_on: str = ""
    follow_up: str = ""
    field: str = ""

    def overdue(self, on: dt.date) -> bool:
        """Due before ``on`` and neither done nor dropped."""
        return self.status not in ("done", "dropped") and dt.date.fromisoformat(self.due) < on


@dataclass(frozen=True)
class FollowUp:
    """A year's assessments and measures, from a file or from storage (``source``)."""

    year: int
    assessments: tuple[Assessment, ...] = ()
    measures: tuple[Measure, ...] = ()
    source: str = ""


def _problem(name: str, where: str, value: object, expected: str) -> InvalidLksgFollowUp:
    return InvalidLksgFollowUp(file=name, field=where, value=value, expected=expected)


def _text(entry: Mapping[str, Any], key: str, *, name: str, where: str, required: bool) -> str:
    raw = entry.get(key)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if required:
            raise _problem(name, f"{where}.{key}", raw, "a value")
        return ""
    if isinstance(raw, bool) or not isinstance(raw, str | int | float):
        raise _problem(name, f"{where}.{key}", raw, "text")
    text = str(raw).strip()
    if len(text) > MAX_TEXT:
        raise _problem(name, f"{where}.{key}", text[:40] + "…", f"at most {MAX_TEXT} characters")
    return text


def _date(entry: Mapping[str, Any], key: str, *, name: str, where: str, required: bool) -> str:
    raw = entry.get(key)
    if raw is None or raw == "":
        if required:
            raise _problem(name, f"{where}.{key}", raw, "a date YYYY-MM-DD")
        return ""
    if isinstance(raw, dt.date):
        return raw.isoformat()
    try:
        return dt.date.fromisoformat(str(raw)).isoformat()
    except ValueError:
        raise _problem(name, f"{where}.{key}", raw, "a date YYYY-MM-DD") from None


def _choice(
    entry: Mapping[str, Any], key: str, choices: Sequence[str], *, name: str, where: str
) -> str:
    text = _text(entry, key, name=name, where=where, required=True)
    if text not in choices:
        raise _problem(name, f"{where}.{key}", text, " | ".join(choices))
    return text


def _entries(
    data: Mapping[str, Any], key: str, fields: Sequence[str], name: str
) -> list[tuple[str, Mapping[str, Any]]]:
    raw = data.get(key) or []
    if not isinstance(raw, list) or len(raw) > MAX_ENTRIES:
        raise _problem(name, key, type(raw).__name__, f"a list of at most {MAX_ENTRIES} entries")
    entries: list[tuple[str, Mapping[str, Any]]] = []
    for n, entry in enumerate(raw, start=1):
        where = f"{key}[{n}]"
        if not isinstance(entry, dict):
            raise _problem(name, where, entry, "a mapping with " + ", ".join(fields))
        unknown = [k for k in entry if k not in fields]
        if unknown:
            raise _problem(name, f"{where}.{unknown[0]}", unknown[0], ", ".join(fields))
        entries.append((where, entry))
    return entries


def followup_from_data(
    data: object, *, name: str, suppliers: Sequence[str] | None = None
) -> FollowUp:
    """Validate the parsed YAML of a follow-up file (see the module docstring).

    suppliers : the names of the supplier list; when given, an entry naming another
        supplier is refused.
    """
    if not isinstance(data, dict):
        raise _problem(name, "", type(data).__name__, "a mapping with " + ", ".join(TOP_LEVEL))
    unknown = [k for k in data if k not in TOP_LEVEL]
    if unknown:
        raise _problem(name, str(unknown[0]), unknown[0], ", ".join(TOP_LEVEL))
    year = data.get("year")
    if isinstance(year, bool) or not isinstance(year, int) or not 1990 <= year <= 2100:
        raise _problem(name, "year", year, "a reporting year YYYY")
    positions = rule_set().positions
    known = set(suppliers) if suppliers is not None else None

    def supplier_and_position(entry: Mapping[str, Any], where: str) -> tuple[str, str]:
        supplier = _text(entry, "supplier", name=name, where=where, required=True)
        if known is not None and supplier not in known:
            raise _problem(name, f"{where}.supplier", supplier, "a name of the supplier list")
        position = _choice(entry, "position", tuple(positions), name=name, where=where)
        return supplier, position

    assessments = []
    seen: set[tuple[str, str]] = set()
    for where, entry in _entries(data, "assessments", ASSESSMENT_FIELDS, name):
        supplier, position = supplier_and_position(entry, where)
        if (supplier, position) in seen:
            raise _problem(
                name, where, f"{supplier} / {position}", "one assessment per supplier and position"
            )
        seen.add((supplier, position))
        assessments.append(
            Assessment(
                supplier=supplier,
                position=position,
                finding=_choice(entry, "finding", FINDINGS, name=name, where=where),  # type: ignore[arg-type]  # checked against FINDINGS
                method=_choice(entry, "method", METHODS, name=name, where=where),
                evidence=_text(entry, "evidence", name=name, where=where, required=False),
                assessed_by=_text(entry, "assessed_by", name=name, where=where, required=True),
                assessed_on=_date(entry, "assessed_on", name=name, where=where, required=True),
                field=where,
            )
        )
    measures = []
    ids: set[str] = set()
    for where, entry in _entries(data, "measures", MEASURE_FIELDS, name):
        measure_id = _text(entry, "id", name=name, where=where, required=True)
        if measure_id in ids:
            raise _problem(name, f"{where}.id", measure_id, "an id used once")
        ids.add(measure_id)
        supplier, position = supplier_and_position(entry, where)
        measures.append(
            Measure(
                id=measure_id,
                supplier=supplier,
                position=position,
                kind=_choice(entry, "kind", KINDS, name=name, where=where),
                description=_text(entry, "description", name=name, where=where, required=True),
                owner=_text(entry, "owner", name=name, where=where, required=True),
                due=_date(entry, "due", name=name, where=where, required=True),
                status=_choice(entry, "status", STATUSES, name=name, where=where),
                reviewed_on=_date(entry, "reviewed_on", name=name, where=where, required=False),
                follow_up=_text(entry, "follow_up", name=name, where=where, required=False),
                field=where,
            )
        )
    return FollowUp(year, tuple(assessments), tuple(measures), name)


def read_followup(path: Path, *, suppliers: Sequence[str] | None = None) -> FollowUp:
    """Read and validate a follow-up file.

    Raises
    ------
    FileNotReadable
        when the file cannot be read.
    InvalidLksgFollowUp
        naming the entry and field, the value and what was expected.
    LimitExceeded
        beyond the YAML limits of :class:`kreislauf.bounded.Limits`.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeError) as error:
        raise FileNotReadable(file=path.name, reason=os_error_reason(error)) from error
    data = parse_yaml(text, name=path.name, error=InvalidLksgFollowUp)
    return followup_from_data(data, name=path.name, suppliers=suppliers)


@dataclass(frozen=True)
class RiskFollowUp:
    """One high risk of a flagged supplier with its assessment and measures.

    state : ``not_assessed`` (no assessment yet), ``open`` (assessment not concluded),
        ``not_confirmed``, ``confirmed_without_measure`` (§ 6/§ 7 ask for one),
        ``in_progress`` (measures, some not done), ``overdue`` (a measure past its due
        date), ``addressed`` (all measures done or dropped).
    """

    supplier: str
    position: str
    assessment: Assessment | None
    measures: tuple[Measure, ...]
    state: str


def _state(assessment: Assessment | None, measures: Sequence[Measure], on: dt.date) -> str:
    if assessment is None:
        return "not_assessed"
    if assessment.finding == "open":
        return "open"
    if assessment.finding == "not_confirmed" and not measures:
        return "not_confirmed"
    if not measures:
        return "confirmed_without_measure"
    if any(m.overdue(on) for m in measures):
        return "overdue"
    if all(m.status in ("done", "dropped") for m in measures):
        return "addressed"
    return "in_progress"


def followup_status(
    analysis: LksgAnalysis, followup: FollowUp, *, on: dt.date
) -> tuple[RiskFollowUp, ...]:
    """Per flagged supplier (ranking order) and high-risk position: its assessment,
    measures and state on the date ``on``; then assessed or measured risks the screening
    does not flag (a supplier's own finding counts even where the screening saw none)."""
    assessments = {(a.supplier, a.position): a for a in followup.assessments}
    measures: dict[tuple[str, str], list[Measure]] = {}
    for measure in followup.measures:
        measures.setdefault((measure.supplier, measure.position), []).append(measure)
    keys: list[tuple[str, str]] = []
    for supplier in analysis.suppliers:
        if supplier.flagged:
            keys += [
                (supplier.supplier.name, r.position) for r in supplier.risks if r.level == "high"
            ]
    keys += [k for k in [*assessments, *measures] if k not in keys]
    return tuple(
        RiskFollowUp(
            supplier=s,
            position=p,
            assessment=assessments.get((s, p)),
            measures=tuple(measures.get((s, p), [])),
            state=_state(assessments.get((s, p)), measures.get((s, p), []), on),
        )
        for s, p in dict.fromkeys(keys)
    )
