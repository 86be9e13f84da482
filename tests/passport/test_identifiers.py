"""GTIN check digits (GS1 General Specifications 7.9) and GS1 Digital Link URIs."""

from __future__ import annotations

import pytest
from pydantic_core import PydanticCustomError

from kreislauf.passport import digital_link, gtin_urn, normalised_gtin
from kreislauf.passport.identifiers import gtin14, gtin_of_urn


def test_gs1_check_digit_known_answers() -> None:
    # GS1's worked example: 400638133393 -> check digit 1 (weights 3,1 from the right)
    assert normalised_gtin("4006381333931") == "4006381333931"
    assert normalised_gtin("96385074") == "96385074"  # GTIN-8
    assert normalised_gtin("0 4006381 33393 1") == "04006381333931"
    assert gtin14("96385074") == "00000096385074"


def test_a_wrong_check_digit_names_the_expected_one() -> None:
    with pytest.raises(PydanticCustomError, match="check digit 2, expected 1"):
        normalised_gtin("4006381333932")


@pytest.mark.parametrize("value", ["400638133393", "40063813339311", "abc", ""])
def test_malformed_gtins_are_refused(value: str) -> None:
    with pytest.raises(PydanticCustomError):
        normalised_gtin(value)


def test_digital_link_uris() -> None:
    base = "https://id.example.com/"
    assert digital_link(base, "4006381333931") == "https://id.example.com/01/04006381333931"
    assert (
        digital_link(base, "4006381333931", serial="A/1 b", batch="L1")
        == "https://id.example.com/01/04006381333931/21/A%2F1%20b"
    )
    assert digital_link(base, "4006381333931", batch="L1").endswith("/10/L1")


def test_gtin_urns_round_trip() -> None:
    urn = gtin_urn("4006381333931")
    assert urn == "urn:gtin:4006381333931"
    assert gtin_of_urn(urn) == "4006381333931"
    assert gtin_of_urn("urn:pact:x.example:supplier-id:1") is None
