"""Texts longer than their column, or with NUL, are a 422 (form error or problem), never a
PostgreSQL 500 (issue 13: "long names in page forms").

The check sits at the session's flush (``store.engine.check_texts``), so it covers every
``String(n)`` column any form, API body or upload writes through the ORM; the first test
enumerates all of them from the models, on SQLite and PostgreSQL.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import String

from kreislauf.errors import TextNotStorable, TextTooLong
from kreislauf.store import models
from kreislauf.store.base import Base
from kreislauf.store.engine import check_texts
from tests.web.web_helpers import PASSWORD, Member, client_for


def _string_columns() -> list[tuple[type[Any], str, int]]:
    assert models.TENANT_TABLES  # every table is registered on Base
    found = []
    for mapper in Base.registry.mappers:
        for column in mapper.columns:
            if isinstance(column.type, String) and column.type.length is not None:
                key = mapper.get_property_by_column(column).key
                found.append((mapper.class_, key, column.type.length))
    return sorted(found, key=lambda item: (item[0].__name__, item[1]))


def test_every_string_column_refuses_a_text_beyond_its_length(app: FastAPI) -> None:
    columns = _string_columns()
    assert len(columns) >= 40, columns  # every table's, not a hand-picked list
    with app.state.sessionmaker() as session:
        for model, key, length in columns:
            record = model()
            setattr(record, key, "x" * length)
            session.add(record)
            check_texts(session, None, None)  # exactly the length: accepted
            setattr(record, key, "x" * (length + 1))
            with pytest.raises(TextTooLong) as refused:
                session.flush()  # refused before any SQL is sent
            assert refused.value.params == {"field": key, "length": length + 1, "limit": length}
            setattr(record, key, "\x00" + "a" * min(length - 1, 2))
            with pytest.raises(TextNotStorable):
                session.flush()
            session.expunge(record)


def test_long_names_in_page_forms_are_form_errors(app: FastAPI) -> None:
    client = client_for(app)
    page = client.get("/signup").text
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    long_name = "Ä" * 201
    signup = client.post(
        "/signup",
        data={
            "csrf_token": token,
            "email": "a@example.org",
            "name": long_name,
            "password": PASSWORD,
        },
    )
    assert signup.status_code == 422, signup.text[:500]
    assert "201 Zeichen" in signup.text and "höchstens 200" in signup.text
    ok = client.post(
        "/signup",
        data={
            "csrf_token": token,
            "email": "a@example.org",
            "name": "Anna",
            "password": PASSWORD,
        },
        follow_redirects=False,
    )
    assert ok.status_code == 303
    page = client.get("/orgs").text
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    org = client.post(
        "/orgs",
        data={"csrf_token": token, "slug": "acme", "name": "N" * 250, "kind": "company"},
    )
    assert org.status_code == 422, org.text[:500]
    assert "250 Zeichen" in org.text
    nul = client.post(
        "/orgs", data={"csrf_token": token, "slug": "acme", "name": "A\x00B", "kind": "company"}
    )
    assert nul.status_code == 422, nul.text[:500]
    assert client.get("/api/v1/me").json()["memberships"] == []  # nothing was stored


def test_long_texts_through_the_api_are_problems(app: FastAPI) -> None:
    member = Member(app, "owner@example.org")
    too_long = member.client.post(
        "/api/v1/orgs", json={"slug": "acme", "name": "N" * 201, "kind": "company"}
    )
    assert too_long.status_code == 422
    assert too_long.headers["content-type"] == "application/problem+json"
    nul = member.client.post(
        "/api/v1/orgs", json={"slug": "acme", "name": "A\u0000B", "kind": "company"}
    )
    assert nul.status_code == 422, nul.text
    assert nul.json()["type"] == "urn:kreislauf:problem:text_not_storable"
    assert nul.json()["field"] == "name"
