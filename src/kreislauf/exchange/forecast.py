"""Availability forecasts per series, each with its backtest error and its baselines.

For every series (material × region, monthly tonnage) the candidate models of
statsforecast are backtested by rolling-origin cross-validation: ``WINDOWS`` windows of
``horizon`` months, each fitted on the history before its cutoff. The error measure is the
MASE (mean absolute error over the in-sample MAE of the seasonal naive forecast of the
window's training data, season 12; utilsforecast). The model is **chosen** on the first
``WINDOWS - 1`` windows and **judged** on the last one, which took no part in the choice:
the reported ``mase`` and the baselines' are those of the last window (out of sample).

The forecast shown is the chosen model's, with its 80 % prediction interval; where the
chosen model does not beat the seasonal naive forecast on the last window, the seasonal
naive forecast is shown instead and the series says so (``beats_seasonal_naive``: false).
Intermittent-demand models (Croston, ADIDA, IMAPA, TSB) have no distribution of their
own: their intervals are conformal (statsforecast ``ConformalIntervals``, computed for the
model itself); AutoETS, AutoARIMA and the baselines use their own intervals. Forecasts and
interval bounds are clipped at 0 t (an availability cannot be negative).

References
----------
R. J. Hyndman, A. B. Koehler, "Another look at measures of forecast accuracy",
*Int. J. Forecasting* 22 (4), 2006, 679-688, doi:10.1016/j.ijforecast.2006.03.001 (MASE).
J. D. Croston, *Oper. Res. Q.* 23 (3), 1972, 289-303, doi:10.1057/jors.1972.50; A. A.
Syntetos, J. E. Boylan, *Int. J. Forecasting* 21 (2), 2005, 303-314 (SBA); R. Teunter,
A. Syntetos, M. Babai, *EJOR* 214 (3), 2011, 606-615 (TSB); L. J. Tashman, *Int. J.
Forecasting* 16 (4), 2000, 437-450 (rolling-origin evaluation); G. Shafer, V. Vovk,
*JMLR* 9, 2008, 371-421 (conformal prediction). Nixtla statsforecast 2.x.
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Literal, get_args

import numpy as np
import pandas as pd

from kreislauf.errors import ForecastEngineMissing, SeriesTooShort
from kreislauf.exchange.models import (
    ForecastPoint,
    ForecastResult,
    ModelBacktest,
    SeriesForecast,
)

SEASON = 12
WINDOWS = 3
LEVEL = 80
#: Months of training data the first backtest window needs at least (two seasons).
MIN_TRAINING = 2 * SEASON
INTERMITTENT = ("CrostonClassic", "CrostonOptimized", "CrostonSBA", "ADIDA", "IMAPA", "TSB")
CANDIDATES = (*INTERMITTENT, "AutoETS", "AutoARIMA")
BASELINES = ("Naive", "SeasonalNaive")
#: TSB smoothing of demand size and demand probability (Teunter et al. 2011 use 0.1-0.3).
TSB_ALPHA = 0.2


Engine = Literal["local", "dask", "ray"]
ENGINES: tuple[Engine, ...] = get_args(Engine)
#: The optional extra that installs each distributed engine (pyproject.toml).
ENGINE_EXTRA = {"dask": "distributed", "ray": "ray"}
#: Workers of the local cluster started when no Dask client or Ray runtime is running.
DEFAULT_WORKERS = 2


def needed_periods(horizon: int) -> int:
    """Months a series needs for the backtest at ``horizon`` [-]."""
    return WINDOWS * horizon + MIN_TRAINING


def make_models(names: tuple[str, ...], *, horizon: int) -> list[Any]:
    """statsforecast model objects by name; intermittent ones with conformal intervals."""
    from statsforecast import models
    from statsforecast.utils import ConformalIntervals

    conformal = ConformalIntervals(h=horizon, n_windows=2)
    made: list[Any] = []
    for name in names:
        if name == "TSB":
            made.append(
                models.TSB(alpha_d=TSB_ALPHA, alpha_p=TSB_ALPHA, prediction_intervals=conformal)
            )
        elif name in INTERMITTENT:
            made.append(getattr(models, name)(prediction_intervals=conformal))
        elif name in ("AutoETS", "AutoARIMA", "SeasonalNaive"):
            made.append(getattr(models, name)(season_length=SEASON))
        else:
            made.append(getattr(models, name)())
    return made


def _check_lengths(history: pd.DataFrame, horizon: int, source: str | None) -> None:
    lengths = history.groupby("unique_id", sort=True).size()
    needed = needed_periods(horizon)
    short = lengths[lengths < needed]
    if len(short):
        raise SeriesTooShort(
            file=source,
            value=str(short.index[0]),
            found=int(short.iloc[0]),
            needed=needed,
            horizon=horizon,
        )


def _window_mase(cv: pd.DataFrame, history: pd.DataFrame, names: list[str]) -> list[pd.DataFrame]:
    """Per backtest window (in cutoff order), MASE per series (rows) and model (columns)."""
    from utilsforecast.losses import mase

    frames = []
    for cutoff in sorted(cv["cutoff"].unique()):
        window = cv[cv["cutoff"] == cutoff].drop(columns="cutoff")
        train = history[history["ds"] <= cutoff]
        scores = mase(window, models=names, seasonality=SEASON, train_df=train)
        frames.append(scores.set_index("unique_id")[names].replace([np.inf, -np.inf], np.nan))
    return frames


def forecast_availability(
    history: pd.DataFrame,
    *,
    horizon: int,
    candidates: tuple[str, ...] = CANDIDATES,
    source: str | None = None,
    n_jobs: int = 1,
    engine: Engine = "local",
    workers: int = DEFAULT_WORKERS,
) -> ForecastResult:
    """Forecast each series ``horizon`` months ahead with the model its backtest chose.

    history : ``unique_id``, ``ds`` (month start), ``y`` [t], as
        :func:`kreislauf.exchange.io.read_history` returns it
    horizon : months ahead [-]
    candidates : statsforecast model names to choose from (default :data:`CANDIDATES`)
    source : the history file's name, for messages
    n_jobs : processes statsforecast may use (``local`` engine)
    engine : ``local`` (statsforecast in this process), ``dask`` or ``ray`` (the same
        statsforecast calls on a Dask or Ray dataset through fugue; the running Dask
        client or Ray runtime, else a local cluster of ``workers`` processes for the call)
    workers : processes of that local cluster [-]

    Raises
    ------
    SeriesTooShort
        when a series has fewer than :func:`needed_periods` months.
    ForecastEngineMissing
        when ``engine`` is dask or ray and its extra is not installed.
    """
    _check_lengths(history, horizon, source)
    with _backend(engine, workers) as run:
        return _forecast(history, horizon, candidates, n_jobs, run)


#: Runs one statsforecast call (``cross_validation`` or ``forecast``) on a history frame
#: and returns its result as a pandas frame: ``run(method, models, df, **kwargs)``.
Runner = Callable[..., pd.DataFrame]


def _local(
    method: str, models: list[Any], df: pd.DataFrame, n_jobs: int, **kw: Any
) -> pd.DataFrame:
    from statsforecast import StatsForecast

    engine = StatsForecast(models=models, freq="MS", n_jobs=n_jobs)
    result: pd.DataFrame = getattr(engine, method)(df=df, **kw)
    return result


@contextmanager
def _backend(engine: Engine, workers: int) -> Iterator[Runner]:
    """A runner for ``engine`` (:data:`Runner`), with its cluster for the block's time."""
    if engine == "local":
        yield _local
        return
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; one of {', '.join(ENGINES)}")
    modules = {
        "dask": ("dask.dataframe", "distributed", "fugue_dask"),
        "ray": ("ray", "fugue_ray"),
    }[engine]
    try:
        for name in modules:
            importlib.import_module(name)
    except ImportError as missing:
        raise ForecastEngineMissing(
            engine=engine, missing=missing.name or str(missing), extra=ENGINE_EXTRA[engine]
        ) from None
    with _dask_runner(workers) if engine == "dask" else _ray_runner(workers) as run:
        yield run


