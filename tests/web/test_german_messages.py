"""The bad-input corpus in German (issue 14): no English library text reaches a user.

Every file of the corpus (tests/hostile.py and the cases the issue found) goes to the
ledger API with ``lang=de``, to the ledger page in German and to ``kreislauf ledger
validate``; every message a user reads must be German: no English function word or
library phrase ("No columns to parse", "Extra inputs are not permitted", "Not Found",
"Input should be", "(no flow rows)", "File is not a zip file" …) may appear in it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi import FastAPI

from tests import hostile
from tests.ledger.ledger_fixtures import run_cli
from tests.web.web_helpers import Member

HEADER = ",".join(hostile.LEDGER_HEADINGS)
#: Words of English sentences that German messages never contain (column names and
#: values such as ``stock_change`` or ``packaging`` are not among them).
ENGLISH = {"the", "is", "not", "no", "cannot", "should", "must", "expected", "permitted",
           "required", "found", "while", "invalid", "unclosed", "or", "and", "of", "to", "be",
           "file", "rows", "columns", "parse", "determined", "error", "number", "field",
           "input", "inputs", "extra", "contains", "zip", "token", "line", "decompressing",
           "allowed", "missing", "unknown"}  # fmt: skip


def corpus() -> dict[str, bytes]:
    return {
        "leer.csv": b"",
        "leerzeilen.csv": b"\n\n",
        "nur-kopf.csv": (HEADER + "\n").encode(),
        "kein-excel.xlsx": b"this is not a workbook",
        "xml-kaputt.xlsx": hostile.broken_xml_xlsx(),
        "deflate-kaputt.xlsx": hostile.corrupt_deflate_xlsx(),
        "riesen-dimension.xlsx": hostile.fake_dimension_xlsx(),
        "negativ.csv": (HEADER + "\n2024-01,L,P,material_in,PP,raw,-5,t,,,,,\n").encode(),
        "anteil.csv": (HEADER + "\n2024-01,L,P,material_in,PP,raw,5,t,,1.5,,,\n").encode(),
        "excel-export.csv": "period;site;centre;flow;category;quantity;unit\n"
        "2024-01;Köln;Gießerei;material_in;raw;1,5;t\n2024-01;Köln;Gießerei;energy_in;"
        "strom;3;MWh\n".encode("cp1252"),
        "nul.csv": (HEADER + "\n2024-01,L\x00,P,material_in,PP,raw,5,t,,,,,\n").encode(),
        "400-ziffern.csv": (
            HEADER + "\n2024-01,L,P,material_in,PP,raw," + "9" * 400 + ",t,,,,,\n"
        ).encode(),
        "1e308.csv": (HEADER + "\n2024-01,L,P,material_in,PP,raw,1e308,t,,,,,\n").encode(),
        "unendlich.csv": (HEADER + "\n2024-01,L,P,material_in,PP,raw,inf,t,,,,,\n").encode(),
        "binaer.csv": bytes(range(256)) * 4,
        "spalte-fremd.csv": b"period,site,centre,flow,quantity,unit,farbe\n"
        b"2024-01,L,P,material_in,1,t,rot\n",
        "einheit.csv": b"period,site,centre,flow,category,quantity,unit\n"
        b"2024-01,L,P,material_in,raw,1,parsec\n",
        "zeitraum.csv": b"period,site,centre,flow,category,quantity,unit\n"
        b"2024-13,L,P,material_in,raw,1,t\n2024,L,P,material_in,raw,1,t\n",
    }


def english_words(text: str) -> set[str]:
    """English words of a message, outside quoted values, file names and identifiers
    (``max_rows``, ``to_centre``: names of settings and columns)."""
    text = re.sub(r"'[^']*'|\"[^\"]*\"|„[^“]*“|\S+\.(csv|xlsx|yaml)\b", " ", text)
    words = re.findall(r"[A-Za-z_]+", text)
    return {w for w in words if "_" not in w and w.lower() in ENGLISH}


def _messages(body: dict[str, object]) -> list[str]:
    entries = body.get("errors") or []
    return [str(body.get("detail", ""))] + [str(e["detail"]) for e in entries]  # type: ignore[index, union-attr]


@pytest.mark.parametrize("name", sorted(corpus()))
def test_api_messages_are_german(app: FastAPI, member: Member, name: str) -> None:
    member.org("acme")
    response = member.client.post(
        "/api/v1/orgs/acme/ledger/uploads", params={"lang": "de"},
        files={"file": (name, corpus()[name])},
    )  # fmt: skip
    assert 400 <= response.status_code < 500, response.text
    for message in _messages(response.json()):
        assert not english_words(message), message


def test_page_cli_and_request_errors_are_german(
    app: FastAPI, member: Member, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    member.org("acme")
    for name, data in corpus().items():
        page = member.client.post(
            "/orgs/acme/ledger?lang=de", files={"file": (name, data)},
            data={"csrf_token": member.csrf},
        )  # fmt: skip
        assert 400 <= page.status_code < 500
        shown = re.findall(r'id="upload-errors">(.*?)</div>', page.text, re.S)
        text = re.sub(r"<[^>]+>", " ", shown[0]) if shown else ""
        assert text and not english_words(text), (name, text)
        path = tmp_path / name
        path.write_bytes(data)
        code, out, err = run_cli(["ledger", "validate", str(path), "--lang", "de"], capsys)
        assert code == 2, (name, out, err)
        assert not english_words(out + err), (name, out + err)
    checks = [
        member.client.get("/api/v1/orgs/acme/nothing?lang=de"),
        member.client.post("/api/v1/orgs/acme/ledger/uploads?lang=de&mode=merge"),
        member.client.post("/api/v1/orgs?lang=de", json={"slug": 5, "name": "", "typo": 1}),
    ]
    for response in checks:
        assert 400 <= response.status_code < 500
        for message in _messages(response.json()):
            assert not english_words(message), message
    page = member.client.get("/orgs/acme/nothing?lang=de")
    assert page.status_code == 404 and "Diese Seite gibt es nicht" in page.text
    assert "Not Found" not in page.text


def test_messages_of_ledger_carbon_and_their_pages_name_no_repository_path_or_cli_flag():
    """A page user has neither the repository nor the command line (issue 14)."""
    from importlib import resources

    import yaml

    folder = resources.files("kreislauf.i18n").joinpath("messages")
    mine = ("ledger.yaml", "carbon.yaml", "carbon_products.yaml", "web_pcf.yaml",
            "web_ledger.yaml")  # fmt: skip
    texts: dict[str, dict[str, str]] = {}
    for name in (*mine, "web.yaml"):
        data = yaml.safe_load(folder.joinpath(name).read_text(encoding="utf-8"))
        for key, value in data.items():
            if name in mine or key.startswith(("web.ledger.", "web.carbon.", "web.dashboard.")):
                texts[key] = value
    assert len(texts) > 300
    for key, by_lang in texts.items():
        if key.startswith(("ledger.cli.", "carbon.cli.")):
            continue  # printed by the command line itself
        for lang, text in by_lang.items():
            assert "docs/" not in text, (key, lang, text)
            assert not re.search(r"(^|\s|\()--[a-z]", text), (key, lang, text)
            assert "'kreislauf " not in text and "(kreislauf " not in text, (key, lang, text)
