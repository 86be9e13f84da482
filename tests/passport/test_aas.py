"""AAS JSON and AASX (Eclipse BaSyx): the IDTA 02023 Carbon Footprint submodel and the
lossless ProductPassport submodel."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from basyx.aas import model
from basyx.aas.adapter import json as aas_json

from kreislauf.errors import InvalidExchangeDocument
from kreislauf.passport import Tier, digest, disclose
from kreislauf.passport.aas import (
    CF_SUBMODEL,
    DPP_SUBMODEL,
    SCHEMA_ID,
    aas_json_bytes,
    aasx_bytes,
    read_aas,
)
from kreislauf.passport.pact import from_pact_v3, to_pact_v3
from tests.passport.passport_fixtures import demo_passport, sentinel_passport

DATA = Path(__file__).parent / "data"
TEMPLATE = DATA / "IDTA-02023-1-0-1-Template-CarbonFootprint.json"
DPP_TEMPLATE = DATA / "IDTA-02099-1-1-0-0-Template-DppMetadata.json"


def _shape(element: dict[str, Any]) -> dict[str, Any]:
    """idShort -> (modelType, valueType, semantic id, children) of a template element."""
    keys = (element.get("semanticId") or {}).get("keys") or [{}]
    children = element.get("value") if isinstance(element.get("value"), list) else []
    return {
        "modelType": element["modelType"],
        "valueType": element.get("valueType"),
        "semanticId": keys[0].get("value"),
        "children": {
            c.get("idShort"): _shape(c)
            for c in children
            if isinstance(c, dict) and "modelType" in c
        },
    }


def _submodel(document: dict[str, Any], semantic: str) -> dict[str, Any]:
    (found,) = [s for s in document["submodels"] if s["semanticId"]["keys"][0]["value"] == semantic]
    return found


def test_the_carbon_footprint_submodel_follows_the_idta_template() -> None:
    template = _submodel(json.loads(TEMPLATE.read_text(encoding="utf-8")), CF_SUBMODEL)
    written = _submodel(
        json.loads(aas_json_bytes(disclose(demo_passport(), Tier.public))), CF_SUBMODEL
    )
    expected = _shape(template["submodelElements"][0])  # ProductCarbonFootprints
    ours = _shape(written["submodelElements"][0])
    assert ours["semanticId"] == expected["semanticId"]
    (template_pcf,) = expected["children"].values()
    # the mandatory elements ("One"); the optional File/address ones are not written
    mandatory = {
        k: v for k, v in template_pcf["children"].items()
        if k not in ("ExplanatoryStatement", "GoodsHandoverAddress", "ExpirationDate")
    }  # fmt: skip
    footprint = next(iter(ours["children"].values()))
    assert footprint["semanticId"] == template_pcf["semanticId"]
    assert {k: (v["modelType"], v["semanticId"]) for k, v in footprint["children"].items()} == {
        k: (v["modelType"], v["semanticId"]) for k, v in mandatory.items()
    }
    # valueType: the template's, except QuantityOfMeasure (xs:double in both)
    for name, shape in footprint["children"].items():
        assert shape["valueType"] == mandatory[name]["valueType"], name


def test_values_come_from_the_template_value_lists() -> None:
    template = json.loads(TEMPLATE.read_text(encoding="utf-8"))
    lists = {
        cd["idShort"]: {
            v["value"]
            for v in cd["embeddedDataSpecifications"][0]["dataSpecificationContent"].get(
                "valueList", {"valueReferencePairs": []}
            )["valueReferencePairs"]
        }
        for cd in template["conceptDescriptions"]
    }
    written = _submodel(
        json.loads(aas_json_bytes(disclose(demo_passport(), Tier.public))), CF_SUBMODEL
    )
    footprints = written["submodelElements"][0]["value"]
    assert len(footprints) == 4  # A1-A3 and the three stages
    for footprint in footprints:
        values = {e["idShort"]: e.get("value") for e in footprint["value"]}
        assert {m["value"] for m in values["PcfCalculationMethods"]} <= lists[
            "PcfCalculationMethod"
        ]
        assert {p["value"] for p in values["LifeCyclePhases"]} <= lists["LifeCyclePhase"]
        assert (
            values["ReferenceImpactUnitForCalculation"]
            in lists["ReferenceImpactUnitForCalculation"]
        )
    total = float(footprints[0]["value"][1]["value"])
    assert total == demo_passport().carbon_footprint.total_kg_co2e  # type: ignore[union-attr]


@pytest.mark.parametrize("writer", [aas_json_bytes, aasx_bytes])
def test_the_owner_aas_round_trip_is_lossless(writer: Any) -> None:
    for passport in (demo_passport(), sentinel_passport()):
        again = read_aas(writer(disclose(passport, Tier.owner)))
        assert digest(again) == digest(passport)


def test_basyx_reads_what_is_written_strictly() -> None:
    data = aas_json_bytes(disclose(sentinel_passport(), Tier.authority))
    store = aas_json.read_aas_json_file(io.StringIO(data.decode()), failsafe=False)
    shells = [i for i in store if isinstance(i, model.AssetAdministrationShell)]
    assert len(shells) == 1 and len(shells[0].submodel) == 3  # DppMetadata, CF, passport
    assert {a.name for a in shells[0].asset_information.specific_asset_id} == {
        "gtin",
        "serialNumber",
        "batchId",
    }


def test_a_public_aas_keeps_ranges_out_of_the_imported_passport() -> None:
    passport = demo_passport()
    public = read_aas(aas_json_bytes(disclose(passport, Tier.legitimate_interest)))
    assert public.notes is None and public.disclosure == {}
    assert public.compliance_reports == []
    assert public.carbon_footprint == passport.carbon_footprint


def test_pact_v3_through_aas_loses_no_mandatory_field() -> None:
    original = json.loads((DATA / "pact-v3-steel.json").read_text(encoding="utf-8"))
    via_aas = read_aas(aasx_bytes(disclose(from_pact_v3(original), Tier.owner)))
    assert to_pact_v3(disclose(via_aas, Tier.owner)) == original


def test_a_foreign_document_is_refused() -> None:
    with pytest.raises(InvalidExchangeDocument, match="no ProductPassport submodel"):
        read_aas(TEMPLATE.read_bytes(), file="template.json")
    with pytest.raises(InvalidExchangeDocument, match="not a valid AAS"):
        read_aas(b"PK\x03\x04broken", file="x.aasx")


def test_the_dpp_metadata_submodel_follows_the_idta_template() -> None:
    """IDTA 02099-1: every element of the template ("One" and "ZeroToOne" where kreislauf
    has the value) with the template's idShort, model type, value type and semantic id."""
    template = _submodel(json.loads(DPP_TEMPLATE.read_text(encoding="utf-8")), DPP_SUBMODEL)
    written = _submodel(
        json.loads(aas_json_bytes(disclose(sentinel_passport(), Tier.public))), DPP_SUBMODEL
    )
    assert written["semanticId"] == template["semanticId"]
    expected = {e["idShort"]: _shape(e) for e in template["submodelElements"]}
    ours = {e["idShort"]: _shape(e) for e in written["submodelElements"]}
    assert set(expected) - set(ours) == {"facilityId"}  # kreislauf keeps no facility id
    for name, shape in ours.items():
        assert {k: v for k, v in shape.items() if k != "children"} == {
            k: v for k, v in expected[name].items() if k != "children"
        }, name
    values = {e["idShort"]: e.get("value") for e in written["submodelElements"]}
    assert values["granularity"] == "Item"  # the sentinel has a serial
    assert values["uniqueProductIdentifier"] == ("https://id.gs1.org/01/04012345000016/21/SER4711")
    assert values["economicOperatorId"] == "urn:pact:x.example:company:CIDMARK"
    assert SCHEMA_ID in [v["value"] for v in values["contentSpecificationIds"]]


def test_without_a_product_identifier_the_dpp_metadata_is_left_out() -> None:
    data = json.loads(demo_passport().model_dump_json())
    data["disclosure"] = {
        "identification.gtin": [{"tier": "owner"}],
        "identification.urns": [{"tier": "owner"}],
    }
    from kreislauf.passport import passport_from_data

    document = json.loads(aas_json_bytes(disclose(passport_from_data(data), Tier.public)))
    semantics = [s["semanticId"]["keys"][0]["value"] for s in document["submodels"]]
    assert DPP_SUBMODEL not in semantics and SCHEMA_ID in semantics