#: Partitions per worker of a distributed run: each is one statsforecast call on its series.
PARTITIONS_PER_WORKER = 4


def _columns(method: str, models: list[Any], kw: dict[str, Any]) -> list[str]:
    """The value columns statsforecast's ``method`` returns for ``models``, in its order."""
    names = [repr(model) for model in models]
    if method == "cross_validation":
        return ["y", *names]
    levels = kw.get("level") or []
    out: list[str] = []
    for name in names:
        out.append(name)
        out += [f"{name}-lo-{level}" for level in reversed(levels)]
        out += [f"{name}-hi-{level}" for level in levels]
    return out


def _fugue_runner(engine: Any, partitions: int) -> Runner:
    """A runner that hands the series to fugue in ``partitions`` groups and runs the same
    statsforecast call on each group's pandas frame where it lands (a Dask or Ray
    worker), returning float64 columns.

    Not statsforecast's own fugue path: that declares every result column float32
    (``statsforecast.distributed.fugue.FugueBackend._get_output_schema``, 2.1), which
    rounds forecasts, intervals and even the actuals ``y`` to about 7 digits and so can
    flip the choice between two candidates whose backtest errors are that close. Every
    fit depends on its own series only, so a group's result is the local one for those
    series, bit for bit.
    """
    fa: Any = importlib.import_module("fugue.api")

    def run(
        method: str, models: list[Any], df: pd.DataFrame, n_jobs: int, **kw: Any
    ) -> pd.DataFrame:
        values = _columns(method, models, kw)
        keys = ["unique_id", "ds"] + (["cutoff"] if method == "cross_validation" else [])
        schema = ",".join(
            ["unique_id:str", "ds:datetime"]
            + (["cutoff:datetime"] if method == "cross_validation" else [])
            + [f"`{name}`:double" for name in values]
        )
        ids = pd.Series(pd.factorize(df["unique_id"], sort=True)[0], index=df.index)
        frame = df.assign(unique_id=df["unique_id"].astype(str), _part=ids % partitions)

        def part(group: pd.DataFrame) -> pd.DataFrame:
            from statsforecast import StatsForecast

            sf = StatsForecast(models=models, freq="MS", n_jobs=1)
            result: pd.DataFrame = getattr(sf, method)(df=group.drop(columns="_part"), **kw)
            return result[[*keys, *values]].astype({name: "float64" for name in values})

        found = fa.transform(
            frame, part, schema=schema, partition={"by": ["_part"]}, engine=engine,
            as_local=True,
        )  # fmt: skip
        plain: pd.DataFrame = _plain(fa.as_pandas(found))
        return plain

    return run


