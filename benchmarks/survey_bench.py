"""Survey benchmark: 100,000 responses × 60 Likert items, 5 % missing (issue: survey engine).

Targets: statistics and ``results.json`` in under 3 s, the full HTML report in under 20 s
on the 2-core reference machine; and the ratio against a straightforward pandas
implementation of the same figures (per item: descriptives, frequency table, shares).

Run by hand: ``python benchmarks/survey_bench.py [--rows 100000] [--items 60]``.
The figures go into ``docs/survey.md`` (section Performance). Synthetic data: independent
answers per item drawn from a fixed distribution (seed 42); not a real survey.
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from kreislauf.files import atomic_write
from kreislauf.report import render_html, render_pdf
from kreislauf.survey.analysis import AnalysisOptions, analyze_responses
from kreislauf.survey.items import parse_scale
from kreislauf.survey.readers import read_responses
from kreislauf.survey.report import survey_report

DATA = Path(__file__).resolve().parent / ".data"


def make_csv(rows: int, items: int, path: Path) -> None:
    rng = np.random.default_rng(42)
    answers = rng.choice(np.arange(1, 6), size=(rows, items), p=[0.1, 0.15, 0.2, 0.3, 0.25])
    frame = pd.DataFrame(answers.astype(float), columns=[f"q{i + 1:02d}" for i in range(items)])
    frame = frame.mask(rng.random((rows, items)) < 0.05)
    frame.insert(0, "id", np.arange(1, rows + 1))
    frame.to_csv(path, index=False, float_format="%.0f")


def pandas_baseline(frame: pd.DataFrame) -> dict:
    """What a careful analyst would write with pandas: one loop over the items."""
    out = {}
    for column in frame.columns[1:]:
        x = pd.to_numeric(frame[column], errors="coerce")
        valid = x.dropna()
        counts = valid.value_counts().sort_index()
        n = len(valid)
        out[column] = {
            "valid": n,
            "missing": int(x.isna().sum()),
            "mean": valid.mean(),
            "sd": valid.std(),
            "median": valid.median(),
            "q1": valid.quantile(0.25),
            "q3": valid.quantile(0.75),
            "min": valid.min(),
            "max": valid.max(),
            "frequencies": {
                float(k): (int(v), 100 * v / len(x), 100 * v / n, 100 * counts.loc[:k].sum() / n)
                for k, v in counts.items()
            },
            "agree": 100 * (valid > 3).sum() / n,
            "agree_excl": 100 * (valid > 3).sum() / (valid != 3).sum(),
        }
    return out


def timed(label: str, func: Callable[[], object], results: dict) -> object:
    start = time.perf_counter()
    value = func()
    results[label] = time.perf_counter() - start
    print(f"{label:40s} {results[label]:8.2f} s")
    return value


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--items", type=int, default=60)
    args = parser.parse_args()
    DATA.mkdir(exist_ok=True)
    csv = DATA / f"survey_{args.rows}x{args.items}.csv"
    if not csv.exists():
        make_csv(args.rows, args.items, csv)
    times: dict[str, float] = {}
    raw = timed("read CSV (kreislauf reader)", lambda: read_responses(csv), times)
    options = AnalysisOptions(scale=parse_scale("1-5"))
    results = timed(
        "statistics (analyze_responses)", lambda: analyze_responses(raw, None, options), times
    )
    timed(
        "write results.json",
        lambda: atomic_write(DATA / "results.json", results.model_dump_json()),
        times,
    )
    report = timed("build report (charts)", lambda: survey_report(results), times)
    timed("render HTML", lambda: atomic_write(DATA / "report.html", render_html(report)), times)
    timed("render PDF", lambda: atomic_write(DATA / "report.pdf", render_pdf(report)), times)
    frame = pd.read_csv(csv)
    timed("pandas baseline (same figures)", lambda: pandas_baseline(frame), times)
    stats_json = times["statistics (analyze_responses)"] + times["write results.json"]
    html = times["build report (charts)"] + times["render HTML"]
    summary = {
        "rows": args.rows,
        "items": args.items,
        "statistics_and_json_s": round(stats_json, 2),
        "html_report_s": round(html, 2),
        "pdf_render_s": round(times["render PDF"], 2),
        "pandas_baseline_s": round(times["pandas baseline (same figures)"], 2),
        "ratio_baseline_over_kreislauf": round(
            times["pandas baseline (same figures)"] / times["statistics (analyze_responses)"], 2
        ),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "read_csv_s": round(times["read CSV (kreislauf reader)"], 2),
    }
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
