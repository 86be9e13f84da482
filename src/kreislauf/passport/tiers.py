"""Disclosure tiers: which audience sees which field of a passport, and in what form.

Four tiers, from the widest audience to the narrowest, modelled on Regulation (EU)
2023/1542 (Batteries Regulation), Art. 77(2) and Annex XIII:

- ``public``: the information of Annex XIII point 1, accessible to the public (manufacturer
  and product identification, material composition and hazardous substances at the level
  of the label, carbon footprint, recycled content, durability, end-of-life information);
- ``legitimate_interest``: Annex XIII point 2, for persons with a legitimate interest and
  the Commission (repairers, remanufacturers, recyclers, customers): detailed composition,
  dismantling and repair information, and here the methodology detail of the PCF that
  PACT exchanges between companies (primary-data share, data quality, boundary);
- ``authority``: Annex XIII point 3, for notified bodies, market surveillance authorities
  and the Commission only: the results of test reports proving compliance;
- ``owner``: the economic operator itself (internal notes, the disclosure policy).

Every field has a default tier (:data:`DEFAULT_TIERS`); the owner may replace it per
passport with grants (:class:`~kreislauf.passport.models.Grant`): a field published to a
tier exactly, as a range of given edges ("recycled content 25–50 %") or as a statement, so
that a trade secret stays one. A caller sees, per field, the grant of the highest tier not
above its own; nothing granted to a higher tier is ever in what :func:`disclose` returns,
and every format is written from that (:mod:`.formats`).
"""

from __future__ import annotations

import itertools
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from kreislauf.errors import InvalidDisclosure
from kreislauf.passport.models import Grant, Passport, Tier

#: Fields every tier sees: what addresses, versions and verifies a passport.
META_FIELDS = ("schema_version", "id", "version", "created", "previous_digest", "status")

P, L, A, OWN = Tier.public, Tier.legitimate_interest, Tier.authority, Tier.owner

