"""Survey benchmark: 100,000 responses × 60 Likert items, 5 % missing (issue: survey engine).

Targets: statistics and ``results.json`` in under 3 s, the full HTML report in under 20 s
on the 2-core reference machine; and the ratio against a straightforward pandas
implementation of the same figures (``compare/survey_pandas.py``'s ``figures``: per item
descriptives, frequencies, shares and the Wilson interval).

Run by hand: ``python benchmarks/survey_bench.py [--rows 100000] [--items 60]``.
The figures go into ``docs/survey.md`` (section Performance). Synthetic data from
``benchmarks/survey_data.py`` (the generator ``compare/run.py`` uses too).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent / "compare"))

from survey_data import make_csv  # (one generator, shared with compare/run.py)
from survey_pandas import figures as pandas_figures  # (the plain pandas script)

from kreislauf.files import atomic_write
from kreislauf.report import render_html, render_pdf
from kreislauf.survey.analysis import AnalysisOptions, analyze_responses
from kreislauf.survey.items import parse_scale
from kreislauf.survey.readers import read_responses
from kreislauf.survey.report import survey_report

DATA = Path(__file__).resolve().parent / ".data"


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
    timed("pandas baseline (same figures)", lambda: pandas_figures(frame), times)
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
