"""The OData ``$filter`` of PACT v2.3 ListFootprints: the subset the specification allows.

PACT v2.3, "Action ListFootprints", request parameter *Filter*: the statement MUST only use

- the comparison operators ``eq``, ``lt``, ``le``, ``gt``, ``ge`` on ``created``,
  ``updated``, ``productCategoryCpc``, ``pcf/geographyCountry``,
  ``pcf/referencePeriodStart``, ``pcf/referencePeriodEnd``;
- the logical operator ``and`` (parentheses group);
- the lambda operator ``any`` on ``companyIds`` and ``productIds``, whose argument uses
  ``eq`` only: ``productIds/any(p:(p eq 'urn:…'))``.

Support is OPTIONAL and "on a best-effort basis": a host MAY refuse a statement or parts of
it with ``NotImplemented``. kreislauf evaluates the whole subset with one refusal: the
string properties (``productCategoryCpc``, ``pcf/geographyCountry``) take ``eq`` only,
because an ordering of strings would depend on the database's collation. A statement
outside the subset is refused with :class:`~kreislauf.errors.PactNotImplemented` naming
the position and what was found; a malformed one (an unclosed quote, a date that is not a
date) is a :class:`~kreislauf.errors.PactBadRequest` at its position. Date-time literals
may be quoted (as the specification's examples write them) or bare (OData
``DateTimeOffset``).

``updated`` is never set in the v2.3 documents kreislauf derives (the passport model has
no such field), so a comparison on it is false for every footprint (OData: a comparison
with null is false).

References
----------
PACT Technical Specifications v2.3 (WBCSD, 2024), "Action ListFootprints", "Filtering".
OData Version 4.01 Part 2: URL Conventions, 5.1.1 "Built-in Filter Operations" and
5.1.1.13 "Lambda Operators" (OASIS, 2020).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from kreislauf.errors import PactBadRequest, PactNotImplemented

Operator = Literal["eq", "lt", "le", "gt", "ge"]
OPERATORS: tuple[Operator, ...] = ("eq", "lt", "le", "gt", "ge")
#: Date-time properties → the name of the value kreislauf indexes.
DATE_PROPERTIES = {
    "created": "created",
    "updated": "updated",
    "pcf/referencePeriodStart": "reference_start",
    "pcf/referencePeriodEnd": "reference_end",
}
#: String properties (``eq`` only, module docstring) → the name of the value indexed.
STRING_PROPERTIES = {"productCategoryCpc": "cpc", "pcf/geographyCountry": "geography_country"}
#: Collections the ``any`` operator may test → the criterion of ListFootprints they are.
COLLECTIONS = {"productIds": "productId", "companyIds": "companyId"}
FIELD = "$filter"

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<string>'(?:[^']|'')*')
      | (?P<open>\()
      | (?P<close>\))
      | (?P<colon>:)
      | (?P<word>[A-Za-z_][A-Za-z0-9_]*(?:/[A-Za-z_][A-Za-z0-9_]*)*)
      | (?P<bare>[0-9][0-9:.+TZ-]*)
      | (?P<quote>')
      | (?P<other>\S)
    )""",
    re.VERBOSE,
)


@dataclass(frozen=True)
class Comparison:
    """``property op value``: ``name`` is the indexed value's name (module constants)."""

    name: str
    op: Operator
    value: datetime | str


@dataclass(frozen=True)
class AnyEq:
    """``collection/any(x: x eq value)``: the footprint's ``criterion`` list holds ``value``."""

    criterion: str
    value: str


Condition = Comparison | AnyEq


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    at: int  # 1-based character position in the statement


def _tokens(statement: str) -> list[_Token]:
    tokens = []
    position = 0
    while position < len(statement):
        found = _TOKEN.match(statement, position)
        if found is None or found.lastgroup is None:  # only blanks are left
            break
        kind = found.lastgroup
        at = found.start(kind) + 1
        if kind == "quote":
            raise PactBadRequest(
                field=FIELD, value=statement, expected=f"a closing quote for the string at {at}"
            )
        tokens.append(_Token(kind, found.group(kind), at))
        position = found.end()
    return tokens


