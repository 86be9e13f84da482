"""Passports as Asset Administration Shells (AAS JSON and AASX) with Eclipse BaSyx.

One shell per passport (``urn:uuid:<passport id>``, administration version = passport
version) with two submodels, both built from a :class:`~kreislauf.passport.tiers.PassportView`:

- **CarbonFootprint**, IDTA 02023 "Carbon Footprint" 1.0 (semantic id
  ``https://admin-shell.io/idta/CarbonFootprint/CarbonFootprint/1/0``): one
  ``ProductCarbonFootprint`` for the whole boundary (``A1-A3``) and, when the tier sees the
  stages, one per stage (raw materials ``A1``, processing and waste ``A3``). Calculation
  methods, reference unit and life-cycle phases take the values of the template's value
  lists (ECLASS 0173-1#02-ABG854/856/858#003); the PACT-only properties (primary-data share,
  data quality, fossil/biogenic split) have no place in 02023 1.0. An ``ExternalPcfApi``
  element points at a PACT endpoint when one is given.
- **DppMetadata**, IDTA 02099-1 "Digital Product Passport – Part 1" 1.0 (semantic id
  ``https://admin-shell.io/idta/cds/dppMetadata/1``): passport id, unique product
  identifier (the GS1 Digital Link of the GTIN on ``id.gs1.org``, else the first URN),
  granularity (Item with a serial, Batch with a batch, else Model), schema version (the
  passport schema's ``$id``), status, last update, economic operator (first company
  id) and the content specifications (the semantic ids of the other submodels). The
  template's JSON gives the submodel's semantic id as a ``ModelReference`` to a
  ``Submodel`` key; that is followed (an ``ExternalReference`` would be the metamodel's
  usual form).
- **ProductPassport** (semantic id: the passport schema's ``$id``): every disclosed field
  of the view, a collection per section, scalars as typed properties and lists, objects
  and ranges as JSON text (qualifier ``kreislauf/json``). It makes the AAS lossless:
  :func:`read_aas` rebuilds the passport from it.

The element names and semantic ids follow the template JSON of
``admin-shell-io/submodel-templates`` (``published/Carbon Footprint/1/0/1`` and
``published/Digital Product Passport/Digital Product Passport Part-1/1/0/0``, CC BY 4.0);
where that JSON and the PDF disagree the JSON is followed.

References
----------
IDTA 01001-3-0 Specification of the Asset Administration Shell, Part 1: Metamodel;
IDTA 01005-3-0 Part 5: Package File Format (AASX). IDTA 02023-1-0 Submodel Carbon
Footprint (2023). IDTA 02099-1-0 Digital Product Passport Part 1 (2025, after FprEN 18223).
Eclipse BaSyx Python SDK 2.x.
"""

from __future__ import annotations

import io
import json
import uuid
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from basyx.aas import model
from basyx.aas.adapter import aasx
from basyx.aas.adapter import json as aas_json

from kreislauf.errors import InvalidExchangeDocument
from kreislauf.passport.identifiers import digital_link
from kreislauf.passport.io import passport_from_data
from kreislauf.passport.models import Passport
from kreislauf.passport.schema import SCHEMA_ID
from kreislauf.passport.tiers import PassportView

FORMAT = "AAS"
CF = "https://admin-shell.io/idta/CarbonFootprint"
CF_SUBMODEL = f"{CF}/CarbonFootprint/1/0"
CDS = "https://admin-shell.io/idta/cds"
DPP_SUBMODEL = f"{CDS}/dppMetadata/1"
#: GS1's canonical Digital Link domain (GS1 Digital Link Standard 1.4, 4.2): the unique
#: product identifier of 02099-1 is "a web link", the same for every resolver
GS1_RESOLVER = "https://id.gs1.org"
JSON_QUALIFIER = "kreislauf/json"
#: ECLASS IRDIs of the 02023 properties (template JSON).
IRDI = {
    "PcfCalculationMethod": "0173-1#02-ABG854#003",
    "PcfCO2eq": "0173-1#02-ABG855#003",
    "ReferenceImpactUnitForCalculation": "0173-1#02-ABG856#003",
    "QuantityOfMeasureForCalculation": "0173-1#02-ABG857#003",
    "LifeCyclePhase": "0173-1#02-ABG858#003",
}
#: PACT crossSectoralStandards → 02023 PcfCalculationMethod values.
METHODS = {
    "ISO14067": "ISO 14067",
    "GHGP-Product": "GHG Protocol",
    "ISO14040-44": "ISO 14040, ISO 14044",
    "PACT-1.0": "PACT v1.0.1",
    "PACT-2.0": "PACT v2.0.0",
    "PACT-3.0": "PACT v3.0.0",
    "PAS2050": "BS PAS 2050",
}
#: PACT declared units → 02023 ReferenceImpactUnitForCalculation values.
UNITS = {
    "kilogram": "kg",
    "liter": "l",
    "cubic meter": "cbm",
    "square meter": "qm",
    "piece": "piece",
    "kilowatt hour": "kWh",
}
#: passport stages → 02023 LifeCyclePhase values (EN 15804 modules).
PHASES = {
    "raw_materials": "A1 - raw material supply (and upstream production)",
    "processing": "A3 - production",
    "waste": "A3 - production",
    "distribution": "A4 - transport to final destination",
    "use": "B1 - usage phase",
    "end_of_life": "C1-C4",
}


