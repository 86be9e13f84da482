"""Per tier, every format holds exactly the fields the tier may see: fields × tiers × formats.

The sentinel passport holds in each field a value found nowhere else (its marker). For
every format and tier the export either refuses (the format needs a field the tier does
not see exactly: nothing is written) or holds the marker of every field the tier sees
exactly and the format has a place for, and no marker of any other field.
"""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from kreislauf.errors import InvalidOption, MissingForFormat, NotDisclosed
from kreislauf.passport import Tier, disclosure_fields
from kreislauf.passport.batterypass import carried_fields
from kreislauf.passport.formats import FORMATS, export
from kreislauf.passport.tiers import grant_for
from tests.passport.passport_fixtures import MARKERS, sentinel_passport

#: Fields without a marker of their own (a boolean), checked by their property name
#: (or, in the HTML document, by their German and English label).
BOOLEAN_KEYS = {
    "carbon_footprint.packaging_emissions_included": ("ackaging", "Verpackung enthalten"),
    "carbon_footprint.mass_balancing_used": (
        "ass_balancing_used", "assBalancingUsed", "Massenbilanz verwendet", "Mass balancing used",
    ),
    "carbon_footprint.ccs_included": (
        "ccs_included", "ccsTechnologicalCO2CaptureIncluded", "CO2-Abscheidung enthalten",
        "Carbon capture included",
    ),
    # an integer (months) has no marker of its own either
    "battery.warranty_months": (
        "warranty_months", "warrentyPeriod", "Garantie (Monate)", "Warranty (months)",
    ),
}  # fmt: skip


def _text(data: bytes) -> str:
    if data[:2] == b"PK":  # a package (AASX): every part's text
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            return "\n".join(package.read(n).decode("utf-8", "replace") for n in package.namelist())
    return data.decode("utf-8")


#: every format, a document format (html) once per language
CASES = [
    (name, lang)
    for name, form in FORMATS.items()
    for lang in (("de", "en") if form.localised is not None else (None,))
]


def _written() -> dict[tuple[str, Tier], str | None]:
    passport = sentinel_passport()
    written: dict[tuple[str, Tier], str | None] = {}
    for name, lang in CASES:
        key = f"{name}-{lang}" if lang else name
        for tier in Tier:
            try:
                written[key, tier] = _text(
                    export(passport, tier=tier, form=name, lang=lang or "de")
                )
            except (NotDisclosed, MissingForFormat):
                written[key, tier] = None
    return written


WRITTEN = _written()


@pytest.mark.parametrize("tier", list(Tier))
@pytest.mark.parametrize("case", [f"{n}-{lang}" if lang else n for n, lang in CASES])
def test_exactly_the_allowed_fields_are_written(case: str, tier: Tier) -> None:
    form = case if case in FORMATS else case.rsplit("-", 1)[0]
    text = WRITTEN[case, tier]
    if text is None:
        assert tier is not Tier.owner, f"{case} must be writable for the owner"
        return
    passport = sentinel_passport()
    carries = FORMATS[form].carries
    if form == "batterypass":  # the fields of the aspects this tier could be given
        carries = carried_fields(json.loads(text))
    for field in disclosure_fields():
        grant = grant_for(passport, field, tier)
        exact = grant is not None and grant.form == "exact"
        markers = MARKERS.get(field) or BOOLEAN_KEYS[field]
        shown = any(marker in text for marker in markers)
        if exact and (carries is None or field in carries):
            assert shown, f"{case}/{tier}: {field} {markers} missing"
        elif not exact:
            assert not shown, f"{case}/{tier}: {field} {markers} leaked"


def test_every_field_has_a_marker() -> None:
    sentinel_passport()
    assert set(disclosure_fields()) - set(MARKERS) == set(BOOLEAN_KEYS)


def test_the_json_format_shows_ranges_and_statements() -> None:
    text = WRITTEN["json", Tier.public]
    assert text is not None and "Said-WARRANTY" in text and '"disclosed_as"' in text
    assert "3.47" not in text  # the warranty's exact value


def test_pact_needs_the_b2b_tier() -> None:
    """PACT requires exemptedEmissionsPercent, which is legitimate-interest by default."""
    assert WRITTEN["pact-v3", Tier.public] is None
    assert WRITTEN["pact-v3", Tier.legitimate_interest] is not None


def test_each_format_is_written_for_some_tier_below_owner() -> None:
    for form in {case for case, _ in WRITTEN}:
        assert any(WRITTEN[form, t] is not None for t in Tier if t is not Tier.owner), form


def test_the_new_formats_are_enumerated() -> None:
    """catenax-dpp, batterypass and the html document (de, en) take part in fields × tiers
    × formats, batterypass in every tier."""
    assert {"catenax-dpp", "batterypass", "html-de", "html-en"} <= {c for c, _ in WRITTEN}
    assert WRITTEN["catenax-dpp", Tier.public] is not None
    assert all(WRITTEN["batterypass", tier] is not None for tier in Tier)


def test_an_unknown_format_is_refused() -> None:
    with pytest.raises(InvalidOption, match="--format"):
        export(sentinel_passport(), tier=Tier.owner, form="xml")
