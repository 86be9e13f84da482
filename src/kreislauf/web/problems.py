"""Errors as RFC 9457 problem details (``application/problem+json``).

Every :class:`~kreislauf.errors.KreislaufError` becomes a problem with its HTTP status, the
localized message as ``detail`` and, where the error knows it, the location (``file``,
``row``, ``column``, ``field``). An invalid ledger lists every problem under ``errors``.
Validation errors of the request (FastAPI) get the same shape; a body that is not JSON is
a 400 :class:`~kreislauf.errors.InvalidJson`. A lost database connection is a 503 with
``Retry-After`` (:func:`database_problem`), and any other exception a 500 problem that
says nothing internal (:class:`ServerErrors`, logged with a reference).

References
----------
RFC 9457, Problem Details for HTTP APIs (2023).
"""

from __future__ import annotations

import html
import json
import logging
import secrets
from http import HTTPStatus
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kreislauf.errors import (
    DatabaseUnavailable,
    InvalidJson,
    InvalidLedger,
    KreislaufError,
    TooManyLoginAttempts,
)
from kreislauf.i18n import DEFAULT_LANG, Lang, as_lang, catalogue, translate

MEDIA_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:kreislauf:problem:"
#: How long a client should wait before repeating a request the database could not serve [s].
RETRY_AFTER_S = 30

log = logging.getLogger("kreislauf.web")

#: What each error status means in the OpenAPI document (:mod:`kreislauf.web.openapi`).
DESCRIPTIONS = {
    400: "The body is not valid JSON (problem details)",
    401: "Not signed in, session ended, or unknown API token (problem details)",
    403: "CSRF token or origin refused, or no membership or role for this (problem details)",
    404: "No such record in this organisation (problem details)",
    409: "Conflicts with the current state (problem details)",
    413: "Upload beyond a size or read limit; the limit is named (problem details)",
    422: "Invalid parameter, body or file, located by field or file, row and column "
    "(problem details)",
    429: "Too many failed logins; see Retry-After (problem details)",
    503: "The database is not answering; repeat after Retry-After seconds (problem details)",
}


