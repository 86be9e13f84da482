"""The HTML passport document: German and English, through kreislauf.report, per tier."""

from __future__ import annotations

import pytest

from kreislauf.passport import Tier, disclose
from kreislauf.passport.document import passport_document, passport_html
from kreislauf.passport.formats import export
from tests.passport.passport_fixtures import demo_passport, sentinel_passport


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("de", ("Hersteller", "Rezyklatanteil", "CO2-Fußabdruck des Produkts", 'lang="de"')),
        ("en", ("Manufacturer", "Recycled content", "Product carbon footprint", 'lang="en"')),
    ],
)
def test_the_document_speaks_the_language(lang: str, words: tuple[str, ...]) -> None:
    html = export(demo_passport(), tier=Tier.public, form="html", lang=lang).decode()  # type: ignore[arg-type]
    assert html.startswith("<!DOCTYPE html>") or html.lower().startswith("<!doctype html>")
    for word in words:
        assert word in html, word
    assert "Türmodul-Träger TM-200" in html


def test_ranges_and_statements_are_spelled_out() -> None:
    data = sentinel_passport()
    de = passport_html(disclose(data, Tier.public), "de").decode()
    assert "Said-WARRANTY" in de and "3,47" not in de and "3.47" not in de
    report = passport_document(disclose(data, Tier.public), "en")
    titles = [s.title for s in report.sections]
    assert "Disclosure tier" in titles  # the note naming what is not shown


def test_numbers_follow_the_language() -> None:
    passport = sentinel_passport()
    assert "41,17" in passport_html(disclose(passport, Tier.public), "de").decode()
    assert "41.17" in passport_html(disclose(passport, Tier.public), "en").decode()
