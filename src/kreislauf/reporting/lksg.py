"""LkSG risk analysis (§ 5) of direct suppliers: abstract screening by country × sector
against the protected positions (§ 2 Abs. 2 and 3), prioritised by the criteria of
§ 3 Abs. 2.

Inputs: the supplier list (:func:`read_suppliers`: name, country ISO 3166-1 alpha-2, NACE
Rev. 2 code, spend [EUR], products; optional influence and contribution), the shipped rule
set (``data/lksg-*.csv``, ``lksg-ruleset.yaml``; every row with source and date) and an
optional country index (:func:`read_country_index`, e.g. the World Bank's Worldwide
Governance Indicators, CC BY 4.0, which the user downloads).

Screening, per supplier and protected position:

- sector level s ∈ {0, 1, 2}: the highest level of the sector rows whose NACE prefix the
  supplier's code starts with and that name the position;
- country level c ∈ {0, 1, 2}: from the index (Rule of Law estimate < −1 → 2, < 0 → 1,
  else 0) if given, else the baseline (EU member states 0, other countries 1);
- a pair of the goods list (country and a product keyword, or without a keyword match the
  NACE prefix) sets the probability to 4 for its positions;
- probability p = s + c for positions with s > 0; high risk when p ≥ 3, medium at 2.

Priority (§ 3 Abs. 2): severity w (1-3, the positions table: extent, irreversibility)
× probability p (Nr. 3) × influence f (Nr. 1-2: high 1.5, medium 1.0, low 0.5, from the
supplier list or from the spend share ≥ 10 % / ≥ 2 %) × contribution k (Nr. 4: direct 1.0,
indirect 0.5). Suppliers are ranked by their highest priority.

References
----------
Lieferkettensorgfaltspflichtengesetz (LkSG) of 16 July 2021, BGBl. I S. 2959, §§ 2, 3, 5.
BAFA (2022) Handreichung Risiken ermitteln, gewichten und priorisieren.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from kreislauf.bounded import load_yaml
from kreislauf.errors import InvalidSupplierList
from kreislauf.i18n import Lang
from kreislauf.numbers import parse_number
from kreislauf.results import Number, Number3, Result, Serialisable
from kreislauf.tables import read_table

Level = Literal["high", "medium", "low"]
REQUIRED = ("name", "country", "nace", "spend_eur")
OPTIONAL = ("products", "influence", "contribution")
INFLUENCE = {"high": 1.5, "medium": 1.0, "low": 0.5}
CONTRIBUTION = {"direct": 1.0, "indirect": 0.5}


def _data(name: str) -> str:
    return resources.files(__package__).joinpath("data", name).read_text(encoding="utf-8")


def _rows(name: str) -> list[dict[str, str]]:
    lines = [line for line in _data(name).splitlines() if not line.startswith("#")]
    return list(csv.DictReader(lines))


@dataclass(frozen=True)
class Position:
    """A protected legal position of § 2 Abs. 2 / 3 with its severity weight (1-3)."""

    id: str
    paragraph: str
    label_de: str
    label_en: str
    severity: int
    irreversible: bool
    source: str
    date: str

    def label(self, lang: Lang) -> str:
        return self.label_de if lang == "de" else self.label_en


@dataclass(frozen=True)
class Rule:
    """A row of a rule table: what it says, its source and date (table and row)."""

    table: str
    row: int
    positions: tuple[str, ...]
    level: int
    reason: str
    source: str
    date: str
    nace: str = ""
    country: str = ""
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class RuleSet:
    """The shipped LkSG rule set: positions, sector and goods rules, country baselines."""

    version: str
    checked_on: str
    legal_state: dict[str, str]
    sources: tuple[str, ...]
    thresholds: dict[str, float]
    positions: dict[str, Position]
    sector_rules: tuple[Rule, ...]
    goods_rules: tuple[Rule, ...]
    country_baseline: dict[str, Rule]


@cache
def rule_set() -> RuleSet:
    """The rule set shipped in ``reporting/data`` (version and legal state in its YAML)."""
    meta: dict[str, Any] = load_yaml(_data("lksg-ruleset.yaml"), name="lksg-ruleset.yaml")
    positions = {
        row["id"]: Position(
            id=row["id"],
            paragraph=row["paragraph"],
            label_de=row["label_de"],
            label_en=row["label_en"],
            severity=int(row["severity"]),
            irreversible=row["irreversible"] == "yes",
            source=row["source"],
            date=row["date"],
        )
        for row in _rows("lksg-positions.csv")
    }
    sectors = tuple(
        Rule(
            table="lksg-sector-risks.csv",
            row=n,
            positions=tuple(row["positions"].split()),
            level=int(row["level"]),
            reason=row["rationale"],
            source=row["source"],
            date=row["date"],
            nace=row["nace"],
        )
        for n, row in enumerate(_rows("lksg-sector-risks.csv"), start=1)
    )
    goods = tuple(
        Rule(
            table="lksg-country-goods.csv",
            row=n,
            positions=tuple(row["positions"].split()),
            level=4,
            reason=row["good"],
            source=row["source"],
            date=row["date"],
            nace=row["nace"],
            country=row["country"],
            keywords=tuple(row["keywords"].lower().split()),
        )
        for n, row in enumerate(_rows("lksg-country-goods.csv"), start=1)
    )
    baseline = {
        row["country"]: Rule(
            table="lksg-countries.csv",
            row=n,
            positions=(),
            level=int(row["baseline"]),
            reason="baseline",
            source=row["source"],
            date=row["date"],
            country=row["country"],
        )
        for n, row in enumerate(_rows("lksg-countries.csv"), start=1)
    }
    return RuleSet(
        version=str(meta["version"]),
        checked_on=str(meta["checked_on"]),
        legal_state={k: str(v) for k, v in meta["legal_state"].items()},
        sources=tuple(str(s) for s in meta["sources"]),
        thresholds={k: float(v) for k, v in meta["thresholds"].items()},
        positions=positions,
        sector_rules=sectors,
        goods_rules=goods,
        country_baseline=baseline,
    )


@dataclass(frozen=True)
class Supplier:
    """One direct supplier. spend_eur [EUR]; ``row`` as in the file (header = row 1)."""

    name: str
    country: str
    nace: str
    spend_eur: float
    products: str
    influence: str
    contribution: str
    source: str
    row: int


def _nace(text: str) -> str:
    """``C24.10``, ``c 24.1``, ``24.10`` → ``C24.10``; the section letter is added from the
    division (NACE Rev. 2, Regulation (EC) No 1893/2006, Annex I)."""
    code = text.strip().upper().replace(" ", "")
    if code and code[0].isdigit():
        division = int(code[:2]) if code[:2].isdigit() else -1
        code = _section(division) + code
    return code


_SECTIONS = (
    ("A", 1, 3), ("B", 5, 9), ("C", 10, 33), ("D", 35, 35), ("E", 36, 39), ("F", 41, 43),
    ("G", 45, 47), ("H", 49, 53), ("I", 55, 56), ("J", 58, 63), ("K", 64, 66), ("L", 68, 68),
    ("M", 69, 75), ("N", 77, 82), ("O", 84, 84), ("P", 85, 85), ("Q", 86, 88), ("R", 90, 93),
    ("S", 94, 96), ("T", 97, 98), ("U", 99, 99),
)  # fmt: skip


def _section(division: int) -> str:
    for letter, first, last in _SECTIONS:
        if first <= division <= last:
            return letter
    return ""


def _nace_valid(code: str) -> bool:
    if len(code) == 1:
        return code in {s[0] for s in _SECTIONS}
    digits = code[1:].replace(".", "")
    return bool(code[0].isalpha() and digits.isdigit() and 2 <= len(digits) <= 4)


def read_suppliers(path: Path) -> list[Supplier]:
    """Read a supplier list (CSV/XLSX through :mod:`kreislauf.tables`).

    Columns ``name``, ``country`` (ISO 3166-1 alpha-2), ``nace`` (NACE Rev. 2: section
    letter, division ``24``, group ``24.4`` or class ``24.42``, with or without letter),
    ``spend_eur`` (≥ 0); optional ``products``, ``influence`` (high/medium/low),
    ``contribution`` (direct/indirect).

    Raises
    ------
    InvalidSupplierList
        naming file, row, column, the value and what was expected.
    """
    table = read_table(path, comments=True)
    columns = [str(c).strip().lower() for c in table.frame.columns]
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise InvalidSupplierList(
            file=path.name,
            row=table.header_line,
            value=missing[0],
            expected="columns " + ", ".join(REQUIRED),
        )
    decimal = table.decimal_of(str(table.frame.columns[columns.index("spend_eur")]))
    frame = table.frame.copy()
    frame.columns = columns
    suppliers: list[Supplier] = []
    for index, number in enumerate(table.lines):
        line = int(number)
        cells = {c: frame.iloc[index][c] for c in columns if c in (*REQUIRED, *OPTIONAL)}
        text = {c: "" if _blank(v) else str(v).strip() for c, v in cells.items()}

        def fail(
            column: str, expected: str, *, _line: int = line, _text: dict[str, str] = text
        ) -> InvalidSupplierList:
            return InvalidSupplierList(
                file=path.name,
                row=_line,
                column=column,
                value=_text.get(column, ""),
                expected=expected,
            )

        if not text["name"]:
            raise fail("name", "the supplier's name")
        country = text["country"].upper()
        if not (len(country) == 2 and country.isalpha()):
            raise fail("country", "an ISO 3166-1 alpha-2 code such as DE, CN, CD")
        nace = _nace(text["nace"])
        if not _nace_valid(nace):
            raise fail("nace", "a NACE Rev. 2 code such as C24.10, 24.1 or B")
        try:
            spend = parse_number(text["spend_eur"], decimal=decimal)
        except ValueError:
            raise fail("spend_eur", "a number ≥ 0 [EUR]") from None
        if not spend >= 0 or spend == float("inf"):
            raise fail("spend_eur", "a number ≥ 0 [EUR]")
        influence = text.get("influence", "").lower()
        if influence and influence not in INFLUENCE:
            raise fail("influence", "high, medium or low")
        contribution = text.get("contribution", "").lower() or "direct"
        if contribution not in CONTRIBUTION:
            raise fail("contribution", "direct or indirect")
        suppliers.append(
            Supplier(
                name=text["name"], country=country, nace=nace, spend_eur=spend,
                products=text.get("products", ""), influence=influence,
                contribution=contribution, source=path.name, row=line,
            )
        )  # fmt: skip
    return suppliers


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and value != value) or str(value) == ""


@dataclass(frozen=True)
class CountryIndex:
    """Rule of Law estimates (WGI scale −2.5…2.5) by ISO alpha-2 code, with source/year."""

    values: dict[str, float]
    source: str
    year: str


def read_country_index(path: Path) -> CountryIndex:
    """A country index CSV: ``country`` (alpha-2), ``rule_of_law`` (WGI estimate),
    ``year``, ``source`` (e.g. the World Bank's WGI, CC BY 4.0; docs/reporting.md#lksg)."""
    table = read_table(path, comments=True)
    frame = table.frame
    values: dict[str, float] = {}
    sources: set[str] = set()
    years: set[str] = set()
    for index, number in enumerate(table.lines):
        line = int(number)
        row = frame.iloc[index]
        country = str(row.get("country", "")).strip().upper()
        try:
            value = parse_number(str(row.get("rule_of_law", "")))
        except ValueError:
            raise InvalidSupplierList(
                file=path.name, row=line, column="rule_of_law",
                value=str(row.get("rule_of_law", "")), expected="a WGI estimate, e.g. -1.2",
            ) from None  # fmt: skip
        if len(country) != 2:
            raise InvalidSupplierList(
                file=path.name, row=line, column="country", value=country,
                expected="an ISO 3166-1 alpha-2 code",
            )  # fmt: skip
        values[country] = value
        sources.add(str(row.get("source", "")))
        years.add(str(row.get("year", "")))
    return CountryIndex(values, "; ".join(sorted(sources)), ", ".join(sorted(years)))


@dataclass(frozen=True)
class PositionRisk:
    """The abstract risk of one supplier for one protected position and its priority.

    probability : 1-4; level : high (≥ 3), medium (2), low; priority = severity ×
    probability × influence × contribution (§ 3 Abs. 2); rules : the rows it rests on.
    """

    position: str
    probability: int
    level: Level
    priority: float
    rules: tuple[Rule, ...]


@dataclass(frozen=True)
class SupplierRisk:
    """One supplier's screening: its risks by position, influence and overall priority."""

    supplier: Supplier
    spend_share: float
    influence: str
    country_level: int
    country_rule: str
    risks: tuple[PositionRisk, ...]

    @property
    def priority(self) -> float:
        return max((r.priority for r in self.risks), default=0.0)

    @property
    def flagged(self) -> bool:
        return any(r.level == "high" for r in self.risks)


@dataclass(frozen=True)
class LksgAnalysis(Serialisable):
    """The risk analysis: suppliers ranked by priority, with the rule set's legal state."""

    suppliers: tuple[SupplierRisk, ...]
    rules: RuleSet
    index_source: str = ""
    sources: tuple[str, ...] = field(default=())

    def json_model(self) -> LksgJson:
        return LksgJson(
            rule_set=self.rules.version,
            checked_on=self.rules.checked_on,
            legal_state=self.rules.legal_state,
            index_source=self.index_source,
            suppliers=[
                SupplierJson(
                    rank=n,
                    name=s.supplier.name,
                    country=s.supplier.country,
                    nace=s.supplier.nace,
                    spend_eur=s.supplier.spend_eur,
                    spend_share=s.spend_share,
                    influence=s.influence,
                    contribution=s.supplier.contribution,
                    flagged=s.flagged,
                    priority=s.priority,
                    source={"file": s.supplier.source, "row": s.supplier.row},
                    risks=[
                        RiskJson(
                            position=r.position,
                            paragraph=self.rules.positions[r.position].paragraph,
                            probability=r.probability,
                            level=r.level,
                            priority=r.priority,
                            rules=[
                                {"table": u.table, "row": u.row, "source": u.source, "date": u.date}
                                for u in r.rules
                            ],
                        )
                        for r in s.risks
                    ],
                )
                for n, s in enumerate(self.suppliers, start=1)
            ],
        )


class RiskJson(Result):
    position: str
    paragraph: str
    probability: int
    level: str
    priority: Number3
    rules: list[dict[str, str | int]]


class SupplierJson(Result):
    rank: int
    name: str
    country: str
    nace: str
    spend_eur: Number
    spend_share: Number
    influence: str
    contribution: str
    flagged: bool
    priority: Number3
    source: dict[str, str | int]
    risks: list[RiskJson]


class LksgJson(Result):
    """``kreislauf reporting lksg --json``: ranked suppliers, their risks and the rules."""

    rule_set: str
    checked_on: str
    legal_state: dict[str, str]
    index_source: str
    suppliers: list[SupplierJson]


def _country(supplier: Supplier, rules: RuleSet, index: CountryIndex | None) -> tuple[int, str]:
    if index is not None and supplier.country in index.values:
        value = index.values[supplier.country]
        level = 2 if value < -1.0 else 1 if value < 0.0 else 0
        return level, f"rule of law {value:+.2f} ({index.source} {index.year})"
    baseline = rules.country_baseline.get(supplier.country)
    if baseline is not None:
        return (
            baseline.level,
            f"{baseline.table}:{baseline.row} ({baseline.source}, {baseline.date})",
        )
    return 1, "no index value: elevated by default"


def _influence(supplier: Supplier, share: float, rules: RuleSet) -> str:
    if supplier.influence:
        return supplier.influence
    if share >= rules.thresholds["influence_share_high"]:
        return "high"
    if share >= rules.thresholds["influence_share_medium"]:
        return "medium"
    return "low"


def _goods_matches(supplier: Supplier, rules: Sequence[Rule]) -> list[Rule]:
    """Goods-list rows of the supplier's country: those a product keyword names, else
    (no keyword matches) those whose NACE prefix the supplier's code starts with."""
    candidates = [r for r in rules if r.country == supplier.country]
    products = supplier.products.lower()
    named = [r for r in candidates if any(k in products for k in r.keywords)]
    return named or [r for r in candidates if supplier.nace.startswith(r.nace)]


def lksg_screening(
    suppliers: Sequence[Supplier],
    *,
    index: CountryIndex | None = None,
    rules: RuleSet | None = None,
) -> LksgAnalysis:
    """Abstract risk analysis of ``suppliers`` (see the module docstring), ranked by
    priority (highest first; ties by spend)."""
    chosen = rules or rule_set()
    total = sum(s.spend_eur for s in suppliers)
    results = []
    for supplier in suppliers:
        share = supplier.spend_eur / total if total else 0.0
        influence = _influence(supplier, share, chosen)
        country_level, country_rule = _country(supplier, chosen, index)
        found: dict[str, tuple[int, list[Rule]]] = {}
        for rule in chosen.sector_rules:
            if supplier.nace.startswith(rule.nace):
                for position in rule.positions:
                    known, basis = found.get(position, (0, []))
                    found[position] = (max(known, rule.level), [*basis, rule])
        goods: dict[str, list[Rule]] = {}
        for rule in _goods_matches(supplier, chosen.goods_rules):
            for position in rule.positions:
                goods.setdefault(position, []).append(rule)
        risks = []
        for position in dict.fromkeys([*found, *goods]):
            sector_level, basis = found.get(position, (0, []))
            probability = min(sector_level + country_level, 4) if sector_level else 0
            if position in goods:
                probability, basis = 4, [*basis, *goods[position]]
            if probability <= 0:
                continue
            level: Level = (
                "high"
                if probability >= chosen.thresholds["high"]
                else "medium"
                if probability >= chosen.thresholds["medium"]
                else "low"
            )
            severity = chosen.positions[position].severity
            priority = (
                severity * probability * INFLUENCE[influence] * CONTRIBUTION[supplier.contribution]
            )
            risks.append(PositionRisk(position, probability, level, priority, tuple(basis)))
        risks.sort(key=lambda r: (-r.priority, r.position))
        results.append(
            SupplierRisk(supplier, share, influence, country_level, country_rule, tuple(risks))
        )
    results.sort(key=lambda r: (-r.priority, -r.supplier.spend_eur, r.supplier.name))
    return LksgAnalysis(
        suppliers=tuple(results),
        rules=chosen,
        index_source=f"{index.source} {index.year}" if index else "",
        sources=tuple(dict.fromkeys(s.source for s in suppliers)),
    )
