"""GS1 Digital Link resolution per link type and language (GS1-Conformant Resolver 1.1)."""

from __future__ import annotations

import pytest

from kreislauf.passport import digital_link
from kreislauf.passport.resolver import (
    Link,
    ProductKey,
    linkset,
    parse_path,
    preferred_languages,
    resolve,
)

ANCHOR = digital_link("https://id.example.com", "4012345000016", serial="SN-1")
LINKS = [
    Link("gs1:pip", "de", "https://id.example.com/p/1?lang=de", "Produktpass"),
    Link("gs1:pip", "en", "https://id.example.com/p/1?lang=en", "Product passport"),
    Link("gs1:dpp", "en", "https://id.example.com/p/1.json", "DPP (JSON)", "application/json"),
    Link("gs1:sustainabilityInfo", "de", "https://id.example.com/p/1/pcf?lang=de", "CO2"),
]


def test_the_qr_uri_parses_back_to_the_product() -> None:
    path = ANCHOR.removeprefix("https://id.example.com")
    assert path == "/01/04012345000016/21/SN-1"
    assert parse_path(path) == ProductKey(gtin="04012345000016", serial="SN-1")
    assert parse_path("/01/4012345000016/10/L%2F7") == ProductKey("04012345000016", batch="L/7")


@pytest.mark.parametrize(
    "path", ["/01/4012345000017", "/02/4012345000016", "/01", "/01/4012345000016/99/x", "/"]
)
def test_what_is_no_digital_link(path: str) -> None:
    assert parse_path(path) is None


@pytest.mark.parametrize(
    ("link_type", "language", "location"),
    [
        (None, "de-DE,de;q=0.9,en;q=0.5", "https://id.example.com/p/1?lang=de"),
        (None, "en-GB,en;q=0.9", "https://id.example.com/p/1?lang=en"),
        (None, "fr-FR", "https://id.example.com/p/1?lang=de"),  # neither: German first
        ("gs1:pip", "de;q=0.1,en;q=0.8", "https://id.example.com/p/1?lang=en"),
        ("gs1:dpp", "de", "https://id.example.com/p/1.json"),  # only in English
        ("gs1:sustainabilityInfo", "en", "https://id.example.com/p/1/pcf?lang=de"),
        ("gs1:productSustainabilityInfo", None, "https://id.example.com/p/1/pcf?lang=de"),
    ],
)
def test_redirect_by_link_type_and_language(
    link_type: str | None, language: str | None, location: str
) -> None:
    answer = resolve(ANCHOR, LINKS, link_type=link_type, accept_language=language)
    assert (answer.status, answer.location) == (307, location)


def test_linkset_for_link_type_all_or_the_media_type() -> None:
    expected = linkset(ANCHOR, LINKS)
    assert resolve(ANCHOR, LINKS, link_type="all").linkset == expected
    answer = resolve(ANCHOR, LINKS, accept="application/linkset+json")
    assert answer.status == 200 and answer.linkset == expected
    (entry,) = expected["linkset"]
    assert entry["anchor"] == ANCHOR
    assert [link["hreflang"] for link in entry["https://gs1.org/voc/pip"]] == [["de"], ["en"]]
    assert entry["https://gs1.org/voc/dpp"][0]["type"] == "application/json"


def test_unknown_products_and_link_types_are_404() -> None:
    assert resolve(ANCHOR, None).status == 404
    assert resolve(ANCHOR, LINKS, link_type="gs1:recyclingInfo").status == 404  # not in GS1 voc


def test_accept_language_order() -> None:
    assert preferred_languages("en;q=0.2, de;q=0.7") == ["de", "en"]
    assert preferred_languages("en, de;q=0") == ["en", "de"]
    assert preferred_languages(None) == ["de", "en"]
