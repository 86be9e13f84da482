"""Rule tables of data quality levels: which elements a listing needs for each level.

A rule table lists elements (information such as ``TradeName`` or test results such as
``AshContent``, named by their IDTA 02080 ``idShort``) with the lowest level at which each
is required. A listing is at level *n* when every element required at levels ≤ *n* is
present; at level 0 when not even level 1 holds (:func:`kreislauf.exchange.levels.dql`).

The shipped table (``exchange/data/dql-plastics-idta02080-1.0.yaml``) is derived from the
``RequiredAtDQL`` qualifiers of IDTA 02080-1-0, which models EN 18065 (continuing
DIN SPEC 91446:2021). A network replaces it with a YAML file of the same form
(:func:`read_rules`); every result names the table's id and version it was computed with.

References
----------
IDTA 02080-1-0, "Material Data for Plastic Waste", Industrial Digital Twin Association,
CC BY 4.0 (github.com/admin-shell-io/submodel-templates).
DIN SPEC 91446:2021-12, "Classification of recycled plastics by Data Quality Levels for
use and (digital) trading"; EN 18065 continues it.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from kreislauf.bounded import load_yaml
from kreislauf.errors import FileNotReadable, InvalidRuleTable, os_error_reason
from kreislauf.i18n import msg

DEFAULT_RULES_FILE = "dql-plastics-idta02080-1.0.yaml"

Group = Literal["information", "property"]


class Element(BaseModel):
    """One element of a rule table.

    id_short : the element's name, the listings file's column (IDTA 02080 ``idShort``)
    level : the lowest data quality level at which the element is required [-]
    group : ``information`` (a statement) or ``property`` (a test result)
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id_short: str = Field(min_length=1, pattern=r"^[A-Za-z][A-Za-z0-9_]*$")
    level: int = Field(ge=1)
    group: Group = "information"


class RuleTable(BaseModel):
    """A versioned table of elements required per data quality level.

    levels : the levels the table defines, ascending from 1 (e.g. ``[1, 2, 3, 4]``)
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1)
    material: str = "plastics"
    version: str = Field(min_length=1)
    title: str = ""
    source: str = Field(min_length=1)
    licence: str = Field(min_length=1)
    levels: tuple[int, ...]
    elements: tuple[Element, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> RuleTable:
        if list(self.levels) != list(range(1, len(self.levels) + 1)):
            raise ValueError("levels must be 1, 2, … without gaps")
        names = [e.id_short for e in self.elements]
        if len(set(names)) != len(names):
            raise ValueError("each id_short once")
        if any(e.level not in self.levels for e in self.elements):
            raise ValueError("every element's level is one of levels")
        return self

    @property
    def top(self) -> int:
        """The highest level [-]."""
        return self.levels[-1]

    @property
    def names(self) -> tuple[str, ...]:
        """The elements' ``id_short`` in table order."""
        return tuple(e.id_short for e in self.elements)

    def required_at(self, level: int) -> tuple[str, ...]:
        """The elements required at ``level`` itself (not those of lower levels)."""
        return tuple(e.id_short for e in self.elements if e.level == level)

    def required_up_to(self, level: int) -> tuple[str, ...]:
        """Every element required at levels ≤ ``level``."""
        return tuple(e.id_short for e in self.elements if e.level <= level)


def parse_rules(text: str, *, name: str) -> RuleTable:
    """The rule table in the YAML ``text`` (``name`` is used in messages).

    Raises
    ------
    InvalidRuleTable
        when the text is not YAML or not of the documented form; names the field.
    LimitExceeded
        when the document exceeds the YAML limits of :mod:`kreislauf.bounded`.
    """
    try:
        data = load_yaml(text, name=name)
    except yaml.YAMLError as error:
        raise InvalidRuleTable(
            file=name, value=str(error).splitlines()[0], expected=msg("exchange.expected.rules")
        ) from error
    if not isinstance(data, dict):
        raise InvalidRuleTable(file=name, value=str(data), expected=msg("exchange.expected.rules"))
    try:
        return RuleTable.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or None
        # a whole-table rule (levels without gaps, each id_short once) has no field
        value = first["msg"] if field is None else str(first.get("input", ""))
        raise InvalidRuleTable(
            file=name, field=field, value=value, expected=msg("exchange.expected.rules")
        ) from error


def read_rules(path: Path) -> RuleTable:
    """The rule table of a network, from a YAML file (same form as the shipped table).

    Raises
    ------
    FileNotReadable, InvalidRuleTable, LimitExceeded
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeError) as error:
        raise FileNotReadable(file=Path(path).name, reason=os_error_reason(error)) from error
    return parse_rules(text, name=Path(path).name)


@cache
def default_rules() -> RuleTable:
    """The shipped rule table for plastics, derived from IDTA 02080-1-0."""
    text = resources.files(__package__).joinpath("data", DEFAULT_RULES_FILE).read_text("utf-8")
    return parse_rules(text, name=DEFAULT_RULES_FILE)
