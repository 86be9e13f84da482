"""Server-rendered pages (Jinja2, no JavaScript build step), German by default."""

from fastapi import APIRouter

from kreislauf.web.pages import (
    accounts,
    advice,
    carbon,
    examples,
    exchange,
    jobs,
    ledger,
    members,
    passport,
    pcf,
    reporting,
    respond,
    survey,
)

router = APIRouter(include_in_schema=False)
for module in (
    accounts,
    ledger,
    carbon,
    pcf,
    exchange,
    reporting,
    survey,
    jobs,
    members,
    respond,
    advice,
    passport,
    examples,
):
    router.include_router(module.router)

__all__ = ["router"]