@contextmanager
def _dask_runner(workers: int) -> Iterator[Runner]:
    # imported by name: the extra is optional, so neither mypy nor CI may need it
    distributed: Any = importlib.import_module("distributed")
    try:
        client = distributed.Client.current()
        cluster = None
    except ValueError:  # no client: a local cluster for this call
        cluster = distributed.LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        )
        client = distributed.Client(cluster)
    cores = max(len(client.scheduler_info().get("workers", {})), 1)
    try:
        yield _fugue_runner(client, cores * PARTITIONS_PER_WORKER)
    finally:
        if cluster is not None:
            client.close()
            cluster.close()


@contextmanager
def _ray_runner(workers: int) -> Iterator[Runner]:
    ray: Any = importlib.import_module("ray")
    started = not ray.is_initialized()
    if started:
        ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False)
    cores = max(int(ray.cluster_resources().get("CPU", workers)), 1)
    try:
        yield _fugue_runner("ray", cores * PARTITIONS_PER_WORKER)
    finally:
        if started:
            ray.shutdown()


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """A distributed result with the local path's dtypes (fugue may hand back
    Arrow-backed columns); the series sorted as the local path sorts them."""
    out = pd.DataFrame(index=range(len(frame)))
    for column in frame.columns:
        values = frame[column].reset_index(drop=True)
        if column == "unique_id":
            out[column] = values.astype(str).to_numpy(object)
        elif column in ("ds", "cutoff"):
            out[column] = pd.to_datetime(values.astype("datetime64[ns]"))
        else:
            out[column] = values.astype("float64").to_numpy()
    keys = [c for c in ("unique_id", "cutoff", "ds") if c in out.columns]
    return out.sort_values(keys, kind="stable").reset_index(drop=True)


