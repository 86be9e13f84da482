"""Whole-process runs of kreislauf's jobs and of the plain scripts, side by side (issue 21).

    .venv/bin/python benchmarks/compare/run.py [--runs 5] [--rows 1000000]
        [--sectors 1000,2000] [--nodes 100000] [--responses 100000] [--items 60]
        [--only ledger,leontief,pcf,survey,startup]

Each job runs as a fresh process under ``/usr/bin/time -v`` (wall clock and maximum
resident set size); within one round the variants of a job take turns, and the order of
the variants rotates from round to round, so a busy spell on a shared machine slows all of
them alike. The table shows the median of ``--runs`` rounds; ratio = kreislauf's median
wall time / the fastest plain script's; CPU ratio the same for user + system time (steadier
on a shared machine); memory ratio = kreislauf's max RSS / the pandas script's (or the
first plain script's where there is no pandas script). Before timing, the outputs of the
first round are compared (``check.py``): a plain script that disagrees with kreislauf stops
the run.

``/usr/bin/time`` is GNU time (Debian: ``apt-get install time``). polars and duckdb come
with the ``bench`` extra (``pip install -e ".[bench]"``); a job whose library is missing
is left out of the table with a note.
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import check  # noqa: E402
import data  # noqa: E402
import survey_check  # noqa: E402

PY = sys.executable
KREISLAUF = str(Path(PY).with_name("kreislauf"))


@dataclass
class Variant:
    label: str
    argv: list[str]
    output: Path
    needs: str = ""  # a module that must be importable
    wall: list[float] = field(default_factory=list)
    rss_mib: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)  # user + system [s]


@dataclass
class Job:
    name: str
    ours: Variant
    plain: list[Variant]
    compare: Callable[[Path, Path], float] | None  # (ours, theirs) -> max relative difference
    differences: dict[str, float] = field(default_factory=dict)


def script(name: str, *args: object) -> list[str]:
    return [PY, str(HERE / name), *map(str, args)]


def timed(argv: list[str]) -> tuple[float, float, float]:
    """Wall clock [s], maximum RSS [MiB] and CPU time (user + system) [s] of one run of
    ``argv`` under GNU time. On a loaded machine the CPU time varies less than the wall
    clock (a process waiting for a core is not charged)."""
    done = subprocess.run(
        ["/usr/bin/time", "-v", *argv], capture_output=True, text=True, cwd=HERE, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"failed ({done.returncode}): {' '.join(argv)}\n{done.stderr[-2000:]}")
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", done.stderr)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    user = re.search(r"User time \(seconds\): ([\d.]+)", done.stderr)
    system = re.search(r"System time \(seconds\): ([\d.]+)", done.stderr)
    assert wall and rss and user and system, done.stderr[-2000:]
    hours, minutes, seconds = wall.groups()
    elapsed = int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds)
    return elapsed, int(rss[1]) / 1024, float(user[1]) + float(system[1])


def kpi_difference(ours: Path, theirs: Path) -> float:
    load = check.cli_kpis if ours.suffix == ".cli" else check.read_json
    return check.difference(load(ours), check.read_json(theirs))


def json_difference(ours: Path, theirs: Path) -> float:
    return check.difference(check.read_json(ours), check.read_json(theirs))


def array_difference(ours: Path, theirs: Path) -> float:
    return check.array_difference(np.load(ours), np.load(theirs))


def jobs(args: argparse.Namespace, folder: Path) -> list[Job]:
    selected = set(args.only.split(","))
    found: list[Job] = []
    out = folder / "out"
    out.mkdir()
    if "ledger" in selected:
        ledger = data.ledger_csv(folder, args.rows)
        plain = [
            Variant(lib, script(f"ledger_kpis_{lib}.py", ledger, out / f"kpis-{lib}.json"),
                    out / f"kpis-{lib}.json", needs=lib)
            for lib in ("polars", "duckdb", "pandas")
        ]  # fmt: skip
        cli_out = out / "kpis.cli"
        found.append(
            Job(
                f"`ledger kpis` {args.rows:,} rows `--by site,period --json`",
                Variant("kreislauf", [KREISLAUF, "ledger", "kpis", str(ledger), "--by",
                                      "site,period", "--json", str(cli_out)], cli_out),
                plain,
                kpi_difference,
            )
        )  # fmt: skip
        api_out = out / "kpis-api.json"
        found.append(
            Job(
                "same through the Python API (no table printed)",
                Variant("kreislauf", script("ledger_kpis_kreislauf.py", ledger, api_out), api_out),
                [Variant("pandas", script("ledger_kpis_pandas.py", ledger, out / "k2.json"),
                         out / "k2.json")],
                kpi_difference,
            )
        )  # fmt: skip
    if "leontief" in selected:
        for sectors in (int(s) for s in args.sectors.split(",")):
            npz = data.mrio_npz(folder, sectors // 200 or 1, min(sectors, 200))
            n = (sectors // 200 or 1) * min(sectors, 200)
            found.append(
                Job(
                    f"Leontief multipliers, {n:,} sectors",
                    Variant("kreislauf", script("leontief_kreislauf.py", npz, out / f"m{n}.npy"),
                            out / f"m{n}.npy"),
                    [Variant("pymrio", script("leontief_pymrio.py", npz, out / f"p{n}.npy"),
                             out / f"p{n}.npy", needs="pymrio"),
                     Variant("scipy spsolve", script("leontief_scipy.py", npz, out / f"s{n}.npy"),
                             out / f"s{n}.npy")],
                    array_difference,
                )
            )  # fmt: skip
    if "pcf" in selected:
        bom, factors, ledger_path = data.pcf_inputs(folder, args.nodes)
        found.append(
            Job(
                f"PCF rollup, {args.nodes:,}-node BOM (read + validate + rollup)",
                Variant("kreislauf", script("pcf_kreislauf.py", bom, factors, ledger_path,
                                            out / "pcf.json"), out / "pcf.json"),
                [Variant("scipy spsolve", script("pcf_scipy.py", bom, factors, out / "ps.json"),
                         out / "ps.json"),
                 Variant("networkx", script("pcf_networkx.py", bom, factors, out / "pn.json"),
                         out / "pn.json", needs="networkx")],
                json_difference,
            )
        )  # fmt: skip
    if "survey" in selected:
        found += survey_jobs(args, folder, out)
    if "startup" in selected:
        found.append(
            Job(
                "`kreislauf --help`",
                Variant("kreislauf", [KREISLAUF, "--help"], out / "none"),
                [Variant('`python -c "import pandas"`', [PY, "-c", "import pandas"],
                         out / "none")],
                None,
            )
        )  # fmt: skip
    for job in found:
        missing = [v for v in job.plain if v.needs and not importlib.util.find_spec(v.needs)]
        for variant in missing:
            print(f"note: {variant.label} left out of '{job.name}' (not installed; [bench] extra)")
        job.plain = [v for v in job.plain if v not in missing]
    return found


def survey_difference(ours: Path, theirs: Path) -> float:
    return check.difference(survey_check.results_figures(ours), check.read_json(theirs))


def survey_jobs(args: argparse.Namespace, folder: Path, out: Path) -> list[Job]:
    """``survey analyze`` on generated Likert responses (benchmarks/survey_data.py:
    ``--responses`` × ``--items``, 5 % missing), results.json alone and with the HTML
    report, against survey_pandas.py (the same figures; with ``--report``, one Matplotlib
    chart per item in an HTML page)."""
    from survey_data import make_csv

    csv = folder / f"survey-{args.responses}x{args.items}.csv"
    make_csv(args.responses, args.items, csv)
    size = f"{args.responses:,} × {args.items}"
    found = []
    for formats, label, extra in (
        ("json", "results.json alone", []),
        ("html", "with the HTML report", ["--report", str(out / "survey-plain-report")]),
    ):
        folder_ours = out / f"survey-{formats}"
        theirs = out / f"survey-{formats}-pandas.json"
        found.append(
            Job(
                f"`survey analyze` {size} `--formats {formats}` ({label})",
                Variant("kreislauf", [KREISLAUF, "survey", "analyze", str(csv), "--out",
                                      str(folder_ours), "--scale", "1-5", "--formats", formats],
                        folder_ours / "results.json"),
                [Variant("pandas", script("survey_pandas.py", csv, theirs, *extra), theirs)],
                survey_difference,
            )
        )  # fmt: skip
    return found


def fmt(variant: Variant) -> str:
    wall, cpu = statistics.median(variant.wall), statistics.median(variant.cpu)
    return f"{wall:.2f} s (CPU {cpu:.2f} s), {statistics.median(variant.rss_mib):.0f} MiB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--sectors", default="1000,2000", help="multiples of 200")
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--responses", type=int, default=100_000, help="survey rows")
    parser.add_argument("--items", type=int, default=60, help="survey Likert items")
    parser.add_argument("--only", default="ledger,leontief,pcf,survey,startup")
    args = parser.parse_args()
    if not shutil.which("/usr/bin/time"):
        raise SystemExit("GNU time is missing: apt-get install time")
    with tempfile.TemporaryDirectory() as tmp:
        todo = jobs(args, Path(tmp))
        for round_ in range(args.runs):
            for job in todo:
                variants = [job.ours, *job.plain]
                shift = round_ % len(variants)
                for variant in variants[shift:] + variants[:shift]:
                    wall, rss, cpu = timed(variant.argv)
                    variant.wall.append(wall)
                    variant.rss_mib.append(rss)
                    variant.cpu.append(cpu)
                if round_ == 0 and job.compare is not None:
                    for variant in job.plain:
                        gap = job.compare(job.ours.output, variant.output)
                        job.differences[variant.label] = gap
                        if not gap <= check.RTOL:
                            raise SystemExit(f"{job.name}: {variant.label} disagrees ({gap})")
            print(f"round {round_ + 1}/{args.runs} done", file=sys.stderr)
    print(f"median of {args.runs} alternating runs, wall clock and max RSS (/usr/bin/time -v)\n")
    columns = "ratio | CPU ratio | memory ratio | max. rel. difference"
    print(f"| job | kreislauf | plain script(s) | {columns} |")
    print("|---|---|---|---|---|---|---|")
    for job in todo:
        plain = "; ".join(f"{v.label} {fmt(v)}" for v in job.plain)
        fastest = min(statistics.median(v.wall) for v in job.plain)
        ratio = statistics.median(job.ours.wall) / fastest
        cpu = statistics.median(job.ours.cpu) / min(statistics.median(v.cpu) for v in job.plain)
        pandas = [v for v in job.plain if v.label == "pandas"] or job.plain
        memory = statistics.median(job.ours.rss_mib) / statistics.median(pandas[0].rss_mib)
        gaps = ", ".join(f"{k} {v:.1e}" for k, v in job.differences.items()) or "—"
        print(
            f"| {job.name} | {fmt(job.ours)} | {plain} | {ratio:.2f} | {cpu:.2f} | "
            f"{memory:.2f} | {gaps} |"
        )


if __name__ == "__main__":
    main()
