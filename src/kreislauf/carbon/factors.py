"""Emission factors: the shipped library, user overrides and the matching of keys.

A factor says how many kg CO2e one unit of an activity causes, e.g. ``0.38 kg CO2e / kWh``.
The shipped library (``carbon/data/factors.csv``) holds factors from open sources whose
licence allows redistribution (US EPA GHG Emission Factors Hub: public domain; UK DESNZ
conversion factors: Open Government Licence v3.0; US EPA USEEIO supply-chain factors: US
government work; Umweltbundesamt: figures with source);
every row carries its source table, year, region, GWP set, a data-quality rating and the
licence. A user CSV (``key, value, unit, scope, category, source, year, region`` and the
optional ``same_as``, ``quality``, ``gwp``) adds factors or overrides library factors of the
same key. It is read by :mod:`kreislauf.tables` (encoding, ``,``/``;`` and the decimal mark
detected, ``#`` comment lines and blank lines skipped, rows named by their line in the file).

Keys are compared case-insensitively with runs of whitespace collapsed. Several factors
may share a key with different years; :meth:`FactorLibrary.lookup` picks the factor of the
requested year, else the latest earlier year, else the earliest later year.

Units are written ``<mass> CO2e / <activity unit>``; both parts are parsed with the one
pint registry (:mod:`kreislauf.units`), except the currencies ``EUR`` and ``USD``, which pint
does not know and which are matched literally (no exchange rate is ever applied).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Literal

import pint
from pydantic import BaseModel, ConfigDict

from kreislauf.errors import InvalidFactorFile, NoFactor, UnitNotConvertible
from kreislauf.numbers import Decimal, parse_number
from kreislauf.tables import read_table, read_table_text
from kreislauf.units import ureg

#: Currencies matched literally (pint has no currency units); EUR never converts to USD.
CURRENCIES = ("EUR", "USD")
#: Allowed ``category`` per scope; Scope 3 categories are the 15 of the GHG Protocol.
SCOPE_CATEGORIES: dict[int, tuple[str, ...]] = {
    1: ("stationary_combustion", "mobile_combustion", "process", "fugitive"),
    2: ("electricity", "heat", "steam", "cooling"),
    3: tuple(str(n) for n in range(1, 16)),
}
QUALITY_LEVELS = (1, 2, 3, 4, 5)
USER_COLUMNS = ("key", "value", "unit", "scope", "category", "source", "year", "region")
USER_OPTIONAL = ("same_as", "quality", "gwp", "licence", "note")
LIBRARY_COLUMNS = (
    "key",
    "value",
    "unit",
    "scope",
    "category",
    "source",
    "table",
    "year",
    "region",
    "gwp",
    "quality",
    "licence",
    "note",
)
_UNIT = re.compile(r"^\s*(?P<mass>[A-Za-z]+)\s+CO2e?\s*/\s*(?P<per>.+?)\s*$")

Origin = Literal["library", "user"]


def normalize_key(key: str) -> str:
    """The form keys are compared in: case-folded, trimmed, inner whitespace collapsed."""
    return " ".join(str(key).split()).casefold()


class Factor(BaseModel):
    """One emission factor with everything a reader needs to check it.

    value : kg/t CO2e per activity unit as written in ``unit`` [mass CO2e / activity unit]
    unit : e.g. ``kg CO2e / kWh``, ``kg CO2e / t``, ``kg CO2e / t*km``, ``kg CO2e / EUR``,
        ``kg CO2e / USD``
    scope : GHG Protocol scope 1, 2 or 3
    category : see :data:`SCOPE_CATEGORIES`
    source : document and table, e.g. ``US EPA GHG Emission Factors Hub 2024, Table 1``
    quality : data-quality rating 1 (verified, specific) to 5 (rough estimate)
    """

    model_config = ConfigDict(frozen=True)

    key: str
    value: float
    unit: str
    scope: int
    category: str
    source: str
    year: int | None = None
    region: str = ""
    gwp: str = ""
    quality: int = 3
    licence: str = ""
    note: str = ""
    origin: Origin = "library"

    @property
    def per_unit(self) -> str:
        """The activity unit, e.g. ``kWh``."""
        return parse_factor_unit(self.unit)[1]

    def co2e_kg(self, amount: float, unit: str) -> float:
        """Emissions of ``amount`` given in ``unit`` [kg CO2e].

        Raises
        ------
        UnitNotConvertible
            when ``unit`` cannot be converted to the factor's activity unit.
        """
        return amount * conversion(unit, self.per_unit, factor_key=self.key) * self.kg_per_unit

    @property
    def kg_per_unit(self) -> float:
        """The value in kg CO2e per activity unit."""
        return self.value * parse_factor_unit(self.unit)[0]


@cache
def parse_factor_unit(unit: str) -> tuple[float, str]:
    """``(kg per mass unit, activity unit)`` of a factor unit such as ``t CO2e / MWh``.

    Raises ``ValueError`` when the text is not of the form ``<mass> CO2e / <unit>``.
    """
    found = _UNIT.match(unit)
    if not found:
        raise ValueError(f"'{unit}' is not of the form '<mass> CO2e / <unit>'")
    mass, per = found["mass"], found["per"].replace("·", "*")
    try:
        scale = float(ureg.Quantity(1, mass).to("kg").magnitude)
        if per not in CURRENCIES:
            ureg.Quantity(1, per)
    except (pint.errors.PintError, ValueError, AttributeError, TypeError) as error:
        raise ValueError(f"'{unit}': {error}") from error
    return scale, per


@cache
def _conversion(unit: str, per: str) -> float | None:
    if unit in CURRENCIES or per in CURRENCIES:
        return 1.0 if unit == per else None
    try:
        return float(ureg.Quantity(1, unit.replace("·", "*")).to(per).magnitude)
    except (pint.errors.PintError, ValueError, AttributeError, TypeError):
        return None


def conversion(unit: str, per: str, *, factor_key: str) -> float:
    """How many ``per`` one ``unit`` is (e.g. MWh → kWh: 1000); raises UnitNotConvertible."""
    ratio = _conversion(str(unit), per)
    if ratio is None:
        raise UnitNotConvertible(value=unit, expected=per, key=factor_key)
    return ratio


@dataclass(frozen=True)
class FactorMatch:
    """The factor a flow uses and why: the key that matched and the rule that chose it.

    reason : ``exact`` (the flow's own key), ``recycled`` (``<material>:recycled``),
        ``waste_treatment`` (``waste:<treatment>``), ``waste_material``
        (``waste:<material>:<treatment>``); prefixed ``override:`` when a user factor
        replaced a library factor of the same key, ``alias:`` when a user factor points
        at another factor with ``same_as``.
    """

    factor: Factor
    key: str
    reason: str


class FactorLibrary:
    """Factors by key; user factors take precedence over library factors of the same key."""

    def __init__(self, factors: Iterable[Factor], *, user: Iterable[Factor] = ()) -> None:
        self._library: dict[str, list[Factor]] = {}
        self._user: dict[str, list[Factor]] = {}
        self._aliases: dict[str, str] = {}
        for factor in factors:
            self._library.setdefault(normalize_key(factor.key), []).append(factor)
        for factor in user:
            self._user.setdefault(normalize_key(factor.key), []).append(factor)

    def set_alias(self, key: str, target: str) -> None:
        """Record that user factor ``key`` was copied from ``target`` (``same_as``)."""
        self._aliases[normalize_key(key)] = target

    @property
    def factors(self) -> list[Factor]:
        """Every factor in effect: user factors, then library factors not overridden."""
        out = [f for group in self._user.values() for f in group]
        out += [f for k, group in self._library.items() if k not in self._user for f in group]
        return out

    @property
    def keys(self) -> list[str]:
        return sorted({f.key for f in self.factors})

    def __contains__(self, key: str) -> bool:
        norm = normalize_key(key)
        return norm in self._user or norm in self._library

    def lookup(self, key: str, *, year: int | None = None) -> Factor:
        """The factor for ``key`` (of ``year``, see module docstring).

        Raises
        ------
        NoFactor
            naming the closest keys.
        """
        norm = normalize_key(key)
        group = self._user.get(norm) or self._library.get(norm)
        if not group:
            raise NoFactor(value=key, closest=self.closest_text(key))
        return _pick_year(group, year)

    def resolve(
        self,
        candidates: Sequence[tuple[str, str]],
        *,
        year: int | None = None,
        where: dict[str, object] | None = None,
        kind: Kind | None = None,
    ) -> FactorMatch:
        """The first of ``(key, reason)`` candidates that has a factor.

        Raises
        ------
        NoFactor
            naming ``where`` (file and row of the flow), the keys tried and the closest keys
            (of ``kind``, when given).
        """
        for key, reason in candidates:
            if key in self:
                norm = normalize_key(key)
                prefix = ""
                if norm in self._user:
                    if norm in self._aliases:
                        prefix = f"alias({self._aliases[norm]}):"
                    elif norm in self._library:
                        prefix = "override:"
                return FactorMatch(self.lookup(key, year=year), key, prefix + reason)
        tried = " | ".join(key for key, _ in candidates)
        closest = self.closest_text(candidates[0][0], kind=kind)
        raise NoFactor(**(where or {}), value=tried, closest=closest)

    def closest(self, text: str, *, n: int = 3, kind: Kind | None = None) -> list[str]:
        """The ``n`` keys most like ``text``: by :meth:`search` (names, aliases), then
        difflib ratio of the keys; only factors of ``kind`` (scope and categories) if given,
        so that a material is never offered a flight factor."""
        fits = [f for f in self.factors if kind is None or kind.admits(f)]
        found: list[str] = []
        for _, factor in self.search(text, limit=50, among=fits):
            if factor.key not in found:
                found.append(factor.key)
        if len(found) < n:
            by_norm = {normalize_key(f.key): f.key for f in fits}
            for norm in difflib.get_close_matches(
                normalize_key(text), list(by_norm), n=n, cutoff=0.3
            ):
                if by_norm[norm] not in found:
                    found.append(by_norm[norm])
        return found[:n]

    def closest_text(self, text: str, *, kind: Kind | None = None) -> str:
        return ", ".join(self.closest(text, kind=kind)) or "–"

    def name_of(self, factor: Factor, lang: str) -> str:
        """The factor's German or English name (a user factor: that of its ``same_as``)."""
        norm = normalize_key(factor.key)
        names = factor_names().get(normalize_key(self._aliases.get(norm, norm)))
        if names is None:
            return factor.key
        return names.de if lang == "de" else names.en

    def search(
        self, text: str, *, limit: int = 20, among: Sequence[Factor] | None = None
    ) -> list[tuple[float, Factor]]:
        """Factors whose key, German or English name, aliases, category, source or note
        resemble ``text``, best first (``among``: only these factors).

        Score [0-1]: 1 when ``text`` is the key, a name or an alias (case and umlaut
        spelling ignored); 0.9 when its words are all words of a name or alias ("Strom
        Deutschland"); 0.85 (+0.01 per word) when a name's or alias's words all occur in
        ``text`` ("PP-GF30 Granulat" has "PP"); else the best difflib ratio against the key,
        names and alias words, with a bonus of 0.5 (capped at 1) when ``text`` occurs
        literally in key, names, note or source (at most 0.84). Equal scores: the ratio
        against the key alone, then the shorter key (``steel`` before ``steel:recycled``).
        """
        needle = _fold(text)
        words = set(_words(needle))
        scored: list[tuple[float, float, Factor]] = []
        for factor in self.factors if among is None else among:
            key = normalize_key(factor.key)
            names = factor_names().get(normalize_key(self._aliases.get(key, key)), _NO_NAME)
            labels = [_fold(label) for label in (factor.key, *names.labels)]
            parts = [key, *re.split(r"[:_\s/-]+", key)]
            key_ratio = max(difflib.SequenceMatcher(None, needle, part).ratio() for part in parts)
            if needle in labels:
                ratio = 1.0
            elif words and any(words <= set(_words(label)) for label in labels[1:]):
                ratio = 0.9
            else:
                inside = [len(_words(label)) for label in labels[1:]
                          if _words(label) and set(_words(label)) <= words]  # fmt: skip
                ratio = min(0.89, 0.85 + 0.01 * max(inside)) if inside else 0.0
            if ratio == 0.0:
                pieces = [*parts, *(w for label in labels[1:] for w in _words(label))]
                ratio = max(difflib.SequenceMatcher(None, needle, p).ratio() for p in pieces)
                haystack = _fold(
                    f"{factor.key} {' '.join(names.labels)} {factor.note} {factor.source}"
                )
                # a fuzzy or literal match stays below every name and alias match
                ratio = min(0.84, ratio + 0.5 if needle in haystack else ratio)
            if ratio >= 0.45:
                scored.append((ratio, key_ratio, factor))
        scored.sort(
            key=lambda item: (-item[0], -item[1], len(item[2].key), item[2].key, item[2].year or 0)
        )
        return [(ratio, factor) for ratio, _, factor in scored[:limit]]


@dataclass(frozen=True)
class Kind:
    """What kind of factor a flow needs: its scope and, if given, its categories."""

    scopes: tuple[int, ...]
    categories: tuple[str, ...] = ()

    def admits(self, factor: Factor) -> bool:
        return factor.scope in self.scopes and (
            not self.categories or factor.category in self.categories
        )


#: The kinds of the ledger's flows: purchased materials, waste, fuels and energy.
MATERIAL = Kind((3,), ("1",))
WASTE = Kind((3,), ("5",))
ENERGY = Kind((1, 2))


@dataclass(frozen=True)
class FactorName:
    """A factor's German and English name and its search aliases (both languages)."""

    de: str
    en: str
    aliases: tuple[str, ...] = ()

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.de, self.en, *self.aliases)


