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
``--n-jobs`` says otherwise. Printed per size: the 1-minute load average before the size
(the machine is shared); after the sizes, the growth exponent b of t ~ n^b between each
pair of neighbouring sizes and from the smallest to the largest, and, with
``--extrapolate N``, the time at N series that the last measured growth gives (an
extrapolation, printed as one). Run: ``.venv/bin/python -m benchmarks.exchange_forecast
[--sizes 100 300 1000] [--horizon 12] [--extrapolate 10000]``.
"""

from __future__ import annotations

import argparse
import itertools
import math
import os
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
    parser.add_argument("--extrapolate", type=int, default=None)
    args = parser.parse_args()
    candidates = tuple(args.candidates.split(","))
    print(f"candidates: {', '.join(candidates)}; horizon {args.horizon}; n_jobs {args.n_jobs}")
    print(
        "| series × 60 months | kreislauf [s] | statsforecast directly [s] | ratio | "
        "kreislauf per series [ms] | chosen beat seasonal naive (mean MASE) | load |"
    )
    print("|---|---|---|---|---|---|---|")
    # warm-up, not timed: imports and first calls of statsforecast and coreforecast
    warm = histories(2, seed=99)
    forecast_availability(warm, horizon=args.horizon, candidates=candidates)
    direct(warm, args.horizon, (*candidates, *BASELINES), 1)
    rows: list[tuple[int, float, float]] = []
    for n in args.sizes:
        load = os.getloadavg()[0]
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
            f"| {1000 * ours / n:.0f} | {verdict} | {load:.1f} |",
            flush=True,
        )
        rows.append((n, ours, theirs))
    growth(rows, args.extrapolate)


def exponent(n0: int, t0: float, n1: int, t1: float) -> float:
    """b of t ~ n^b through two measured sizes [-]."""
    return math.log(t1 / t0) / math.log(n1 / n0)


def growth(rows: list[tuple[int, float, float]], extrapolate: int | None) -> None:
    """The growth exponents of kreislauf and of statsforecast directly, and an
    extrapolation from the last pair of sizes."""
    pairs = [*itertools.pairwise(rows)]
    if len(rows) > 2:
        pairs.append((rows[0], rows[-1]))
    for (n0, k0, d0), (n1, k1, d1) in pairs:
        print(
            f"growth {n0:,} -> {n1:,} series: kreislauf b = {exponent(n0, k0, n1, k1):.2f}, "
            f"statsforecast directly b = {exponent(n0, d0, n1, d1):.2f}"
        )
    if extrapolate is not None and len(rows) > 1:
        (n0, k0, d0), (n1, k1, d1) = rows[-2], rows[-1]
        scale = extrapolate / n1
        ours = k1 * scale ** exponent(n0, k0, n1, k1)
        theirs = d1 * scale ** exponent(n0, d0, n1, d1)
        print(
            f"EXTRAPOLATED (not measured) to {extrapolate:,} series from {n0:,} -> {n1:,}: "
            f"kreislauf {ours:.0f} s, statsforecast directly {theirs:.0f} s"
        )


if __name__ == "__main__":
    main()
