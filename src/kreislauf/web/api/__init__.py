"""The JSON API, version 1 (mounted under ``/api/v1``)."""

from fastapi import APIRouter

from kreislauf.web.api import (
    advice,
    auth,
    carbon,
    dashboard,
    exchange,
    jobs,
    ledger,
    orgs,
    passport,
    pcf,
    reporting,
    respond,
    survey,
)

router = APIRouter()
for module in (
    auth,
    orgs,
    ledger,
    dashboard,
    carbon,
    pcf,
    exchange,
    reporting,
    survey,
    jobs,
    respond,
    advice,
    passport,
):
    router.include_router(module.router)

__all__ = ["router"]
