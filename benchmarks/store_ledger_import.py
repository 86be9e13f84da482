"""Benchmark: ``store.ledger.import_ledger`` of a 30,000-row ledger into PostgreSQL (issue 21).

    .venv/bin/python benchmarks/store_ledger_import.py [--rows 30000] [--runs 3]
        [--url postgresql+psycopg://postgres@127.0.0.1:5432/test]

Each run gets a fresh schema (migrated with ``kreislauf.store.upgrade``), one organisation,
and imports the generated CSV (``ledger_data.write_ledger_csv``) in one transaction; it
prints the wall time of ``import_ledger`` + commit, split into the read/validate part
(``read_ledger`` timed alone on the same file) and the rest, and the number of SQL
statements the driver was sent (``cursor.execute`` / ``executemany`` calls, counted with
SQLAlchemy's ``before_cursor_execute`` event) and how many of them were INSERTs into
``ledger_flows``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, text

sys.path.insert(0, str(Path(__file__).parent))

PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def run_once(url: str, csv: Path) -> tuple[float, float, int, int]:
    from kreislauf.ledger import read_ledger
    from kreislauf.store import account, make_engine, make_sessionmaker, upgrade
    from kreislauf.store import ledger as ledger_store

    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        scoped_url = f"{url}?options=-csearch_path%3D{schema}"
        upgrade(scoped_url)
        engine = make_engine(scoped_url)
        counts = {"all": 0, "flows": 0}

        def count(_c: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            counts["all"] += 1
            counts["flows"] += statement.lstrip().upper().startswith("INSERT INTO LEDGER_FLOWS")

        with make_sessionmaker(engine)() as session:
            user = account.create_user(session, email="b@example.org", name="B", password="x" * 12)
            org = account.create_organisation(
                session, owner=user, slug="bench", name="Bench", kind="company"
            ).id
            session.commit()
            start = time.perf_counter()
            read_ledger(csv)
            read = time.perf_counter() - start
            event.listen(engine, "before_cursor_execute", count)
            start = time.perf_counter()
            ledger_store.import_ledger(session, organisation_id=org, path=csv)
            session.commit()
            total = time.perf_counter() - start
            event.remove(engine, "before_cursor_execute", count)
        engine.dispose()
        return total, read, counts["all"], counts["flows"]
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=30_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--url", default=PG)
    args = parser.parse_args()
    from ledger_data import write_ledger_csv

    with tempfile.TemporaryDirectory() as folder:
        csv = write_ledger_csv(Path(folder) / "ledger.csv", args.rows)
        results = [run_once(args.url, csv) for _ in range(args.runs)]
    totals = [r[0] for r in results]
    reads = [r[1] for r in results]
    print(f"rows: {args.rows:,}; runs: {args.runs}")
    print(
        f"import_ledger + commit: median {statistics.median(totals):.2f} s "
        f"(min {min(totals):.2f}, max {max(totals):.2f})"
    )
    print(f"of it read_ledger alone: median {statistics.median(reads):.2f} s")
    print(
        f"statements sent: {results[0][2]:,}, of them INSERT INTO ledger_flows: {results[0][3]:,}"
    )


if __name__ == "__main__":
    main()
