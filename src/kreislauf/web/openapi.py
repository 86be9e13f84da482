"""The error answers of the OpenAPI document: every status a route can return, as problem
details (``application/problem+json``, schema :class:`ProblemDetails`).

Nothing is declared route by route: the statuses are derived from what a route depends
on, so that a new domain's router, added to the list in ``web/api/__init__.py``, is
documented without further work (docs/architecture.md, "Web"):

=====  ==================================================================================
400    the route reads a JSON body (:class:`~kreislauf.errors.InvalidJson`)
401    it needs a user (``CurrentUser``, or an organisation through ``Viewer``/``Editor``/
       ``Owner``): no session, an ended session or an unknown token
403    it checks the CSRF token or the request's origin (every route that may read a
       session cookie), or the organisation's membership and role
404    its path names a record (a parameter besides ``org``), or it works on an
       organisation (``Viewer``/``Editor``/``Owner``): the record, or the stored input
       the route reads (the ledger, a BOM, measures), is not in this organisation
409    the route declares it (a state conflict only the route knows): ``responses=
       declared(409)``
413    it takes an upload (``File``/``Form``): beyond ``upload_max_bytes`` or a read limit
422    it has any parameter or body: the request's validation, or the domain's own
       input errors (file, row, column)
429    declared by the route (the login rate limit)
503    it opens a database session (``DB``): connection lost, pool exhausted, locked
=====  ==================================================================================

A route adds a status only its logic knows with ``responses=declared(409)`` (or FastAPI's
own ``responses={409: {"description": …}}``); its content becomes the problem schema too.
``tests/web/test_openapi_fuzz.py`` fails on a status a route answers but does not document.
Answers outside ``/api`` (pages) are not in the document.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.params import Form
from fastapi.routing import APIRoute
from pydantic import BaseModel, ConfigDict, Field

from kreislauf.web import deps
from kreislauf.web.problems import DESCRIPTIONS, MEDIA_TYPE


class ProblemEntry(BaseModel):
    """One problem of an answer: where, what was found, what was expected."""

    model_config = ConfigDict(extra="allow")

    type: str
    detail: str
    field: str | None = None
    file: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None
    expected: str | None = None


class ProblemDetails(BaseModel):
    """RFC 9457 problem details: every error answer of the API."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(examples=["urn:kreislauf:problem:not_found"])
    title: str = Field(description="The HTTP status phrase")
    status: int
    detail: str = Field(description="Localized message (Accept-Language, ?lang=)")
    errors: list[ProblemEntry] = Field(default_factory=list)
    field: str | None = None
    file: str | None = None
    row: int | None = None
    column: str | None = None


def _dependants(dependant: Dependant) -> Iterator[Dependant]:
    yield dependant
    for child in dependant.dependencies:
        yield from _dependants(child)


def _calls(route: Any) -> set[Callable[..., Any]]:
    calls = set()
    for item in _dependants(route.dependant):
        if item.call is not None:
            calls.add(item.call)
    return calls


def _org_dependency(call: Callable[..., Any]) -> bool:
    return call is deps.org_access or getattr(call, "__name__", "").startswith("org_")


def route_statuses(route: Any) -> set[int]:
    """The error statuses ``route`` (an ``APIRoute`` or FastAPI's context of one in an
    included router) can answer with (see the module's table)."""
    calls = _calls(route)
    items = list(_dependants(route.dependant))
    statuses = {int(code) for code in route.responses if str(code).isdigit() and int(code) >= 400}
    if deps.get_db in calls:
        statuses.add(503)
    if deps.verify_csrf in calls or deps.same_origin in calls:
        statuses.add(403)
    organisation = any(_org_dependency(call) for call in calls)
    if deps.current_user in calls or organisation:
        statuses |= {401, 403}
    path_names = {p.name for item in items for p in item.path_params}
    if organisation or path_names - {"org"}:
        statuses.add(404)
    bodies = [p for item in items for p in item.body_params]
    if any(p for item in items for p in (*item.path_params, *item.query_params)) or bodies:
        statuses.add(422)
    uploads = [p for p in bodies if _is_form(p)]
    if uploads:
        statuses.add(413)
    if bodies and len(uploads) < len(bodies):
        statuses.add(400)
    return statuses


def _is_form(param: Any) -> bool:
    return isinstance(getattr(param, "field_info", None), Form)


def _problem_schemas() -> dict[str, Any]:
    schema = ProblemDetails.model_json_schema(ref_template="#/components/schemas/{model}")
    definitions = schema.pop("$defs", {})
    return {"ProblemDetails": schema, **definitions}


_REF = {"$ref": "#/components/schemas/ProblemDetails"}


def add_problem_responses(document: dict[str, Any], routes: Iterable[Any]) -> None:
    """Document each route's error statuses as problem details in ``document``, in place."""
    paths = document.get("paths", {})
    for route in api_routes(routes):
        if not route.include_in_schema:
            continue
        item = paths.get(route.path_format)
        if item is None:
            continue
        for method in route.methods:
            operation = item.get(method.lower())
            if operation is None:
                continue
            responses = operation.setdefault("responses", {})
            for status in sorted(route_statuses(route)):
                declared = route.responses.get(status, {})
                description = declared.get("description") or DESCRIPTIONS.get(
                    status, "Problem details"
                )
                responses[str(status)] = {
                    "description": description,
                    "content": {MEDIA_TYPE: {"schema": dict(_REF)}},
                }
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas.update(_problem_schemas())
    _drop_unused(document, ("HTTPValidationError", "ValidationError"))


def _drop_unused(document: dict[str, Any], names: Iterable[str]) -> None:
    """Remove FastAPI's own validation schemas once no answer refers to them."""
    schemas = document["components"]["schemas"]
    for name in names:
        if name not in schemas:
            continue
        rest = {k: v for k, v in document.items() if k != "components"}
        others = {k: v for k, v in schemas.items() if k != name}
        if f"#/components/schemas/{name}" not in json.dumps([rest, others]):
            del schemas[name]


def api_routes(routes: Iterable[Any]) -> Iterator[Any]:
    """Every API route, also inside included routers (FastAPI ≥ 0.160 keeps those as
    routers and hands out a context per route; older versions copy the routes)."""
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:  # pragma: no cover - FastAPI before lazy included routers
        yield from (route for route in routes if isinstance(route, APIRoute))
        return
    for context in iter_route_contexts(list(routes)):
        route = context if hasattr(context, "dependant") else getattr(context, "route", None)
        if getattr(route, "dependant", None) is not None and getattr(route, "methods", None):
            yield route


def document_problems(app: FastAPI) -> None:
    """Make ``app.openapi()`` document the problem responses of every route.

    FastAPI builds the document again when routes were added; each new document gets the
    problem responses once.
    """
    build = app.openapi
    done: list[int] = []

    def openapi() -> dict[str, Any]:
        document = build()
        if not done or done[-1] != id(document):
            add_problem_responses(document, app.routes)
            done[:] = [id(document)]
        return document

    app.openapi = openapi  # type: ignore[method-assign]
