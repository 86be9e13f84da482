"""``kreislauf survey …``: evaluate questionnaire responses."""

from __future__ import annotations

import typer

app = typer.Typer(help="Umfragen auswerten / evaluate surveys.", no_args_is_help=True)
