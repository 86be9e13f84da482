"""Reading listings and histories: the import format and located errors."""

from __future__ import annotations

import datetime as dt

import pytest

from kreislauf.errors import InvalidHistory, InvalidListing
from kreislauf.exchange import read_history, read_listings, read_listings_text
from tests.exchange.exchange_fixtures import LEVEL_1, offer, request, write_listings


def test_listings_are_read_with_elements_and_request_limits(tmp_path):
    rows = [
        offer(
            "o1",
            **dict.fromkeys(LEVEL_1, "x"),
            AshContent="",
            valid_from="2026-01-01",
            valid_to="2026-12-31",
            interval="Month",
        ),
        request("r1", min_dql=2, max_price_eur_per_t="450,5", max_distance_km=150),
    ]
    o1, r1 = read_listings(write_listings(tmp_path / "l.csv", rows))
    assert o1.elements == frozenset(LEVEL_1)  # a blank cell is not there
    assert (o1.interval, o1.valid_from, o1.row) == ("month", dt.date(2026, 1, 1), 2)
    assert (r1.side, r1.min_dql, r1.max_price_eur_per_t, r1.max_distance_km) == (
        "request",
        2,
        450.5,
        150.0,
    )
    assert r1.price_eur_per_t is None and r1.row == 3


def test_an_xlsx_file_reads_like_the_csv(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    rows = [offer("o1", valid_from=dt.datetime(2026, 3, 1), TradeName="X")]
    columns = list(rows[0])
    sheet.append(columns)
    sheet.append([rows[0][c] for c in columns])
    book.save(tmp_path / "l.xlsx")
    (o1,) = read_listings(tmp_path / "l.xlsx")
    assert o1.valid_from == dt.date(2026, 3, 1) and o1.elements == {"TradeName"}


def test_uploaded_text_reads_like_a_file(tmp_path):
    path = write_listings(tmp_path / "l.csv", [offer("o1")])
    assert read_listings_text(path.read_bytes(), name="up.csv")[0].id == "o1"


@pytest.mark.parametrize(
    ("cells", "column", "expected"),
    [
        ({"side": "sell"}, "side", "offer or request"),
        ({"interval": "weekly"}, "interval", "once, month"),
        ({"quantity_t": 0}, "quantity_t", "greater than 0"),
        ({"quantity_t": "viel"}, "quantity_t", "number"),
        ({"price_eur_per_t": ""}, "price_eur_per_t", "price"),
        ({"lat": 91}, "lat", "latitude"),
        ({"lon": ""}, "lon", "longitude"),
        ({"company": ""}, "company", "non-empty"),
        ({"ewc_code": "7213"}, "ewc_code", "waste code"),
        ({"valid_from": "1.1.2026"}, "valid_from", "YYYY-MM-DD"),
        ({"valid_from": "2026-02-01", "valid_to": "2026-01-01"}, "valid_to", "on or after"),
        ({"min_dql": 5}, "min_dql", "0 to 4"),
        ({"min_dql": 1.5}, "min_dql", "0 to 4"),
        ({"max_distance_km": -1}, "max_distance_km", "distance"),
    ],
)
def test_a_bad_cell_names_file_row_column_and_what_was_expected(tmp_path, cells, column, expected):
    rows = [
        offer("o1"),
        {**request("r1"), **cells} if "min" in column or "max" in column else offer("o2", **cells),
    ]
    path = write_listings(tmp_path / "l.csv", rows)
    with pytest.raises(InvalidListing) as info:
        read_listings(path)
    text = info.value.message("en")
    assert text.startswith(f"l.csv, row 3, column '{column}'")
    assert expected in text


def test_a_duplicate_id_is_refused(tmp_path):
    path = write_listings(tmp_path / "l.csv", [offer("o1"), offer("o1")])
    with pytest.raises(InvalidListing, match=r"row 3, column 'id'.*unique"):
        read_listings(path)


def test_a_misspelt_element_column_is_refused_with_the_closest_name(tmp_path):
    path = write_listings(tmp_path / "l.csv", [offer("o1", Ashcontent="1.2")])
    with pytest.raises(InvalidListing, match=r"row 1, column 'Ashcontent'.*AshContent"):
        read_listings(path)


def test_missing_headings_are_named(tmp_path):
    path = tmp_path / "l.csv"
    path.write_text("id,side\no1,offer\n", encoding="utf-8")
    with pytest.raises(InvalidListing, match=r"row 1.*company, material"):
        read_listings(path)


def test_history_fills_missing_months_with_zero(tmp_path):
    path = tmp_path / "h.csv"
    path.write_text(
        "series_id,period,quantity_t\nPP-Leipzig,2024-01,3\nPP-Leipzig,2024-03,5\nPE,2024-02,1\n",
        encoding="utf-8",
    )
    frame = read_history(path)
    pp = frame[frame["unique_id"] == "PP-Leipzig"]
    assert pp["y"].tolist() == [3.0, 0.0, 5.0]
    assert [d.strftime("%Y-%m") for d in pp["ds"]] == ["2024-01", "2024-02", "2024-03"]


@pytest.mark.parametrize(
    ("line", "column", "expected"),
    [
        ("PP,2024-13,1", "period", "YYYY-MM"),
        ("PP,24-01,1", "period", "YYYY-MM"),
        ("PP,2024-02,-1", "quantity_t", "0 or more"),
        ("PP,2024-01,2", "period", "only once"),
        (",2024-02,1", "series_id", "non-empty"),
        ("P" * 101 + ",2024-02,1", "series_id", "at most 100 characters"),
    ],
)
def test_bad_history_rows_are_located(tmp_path, line, column, expected):
    path = tmp_path / "h.csv"
    path.write_text(f"series_id,period,quantity_t\nPP,2024-01,1\n{line}\n", encoding="utf-8")
    with pytest.raises(InvalidHistory) as info:
        read_history(path)
    text = info.value.message("en")
    assert text.startswith(f"h.csv, row 3, column '{column}'") and expected in text
