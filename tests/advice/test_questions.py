"""Which per-measure questions the funding form asks (kreislauf.advice.questions)."""

from kreislauf.advice import rules_from_text, shipped_rules
from kreislauf.advice.questions import MEASURE_QUESTIONS, measure_questions


def test_the_shipped_table_asks_only_what_a_programme_for_the_code_reads():
    rules = shipped_rules()
    # own PV: only SAENA's free advice funds it, which needs no answer at all
    assert measure_questions(rules, "own_pv") == ()
    # recyclate: module 4 premium (saving concept and its cost), the competition (saving
    # concept), FRL KrW (apply first); no listed machine (basis does not fund it), none of
    # the decarbonisation bonus (its codes are electrification, heat recovery, process
    # change), no biomass
    assert measure_questions(rules, "recyclate") == (
        "saving_concept",
        "started",
        "saving_concept_cost_eur",
    )
    # servo drives: module 4 basis and premium read everything of module 4, not biomass
    servo = measure_questions(rules, "servo_drives")
    assert "listed_machine" in servo and "saving_confirmation_cost_eur" in servo
    assert "biomass" not in servo
    # renewable process heat: module 2's biomass variant
    assert "biomass" in measure_questions(rules, "process_heat_renewable")


def test_every_question_when_the_code_is_unknown():
    assert measure_questions(shipped_rules(), None) == MEASURE_QUESTIONS


def test_a_network_table_decides_the_questions():
    rules = rules_from_text(
        """
version: "net-1"
mode: replace
programmes:
  - id: net-heat
    programme: Netz
    name: {de: Netz, en: Network}
    body: Netzwerk
    instrument: grant
    region: DE
    size_classes: [small]
    measure_codes: [heat_recovery]
    apply_before_start: false
    bonuses:
      - {id: h2, name: {de: H2, en: H2}, rate_pct_add: 5, measure_codes: [heat_recovery],
         requires: renewable_hydrogen}
    aid_basis: {kind: de_minimis}
    source: {url: "https://example.org", guideline: "Netzwerk 2026", checked_against: not_checked}
""",
        name="net.yaml",
    )
    assert measure_questions(rules, "heat_recovery") == ("renewable_hydrogen",)
    assert measure_questions(rules, "recyclate") == ()