def _ref(value: str) -> model.ExternalReference:
    return model.ExternalReference((model.Key(model.KeyTypes.GLOBAL_REFERENCE, value),))


def _strings(id_short: str | None, values: Iterable[str], semantic: str, element: str) -> Any:
    return model.SubmodelElementList(
        id_short,
        model.Property,
        value=[model.Property(None, str, v, semantic_id=_ref(IRDI[element])) for v in values],
        semantic_id=_ref(semantic),
        semantic_id_list_element=_ref(IRDI[element]),
        value_type_list_element=str,
    )


def _property(id_short: str, kind: Any, value: Any, semantic: str) -> model.Property:
    return model.Property(id_short, kind, value, semantic_id=_ref(semantic))


@dataclass(frozen=True)
class _Common:
    """What every ProductCarbonFootprint of one passport shares."""

    methods: list[str]
    unit: str
    quantity: float
    published: datetime


def _footprint(amount: float, phases: list[str], common: _Common) -> model.SubmodelElement:
    decimal = model.datatypes.Decimal
    return model.SubmodelElementCollection(
        None,
        [
            _strings(
                "PcfCalculationMethods",
                common.methods,
                f"{CF}/PcfCalculationMethods/1/0",
                "PcfCalculationMethod",
            ),
            _property("PcfCO2eq", decimal, decimal(repr(float(amount))), IRDI["PcfCO2eq"]),
            _property(
                "ReferenceImpactUnitForCalculation",
                str,
                common.unit,
                IRDI["ReferenceImpactUnitForCalculation"],
            ),
            _property(
                "QuantityOfMeasureForCalculation",
                float,
                common.quantity,
                IRDI["QuantityOfMeasureForCalculation"],
            ),
            _strings("LifeCyclePhases", phases, f"{CF}/LifeCyclePhases/1/0", "LifeCyclePhase"),
            _property("PublicationDate", datetime, common.published, f"{CF}/PublicationDate/1/0"),
        ],
        semantic_id=_ref(f"{CF}/ProductCarbonFootprint/1/0"),
    )


def carbon_footprint_submodel(
    view: PassportView, *, submodel_id: str, pact_endpoint: str | None = None
) -> model.Submodel | None:
    """The IDTA 02023 submodel of what ``view`` shows exactly, or ``None`` if it shows no PCF."""
    total = view.value("carbon_footprint.total_kg_co2e")
    unit = UNITS.get(view.value("carbon_footprint.declared_unit") or "")
    if total is None or unit is None:
        return None
    standards = view.value("carbon_footprint.cross_sectoral_standards") or []
    common = _Common(
        methods=[METHODS[s] for s in standards if s in METHODS] or ["ISO 14067"],
        unit=unit,
        quantity=float(view.value("carbon_footprint.declared_unit_amount") or 1.0),
        published=datetime.fromisoformat(view.data["created"].replace("Z", "+00:00")),
    )
    footprints = [_footprint(total, ["A1-A3"], common)]
    for stage in view.value("carbon_footprint.stages") or []:
        footprints.append(_footprint(stage["kg_co2e"], [PHASES[stage["stage"]]], common))
    elements: list[model.SubmodelElement] = [
        model.SubmodelElementList(
            "ProductCarbonFootprints",
            model.SubmodelElementCollection,
            value=footprints,
            semantic_id=_ref(f"{CF}/ProductCarbonFootprints/1/0"),
            semantic_id_list_element=_ref(f"{CF}/ProductCarbonFootprint/1/0"),
        )
    ]
    if pact_endpoint:
        uri = model.datatypes.AnyURI
        query = f"$id={view.value('carbon_footprint.pact_id')}"
        api = model.SubmodelElementCollection(
            "ExternalPcfApi",
            [
                _property(
                    "PcfApiEndpoint", uri, uri(pact_endpoint), f"{CF}/ExternalPcfApi/Endpoint/1/0"
                ),
                _property("PcfApiQuery", str, query, f"{CF}/ExternalPcfApi/Query/1/0"),
            ],
            semantic_id=_ref(f"{CF}/ExternalPcfApi/1/0"),
        )
        elements.append(api)
    return model.Submodel(
        submodel_id,
        submodel_element=elements,
        id_short="CarbonFootprint",
        semantic_id=_ref(CF_SUBMODEL),
        kind=model.ModellingKind.INSTANCE,
    )


