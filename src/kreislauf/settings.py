"""The one settings object of kreislauf: environment variables, ``.env``, defaults.

Every setting can be given as an environment variable with the prefix ``KREISLAUF_``
(``KREISLAUF_DATABASE_URL``, ``KREISLAUF_SECRET_KEY``, …) or in a ``.env`` file in the
working directory. Without a database URL, kreislauf uses a SQLite file in the user's data
directory (``platformdirs.user_data_dir("kreislauf")``).
"""

from __future__ import annotations

import secrets
from functools import cache
from pathlib import Path

from platformdirs import user_data_dir
from pydantic import Field, IPvAnyNetwork, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from kreislauf.bounded import Limits
from kreislauf.i18n import DEFAULT_LANG, Lang

_LIMITS = Limits()


def data_dir() -> Path:
    """The user's data directory for kreislauf (created on first use)."""
    path = Path(user_data_dir("kreislauf", appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_database_url() -> str:
    """A SQLite file ``kreislauf.db`` in :func:`data_dir`."""
    return f"sqlite:///{data_dir() / 'kreislauf.db'}"


def _stored_secret() -> str:
    """A random secret kept in the data directory, so that sessions survive a restart.

    A deployment with several hosts sets ``KREISLAUF_SECRET_KEY`` instead (every worker must
    sign cookies with the same key).
    """
    path = data_dir() / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


class Settings(BaseSettings):
    """Settings of the web platform and the store.

    database_url : SQLAlchemy URL, e.g. ``sqlite:///kreislauf.db`` or
        ``postgresql+psycopg://user@host:5432/kreislauf``
    secret_key : signs session cookies; default a random key stored in the data directory
    lang : language of pages and messages when the user has not chosen one
    cookie_secure : mark the session cookie ``Secure`` on every response; without it, the
        cookie is ``Secure`` whenever the request came over HTTPS (set it behind a proxy
        that terminates TLS and forwards plain HTTP); with it, HSTS is sent on every answer
    session_idle_s : a session unused for this long ends (idle timeout) [s]
    session_max_age_s : a session ends this long after sign-in however busy it is
        (absolute timeout; also the cookie's ``Max-Age``) [s]
    login_max_failures : failed logins per account and IP address within
        ``login_window_s`` before further attempts are refused
    login_window_s : window of the login rate limit [s]
    trusted_proxies : addresses or networks (CIDR) of the reverse proxies in front of
        kreislauf, e.g. ``["127.0.0.1", "10.0.0.0/8"]`` (in the environment as a JSON
        list). Only a request whose direct peer is one of them has its client address read
        from ``X-Forwarded-For`` (the right-most address not itself a trusted proxy); by
        default nobody is trusted and the peer's address counts
    upload_max_bytes : largest accepted upload [bytes]
    import_background_bytes : ledger uploads larger than this (file and mapping together)
        are imported by the background worker; smaller ones within the request [bytes]
    table_max_rows, table_max_columns, table_max_cells, table_max_cell_chars : the most
        data rows, columns, rows × columns and characters per cell of an uploaded table
        (XLSX: also the highest row and column a cell or the declared dimension names,
        checked before the workbook is loaded) [-]
    xlsx_max_uncompressed_bytes : the uncompressed size of an XLSX upload's parts [bytes]
    yaml_max_bytes, yaml_max_nodes, yaml_max_depth : size [bytes], nodes with aliases
        expanded [-] and nesting depth [-] of an uploaded YAML file (mapping, measures,
        questionnaire); see :class:`kreislauf.bounded.Limits` and docs/web.md, Upload limits
    job_heartbeat_s : how often a worker renews the heartbeat of the jobs it holds [s]
    job_stale_after_s : a queued or running job whose heartbeat is older than this is
        taken as interrupted (its process stopped) and marked failed [s]
    funding_export : the Förderdatenbank export (ZIP) the advice import job reads: a path or
        an ``https://`` URL; unset, the job refuses to run (docs/advice.md#förderdatenbank)
    funding_history_dir : where the imported exports and their changes are kept; default
        ``foerderdatenbank/`` in the data directory
    job_time_limit_s : a job running longer than this ends failed, unless its kind sets its
        own limit (``register(..., time_limit_s=...)``) [s]
    job_max_attempts : runs of a job at most (PostgreSQL queue): a transient fault (database,
        I/O) or a lost worker starts another run until this many have been made [-]
    job_retry_wait_s : pause before the first retry; it doubles with every further one [s]
    queue_concurrency : jobs one ``kreislauf worker`` process runs at a time (threads) [-]
    queue_heartbeat_s : how often a worker tells the queue it is alive [s]
    queue_stalled_after_s : a worker silent for this long is taken as lost and its running
        jobs are run again by another worker [s]
    queue_stalled_check : when workers look for jobs of lost workers (cron, UTC; a sixth
        field gives seconds)
    queue_with_worker : ``kreislauf serve`` on PostgreSQL runs a worker in the web process
        too (``--with-worker``); by default only ``kreislauf worker`` processes run jobs
    freeze_heap : after start-up and after each newly cached result, collect garbage once
        and move the surviving objects out of the garbage collector's view (``gc.freeze``),
        so that full collections do not walk them on every later request (see docs/web.md,
        Performance); off in the test suite, where caches fill constantly
    """

    model_config = SettingsConfigDict(
        env_prefix="KREISLAUF_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    database_url: str = Field(default_factory=default_database_url)
    secret_key: str = Field(default_factory=_stored_secret, repr=False)
    lang: Lang = DEFAULT_LANG
    cookie_secure: bool = False
    session_idle_s: int = Field(default=2 * 3600, gt=0)
    session_max_age_s: int = Field(default=12 * 3600, gt=0)
    login_max_failures: int = 5
    login_window_s: int = 15 * 60
    trusted_proxies: list[IPvAnyNetwork] = []
    upload_max_bytes: int = 20 * 1024 * 1024
    import_background_bytes: int = 1024 * 1024
    table_max_rows: int = _LIMITS.max_rows
    table_max_columns: int = _LIMITS.max_columns
    table_max_cells: int = _LIMITS.max_cells
    table_max_cell_chars: int = _LIMITS.max_cell_chars
    xlsx_max_uncompressed_bytes: int = _LIMITS.max_xlsx_bytes
    yaml_max_bytes: int = _LIMITS.yaml_max_bytes
    yaml_max_nodes: int = _LIMITS.yaml_max_nodes
    yaml_max_depth: int = _LIMITS.yaml_max_depth
    job_heartbeat_s: float = 10.0
    job_stale_after_s: float = 120.0
    freeze_heap: bool = True
    funding_export: str | None = None
    funding_history_dir: Path | None = None
    job_time_limit_s: float = Field(default=30 * 60, gt=0)
    job_max_attempts: int = Field(default=3, ge=1)
    job_retry_wait_s: float = Field(default=5.0, ge=0)
    queue_concurrency: int = Field(default=2, ge=1)
    queue_heartbeat_s: float = Field(default=10.0, gt=0)
    queue_stalled_after_s: float = Field(default=60.0, gt=0)
    queue_stalled_check: str = "* * * * *"
    queue_with_worker: bool = False

    @field_validator("lang", mode="before")
    @classmethod
    def _lang_any_case(cls, value: object) -> object:
        """``KREISLAUF_LANG=EN`` means English, as ``--lang EN`` does on the command line."""
        return value.strip().lower() if isinstance(value, str) else value

    def limits(self) -> Limits:
        """The limits of reading uploads (:func:`kreislauf.bounded.applied` applies them)."""
        return Limits(
            max_rows=self.table_max_rows,
            max_columns=self.table_max_columns,
            max_cells=self.table_max_cells,
            max_cell_chars=self.table_max_cell_chars,
            max_xlsx_bytes=self.xlsx_max_uncompressed_bytes,
            yaml_max_bytes=self.yaml_max_bytes,
            yaml_max_nodes=self.yaml_max_nodes,
            yaml_max_depth=self.yaml_max_depth,
        )


@cache
def get_settings() -> Settings:
    """The settings of this process, read once."""
    return Settings()
