"""Passports on the platform (SQLite and PostgreSQL): publishing versions, the public page
(public tier only), the signed file and the JWK Set, the GS1 resolver, the access log."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from fastapi import FastAPI

from kreislauf.errors import SignatureInvalid
from kreislauf.passport import Passport, Tier, digest, disclose
from kreislauf.passport.signing import key_for, verify
from tests.passport.passport_fixtures import (
    MARKERS,
    demo_passport,
    sentinel_data,
    sentinel_passport,
)
from tests.web.web_helpers import Member, client_for

SLUG = "acme"


def publish(member: Member, passport: Passport, slug: str = SLUG) -> Any:
    body = passport.model_dump_json().encode()
    return member.client.post(
        f"/api/v1/orgs/{slug}/passports", files={"file": ("passport.json", body)}
    )


@pytest.fixture
def owner(app: FastAPI) -> Member:
    member = Member(app, "owner@example.org", "Owner")
    member.org(SLUG)
    return member


def test_publishing_stores_chained_versions_and_the_pact_footprint(owner: Member) -> None:
    passport = demo_passport()
    first = publish(owner, passport)
    assert first.status_code == 201, first.text
    assert first.json()["version"] == 1 and first.json()["new"] is True
    assert first.json()["footprint_id"] is not None  # the demo passport has what PACT needs
    again = publish(owner, passport)
    assert again.json() == {**first.json(), "new": False, "footprint_id": None}
    changed = passport.model_copy(update={"notes": "second edition", "id": passport.id})
    second = publish(owner, changed)
    assert second.json()["version"] == 2 and second.json()["new"] is True, second.text
    assert "published already" in second.json()["pact_skipped"]
    pid = str(passport.id)
    stored = owner.client.get(f"/api/v1/orgs/{SLUG}/passports/{pid}").json()
    assert [v["version"] for v in stored["versions"]] == [1, 2]
    v1 = owner.client.get(f"/api/v1/orgs/{SLUG}/passports/{pid}?version=1").json()["passport"]
    assert stored["versions"][1]["previous_digest"] == digest(Passport.model_validate(v1))
    assert stored["passport"]["notes"] == "second edition"  # owner tier: everything
    listed = owner.client.get(f"/api/v1/orgs/{SLUG}/passports").json()
    assert [(p["passport_id"], p["version"]) for p in listed] == [(pid, 2)]


def test_a_changed_pcf_publishes_a_successor_and_deprecates_the_old_one(
    app: FastAPI, owner: Member
) -> None:
    """PACT v3.0 lifecycle: a footprint never changes but to Deprecated; a changed PCF is a
    new footprint (new id) listing the old one in precedingPfIds."""
    from kreislauf.store import passport as passport_store
    from tests.web.test_pact import _token

    passport = demo_passport()
    first = publish(owner, passport).json()["footprint_id"]
    cf = passport.carbon_footprint
    assert cf is not None and first == str(cf.pact_id)
    with app.state.sessionmaker.begin() as session:
        organisation = passport_store.organisation_by_slug(session, SLUG)
        client, secret = passport_store.create_pact_client(
            session, organisation_id=organisation.id, name="OEM"
        )
        credentials = {"client_id": client.client_id, "client_secret": secret}
    pact = client_for(app)
    auth = {"Authorization": f"Bearer {_token(pact, credentials)}"}
    before = pact.get(f"/pact/3/footprints/{first}", headers=auth).json()["data"]
    assert before["status"] == "Active"
    share = (cf.primary_data_share_percent or 0) / 2 + 1
    changed = passport.model_copy(
        update={"carbon_footprint": cf.model_copy(update={"primary_data_share_percent": share})}
    )
    second = publish(owner, changed).json()
    successor = second["footprint_id"]
    assert second["version"] == 2 and successor not in (None, first), second
    old = pact.get(f"/pact/3/footprints/{first}", headers=auth).json()["data"]
    new = pact.get(f"/pact/3/footprints/{successor}", headers=auth).json()["data"]
    assert old == {**before, "status": "Deprecated"}  # nothing else changed on the old one
    assert new["status"] == "Active" and new["precedingPfIds"] == [first]
    assert float(new["pcf"]["primaryDataShare"]) == pytest.approx(share)
    active = pact.get("/pact/3/footprints", params={"status": "Active"}, headers=auth)
    assert [f["id"] for f in active.json()["data"]] == [successor]
    deprecated = pact.get("/pact/3/footprints", params={"status": "Deprecated"}, headers=auth)
    assert [f["id"] for f in deprecated.json()["data"]] == [first]
    # the same PCF again, or a change PACT does not carry: no third footprint
    assert publish(owner, changed).json()["footprint_id"] is None
    reprint = publish(owner, changed.model_copy(update={"notes": "reprint"})).json()
    assert reprint["version"] == 3 and reprint["footprint_id"] is None
    assert reprint["pact_skipped"].startswith("the PACT footprint is unchanged")


def test_the_stored_passport_names_the_successor_footprint(app: FastAPI, owner: Member) -> None:
    """After a successor is published, the stored passport's ``pact_id`` names it (not
    the deprecated predecessor, which the successor's precedingPfIds keep reachable); the
    same file again is no new version and publishes nothing."""
    from kreislauf.store import passport as passport_store

    passport = demo_passport()
    cf = passport.carbon_footprint
    assert cf is not None
    first = publish(owner, passport).json()["footprint_id"]
    share = (cf.primary_data_share_percent or 0) / 2 + 1
    changed = passport.model_copy(
        update={"carbon_footprint": cf.model_copy(update={"primary_data_share_percent": share})}
    )
    assert changed.carbon_footprint is not None
    assert str(changed.carbon_footprint.pact_id) == first  # the file names the predecessor
    second = publish(owner, changed).json()
    successor = second["footprint_id"]
    assert successor not in (None, first)
    pid = str(passport.id)
    api = f"/api/v1/orgs/{SLUG}/passports/{pid}"
    stored = owner.client.get(api).json()["passport"]
    assert stored["carbon_footprint"]["pact_id"] == successor
    v1 = owner.client.get(f"{api}?version=1").json()["passport"]
    assert v1["carbon_footprint"]["pact_id"] == first  # a stored version never changes
    with app.state.sessionmaker() as session:
        organisation = passport_store.organisation_by_slug(session, SLUG)
        footprint = passport_store.published_footprint(
            session, organisation_id=organisation.id, footprint_id=successor
        )
    assert footprint is not None and footprint["precedingPfIds"] == [first]
    # the same file (still naming the predecessor) again: no third version, no footprint
    again = publish(owner, changed).json()
    assert (again["version"], again["new"], again["footprint_id"]) == (2, False, None)
    # a change PACT does not carry: version 3, still naming the current footprint
    reprint = publish(owner, changed.model_copy(update={"notes": "reprint"})).json()
    assert reprint["version"] == 3 and reprint["footprint_id"] is None
    assert owner.client.get(api).json()["passport"]["carbon_footprint"]["pact_id"] == successor
    # the public passport names it too
    public = owner.client.get(f"/p/{pid}/passport.json").json()["passport"]
    assert public["carbon_footprint"]["pact_id"] == successor


def test_bad_passport_files_are_refused_with_the_field_and_store_nothing(owner: Member) -> None:
    data = sentinel_data()
    data["identification"]["gtin"] = "4012345000017"  # wrong check digit
    response = owner.client.post(
        f"/api/v1/orgs/{SLUG}/passports",
        files={"file": ("bad.json", json.dumps(data, default=str).encode())},
    )
    assert response.status_code == 422
    problem = response.json()
    assert "bad.json" in problem["detail"] and "gtin" in problem["detail"].lower()
    broken = owner.client.post(
        f"/api/v1/orgs/{SLUG}/passports", files={"file": ("x.yaml", b"identification: [")}
    )
    assert broken.status_code == 422 and "x.yaml" in broken.json()["detail"]
    assert owner.client.get(f"/api/v1/orgs/{SLUG}/passports").json() == []


def test_another_organisation_cannot_take_over_a_passport_id(app: FastAPI, owner: Member) -> None:
    passport = demo_passport()
    assert publish(owner, passport).status_code == 201
    other = Member(app, "other@example.org")
    other.org("other")
    taken = publish(other, passport.model_copy(update={"notes": "mine"}), slug="other")
    assert taken.status_code == 409
    assert other.client.get(f"/api/v1/orgs/other/passports/{passport.id}").status_code == 404


def _text_markers(_fields: frozenset[str]) -> dict[str, str]:
    """Field → a marker with letters (numbers are formatted on the page)."""
    found = {}
    for field, markers in MARKERS.items():
        words = [m for m in markers if any(c.isalpha() for c in m) and '"' not in m]
        if words and field != "disclosure":
            found[field] = words[0]
    return found


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_public_page_shows_exactly_the_public_tier(
    app: FastAPI, owner: Member, lang: str
) -> None:
    passport = sentinel_passport()  # with a battery section (Annex XIII point 1 public)
    assert publish(owner, passport).status_code == 201
    page = client_for(app).get(f"/p/{passport.id}?lang={lang}")
    assert page.status_code == 200
    assert f'<html lang="{lang}">' in page.text
    view = disclose(passport, Tier.public)
    markers = _text_markers(view.exact)
    shown = [f for f in markers if f in view.exact]
    hidden = [f for f in markers if not _disclosed(view.data, f)]
    assert len(shown) >= 5 and len(hidden) >= 10, (shown, hidden)
    for field in shown:
        assert markers[field] in page.text, f"public field {field} missing"
    for field in hidden:
        assert markers[field] not in page.text, f"{field} is not public but shown"


def _disclosed(data: dict[str, Any], field: str) -> bool:
    section, _, name = field.partition(".")
    node = data.get(section)
    return node is not None and (not name or (isinstance(node, dict) and name in node))


def test_signed_public_file_verifies_with_the_key_set(app: FastAPI, owner: Member) -> None:
    passport = demo_passport()
    publish(owner, passport)
    anonymous = client_for(app)
    signed = anonymous.get(f"/p/{passport.id}/passport.json")
    assert signed.status_code == 200
    document = signed.json()
    assert document["passport"]["disclosed_for"] == "public"
    assert "notes" not in document["passport"]
    keys = anonymous.get("/.well-known/jwks.json")
    assert keys.headers["content-type"].startswith("application/jwk-set+json")
    key = key_for(keys.text, document)
    assert verify(document, key) == document["passport"]
    document["passport"]["identification"]["product_name"] += "!"
    with pytest.raises(SignatureInvalid, match=r"identification\.product_name"):
        verify(document, key)


def test_the_resolver_answers_by_link_type_and_language(app: FastAPI, owner: Member) -> None:
    passport = demo_passport()
    publish(owner, passport)
    gtin = passport.identification.gtin
    assert gtin is not None
    anonymous = client_for(app)
    path = f"/01/{gtin.zfill(14)}"
    default = anonymous.get(
        path, headers={"Accept-Language": "en-GB,de;q=0.5"}, follow_redirects=False
    )
    assert default.status_code == 307
    assert default.headers["location"].endswith(f"/p/{passport.id}?lang=en")
    assert 'rel="linkset"' in default.headers["link"]
    german = anonymous.get(path, headers={"Accept-Language": "de"}, follow_redirects=False)
    assert german.headers["location"].endswith("?lang=de")
    carbon = anonymous.get(f"{path}?linkType=gs1:sustainabilityInfo", follow_redirects=False)
    assert carbon.status_code == 307 and carbon.headers["location"].endswith("#carbon")
    dpp = anonymous.get(f"{path}?linkType=gs1:dpp", follow_redirects=False)
    assert dpp.headers["location"].endswith(f"/p/{passport.id}/passport.json")
    linkset = anonymous.get(f"{path}?linkType=all")
    assert linkset.status_code == 200
    assert linkset.headers["content-type"].startswith("application/linkset+json")
    (entry,) = linkset.json()["linkset"]
    assert entry["anchor"] == f"http://testserver{path}"
    assert len(entry["https://gs1.org/voc/pip"]) == 2
    by_accept = anonymous.get(path, headers={"Accept": "application/linkset+json"})
    assert by_accept.json() == linkset.json()
    item = anonymous.get(f"{path}/21/ABC123", follow_redirects=False)  # falls back to the model
    assert item.status_code == 307
    assert anonymous.get(f"{path}?linkType=gs1:nothing").status_code == 404
    assert anonymous.get("/01/04012345000023").status_code == 404  # valid GTIN, unknown
    assert anonymous.get("/01/04012345000024").status_code == 404  # bad check digit
    followed = anonymous.get(path)
    assert followed.status_code == 200 and "TM-200" in followed.text


BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.mark.parametrize(
    ("accept", "status", "media_type"),
    [
        (BROWSER, 300, "text/html"),
        ("text/html", 300, "text/html"),
        ("application/linkset+json", 200, "application/linkset+json"),
        ("application/json", 200, "application/linkset+json"),
        ("text/html, application/linkset+json", 200, "application/linkset+json"),
        ("*/*", 200, "application/linkset+json"),
        (None, 200, "application/linkset+json"),
    ],
)
def test_link_type_all_answers_by_accept(
    app: FastAPI, owner: Member, accept: str | None, status: int, media_type: str
) -> None:
    """linkType=all: 300 Multiple Choices with a list of links for a browser, the RFC 9264
    linkset for machines (GS1-Conformant Resolver Standard 1.1, 6.7)."""
    passport = demo_passport()
    publish(owner, passport)
    path = f"/01/{passport.identification.gtin.zfill(14)}"  # type: ignore[union-attr]
    anonymous = client_for(app)
    headers = {"Accept-Language": "en"} if accept is None else {"Accept": accept}
    if accept is None:
        anonymous.headers.pop("accept", None)
    answer = anonymous.get(f"{path}?linkType=all", headers=headers, follow_redirects=False)
    assert answer.status_code == status
    assert answer.headers["content-type"].startswith(media_type)
    assert 'rel="linkset"' in answer.headers["link"] and "Accept" in answer.headers["vary"]
    linkset = anonymous.get(f"{path}?linkType=all", headers={"Accept": "application/json"})
    hrefs = {
        target["href"]
        for relation, targets in linkset.json()["linkset"][0].items()
        if relation != "anchor"
        for target in targets
    }
    if status == 300:  # every link of the linkset is offered, nothing else
        offered = set(re.findall(r'<li><a href="([^"]+)"', answer.text))
        assert offered == {h.replace("&", "&amp;") for h in hrefs} and len(offered) == 5
        assert 'id="choices-linkset"' in answer.text
    else:
        assert {t["href"] for r, ts in answer.json()["linkset"][0].items() if r != "anchor"
                for t in ts} == hrefs  # fmt: skip


def test_the_choice_page_speaks_german_and_english(app: FastAPI, owner: Member) -> None:
    passport = demo_passport()
    publish(owner, passport)
    path = f"/01/{passport.identification.gtin.zfill(14)}?linkType=all"  # type: ignore[union-attr]
    anonymous = client_for(app)
    german = anonymous.get(path, headers={"Accept": BROWSER, "Accept-Language": "de-DE"})
    english = anonymous.get(path, headers={"Accept": BROWSER, "Accept-Language": "en;q=0.9"})
    assert german.status_code == english.status_code == 300
    assert "Informationen zu diesem Produkt" in german.text and "Englisch" in german.text
    assert "Information about this product" in english.text and "German" in english.text
    chosen = anonymous.get(f"{path}&lang=en", headers={"Accept": BROWSER, "Accept-Language": "de"})
    assert "Choose one" in chosen.text


def test_the_qr_code_carries_the_digital_link_of_this_host(app: FastAPI, owner: Member) -> None:
    import zxingcpp
    from PIL import Image

    passport = demo_passport()
    publish(owner, passport)
    anonymous = client_for(app)
    svg = anonymous.get(f"/p/{passport.id}/qr.svg")
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    uri = svg.headers["x-digital-link"]
    assert uri == f"http://testserver/01/{passport.identification.gtin.zfill(14)}"  # type: ignore[union-attr]
    import io

    from kreislauf.passport.qr import qr_code

    buffer = io.BytesIO()
    qr_code(uri).save(buffer, kind="png", scale=6)
    (found,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(buffer.getvalue())))
    assert found.text == uri
    assert (
        anonymous.get(uri.removeprefix("http://testserver"), follow_redirects=False).status_code
        == 307
    )


def test_every_access_is_logged_for_the_owner_only(app: FastAPI, owner: Member) -> None:
    passport = demo_passport()
    publish(owner, passport)
    anonymous = client_for(app)
    anonymous.get(f"/p/{passport.id}")
    anonymous.get(f"/p/{passport.id}/passport.json")
    anonymous.get(f"/01/{passport.identification.gtin.zfill(14)}", follow_redirects=False)  # type: ignore[union-attr]
    owner.client.get(f"/api/v1/orgs/{SLUG}/passports/{passport.id}")
    log = owner.client.get(f"/api/v1/orgs/{SLUG}/passports/access").json()
    seen = [(r["channel"], r["tier"], r["format"], r["who"]) for r in reversed(log)]
    assert seen == [
        ("page", "public", "html", "anonymous"),
        ("download", "public", "json-signed", "anonymous"),
        ("resolver", "public", "gs1:pip", "anonymous"),
        ("api", "owner", "json", "owner@example.org"),
    ]
    page = owner.client.get(f"/orgs/{SLUG}/passports/access")
    assert page.status_code == 200 and "json-signed" in page.text
    other = Member(app, "other@example.org")
    other.org("other")
    assert other.client.get("/api/v1/orgs/other/passports/access").json() == []
    assert other.client.get(f"/api/v1/orgs/{SLUG}/passports/access").status_code == 403


def test_every_field_has_a_label_on_the_public_page() -> None:
    from kreislauf.i18n import translate
    from kreislauf.passport import disclosure_fields

    for field in disclosure_fields():
        section, _, name = field.partition(".")
        key = f"web.passport.field.{section}.{name}" if name else f"web.passport.section.{section}"
        for lang in ("de", "en"):
            assert translate(key, lang)  # raises for a missing key
        assert translate(f"web.passport.section.{section}", "en")


def test_nested_values_are_labelled_in_the_page_language(app: FastAPI, owner: Member) -> None:
    """An address or a carbon-footprint stage inside a section is shown with labels
    ("Postleitzahl: 04109"), not with the model's keys ("postal_code: 04109")."""
    from kreislauf.web.templating import key_label

    passport = sentinel_passport()
    assert publish(owner, passport).status_code == 201
    german = client_for(app).get(f"/p/{passport.id}?lang=de").text
    english = client_for(app).get(f"/p/{passport.id}?lang=en").text
    assert "Postleitzahl: " in german and "Postal code: " in english
    assert "Lebenszyklusphase: " in german and "Life-cycle stage: " in english
    for raw in ("postal_code:", "street_address:", "kg_co2e_per_kwh:"):
        assert raw not in german and raw not in english
    # a key without a catalogue label: its words and its unit
    assert key_label("de", "rated_maximum_power_w") == "rated maximum power [W]"
    assert key_label("en", "postal_code") == "Postal code"