def declared(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` of a route that answers ``statuses`` from its own logic (a conflict
    only the route knows); :mod:`kreislauf.web.openapi` adds the problem schema."""
    return {
        status: {"description": DESCRIPTIONS.get(status, "Problem details")} for status in statuses
    }


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
    headers = retry_after(error)
    detail = error.message(lang).splitlines()[0]
    return problem_response(
        error.http_status,
        type_=TYPE_PREFIX + error.key.removeprefix("error."),
        detail=detail,
        headers=headers,
        errors=error_entries(error, lang),
        **_location(error),
    )


def retry_after(error: KreislaufError) -> dict[str, str] | None:
    """The ``Retry-After`` header of an error a client may repeat later, else None."""
    if isinstance(error, TooManyLoginAttempts):
        return {"Retry-After": str(60 * int(str(error.params.get("minutes", 1))))}
    if isinstance(error, DatabaseUnavailable):
        return {"Retry-After": str(error.params.get("seconds", RETRY_AFTER_S))}
    return None


def database_unavailable(error: Exception) -> DatabaseUnavailable:
    """The user's error for a database fault during a request; the fault is logged (its
    first line: no statement, no parameters), the answer says nothing internal."""
    reason = str(getattr(error, "orig", None) or error).strip().splitlines()
    log.warning("database unavailable: %s: %s", type(error).__name__, reason[0] if reason else "")
    return DatabaseUnavailable(seconds=RETRY_AFTER_S)


def invalid_json(error: RequestValidationError) -> InvalidJson | None:
    """The :class:`InvalidJson` of a request whose body did not parse, else None."""
    for item in error.errors():
        if item.get("type") == "json_invalid":
            loc = item.get("loc", ())
            position = loc[1] if len(loc) > 1 else 0
            reason = str((item.get("ctx") or {}).get("error", "JSON decode error"))
            return InvalidJson(field="body", position=position, reason=reason)
    return None


def validation_detail(item: dict[str, Any], lang: Lang) -> str:
    """A pydantic error in the user's language (``web.validation.<type>`` of the catalogue,
    with the error's context such as ``expected`` or ``max_length``); an unknown type gets
    the catalogue's generic message, never pydantic's English text."""
    kind = str(item.get("type", "invalid"))
    context = {k: str(v) for k, v in (item.get("ctx") or {}).items()}
    if lang == "de" and "expected" in context:  # pydantic lists choices as "'a' or 'b'"
        context["expected"] = context["expected"].replace(" or ", " oder ")
    key = f"web.validation.{kind}"
    if key not in catalogue():
        return translate("web.validation.other", lang, type=kind)
    try:
        return translate(key, lang, **context)
    except KeyError:  # a context this type does not always have
        return translate("web.validation.other", lang, type=kind)


def validation_messages(error: RequestValidationError, lang: Lang) -> list[str]:
    """Each error of a request as ``field: message`` in ``lang`` (for the error page)."""
    out = []
    for item in error.errors():
        loc = [str(p) for p in item.get("loc", ())]
        field = ".".join(loc[1:]) if len(loc) > 1 else ".".join(loc)
        out.append(f"{field}: {validation_detail(item, lang)}")
    return out


def validation_problem(error: RequestValidationError, lang: Lang = "en") -> JSONResponse:
    """422 for a request whose parameters or body do not match the API's schema."""
    entries = []
    for item in error.errors():
        loc = [str(p) for p in item.get("loc", ())]
        entries.append(
            {
                "field": ".".join(loc[1:]) if len(loc) > 1 else ".".join(loc),
                "in": loc[0] if loc else "body",
                "detail": validation_detail(item, lang),
                "type": TYPE_PREFIX + "validation." + str(item.get("type", "invalid")),
            }
        )
    first = (
        entries[0]
        if entries
        else {"field": "", "detail": translate("web.validation.other", lang, type="")}
    )
    return problem_response(
        422,
        type_=TYPE_PREFIX + "validation",
        detail=f"{first['field']}: {first['detail']}",
        errors=entries,
    )


def http_detail(error: HTTPException, lang: Lang) -> str:
    """Starlette's standard detail (the status phrase, e.g. "Not Found") in ``lang``."""
    key = f"web.http.{error.status_code}"
    try:
        standard = HTTPStatus(error.status_code).phrase
    except ValueError:
        standard = ""
    if str(error.detail) == standard and key in catalogue():
        return translate(key, lang)
    return str(error.detail)


def http_problem(_request: Request, error: HTTPException, lang: Lang = "en") -> JSONResponse:
    """Starlette's own errors (404 for an unknown path, 405, …) as problems."""
    return problem_response(
        error.status_code,
        type_="about:blank",
        detail=http_detail(error, lang),
        headers=dict(error.headers) if error.headers else None,
    )


def _internal_page(lang: Lang, status: int, detail: str) -> bytes:
    """A small, self-contained HTML error page (no template, no session, no database)."""
    title = html.escape(translate("web.error.title", lang))
    home = html.escape(translate("web.error.home", lang))
    return (
        f'<!doctype html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title} ({status}) · kreislauf</title>"
        '<link rel="stylesheet" href="/static/kreislauf.css"></head>'
        f'<body><main id="main"><h1>{title} ({status})</h1>'
        f'<p role="alert" class="error">{html.escape(detail)}</p>'
        f'<p><a href="/">{home}</a></p></main></body></html>\n'
    ).encode()


def _scope_lang(scope: Scope, default: Lang) -> Lang:
    """The request's language from ``?lang=`` or the ``lang`` cookie, else ``default``."""
    query = scope.get("query_string", b"").decode("latin-1")
    for part in query.split("&"):
        name, _, value = part.partition("=")
        if name == "lang":
            return as_lang(value, default)
    for name, value in scope.get("headers", ()):
        if name == b"cookie":
            for item in value.decode("latin-1").split(";"):
                key, _, cookie = item.strip().partition("=")
                if key == "lang":
                    return as_lang(cookie, default)
    return default


class ServerErrors:
    """ASGI middleware: an unhandled exception becomes a 500 problem (API) or a small HTML
    page, logged with its traceback under a random reference that the answer names.

    Starlette's own ``ServerErrorMiddleware`` sits outside every user middleware, so its
    plain-text 500 carried no security headers; this one sits inside
    :class:`~kreislauf.web.security.SecurityHeaders`. Nothing of the exception reaches the
    answer. An exception after the response has started can only be logged.

    Parameters
    ----------
    app : the application to wrap
    api_prefix : paths under it get problem details, all others the HTML page
    lang : the language when the request names none (the settings' ``lang``)
    """

    def __init__(self, app: ASGIApp, *, api_prefix: str, lang: Lang = DEFAULT_LANG) -> None:
        self.app = app
        self.api_prefix = api_prefix
        self.lang = lang

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:  # the last line of defence: log it, answer 500
            reference = secrets.token_hex(6)
            log.exception("unhandled error %s in %s %s", reference, scope["method"], scope["path"])
            if started:
                return
            lang = _scope_lang(scope, self.lang)
            detail = translate("web.error.internal", lang, reference=reference)
            if scope["path"].startswith(self.api_prefix):
                body = json.dumps(
                    {
                        "type": TYPE_PREFIX + "internal",
                        "title": HTTPStatus(500).phrase,
                        "status": 500,
                        "detail": detail,
                        "reference": reference,
                    }
                ).encode()
                media = MEDIA_TYPE.encode()
            else:
                body, media = _internal_page(lang, 500, detail), b"text/html; charset=utf-8"
            headers = [(b"content-type", media), (b"content-length", str(len(body)).encode())]
            await send({"type": "http.response.start", "status": 500, "headers": headers})
            await send({"type": "http.response.body", "body": body})
