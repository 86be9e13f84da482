"""The passport fields each exchange format has a place for (the formats test uses them)."""

from __future__ import annotations

PACT_FIELDS = frozenset(
    {
        "identification.gtin",
        "identification.urns",
        "identification.product_name",
        "identification.description",
        "identification.classifications",
        "manufacturer.name",
        "manufacturer.company_ids",
        *(
            f"carbon_footprint.{name}"
            for name in (
                "pact_id",
                "declared_unit",
                "declared_unit_amount",
                "product_mass_kg",
                "reference_period_start",
                "reference_period_end",
                "validity_period_end",
                "geography_country",
                "total_kg_co2e",
                "including_biogenic_kg_co2e",
                "fossil_ghg_kg_co2e",
                "fossil_carbon_kg",
                "biogenic_carbon_kg",
                "primary_data_share_percent",
                "dqi",
                "ipcc_characterization_factors",
                "cross_sectoral_standards",
                "exempted_emissions_percent",
                "exempted_emissions_description",
                "packaging_emissions_included",
                "boundary",
                "secondary_factor_sources",
                "comment",
            )
        ),
    }
)

#: PACT v2.3 carries PACT's fields; ``dqi`` only with the three ratings v3.0 dropped
#: (coverage, completeness, reliability; :mod:`.pact`).
PACT_V2_FIELDS = PACT_FIELDS

#: The passport fields a Catena-X PCF 9.0.0 aspect has a place for (:mod:`.catenax`):
#: PACT's fields and the methodology fields Catena-X adds.
CATENAX_FIELDS = PACT_FIELDS | frozenset(
    {
        "carbon_footprint.geography_region",
        "carbon_footprint.product_or_sector_rules",
        "carbon_footprint.pcf_type",
        "carbon_footprint.waste_incineration_allocation",
        "carbon_footprint.mass_balancing_used",
        "carbon_footprint.mass_balancing_scheme",
        "carbon_footprint.ccs_included",
    }
)

#: The passport fields a Catena-X DPP 7.0.0 aspect has a place for (:mod:`.catenax_dpp`).
CATENAX_DPP_FIELDS = frozenset(
    {
        *(
            f"identification.{n}"
            for n in ("gtin", "serial", "batch", "product_name", "urns", "classifications")
        ),
        *(
            f"manufacturer.{n}"
            for n in ("name", "company_ids", "street", "house_number", "postcode", "city")
        ),
        "manufacturer.country",
        "manufacturer.contact",
        "composition",
        "substances",
        "repairability.score",
        "repairability.scale",
        "durability.expected_lifetime_years",
        "durability.warranty_years",
        *(
            f"physical.{n}"
            for n in ("net_mass_kg", "gross_mass_kg", "volume_m3", "gross_volume_m3")
        ),
        "carbon_footprint.declared_unit",
        "carbon_footprint.declared_unit_amount",
        "carbon_footprint.total_kg_co2e",
        "carbon_footprint.fossil_ghg_kg_co2e",
        "carbon_footprint.product_or_sector_rules",
    }
)
