"""Forecasts: backtests per series, baselines, intervals from the shown model.

statsforecast fits take seconds, so one module-scoped forecast of two short series (40
months, horizon 3) serves most tests.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kreislauf.errors import SeriesTooShort
from kreislauf.exchange.forecast import (
    BASELINES,
    CANDIDATES,
    LEVEL,
    SEASON,
    WINDOWS,
    forecast_availability,
    make_models,
    needed_periods,
)
from tests.exchange.forecast_fixtures import small_history

HORIZON = 3


@pytest.fixture(scope="module")
def history() -> pd.DataFrame:
    return small_history()


@pytest.fixture(scope="module")
def result(history):
    return forecast_availability(history, horizon=HORIZON)


def test_every_series_has_its_error_baselines_and_a_forecast_of_the_horizon(result):
    assert [s.id for s in result.series] == ["PE-Halle", "PP-Leipzig"]
    for series in result.series:
        assert [b.model for b in series.backtest] == [*CANDIDATES, *BASELINES]
        assert set(series.baselines) == {"naive", "seasonal_naive"}
        assert [p.period for p in series.forecast] == ["2025-05", "2025-06", "2025-07"]
        assert all(0 <= p.lo_80 <= p.mean <= p.hi_80 for p in series.forecast)
        assert np.isfinite(series.mase)


def test_the_model_is_chosen_on_the_first_windows_and_judged_on_the_last(result):
    for series in result.series:
        scores = {b.model: b for b in series.backtest}
        best = min(CANDIDATES, key=lambda name: scores[name].selection_mase)
        assert series.best_model == best
        assert series.best_model_mase == pytest.approx(scores[best].holdout_mase)
        baseline = scores["SeasonalNaive"].holdout_mase
        assert series.baselines["seasonal_naive"] == pytest.approx(baseline)
        beats = scores[best].holdout_mase < baseline
        assert series.beats_seasonal_naive == beats
        assert series.model == (best if beats else "SeasonalNaive")
        assert series.mase == pytest.approx(scores[series.model].holdout_mase)


def test_the_summary_says_whether_the_chosen_models_beat_seasonal_naive(result):
    chosen = np.mean([s.best_model_mase for s in result.series])
    baseline = np.mean([s.baselines["seasonal_naive"] for s in result.series])
    assert result.mean_mase == pytest.approx(chosen)
    assert result.mean_mase_seasonal_naive == pytest.approx(baseline)
    assert result.beats_seasonal_naive == (chosen < baseline)
    assert (result.windows, result.level, result.horizon) == (WINDOWS, LEVEL, HORIZON)


def test_seasonal_naive_holdout_mase_by_hand(history, result):
    """MASE = MAE of y(t-12) on the last window / in-sample MAE of y(t-12) before it."""
    for series in result.series:
        y = history.loc[history["unique_id"] == series.id, "y"].to_numpy()
        cutoff = len(y) - HORIZON  # the last window's training length
        forecast = y[cutoff - SEASON : cutoff - SEASON + HORIZON]
        mae = np.abs(y[cutoff:] - forecast).mean()
        scale = np.abs(y[SEASON:cutoff] - y[: cutoff - SEASON]).mean()
        assert series.baselines["seasonal_naive"] == pytest.approx(mae / scale, rel=1e-5)


def test_intervals_are_the_shown_models_own(history, result):
    from statsforecast import StatsForecast

    for series in result.series:
        model = series.model
        one = history[history["unique_id"] == series.id]
        engine = StatsForecast(models=make_models((model,), horizon=HORIZON), freq="MS", n_jobs=1)
        direct = engine.forecast(df=one, h=HORIZON, level=[LEVEL])
        assert [p.lo_80 for p in series.forecast] == pytest.approx(
            np.maximum(direct[f"{model}-lo-{LEVEL}"].to_numpy(), 0), rel=1e-6, abs=1e-6
        )
        assert [p.hi_80 for p in series.forecast] == pytest.approx(
            np.maximum(direct[f"{model}-hi-{LEVEL}"].to_numpy(), 0), rel=1e-6, abs=1e-6
        )


def test_an_intermittent_model_without_conformal_intervals_refuses_levels(history):
    """Why make_models gives every intermittent model ConformalIntervals."""
    from statsforecast import StatsForecast
    from statsforecast.models import CrostonClassic

    engine = StatsForecast(models=[CrostonClassic()], freq="MS", n_jobs=1)
    with pytest.raises(
        Exception, match="prediction_intervals"
    ):  # statsforecast raises a bare Exception
        engine.forecast(df=history, h=HORIZON, level=[LEVEL])
    (croston,) = make_models(("CrostonClassic",), horizon=HORIZON)
    assert croston.prediction_intervals is not None


def test_a_series_too_short_for_the_backtest_is_named(history):
    short = history[history["ds"] >= "2023-01-01"]
    with pytest.raises(SeriesTooShort, match=r"h\.csv") as info:
        forecast_availability(short, horizon=HORIZON, source="h.csv")
    text = info.value.message("en")
    assert "'PE-Halle' has 28 periods" in text and str(needed_periods(HORIZON)) in text


def test_one_call_over_all_series_gives_each_series_alone(history, result):
    """Batching is only a speed-up: every series is chosen, judged and forecast as if it
    were the only one (the forecast fits each shown model on its own series only)."""
    for batched in result.series:
        one = history[history["unique_id"] == batched.id]
        (alone,) = forecast_availability(one, horizon=HORIZON).series
        assert (alone.model, alone.best_model) == (batched.model, batched.best_model)
        assert alone.mase == pytest.approx(batched.mase, rel=1e-9)
        assert alone.baselines == pytest.approx(batched.baselines, rel=1e-9)
        assert [(b.model, b.selection_mase, b.holdout_mase) for b in alone.backtest] == [
            (b.model, pytest.approx(b.selection_mase, rel=1e-9, nan_ok=True),
             pytest.approx(b.holdout_mase, rel=1e-9, nan_ok=True))
            for b in batched.backtest
        ]  # fmt: skip
        assert [p.period for p in alone.forecast] == [p.period for p in batched.forecast]
        for a, b in zip(alone.forecast, batched.forecast, strict=True):
            assert (a.mean, a.lo_80, a.hi_80) == pytest.approx((b.mean, b.lo_80, b.hi_80), rel=1e-9)
