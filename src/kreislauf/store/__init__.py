"""Persistence of the web platform: SQLAlchemy 2 models, Alembic migrations, repositories.

The store calls the domain packages; a domain never imports the store. Every query on
organisation-owned data goes through :func:`kreislauf.store.tenancy.scoped`, so no caller
can forget the organisation filter.
"""

from kreislauf.store.engine import make_engine, make_sessionmaker
from kreislauf.store.migrate import check_schema, downgrade, head_revision, upgrade

__all__ = [
    "check_schema",
    "downgrade",
    "head_revision",
    "make_engine",
    "make_sessionmaker",
    "upgrade",
]
