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
