"""The exchange page: a bad upload lists the row, search and price statistics render."""

from __future__ import annotations

import re

from fastapi import FastAPI

from tests.exchange.exchange_fixtures import offer
from tests.web.api.test_exchange import _csv, _publish
from tests.web.web_helpers import Member


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def test_a_bad_file_on_the_page_names_the_row_and_publishes_nothing(app: FastAPI) -> None:
    seller = Member(app, "s@example.org", "S")
    seller.org("recycler")
    page = seller.client.get("/orgs/recycler/exchange?lang=en")
    assert page.status_code == 200 and "Exchange" in page.text
    sent = seller.client.post(
        "/orgs/recycler/exchange?lang=en",
        data={"csrf_token": _csrf(page.text)},
        files={"file": ("listings.csv", _csv([offer("A1", quantity_t="-3")]))},
    )
    assert sent.status_code == 422
    assert "row 2" in sent.text and "quantity_t" in sent.text
    assert 'id="exchange-no-listings"' in sent.text


def test_search_and_prices_on_the_page(app: FastAPI) -> None:
    buyer = Member(app, "b@example.org", "B")
    buyer.org("moulder")
    for n in range(5):
        seller = Member(app, f"s{n}@example.org", "S")
        seller.org(f"recycler-{n}")
        _publish(seller, f"recycler-{n}", [offer(f"A{n}", price_eur_per_t=400 + 10 * n)])
    page = buyer.client.get(
        "/orgs/moulder/exchange",
        params={"search": "1", "material": "PP", "lat": 51.05, "lon": 13.74, "max_distance_km": 150,
                "lang": "en"},
    )  # fmt: skip
    assert page.status_code == 200
    assert page.text.count("<tr>") >= 7  # 5 hits + the price row (+ header rows)
    assert 'id="exchange-hits"' in page.text and "Recycler" not in page.text
    assert "420" in page.text  # the median of 400 … 440 EUR/t
    missing_origin = buyer.client.get(
        "/orgs/moulder/exchange", params={"search": "1", "max_distance_km": 5, "lang": "en"}
    )
    assert missing_origin.status_code == 422 and "lat and lon" in missing_origin.text


def test_forecast_page_starts_the_job_and_shows_the_backtest(app: FastAPI) -> None:
    from tests.exchange.forecast_fixtures import history_csv, small_history
    from tests.web.web_helpers import wait_for_job

    member = Member(app, "f@example.org", "F")
    member.org("netz")
    page = member.client.get("/orgs/netz/exchange/forecast?lang=en")
    assert page.status_code == 200 and 'id="history-file"' in page.text
    started = member.client.post(
        "/orgs/netz/exchange/forecast?lang=en",
        data={"csrf_token": _csrf(page.text), "horizon": "3"},
        files={"history": ("history.csv", history_csv(small_history(months=36)).encode())},
        follow_redirects=False,
    )
    assert started.status_code == 303
    job_id = int(started.headers["location"].split("/jobs/")[1].split("?")[0])
    job = wait_for_job(member, "netz", job_id, timeout_s=120)
    assert job["status"] == "done", job
    shown = member.client.get(f"/orgs/netz/exchange/forecast?job={job_id}&lang=en")
    assert shown.status_code == 200
    assert 'id="forecast-verdict"' in shown.text and "PP-Leipzig" in shown.text
    data = member.client.get(f"/api/v1/orgs/netz/exchange/forecasts/{job_id}").json()
    assert len(data["series"]) == 2 and data["horizon"] == 3
    too_long = member.client.post(
        "/orgs/netz/exchange/forecast?lang=en",
        data={"csrf_token": _csrf(page.text), "horizon": "99"},
        files={"history": ("history.csv", b"series_id,period,quantity_t\n")},
    )
    assert too_long.status_code == 422


def test_an_upload_redirects_so_a_reload_does_not_publish_again(app: FastAPI) -> None:
    seller = Member(app, "r@example.org", "R")
    seller.org("recycler")
    page = seller.client.get("/orgs/recycler/exchange?lang=en")
    sent = seller.client.post(
        "/orgs/recycler/exchange?lang=en",
        data={"csrf_token": _csrf(page.text)},
        files={"file": ("listings.csv", _csv([offer("A1"), offer("A2")]))},
        follow_redirects=False,
    )
    assert sent.status_code == 303
    assert sent.headers["location"] == "/orgs/recycler/exchange?published=2&lang=en"
    shown = seller.client.get(sent.headers["location"])  # what a reload repeats: a GET
    assert 'id="exchange-ok"' in shown.text and "Published: 2 listings." in shown.text
    again = seller.client.get(sent.headers["location"])
    assert again.status_code == 200
    listed = seller.client.get("/api/v1/orgs/recycler/exchange/listings").json()
    assert [x["key"] for x in listed] == ["A1", "A2"]


