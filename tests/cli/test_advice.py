"""``kreislauf advice funding`` on the demo company (acceptance of issue 20)."""

import json
from pathlib import Path

import pytest

from kreislauf.cli import main

DEMO = Path(__file__).parents[2] / "examples" / "demo-company"
ARGS = [
    "advice",
    "funding",
    "--company",
    str(DEMO / "advice" / "company.yaml"),
    "--measures",
    str(DEMO / "carbon" / "measures.yaml"),
    "--ledger",
    str(DEMO / "ledger.csv"),
    "--factors",
    str(DEMO / "carbon" / "product-factors.csv"),
    "--today",
    "2026-12-01",
    "--lang",
    "en",
]


def run(tmp_path: Path, *extra: str) -> dict:
    out = tmp_path / "funding.json"
    with pytest.raises(SystemExit) as done:
        main([*ARGS, *extra, "--json", str(out)])
    assert done.value.code in (0, None)
    return json.loads(out.read_text(encoding="utf-8"))


def test_demo_measures_get_a_status_per_shipped_programme(tmp_path):
    data = run(tmp_path)
    assert data["size_class"] == "medium"  # 85 AWU, EUR 14.5 m turnover
    pairs = {(r["measure"], r["programme"]) for r in data["results"]}
    assert len(pairs) == 5 * 14 == len(data["results"])
    for r in data["results"]:
        assert r["status"] in ("eligible", "not_eligible", "missing_data")
        assert r["reasons"]
        assert set(r) >= {
            "measure",
            "programme",
            "status",
            "reasons",
            "missing",
            "estimated_grant_eur",
        }
    by = {(r["measure"], r["programme"]): r for r in data["results"]}
    # M5 servo-hydraulics, EUR 180,000, 20 % of the centre's electricity: module 4 basis at
    # the medium rate 10 % -> EUR 18,000 (hand computation)
    basis = by[("M5", "eew-m4-basis")]
    assert basis["status"] == "eligible"
    assert basis["estimated_grant_eur"] == pytest.approx(18_000)
    assert basis["npv_with_grant_eur"] == pytest.approx(basis["npv_eur"] + 18_000)
    # the premium track needs 30 % GHG; M5 saves 20 % of its centre's emissions
    premium = by[("M5", "eew-m4-premium")]
    assert premium["status"] == "not_eligible"
    assert any("20.0%" in reason and "30%" in reason for reason in premium["reasons"])
    # M2 has no saving concept answer: the competition asks for it
    assert by[("M2", "eew-competition")]["status"] == "missing_data"
    assert "saving concept" in by[("M2", "eew-competition")]["next_question"]
    # M4 (own PV) is not an EEW measure
    assert by[("M4", "eew-m4-premium")]["status"] == "not_eligible"
    # rows not checked against their guideline say so in every result
    competition = by[("M5", "eew-competition")]
    assert competition["checked_against"] == "official_page"
    assert competition["warnings"][0].startswith("UNCHECKED")
    saxony = by[("M5", "sn-frl-euk-m2")]
    assert saxony["checked_against"] == "guideline_unamended"  # text before 02.12.2024
    assert saxony["warnings"][0].startswith("UNCHECKED")
    # M5 saves 20 % final energy: the step of FRL EuK module 2 is "up to 60 %", no estimate
    assert saxony["status"] == "eligible" and saxony["estimated_grant_eur"] is None
    assert any("up to 60%" in reason for reason in saxony["reasons"])


def test_the_table_marks_unchecked_rows(tmp_path, capsys, monkeypatch):
    from kreislauf.cli.common import console

    monkeypatch.setattr(console, "width", 250)  # the console reads COLUMNS at import
    run(tmp_path)
    printed = capsys.readouterr().out
    assert "(UNCHECKED) Saxony: FRL Kreislaufwirtschaft (SAB), 2.1 a)" in printed
    assert "(UNCHECKED) EEW module 4" not in printed
    assert "(UNCHECKED) Saxony: FRL Energie und Klima/2023" in printed  # amendment not read


def test_the_next_questions_follow_the_table_once_per_measure(tmp_path, capsys):
    run(tmp_path)
    printed = capsys.readouterr().out
    questions = printed[printed.index("Open questions") :]
    assert "M2 (eew-competition): Is there a saving concept" in questions
    lines = [line for line in questions.splitlines() if line.startswith("  ")]
    assert len(lines) == len(set(lines))


def test_a_smaller_company_gets_the_small_rate(tmp_path):
    company = tmp_path / "small.yaml"
    text = (DEMO / "advice" / "company.yaml").read_text(encoding="utf-8")
    company.write_text(text.replace("employees: 85", "employees: 45"), encoding="utf-8")
    args = list(ARGS)
    args[args.index("--company") + 1] = str(company)
    out = tmp_path / "f.json"
    with pytest.raises(SystemExit):
        main([*args, "--json", str(out)])
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["size_class"] == "small"
    basis = next(
        r for r in data["results"] if (r["measure"], r["programme"]) == ("M5", "eew-m4-basis")
    )
    assert basis["estimated_grant_eur"] == pytest.approx(0.15 * 180_000)  # 27,000


def test_network_rule_file_replaces_the_shipped_table(tmp_path):
    data = run(tmp_path, "--rules", str(DEMO / "advice" / "network-rules.yaml"))
    assert data["rules_source"] == "network-rules.yaml"
    assert {r["programme"] for r in data["results"]} == {"netzwerk-effizienz"}
    by = {r["measure"]: r for r in data["results"]}
    # M5: 30 % (medium) × 180,000 = 54,000 > cap 50,000 -> 50,000, the cap binds
    assert by["M5"]["estimated_grant_eur"] == pytest.approx(50_000)
    assert by["M5"]["binding"] == "cap_eur"
    # M3 heat recovery: 30 % × 35,000 = 10,500, final energy 9.2 % >= 5 %
    assert by["M3"]["estimated_grant_eur"] == pytest.approx(10_500)
    assert by["M1"]["status"] == "not_eligible"  # scrap reduction is not in this table
    assert by["M5"]["consultants"][0]["url"] == "https://example.org/netzwerk/berater"


