"""The OpenAPI document lists every error status a route returns, as problem details
(issue 13, scope 7), derived from the routes' dependencies (:mod:`kreislauf.web.openapi`).

``test_openapi_fuzz.py`` checks the answers against the document; this module checks the
document itself, and that a router added later (a new domain) is documented without
declaring anything.
"""

from __future__ import annotations

from typing import Annotated, Any

import pytest
from fastapi import APIRouter, FastAPI, File, UploadFile

from kreislauf.web.deps import DB, Editor, RecordId
from kreislauf.web.problems import MEDIA_TYPE
from tests.web.web_helpers import Member

PROBLEM = {"$ref": "#/components/schemas/ProblemDetails"}


def _operations(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        f"{method.upper()} {path}": operation
        for path, item in document["paths"].items()
        for method, operation in item.items()
    }


def _errors(operation: dict[str, Any]) -> set[int]:
    return {int(code) for code in operation["responses"] if int(code) >= 400}


#: Routes that answer from data shipped with kreislauf and open no database session.
NO_DATABASE = {"GET /api/v1/advice/taxonomy", "GET /api/v1/advice/rules"}


def test_every_error_answer_is_a_documented_problem(app: FastAPI) -> None:
    document = app.openapi()
    operations = _operations(document)
    assert len(operations) >= 50
    schema = document["components"]["schemas"]["ProblemDetails"]
    assert {"type", "title", "status", "detail"} <= set(schema["required"])
    for name, operation in operations.items():
        errors = _errors(operation)
        # every route opens a database session, except those serving shipped reference data
        assert (503 in errors) == (name not in NO_DATABASE), name
        for code in errors:
            content = operation["responses"][str(code)]["content"]
            assert content == {MEDIA_TYPE: {"schema": PROBLEM}}, (name, code)
    assert "HTTPValidationError" not in document["components"]["schemas"]


@pytest.mark.parametrize(
    ("operation", "statuses"),
    [
        ("POST /api/v1/auth/login", {400, 401, 403, 422, 429, 503}),
        ("POST /api/v1/auth/signup", {400, 403, 409, 422, 503}),
        ("GET /api/v1/me", {401, 403, 503}),
        ("POST /api/v1/orgs", {400, 401, 403, 409, 422, 503}),
        ("DELETE /api/v1/me/tokens/{token_id}", {401, 403, 404, 422, 503}),
        ("GET /api/v1/orgs/{org}/members", {401, 403, 404, 422, 503}),
        ("POST /api/v1/orgs/{org}/ledger/uploads", {401, 403, 404, 413, 422, 503}),
        ("POST /api/v1/orgs/{org}/carbon/inputs", {401, 403, 404, 413, 422, 503}),
        (
            "GET /api/v1/orgs/{org}/questionnaires/{questionnaire_id}/analysis",
            {401, 403, 404, 409, 422, 503},
        ),
        ("GET /api/v1/respond/{token}", {404, 409, 422, 503}),
    ],
)
def test_routes_document_what_they_answer(app: FastAPI, operation: str, statuses: set[int]) -> None:
    assert _errors(_operations(app.openapi())[operation]) == statuses


def test_a_documented_conflict_is_answered_as_documented(app: FastAPI) -> None:
    """The 409 of an analysis without responses is a problem of the documented shape."""
    member = Member(app, "owner@example.org")
    member.org("net", kind="network")
    questionnaire = member.questionnaire("net")
    response = member.client.get(f"/api/v1/orgs/net/questionnaires/{questionnaire}/analysis")
    assert response.status_code == 409
    assert response.headers["content-type"] == MEDIA_TYPE
    required = app.openapi()["components"]["schemas"]["ProblemDetails"]["required"]
    assert set(required) <= set(response.json())


def test_a_new_domain_router_is_documented_without_declaring_anything(app: FastAPI) -> None:
    app.openapi()  # built once before: a router included later must still be covered
    router = APIRouter()

    @router.post("/orgs/{org}/things/{thing_id}", status_code=201)
    def add_thing(
        thing_id: RecordId,
        access: Editor,
        db: DB,
        file: Annotated[UploadFile, File(description="a thing")],
    ) -> dict[str, int]:
        return {"id": thing_id}

    app.include_router(router, prefix="/api/v1")
    operation = _operations(app.openapi())["POST /api/v1/orgs/{org}/things/{thing_id}"]
    assert _errors(operation) == {401, 403, 404, 413, 422, 503}
    assert operation["responses"]["413"]["content"] == {MEDIA_TYPE: {"schema": PROBLEM}}
