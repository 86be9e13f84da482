"""``kreislauf exchange …`` through the real entry point."""

from __future__ import annotations

import json

from tests.exchange.exchange_fixtures import LEVEL_1, offer, request, write_listings
from tests.ledger.ledger_fixtures import run_cli as run


def test_levels_json_has_the_issue_shape(tmp_path, capsys):
    rows = [offer("o1", **dict.fromkeys(LEVEL_1, "x")), request("r1")]
    path = write_listings(tmp_path / "l.csv", rows)
    out = tmp_path / "levels.json"
    code, stdout, _ = run(["exchange", "levels", str(path), "--json", str(out)], capsys)
    assert code in (0, None)
    assert "Datenqualitätsstufen" in stdout
    data = json.loads(out.read_text())
    assert [(x["id"], x["dql"]) for x in data["listings"]] == [("o1", 1), ("r1", 0)]
    assert data["listings"][0]["missing_for_next"][0] == "ChainOfCustody"
    assert data["listings"][1]["missing_for_next"] == list(LEVEL_1)


def test_a_bad_file_exits_2_with_a_located_message_and_writes_nothing(tmp_path, capsys):
    path = write_listings(tmp_path / "l.csv", [offer("o1", lat="north")])
    out = tmp_path / "levels.json"
    code, _, stderr = run(
        ["exchange", "levels", str(path), "--json", str(out), "--lang", "en"], capsys
    )
    assert code == 2
    assert "l.csv, row 2, column 'lat'" in stderr and "Traceback" not in stderr
    assert not out.exists()


def test_match_json_has_the_issue_shape_and_the_rate_option(tmp_path, capsys):
    rows = [
        offer("o1", **dict.fromkeys(LEVEL_1, "x"), quantity_t=8),
        request("r1", quantity_t=5, lat=51.0504, lon=13.7373, min_dql=1, company="B"),
        request("r2", quantity_t=5, lat=51.0504, lon=13.7373, company="C"),
    ]
    path = write_listings(tmp_path / "l.csv", rows)
    out = tmp_path / "matches.json"
    args = ["exchange", "match", str(path), "--json", str(out), "--transport-eur-per-tkm", "0.2"]
    code, stdout, _ = run([*args, "--lang", "en"], capsys)
    assert code in (0, None)
    assert "Matched: 8" in stdout
    # the units in the headers are printed, not read as Rich markup tags
    assert "Quantity [t]" in stdout and "[km]" in stdout and "[kg" in stdout
    data = json.loads(out.read_text())
    assert {"matches", "total_t", "total_cost_eur"} <= set(data)
    assert data["total_t"] == 8.0 and data["transport_eur_per_tkm"] == 0.2
    first = data["matches"][0]
    assert {"offer", "request", "quantity_t", "distance_km", "cost_eur", "co2e_kg"} <= set(first)
    assert sum(m["quantity_t"] for m in data["matches"]) == 8.0
    assert data["total_cost_eur"] == round(sum(m["cost_eur"] for m in data["matches"]), 2)


def test_a_negative_transport_rate_exits_2(tmp_path, capsys):
    path = write_listings(tmp_path / "l.csv", [offer("o1")])
    code, _, stderr = run(
        ["exchange", "match", str(path), "--transport-eur-per-tkm", "-1", "--lang", "en"], capsys
    )
    assert code == 2 and "--transport-eur-per-tkm" in stderr


def test_forecast_json_has_the_issue_shape(tmp_path, capsys):
    from tests.exchange.forecast_fixtures import history_csv, small_history

    path = tmp_path / "history.csv"
    path.write_text(history_csv(small_history(months=36)), encoding="utf-8")
    out = tmp_path / "forecast.json"
    args = ["exchange", "forecast", str(path), "--horizon", "3", "--json", str(out)]
    code, stdout, _ = run([*args, "--models", "CrostonSBA,TSB,AutoETS", "--lang", "en"], capsys)
    assert code in (0, None)
    assert "seasonal naive forecast" in stdout
    data = json.loads(out.read_text())
    series = data["series"][0]
    assert {"id", "model", "mase", "baselines", "forecast"} <= set(series)
    assert set(series["baselines"]) == {"naive", "seasonal_naive"}
    assert set(series["forecast"][0]) == {"period", "mean", "lo_80", "hi_80"}
    assert len(series["forecast"]) == 3
    assert series["model"] in ("CrostonSBA", "TSB", "AutoETS", "SeasonalNaive")


def test_forecast_refuses_an_unknown_model_and_a_bad_horizon(tmp_path, capsys):
    path = tmp_path / "history.csv"
    path.write_text("series_id,period,quantity_t\nA,2024-01,1\n", encoding="utf-8")
    code, _, stderr = run(["exchange", "forecast", str(path), "--models", "Prophet"], capsys)
    assert code == 2 and "Prophet" in stderr
    code, _, stderr = run(["exchange", "forecast", str(path), "--horizon", "0"], capsys)
    assert code == 2 and "--horizon" in stderr
    code, _, stderr = run(["exchange", "forecast", str(path), "--lang", "en"], capsys)
    assert code == 2 and "history.csv" in stderr and "needs at least 60" in stderr
