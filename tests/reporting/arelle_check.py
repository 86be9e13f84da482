"""Validate an Inline XBRL file with Arelle (arelle-release), offline, in this process."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ArelleResult:
    """What Arelle logged at warning level or above, and the facts it loaded."""

    problems: list[str]
    facts: int
    concepts: set[str]


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.INFO)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def arelle_validate(document: Path, package: Path) -> ArelleResult:
    """Load ``document`` with the taxonomy package ``package`` and validate it (XBRL 2.1,
    Dimensions, Inline XBRL 1.1), working offline."""
    from arelle.api.Session import Session
    from arelle.RuntimeOptions import RuntimeOptions

    options = RuntimeOptions(
        entrypointFile=str(document),
        packages=[str(package)],
        validate=True,
        workOffline=True,
        disablePersistentConfig=True,
        keepOpen=True,
        logLevel="INFO",
    )
    handler = _Collect()
    with Session() as session:
        session.run(options, logHandler=handler)
        models = session.get_models()
        facts = len(models[0].facts) if models else 0
        names = {str(f.qname) for f in models[0].facts} if models else set()
    problems = [
        f"{getattr(r, 'messageCode', '')}: {r.getMessage()}"
        for r in handler.records
        if r.levelno >= logging.WARNING
    ]
    return ArelleResult(problems, facts, names)
