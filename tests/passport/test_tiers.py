"""Disclosure tiers (Reg. (EU) 2023/1542 Art. 77, Annex XIII): grants, ranges, statements."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kreislauf.errors import InvalidDisclosure
from kreislauf.passport import DEFAULT_TIERS, Grant, Tier, disclose, disclosure_fields
from kreislauf.passport.tiers import grant_for, shown_range
from tests.passport.passport_fixtures import demo_passport, sentinel_passport


def test_every_field_of_the_model_has_a_default_tier() -> None:
    assert set(DEFAULT_TIERS) == set(disclosure_fields())
    assert len(disclosure_fields()) == len(set(disclosure_fields()))


def test_tiers_are_ordered_public_to_owner() -> None:
    assert [t.rank for t in Tier] == [0, 1, 2, 3]
    assert Tier.public.rank < Tier.legitimate_interest.rank < Tier.authority.rank


def test_annex_xiii_defaults() -> None:
    passport = sentinel_passport()
    public = disclose(passport, Tier.public).data
    assert "compliance_reports" not in public  # Annex XIII point 3: authorities only
    assert "composition" not in public  # point 2: detailed composition
    assert "notes" not in public and "disclosure" not in public
    assert public["carbon_footprint"]["total_kg_co2e"] == 5.5  # point 1: carbon footprint
    assert "compliance_reports" in disclose(passport, Tier.authority).data
    assert "compliance_reports" not in disclose(passport, Tier.legitimate_interest).data
    assert "notes" in disclose(passport, Tier.owner).data


def test_a_range_hides_the_value_below_its_tier() -> None:
    passport = demo_passport()  # tm-200.yaml: recycled content public as a range
    assert passport.recycled_content is not None
    public = disclose(passport, Tier.public).data["recycled_content"]
    assert public == {"total_percent": {"disclosed_as": "range", "low": 10.0, "high": 25.0}}
    seen = disclose(passport, Tier.legitimate_interest).data["recycled_content"]
    assert seen["total_percent"] == passport.recycled_content.total_percent


def test_a_statement_replaces_the_value() -> None:
    view = disclose(sentinel_passport(), Tier.public)
    assert view.data["durability"]["warranty_years"] == {
        "disclosed_as": "statement",
        "text": "Said-WARRANTY",
    }
    assert view.value("durability.warranty_years") is None
    assert "durability.warranty_years" in view.withheld


@given(
    value=st.floats(min_value=-10, max_value=200, allow_nan=False),
    edges=st.lists(st.floats(0, 100, allow_nan=False), min_size=2, max_size=6, unique=True),
)
def test_the_range_shown_holds_the_value(value: float, edges: list[float]) -> None:
    edges = sorted(edges)
    shown = shown_range(value, edges)
    assert shown["low"] is None or shown["low"] <= value
    assert shown["high"] is None or value <= shown["high"]
    assert shown["low"] in [None, *edges] and shown["high"] in [None, *edges]


def test_the_highest_grant_not_above_the_caller_wins() -> None:
    passport = demo_passport()
    field = "recycled_content.total_percent"
    assert grant_for(passport, field, Tier.public) == passport.disclosure[field][0]
    assert grant_for(passport, field, Tier.authority) == Grant(tier=Tier.legitimate_interest)
    assert grant_for(passport, field, Tier.owner) == Grant(tier=Tier.owner)


@pytest.mark.parametrize(
    ("policy", "message"),
    [
        ({"colour": [{"tier": "public"}]}, "field 'disclosure.colour'"),
        (
            {"manufacturer.name": [{"tier": "public", "form": "range", "edges": [0, 1]}]},
            "a range needs a numeric field",
        ),
    ],
)
def test_a_policy_that_does_not_fit_is_refused(policy: dict[str, object], message: str) -> None:
    from kreislauf.passport import passport_from_data
    from tests.passport.passport_fixtures import sentinel_data

    passport = passport_from_data({**sentinel_data(), "disclosure": policy})
    with pytest.raises(InvalidDisclosure, match=message):
        disclose(passport, Tier.public)