class _Parser:
    def __init__(self, statement: str) -> None:
        self.statement = statement
        self.tokens = _tokens(statement)
        self.next = 0

    def refuse(self, token: _Token | None, detail: str) -> PactNotImplemented:
        where = f"at {token.at} ('{token.text}')" if token else "at the end"
        return PactNotImplemented(field=FIELD, detail=f"{detail} {where} of '{self.statement}'")

    def peek(self) -> _Token | None:
        return self.tokens[self.next] if self.next < len(self.tokens) else None

    def take(self, kind: str, what: str) -> _Token:
        token = self.peek()
        if token is None or token.kind != kind:
            raise PactBadRequest(
                field=FIELD,
                value=self.statement,
                expected=f"{what} {f'at {token.at}' if token else 'at the end'}",
            )
        self.next += 1
        return token

    def conjunction(self) -> list[Condition]:
        found = self.term()
        while (token := self.peek()) is not None and token.kind == "word":
            if token.text != "and":
                raise self.refuse(token, "only 'and' joins conditions")
            self.next += 1
            found += self.term()
        return found

    def term(self) -> list[Condition]:
        token = self.peek()
        if token is None:
            raise PactBadRequest(field=FIELD, value=self.statement, expected="a condition")
        if token.kind == "open":
            self.next += 1
            inner = self.conjunction()
            self.take("close", "')'")
            return inner
        if token.kind != "word":
            raise self.refuse(token, "a condition starts with a property")
        self.next += 1
        collection, _, lambda_op = token.text.rpartition("/")
        if lambda_op == "any" and collection in COLLECTIONS:
            return [self.any(collection)]
        if token.text == "not" or lambda_op in ("any", "all"):
            raise self.refuse(token, "only 'any' on productIds or companyIds is supported")
        return [self.comparison(token)]

    def operator(self) -> tuple[_Token, Operator]:
        token = self.peek()
        if token is None or token.kind != "word":
            raise PactBadRequest(
                field=FIELD, value=self.statement, expected="one of eq, lt, le, gt, ge"
            )
        if token.text not in OPERATORS:
            raise self.refuse(token, "the operators are eq, lt, le, gt, ge")
        self.next += 1
        return token, token.text

    def comparison(self, name: _Token) -> Comparison:
        if name.text not in DATE_PROPERTIES and name.text not in STRING_PROPERTIES:
            allowed = ", ".join([*DATE_PROPERTIES, *STRING_PROPERTIES])
            raise self.refuse(name, f"the properties are {allowed}; found a property")
        op_token, op = self.operator()
        literal = self.peek()
        if literal is None or literal.kind not in ("string", "bare"):
            raise PactBadRequest(
                field=FIELD,
                value=self.statement,
                expected=f"a value after '{op}' at {op_token.at}",
            )
        self.next += 1
        text = literal.text[1:-1].replace("''", "'") if literal.kind == "string" else literal.text
        if name.text in STRING_PROPERTIES:
            if op != "eq":
                raise self.refuse(op_token, f"{name.text} takes 'eq' only")
            return Comparison(STRING_PROPERTIES[name.text], op, text)
        return Comparison(DATE_PROPERTIES[name.text], op, self.moment(text, literal))

    def moment(self, text: str, token: _Token) -> datetime:
        try:
            value = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError as error:
            raise PactBadRequest(
                field=FIELD,
                value=text,
                expected=f"an ISO 8601 date-time at {token.at} of '{self.statement}'",
            ) from error
        return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)

    def any(self, collection: str) -> AnyEq:
        self.take("open", "'(' after any")
        variable = self.take("word", "a variable name").text
        self.take("colon", "':' after the variable")
        depth = 0
        while (token := self.peek()) is not None and token.kind == "open":
            self.next += 1
            depth += 1
        name = self.take("word", f"'{variable} eq …'")
        if name.text != variable:
            raise self.refuse(name, f"the argument of any compares '{variable}' only")
        op_token, op = self.operator()
        if op != "eq":
            raise self.refuse(op_token, "the argument of any uses 'eq' only")
        value = self.take("string", "a quoted string")
        for _ in range(depth):
            self.take("close", "')'")
        closing = self.peek()
        if closing is not None and closing.kind == "word":
            raise self.refuse(closing, "the argument of any is one comparison")
        self.take("close", "')' closing any")
        return AnyEq(COLLECTIONS[collection], value.text[1:-1].replace("''", "'"))


def parse_filter(statement: str) -> tuple[Condition, ...]:
    """The conditions (all must hold) of a v2.3 ``$filter`` statement.

    Raises :class:`~kreislauf.errors.PactNotImplemented` for a statement outside the
    subset and :class:`~kreislauf.errors.PactBadRequest` for a malformed one, each naming
    the position (1-based character) in the statement.
    """
    parser = _Parser(statement)
    if not parser.tokens:
        raise PactBadRequest(field=FIELD, value=statement, expected="a filter statement")
    conditions = parser.conjunction()
    rest = parser.peek()
    if rest is not None:
        raise parser.refuse(rest, "unexpected text")
    return tuple(conditions)


def holds(condition: Comparison, value: datetime | str | None) -> bool:
    """Whether a footprint whose indexed value is ``value`` meets ``condition`` (null:
    false)."""
    if value is None:
        return False
    wanted = condition.value
    if isinstance(value, datetime) and isinstance(wanted, datetime):
        return _compare(value, condition.op, wanted)
    if isinstance(value, str) and isinstance(wanted, str):
        return condition.op == "eq" and value == wanted
    return False


def _compare(value: datetime, op: Operator, wanted: datetime) -> bool:
    if op == "eq":
        return value == wanted
    if op == "lt":
        return value < wanted
    if op == "le":
        return value <= wanted
    if op == "gt":
        return value > wanted
    return value >= wanted
