"""Passports filled from the demo company's BOM and PCF rollup (kreislauf.carbon.pcf)."""

from __future__ import annotations

import pytest

from kreislauf.passport import material_masses
from tests.passport.passport_fixtures import PRODUCT, demo_passport, demo_pcf


def test_material_masses_add_up_to_the_product_mass() -> None:
    bom, pcf = demo_pcf()
    masses = material_masses(bom, PRODUCT, product_mass_kg=pcf.mass_kg)
    assert sum(masses.values()) == pytest.approx(pcf.mass_kg, rel=1e-12)
    # the housing G-12 (0.30 kg) is made of 0.322 kg granulate and 6 g masterbatch: its
    # net mass is split in proportion to the inputs (scrap is not content)
    assert masses["PP-GF30 Granulat"] == pytest.approx(0.30 * 0.322 / 0.328, rel=1e-12)
    assert masses["Masterbatch schwarz"] == pytest.approx(0.30 * 0.006 / 0.328, rel=1e-12)
    # two brackets of 0.36 kg from 0.455 kg strip and 1.2 g punching oil each
    assert masses["Stahlband DC04"] == pytest.approx(0.72 * 0.455 / 0.4562, rel=1e-12)
    assert masses["Kartonage"] == pytest.approx(0.021, rel=1e-12)


def test_the_passport_carries_the_pcf_and_the_recycled_content() -> None:
    _, pcf = demo_pcf()
    passport = demo_passport()
    cf = passport.carbon_footprint
    assert cf is not None
    assert cf.total_kg_co2e == pcf.total_kg
    assert {s.stage: s.kg_co2e for s in cf.stages} == pcf.stages
    assert cf.primary_data_share_percent == pytest.approx(100 * pcf.primary_share, rel=1e-12)
    assert cf.declared_unit == "piece" and cf.product_mass_kg == pcf.mass_kg
    assert cf.reference_period_start.year == 2024  # from the file
    shares = dict(zip(pcf.components["item"], pcf.components["recycled_share"], strict=True))
    expected = sum(m.mass_kg * shares[m.name] for m in passport.composition) / pcf.mass_kg
    assert passport.recycled_content is not None
    assert passport.recycled_content.total_percent == pytest.approx(100 * expected, rel=1e-12)
    assert passport.recycled_content.post_consumer_percent == 10.0  # kept from the file
    assert 15 < passport.recycled_content.total_percent < 30
