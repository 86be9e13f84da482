"""Errors as RFC 9457 problem details (``application/problem+json``).

Every :class:`~kreislauf.errors.KreislaufError` becomes a problem with its HTTP status, the
localized message as ``detail`` and, where the error knows it, the location (``file``,
``row``, ``column``, ``field``). An invalid ledger lists every problem under ``errors``.
Validation errors of the request (FastAPI) get the same shape.

References
----------
RFC 9457, Problem Details for HTTP APIs (2023).
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from kreislauf.errors import InvalidLedger, KreislaufError, TooManyLoginAttempts
from kreislauf.i18n import Lang

MEDIA_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:kreislauf:problem:"


def problem_response(
    status: int, *, type_: str, detail: str, headers: dict[str, str] | None = None, **extra: Any
) -> JSONResponse:
    """A problem-details response with ``title`` taken from the HTTP status phrase."""
    body = {
        "type": type_,
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        **extra,
    }
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def _location(error: KreislaufError) -> dict[str, Any]:
    return {k: error.params[k] for k in ("file", "row", "column", "field") if k in error.params}


def error_entries(error: KreislaufError, lang: Lang) -> list[dict[str, Any]]:
    """One entry per problem (the first rows of an invalid ledger, else the error itself).

    An invalid ledger lists as many problems as its message shows (``InvalidLedger.shown``;
    the detail gives the total), so the body stays small however many rows are wrong.
    """
    problems = error.problems[: error.shown] if isinstance(error, InvalidLedger) else [error]
    entries = []
    for item in problems:
        entry = _location(item)
        if "value" in item.params:
            entry["value"] = str(item.params["value"])
        if "expected" in item.params:
            expected = item.params["expected"]
            entry["expected"] = expected.text(lang) if hasattr(expected, "text") else str(expected)
        entry["detail"] = item.message(lang)
        entry["type"] = TYPE_PREFIX + item.key.removeprefix("error.")
        entries.append(entry)
    return entries


def kreislauf_problem(error: KreislaufError, lang: Lang) -> JSONResponse:
    """The problem for a domain, store or web error."""
    headers = None
    if isinstance(error, TooManyLoginAttempts):
        headers = {"Retry-After": str(60 * int(error.params.get("minutes", 1)))}
    detail = error.message(lang).splitlines()[0]
    return problem_response(
        error.http_status,
        type_=TYPE_PREFIX + error.key.removeprefix("error."),
        detail=detail,
        headers=headers,
        errors=error_entries(error, lang),
        **_location(error),
    )


def validation_problem(error: RequestValidationError) -> JSONResponse:
    """422 for a request whose parameters or body do not match the API's schema."""
    entries = []
    for item in error.errors():
        loc = [str(p) for p in item.get("loc", ())]
        entries.append(
            {
                "field": ".".join(loc[1:]) if len(loc) > 1 else ".".join(loc),
                "in": loc[0] if loc else "body",
                "detail": str(item.get("msg", "")),
                "type": TYPE_PREFIX + "validation." + str(item.get("type", "invalid")),
            }
        )
    first = entries[0] if entries else {"field": "", "detail": "invalid request"}
    return problem_response(
        422,
        type_=TYPE_PREFIX + "validation",
        detail=f"{first['field']}: {first['detail']}",
        errors=entries,
    )


def http_problem(_request: Request, error: HTTPException) -> JSONResponse:
    """Starlette's own errors (404 for an unknown path, 405, …) as problems."""
    return problem_response(
        error.status_code,
        type_="about:blank",
        detail=str(error.detail),
        headers=dict(error.headers) if error.headers else None,
    )
