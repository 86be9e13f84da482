"""``kreislauf carbon …``: GHG balance, product carbon footprints, measures, factors."""

from __future__ import annotations

import typer

app = typer.Typer(
    help="Treibhausgasbilanz, Produkt-CO2-Fußabdruck, Maßnahmen / GHG balance, PCF, measures.",
    no_args_is_help=True,
)


# --- balance, factors, report (carbon part 1) --------------------------------------------
# Commands only parse options, call kreislauf.carbon and render; see docs/carbon.md.

from kreislauf.cli import carbon_balance as _balance_commands  # noqa: E402

_balance_commands.register_balance_commands(app)


# --- product footprints and measures: commands in kreislauf.cli.carbon_products -----------
from kreislauf.cli.carbon_products import register_product_commands  # noqa: E402

register_product_commands(app)
