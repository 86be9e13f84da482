"""Which answers about a measure the rule table can use: the questions worth asking.

A form that asks every question of :class:`~kreislauf.advice.models.MeasureFacts` for every
measure asks a PV plant whether it burns biomass. :func:`measure_questions` names the facts
that at least one programme funding the measure's code reads — its thresholds
(``saving_concept``, ``listed_machine``), the ``requires`` of a bonus or rate variant for
that code, an ``extra_costs`` figure, and ``started`` where the application must come
first. A fact no such programme reads changes no result, so leaving it out loses nothing.
"""

from __future__ import annotations

from kreislauf.advice.models import RuleTable

__all__ = ["measure_questions"]

#: every per-measure answer the funding finder reads, in the order a form asks them
MEASURE_QUESTIONS = (
    "saving_concept",
    "listed_machine",
    "renewable_electricity",
    "external_waste_heat",
    "renewable_hydrogen",
    "biomass",
    "started",
    "saving_concept_cost_eur",
    "saving_confirmation_cost_eur",
)


def measure_questions(rules: RuleTable, code: str | None) -> tuple[str, ...]:
    """The per-measure facts (of :data:`MEASURE_QUESTIONS`, in its order) that a programme
    of ``rules`` funding ``code`` reads; every one when the code is unknown (``None``)."""
    if code is None:
        return MEASURE_QUESTIONS
    asked: set[str] = set()
    for programme in rules.programmes:
        if code not in programme.measure_codes:
            continue
        limits = programme.thresholds
        if limits.saving_concept:
            asked.add("saving_concept")
        if limits.listed_machine:
            asked.add("listed_machine")
        if programme.apply_before_start:
            asked.add("started")
        bonuses = programme.bonuses
        asked.update(b.requires for b in bonuses if b.requires and code in b.measure_codes)
        asked.update(v.requires for v in programme.rate_variants if code in v.measure_codes)
        asked.update(extra.fact for extra in programme.extra_costs)
    return tuple(q for q in MEASURE_QUESTIONS if q in asked)
