"""Plain pandas + scipy: the survey figures of a response CSV, optionally with charts.

    python benchmarks/compare/survey_pandas.py RESPONSES.csv OUT.json [--report DIR]

What a data engineer would write for Likert items on a 1-5 scale: ``pd.read_csv``, then per
item column the descriptives (valid, missing, mean, SD, median and quartiles by linear
interpolation = Hyndman & Fan type 7, min, max), the frequency of each point, the shares
agree (> 3) / neutral (3) / disagree (< 3) of all valid answers and without the midpoint,
and the Wilson 95 % interval of the agreement share (scipy ``norm.ppf``). No validation,
no quality checks, no item inference. ``--report DIR``: one Matplotlib bar chart per item
(PNG, one figure reused) and an HTML page with the figures and charts, as the plain
counterpart of ``survey analyze --formats html``.

Output: ``{"item|figure": value}`` (``benchmarks/compare/survey_check.py`` reads
kreislauf's results.json into the same keys).
"""

from __future__ import annotations

import base64
import io
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import norm

SCALE = (1, 2, 3, 4, 5)
NEUTRAL = 3


def wilson(successes: float, n: float, z: float) -> tuple[float, float]:
    p = successes / n
    denominator = 1 + z**2 / n
    centre = (p + z**2 / (2 * n)) / denominator
    half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denominator
    return 100 * max(0.0, centre - half), 100 * min(1.0, centre + half)


def figures(frame: pd.DataFrame) -> dict[str, float | None]:
    z = float(norm.ppf(0.975))
    out: dict[str, float | None] = {}
    for column in frame.columns[1:]:
        x = frame[column]
        valid = x.dropna()
        n = len(valid)
        counts = valid.value_counts()
        agree = float((valid > NEUTRAL).sum())
        neutral = float((valid == NEUTRAL).sum())
        disagree = float((valid < NEUTRAL).sum())
        low, high = wilson(agree, n, z)
        row = {
            "valid": n,
            "missing": int(x.isna().sum()),
            "mean": valid.mean(),
            "sd": valid.std(),
            "median": valid.median(),
            "q1": valid.quantile(0.25),
            "q3": valid.quantile(0.75),
            "min": valid.min(),
            "max": valid.max(),
            "agree": 100 * agree / n,
            "neutral": 100 * neutral / n,
            "disagree": 100 * disagree / n,
            "agree_excl_neutral": 100 * agree / (n - neutral),
            "agree_low": low,
            "agree_high": high,
            **{f"frequency_{p}": float(counts.get(p, 0)) for p in SCALE},
        }
        out.update({f"{column}|{key}": float(value) for key, value in row.items()})
    return out


def report(frame: pd.DataFrame, result: dict[str, float | None], folder: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    folder.mkdir(parents=True, exist_ok=True)
    figure, axes = plt.subplots(figsize=(6, 3))
    parts = ["<!doctype html><meta charset=utf-8><title>Survey</title>"]
    for column in frame.columns[1:]:
        axes.clear()
        heights = [result[f"{column}|frequency_{p}"] for p in SCALE]
        axes.bar([str(p) for p in SCALE], heights)
        axes.set_title(column)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=100)
        image = base64.b64encode(buffer.getvalue()).decode("ascii")
        mean, agree = result[f"{column}|mean"], result[f"{column}|agree_excl_neutral"]
        parts.append(
            f"<h2>{column}</h2><p>mean {mean:.2f}, agree {agree:.1f} %</p>"
            f'<img alt="{column}" src="data:image/png;base64,{image}">'
        )
    (folder / "report.html").write_text("\n".join(parts), encoding="utf-8")


def main() -> None:
    source, target = sys.argv[1], Path(sys.argv[2])
    frame = pd.read_csv(source)
    result = figures(frame)
    target.write_text(json.dumps(result), encoding="utf-8")
    if "--report" in sys.argv:
        report(frame, result, Path(sys.argv[sys.argv.index("--report") + 1]))


if __name__ == "__main__":
    main()