def _form(**fields: str) -> dict[str, str]:
    base = {"id": "H1", "side": "offer", "material": "PP", "quantity_t": "12,5",
            "interval": "month", "price_eur_per_t": "380", "lat": "51.34", "lon": "12.37",
            "ewc_code": "07 02 13"}  # fmt: skip
    return base | fields


def test_the_entry_form_publishes_one_listing_with_its_level(app: FastAPI) -> None:
    from tests.exchange.exchange_fixtures import LEVEL_1

    seller = Member(app, "h@example.org", "H")
    seller.org("hand")
    page = seller.client.get("/orgs/hand/exchange?lang=de")
    assert 'id="exchange-entry"' in page.text and 'for="f-quantity_t"' in page.text
    data = {"csrf_token": _csrf(page.text), **_form(), "elements": list(LEVEL_1)}
    sent = seller.client.post("/orgs/hand/exchange/listing?lang=de", data=data,
                              follow_redirects=False)  # fmt: skip
    assert sent.status_code == 303 and "published=1" in sent.headers["location"]
    (listing,) = seller.client.get("/api/v1/orgs/hand/exchange/listings").json()
    assert listing["key"] == "H1" and listing["quantity_t"] == 12.5  # German decimal comma
    assert listing["interval"] == "month" and listing["dql"] == 1


def test_a_bad_field_is_marked_where_it_is_typed_in_both_languages(app: FastAPI) -> None:
    seller = Member(app, "b2@example.org", "B")
    seller.org("bad")
    page = seller.client.get("/orgs/bad/exchange?lang=en")
    for field, value, lang, text in (
        ("lat", "95", "en", "Expected: a latitude from -90 to 90"),
        ("quantity_t", "-1", "de", "Erwartet: eine Menge in t größer als 0"),
        ("ewc_code", "7213", "en", "Expected: a waste code (EWC/AVV)"),
        ("price_eur_per_t", "", "en", "Expected: a price in EUR/t of 0 or more"),
    ):
        sent = seller.client.post(
            f"/orgs/bad/exchange/listing?lang={lang}",
            data={"csrf_token": _csrf(page.text), **_form(**{field: value})},
        )
        assert sent.status_code == 422, (field, sent.text[:300])
        assert f'id="f-{field}-error"' in sent.text and text in sent.text
        marked = re.search(rf'<input id="f-{field}"[^>]*>', sent.text)
        assert marked is not None and 'aria-invalid="true"' in marked.group(0)
        assert sent.text.count('aria-invalid="true"') == 1  # only that field
        assert f'value="{value}"' in marked.group(0)  # what was typed stays
    assert seller.client.get("/api/v1/orgs/bad/exchange/listings").json() == []


def test_ledger_drafts_are_reviewed_and_published(app: FastAPI) -> None:
    owner = Member(app, "l@example.org", "L")
    owner.org("demo")
    assert owner.upload_ledger("demo").status_code in (201, 202)  # type: ignore[attr-defined]
    (draft,) = owner.client.get("/api/v1/orgs/demo/exchange/drafts").json()
    assert draft["key"] == "Leipzig/Angüsse und Ausschuss" and draft["interval"] == "month"
    assert abs(draft["quantity_t"] - 23.121 / 12) < 1e-6  # 2024 of the demo ledger / 12
    page = owner.client.get("/orgs/demo/exchange?lang=en")
    assert 'id="exchange-drafts"' in page.text and "Review" in page.text
    review = owner.client.get("/orgs/demo/exchange",
                              params={"draft": draft["key"], "lang": "en"})  # fmt: skip
    assert 'id="draft-note"' in review.text and 'id="draft-periods"' in review.text
    assert 'value="1.927"' in review.text  # the quantity prefilled [t/month]
    assert 'value="Leipzig/Angüsse und Ausschuss"' in review.text
    missing = owner.client.get("/orgs/demo/exchange", params={"draft": "nope", "lang": "en"})
    assert missing.status_code == 404
    sent = owner.client.post(
        "/orgs/demo/exchange/listing?lang=en",
        data={"csrf_token": _csrf(review.text), "id": draft["key"], "side": "offer",
              "material": "PP-GF30 Angüsse", "quantity_t": "1.927", "interval": "month",
              "price_eur_per_t": "250", "lat": "51.34", "lon": "12.37",
              "ewc_code": "07 02 13"},
        follow_redirects=False,
    )  # fmt: skip
    assert sent.status_code == 303
    (listing,) = owner.client.get("/api/v1/orgs/demo/exchange/listings").json()
    assert listing["key"] == draft["key"] and listing["quantity_t"] == 1.927


