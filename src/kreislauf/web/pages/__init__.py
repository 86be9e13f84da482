"""Server-rendered pages (Jinja2, no JavaScript build step), German by default."""

from fastapi import APIRouter

from kreislauf.web.pages import accounts, members, pcf, respond, surveys, workspace

router = APIRouter(include_in_schema=False)
for module in (accounts, workspace, pcf, surveys, members, respond):
    router.include_router(module.router)

__all__ = ["router"]
