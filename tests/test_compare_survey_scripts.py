"""The plain survey script of ``benchmarks/compare/`` computes kreislauf's figures (issue 21).

A small generated response set (benchmarks/survey_data.py, the benchmarks' one generator),
kreislauf's results.json from the real CLI against survey_pandas.py. Not timed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kreislauf.cli import main

COMPARE = Path(__file__).resolve().parents[1] / "benchmarks" / "compare"


@pytest.fixture(autouse=True)
def _compare_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(COMPARE))
    monkeypatch.syspath_prepend(str(COMPARE.parent))


def test_pandas_survey_figures_agree_with_kreislauf(tmp_path: Path) -> None:
    import check
    import survey_check
    import survey_pandas
    from survey_data import make_csv

    csv = tmp_path / "survey.csv"
    make_csv(2000, 6, csv)
    out = tmp_path / "out"
    with pytest.raises(SystemExit) as info:
        main(["survey", "analyze", str(csv), "--out", str(out), "--scale", "1-5",
              "--formats", "json"])  # fmt: skip
    assert (info.value.code or 0) == 0
    ours = survey_check.results_figures(out / "results.json")
    import pandas as pd

    theirs = survey_pandas.figures(pd.read_csv(csv))
    assert len(theirs) == 6 * 20
    assert check.difference(ours, theirs) <= check.RTOL
    # the check can fail: one share off by 1e-5 relative
    key = "q03|agree_excl_neutral"
    theirs[key] = (theirs[key] or 0.0) * (1 + 1e-5)
    assert check.difference(ours, theirs) > check.RTOL
    survey_pandas.report(pd.read_csv(csv), survey_pandas.figures(pd.read_csv(csv)), tmp_path / "r")
    assert (tmp_path / "r" / "report.html").read_text(encoding="utf-8").count("<img") == 6
    assert json.dumps(ours)  # serialisable as the runner stores it