def dpp_metadata_submodel(
    view: PassportView, *, submodel_id: str, content: Iterable[str] = ()
) -> model.Submodel | None:
    """The IDTA 02099-1 DppMetadata submodel of ``view`` (module docstring), or ``None``
    when the view shows neither a GTIN nor a URN or no company id (both are "One")."""
    gtin = view.value("identification.gtin")
    urns = view.value("identification.urns") or []
    companies = view.value("manufacturer.company_ids") or []
    if not (gtin or urns) or not companies:
        return None
    if gtin:
        product = digital_link(
            GS1_RESOLVER,
            gtin,
            serial=view.value("identification.serial"),
            batch=view.value("identification.batch"),
        )
    else:
        product = urns[0]
    granularity = (
        "Item"
        if view.value("identification.serial")
        else "Batch"
        if view.value("identification.batch")
        else "Model"
    )
    created = datetime.fromisoformat(view.data["created"].replace("Z", "+00:00"))
    elements: list[model.SubmodelElement] = [
        _property(
            "digitalProductPassportId",
            str,
            f"urn:uuid:{view.data['id']}",
            f"{CDS}/digitalProductPassportId/1",
        ),
        _property("uniqueProductIdentifier", str, product, f"{CDS}/uniqueProductIdentifier/1"),
        _property("granularity", str, granularity, f"{CDS}/granularity/1"),
        _property("dppSchemaVersion", str, SCHEMA_ID, f"{CDS}/dppSchemaVersion/1"),
        _property("dppStatus", str, view.data["status"], f"{CDS}/dppStatus/1"),
        _property("lastUpdate", datetime, created, f"{CDS}/lastUpdate/1"),
        _property("economicOperatorId", str, companies[0], f"{CDS}/economicOperatorId/1"),
    ]
    ids = list(content)
    item = f"{CDS}/contentSpecificationId/1"
    if ids:
        elements.append(
            model.SubmodelElementList(
                "contentSpecificationIds",
                model.Property,
                value=[model.Property(None, str, i, semantic_id=_ref(item)) for i in ids],
                semantic_id=_ref(f"{CDS}/contentSpecificationIds/1"),
                semantic_id_list_element=_ref(item),
                value_type_list_element=str,
                order_relevant=False,
            )
        )
    return model.Submodel(
        submodel_id,
        submodel_element=elements,
        id_short="DppMetadata",
        semantic_id=model.ModelReference(
            (model.Key(model.KeyTypes.SUBMODEL, DPP_SUBMODEL),), model.Submodel
        ),
        administration=model.AdministrativeInformation(version="1", revision="0"),
        kind=model.ModellingKind.INSTANCE,
    )


def _element(name: str, value: Any) -> model.SubmodelElement:
    section = isinstance(value, dict) and name != "disclosure" and "disclosed_as" not in value
    if section:
        return model.SubmodelElementCollection(
            name, [_element(k, v) for k, v in value.items() if v is not None]
        )
    if isinstance(value, bool):
        return model.Property(name, bool, value)
    if isinstance(value, int):
        return model.Property(name, int, value)
    if isinstance(value, float):
        return model.Property(name, float, value)
    if isinstance(value, str):
        return model.Property(name, str, value)
    return model.Property(
        name,
        str,
        json.dumps(value, ensure_ascii=False),
        qualifier=[model.Qualifier(JSON_QUALIFIER, str, "true")],
    )


def passport_submodel(view: PassportView, *, submodel_id: str) -> model.Submodel:
    """The ProductPassport submodel: every field ``view`` shows (module docstring)."""
    elements = [_element(name, value) for name, value in view.data.items() if value is not None]
    return model.Submodel(
        submodel_id,
        submodel_element=elements,
        id_short="ProductPassport",
        semantic_id=_ref(SCHEMA_ID),
        kind=model.ModellingKind.INSTANCE,
    )


Store = model.DictIdentifiableStore[model.Identifiable]


