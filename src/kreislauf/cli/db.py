"""``kreislauf db …``: migrate the web platform's database."""

from __future__ import annotations

from typing import Annotated

import typer

from kreislauf.cli.common import console, env_lang
from kreislauf.i18n import translate

# kreislauf.store (SQLAlchemy, Alembic) and kreislauf.settings (pydantic-settings) are
# imported inside the commands, so that ``kreislauf --help`` does not load them.

app = typer.Typer(help="Datenbank der Web-Plattform / web platform database.", no_args_is_help=True)

DatabaseOption = Annotated[
    str | None,
    typer.Option("--database", help="SQLAlchemy-URL (Standard: KREISLAUF_DATABASE_URL)."),
]


def database_url(value: str | None) -> str:
    """``--database`` if given, else the settings' URL."""
    from kreislauf.settings import get_settings

    return value or get_settings().database_url


def _report(url: str, revision: str | None) -> None:
    shown = url.split("@")[-1] if "@" in url else url
    console.print(
        translate("db.upgraded", env_lang(), url=shown, revision=revision or "base"),
        highlight=False,
    )


@app.command()
def upgrade(
    database: DatabaseOption = None,
    revision: Annotated[str, typer.Option(help="Ziel / target revision.")] = "head",
) -> None:
    """Datenbank auf den neuesten Stand bringen / migrate up."""
    from kreislauf.store import upgrade as run_upgrade

    url = database_url(database)
    _report(url, run_upgrade(url, revision))


@app.command()
def downgrade(
    database: DatabaseOption = None,
    revision: Annotated[str, typer.Option(help="Ziel, z. B. -1 oder base / target.")] = "-1",
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Auch wenn gespeicherte Daten verloren gehen / even if stored data is lost.",
        ),
    ] = False,
) -> None:
    """Migration zurücknehmen / migrate down.

    Löscht die Rücknahme gespeicherte Daten (Tabellen, Zeilen, Spaltenwerte), bricht sie ab
    und nennt sie mit Anzahl, außer mit --force. / Refuses, naming what would be deleted
    (tables, rows, column values, with counts), unless --force.
    """
    from kreislauf.store import downgrade as run_downgrade

    url = database_url(database)
    _report(url, run_downgrade(url, revision, force=force))
