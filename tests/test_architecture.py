"""The layers of docs/architecture.md, checked on the source: dependencies point inward.

Imports are read with :mod:`ast` (module level and function level alike), so a lazy import
inside a function counts as much as one at the top of a module.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "kreislauf"
ADAPTERS = ("cli", "web", "store")
CORE_PACKAGES = ("i18n", "report")
#: Every other sub-package is a domain (survey, ledger, carbon, and each one added later).
DOMAINS = tuple(
    sorted(
        path.parent.name
        for path in PACKAGE.glob("*/__init__.py")
        if path.parent.name not in (*ADAPTERS, *CORE_PACKAGES)
    )
)
CORE = (*CORE_PACKAGES, *sorted(p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__"))


def _modules(top: str) -> list[Path]:
    path = PACKAGE / top
    return sorted(path.rglob("*.py")) if path.is_dir() else [path.with_suffix(".py")]


def _imports(path: Path, source: str | None = None) -> set[str]:
    """The ``kreislauf.*`` modules that ``path`` (or ``source`` as if it were there) imports.

    Relative imports are resolved against the module's package.
    """
    tree = ast.parse(source if source is not None else path.read_text(encoding="utf-8"))
    package = ["kreislauf", *path.relative_to(PACKAGE).parent.parts]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return {name for name in found if name.startswith("kreislauf.")}


def _layer(module: str) -> str:
    return module.split(".")[1]


def test_the_domains_are_found() -> None:
    assert {"survey", "ledger", "carbon"} <= set(DOMAINS)


@pytest.mark.parametrize("domain", DOMAINS)
def test_domains_import_no_adapter(domain: str) -> None:
    offending = {
        f"{path.relative_to(PACKAGE)} imports {name}"
        for path in _modules(domain)
        for name in _imports(path)
        if _layer(name) in ADAPTERS
    }
    assert not offending, sorted(offending)


@pytest.mark.parametrize("core", CORE)
def test_core_imports_no_domain_and_no_adapter(core: str) -> None:
    offending = {
        f"{path.relative_to(PACKAGE)} imports {name}"
        for path in _modules(core)
        for name in _imports(path)
        if _layer(name) in (*DOMAINS, *ADAPTERS)
    }
    assert not offending, sorted(offending)


def test_store_does_not_import_web_or_cli() -> None:
    offending = {
        f"{path.relative_to(PACKAGE)} imports {name}"
        for path in _modules("store")
        for name in _imports(path)
        if _layer(name) in ("web", "cli")
    }
    assert not offending, sorted(offending)


def test_the_checker_sees_a_lazy_relative_adapter_import() -> None:
    """The check would fail on a domain module importing the adapters inside a function."""
    source = "def f():\n    from kreislauf.web import app\n    from ..store import models\n"
    imports = _imports(PACKAGE / "ledger" / "probe.py", source)
    assert {"kreislauf.web.app", "kreislauf.store.models"} <= imports
    assert {_layer(name) for name in imports} == {"web", "store"}
