"""Exchange API: two companies publish, see their match, names only after both accept."""

from __future__ import annotations

import csv
import io

from fastapi import FastAPI

from tests.exchange.exchange_fixtures import LEVEL_1, offer, request
from tests.web.web_helpers import Member


def _csv(rows: list[dict[str, object]]) -> bytes:
    columns: list[str] = []
    for row in rows:
        columns += [c for c in row if c not in columns]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, restval="")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def _publish(member: Member, slug: str, rows: list[dict[str, object]]) -> list[dict[str, object]]:
    response = member.client.post(
        f"/api/v1/orgs/{slug}/exchange/listings", files={"file": ("listings.csv", _csv(rows))}
    )
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def test_publish_match_accept_and_names_after_both_agree(app: FastAPI) -> None:
    seller, buyer = Member(app, "s@example.org", "S"), Member(app, "b@example.org", "B")
    seller.org("recycler")
    buyer.org("moulder")
    published = _publish(seller, "recycler", [offer("A1", **dict.fromkeys(LEVEL_1, "x"))])
    assert published[0]["dql"] == 1 and published[0]["missing_for_next"][0] == "ChainOfCustody"
    _publish(buyer, "moulder", [request("G1", quantity_t=4, min_dql=1, lat=51.05, lon=13.74)])

    (seen,) = buyer.client.get("/api/v1/orgs/moulder/exchange/matches").json()
    assert (seen["side"], seen["own_key"], seen["quantity_t"]) == ("request", "G1", 4.0)
    assert seen["other_name"] is None and not seen["agreed"]
    path = f"/api/v1/orgs/moulder/exchange/matches/{seen['offer_id']}/{seen['request_id']}"
    assert buyer.client.post(path + "/accept").status_code == 204
    (after_one,) = seller.client.get("/api/v1/orgs/recycler/exchange/matches").json()
    assert after_one["other_decided"] and after_one["other_name"] is None
    seller_path = path.replace("moulder", "recycler")
    assert seller.client.post(seller_path + "/accept").status_code == 204
    (agreed,) = seller.client.get("/api/v1/orgs/recycler/exchange/matches").json()
    assert agreed["agreed"] and agreed["other_name"] == "Moulder"
    (other_view,) = buyer.client.get("/api/v1/orgs/moulder/exchange/matches").json()
    assert other_view["other_name"] == "Recycler"


def test_reading_notices_marks_nothing_and_marking_them_is_explicit(app: FastAPI) -> None:
    seller, buyer = Member(app, "s@example.org", "S"), Member(app, "b@example.org", "B")
    seller.org("recycler")
    buyer.org("moulder")
    _publish(seller, "recycler", [offer("A1", **dict.fromkeys(LEVEL_1, "x"))])
    _publish(buyer, "moulder", [request("G1", quantity_t=4, min_dql=1, lat=51.05, lon=13.74)])
    url = "/api/v1/orgs/moulder/exchange/notices"
    first = buyer.client.get(url).json()
    assert [(n["kind"], n["other_decision"], n["match"]["own_key"]) for n in first] == [
        ("new", None, "G1")
    ]
    assert buyer.client.get(url).json() == first  # a GET changes nothing
    (m,) = [n["match"] for n in first]
    seen = {"offer_id": m["offer_id"], "request_id": m["request_id"], "other_decision": None}
    assert buyer.client.post(url + "/seen", json={"seen": [seen]}).status_code == 204
    assert buyer.client.get(url).json() == []
    decided = f"/api/v1/orgs/recycler/exchange/matches/{m['offer_id']}/{m['request_id']}"
    assert seller.client.post(decided + "/accept").status_code == 204
    (accepted,) = buyer.client.get(url).json()
    assert (accepted["kind"], accepted["other_decision"]) == ("accepted", "accepted")
    assert buyer.client.post(url + "/seen", json={"seen": []}).status_code == 204  # nothing
    assert buyer.client.get(url).json() == [accepted]
    bad = buyer.client.post(url + "/seen", json={"seen": [{**seen, "other_decision": "maybe"}]})
    assert bad.status_code == 422
    marked = {**seen, "other_decision": "accepted"}
    assert buyer.client.post(url + "/seen", json={"seen": [marked]}).status_code == 204
    assert buyer.client.get(url).json() == []
    # the seller's notices are its own: still new for it
    assert [n["kind"] for n in seller.client.get(url.replace("moulder", "recycler")).json()] == [
        "new"
    ]


def test_an_outsider_cannot_decide_on_a_match_and_sees_none(app: FastAPI) -> None:
    seller, buyer = Member(app, "s@example.org", "S"), Member(app, "b@example.org", "B")
    outsider = Member(app, "o@example.org", "O")
    seller.org("recycler")
    buyer.org("moulder")
    outsider.org("other")
    _publish(seller, "recycler", [offer("A1")])
    _publish(buyer, "moulder", [request("G1")])
    assert outsider.client.get("/api/v1/orgs/other/exchange/matches").json() == []
    (seen,) = buyer.client.get("/api/v1/orgs/moulder/exchange/matches").json()
    path = f"/api/v1/orgs/other/exchange/matches/{seen['offer_id']}/{seen['request_id']}/accept"
    assert outsider.client.post(path).status_code == 404


def test_a_bad_listings_file_is_a_located_422_and_publishes_nothing(app: FastAPI) -> None:
    seller = Member(app, "s@example.org", "S")
    seller.org("recycler")
    response = seller.client.post(
        "/api/v1/orgs/recycler/exchange/listings",
        files={"file": ("listings.csv", _csv([offer("A1"), offer("A2", side="sell")]))},
    )
    assert response.status_code == 422
    assert "row 3" in response.text or "Zeile 3" in response.text
    assert seller.client.get("/api/v1/orgs/recycler/exchange/listings").json() == []


def test_search_hides_companies_and_prices_need_five_companies(app: FastAPI) -> None:
    buyer = Member(app, "b@example.org", "B")
    buyer.org("moulder")
    for n in range(5):
        seller = Member(app, f"s{n}@example.org", "S")
        seller.org(f"recycler-{n}")
        _publish(seller, f"recycler-{n}", [offer(f"A{n}", price_eur_per_t=400 + 10 * n)])
        prices = buyer.client.get("/api/v1/orgs/moulder/exchange/prices").json()
        (group,) = prices["groups"]
        assert group["companies"] == n + 1
        assert (group["median_eur_per_t"] is None) == (n < 4)
    assert group["median_eur_per_t"] == 420.0
    hits = buyer.client.get(
        "/api/v1/orgs/moulder/exchange/search",
        params={"material": "pp", "lat": 51.05, "lon": 13.74, "max_distance_km": 150},
    ).json()
    assert len(hits) == 5 and all("company" not in h for h in hits)
    assert "Recycler" not in str(hits)
    bad = buyer.client.get("/api/v1/orgs/moulder/exchange/search", params={"max_distance_km": 5})
    assert bad.status_code == 422