def test_network_rule_file_can_extend(tmp_path):
    own = tmp_path / "extend.yaml"
    text = (DEMO / "advice" / "network-rules.yaml").read_text(encoding="utf-8")
    own.write_text(text.replace("mode: replace", "mode: extend"), encoding="utf-8")
    data = run(tmp_path, "--rules", str(own))
    assert len({r["programme"] for r in data["results"]}) == 15
    assert "+" in data["rules_version"]


def test_bad_rule_file_is_a_located_error(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    text = (DEMO / "advice" / "network-rules.yaml").read_text(encoding="utf-8")
    bad.write_text(
        text.replace("[servo_drives, heat_recovery]", "[servo_drives, solar]"), encoding="utf-8"
    )
    with pytest.raises(SystemExit) as done:
        main([*ARGS, "--rules", str(bad)])
    assert done.value.code == 2
    err = capsys.readouterr().err
    assert "bad.yaml" in err and "measure_codes[1]" in err and "solar" in err


def test_bad_company_field_is_a_located_error(tmp_path, capsys):
    bad = tmp_path / "c.yaml"
    bad.write_text("employees: many\n", encoding="utf-8")
    args = list(ARGS)
    args[args.index("--company") + 1] = str(bad)
    with pytest.raises(SystemExit) as done:
        main(args)
    assert done.value.code == 2
    err = capsys.readouterr().err
    assert "c.yaml" in err and "employees" in err and "many" in err


def test_without_ledger_savings_are_missing(tmp_path):
    args = [a for a in ARGS]
    i = args.index("--ledger")
    del args[i : i + 2]
    out = tmp_path / "f.json"
    with pytest.raises(SystemExit):
        main([*args, "--json", str(out)])
    data = json.loads(out.read_text(encoding="utf-8"))
    premium = next(
        r for r in data["results"] if (r["measure"], r["programme"]) == ("M3", "eew-m4-premium")
    )
    assert premium["status"] == "missing_data"
    assert premium["missing"] == ["co2e_t", "payback_years"]


def test_fdb_import_and_diff(tmp_path, capsys):
    import zipfile

    sample = Path(__file__).parents[1] / "advice" / "data" / "fdb-sample"

    def zipped(folder: Path) -> Path:
        target = tmp_path / f"{folder.name}.zip"
        with zipfile.ZipFile(target, "w") as archive:
            for xml in sorted(folder.glob("*.xml")):
                archive.write(xml, xml.name)
        return target

    old, new = zipped(sample / "2026-11-24"), zipped(sample / "2026-12-01")
    history = tmp_path / "h"
    for export, day in ((old, "2026-11-24"), (new, "2026-12-01")):
        with pytest.raises(SystemExit) as done:
            main(
                [
                    "advice",
                    "fdb-import",
                    str(export),
                    "--history",
                    str(history),
                    "--today",
                    day,
                    "--lang",
                    "en",
                    "--json",
                    str(tmp_path / f"{day}.json"),
                ]
            )
        assert done.value.code in (0, None)
    changes = json.loads((tmp_path / "2026-12-01.json").read_text(encoding="utf-8"))
    assert changes["added"] == ["neu-1"] and changes["removed"] == ["alt-1"]
    assert changes["changed"][0]["fields"] == ["foerderbereich", "kurztext"]
    capsys.readouterr()
    with pytest.raises(SystemExit):
        main(["advice", "fdb-diff", str(old), str(new), "--lang", "en"])
    out = capsys.readouterr().out
    assert "1 added, 1 removed, 1 changed" in out and "CC BY-ND 4.0" in out


def test_fdb_search_prints_titles_and_categories(tmp_path, capsys, monkeypatch):
    import zipfile

    from kreislauf.cli.common import console

    monkeypatch.setattr(console, "width", 250)  # one line per hit (the console reads COLUMNS)
    tree = Path(__file__).parents[1] / "advice" / "data" / "fdb-bmwi-tree"
    export = tmp_path / "tree.zip"
    with zipfile.ZipFile(export, "w") as archive:
        for xml in sorted(tree.rglob("*.xml")):
            archive.write(xml, xml.relative_to(tree).as_posix())
    with pytest.raises(SystemExit) as done:
        main(["advice", "fdb-search", str(export), "platzhalter", "--lang", "en"])
    assert done.value.code in (0, None)
    out = capsys.readouterr().out
    assert "Bund/BMWE/platzhalter: Platzhalterprogramm Bund" in out
    assert "  Foerderart: zuschuss; Foerderberechtigte: unternehmen, kmu" in out
    assert "CC BY-ND 4.0" in out


def test_selfcheck_cli(tmp_path):
    leipzig = Path(__file__).parents[2] / "examples" / "leipzig-survey"
    out = tmp_path / "sc.json"
    with pytest.raises(SystemExit) as done:
        main(
            [
                "advice",
                "selfcheck",
                "-q",
                str(leipzig / "questionnaire.yaml"),
                "-r",
                str(leipzig / "responses.csv"),
                "-a",
                str(leipzig / "company-answers.yaml"),
                "--lang",
                "en",
                "--json",
                str(out),
            ]
        )
    assert done.value.code in (0, None)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["n_peers"] == 25
    assert len(data["items"]) == 7
    assert {s["code"] for s in data["suggestions"]} >= {"scrap_reduction", "transformation_plan"}
