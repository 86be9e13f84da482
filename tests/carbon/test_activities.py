"""The activity file: rows named by their line, numbers by the one rule, any encoding."""

from __future__ import annotations

import pytest

from kreislauf.carbon.activities import read_activities
from kreislauf.errors import FileNotReadable, InvalidActivityFile

HEADER = "period,kind,key,quantity,unit\n"


def test_bad_row_is_named_by_its_line_after_blank_and_comment_lines(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text(
        "# travel 2024, from the booking tool\n"
        + HEADER
        + "\n"
        + "2024,business_travel,air:short_haul,1200,km\n"
        + "# commuting survey\n"
        + "\n"
        + "2024,teleport,x,5,km\n",
        encoding="utf-8",
    )
    with pytest.raises(InvalidActivityFile, match=r"a.csv, row 7, column 'kind'") as info:
        read_activities(path)
    assert info.value.params["row"] == 7


def test_good_rows_keep_their_lines(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text(
        HEADER + "\n2024,business_travel,air:short_haul,1200,km\n\n2024,commuting,car,80,km\n",
        encoding="utf-8",
    )
    assert [a.row for a in read_activities(path)] == [3, 5]


def test_german_excel_activity_file(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(
        "period;kind;key;quantity;unit;description\r\n"
        "2024;business_travel;air:short_haul;1.234,5;km;Flüge Geschäftsführung\r\n"
        "2024;upstream_transport;truck;0,75;t*km;Anlieferung\r\n".encode("cp1252")
    )
    rows = read_activities(path)
    assert [a.quantity for a in rows] == pytest.approx([1234.5, 0.75], rel=1e-12)
    assert rows[0].description == "Flüge Geschäftsführung"


def test_missing_file_is_not_readable(tmp_path):
    with pytest.raises(FileNotReadable, match=r"missing\.csv"):
        read_activities(tmp_path / "missing.csv")


def test_empty_file_asks_for_a_header(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("\n\n", encoding="utf-8")
    with pytest.raises(InvalidActivityFile, match="header"):
        read_activities(path)
