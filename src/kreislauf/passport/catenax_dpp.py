"""Catena-X generic Digital Product Passport 7.0.0 from and to passports.

Aspect ``urn:samm:io.catenax.generic.digital_product_passport:7.0.0#DigitalProductPassport``
(``eclipse-tractusx/sldt-semantic-models``, CC BY 4.0). The aspect requires many blocks;
each is filled from the passport where it has the data, and otherwise written in the
form the aspect itself offers for "none" — ``applicable: false`` (predecessor, import,
extended producer responsibility, handling, recall information, reusability, component
information, declarable ingredients, substances of concern per material) or an empty
list (images, data carriers, facilities, purposes, compliances). Nothing is invented:

- ``metadata``: ``passportIdentifier`` = ``urn:uuid:<passport id>``, ``version`` = passport version,
  ``issueDate`` = created, ``expirationDate`` = created + 10 years (kreislauf's default:
  Regulation (EU) 2023/1542 Art. 77(7) keeps a battery passport available at least as
  long as the product is in use; ESPR leaves the period to delegated acts),
  ``backupReference`` = ``urn:uuid:<id>``, ``passportStatus``: Active → ``approved``,
  Deprecated → ``invalid``;
- ``economicOperator`` / ``manufacturer``: name, first company id, the structured address
  (``manufacturer.street``, ``house_number``, ``postcode``, ``city``, ``country``; the
  post code written in lower case, as the aspect's pattern allows only that) and the
  contact (an e-mail address when it is one, else a website when it is a URL);
- ``identification``: ``partTypeInformation`` from the GTIN (or first URN) and product
  name, the GTIN as code ``GTIN``, serial and batch, classifications (``urn:<std>:<id>``);
- ``characteristics``: lifetimes from ``durability`` (``technical lifetime`` and
  ``guaranteed lifetime`` in ``unit:year``), ``physicalDimension`` from ``physical``;
- ``sustainability``: ``productFootprint.carbon`` holds the PCF (``Climate Change Total``,
  and ``Climate Change Fossil`` where shown) in kg CO2e per declared unit,
  ``recycleabilityPerformance`` not applicable (the aspect wants a class, the passport
  has a share), ``reparabilityScore`` the repairability score with its scale;
- ``composition``: one material per passport material (recycled share in %) and one per
  substance of concern (``materialType`` ``substance of concern``, CAS, concentration
  in ``unit:percent``);
- ``sources``: certificates with a URL (``Certifications and Compliance``).

What the aspect cannot carry back: recycled content totals, recyclability, dismantling,
repair information, end-of-life texts, the PCF methodology (use ``catenax-pcf``) and the
disclosure policy; :func:`from_catenax_dpp` reads what it can.

References
----------
Catena-X generic DPP aspect model 7.0.0, ``io.catenax.generic.digital_product_passport/
7.0.0/DigitalProductPassport.ttl`` (CC BY 4.0); ESPR (EU) 2024/1781 Annex III.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kreislauf.errors import InvalidExchangeDocument
from kreislauf.passport.io import passport_from_data
from kreislauf.passport.models import Passport
from kreislauf.passport.pact import FieldReader
from kreislauf.passport.tiers import PassportView

FORMAT = "Catena-X DPP 7.0.0"
SPEC_VERSION = "urn:io.catenax.generic.digital_product_passport:7.0.0"
#: the years a passport stays available after it is issued (module docstring)
EXPIRY_YEARS = 10
STATUS = {"Active": "approved", "Deprecated": "invalid"}
NOT_APPLICABLE = {"applicable": False}
#: ``materialType`` of a substance of concern: this prefix and the substance's name
SUBSTANCE = "substance of concern: "


def _date(moment: str) -> str:
    return moment[:10]


def _years_later(moment: str, years: int) -> str:
    start = datetime.fromisoformat(moment.replace("Z", "+00:00"))
    try:
        return start.replace(year=start.year + years).date().isoformat()
    except ValueError:  # 29 February
        return start.replace(year=start.year + years, day=28).date().isoformat()


def _address(read: FieldReader) -> dict[str, Any]:
    m = "manufacturer."
    return {
        "thoroughfare": {
            "technicalKey": "STREET",
            "value": read.need(m + "street"),
            "number": read.need(m + "house_number"),
        },
        "locality": {"technicalKey": "CITY", "value": read.need(m + "city")},
        "country": {"shortName": read.need(m + "country")},
        "postCode": {"technicalKey": "REGULAR", "value": str(read.need(m + "postcode")).lower()},
    }


def _contact(read: FieldReader) -> dict[str, Any]:
    contact = read.may("manufacturer.contact")
    if not contact:
        return {}
    if "@" in contact and " " not in contact:
        return {"email": contact}
    if contact.startswith(("https://", "http://")):
        return {"website": contact}
    return {}


def _identification(read: FieldReader) -> dict[str, Any]:
    i = "identification."
    gtin = read.may(i + "gtin")
    urns = read.may(i + "urns") or []
    part_id = gtin or (urns[0] if urns else None) or read.need(i + "gtin")
    classes = []
    for urn in read.may(i + "classifications") or []:
        _, standard, code = [*urn.split(":", 2), "", ""][:3]
        classes.append({"standard": standard, "id": code})
    block: dict[str, Any] = {
        "partTypeInformation": {
            "manufacturerPartId": part_id,
            "nameAtManufacturer": read.need(i + "product_name"),
        },
        "partClassification": classes,
        "productImages": [],
        "codes": [{"key": "GTIN", "value": gtin}] if gtin else [],
        "dataCarriers": [],
    }
    if read.may(i + "serial"):
        block["serialInformation"] = [{"key": "partInstanceId", "value": read.may(i + "serial")}]
    if read.may(i + "batch"):
        block["batchInformation"] = [{"key": "batchId", "value": read.may(i + "batch")}]
    for urn in urns:
        block["codes"].append({"key": "URN", "value": urn})
    return block


def _measure(value: float, unit: str) -> dict[str, Any]:
    return {"value": float(value), "unit": unit}


def _characteristics(read: FieldReader) -> dict[str, Any]:
    lifespan = []
    for field, kind in (
        ("durability.expected_lifetime_years", "technical lifetime"),
        ("durability.warranty_years", "guaranteed lifetime"),
    ):
        value = read.may(field)
        if value is not None:
            lifespan.append({"lifeType": kind, "lifeUnit": "unit:year", "lifeValue": value})
    p = "physical."
    return {
        "lifespan": lifespan,
        "physicalDimension": {
            "weight": _measure(read.need(p + "net_mass_kg"), "unit:kilogram"),
            "grossWeight": _measure(read.need(p + "gross_mass_kg"), "unit:kilogram"),
            "volume": _measure(read.need(p + "volume_m3"), "unit:cubicMetre"),
            "grossVolume": _measure(read.need(p + "gross_volume_m3"), "unit:cubicMetre"),
        },
    }


def _footprint(read: FieldReader) -> dict[str, Any]:
    cf = "carbon_footprint."
    total = read.may(cf + "total_kg_co2e")
    if total is None:
        return {"carbon": []}
    unit = f"kg CO2e / {read.need(cf + 'declared_unit_amount'):g} {read.need(cf + 'declared_unit')}"
    rules = [
        {"header": rule, "contentType": "text", "content": rule}
        for rule in read.may(cf + "product_or_sector_rules") or []
    ]
    entries = [("Climate Change Total", total)]
    fossil = read.may(cf + "fossil_ghg_kg_co2e")
    if fossil is not None:
        entries.append(("Climate Change Fossil", fossil))
    return {
        "carbon": [
            {
                "type": kind,
                "value": float(value),
                "unit": unit,
                "lifecycle": "cradle-to-gate",
                "rulebook": rules,
                "manufacturingPlant": [],
                "declaration": [],
            }
            for kind, value in entries
        ]
    }


def _sustainability(read: FieldReader) -> dict[str, Any]:
    block: dict[str, Any] = {
        "productStatus": "original",
        "productFootprint": _footprint(read),
        "reusability": NOT_APPLICABLE,
        "recycleabilityPerformance": NOT_APPLICABLE,
    }
    score = read.may("repairability.score")
    if score is not None:
        scale = read.may("repairability.scale")
        block["reparabilityScore"] = f"{score:g}" + (f" ({scale})" if scale else "")
    return block


def _percent(value: float) -> dict[str, Any]:
    return {"concentrationValue": float(value), "concentrationUnit": "unit:percent"}


def _composition(read: FieldReader) -> dict[str, Any]:
    materials: list[dict[str, Any]] = []
    parts = read.may("composition") or []
    total_mass = sum(float(m["mass_kg"]) for m in parts) or 1.0
    for material in parts:
        materials.append(
            {
                "materialType": material["name"],
                "recycled": float(material.get("recycled_percent") or 0.0),
                "materialIdentifications": [],
                "materialDocuments": [],
                "declarableIngredient": NOT_APPLICABLE,
                "substancesOfConcernInformation": NOT_APPLICABLE,
                "concentrationInformation": {
                    "concentration": _percent(100 * float(material["mass_kg"]) / total_mass)
                },
            }
        )
    for substance in read.may("substances") or []:
        ids = (
            [
                {
                    "materialName": substance["name"],
                    "materialId": substance["cas"],
                    "materialListTypeId": "CAS",
                }
            ]
            if substance.get("cas")
            else []
        )
        entry: dict[str, Any] = {
            "materialType": f"{SUBSTANCE}{substance['name']}",
            "recycled": 0.0,
            "materialIdentifications": ids,
            "materialDocuments": [],
            "declarableIngredient": NOT_APPLICABLE,
            "substancesOfConcernInformation": NOT_APPLICABLE,
            "concentrationInformation": {
                "concentration": _percent(substance["concentration_percent"])
            },
        }
        if substance.get("location"):
            entry["materialLocations"] = [substance["location"]]
        materials.append(entry)
    return {
        "componentInformation": NOT_APPLICABLE,
        "materialInformation": {"materials": materials},
    }


def to_catenax_dpp(view: PassportView) -> dict[str, Any]:
    """The Catena-X DPP 7.0.0 aspect of a passport as ``view.tier`` sees it (module doc).

    Raises :class:`~kreislauf.errors.MissingForFormat` / ``NotDisclosed`` naming the
    passport field a required property needs.
    """
    read = FieldReader(view, FORMAT)
    m = "manufacturer."
    created = view.data["created"]
    operator = {
        "economicOperatorNames": [read.need(m + "name")],
        "economicOperatorIdentification": read.need(m + "company_ids")[0],
        "economicOperatorAddress": _address(read),
        "economicOperatorContact": _contact(read),
    }
    manufacturer = {
        "manufacturerNames": operator["economicOperatorNames"],
        "manufacturerIdentification": operator["economicOperatorIdentification"],
        "manufacturerAddress": operator["economicOperatorAddress"],
        "manufacturerContact": operator["economicOperatorContact"],
    }
    sources = [
        {
            "header": c["name"],
            "category": "Certifications and Compliance",
            "contentType": "URL",
            "content": c["url"],
        }
        for c in read.may("certificates") or []
        if c.get("url")
    ]
    return {
        "metadata": {
            "specVersion": SPEC_VERSION,
            "version": str(view.data["version"]),
            "passportStatus": STATUS[view.data["status"]],
            "issueDate": _date(created),
            "lastModification": _date(created),
            "expirationDate": _years_later(created, EXPIRY_YEARS),
            "passportIdentifier": f"urn:uuid:{view.data['id']}",
            "predecessor": NOT_APPLICABLE,
            "backupReference": f"urn:uuid:{view.data['id']}",
            "language": "en",
            "economicOperator": operator,
        },
        "identification": _identification(read),
        "operation": {
            "manufacturing": {"facilities": [], "manufacturer": manufacturer},
            "import": NOT_APPLICABLE,
            "extendedProducerResponsibilityScheme": NOT_APPLICABLE,
        },
        "handling": NOT_APPLICABLE,
        "characteristics": _characteristics(read),
        "commercial": {"purpose": [], "recallInformation": NOT_APPLICABLE},
        "sustainability": _sustainability(read),
        "sources": sources,
        "compliances": [],
        "composition": _composition(read),
    }


def _get(document: Any, path: str, file: str | None, required: bool = True) -> Any:
    node = document
    for name in path.split("."):
        if not isinstance(node, dict) or node.get(name) is None:
            if required:
                raise InvalidExchangeDocument(
                    file=file, field=path, format=FORMAT, detail="required, missing"
                )
            return None
        node = node[name]
    return node


def _list(document: Any, path: str, file: str | None) -> list[Any]:
    value = _get(document, path, file, required=False)
    if value is None:
        return []
    if not isinstance(value, list):
        raise InvalidExchangeDocument(file=file, field=path, format=FORMAT, detail="not a list")
    return value


def _mass_kg(measure: Any, path: str, file: str | None, volume: bool = False) -> float | None:
    if measure is None:
        return None
    factors = (
        {"unit:cubicMetre": 1.0, "unit:litre": 1e-3, "unit:cubicCentimetre": 1e-6,
         "unit:millilitre": 1e-6, "unit:hectolitre": 0.1}
        if volume
        else {"unit:kilogram": 1.0, "unit:gram": 1e-3, "unit:tonneMetricTon": 1000.0}
    )  # fmt: skip
    unit = measure.get("unit") if isinstance(measure, dict) else None
    if unit not in factors or not isinstance(measure.get("value"), int | float):
        raise InvalidExchangeDocument(
            file=file, field=path, format=FORMAT,
            detail=f"unit '{unit}' (expected one of {', '.join(factors)}) or value not a number",
        )  # fmt: skip
    return float(measure["value"]) * factors[unit]


def from_catenax_dpp(document: Any, *, file: str | None = None) -> Passport:
    """A passport from a Catena-X DPP 7.0.0 aspect; errors name the property's path.

    Read: identification (GTIN code, serial, batch, URNs, classifications, name),
    economic operator (name, id, structured address, e-mail), lifetimes, physical
    dimensions, materials and substances of concern, certificates in ``sources``.
    """
    spec = _get(document, "metadata.specVersion", file, required=False)
    if spec is not None and not str(spec).endswith(":7.0.0"):
        raise InvalidExchangeDocument(
            file=file, field="metadata.specVersion", format=FORMAT,
            detail=f"'{spec}' is another version",
        )  # fmt: skip
    op = "metadata.economicOperator."
    name = _get(document, "identification.partTypeInformation.nameAtManufacturer", file)
    codes = _list(document, "identification.codes", file)
    gtin = next((c.get("value") for c in codes if c.get("key") == "GTIN"), None)
    urns = [c["value"] for c in codes if c.get("key") == "URN" and c.get("value")]
    part_id = _get(document, "identification.partTypeInformation.manufacturerPartId", file)
    if gtin is None and not urns:
        urn = str(part_id)
        urns = [urn if urn.lower().startswith("urn:") else f"urn:catenax:part:{urn}"]
    address = _get(document, op + "economicOperatorAddress", file, required=False) or {}
    contact = _get(document, op + "economicOperatorContact", file, required=False) or {}
    operator_id = _get(document, op + "economicOperatorIdentification", file)
    # ISO 3166-2 (``DE-SN``) in the aspect: its first two letters are the country
    country = ((address.get("country") or {}).get("shortName") or "")[:2] or None
    manufacturer = {
        "name": _list(document, op + "economicOperatorNames", file)[0]
        if _list(document, op + "economicOperatorNames", file)
        else _get(document, op + "economicOperatorNames", file),
        "company_ids": [
            operator_id if str(operator_id).lower().startswith("urn:") else f"urn:bpn:{operator_id}"
        ],
        "street": (address.get("thoroughfare") or {}).get("value"),
        "house_number": (address.get("thoroughfare") or {}).get("number"),
        "postcode": (address.get("postCode") or {}).get("value"),
        "city": (address.get("locality") or {}).get("value"),
        "country": country if country and len(country) == 2 else None,
        "contact": contact.get("email") or contact.get("website"),
    }
    lifespan = _list(document, "characteristics.lifespan", file)
    years = {
        entry.get("lifeType"): entry.get("lifeValue")
        for entry in lifespan
        if isinstance(entry, dict) and entry.get("lifeUnit") == "unit:year"
    }
    dims = "characteristics.physicalDimension."
    physical = {
        "net_mass_kg": _mass_kg(
            _get(document, dims + "weight", file, False), dims + "weight", file
        ),
        "gross_mass_kg": _mass_kg(
            _get(document, dims + "grossWeight", file, False), dims + "grossWeight", file
        ),
        "volume_m3": _mass_kg(
            _get(document, dims + "volume", file, False), dims + "volume", file, volume=True
        ),
        "gross_volume_m3": _mass_kg(
            _get(document, dims + "grossVolume", file, False), dims + "grossVolume", file, True
        ),
    }
    substances = []
    materials_path = "composition.materialInformation.materials"
    for index, material in enumerate(_list(document, materials_path, file)):
        kind = material.get("materialType") if isinstance(material, dict) else None
        if not isinstance(kind, str) or not kind.startswith(SUBSTANCE):
            continue
        ids = material.get("materialIdentifications") or [{}]
        locations = material.get("materialLocations") or []
        concentration = _get(
            material, "concentrationInformation.concentration.concentrationValue",
            f"{file}: {materials_path}[{index}]" if file else None, required=False,
        )  # fmt: skip
        substances.append(
            {
                "name": kind.removeprefix(SUBSTANCE) or ids[0].get("materialName"),
                "cas": ids[0].get("materialId")
                if ids[0].get("materialListTypeId") == "CAS"
                else None,
                "concentration_percent": concentration or 0.0,
                "location": locations[0] if locations else None,
            }
        )
    classes = [
        f"urn:{c.get('standard')}:{c.get('id')}"
        for c in _list(document, "identification.partClassification", file)
        if isinstance(c, dict)
        and c.get("standard")
        and c.get("id")
        and " " not in f"{c.get('standard')}{c.get('id')}"
    ]
    serial = _list(document, "identification.serialInformation", file)
    batch = _list(document, "identification.batchInformation", file)
    data: dict[str, Any] = {
        "identification": {
            "gtin": gtin,
            "serial": serial[0].get("value") if serial else None,
            "batch": batch[0].get("value") if batch else None,
            "product_name": name,
            "description": name,
            "urns": urns,
            "classifications": classes,
        },
        "manufacturer": manufacturer,
        "durability": {
            "expected_lifetime_years": years.get("technical lifetime"),
            "warranty_years": years.get("guaranteed lifetime"),
        },
        "physical": physical,
        "substances": substances,
        "certificates": [
            {"name": s.get("header"), "url": s.get("content")}
            for s in _list(document, "sources", file)
            if isinstance(s, dict) and s.get("category") == "Certifications and Compliance"
        ],
    }
    passport_id = _get(document, "metadata.passportIdentifier", file, required=False)
    if passport_id:
        data["id"] = str(passport_id).removeprefix("urn:uuid:")
    version = str(_get(document, "metadata.version", file, required=False) or "")
    if version.isdigit() and int(version) >= 1:
        data["version"] = int(version)
    issued = _get(document, "metadata.lastModification", file, required=False) or _get(
        document, "metadata.issueDate", file, required=False
    )
    if issued:
        data["created"] = f"{issued}T00:00:00Z"
    return passport_from_data(_clean(data), file=file)


def _clean(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _clean(v) for k, v in node.items() if v is not None}
    if isinstance(node, list):
        return [_clean(v) for v in node]
    return node