#: The default tier of every field (Annex XIII point 1 public, 2 legitimate interest,
#: 3 authorities; module docstring). ``tests/passport/test_tiers.py`` checks it names
#: every field of the model.
DEFAULT_TIERS: dict[str, Tier] = {
    **{
        f"identification.{name}": P
        for name in ("gtin", "serial", "batch", "product_name", "description", "urns")
    },
    "identification.classifications": P,
    **{
        f"manufacturer.{n}": P
        for n in ("name", "company_ids", "address", "street", "house_number", "postcode")
    },
    **{f"manufacturer.{n}": P for n in ("city", "country", "contact")},
    "composition": L,
    "substances": P,
    "recycled_content.total_percent": P,
    "recycled_content.pre_consumer_percent": P,
    "recycled_content.post_consumer_percent": P,
    "recyclability.recyclable_percent": P,
    "recyclability.dismantling": L,
    "repairability.score": P,
    "repairability.scale": P,
    "repairability.spare_parts_years": P,
    "repairability.repair_information": L,
    "durability.expected_lifetime_years": P,
    "durability.warranty_years": P,
    **{
        f"physical.{n}": P for n in ("net_mass_kg", "gross_mass_kg", "volume_m3", "gross_volume_m3")
    },
    **{
        f"carbon_footprint.{name}": P
        for name in (
            "pact_id",
            "declared_unit",
            "declared_unit_amount",
            "product_mass_kg",
            "reference_period_start",
            "reference_period_end",
            "validity_period_end",
            "geography_country",
            "geography_region",
            "total_kg_co2e",
            "including_biogenic_kg_co2e",
            "fossil_ghg_kg_co2e",
            "fossil_carbon_kg",
            "biogenic_carbon_kg",
            "stages",
            "ipcc_characterization_factors",
            "cross_sectoral_standards",
        )
    },
    **{
        f"carbon_footprint.{name}": L
        for name in (
            "primary_data_share_percent",
            "dqi",
            "exempted_emissions_percent",
            "exempted_emissions_description",
            "packaging_emissions_included",
            "boundary",
            "secondary_factor_sources",
            "comment",
            "product_or_sector_rules",
            "pcf_type",
            "waste_incineration_allocation",
            "mass_balancing_used",
            "mass_balancing_scheme",
            "ccs_included",
        )
    },
    "certificates": P,
    "compliance_reports": A,
    "end_of_life.instructions_de": P,
    "end_of_life.instructions_en": P,
    "end_of_life.take_back": P,
    "end_of_life.waste_code": P,
    # Battery section: Art. 77(2) second subparagraph -- (a) Annex XIII point 1 public;
    # (b) points 2 and 3 notified bodies, market surveillance, the Commission; (c) points 2
    # and 4 persons with a legitimate interest. Point 2 and 4 fields are therefore
    # ``legitimate_interest`` (which authorities, ranked above, see too), point 3
    # ``authority``.
    **{
        f"battery.{name}": P  # point 1(a): Annex VI Part A, the general information
        for name in (
            "category",
            "product_identifier",
            "mass_kg",
            "manufacturing_place",
            "manufacturing_date",
            "operator",
        )
    },
    "battery.chemistry": P,  # 1(b)
    "battery.hazardous_substances": P,  # 1(b)
    "battery.carbon_footprint": P,  # 1(c), Art. 7(1) and (2)
    "battery.due_diligence": P,  # 1(d), Art. 52(3)
    "battery.recycled_materials": P,  # 1(e), Art. 8(1)
    "battery.renewable_content_percent": P,  # 1(f)
    "battery.technical": P,  # 1(g)-(p)
    "battery.warranty_months": P,  # 1(m)
    "battery.labels": P,  # 1(q), Art. 13(4)
    "battery.declaration_of_conformity_url": P,  # 1(r), Art. 18
    "battery.waste_information": P,  # 1(s), Art. 60(1)(b)-(f)
    "battery.materials": L,  # 2(a) detailed composition
    "battery.spare_part_sources": L,  # 2(b)
    "battery.dismantling_documents": L,  # 2(c)
    "battery.safety_measures": L,  # 2(d)
    "battery.test_reports_url": A,  # 3
    "battery.status": L,  # 4(c)
    "battery.condition": L,  # 4(a), (b), (d): the individual battery's state of health and use
    "battery.putting_into_service": L,  # the individual battery's date (point 4)
    "notes": OWN,
    "disclosure": OWN,
}


