"""Reading the advice domain's files: the company file and funding rule tables (YAML).

Every user YAML goes through :func:`kreislauf.bounded.parse_yaml`; every problem is a
located error naming the file and the field (``programmes[3].rate_pct.small``), the value
found and what was expected.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from kreislauf.advice.models import Company, RuleTable
from kreislauf.advice.taxonomy import taxonomy_codes
from kreislauf.bounded import parse_yaml
from kreislauf.errors import (
    FileNotReadable,
    InputError,
    InvalidCompany,
    InvalidRules,
    os_error_reason,
)
from kreislauf.i18n import Msg, msg
from kreislauf.tables import decode

__all__ = [
    "SHIPPED_RULES",
    "merge_rules",
    "read_company",
    "read_rules",
    "rules_from_text",
    "shipped_rules",
]

#: The name the shipped rule table is reported under.
SHIPPED_RULES = "kreislauf/advice/data/rules.yaml"

M = TypeVar("M", bound=BaseModel)


def read_company(path: Path) -> Company:
    """The company file ``path`` (YAML).

    Raises
    ------
    FileNotReadable, InvalidCompany
    """
    path = Path(path)
    return company_from_text(_text(path), name=path.name)


def company_from_text(text: str, *, name: str) -> Company:
    """A company from YAML ``text`` (an upload); ``name`` is used in messages."""
    return _validated(Company, _yaml(text, name, InvalidCompany), name, InvalidCompany)


@cache
def shipped_rules() -> RuleTable:
    """The rule table shipped with kreislauf (read once; it is frozen)."""
    text = resources.files("kreislauf.advice").joinpath("data", "rules.yaml").read_text("utf-8")
    return rules_from_text(text, name="rules.yaml")


def read_rules(path: Path | None = None) -> tuple[RuleTable, str]:
    """The rule table in force and its source: the shipped one, or ``path`` applied to it.

    A table with ``mode: replace`` is used alone; ``mode: extend`` replaces the shipped
    rows of the same id and adds the others (:func:`merge_rules`).

    Raises
    ------
    FileNotReadable, InvalidRules
    """
    shipped = shipped_rules()
    if path is None:
        return shipped, SHIPPED_RULES
    path = Path(path)
    own = rules_from_text(_text(path), name=path.name)
    if own.mode == "replace":
        return own, path.name
    return merge_rules(shipped, own, name=path.name), f"{SHIPPED_RULES} + {path.name}"


def rules_from_text(text: str, *, name: str) -> RuleTable:
    """A checked rule table from YAML ``text``."""
    table = _validated(RuleTable, _yaml(text, name, InvalidRules), name, InvalidRules)
    _check_references(table, name)
    return table


def merge_rules(base: RuleTable, extension: RuleTable, *, name: str) -> RuleTable:
    """``base`` with ``extension``'s programmes replacing those of the same id, new ones
    appended, and its consultant lists added."""
    own = {p.id: p for p in extension.programmes}
    programmes = [own.pop(p.id, p) for p in base.programmes] + list(own.values())
    merged = RuleTable(
        version=f"{base.version}+{extension.version}",
        mode="replace",
        de_minimis_ceiling_eur=extension.de_minimis_ceiling_eur,
        consultant_lists={**base.consultant_lists, **extension.consultant_lists},
        programmes=programmes,
    )
    _check_references(merged, name)
    return merged


def _check_references(table: RuleTable, name: str) -> None:
    codes = set(taxonomy_codes())
    ids = [p.id for p in table.programmes]
    for n, programme in enumerate(table.programmes):
        where = f"programmes[{n}]"
        if ids.count(programme.id) > 1:
            raise InvalidRules(
                file=name, field=f"{where}.id", value=programme.id, expected="a unique id"
            )
        for k, code in enumerate(programme.measure_codes):
            if code not in codes:
                raise InvalidRules(
                    file=name,
                    field=f"{where}.measure_codes[{k}]",
                    value=code,
                    expected="a code of the measure taxonomy: " + ", ".join(sorted(codes)),
                )
        for k, bonus in enumerate(programme.bonuses):
            for code in bonus.measure_codes:
                if code not in codes:
                    raise InvalidRules(
                        file=name,
                        field=f"{where}.bonuses[{k}].measure_codes",
                        value=code,
                        expected="a code of the measure taxonomy",
                    )
        for k, other in enumerate(programme.cumulation_excludes):
            if other not in ids:
                raise InvalidRules(
                    file=name,
                    field=f"{where}.cumulation_excludes[{k}]",
                    value=other,
                    expected="the id of a programme of the table",
                )
        for k, evidence in enumerate(programme.evidence):
            if evidence not in table.consultant_lists:
                raise InvalidRules(
                    file=name,
                    field=f"{where}.evidence[{k}]",
                    value=evidence,
                    expected="a key of consultant_lists: "
                    + ", ".join(sorted(table.consultant_lists)),
                )
        for size in programme.rate_pct:
            if size not in programme.size_classes:
                raise InvalidRules(
                    file=name,
                    field=f"{where}.rate_pct.{size}",
                    value=size,
                    expected="a size class listed in size_classes: "
                    + ", ".join(programme.size_classes),
                )


def _text(path: Path) -> str:
    try:
        return decode(path.read_bytes(), name=path.name)
    except OSError as error:
        raise FileNotReadable(file=path.name, reason=os_error_reason(error)) from error


def _yaml(text: str, name: str, error: Callable[..., InputError]) -> Any:
    data = parse_yaml(text, name=name, error=error)
    if not isinstance(data, dict):
        raise error(file=name, value=type(data).__name__, expected="a mapping of fields")
    return data


def _validated(model: type[M], data: Any, name: str, error: Callable[..., InputError]) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as problems:
        first = problems.errors()[0]
        field = "".join(
            f"[{part}]" if isinstance(part, int) else f".{part}" for part in first["loc"]
        ).lstrip(".")
        raise error(
            file=name,
            field=field or None,
            value=_shown(first.get("input")),
            expected=_expected(first["type"], first.get("ctx") or {}, first["msg"]),
        ) from None


#: pydantic error types and the message key of what was expected instead
_EXPECTED = {
    "float_parsing": "number",
    "float_type": "number",
    "int_parsing": "number",
    "int_type": "number",
    "finite_number": "number",
    "bool_parsing": "boolean",
    "bool_type": "boolean",
    "date_parsing": "date",
    "date_from_datetime_parsing": "date",
    "date_type": "date",
    "missing": "required",
    "extra_forbidden": "known_field",
    "dict_type": "mapping",
    "list_type": "list",
    "string_type": "text",
    "greater_than_equal": "at_least",
    "less_than_equal": "at_most",
    "literal_error": "one_of",
    "enum": "one_of",
    "string_pattern_mismatch": "pattern",
}


def _expected(kind: str, ctx: dict[str, Any], text: str) -> Msg | str:
    """What a pydantic error expected, in the catalogue's words where the type is known."""
    key = _EXPECTED.get(kind)
    if key is None:
        return text
    params = {name: str(ctx[name]) for name in ("ge", "le", "expected", "pattern") if name in ctx}
    return msg(f"advice.expected.{key}", **params)


def _shown(value: Any) -> Any:
    if isinstance(value, dict | list):
        return type(value).__name__
    return value
