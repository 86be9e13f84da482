"""The ``kreislauf`` command line: one Typer sub-command group per domain.

Commands only parse options, call the domain and render with Rich. Every
:class:`~kreislauf.errors.KreislaufError` ends here as a localized message on stderr and
its exit code, never as a traceback.
"""

from __future__ import annotations

import sys

import typer

from kreislauf import __version__
from kreislauf.cli.advice import app as advice_app
from kreislauf.cli.carbon import app as carbon_app
from kreislauf.cli.common import console_err, lang_from_args, marked
from kreislauf.cli.db import app as db_app
from kreislauf.cli.exchange import app as exchange_app
from kreislauf.cli.jobs import app as jobs_app
from kreislauf.cli.ledger import app as ledger_app
from kreislauf.cli.passport import app as passport_app
from kreislauf.cli.reporting import app as reporting_app
from kreislauf.cli.survey import app as survey_app
from kreislauf.cli.web import demo as demo_command
from kreislauf.cli.web import serve as serve_command
from kreislauf.cli.worker import worker as worker_command
from kreislauf.errors import KreislaufError
from kreislauf.i18n import translate

app = typer.Typer(
    name="kreislauf",
    help="kreislauf – ressourceneffiziente, zirkuläre Produktion / resource-efficient, "
    "circular production. Sprache/language: KREISLAUF_LANG=de|en.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)
app.add_typer(survey_app, name="survey")
app.add_typer(ledger_app, name="ledger")
app.add_typer(carbon_app, name="carbon")
app.add_typer(passport_app, name="passport")
app.add_typer(reporting_app, name="reporting")
app.add_typer(db_app, name="db")
app.add_typer(exchange_app, name="exchange")
app.add_typer(advice_app, name="advice")
app.add_typer(jobs_app, name="jobs")
app.command("serve")(serve_command)
app.command("demo")(demo_command)
app.command("worker")(worker_command)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kreislauf {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Version anzeigen / show."
    ),
) -> None:
    """kreislauf command line."""


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``kreislauf`` script."""
    args = sys.argv[1:] if argv is None else argv
    try:
        app(args=args, prog_name="kreislauf")
    except KreislaufError as error:
        lang = lang_from_args(args)
        console_err.print(
            marked(f"{translate('cli.error', lang)}:", "bold red", error.message(lang)),
            highlight=False,
            soft_wrap=True,
        )
        sys.exit(error.exit_code)