def shell_store(view: PassportView, *, pact_endpoint: str | None = None) -> Store:
    """The shell and its submodels of ``view`` in a BaSyx object store."""
    passport_id = uuid.UUID(view.data["id"])
    shell_id = f"urn:uuid:{passport_id}"
    version = model.AdministrativeInformation(version=str(view.data["version"]))
    submodels: list[model.Submodel] = [
        passport_submodel(view, submodel_id=f"urn:uuid:{uuid.uuid5(passport_id, 'passport')}")
    ]
    footprint = carbon_footprint_submodel(
        view,
        submodel_id=f"urn:uuid:{uuid.uuid5(passport_id, 'carbon-footprint')}",
        pact_endpoint=pact_endpoint,
    )
    if footprint is not None:
        submodels.append(footprint)
    metadata = dpp_metadata_submodel(
        view,
        submodel_id=f"urn:uuid:{uuid.uuid5(passport_id, 'dpp-metadata')}",
        content=[SCHEMA_ID] + ([CF_SUBMODEL] if footprint is not None else []),
    )
    if metadata is not None:
        submodels.insert(0, metadata)
    specific = [
        model.SpecificAssetId(name, str(value))
        for name, value in (
            ("gtin", view.value("identification.gtin")),
            ("serialNumber", view.value("identification.serial")),
            ("batchId", view.value("identification.batch")),
        )
        if value
    ]
    item = view.value("identification.serial") or view.value("identification.batch")
    shell = model.AssetAdministrationShell(
        model.AssetInformation(
            model.AssetKind.INSTANCE if item else model.AssetKind.TYPE,
            global_asset_id=f"urn:uuid:{uuid.uuid5(passport_id, 'asset')}",
            specific_asset_id=specific,
        ),
        shell_id,
        id_short="ProductPassportShell",
        administration=version,
        submodel={model.ModelReference.from_referable(s) for s in submodels},
    )
    return model.DictIdentifiableStore([shell, *submodels])


def aas_json_bytes(view: PassportView, *, pact_endpoint: str | None = None) -> bytes:
    """The AAS JSON environment of ``view``."""
    text = io.StringIO()
    aas_json.write_aas_json_file(text, shell_store(view, pact_endpoint=pact_endpoint), indent=2)
    return text.getvalue().encode("utf-8")


def aasx_bytes(view: PassportView, *, pact_endpoint: str | None = None) -> bytes:
    """The AASX package (JSON inside) of ``view``."""
    store = shell_store(view, pact_endpoint=pact_endpoint)
    buffer = io.BytesIO()
    with aasx.AASXWriter(buffer) as writer:
        files = aasx.DictSupplementaryFileContainer()  # type: ignore[no-untyped-call]
        writer.write_aas([f"urn:uuid:{view.data['id']}"], store, files, write_json=True)
    return buffer.getvalue()


def _value(element: model.SubmodelElement) -> Any:
    if isinstance(element, model.SubmodelElementCollection):
        return {e.id_short: _value(e) for e in element.value}
    assert isinstance(element, model.Property)
    if any(q.type == JSON_QUALIFIER for q in element.qualifier):
        return json.loads(str(element.value))
    if isinstance(element.value, datetime):
        return element.value.isoformat()
    return element.value


def _exact(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` without the fields shown as a range or statement (they hold no value)."""
    kept: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict) and "disclosed_as" in value:
            continue
        if isinstance(value, dict) and key != "disclosure":
            value = _exact(value)
        kept[key] = value
    return kept


def read_aas(data: bytes, *, file: str | None = None) -> Passport:
    """The passport in an AAS JSON environment or AASX package written by kreislauf.

    The ProductPassport submodel is read; fields shown only as ranges or statements are
    left out. Raises :class:`~kreislauf.errors.InvalidExchangeDocument` for a document
    that is no AAS or has no ProductPassport submodel.
    """
    store: Store
    try:
        if data[:2] == b"PK":
            store = model.DictIdentifiableStore()
            with aasx.AASXReader(io.BytesIO(data)) as reader:
                files = aasx.DictSupplementaryFileContainer()  # type: ignore[no-untyped-call]
                reader.read_into(store, files)
        else:
            store = aas_json.read_aas_json_file(io.StringIO(data.decode("utf-8")), failsafe=False)
    except (ValueError, KeyError, TypeError, UnicodeError, zipfile.BadZipFile) as error:
        raise InvalidExchangeDocument(file=file, format=FORMAT, detail=str(error)) from error
    for item in store:
        if isinstance(item, model.Submodel) and item.semantic_id == _ref(SCHEMA_ID):
            fields = {e.id_short: _value(e) for e in item.submodel_element}
            fields.pop("disclosed_for", None)
            return passport_from_data(_exact(fields), file=file)
    raise InvalidExchangeDocument(
        file=file, format=FORMAT, detail=f"no ProductPassport submodel (semantic id {SCHEMA_ID})"
    )
