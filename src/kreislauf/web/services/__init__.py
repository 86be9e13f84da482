"""Web services, one module per domain: compute, cache, store calls and job handlers.

Routes of :mod:`kreislauf.web.api` and :mod:`kreislauf.web.pages` call these and never
each other. Importing this package imports every service and so registers every job kind
(:mod:`kreislauf.web.jobs`).
"""

from kreislauf.web.services import (
    accounts,
    advice,
    carbon,
    dashboard,
    exchange,
    ledger,
    pact_inbox,
    passport,
    passport_platform,
    pcf,
    respond,
    survey,
)

__all__ = [
    "accounts",
    "advice",
    "carbon",
    "dashboard",
    "exchange",
    "ledger",
    "pact_inbox",
    "passport",
    "passport_platform",
    "pcf",
    "respond",
    "survey",
]
