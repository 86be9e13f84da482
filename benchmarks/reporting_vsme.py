"""Benchmark: the VSME report of the demo company (2024) and its Inline XBRL validation.

    .venv/bin/python benchmarks/reporting_vsme.py [--repeat 5]

Reads the demo ledger, factors, activities and answers once, computes the GHG balance,
then times separately (median of ``--repeat`` runs, one process): the data points
(``vsme_report``), the HTML and PDF documents, the Inline XBRL document, and one Arelle
validation against the stand-in taxonomy package (needs ``arelle-release``).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "examples" / "demo-company"


def _median(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from tests.reporting.arelle_check import arelle_validate

    from kreislauf.carbon import ghg_balance, read_activities, read_factors
    from kreislauf.ledger import read_ledgers
    from kreislauf.report import render_html, render_pdf
    from kreislauf.reporting import read_answers, vsme_report
    from kreislauf.reporting.ixbrl import inline_xbrl
    from kreislauf.reporting.vsme_document import vsme_document
    from kreislauf.reporting.xbrl_standin import standin_package

    ledger = read_ledgers([DEMO / "ledger.csv"])
    activities = read_activities(DEMO / "carbon" / "activities.csv")
    library = read_factors(
        [DEMO / "carbon" / "product-factors.csv", DEMO / "carbon" / "factors.csv"]
    )
    balance = ghg_balance(ledger, library, activities=activities)
    answers = read_answers(DEMO / "reporting" / "answers.yaml")

    def report() -> object:
        return vsme_report(
            ledger, year="2024", balance=balance, activities=activities, answers=answers
        )

    result = vsme_report(
        ledger, year="2024", balance=balance, activities=activities, answers=answers
    )
    document = vsme_document(result, lang="de")
    with tempfile.TemporaryDirectory() as folder:
        xhtml = Path(folder) / "vsme.xhtml"
        xhtml.write_text(inline_xbrl(result, lang="de"), encoding="utf-8")
        package = Path(folder) / "standin.zip"
        package.write_bytes(standin_package())
        rows = [
            ("data points (vsme_report)", _median(report, args.repeat)),
            ("HTML document", _median(lambda: render_html(document), args.repeat)),
            ("PDF document", _median(lambda: render_pdf(document), args.repeat)),
            ("Inline XBRL", _median(lambda: inline_xbrl(result, lang="de"), args.repeat)),
            ("stand-in taxonomy package", _median(standin_package, args.repeat)),
            (
                "Arelle validation",
                _median(lambda: arelle_validate(xhtml, package), min(args.repeat, 3)),
            ),
        ]
    print(f"{len(result.points)} data points, {len(ledger.flows)} ledger rows")
    for name, seconds in rows:
        print(f"{name:30s} {seconds * 1000:9.1f} ms")


if __name__ == "__main__":
    main()
