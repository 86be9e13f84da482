"""Jinja2 pages: one layout, the i18n catalogue as ``t()``, German number formats."""

from __future__ import annotations

from functools import partial
from importlib import resources
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from kreislauf.i18n import (
    Lang,
    catalogue,
    format_integer,
    format_number,
    format_percent,
    translate,
)
from kreislauf.web.deps import csrf_token

TEMPLATES = Jinja2Templates(directory=str(resources.files("kreislauf.web").joinpath("templates")))


def _number(lang: Lang, value: float | None, decimals: int = 1) -> str:
    return format_number(value, lang, decimals=decimals)


def _percent(lang: Lang, value: float | None, decimals: int = 1) -> str:
    return format_percent(value, lang, decimals=decimals)


def render(
    request: Request, template: str, lang: Lang, /, *, status_code: int = 200, **context: Any
) -> HTMLResponse:
    """The page ``template`` in ``lang`` with the layout's common context."""
    common = {
        "request": request,
        "lang": lang,
        "t": partial(translate_safe, lang),
        "key_label": partial(key_label, lang),
        "number": partial(_number, lang),
        "percent": partial(_percent, lang),
        "integer": lambda value: format_integer(value, lang),
        "csrf_token": csrf_token(request),
        "path": request.url.path,
    }
    return TEMPLATES.TemplateResponse(request, template, common | context, status_code=status_code)


#: Unit suffixes of nested passport keys, shown in brackets by :func:`key_label`.
_KEY_UNITS = {"kwh": "kWh", "ah": "Ah", "kg": "kg", "v": "V", "w": "W", "c": "°C", "h": "h",
              "percent": "%", "url": "URL"}  # fmt: skip


def key_label(lang: Lang, key: str) -> str:
    """The label of a nested passport value's ``key`` (``postal_code`` → "Postleitzahl"):
    ``web.passport.key.<key>`` from the catalogue, else the key in words with its unit
    (``rated_energy_kwh`` → "rated energy [kWh]")."""
    entry = catalogue().get(f"web.passport.key.{key}")
    if entry is not None:
        return entry[lang]
    words = key.split("_")
    unit = _KEY_UNITS.get(words[-1]) if len(words) > 1 else None
    text = " ".join(words[:-1] if unit else words)
    return f"{text} [{unit}]" if unit else text


def translate_safe(lang: Lang, key: str, **params: Any) -> str:
    """:func:`kreislauf.i18n.translate` for templates (same behaviour; a missing key raises)."""
    return translate(key, lang, **params)


def error_page(request: Request, status: int, detail: str, lang: Lang) -> HTMLResponse:
    """An error page with the localized message."""
    return render(request, "error.html", lang, status_code=status, status=status, detail=detail)
