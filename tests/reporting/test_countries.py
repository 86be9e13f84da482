"""Country names in German (CLDR through Babel) and English (the taxonomy's ISO names),
in the VSME member labels and the LkSG outputs."""

from __future__ import annotations

import pytest

from kreislauf.report import render_html
from kreislauf.reporting.countries import country_name
from kreislauf.reporting.lksg import lksg_screening, read_suppliers
from kreislauf.reporting.lksg_document import lksg_document
from kreislauf.reporting.taxonomy import member_label
from tests.reporting.test_lksg import SUPPLIERS


@pytest.mark.parametrize(
    ("code", "de", "en"),
    [
        ("DE", "Deutschland", "Germany"),
        ("pl", "Polen", "Poland"),
        ("CD", "Kongo-Kinshasa", "Congo (the Democratic Republic of the)"),
        ("US", "Vereinigte Staaten", "United States of America"),
        # a former code the taxonomy keeps: CLDR has no German name, the ISO name stays
        ("YU", "Yugoslavia (before 2003-07-23)", "Yugoslavia (before 2003-07-23)"),
        ("XX", "XX", "XX"),
    ],
)
def test_country_names_in_both_languages(code: str, de: str, en: str) -> None:
    assert country_name(code, "de") == de
    assert country_name(code, "en") == en


def test_vsme_country_members_are_named_in_the_language() -> None:
    assert member_label("country:DE", "de") == "Deutschland"
    assert member_label("country:DE", "en") == "Germany"


def test_the_lksg_ranking_names_the_country() -> None:
    analysis = lksg_screening(read_suppliers(SUPPLIERS))
    german = render_html(lksg_document(analysis, lang="de"))
    english = render_html(lksg_document(analysis, lang="en"))
    assert "Deutschland (DE)" in german and "Kongo-Kinshasa (CD)" in german
    assert "Germany (DE)" in english and "Germany (DE)" not in german
