"""``kreislauf carbon …``: GHG balance, product carbon footprints, measures, factors."""

from __future__ import annotations

import typer

app = typer.Typer(
    help="Treibhausgasbilanz, Produkt-CO2-Fußabdruck, Maßnahmen / GHG balance, PCF, measures.",
    no_args_is_help=True,
)
