"""PACT v3.0 and v2.3: import, export, round trips that lose no mandatory field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kreislauf.errors import InvalidExchangeDocument, InvalidGtin, MissingForFormat
from kreislauf.passport import Tier, disclose
from kreislauf.passport.pact import decimal, from_pact_v2, from_pact_v3, to_pact_v2, to_pact_v3
from tests.passport.passport_fixtures import demo_passport

DATA = Path(__file__).parent / "data"

#: Mandatory properties (PACT v3.0 data model; issue 17's list) and the SHALL ones.
V3_FOOTPRINT = (
    "id", "specVersion", "created", "status", "companyName", "companyIds",
    "productDescription", "productIds", "productNameCompany", "pcf",
)  # fmt: skip
V3_PCF = (
    "declaredUnitOfMeasurement", "declaredUnitAmount", "productMassPerDeclaredUnit",
    "referencePeriodStart", "referencePeriodEnd", "pcfExcludingBiogenicUptake",
    "pcfIncludingBiogenicUptake", "fossilGhgEmissions", "fossilCarbonContent",
    "ipccCharacterizationFactors", "crossSectoralStandards", "exemptedEmissionsPercent",
    "primaryDataShare", "dqi",
)  # fmt: skip
#: Mandatory properties of PACT v2.3 (spec/v2/index.bs, "M").
V2_FOOTPRINT = (
    "id", "specVersion", "version", "created", "status", "companyName", "companyIds",
    "productDescription", "productIds", "productCategoryCpc", "productNameCompany",
    "comment", "pcf",
)  # fmt: skip
V2_PCF = (
    "declaredUnit", "unitaryProductAmount", "pCfExcludingBiogenic", "fossilGhgEmissions",
    "fossilCarbonContent", "biogenicCarbonContent", "characterizationFactors",
    "ipccCharacterizationFactorsSources", "crossSectoralStandardsUsed",
    "boundaryProcessesDescription", "referencePeriodStart", "referencePeriodEnd",
    "exemptedEmissionsPercent", "exemptedEmissionsDescription", "packagingEmissionsIncluded",
)  # fmt: skip


def _load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA / name).read_text(encoding="utf-8"))
    return data


def _mandatory(doc: dict[str, Any], top: tuple[str, ...], pcf: tuple[str, ...]) -> dict[str, Any]:
    return {
        **{k: doc[k] for k in top if k != "pcf"},
        **{f"pcf.{k}": doc["pcf"][k] for k in pcf},
    }


def test_decimals_are_strings_with_every_digit() -> None:
    assert decimal(1.0) == "1" and decimal(2.19) == "2.19" and decimal(1e-7) == "1e-07"
    assert decimal(3.842122296053144) == "3.842122296053144"


def test_v3_round_trip_keeps_every_property_it_knows() -> None:
    original = _load("pact-v3-steel.json")
    again = to_pact_v3(disclose(from_pact_v3(original), Tier.owner))
    assert again == original


def test_v2_round_trip_keeps_every_mandatory_property() -> None:
    original = _load("pact-v2-granulate.json")
    again = to_pact_v2(disclose(from_pact_v2(original), Tier.owner))
    assert _mandatory(again, V2_FOOTPRINT, V2_PCF) == _mandatory(original, V2_FOOTPRINT, V2_PCF)
    # the v2.3 OpenAPI schema requires coveragePercent, completenessDQR and reliabilityDQR
    # in a dqi; this example has no completeness and reliability: no dqi is written
    assert "dqi" not in again["pcf"]
    assert again["pcf"]["crossSectoralStandards"] == ["GHGP-Product", "ISO14067", "PACT-2.0"]


def _with_full_dqi() -> dict[str, Any]:
    v2 = _load("pact-v2-granulate.json")
    v2["pcf"]["dqi"] |= {"completenessDQR": 2.4, "reliabilityDQR": 1.6}
    return v2


def test_v2_dqi_with_all_six_ratings_is_kept() -> None:
    original = _with_full_dqi()
    passport = from_pact_v2(original)
    assert passport.carbon_footprint is not None and passport.carbon_footprint.dqi is not None
    assert passport.carbon_footprint.dqi.completeness == 2.4
    again = to_pact_v2(disclose(passport, Tier.owner))
    assert again["pcf"]["dqi"] == original["pcf"]["dqi"]
    # v3.0 has no coverage, completeness or reliability: through v3.0 they are lost, and
    # with them the v2.3 dqi (never written with three of its six ratings)
    v3 = to_pact_v3(disclose(passport, Tier.owner))
    assert v3["pcf"]["dqi"] == {
        "technologicalDQR": "1.8",
        "geographicalDQR": "2.1",
        "temporalDQR": "1.5",
    }
    back = to_pact_v2(disclose(from_pact_v3(v3), Tier.owner))
    assert "dqi" not in back["pcf"]


def test_v2_dqi_is_left_out_for_ratings_above_three() -> None:
    passport = from_pact_v2(_with_full_dqi())
    cf = passport.carbon_footprint
    assert cf is not None and cf.dqi is not None
    worse = passport.model_copy(
        update={
            "carbon_footprint": cf.model_copy(
                update={"dqi": cf.dqi.model_copy(update={"temporal": 4.0})}
            )
        }
    )
    assert "dqi" not in to_pact_v2(disclose(worse, Tier.owner))["pcf"]
    assert to_pact_v3(disclose(worse, Tier.owner))["pcf"]["dqi"]["temporalDQR"] == "4"


def test_v2_to_v3_and_back() -> None:
    v2 = _load("pact-v2-granulate.json")
    v3 = to_pact_v3(disclose(from_pact_v2(v2), Tier.owner))
    assert v3["specVersion"] == "3.0.0"
    assert v3["pcf"]["crossSectoralStandards"] == ["GHGP-Product", "ISO14067", "PACT-2.0"]
    assert v3["pcf"]["pcfExcludingBiogenicUptake"] == v2["pcf"]["pCfExcludingBiogenic"]
    assert v3["pcf"]["primaryDataShare"] == "34.0" or v3["pcf"]["primaryDataShare"] == "34"
    assert v3["productClassifications"] == ["urn:cpc:34790"]
    back = to_pact_v2(disclose(from_pact_v3(v3), Tier.owner))
    mandatory = _mandatory(back, V2_FOOTPRINT, V2_PCF)
    expected = _mandatory(v2, V2_FOOTPRINT, V2_PCF)
    # v3.0 has no footprint version: the passport's version 1 takes its place
    assert {k: v for k, v in mandatory.items() if k != "version"} == {
        k: v for k, v in expected.items() if k != "version"
    }


def test_v3_to_v2_and_back() -> None:
    v3 = _load("pact-v3-steel.json")
    v2 = to_pact_v2(disclose(from_pact_v3(v3), Tier.owner))
    assert v2["productCategoryCpc"] == "41232"
    assert v2["pcf"]["crossSectoralStandardsUsed"] == [
        "GHG Protocol Product standard",
        "ISO Standard 14067",
    ]
    assert v2["pcf"]["characterizationFactors"] == "AR6"
    back = to_pact_v3(disclose(from_pact_v2(v2), Tier.owner))
    # dqi (mandatory in v3.0 from 2027) has no place in a v2.3 document without the
    # coverage, completeness and reliability ratings the passport does not keep
    v3_pcf = tuple(k for k in V3_PCF if k != "dqi")
    assert _mandatory(back, V3_FOOTPRINT, v3_pcf) == _mandatory(v3, V3_FOOTPRINT, v3_pcf)
    assert "dqi" in v3["pcf"] and "dqi" not in back["pcf"]


def test_the_demo_passport_per_piece_is_written_per_kilogram_in_v2() -> None:
    passport = demo_passport()
    cf = passport.carbon_footprint
    assert cf is not None and cf.product_mass_kg is not None
    v2 = to_pact_v2(disclose(passport, Tier.legitimate_interest))
    assert v2["pcf"]["declaredUnit"] == "kilogram"
    assert float(v2["pcf"]["unitaryProductAmount"]) == pytest.approx(cf.product_mass_kg)
    assert float(v2["pcf"]["pCfExcludingBiogenic"]) * cf.product_mass_kg == pytest.approx(
        cf.total_kg_co2e, rel=1e-12
    )
    v3 = to_pact_v3(disclose(passport, Tier.legitimate_interest))
    assert v3["pcf"]["declaredUnitOfMeasurement"] == "piece"
    assert v3["productIds"][0] == "urn:gtin:4012345000016"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (
            lambda d: d["pcf"].update(pcfExcludingBiogenicUptake=2.19),
            "pcf.pcfExcludingBiogenicUptake",
        ),
        (lambda d: d.pop("companyIds"), "companyIds"),
        (
            lambda d: d["pcf"].update(declaredUnitOfMeasurement="gram"),
            "pcf.declaredUnitOfMeasurement",
        ),
        (lambda d: d.update(created="2025-06-02 08:00"), "created"),
    ],
)
def test_v3_violations_are_located(change: Any, field: str) -> None:
    document = _load("pact-v3-steel.json")
    change(document)
    with pytest.raises(InvalidExchangeDocument) as caught:
        from_pact_v3(document, file="in.json")
    assert caught.value.message("en").startswith(f"in.json, field '{field}': not a valid PACT v3.0")


def test_a_bad_gtin_in_the_product_ids_is_located() -> None:
    document = _load("pact-v3-steel.json")
    document["productIds"][0] = "urn:gtin:4006381333932"
    with pytest.raises(InvalidGtin, match=r"field 'productIds\.0'.*expected 1"):
        from_pact_v3(document, file="in.json")


def test_a_v2_footprint_needs_a_cpc_code() -> None:
    passport = from_pact_v3({**_load("pact-v3-steel.json"), "productClassifications": None})
    with pytest.raises(MissingForFormat, match="urn:cpc:"):
        to_pact_v2(disclose(passport, Tier.owner))
