"""Small monthly histories for the forecast tests (kept short: fitting takes seconds)."""

from __future__ import annotations

import numpy as np
import pandas as pd


def small_history(months: int = 40, seed: int = 3) -> pd.DataFrame:
    """Two series: a seasonal one and an intermittent one [t]."""
    rng = np.random.default_rng(seed)
    ds = pd.date_range("2022-01-01", periods=months, freq="MS")
    season = 1 + 0.5 * np.sin(2 * np.pi * np.arange(months) / 12)
    smooth = rng.poisson(20 * season).astype(float)
    lumpy = (rng.poisson(4, months) * (rng.random(months) < 0.35)).astype(float)
    return pd.concat(
        [
            pd.DataFrame({"unique_id": "PP-Leipzig", "ds": ds, "y": smooth}),
            pd.DataFrame({"unique_id": "PE-Halle", "ds": ds, "y": lumpy}),
        ],
        ignore_index=True,
    )


def history_csv(frame: pd.DataFrame) -> str:
    lines = ["series_id,period,quantity_t"]
    lines += [f"{row.unique_id},{row.ds:%Y-%m},{row.y:g}" for row in frame.itertuples(index=False)]
    return "\n".join(lines) + "\n"
