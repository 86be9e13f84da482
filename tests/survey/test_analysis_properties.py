"""The whole pipeline against an independent computation on generated response tables.

Cells are text as a CSV reader returns them: answers 1-5, blanks, and the declared missing
codes ``99`` and ``k.A.``. The expected figures are computed here with :mod:`statistics`
and plain counting from the cells alone.
"""

from __future__ import annotations

import statistics
from collections import Counter

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from kreislauf.survey.analysis import AnalysisOptions, analyze_responses
from kreislauf.survey.items import normalise_code, parse_scale
from tests.survey.conftest import raw_from

CODES = ("99", "k.A.")
cell = st.sampled_from(["1", "2", "3", "4", "5", "", "99", "k.A."])
table = st.integers(2, 40).flatmap(
    lambda n: st.lists(st.lists(cell, min_size=n, max_size=n), min_size=1, max_size=4)
)


@settings(max_examples=60, deadline=None)
@given(table)
@example([["1", "2"], ["1", "1"]])  # a unique first item once taken for the id
def test_pipeline_matches_independent_computation(columns: list[list[str]]) -> None:
    # An explicit identifier first: without it a first column whose values happen to be
    # unique (["1", "2"]) is the respondent id by the documented rule (docs/survey.md).
    ids = {"id": [f"r{n}" for n in range(len(columns[0]))]}
    raw = raw_from(ids | {f"q{i + 1}": cells for i, cells in enumerate(columns)})
    options = AnalysisOptions(
        scale=parse_scale("1-5"), missing_codes=tuple(normalise_code(c) for c in CODES)
    )
    results = analyze_responses(raw, None, options)
    assert results.n_responses == len(columns[0])
    by_id = {item.id: item for item in results.items}

    for i, cells in enumerate(columns):
        item = by_id[f"q{i + 1}"]
        valid = [float(c) for c in cells if c not in ("", *CODES)]
        d = item.descriptives
        assert d is not None
        assert d.valid == len(valid)
        assert d.missing == len(cells) - len(valid)
        if valid:
            assert d.mean == pytest.approx(statistics.fmean(valid), abs=1e-12)
            assert d.median == pytest.approx(statistics.median(valid), abs=1e-12)
        if len(valid) > 1:
            assert d.sd == pytest.approx(statistics.stdev(valid), abs=1e-12)

        # Frequency table: every scale point, then one row per kind of missing.
        counts = Counter(valid)
        rows = {r.value: r for r in item.frequencies if r.kind == "valid"}
        assert sorted(rows) == [1.0, 2.0, 3.0, 4.0, 5.0]
        cumulative = 0.0
        for point in sorted(rows):
            row = rows[point]
            assert row.frequency == counts.get(point, 0)
            assert row.percent == pytest.approx(100 * counts.get(point, 0) / len(cells))
            if valid:
                cumulative += 100 * counts.get(point, 0) / len(valid)
                assert row.valid_percent == pytest.approx(100 * counts.get(point, 0) / len(valid))
                assert row.cumulative_percent == pytest.approx(cumulative)
        declared = sum(r.frequency for r in item.frequencies if r.kind == "declared")
        empty = sum(r.frequency for r in item.frequencies if r.kind == "empty")
        assert declared == sum(c in CODES for c in cells)
        assert empty == cells.count("")

        # Shares: over all valid answers and without the neutral midpoint.
        shares = item.shares
        assert shares is not None
        agree = sum(v > 3 for v in valid)
        disagree = sum(v < 3 for v in valid)
        if valid:
            assert shares.agree == pytest.approx(100 * agree / len(valid))
            assert shares.disagree == pytest.approx(100 * disagree / len(valid))
        if agree + disagree:
            assert shares.agree_excl_neutral == pytest.approx(100 * agree / (agree + disagree))
