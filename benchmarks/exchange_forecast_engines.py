"""Forecasts on Dask (2 workers) vs statsforecast directly in one process, three sizes.

The synthetic monthly series of benchmarks/exchange_forecast.py (60 months; seasonal,
trending, intermittent). Per size, wall time of

- statsforecast directly: ``cross_validation`` (3 windows) and ``forecast`` (80 %) of the
  candidates and baselines on a pandas frame in this process (``n_jobs=1``);
- kreislauf on Dask: ``forecast_availability(..., engine="dask")`` - the same calls on a
  Dask DataFrame through fugue, on a ``LocalCluster`` of 2 worker processes (1 thread
  each) started once before the sizes (its start-up is printed, not counted), plus the
  choice per series and the MASE;
- kreislauf locally (``engine="local"``), for the share of the choice itself;

and whether the Dask run's document (choice, MASE, baselines, forecasts) equals the local
one exactly.

Growth: the exponent b of t ~ n^b between the smallest and the largest size.
Needs the ``distributed`` extra (``pip install -e '.[distributed]'``). Run:
``.venv/bin/python -m benchmarks.exchange_forecast_engines [--sizes 20 60 180]``.
"""

from __future__ import annotations

import argparse
import math
import time

from benchmarks.exchange_forecast import direct, histories

from kreislauf.exchange.forecast import BASELINES, forecast_availability

DEFAULT_CANDIDATES = ("CrostonClassic", "ADIDA", "TSB", "AutoETS")


def main() -> None:
    from distributed import Client, LocalCluster

    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs=3, default=[20, 60, 180])
    parser.add_argument("--horizon", type=int, default=12)
    parser.add_argument("--candidates", default=",".join(DEFAULT_CANDIDATES))
    args = parser.parse_args()
    candidates = tuple(args.candidates.split(","))
    start = time.perf_counter()
    cluster = LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    client = Client(cluster)
    print(f"Dask LocalCluster, 2 workers: start-up {time.perf_counter() - start:.1f} s")
    print(f"candidates: {', '.join(candidates)}; horizon {args.horizon}")
    warm = histories(4, seed=99)
    forecast_availability(warm, horizon=args.horizon, candidates=candidates, engine="dask")
    forecast_availability(warm, horizon=args.horizon, candidates=candidates)
    direct(warm, args.horizon, (*candidates, *BASELINES), 1)
    print(
        "| series × 60 months | statsforecast directly [s] | kreislauf local [s] | "
        "kreislauf on Dask, 2 workers [s] | Dask / directly | same document as local |"
    )
    print("|---|---|---|---|---|---|")
    rows: list[tuple[int, float, float, float]] = []
    for n in args.sizes:
        history = histories(n)
        plain = direct(history, args.horizon, (*candidates, *BASELINES), 1)
        t0 = time.perf_counter()
        local = forecast_availability(history, horizon=args.horizon, candidates=candidates)
        ours = time.perf_counter() - t0
        t0 = time.perf_counter()
        dask = forecast_availability(
            history, horizon=args.horizon, candidates=candidates, engine="dask"
        )
        on_dask = time.perf_counter() - t0
        same = local.to_dict() == dask.to_dict()  # the whole document, exactly
        rows.append((n, plain, ours, on_dask))
        print(
            f"| {n:,} | {plain:.1f} | {ours:.1f} | {on_dask:.1f} | {on_dask / plain:.2f} "
            f"| {'yes' if same else 'no'} |"
        )
    (n0, p0, l0, d0), (n1, p1, l1, d1) = rows[0], rows[-1]
    growth = [math.log(b / a) / math.log(n1 / n0) for a, b in ((p0, p1), (l0, l1), (d0, d1))]
    print(
        f"growth exponent b (t ~ n^b, {n0} -> {n1} series): directly {growth[0]:.2f}, "
        f"local {growth[1]:.2f}, Dask {growth[2]:.2f}"
    )
    client.close()
    cluster.close()


if __name__ == "__main__":
    main()
