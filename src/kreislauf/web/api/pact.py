"""The PACT host under ``/pact`` (PACT Technical Specifications v3.0 and v2.3).

``POST /pact/auth/token`` (OAuth 2.0 client credentials, HTTP Basic or form fields),
``GET /pact/3/footprints`` (filters, ``limit``, ``Link: rel="next"``),
``GET /pact/3/footprints/{id}``, ``POST /pact/3/events``, and the same under ``/pact/2``.
Not part of ``/api/v1``: PACT errors have their own body, ``{"code", "message"}``
(token errors follow RFC 6749, 5.2), and the routes are not in the platform's OpenAPI.
The router is included by :func:`kreislauf.web.app.create_app` without a prefix.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Coroutine
from typing import Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute

from kreislauf.errors import AuthenticationRequired, KreislaufError, PactTokenExpired
from kreislauf.passport.pact_host import ERROR_CODES, error_body, parse_event
from kreislauf.web.deps import DB
from kreislauf.web.services import passport as pact

BASE = "/pact"


class PactRoute(APIRoute):
    """Turns the errors of a PACT route into PACT error bodies."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            try:
                return await handler(request)
            except PactTokenExpired:
                return _error(401, "TokenExpired", "The access token has expired.")
            except AuthenticationRequired:
                # v2.x: an invalid token is a BadRequest (the conformance tool's v2 case
                # 16 requires that code); v3.0 names it AccessDenied
                v2 = request.url.path.startswith(f"{BASE}/2/")
                code = "BadRequest" if v2 else "AccessDenied"
                return _error(401, code, "A valid bearer token is required.")
            except KreislaufError as error:
                code = ERROR_CODES.get(type(error), "BadRequest")
                return _error(400, code, error.message("en"))

        return route


router = APIRouter(prefix=BASE, route_class=PactRoute, include_in_schema=False)


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse(error_body(code, message), status_code=status)


def _bearer(request: Request) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


def _secret_key(request: Request) -> str:
    return str(request.app.state.settings.secret_key)


@router.post("/auth/token")
async def token(request: Request, db: DB) -> Response:
    """OAuth 2.0 client credentials grant (RFC 6749, 4.4)."""
    form = dict(parse_qsl((await request.body()).decode("utf-8", "replace")))
    client_id, client_secret = form.get("client_id", ""), form.get("client_secret", "")
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "basic":
        try:
            client_id, _, client_secret = base64.b64decode(value).decode().partition(":")
        except (binascii.Error, UnicodeError):
            client_id = client_secret = ""
    if form.get("grant_type") != "client_credentials":
        return JSONResponse({"error": "unsupported_grant_type"}, status_code=400)
    issued = pact.issue_token(
        db, secret_key=_secret_key(request), client_id=client_id, client_secret=client_secret
    )
    if issued is None:
        return JSONResponse(
            {"error": "invalid_client", "error_description": "Authentication failed"},
            status_code=401,
            headers={"WWW-Authenticate": 'Basic realm="pact"'},
        )
    body = {"access_token": issued, "token_type": "Bearer", "expires_in": pact.TOKEN_SECONDS}
    return JSONResponse(body, headers={"Cache-Control": "no-store"})


@router.get("/.well-known/openid-configuration")
def openid_configuration(request: Request) -> Response:
    """Where the token endpoint is (OpenID Connect Discovery 1.0, the fields PACT uses)."""
    base = str(request.url_for("token")).removesuffix("/auth/token")
    return JSONResponse(
        {
            "issuer": base,
            "token_endpoint": f"{base}/auth/token",
            "grant_types_supported": ["client_credentials"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        }
    )


def _list(version: int) -> Callable[..., Any]:
    def list_footprints(request: Request, db: DB) -> Response:
        who = pact.caller(_bearer(request), secret_key=_secret_key(request))
        found = pact.list_footprints(
            db, who, params=request.query_params.multi_items(), url=str(request.url),
            version=version,
        )  # fmt: skip
        headers = {"Link": found.link} if found.link else {}
        return JSONResponse({"data": found.footprints}, headers=headers)

    return list_footprints


def _get(version: int) -> Callable[..., Any]:
    def get_footprint(request: Request, footprint_id: str, db: DB) -> Response:
        who = pact.caller(_bearer(request), secret_key=_secret_key(request))
        document = pact.get_footprint(db, who, footprint_id=footprint_id, version=version)
        if document is None:
            code = "NotFound" if version == 3 else "NoSuchFootprint"
            return _error(404, code, "The requested footprint could not be found.")
        return JSONResponse({"data": document})

    return get_footprint


def _events() -> Callable[..., Any]:
    async def events(request: Request, db: DB) -> Response:
        who = pact.caller(_bearer(request), secret_key=_secret_key(request))
        try:
            body = json.loads(await request.body())
        except (json.JSONDecodeError, UnicodeError):
            return _error(400, "BadRequest", "The body is not JSON.")
        pact.receive_event(db, who, parse_event(body))
        return Response(status_code=200)

    return events


for _version in (2, 3):
    router.add_api_route(f"/{_version}/footprints", _list(_version), methods=["GET"])
    router.add_api_route(
        f"/{_version}/footprints/{{footprint_id}}", _get(_version), methods=["GET"]
    )
    router.add_api_route(f"/{_version}/events", _events(), methods=["POST"])