def test_the_api_takes_one_listing_and_names_a_bad_field(app: FastAPI) -> None:
    seller = Member(app, "a@example.org", "A")
    seller.org("api")
    made = seller.client.post("/api/v1/orgs/api/exchange/listing", json=_form(quantity_t="3"))
    assert made.status_code == 201 and made.json()["quantity_t"] == 3
    bad = seller.client.post("/api/v1/orgs/api/exchange/listing", json=_form(lon="200"))
    assert bad.status_code == 422
    problem = bad.json()
    assert problem["errors"][0]["column"] == "lon", problem


def test_the_forecast_page_keeps_the_series_and_draws_the_chart(app: FastAPI) -> None:
    from tests.exchange.forecast_fixtures import history_csv, small_history
    from tests.web.web_helpers import wait_for_job

    member = Member(app, "c@example.org", "C")
    member.org("chart")
    page = member.client.get("/orgs/chart/exchange/forecast?lang=en")
    assert 'id="stored-series"' not in page.text
    started = member.client.post(
        "/orgs/chart/exchange/forecast?lang=en",
        data={"csrf_token": _csrf(page.text), "horizon": "3"},
        files={"history": ("history.csv", history_csv(small_history(months=36)).encode())},
        follow_redirects=False,
    )
    job_id = int(started.headers["location"].split("/jobs/")[1].split("?")[0])
    assert wait_for_job(member, "chart", job_id, timeout_s=120)["status"] == "done"
    stored = member.client.get("/api/v1/orgs/chart/exchange/series").json()
    assert [s["series_id"] for s in stored] == ["PE-Halle", "PP-Leipzig"]
    assert len(stored[1]["periods"]) == 36 and len(stored[1]["forecast"]["forecast"]) == 3
    shown = member.client.get("/orgs/chart/exchange/forecast?series=PP-Leipzig&lang=de")
    assert 'id="forecast-chart"' in shown.text and 'id="stored-series"' in shown.text
    assert "chart.svg?series=PP-Leipzig" in shown.text
    chart = member.client.get("/orgs/chart/exchange/forecast/chart.svg?series=PP-Leipzig&lang=de")
    assert chart.status_code == 200 and chart.headers["content-type"] == "image/svg+xml"
    assert "script-src" not in chart.headers["content-security-policy"]
    for text in ("Verlauf", "80-%-Intervall", "saisonal naiv", "t je Monat"):
        assert text in chart.text
    unknown = member.client.get("/orgs/chart/exchange/forecast/chart.svg?series=nope")
    assert unknown.status_code == 404