_NO_NAME = FactorName("", "")
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def _fold(text: str) -> str:
    """Compared form of a search text: :func:`normalize_key`, umlauts as ae/oe/ue/ss."""
    return normalize_key(text).translate(_UMLAUTS)


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[\s()/,;:_.+-]+", _fold(text)) if w]


@cache
def factor_names() -> dict[str, FactorName]:
    """German and English names and aliases by normalized key (``data/factor_names.csv``).

    A ``<key>:recycled`` library factor without its own row is named after ``<key>`` with
    "(recycelt)" / "(recycled)"; its aliases are those of ``<key>`` with "recycelt" /
    "Rezyklat" / "recycled" added, so that "Stahl" finds ``steel`` and "Stahl recycelt"
    ``steel:recycled``.
    """
    text = resources.files(__package__).joinpath("data", "factor_names.csv").read_text("utf-8")
    table = read_table_text(text, name="factor_names.csv", comments=True)
    names: dict[str, FactorName] = {}
    for _, row in table.records():
        aliases = tuple(a.strip() for a in str(row["aliases"] or "").split("|") if a.strip())
        names[normalize_key(str(row["key"]))] = FactorName(
            str(row["name_de"]), str(row["name_en"]), aliases
        )
    for factor in library_factors():
        norm = normalize_key(factor.key)
        base = norm.removesuffix(":recycled")
        if norm in names or base == norm or base not in names:
            continue
        primary = names[base]
        extra = ("recycelt", "Rezyklat", "recycled")
        names[norm] = FactorName(
            f"{primary.de} (recycelt)",
            f"{primary.en} (recycled)",
            tuple(f"{a} {e}" for a in primary.aliases for e in extra),
        )
    return names


