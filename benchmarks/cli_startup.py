"""CLI start-up: ``kreislauf --help`` against a minimal Typer app's ``--help``.

Every command pays the start-up cost of the ``kreislauf`` command before it does any work,
so ``--help`` is close to a pure measure of that cost. The yardstick is the smallest Typer
app that has the same shape (one sub-command group with one command), written to a
temporary directory; ``python -c pass`` is the interpreter's own floor. Each command runs
``--runs`` times as a fresh subprocess (wall clock, ``time.perf_counter``); the minimum is
the cost without noise from the machine, the median what a user sees. A group's help
(``kreislauf ledger --help``) is compared with the minimal app's ``group --help`` as well:
from there on Typer itself imports pydantic to coerce parameters.

The acceptance target of issue 12: ``kreislauf --help`` < 1.5 × the minimal app's ``--help``
(compared on the medians). Figures are in docs/performance.md.

Run: ``python benchmarks/cli_startup.py [--runs 20]`` in the virtual environment in which
kreislauf is installed (``kreislauf`` must be on ``PATH`` beside that ``python``).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MINIMAL_APP = '''\
import typer

app = typer.Typer()
group = typer.Typer()
app.add_typer(group, name="group")


@group.command()
def hello(name: str) -> None:
    """Say hello."""
    print(name)


if __name__ == "__main__":
    app()
'''

#: A valid 10-row ledger: one quantity centre, one month, balanced within the tolerance.
LEDGER_10_ROWS = """\
period,site,centre,flow,material,category,quantity,unit,cost_eur,recycled_share,treatment
2023-01,Leipzig,Spritzguss,material_in,PP-GF30 Granulat,raw,40.4,t,84811.68,0.15,
2023-01,Leipzig,Spritzguss,material_in,Masterbatch schwarz,auxiliary,0.8,t,5000.24,,
2023-01,Leipzig,Spritzguss,stock_change,PP-GF30 Granulat,,1.3,t,,,
2023-01,Leipzig,Spritzguss,waste_out,Angüsse und Ausschuss,,2.5,t,98.81,,recycling
2023-01,Leipzig,Spritzguss,waste_out,Spülmaterial,,0.3,t,57.37,,energy_recovery
2023-01,Leipzig,Spritzguss,product_out,Gehäuse,,37.1,t,,,
2023-01,Leipzig,Spritzguss,energy_in,,electricity,91.35,MWh,20097.1,,
2023-01,Leipzig,Spritzguss,water_in,Kühlwasser,,115.39,m3,519.26,,
2023-01,Leipzig,Spritzguss,water_out,Kühlwasser,,110.0,m3,,,
2023-01,Leipzig,Spritzguss,system_cost,Personal und Abschreibung,,,,62720.08,,
"""


def time_commands(commands: dict[str, list[str]], runs: int) -> dict[str, list[float]]:
    """Wall-clock seconds of ``runs`` fresh runs of each command [s].

    The commands take turns (one run of each per round, after one warm-up round), so that a
    busy spell of the machine slows all of them alike instead of one.
    """
    for argv in commands.values():
        subprocess.run(argv, check=True, capture_output=True)  # warm the file-system cache
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, argv in commands.items():
            start = time.perf_counter()
            subprocess.run(argv, check=True, capture_output=True)
            times[name].append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="runs per command (default 20)")
    args = parser.parse_args()
    kreislauf = shutil.which("kreislauf", path=str(Path(sys.executable).parent)) or shutil.which(
        "kreislauf"
    )
    if kreislauf is None:
        sys.exit("kreislauf is not on PATH; install it (pip install -e .) in this environment")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        app = folder / "minimal_app.py"
        app.write_text(MINIMAL_APP, encoding="utf-8")
        ledger = folder / "ledger-10-rows.csv"
        ledger.write_text(LEDGER_10_ROWS, encoding="utf-8")
        commands = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "minimal Typer app --help": [sys.executable, str(app), "--help"],
            "minimal Typer app group --help": [sys.executable, str(app), "group", "--help"],
            "kreislauf --help": [kreislauf, "--help"],
            "kreislauf ledger --help": [kreislauf, "ledger", "--help"],
            "kreislauf ledger validate (10 rows)": [kreislauf, "ledger", "validate", str(ledger)],
        }
        results = time_commands(commands, args.runs)
    base = statistics.median(results["minimal Typer app --help"])
    print(f"{'command':<38} {'min [ms]':>9} {'median [ms]':>12} {'× minimal app':>14}")
    for name, times in results.items():
        median = statistics.median(times)
        print(f"{name:<38} {1000 * min(times):9.0f} {1000 * median:12.0f} {median / base:14.2f}")
    ratio = statistics.median(results["kreislauf --help"]) / base
    verdict = "meets" if ratio < 1.5 else "MISSES"
    print(f"\nkreislauf --help = {ratio:.2f} × minimal Typer app --help ({verdict} target < 1.5 ×)")
    group = statistics.median(results["kreislauf ledger --help"]) / statistics.median(
        results["minimal Typer app group --help"]
    )
    print(f"kreislauf ledger --help = {group:.2f} × minimal Typer app group --help")


if __name__ == "__main__":
    main()
