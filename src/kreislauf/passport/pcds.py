"""Product Circularity Data Sheet (PCDS) style statements derived from a passport.

ISO 59040:2025 (Circular economy — Product circularity data sheet) asks yes/no
statements about a product's circularity, each backed by evidence and, in the PCDS
scheme, audited. No machine-readable template of the standard is public, so kreislauf
derives a set of yes/no/unknown statements from the passport fields the caller's tier
sees and names the field each answer rests on. They are the supplier's own declaration,
not an audited PCDS; the document says so.

An answer is ``unknown`` when the field is missing or not shown exactly to the tier (a
range decides where it can: a recycled content of "10–25 %" is above zero).

References
----------
ISO 59040:2025, Circular economy — Product circularity data sheet — General methodology
and requirements. REACH (EC) 1907/2006 Art. 33 (the 0.1 % w/w threshold for SVHC).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from kreislauf.passport.tiers import PassportView

Answer = Literal["yes", "no", "unknown"]
#: REACH Art. 33: a substance of very high concern above 0.1 % w/w must be declared [%].
SVHC_THRESHOLD_PERCENT = 0.1


@dataclass(frozen=True)
class Statement:
    """One PCDS-style statement: its id, the question (de, en) and the field it rests on."""

    id: str
    question_de: str
    question_en: str
    field: str
    decide: Callable[[Any], bool]


def _positive(value: Any) -> bool:
    if isinstance(value, dict) and value.get("disclosed_as") == "range":
        return float(value.get("low") or 0) > 0  # the interval lies above zero
    return float(value) > 0


def _at_least(limit: float) -> Callable[[Any], bool]:
    def decide(value: Any) -> bool:
        if isinstance(value, dict) and value.get("disclosed_as") == "range":
            return value.get("low") is not None and float(value["low"]) >= limit
        return float(value) >= limit

    return decide


def _present(value: Any) -> bool:
    return bool(value)


def _svhc_free(substances: Any) -> bool:
    return all(float(s["concentration_percent"]) < SVHC_THRESHOLD_PERCENT for s in substances)


STATEMENTS = (
    Statement(
        "recycled_content",
        "Enthält das Produkt Rezyklat?",
        "Does the product contain recycled material?",
        "recycled_content.total_percent",
        _positive,
    ),
    Statement(
        "no_svhc_above_threshold",
        "Ist das Produkt frei von besonders besorgniserregenden Stoffen über 0,1 %?",
        "Is the product free of substances of very high concern above 0.1 %?",
        "substances",
        _svhc_free,
    ),
    Statement(
        "mostly_recyclable",
        "Ist mindestens die Hälfte der Masse recycelbar?",
        "Is at least half of the mass recyclable?",
        "recyclability.recyclable_percent",
        _at_least(50.0),
    ),
    Statement(
        "disassembly_information",
        "Gibt es eine Demontageanleitung?",
        "Are disassembly instructions available?",
        "recyclability.dismantling",
        _present,
    ),
    Statement(
        "spare_parts",
        "Werden Ersatzteile angeboten?",
        "Are spare parts offered?",
        "repairability.spare_parts_years",
        _positive,
    ),
    Statement(
        "take_back",
        "Nimmt der Hersteller das Produkt zurück?",
        "Does the manufacturer take the product back?",
        "end_of_life.take_back",
        _present,
    ),
    Statement(
        "carbon_footprint_declared",
        "Ist ein Produkt-CO2-Fußabdruck angegeben?",
        "Is a product carbon footprint declared?",
        "carbon_footprint.total_kg_co2e",
        lambda value: value is not None,
    ),
)


def _shown(view: PassportView, field: str) -> Any:
    section, _, name = field.partition(".")
    node = view.data.get(section)
    return node.get(name) if name and isinstance(node, dict) else (None if name else node)


def pcds_statements(view: PassportView) -> dict[str, Any]:
    """The PCDS-style statements of a passport as ``view.tier`` sees it (module doc)."""
    statements = []
    for statement in STATEMENTS:
        value = _shown(view, statement.field)
        answer: Answer = "unknown"
        if value is not None and not (
            isinstance(value, dict) and value.get("disclosed_as") == "statement"
        ):
            answer = "yes" if statement.decide(value) else "no"
        statements.append(
            {
                "id": statement.id,
                "question": {"de": statement.question_de, "en": statement.question_en},
                "answer": answer,
                "evidence": f"passport field {statement.field}",
            }
        )
    return {
        "kind": "PCDS-style statements (ISO 59040:2025), derived by kreislauf from the "
        "passport; the supplier's declaration, not an audited PCDS",
        "passport": view.data["id"],
        "version": view.data["version"],
        "gtin": view.value("identification.gtin"),
        "product_name": view.value("identification.product_name"),
        "disclosed_for": view.tier.value,
        "statements": statements,
    }
