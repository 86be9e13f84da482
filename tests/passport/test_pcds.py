"""PCDS-style statements (ISO 59040): answers from the fields the tier sees."""

from __future__ import annotations

from kreislauf.passport import Tier, disclose, passport_from_data
from kreislauf.passport.pcds import pcds_statements
from tests.passport.passport_fixtures import demo_passport, sentinel_data


def _answers(document: dict[str, object]) -> dict[str, str]:
    return {s["id"]: s["answer"] for s in document["statements"]}  # type: ignore[attr-defined,index]


def test_the_demo_passport_statements() -> None:
    public = _answers(pcds_statements(disclose(demo_passport(), Tier.public)))
    assert public == {
        "recycled_content": "yes",  # shown as the range 10–25 %: above zero
        "no_svhc_above_threshold": "yes",  # no substance declared
        "mostly_recyclable": "yes",  # 95 %
        "disassembly_information": "unknown",  # legitimate interest only
        "spare_parts": "yes",
        "take_back": "yes",
        "carbon_footprint_declared": "yes",
    }
    seen = _answers(pcds_statements(disclose(demo_passport(), Tier.legitimate_interest)))
    assert seen["disassembly_information"] == "yes"


def test_no_answers_follow_the_values() -> None:
    data = sentinel_data()
    data["substances"] = [{"name": "Lead", "cas": "7439-92-1", "concentration_percent": 0.3}]
    data["recyclability"] = {"recyclable_percent": 40.0}
    data["disclosure"] = {}
    answers = _answers(pcds_statements(disclose(passport_from_data(data), Tier.public)))
    assert answers["no_svhc_above_threshold"] == "no"
    assert answers["mostly_recyclable"] == "no"
    assert answers["disassembly_information"] == "unknown"  # no dismantling text