def _pick_year(group: list[Factor], year: int | None) -> Factor:
    if year is None:
        return max(group, key=lambda f: f.year or 0)
    exact = [f for f in group if f.year == year]
    if exact:
        return exact[0]
    earlier = [f for f in group if f.year is not None and f.year < year]
    if earlier:
        return max(earlier, key=lambda f: f.year or 0)
    undated = [f for f in group if f.year is None]
    return undated[0] if undated else min(group, key=lambda f: f.year or 0)


# --- reading factor files ------------------------------------------------------------------


def _number(
    row: dict[str, str],
    column: str,
    *,
    file: str,
    line: int,
    expected: str,
    decimal: Decimal | None,
) -> float:
    text = row.get(column, "")
    try:
        return parse_number(text, decimal=decimal)
    except ValueError:
        raise InvalidFactorFile(
            file=file, row=line, column=column, value=text, expected=expected
        ) from None


def _factor(
    row: dict[str, str],
    *,
    file: str,
    line: int,
    origin: Origin,
    decimal: Decimal | None = None,
) -> Factor:
    """One checked factor; ``decimal``: the mark of the file's ``value`` column."""

    def bad(column: str, expected: str) -> InvalidFactorFile:
        return InvalidFactorFile(
            file=file, row=line, column=column, value=row.get(column, ""), expected=expected
        )

    key = row.get("key", "")
    if not key:
        raise bad("key", "a factor key, e.g. electricity or waste:disposal")
    value = _number(row, "value", file=file, line=line, expected="a number ≥ 0", decimal=decimal)
    if value < 0:
        raise bad("value", "a number ≥ 0")
    try:
        parse_factor_unit(row.get("unit", ""))
    except ValueError:
        raise bad("unit", "'<mass> CO2e / <unit>', e.g. 'kg CO2e / kWh'") from None
    scope_text = row.get("scope", "")
    if scope_text not in ("1", "2", "3"):
        raise bad("scope", "1, 2 or 3")
    scope = int(scope_text)
    category = row.get("category", "")
    if category not in SCOPE_CATEGORIES[scope]:
        raise bad("category", ", ".join(SCOPE_CATEGORIES[scope]))
    year_text = row.get("year", "")
    if year_text and not (year_text.isdigit() and len(year_text) == 4):
        raise bad("year", "a year such as 2024, or blank")
    quality_text = row.get("quality", "") or ("2" if origin == "user" else "")
    if quality_text not in {str(q) for q in QUALITY_LEVELS}:
        raise bad("quality", "1 to 5")
    if not row.get("source"):
        raise bad("source", "the document and table the value comes from")
    return Factor(
        key=key,
        value=value,
        unit=row["unit"],
        scope=scope,
        category=category,
        source=row["source"] + (f", {row['table']}" if row.get("table") else ""),
        year=int(year_text) if year_text else None,
        region=row.get("region", ""),
        gwp=row.get("gwp", ""),
        quality=int(quality_text),
        licence=row.get("licence", ""),
        note=row.get("note", ""),
        origin=origin,
    )


