"""The FastAPI application: settings, database, sessions, error handling, routers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException

from kreislauf import __version__
from kreislauf.errors import AuthenticationRequired, KreislaufError
from kreislauf.settings import Settings, get_settings
from kreislauf.store import check_schema, make_engine, make_sessionmaker
from kreislauf.web import api, pages
from kreislauf.web.api import pact as pact_api
from kreislauf.web.cache import enable_heap_freezing
from kreislauf.web.deps import request_lang
from kreislauf.web.openapi import document_problems
from kreislauf.web.problems import (
    ServerErrors,
    database_unavailable,
    http_detail,
    http_problem,
    invalid_json,
    kreislauf_problem,
    retry_after,
    validation_messages,
    validation_problem,
)
from kreislauf.web.security import SecurityHeaders, docs_csp, nonce
from kreislauf.web.sessions import SessionCookies
from kreislauf.web.templating import error_page
from kreislauf.web.worker import embedded_worker, make_runner

API_PREFIX = "/api/v1"


def _is_api(request: Request) -> bool:
    return request.url.path.startswith(API_PREFIX)


def create_app(settings: Settings | None = None) -> FastAPI:
    """The application for ``settings`` (default: environment and ``.env``).

    Raises :class:`~kreislauf.errors.DatabaseNotMigrated` (or ``DatabaseUnreachable``)
    when the database is not at the newest migration: the server does not start on it.
    """
    settings = settings or get_settings()
    engine = make_engine(settings.database_url)
    check_schema(engine)

    factory = make_sessionmaker(engine)
    runner = make_runner(settings, factory)  # PostgreSQL: the queue; SQLite: a thread pool

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        enable_heap_freezing(settings.freeze_heap)
        async with embedded_worker(settings):  # only with serve --with-worker (PostgreSQL)
            yield
        runner.shutdown()
        enable_heap_freezing(False)

    app = FastAPI(
        lifespan=lifespan,
        title="kreislauf",
        version=__version__,
        description="Ressourceneffiziente, zirkuläre Produktion – JSON API. Errors are RFC "
        "9457 problem details. Authenticate with a session cookie (plus the X-CSRF-Token "
        "header for changes) or an API token: `Authorization: Bearer kl_…`.",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=None,  # served below, with a CSP nonce for its inline script
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessionmaker = factory
    app.state.read_sessionmaker = make_sessionmaker(engine, read_only=True)
    app.state.runner = runner
    app.add_middleware(
        SessionCookies,
        secret_key=settings.secret_key,
        max_age=settings.session_max_age_s,
        same_site="lax",
        always_secure=settings.cookie_secure,
    )
    app.add_middleware(ServerErrors, api_prefix=API_PREFIX, lang=settings.lang)
    app.add_middleware(SecurityHeaders, https=settings.cookie_secure)  # outermost: every answer

    @app.exception_handler(KreislaufError)
    async def _kreislauf_error(request: Request, error: KreislaufError) -> Response:
        lang = request_lang(request)
        if _is_api(request):
            return kreislauf_problem(error, lang)
        if isinstance(error, AuthenticationRequired):
            return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
        page = error_page(request, error.http_status, error.message(lang), lang)
        page.headers.update(retry_after(error) or {})
        return page

    async def _database_fault(request: Request, error: Exception) -> Response:
        """A lost connection, a server that restarts, an exhausted pool, a locked SQLite
        file: 503 with Retry-After, whatever the route was doing."""
        return await _kreislauf_error(request, database_unavailable(error))

    for fault in (OperationalError, InterfaceError, PoolTimeout):
        app.add_exception_handler(fault, _database_fault)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, error: RequestValidationError) -> Response:
        not_json = invalid_json(error)
        if not_json is not None:
            return await _kreislauf_error(request, not_json)
        lang = request_lang(request)
        if _is_api(request):
            return validation_problem(error, lang)
        return error_page(request, 422, "; ".join(validation_messages(error, lang)), lang)

    @app.exception_handler(HTTPException)
    async def _http_error(request: Request, error: HTTPException) -> Response:
        lang = request_lang(request)
        if _is_api(request):
            return http_problem(request, error, lang)
        return error_page(request, error.status_code, http_detail(error, lang), lang)

    async def _docs(request: Request) -> Response:
        value = nonce(request.scope)
        page = get_swagger_ui_html(openapi_url=f"{API_PREFIX}/openapi.json", title="kreislauf API")
        html = bytes(page.body).decode().replace("<script>", f'<script nonce="{value}">')
        return HTMLResponse(html, headers={"Content-Security-Policy": docs_csp(value)})

    app.add_route(f"{API_PREFIX}/docs", _docs, include_in_schema=False)

    static = resources.files("kreislauf.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    app.include_router(api.router, prefix=API_PREFIX)
    app.include_router(pact_api.router)  # /pact: PACT's own error bodies, not /api/v1
    app.include_router(pages.router)
    document_problems(app)  # after every router: derived from the routes' dependencies
    return app
