"""``engine``: the same forecast on Dask through fugue, only where the extra is installed.

The default (``local``) path is what every other test of test_forecast.py runs.
"""

from __future__ import annotations

import importlib.util
import math

import pytest

from kreislauf.errors import ForecastEngineMissing
from kreislauf.exchange.forecast import forecast_availability
from tests.exchange.forecast_fixtures import small_history

CANDIDATES = ("CrostonClassic", "AutoETS")
HORIZON = 3


def _installed(*names: str) -> bool:
    return all(importlib.util.find_spec(name) is not None for name in names)


@pytest.mark.skipif(
    not _installed("dask", "distributed", "fugue_dask"),
    reason="the 'distributed' extra (dask, distributed, fugue[dask]) is not installed",
)
def test_dask_gives_the_local_choice_error_and_forecast() -> None:
    history = small_history()
    local = forecast_availability(history, horizon=HORIZON, candidates=CANDIDATES)
    dask = forecast_availability(
        history, horizon=HORIZON, candidates=CANDIDATES, engine="dask", workers=2
    )
    assert [s.id for s in dask.series] == [s.id for s in local.series]
    for ours, theirs in zip(local.series, dask.series, strict=True):
        assert theirs.model == ours.model and theirs.best_model == ours.best_model
        # fugue hands the results back as float32: agreement to float32 precision
        assert math.isclose(theirs.mase, ours.mase, rel_tol=1e-5)
        for a, b in zip(ours.forecast, theirs.forecast, strict=True):
            assert a.period == b.period
            for field in ("mean", "lo_80", "hi_80"):
                assert math.isclose(getattr(a, field), getattr(b, field),
                                    rel_tol=1e-5, abs_tol=1e-4)  # fmt: skip


@pytest.mark.skipif(_installed("ray"), reason="ray is installed: the missing-engine message "
                    "cannot be shown")  # fmt: skip
def test_an_engine_not_installed_names_the_extra() -> None:
    with pytest.raises(ForecastEngineMissing) as raised:
        forecast_availability(small_history(), horizon=HORIZON, candidates=CANDIDATES,
                              engine="ray")  # fmt: skip
    text = raised.value.message("en")
    assert "ray" in text and "pip install 'kreislauf[ray]'" in text
    assert "pip install 'kreislauf[ray]'" in raised.value.message("de")


def test_an_unknown_engine_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown engine"):
        forecast_availability(small_history(), horizon=HORIZON, candidates=CANDIDATES,
                              engine="spark")  # type: ignore[arg-type]  # fmt: skip
