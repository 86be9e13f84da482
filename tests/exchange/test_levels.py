"""Level derivation element by element against the rule table."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kreislauf.exchange import default_rules, dql, listing_levels, missing_for_next, parse_rules

RULES = default_rules()
ALL = set(RULES.names)


def test_nothing_present_is_level_0_and_names_level_1():
    assert dql(set(), RULES) == 0
    assert missing_for_next(set(), RULES) == list(RULES.required_at(1))


def test_everything_present_is_the_top_level_with_nothing_missing():
    assert dql(ALL, RULES) == 4
    assert missing_for_next(ALL, RULES) == []


@pytest.mark.parametrize("element", RULES.elements, ids=lambda e: e.id_short)
def test_each_element_missing_alone_caps_the_level_below_its_own(element):
    present = ALL - {element.id_short}
    assert dql(present, RULES) == element.level - 1
    assert missing_for_next(present, RULES) == [element.id_short]


@pytest.mark.parametrize("level", RULES.levels)
def test_exactly_the_elements_up_to_a_level_give_that_level(level):
    present = set(RULES.required_up_to(level))
    assert dql(present, RULES) == level
    expected = [] if level == RULES.top else list(RULES.required_at(level + 1))
    assert missing_for_next(present, RULES) == expected


def test_higher_level_elements_do_not_make_up_for_a_missing_lower_one():
    present = ALL - {"TradeName"}
    assert dql(present, RULES) == 0


@given(st.sets(st.sampled_from(sorted(ALL))))
def test_level_is_the_largest_n_with_every_element_up_to_n(present):
    level = dql(present, RULES)
    assert set(RULES.required_up_to(level)) <= present
    if level < RULES.top:
        missing = missing_for_next(present, RULES)
        assert missing and not set(missing) & present
        assert set(missing) <= set(RULES.required_up_to(level + 1))


def test_a_networks_own_table_changes_the_levels():
    rules = parse_rules(
        "id: n\nversion: '1'\nsource: s\nlicence: l\nlevels: [1, 2]\nelements:\n"
        "  - {id_short: TradeName, level: 1}\n  - {id_short: Density, level: 2}\n",
        name="n.yaml",
    )
    assert dql({"TradeName"}, rules) == 1
    assert missing_for_next({"TradeName"}, rules) == ["Density"]
    assert dql({"TradeName", "Density"}, rules) == 2


def test_listing_levels_names_the_rule_table():
    from kreislauf.exchange import Listing

    listing = Listing(
        id="o1",
        side="offer",
        company="A",
        material="PP",
        quantity_t=1,
        interval="once",
        price_eur_per_t=1,
        lat=0,
        lon=0,
        elements=frozenset(RULES.required_up_to(2)),
    )
    result = listing_levels([listing], RULES).to_dict()
    assert result["rules"]["id"] == "idta-02080-1-0"
    assert result["listings"] == [
        {"id": "o1", "side": "offer", "dql": 2, "missing_for_next": list(RULES.required_at(3))}
    ]
