"""Placeholders for the first scheduled work, until its real handlers land.

A placeholder is a clearly labelled **no-op**: it logs that it ran and does nothing else.
The domain that owns the work replaces it by declaring the same name next to its handler
and deleting the placeholder here (a name can be declared once). None is left:
``advice_funding_import`` is declared in ``web/services/advice.py`` (issue 20),
``exchange_forecast_refresh`` in ``web/services/exchange.py`` (issue 18).
"""

from __future__ import annotations
