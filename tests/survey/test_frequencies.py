"""Frequency tables: every scale point, every kind of missing on its own row."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kreislauf.survey.frequencies import frequency_table
from kreislauf.survey.items import parse_scale, prepare_survey
from kreislauf.survey.questionnaire import ItemSpec, Questionnaire
from tests.survey.conftest import raw_from


def test_unchosen_points_and_missing_rows() -> None:
    raw = raw_from({"q": ["1", "5", "5", "99", None, "0"]})
    raw.not_shown["q"] = np.array([False, False, False, False, False, False])
    item = prepare_survey(raw, scale=parse_scale("1-5"), missing_codes=[99]).item("q")
    rows = frequency_table(item, lang="en")
    valid = [(r.value, r.frequency, r.in_scale) for r in rows if r.kind == "valid"]
    assert valid == [
        (0.0, 1, False),
        (1.0, 1, True),
        (2.0, 0, True),
        (3.0, 0, True),
        (4.0, 0, True),
        (5.0, 2, True),
    ]
    missing = [(r.kind, r.value, r.label, r.frequency) for r in rows if r.kind != "valid"]
    assert missing == [
        ("declared", 99.0, "Missing (code 99)", 1.0),
        ("empty", None, "Missing: no answer", 1.0),
    ]
    five = next(r for r in rows if r.value == 5.0)
    assert five.percent == pytest.approx(100 * 2 / 6)
    assert five.valid_percent == pytest.approx(100 * 2 / 4)
    assert five.cumulative_percent == pytest.approx(100.0)
    # base without the midpoint: 4 valid, none neutral
    assert five.percent_excl_neutral == pytest.approx(50.0)


def test_categorical_order_follows_questionnaire_labels() -> None:
    raw = raw_from({"size": [">250", "10-49", ">250", "unbekannt"]})
    q = Questionnaire(
        items=[
            ItemSpec(
                id="size",
                kind="categorical",
                labels={"1-9": "1–9", "10-49": "10–49", "50-249": "50–249", ">250": "> 250"},
            )
        ]
    )
    rows = frequency_table(prepare_survey(raw, q).item("size"), lang="de")
    assert [(r.label, r.frequency) for r in rows] == [
        ("1–9", 0),
        ("10–49", 1),
        ("50–249", 0),
        ("> 250", 2),
        ("unbekannt", 1),
    ]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["1", "2", "3", "4", "5", "9", ""]), min_size=1, max_size=80))
def test_totals_add_up(cells: list[str]) -> None:
    raw = raw_from({"q": cells})
    item = prepare_survey(raw, scale=parse_scale("1-5"), missing_codes=[9]).item("q")
    rows = frequency_table(item)
    assert sum(r.frequency for r in rows) == len(cells)
    assert sum(r.percent for r in rows) == pytest.approx(100.0)
    valid = [r for r in rows if r.kind == "valid"]
    n_valid = sum(r.frequency for r in valid)
    if n_valid:
        assert sum(r.valid_percent for r in valid) == pytest.approx(100.0)
        assert valid[-1].cumulative_percent == pytest.approx(100.0)
    assert [r.value for r in valid] == [1.0, 2.0, 3.0, 4.0, 5.0]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.one_of(
                st.integers(-3, 12).map(float), st.sampled_from([0.5, 2.25, -1e-300, 1e6, -0.0])
            ),
            st.sampled_from([1.0, 0.0, 0.3, 2.5, 1e-9]),
        ),
        max_size=60,
    )
)
def test_counting_by_position_gives_the_sorted_counts_bit_for_bit(
    cells: list[tuple[float, float]],
) -> None:
    """value_sums (bincount by offset for whole numbers) against np.unique (issue 21)."""
    from kreislauf.survey.frequencies import value_sums, value_sums_sorted

    x = np.array([c for c, _ in cells], dtype=np.float64)
    w = np.array([v for _, v in cells], dtype=np.float64)
    fast, slow = value_sums(x, w), value_sums_sorted(x, w)
    assert [v.hex() for v in fast[0].tolist()] == [v.hex() for v in slow[0].tolist()]
    assert [v.hex() for v in fast[1].tolist()] == [v.hex() for v in slow[1].tolist()]
