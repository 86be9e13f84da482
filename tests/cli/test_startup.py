"""Start-up cost of the ``kreislauf`` command: which modules ``--help`` and ``validate`` load.

Not timed (timings belong to benchmarks/cli_startup.py and docs/performance.md): each test
runs the real entry point in a fresh interpreter and reads ``sys.modules`` afterwards, so a
heavy import that creeps back to module level of a CLI module fails here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import typer

from kreislauf.cli import app

#: Libraries that ``--help`` must not load: the domains' (pandas, numpy, scipy, pint), the
#: settings' (pydantic-settings), the charts' and the reports' (matplotlib, plotly,
#: reportlab, jinja2), the store's and the web platform's (SQLAlchemy, Alembic, FastAPI,
#: uvicorn), and the i18n catalogue's and number formats' (yaml, babel), which a help text
#: does not need. pydantic is not in the list: Typer (0.29) imports it itself to coerce
#: parameters as soon as a group's help is shown, in the minimal Typer app as well.
NOT_FOR_HELP = (
    "pandas",
    "numpy",
    "scipy",
    "pint",
    "pyarrow",
    "pydantic_settings",
    "openpyxl",
    "matplotlib",
    "plotly",
    "reportlab",
    "jinja2",
    "sqlalchemy",
    "alembic",
    "fastapi",
    "starlette",
    "uvicorn",
    "yaml",
    "babel",
)

#: What validating a CSV ledger does not need. pint (the units registry) imports the bare
#: ``scipy`` package to detect it (a few ms); scipy's sub-packages must stay unloaded. Without
#: ``--mapping`` the ledger's mapping module (its schema) is not loaded either.
NOT_FOR_VALIDATE = (
    "kreislauf.ledger.mapping",
    "matplotlib",
    "plotly",
    "reportlab",
    "jinja2",
    "sqlalchemy",
    "alembic",
    "fastapi",
    "starlette",
    "uvicorn",
    "scipy.stats",
    "scipy.sparse",
    "scipy.optimize",
    "scipy.special",
    "scipy.linalg",
)

#: Runs ``kreislauf ARGS`` for each ARGS in argv[1] (a JSON list) in this one interpreter
#: and prints, as the last line, the modules of argv[2] (a JSON list) loaded after each run.
_PROBE = """
import json, sys
from kreislauf.cli import main
runs, watched = json.loads(sys.argv[1]), json.loads(sys.argv[2])
loaded = {}
for args in runs:
    try:
        main(args)
    except SystemExit as stop:
        if stop.code not in (0, None):
            raise
    loaded[" ".join(args)] = sorted(m for m in watched if m in sys.modules)
print(json.dumps(loaded))
"""

TEN_ROWS = """\
period,site,centre,flow,material,category,quantity,unit,cost_eur,treatment
2023-01,L,A,material_in,PP,raw,40.4,t,84811.68,
2023-01,L,A,material_in,Masterbatch,auxiliary,0.8,t,5000.24,
2023-01,L,A,stock_change,PP,,1.3,t,,
2023-01,L,A,waste_out,Angüsse,,2.5,t,98.81,recycling
2023-01,L,A,waste_out,Spülmaterial,,0.3,t,57.37,energy_recovery
2023-01,L,A,product_out,Gehäuse,,37.1,t,,
2023-01,L,A,energy_in,,electricity,91.35,MWh,20097.1,
2023-01,L,A,water_in,Kühlwasser,,115.39,m3,519.26,
2023-01,L,A,water_out,Kühlwasser,,110.0,m3,,
2023-01,L,A,system_cost,Personal,,,,62720.08,
"""


def _loaded_after(runs: list[list[str]], watched: tuple[str, ...]) -> dict[str, list[str]]:
    """``{"ARGS": [watched modules in sys.modules after kreislauf ARGS]}``, fresh process."""
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps(runs), json.dumps(watched)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    result: dict[str, list[str]] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _help_paths() -> list[list[str]]:
    """``[--help]``, ``[group, --help]`` and ``[group, …, command, --help]`` for every command."""
    paths: list[list[str]] = []

    def walk(command: object, prefix: list[str]) -> None:
        paths.append([*prefix, "--help"])
        # a group (typer vendors its own click, so ask for the attribute, not the class)
        for name, sub in sorted(getattr(command, "commands", {}).items()):
            walk(sub, [*prefix, name])

    walk(typer.main.get_command(app), [])
    return paths


def test_importing_the_cli_loads_no_heavy_library() -> None:
    probe = "import json, sys, kreislauf.cli; print(json.dumps(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    modules = set(json.loads(done.stdout))
    assert "kreislauf.cli" in modules
    assert sorted(modules & {*NOT_FOR_HELP, "pydantic"}) == []


def test_help_paths_cover_every_command_group() -> None:
    paths = {" ".join(path) for path in _help_paths()}
    expected = {
        "--help",
        "ledger --help",
        "ledger validate --help",
        "survey analyze --help",
        "carbon --help",
        "carbon factors search --help",
        "carbon pcf --help",
        "db upgrade --help",
        "serve --help",
        "demo --help",
    }
    assert expected <= paths


def test_every_help_loads_no_heavy_library() -> None:
    loaded = _loaded_after(_help_paths(), NOT_FOR_HELP)
    assert "ledger --help" in loaded
    assert {args: modules for args, modules in loaded.items() if modules} == {}


def test_validating_ten_rows_loads_only_what_validation_needs(tmp_path: Path) -> None:
    ledger = tmp_path / "ledger.csv"
    ledger.write_text(TEN_ROWS, encoding="utf-8")
    args = ["ledger", "validate", str(ledger), "--lang", "en"]
    loaded = _loaded_after([args], (*NOT_FOR_VALIDATE, "pandas"))
    # pandas proves that the ledger was read; nothing of the charts, reports, store or web.
    assert loaded == {" ".join(args): ["pandas"]}


def test_defaults_written_out_in_the_cli_agree_with_the_domain() -> None:
    from kreislauf.carbon.prices import DEFAULT_PATH
    from kreislauf.cli import carbon_products, survey
    from kreislauf.survey.descriptives import DEFAULT_QUANTILE_METHOD

    assert carbon_products.DEFAULT_PATH == DEFAULT_PATH
    assert survey.DEFAULT_QUANTILE_METHOD == DEFAULT_QUANTILE_METHOD
