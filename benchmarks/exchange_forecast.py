"""Forecasts of many monthly series: kreislauf's backtested choice vs statsforecast directly.

Synthetic series of 60 months (seasonal, trending and intermittent, like the example of
examples/exchange-network). Per size, wall time of

- kreislauf: ``forecast_availability`` (rolling-origin cross-validation of every candidate
  and baseline, MASE per window, the choice per series, the final forecast with intervals
  of the chosen models);
- statsforecast directly: the same ``StatsForecast`` models, one ``cross_validation`` of the
  same windows and one ``forecast`` of every model with 80 % intervals (what a user of the
  library would run to get the same information, without the choice and the MASE).

Both are warmed up on two series first (imports, first calls), untimed.
``--candidates`` narrows the candidates (AutoARIMA dominates the time). n_jobs=1 unless
``--n-jobs`` says otherwise. Run: ``.venv/bin/python benchmarks/exchange_forecast.py
[--sizes 10 30 100] [--horizon 12]``.
"""

from __future__ import annotations

import argparse
import math
import time

import numpy as np
import pandas as pd

from kreislauf.exchange.forecast import (
    BASELINES,
    CANDIDATES,
    LEVEL,
    WINDOWS,
    forecast_availability,
    make_models,
)


def histories(n: int, months: int = 60, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    ds = pd.date_range("2021-01-01", periods=months, freq="MS")
    frames = []
    for k in range(n):
        level = rng.uniform(10, 80)
        season = 1 + rng.uniform(0.15, 0.45) * np.sin(
            2 * np.pi * np.arange(months) / 12 + rng.uniform(0, 2 * math.pi)
        )
        kind = k % 3
        mean = level * season * (1 + 0.012 * np.arange(months)) if kind == 1 else level * season
        if kind == 2:
            mean = mean * 0.4 * (rng.random(months) < 0.35)
        y = np.where(mean > 0, rng.gamma(8, np.maximum(mean, 1e-9) / 8), 0.0)
        frames.append(pd.DataFrame({"unique_id": f"s{k:05d}", "ds": ds, "y": y}))
    return pd.concat(frames, ignore_index=True)


def direct(history: pd.DataFrame, horizon: int, names: tuple[str, ...], n_jobs: int) -> float:
    from statsforecast import StatsForecast

    start = time.perf_counter()
    engine = StatsForecast(models=make_models(names, horizon=horizon), freq="MS", n_jobs=n_jobs)
    engine.cross_validation(df=history, h=horizon, n_windows=WINDOWS, step_size=horizon)
    engine.forecast(df=history, h=horizon, level=[LEVEL])
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 30, 100])
    parser.add_argument("--horizon", type=int, default=12)
    parser.add_argument("--candidates", default=",".join(CANDIDATES))
    parser.add_argument("--n-jobs", type=int, default=1)
    args = parser.parse_args()
    candidates = tuple(args.candidates.split(","))
    print(f"candidates: {', '.join(candidates)}; horizon {args.horizon}; n_jobs {args.n_jobs}")
    print(
        "| series × 60 months | kreislauf [s] | statsforecast directly [s] | ratio | "
        "kreislauf per series [ms] | chosen beat seasonal naive (mean MASE) |"
    )
    print("|---|---|---|---|---|---|")
    # warm-up, not timed: imports and first calls of statsforecast and coreforecast
    warm = histories(2, seed=99)
    forecast_availability(warm, horizon=args.horizon, candidates=candidates)
    direct(warm, args.horizon, (*candidates, *BASELINES), 1)
    for n in args.sizes:
        history = histories(n)
        start = time.perf_counter()
        result = forecast_availability(
            history, horizon=args.horizon, candidates=candidates, n_jobs=args.n_jobs
        )
        ours = time.perf_counter() - start
        theirs = direct(history, args.horizon, (*candidates, *BASELINES), args.n_jobs)
        verdict = (
            f"{'yes' if result.beats_seasonal_naive else 'no'} "
            f"({result.mean_mase:.3f} vs {result.mean_mase_seasonal_naive:.3f})"
        )
        print(
            f"| {n:,} | {ours:.1f} | {theirs:.1f} | {ours / theirs:.2f} "
            f"| {1000 * ours / n:.0f} | {verdict} |"
        )


if __name__ == "__main__":
    main()
