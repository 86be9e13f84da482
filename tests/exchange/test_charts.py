"""The forecast chart: its seasonal naive baseline is statsforecast's; SVG with every part."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kreislauf.exchange.charts import ChartLabels, forecast_figure, seasonal_naive
from kreislauf.exchange.models import ForecastPoint, SeriesForecast
from kreislauf.ledger.charts import figure_svg

LABELS = ChartLabels(history="History", mean="Forecast (AutoETS)", interval="80 % interval",
                     baseline="seasonal naive", unit="t per month")  # fmt: skip


def test_the_baseline_is_statsforecasts_seasonal_naive() -> None:
    from statsforecast import StatsForecast
    from statsforecast.models import SeasonalNaive

    y = np.random.default_rng(5).gamma(4, 5, 30)
    frame = pd.DataFrame(
        {"unique_id": "s", "ds": pd.date_range("2023-01-01", periods=30, freq="MS"), "y": y}
    )
    theirs = StatsForecast(models=[SeasonalNaive(season_length=12)], freq="MS").forecast(
        df=frame, h=15
    )
    assert seasonal_naive(list(y), 15) == pytest.approx(theirs["SeasonalNaive"].to_numpy())
    assert seasonal_naive([1.0, 2.0], 3) == [2.0, 2.0, 2.0]  # under a season: naive
    assert seasonal_naive([], 3) == []


def test_the_svg_shows_history_forecast_interval_and_baseline() -> None:
    periods = [f"{2023 + m // 12}-{m % 12 + 1:02d}" for m in range(24)]
    quantities = [float(10 + m % 12) for m in range(24)]
    forecast = SeriesForecast(
        id="PP-Leipzig", model="AutoETS", best_model="AutoETS", mase=0.5, best_model_mase=0.5,
        beats_seasonal_naive=True, baselines={"naive": 1.0, "seasonal_naive": 0.8},
        backtest=[],
        forecast=[ForecastPoint(period=f"2025-{m:02d}", mean=12.0, lo_80=9.0, hi_80=15.0)
                  for m in range(1, 7)],
    )  # fmt: skip
    fig = forecast_figure(periods, quantities, forecast, LABELS)
    ax = fig.axes[0]
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert list(lines["History"].get_ydata()) == quantities
    assert list(lines["Forecast (AutoETS)"].get_ydata()) == [12.0] * 6
    assert list(lines["seasonal naive"].get_ydata()) == quantities[12:18]  # 2024-01..06
    (band,) = ax.collections
    assert band.get_label() == "80 % interval"
    svg = figure_svg(fig)
    assert svg.startswith("<?xml") and "<script" not in svg
    for text in ("History", "Forecast (AutoETS)", "80 % interval", "seasonal naive",
                 "t per month", "2025"):  # fmt: skip
        assert text in svg
    width_cm = fig.get_figwidth() * 2.54
    assert width_cm <= 10.5  # phone: drawn at about its printed size at 390 px