def _model_of(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model in ``annotation`` (``X`` or ``X | None``), else ``None``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        models = [m for m in map(_model_of, typing.get_args(annotation)) if m is not None]
        return models[0] if len(models) == 1 else None
    return None


def disclosure_fields() -> tuple[str, ...]:
    """Every field a disclosure grant can name, derived from :class:`Passport`.

    A section that is a model (``identification``) contributes its fields
    (``identification.gtin``); a list or a plain value is one field (``composition``).
    """
    fields: list[str] = []
    for name, info in Passport.model_fields.items():
        if name in META_FIELDS:
            continue
        section = _model_of(info.annotation)
        if section is None:
            fields.append(name)
        else:
            fields.extend(f"{name}.{sub}" for sub in section.model_fields)
    return tuple(fields)


def _numeric(field: str) -> bool:
    section, _, name = field.partition(".")
    info = Passport.model_fields[section]
    if name:
        model = _model_of(info.annotation)
        assert model is not None
        info = model.model_fields[name]
    args = typing.get_args(info.annotation) or (info.annotation,)
    kinds = {typing.get_origin(a) or a for a in args} - {type(None)}
    return bool(kinds) and all(k is float or k is typing.Annotated for k in kinds)


def check_disclosure(disclosure: Mapping[str, list[Grant]], *, file: str | None = None) -> None:
    """Refuse a policy that names an unknown field or a range for a non-numeric one.

    Raises :class:`~kreislauf.errors.InvalidDisclosure` naming the field.
    """
    known = set(disclosure_fields())
    for field, grants in disclosure.items():
        if field not in known:
            raise InvalidDisclosure(
                file=file,
                field=f"disclosure.{field}",
                value=field,
                expected=", ".join(sorted(known)),
            )
        for grant in grants:
            if grant.form == "range" and not _numeric(field):
                raise InvalidDisclosure(
                    file=file,
                    field=f"disclosure.{field}",
                    value="range",
                    expected="'exact' or 'statement' (a range needs a numeric field)",
                )


def grant_for(passport: Passport, field: str, tier: Tier) -> Grant | None:
    """The grant under which ``tier`` sees ``field``, or ``None`` if it does not see it."""
    if tier is Tier.owner:
        return Grant(tier=Tier.owner)
    grants = passport.disclosure.get(field) or [Grant(tier=DEFAULT_TIERS[field])]
    visible = [g for g in grants if g.tier.rank <= tier.rank]
    return max(visible, key=lambda g: g.tier.rank) if visible else None


def shown_range(value: float, edges: list[float]) -> dict[str, Any]:
    """The interval of ``edges`` that holds ``value``: ``{"low": a, "high": b}``.

    Below the first edge ``low`` is ``None``, above the last ``high`` is ``None``; an edge
    belongs to the interval above it and the last edge to the interval below it.
    """
    if value < edges[0]:
        return {"disclosed_as": "range", "low": None, "high": edges[0]}
    if value > edges[-1]:
        return {"disclosed_as": "range", "low": edges[-1], "high": None}
    for low, high in itertools.pairwise(edges):
        if low <= value < high:
            return {"disclosed_as": "range", "low": low, "high": high}
    return {"disclosed_as": "range", "low": edges[-2], "high": edges[-1]}


@dataclass(frozen=True)
class PassportView:
    """A passport as one tier may see it: the JSON tree with only the disclosed fields.

    data : the passport's JSON form less every field the tier does not see; a field shown
        as a range or statement holds ``{"disclosed_as": "range"|"statement", …}``
    exact : the fields shown with their value
    withheld : the fields the passport has that the tier does not see exactly
    """

    tier: Tier
    data: dict[str, Any]
    exact: frozenset[str]
    withheld: frozenset[str]

    def value(self, field: str) -> Any:
        """The exact value of ``field`` (``section.name`` or a name), or ``None``."""
        if field not in self.exact:
            return None
        section, _, name = field.partition(".")
        node = self.data.get(section)
        if name:
            return node.get(name) if isinstance(node, dict) else None
        return node

    def section(self, name: str) -> dict[str, Any]:
        """The disclosed part of a section (``{}`` if none of it is)."""
        node = self.data.get(name)
        return node if isinstance(node, dict) else {}


def disclose(passport: Passport, tier: Tier) -> PassportView:
    """The passport as ``tier`` may see it (module docstring).

    Raises :class:`~kreislauf.errors.InvalidDisclosure` for a policy that does not fit the
    model (checked before anything is shown).
    """
    check_disclosure(passport.disclosure)
    full = passport.model_dump(mode="json")
    data: dict[str, Any] = {name: full[name] for name in META_FIELDS}
    exact: set[str] = set()
    withheld: set[str] = set()
    for field in disclosure_fields():
        section, _, name = field.partition(".")
        container = full.get(section) if name else full
        key = name or section
        if not isinstance(container, dict) or container.get(key) is None:
            continue
        grant = grant_for(passport, field, tier)
        if grant is None or grant.form != "exact":
            withheld.add(field)
        if grant is None:
            continue
        value = container[key]
        if grant.form == "range":
            assert grant.edges is not None
            value = shown_range(float(value), grant.edges)
        elif grant.form == "statement":
            value = {"disclosed_as": "statement", "text": grant.statement}
        else:
            exact.add(field)
        if name:
            data.setdefault(section, {})[name] = value
        else:
            data[section] = value
    data["disclosed_for"] = tier.value
    return PassportView(tier=tier, data=data, exact=frozenset(exact), withheld=frozenset(withheld))
