"""``engine``: the same forecast on Dask or Ray through fugue, only where the extra is
installed; the documents must equal the local one exactly.

The default (``local``) path is what every other test of test_forecast.py runs.
"""

from __future__ import annotations

import importlib.util

import pytest

from kreislauf.errors import ForecastEngineMissing
from kreislauf.exchange.forecast import forecast_availability
from tests.exchange.forecast_fixtures import small_history

CANDIDATES = ("CrostonClassic", "AutoETS")
HORIZON = 3


def _installed(*names: str) -> bool:
    return all(importlib.util.find_spec(name) is not None for name in names)


def _same_as_local(engine: str) -> None:
    history = small_history()
    local = forecast_availability(history, horizon=HORIZON, candidates=CANDIDATES)
    other = forecast_availability(
        history, horizon=HORIZON, candidates=CANDIDATES, engine=engine, workers=2
    )
    assert [s.id for s in other.series] == [s.id for s in local.series]
    for ours, theirs in zip(local.series, other.series, strict=True):
        assert theirs.model == ours.model and theirs.best_model == ours.best_model
        # kreislauf's own fugue transform keeps float64: the same numbers, not float32 ones
        assert theirs.mase == ours.mase and theirs.baselines == ours.baselines
        assert theirs.forecast == ours.forecast
    assert other.to_dict() == local.to_dict()


@pytest.mark.skipif(
    not _installed("dask", "distributed", "fugue_dask"),
    reason="the 'distributed' extra (dask, distributed, fugue[dask]) is not installed",
)
def test_dask_gives_the_local_choice_error_and_forecast() -> None:
    _same_as_local("dask")


@pytest.mark.skipif(
    not _installed("ray", "fugue_ray"), reason="the 'ray' extra (fugue[ray]) is not installed"
)
def test_ray_gives_the_local_choice_error_and_forecast() -> None:
    _same_as_local("ray")


def test_partitions_keep_every_fit_to_its_own_series() -> None:
    """The distributed runner's groups: statsforecast on a subset of the series gives
    those series' local result exactly (what makes the float64 transform exact)."""
    from statsforecast import StatsForecast

    from kreislauf.exchange.forecast import make_models

    history = small_history()
    models = make_models(CANDIDATES, horizon=HORIZON)
    both = StatsForecast(models=models, freq="MS", n_jobs=1).cross_validation(
        df=history, h=HORIZON, n_windows=3, step_size=HORIZON
    )
    one = history[history["unique_id"] == "PE-Halle"]
    alone = StatsForecast(models=models, freq="MS", n_jobs=1).cross_validation(
        df=one, h=HORIZON, n_windows=3, step_size=HORIZON
    )
    part = both[both["unique_id"] == "PE-Halle"].reset_index(drop=True)
    assert part.equals(alone.reset_index(drop=True))


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
