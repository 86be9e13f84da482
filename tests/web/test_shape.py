"""The web's shape: API and pages call services and schemas, never each other; the worker
and the store's job repository name no job kind.

Imports are read with ``ast`` from the source files, so a function-local import counts too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import kreislauf
from kreislauf.web.jobs import job_kinds

SRC = Path(kreislauf.__file__).resolve().parent
WEB = SRC / "web"


def _module(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path) -> set[str]:
    """Every module ``path`` imports, absolute; ``from a import b`` counts as ``a`` and ``a.b``."""
    package = _module(path) if path.name == "__init__.py" else _module(path).rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            names.add(base)
            names |= {f"{base}.{alias.name}" for alias in node.names}
    return names


def _reaches(names: set[str], package: str) -> set[str]:
    return {n for n in names if n == package or n.startswith(package + ".")}


def test_imported_resolves_relative_and_from_imports() -> None:
    assert "kreislauf.web.api.ledger" in imported(WEB / "api" / "__init__.py")
    assert "kreislauf.web.jobs.create_job" in imported(WEB / "services" / "ledger.py")


@pytest.mark.parametrize(
    ("folder", "forbidden"),
    [
        ("api", "kreislauf.web.pages"),
        ("pages", "kreislauf.web.api"),
        ("services", "kreislauf.web.api"),
        ("services", "kreislauf.web.pages"),
        ("schemas", "kreislauf.web.services"),
    ],
)
def test_layers_do_not_import_each_other(folder: str, forbidden: str) -> None:
    modules = sorted((WEB / folder).glob("*.py"))
    assert modules, folder
    found = {m.name: sorted(_reaches(imported(m), forbidden)) for m in modules}
    assert {name: hits for name, hits in found.items() if hits} == {}


#: What routes may use of the web package besides services and schemas: its plumbing.
PLUMBING = {"deps", "jobs", "problems", "security", "templating", "uploads"}


@pytest.mark.parametrize("folder", ["api", "pages"])
def test_routes_use_only_services_schemas_and_plumbing(folder: str) -> None:
    """Compute lives in web/services/<domain>.py and output schemas in web/schemas/."""
    allowed = {"services", "schemas", folder, *PLUMBING}
    found = {}
    for module in sorted((WEB / folder).glob("*.py")):
        web = {
            n.split(".")[2] for n in _reaches(imported(module), "kreislauf.web") if n.count(".") > 1
        }
        found[module.name] = sorted(web - allowed)
    assert {name: hits for name, hits in found.items() if hits} == {}


@pytest.mark.parametrize("path", [WEB / "worker.py", WEB / "queue.py", SRC / "store" / "job.py"])
def test_worker_and_job_store_name_no_job_kind(path: Path) -> None:
    kinds = job_kinds()
    assert len(kinds) >= 4
    source = path.read_text(encoding="utf-8")
    assert [kind for kind in kinds if kind in source] == []
