"""Placeholders for the first scheduled work, until its real handlers land.

Each is a clearly labelled **no-op**: it logs that it ran and does nothing else. The
domains that own the work replace them by declaring the same name next to their handler
(``@periodic("advice_funding_import", cron=...)`` in ``web/services/advice.py`` did so)
and deleting the placeholder here (a name can be declared once).

- ``exchange_forecast_refresh``: the nightly refresh of availability forecasts (issue 18).
"""

from __future__ import annotations

import logging

from kreislauf.web.jobs import ScheduleContext, periodic

log = logging.getLogger(__name__)


@periodic("exchange_forecast_refresh", cron="30 2 * * *")  # nightly 02:30 UTC
def exchange_forecast_refresh(run: ScheduleContext) -> None:
    """Placeholder (no-op): nightly forecast refresh, until the exchange domain's lands."""
    log.info("schedule %s due %s: placeholder, nothing refreshed", run.name, run.due.isoformat())
