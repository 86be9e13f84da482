"""The measure taxonomy and the ``code`` field of the carbon module's measures."""

from pathlib import Path

import pytest

from kreislauf.advice import taxonomy, taxonomy_codes
from kreislauf.carbon.measures import read_measures
from kreislauf.errors import InvalidMeasure

DEMO = Path(__file__).parents[2] / "examples" / "demo-company" / "carbon" / "measures.yaml"


def test_taxonomy_has_about_twenty_codes_mapped_to_eew_agvo_vdi():
    codes = taxonomy().codes
    assert 18 <= len(codes) <= 25
    assert {"scrap_reduction", "recyclate", "heat_recovery", "compressed_air_leaks"} <= set(codes)
    assert {"servo_drives", "own_pv", "process_change"} <= set(codes)
    assert codes["heat_recovery"].eew == ["m1", "m4"]
    assert codes["recyclate"].agvo == [47]
    assert "closed_loops" in codes["recyclate"].vdi4800
    for code in codes.values():
        assert code.name["de"] and code.name["en"]
        assert set(code.eew) <= {"m1", "m2", "m3", "m4", "m5", "m6"}


def test_demo_measures_carry_codes():
    assert [m.code for m in read_measures(DEMO)] == [
        "scrap_reduction",
        "recyclate",
        "heat_recovery",
        "own_pv",
        "servo_drives",
    ]


def test_unknown_code_is_a_located_error(tmp_path):
    path = tmp_path / "m.yaml"
    path.write_text(
        "measures:\n  - id: A\n    kind: own_pv\n    centre: X\n    mwh: 1\n"
        "    investment_eur: 1\n    lifetime_years: 5\n    code: solar_roof\n",
        encoding="utf-8",
    )
    with pytest.raises(InvalidMeasure, match=r"measures\[0\]\.code.*solar_roof.*own_pv"):
        read_measures(path)


def test_code_column_in_csv(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text(
        "id,kind,centre,mwh,investment_eur,lifetime_years,code\n"
        "A,own_pv,X,1,1,5,own_pv\nB,own_pv,X,1,1,5,\nC,own_pv,X,1,1,5,pv\n",
        encoding="utf-8",
    )
    with pytest.raises(InvalidMeasure, match=r"row 4.*code.*'pv'"):
        read_measures(path)
    assert taxonomy_codes() == tuple(sorted(taxonomy().codes))


def test_every_vdi_strategy_says_how_far_its_name_is_checked():
    from kreislauf.advice.taxonomy import Taxonomy

    shipped = taxonomy()
    used = {name for code in shipped.codes.values() for name in code.vdi4800}
    assert used == set(shipped.strategies)
    by_state = {
        state: {k for k, v in shipped.strategies.items() if v.checked == state}
        for state in ("found", "mentioned", "not_found")
    }
    # found on the VDI ZRE catalogue's pages (2026-12-01/02), each with its page
    assert by_state["found"] == {
        "optimised_material_choice",
        "lightweight_design",
        "lifetime_extension",
    }
    assert by_state["mentioned"] == {"reuse"}
    for name in by_state["found"] | by_state["mentioned"]:
        assert shipped.strategies[name].url.startswith(
            "https://www.ressource-deutschland.de/instrumente/strategien-und-massnahmen/"
        )
    assert len(by_state["not_found"]) == 10
    # a code naming a strategy that is not listed is refused
    data = shipped.model_dump()
    data["codes"]["scrap_reduction"]["vdi4800"] = ["invented"]
    with pytest.raises(ValueError, match="unknown strategy 'invented'"):
        Taxonomy.model_validate(data)