def _notices(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<li class="exchange-notice-(\w+)">([^<]*)</li>', html)


def _mark_seen(member: Member, slug: str, html: str) -> None:
    """Press the page's "mark as seen" button (its hidden tokens as they were shown)."""
    form = re.search(r'<form[^>]*id="exchange-notices-seen".*?</form>', html, re.S)
    assert form is not None, "no 'mark as seen' form on the page"
    tokens = re.findall(r'name="seen" value="([^"]+)"', form.group(0))
    sent = member.client.post(
        f"/orgs/{slug}/exchange/notices/seen?lang=en",
        data={"csrf_token": _csrf(html), "seen": tokens}, follow_redirects=False,
    )  # fmt: skip
    assert sent.status_code == 303, sent.text


def _market(app: FastAPI) -> tuple[Member, Member]:
    from tests.exchange.exchange_fixtures import LEVEL_1, request

    seller, buyer = Member(app, "s@example.org", "S"), Member(app, "b@example.org", "B")
    seller.org("recycler")
    buyer.org("moulder")
    _publish(seller, "recycler", [offer("A1", **dict.fromkeys(LEVEL_1, "x"))])
    _publish(buyer, "moulder", [request("G1", quantity_t=4, min_dql=1, lat=51.05, lon=13.74)])
    return seller, buyer


def test_the_page_tells_what_changed_until_it_is_marked_as_seen(app: FastAPI) -> None:
    seller, buyer = _market(app)
    first = buyer.client.get("/orgs/moulder/exchange?lang=en").text
    ((kind, text),) = _notices(first)
    assert kind == "new" and "G1" in text and "4.0 t" in text and "recycler" not in text
    # opening the page again (a reload, a prefetch) marks nothing: still new
    again = buyer.client.get("/orgs/moulder/exchange?lang=en").text
    assert _notices(again) == [(kind, text)]
    _mark_seen(buyer, "moulder", again)
    assert _notices(buyer.client.get("/orgs/moulder/exchange?lang=en").text) == []

    (match,) = seller.client.get("/api/v1/orgs/recycler/exchange/matches").json()
    path = f"/api/v1/orgs/recycler/exchange/matches/{match['offer_id']}/{match['request_id']}"
    seen_by_seller = seller.client.get("/orgs/recycler/exchange?lang=de").text
    ((kind, text),) = _notices(seen_by_seller)
    assert kind == "new" and text.startswith("Neue Zuordnung") and "A1" in text
    _mark_seen(seller, "recycler", seen_by_seller)
    assert seller.client.post(path + "/decline").status_code == 204
    declined = buyer.client.get("/orgs/moulder/exchange?lang=de").text
    ((kind, text),) = _notices(declined)
    assert kind == "declined" and "abgelehnt" in text and "G1" in text
    _mark_seen(buyer, "moulder", declined)
    assert seller.client.post(path + "/accept").status_code == 204
    page = buyer.client.get("/orgs/moulder/exchange?lang=en").text
    ((kind, text),) = _notices(page)
    assert kind == "accepted" and text.startswith("The other side accepted")
    assert 'id="exchange-notices"' in page and "New in your matches" in page
    # the seller's own decisions are no notice to the seller
    assert _notices(seller.client.get("/orgs/recycler/exchange?lang=en").text) == []


def test_marking_records_only_what_was_shown(app: FastAPI) -> None:
    """A decision the other side takes after the page was opened is not swallowed by
    marking that page's notices as seen."""
    seller, buyer = _market(app)
    shown = buyer.client.get("/orgs/moulder/exchange?lang=en").text
    assert [k for k, _ in _notices(shown)] == ["new"]
    (match,) = seller.client.get("/api/v1/orgs/recycler/exchange/matches").json()
    path = f"/api/v1/orgs/recycler/exchange/matches/{match['offer_id']}/{match['request_id']}"
    assert seller.client.post(path + "/decline").status_code == 204
    _mark_seen(buyer, "moulder", shown)  # the page as it was before the decline
    after = buyer.client.get("/orgs/moulder/exchange?lang=en").text
    assert [k for k, _ in _notices(after)] == ["declined"]


def test_a_viewer_sees_the_notices_but_cannot_mark_them(app: FastAPI) -> None:
    _, buyer = _market(app)
    token = buyer.client.post(
        "/api/v1/orgs/moulder/invitations", json={"email": "v@example.org", "role": "viewer"}
    ).json()["token"]
    viewer = Member(app, "v@example.org")
    accepted = viewer.client.post("/api/v1/invitations/accept", json={"token": token})
    assert accepted.status_code == 200
    page = viewer.client.get("/orgs/moulder/exchange?lang=en").text
    assert [k for k, _ in _notices(page)] == ["new"]
    assert 'id="exchange-notices-seen"' not in page  # no button for a viewer
    (notice,) = viewer.client.get("/api/v1/orgs/moulder/exchange/notices").json()
    m = notice["match"]
    token_ = f"{m['offer_id']}-{m['request_id']}-none"
    refused = viewer.client.post(
        "/orgs/moulder/exchange/notices/seen",
        data={"csrf_token": _csrf(page), "seen": [token_]}, follow_redirects=False,
    )  # fmt: skip
    assert refused.status_code == 403
    body = {"seen": [{"offer_id": m["offer_id"], "request_id": m["request_id"],
                      "other_decision": None}]}  # fmt: skip
    assert (
        viewer.client.post("/api/v1/orgs/moulder/exchange/notices/seen", json=body).status_code
        == 403
    )
    assert [k for k, _ in _notices(buyer.client.get("/orgs/moulder/exchange").text)] == ["new"]


def test_a_bad_token_marks_nothing(app: FastAPI) -> None:
    _, buyer = _market(app)
    page = buyer.client.get("/orgs/moulder/exchange?lang=en").text
    sent = buyer.client.post(
        "/orgs/moulder/exchange/notices/seen?lang=en",
        data={"csrf_token": _csrf(page), "seen": ["1-2-maybe"]}, follow_redirects=False,
    )  # fmt: skip
    assert sent.status_code == 422 and "seen" in sent.text and "1-2-maybe" in sent.text
    assert [k for k, _ in _notices(buyer.client.get("/orgs/moulder/exchange").text)] == ["new"]
    no_csrf = buyer.client.post(
        "/orgs/moulder/exchange/notices/seen", data={"seen": ["1-2-none"]},
        headers={"X-CSRF-Token": ""}, follow_redirects=False,
    )  # fmt: skip
    assert no_csrf.status_code == 403
