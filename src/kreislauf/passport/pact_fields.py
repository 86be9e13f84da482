"""The passport fields a PACT footprint (v3.0 and v2.3) has a place for (:mod:`.pact`)."""

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