def _forecast(
    history: pd.DataFrame,
    horizon: int,
    candidates: tuple[str, ...],
    n_jobs: int,
    run: Runner,
) -> ForecastResult:
    names = [*candidates, *BASELINES]
    cv = run(
        "cross_validation", make_models(tuple(names), horizon=horizon), history, n_jobs,
        h=horizon, n_windows=WINDOWS, step_size=horizon,
    )  # fmt: skip
    windows = _window_mase(cv, history, names)
    selection = _scores(pd.concat(windows[:-1]).groupby(level=0).mean())
    holdout = _scores(windows[-1])
    chosen: dict[str, str] = {}
    for series_id, row in selection.items():
        finite = {name: row[name] for name in candidates if math.isfinite(row[name])}
        chosen[series_id] = min(finite, key=finite.__getitem__) if finite else "SeasonalNaive"
    shown: dict[str, str] = {}
    for series_id, model in chosen.items():
        ours, baseline = holdout[series_id][model], holdout[series_id]["SeasonalNaive"]
        beats = math.isfinite(ours) and math.isfinite(baseline) and ours < baseline
        shown[series_id] = model if beats else "SeasonalNaive"
    predicted = _shown_forecasts(history, shown, horizon, n_jobs, run)
    series: list[SeriesForecast] = []
    for series_id in sorted(chosen):
        model, display = chosen[series_id], shown[series_id]
        points = [
            ForecastPoint(
                period=pd.Timestamp(ds).strftime("%Y-%m"),
                mean=max(float(mean), 0.0),
                lo_80=max(float(lo), 0.0),
                hi_80=max(float(hi), 0.0),
            )
            for ds, mean, lo, hi in predicted[series_id]
        ]
        series.append(
            SeriesForecast(
                id=series_id,
                model=display,
                best_model=model,
                mase=holdout[series_id][display],
                best_model_mase=holdout[series_id][model],
                beats_seasonal_naive=display != "SeasonalNaive",
                baselines={
                    "naive": holdout[series_id]["Naive"],
                    "seasonal_naive": holdout[series_id]["SeasonalNaive"],
                },
                backtest=[
                    ModelBacktest(
                        model=name,
                        selection_mase=selection[series_id][name],
                        holdout_mase=holdout[series_id][name],
                    )
                    for name in names
                ],
                forecast=points,
            )
        )
    chosen_mean = _mean([holdout[s.id][s.best_model] for s in series])
    baseline_mean = _mean([holdout[s.id]["SeasonalNaive"] for s in series])
    return ForecastResult(
        horizon=horizon,
        windows=WINDOWS,
        level=LEVEL,
        candidates=list(candidates),
        series=series,
        mean_mase=chosen_mean,
        mean_mase_seasonal_naive=baseline_mean,
        beats_seasonal_naive=bool(
            math.isfinite(chosen_mean)
            and math.isfinite(baseline_mean)
            and chosen_mean < baseline_mean
        ),
    )


def _shown_forecasts(
    history: pd.DataFrame, shown: dict[str, str], horizon: int, n_jobs: int, run: Runner
) -> dict[str, list[tuple[Any, float, float, float]]]:
    """``{series: [(ds, mean, lo, hi), …]}``: the forecast of each series' shown model.

    One ``forecast`` call per shown model, on the series that show it only: a model is
    fitted on exactly the series whose forecast it gives (each fit, conformal intervals
    included, depends on its own series alone, so this is what one call over every
    series and model would give for those series, without the fits nobody reads).
    """
    by_model: dict[str, list[str]] = {}
    for series_id, model in shown.items():
        by_model.setdefault(model, []).append(series_id)
    found: dict[str, list[tuple[Any, float, float, float]]] = {}
    for model, ids in sorted(by_model.items()):
        part = history[history["unique_id"].isin(ids)]
        predicted = run(
            "forecast", make_models((model,), horizon=horizon), part, n_jobs,
            h=horizon, level=[LEVEL],
        )  # fmt: skip
        columns = ["ds", model, f"{model}-lo-{LEVEL}", f"{model}-hi-{LEVEL}"]
        for key, rows in predicted.groupby("unique_id", sort=False):
            found[str(key)] = list(rows[columns].itertuples(index=False, name=None))
    return found


def _scores(frame: pd.DataFrame) -> dict[str, dict[str, float]]:
    """``{series: {model: MASE}}`` of a frame indexed by series; NaN where undefined."""
    return {
        str(series_id): {str(k): float(v) for k, v in row.items()}
        for series_id, row in frame.to_dict(orient="index").items()
    }


def _mean(values: list[float]) -> float:
    finite = [v for v in values if math.isfinite(v)]
    return sum(finite) / len(finite) if finite else math.nan