@cache
def library_factors() -> tuple[Factor, ...]:
    """The shipped factors (``carbon/data/factors.csv``)."""
    text = resources.files(__package__).joinpath("data", "factors.csv").read_text("utf-8")
    table = read_table_text(text, name="factors.csv", comments=True)
    decimal = table.decimal_of("value")
    return tuple(
        _factor(row, file="factors.csv", line=line, origin="library", decimal=decimal)
        for line, row in table.records()
    )


def read_user_factors(path: Path, library: FactorLibrary) -> tuple[list[Factor], dict[str, str]]:
    """The factors of a user CSV and their ``same_as`` aliases (key → target key).

    A row with ``same_as`` copies value, unit, scope, category and source of that factor
    (from the library or an earlier row of the same file); its own value/unit stay blank.

    Raises
    ------
    FileNotReadable, InvalidFactorFile, NoFactor
    """
    table = read_table(path, comments=True)
    if not len(table):
        raise InvalidFactorFile(file=path.name, value="", expected="at least one factor row")
    allowed = set(USER_COLUMNS) | set(USER_OPTIONAL) | {"table"}
    for column in table.columns:
        if column not in allowed:
            raise InvalidFactorFile(
                file=path.name,
                row=table.header_line,
                column=column,
                value=column,
                expected=", ".join(USER_COLUMNS),
            )
    decimal = table.decimal_of("value") if "value" in table.columns else None
    factors: list[Factor] = []
    aliases: dict[str, str] = {}
    for line, row in table.records():
        row_decimal = decimal
        target = row.get("same_as", "")
        if target:
            local = FactorLibrary(library.factors, user=factors)
            if target not in local:
                raise NoFactor(
                    file=path.name,
                    row=line,
                    column="same_as",
                    value=target,
                    closest=local.closest_text(target),
                )
            base = local.lookup(target, year=int(row["year"]) if row.get("year") else None)
            row = {
                **base.model_dump(mode="json"),
                **{k: v for k, v in row.items() if v and k not in ("value", "unit")},
                "value": str(base.value),
                "unit": base.unit,
                "scope": str(base.scope),
                "year": row.get("year") or (str(base.year) if base.year else ""),
                "quality": row.get("quality") or str(base.quality),
            }
            row["source"] = base.source
            aliases[normalize_key(row["key"])] = target
            row_decimal = None  # the value copied from the target is Python's float text
        factors.append(_factor(row, file=path.name, line=line, origin="user", decimal=row_decimal))
    return factors, aliases


def read_factors(user_file: Path | Sequence[Path] | None = None) -> FactorLibrary:
    """The shipped library, with the factors of ``user_file`` added or overriding.

    Several files are read in order; a key defined in a later file replaces that key of
    the earlier files (all its years), as a user file replaces library factors.

    Raises
    ------
    FileNotReadable, InvalidFactorFile, NoFactor
    """
    files = [user_file] if isinstance(user_file, Path) else list(user_file or [])
    library = FactorLibrary(library_factors())
    user: dict[str, list[Factor]] = {}
    aliases: dict[str, str] = {}
    for path in files:
        current = FactorLibrary(library_factors(), user=[f for g in user.values() for f in g])
        factors, file_aliases = read_user_factors(path, current)
        for key in {normalize_key(f.key) for f in factors}:
            user.pop(key, None)
            aliases.pop(key, None)
        for factor in factors:
            user.setdefault(normalize_key(factor.key), []).append(factor)
        aliases.update(file_aliases)
    if not files:
        return library
    combined = FactorLibrary(library_factors(), user=[f for g in user.values() for f in g])
    for key, target in aliases.items():
        combined.set_alias(key, target)
    return combined
