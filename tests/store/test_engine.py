"""Engines: the PostgreSQL pool tests idle connections before use instead of pinging on
every request; the engine module knows nothing of Alembic or the migrations."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from kreislauf.store import engine as engine_module
from kreislauf.store import make_engine, make_sessionmaker
from tests.store.store_databases import fresh_database


def _backend_pid(engine: object) -> int:
    with engine.connect() as connection:  # type: ignore[attr-defined]
        return int(connection.execute(text("SELECT pg_backend_pid()")).scalar_one())


def test_connection_killed_while_idle_is_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with fresh_database("postgresql", tmp_path) as url:
        engine = make_engine(url, pool_size=1)
        try:
            first = _backend_pid(engine)
            assert _backend_pid(engine) == first  # busy: the pooled connection is reused
            with make_engine(url).connect() as admin:  # the server drops the connection
                admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first})
                admin.commit()
            monkeypatch.setattr(engine_module, "IDLE_PING_S", 0.0)  # it has been idle "long"
            assert _backend_pid(engine) != first  # tested, found dead, replaced: no error
            # a tested connection is handed out outside a transaction, so that a read-only
            # (autocommit) session can still switch it
            reader = make_sessionmaker(engine, read_only=True)
            with reader() as session:
                assert session.execute(text("SELECT 3")).scalar_one() == 3
        finally:
            engine.dispose()


def test_recently_used_connections_are_not_pinged(tmp_path: Path) -> None:
    """The trade-off, shown: a connection dropped while busy fails once, then is replaced."""
    with fresh_database("postgresql", tmp_path) as url:
        engine = make_engine(url, pool_size=1)
        try:
            first = _backend_pid(engine)
            with make_engine(url).connect() as admin:
                admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first})
                admin.commit()
            with pytest.raises(OperationalError):  # used a moment ago: handed out untested
                _backend_pid(engine)
            assert _backend_pid(engine) != first  # the pool dropped it and opened a new one
        finally:
            engine.dispose()


def test_engine_imports_neither_alembic_nor_the_migrations() -> None:
    """Schema checks live in store/migrate.py, which imports the engine, not the reverse."""
    tree = ast.parse(Path(engine_module.__file__).read_text(encoding="utf-8"))
    nodes = list(ast.walk(tree))
    imported = {a.name for n in nodes if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert {m for m in imported if m.startswith("alembic")} == set()
    assert {m for m in imported if m.startswith("kreislauf.store.migrat")} == set()
    assert all(n.level == 0 for n in ast.walk(tree) if isinstance(n, ast.ImportFrom))
