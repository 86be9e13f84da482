"""``kreislauf passport …`` through the real entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kreislauf.cli import main
from kreislauf.cli.passport import FORMAT_NAMES, TIER_NAMES
from tests.passport.passport_fixtures import EXAMPLE

DEMO = EXAMPLE / "passport" / "tm-200.yaml"
#: the synthetic battery module (tests/passport/data/batterypass-1.2/SOURCE.md)
BATTERY = Path(__file__).parents[1] / "passport" / "data" / "battery-module.yaml"
PCF_FILES = [
    "--bom", str(EXAMPLE / "carbon" / "bom.csv"),
    "--ledger", str(EXAMPLE / "ledger.csv"),
    "--factors", str(EXAMPLE / "carbon" / "product-factors.csv"),
]  # fmt: skip


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(args)
    captured = capsys.readouterr()
    code = info.value.code
    return (code if isinstance(code, int) else 0), captured.out, captured.err


@pytest.fixture
def built(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    out = tmp_path / "tm-200.json"
    code, _, err = run(["passport", "build", str(DEMO), *PCF_FILES, "--out", str(out)], capsys)
    assert code == 0, err
    return out


def test_the_format_names_are_the_domain_formats() -> None:
    from kreislauf.passport import Tier
    from kreislauf.passport.formats import FORMATS

    assert tuple(FORMATS) == FORMAT_NAMES
    assert tuple(t.value for t in Tier) == TIER_NAMES


def test_build_validate_and_versions(
    built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    passport = json.loads(built.read_text(encoding="utf-8"))
    assert passport["carbon_footprint"]["declared_unit"] == "piece"
    code, out, _ = run(["passport", "validate", str(built), "--lang", "en"], capsys)
    assert code == 0 and f"valid passport {passport['id']}, version 1" in out
    archive = tmp_path / "archive"
    for _ in range(2):
        run(["passport", "build", str(DEMO), *PCF_FILES, "--archive", str(archive)], capsys)
    changed = tmp_path / "changed.yaml"
    changed.write_text(
        DEMO.read_text(encoding="utf-8").replace("warranty_years: 2", "warranty_years: 3"),
        encoding="utf-8",
    )
    code, _, err = run(
        ["passport", "build", str(changed), *PCF_FILES, "--archive", str(archive), "--lang", "en"],
        capsys,
    )
    assert code == 0 and "version 2" in err
    versions = sorted(p.name for p in (archive / passport["id"]).iterdir())
    assert versions == ["v0001.json", "v0002.json"]


@pytest.mark.parametrize("form", FORMAT_NAMES)
def test_export_every_format(
    form: str, built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / f"export.{form}"
    source = BATTERY if form == "batterypass" else built  # TM-200 is no battery
    code, _, err = run(
        ["passport", "export", str(source), "--format", form, "--tier", "legitimate_interest",
         "--out", str(out)],
        capsys,
    )  # fmt: skip
    assert code == 0, err
    data = out.read_bytes()
    if form == "aasx":
        assert data[:2] == b"PK"
    elif form == "html":
        assert data.lstrip().lower().startswith(b"<!doctype html>")
    else:
        assert json.loads(data)
    assert b"Internal - PP-GF30 supplier" not in data  # the owner's note


def test_export_for_a_tier_that_sees_too_little_writes_nothing(
    built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "pact.json"
    code, _, err = run(
        [
            "passport",
            "export",
            str(built),
            "--format",
            "pact-v3",
            "--out",
            str(out),
            "--lang",
            "en",
        ],
        capsys,
    )
    assert code == 2 and "tier 'public' does not see" in err
    assert not out.exists()


def test_sign_and_verify(built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    key = tmp_path / "org.jwk"
    code, out, _ = run(["passport", "keygen", "--out", str(key)], capsys)
    public = tmp_path / "org.pub.jwk"
    public.write_text(out, encoding="utf-8")
    assert code == 0 and "d" not in json.loads(out) and key.stat().st_mode & 0o077 == 0
    signed = tmp_path / "signed.json"
    code, _, err = run(
        ["passport", "export", str(built), "--sign", str(key), "--out", str(signed)], capsys
    )
    assert code == 0, err
    code, out, _ = run(
        ["passport", "verify", str(signed), "--key", str(public), "--lang", "en"], capsys
    )
    assert code == 0 and "signature valid" in out
    text = signed.read_text(encoding="utf-8")
    signed.write_text(text.replace("Leipzig", "Leipzjg", 1), encoding="utf-8")
    code, _, err = run(
        ["passport", "verify", str(signed), "--key", str(public), "--lang", "en"], capsys
    )
    assert code == 2 and "changed: manufacturer.address" in err


def test_import_each_kind(built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = Path(__file__).parents[1] / "passport" / "data"
    aas = tmp_path / "p.aasx"
    run(
        [
            "passport",
            "export",
            str(built),
            "--format",
            "aasx",
            "--tier",
            "owner",
            "--out",
            str(aas),
        ],
        capsys,
    )
    for source in (
        data / "pact-v3-steel.json",
        data / "pact-v2-granulate.json",
        data / "catenax-pcf-9.0.0" / "Pcf.json",
        aas,
    ):
        out = tmp_path / f"{source.stem}.passport.json"
        code, _, err = run(["passport", "import", str(source), "--out", str(out)], capsys)
        assert code == 0, err
        code, _, err = run(["passport", "validate", str(out)], capsys)
        assert code == 0, err


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('gtin: "4012345000016"', 'gtin: "4012345000017"', "field 'identification.gtin'"),
        ("warranty_years: 2", "warranty_years: -2", "field 'durability.warranty_years'"),
        ("country: DE", "country: Germany", "field 'manufacturer.country'"),
    ],
)
def test_bad_input_is_located_and_nothing_is_written(
    old: str, new: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(DEMO.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    out = tmp_path / "out.json"
    archive = tmp_path / "archive"
    code, _, err = run(
        ["passport", "build", str(bad), *PCF_FILES, "--out", str(out), "--archive", str(archive),
         "--lang", "en"],
        capsys,
    )  # fmt: skip
    assert code == 2 and f"bad.yaml, {message}" in err and "Traceback" not in err
    assert not out.exists() and not archive.exists()


def test_an_unknown_unit_is_located(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = {
        "identification": {"gtin": "4006381333931", "product_name": "X", "description": "Y"},
        "manufacturer": {"name": "M", "company_ids": ["urn:pact:m.example:company-id:1"]},
        "composition": [{"name": "Steel", "mass": "2 pfund"}],
    }
    path = tmp_path / "p.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    code, _, err = run(["passport", "validate", str(path), "--lang", "en"], capsys)
    assert code == 2 and "p.json, field 'composition.0.mass': '2 pfund' is not a known unit" in err


def test_the_schema_command_writes_the_published_schema(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "schema.json"
    assert run(["passport", "schema", "--out", str(out)], capsys)[0] == 0
    published = Path(__file__).parents[2] / "docs" / "passport.schema.json"
    assert out.read_text(encoding="utf-8") == published.read_text(encoding="utf-8")


def test_pact_client_create_and_publish(
    built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from kreislauf.store import make_engine, make_sessionmaker
    from kreislauf.store import passport as passport_store
    from tests.web.servers import company_database

    url = f"sqlite:///{tmp_path / 'k.db'}"
    company_database(url, slug="acme", name="Acme")
    factory = make_sessionmaker(make_engine(url))
    code, out, err = run(
        ["passport", "pact-client", "create", "--org", "acme", "--name", "OEM", "--database", url],
        capsys,
    )
    assert code == 0, err
    credentials = json.loads(out)
    assert set(credentials) == {"client_id", "client_secret"}
    code, _, err = run(
        ["passport", "publish", str(built), "--org", "acme", "--database", url], capsys
    )
    assert code == 0, err
    with factory() as session:
        client = passport_store.authenticate_pact_client(
            session, client_id=credentials["client_id"], secret=credentials["client_secret"]
        )
        assert client is not None and client.name == "OEM"
        [document] = passport_store.published_footprints(
            session, organisation_id=client.organisation_id
        )
    assert (
        document["specVersion"] == "3.0.0"
        and document["pcf"]["declaredUnitOfMeasurement"] == "piece"
    )
    again = ["passport", "publish", str(built), "--org", "acme", "--database", url, "--lang", "en"]
    code, _, err = run(again, capsys)
    assert code == 2 and "already taken" in err  # a footprint id is published once
    code, _, err = run(
        ["passport", "pact-client", "create", "--org", "nobody", "--name", "X", "--database", url],
        capsys,
    )
    assert code != 0 and "nobody" in err


def test_qr_code_file(built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import io

    import zxingcpp
    from PIL import Image

    out = tmp_path / "qr.png"
    code, stdout, err = run(
        ["passport", "qr", str(built), "--base", "https://id.example.com", "--out", str(out)],
        capsys,
    )
    assert code == 0, err
    (decoded,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(out.read_bytes())).convert("L"))
    assert decoded.text == "https://id.example.com/01/04012345000016"
    assert decoded.text in stdout.replace("\n", "")


@pytest.mark.parametrize(("lang", "word"), [("de", "Hersteller"), ("en", "Manufacturer")])
def test_the_html_export_speaks_lang(
    lang: str, word: str, built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "passport.html"
    code, _, err = run(
        ["passport", "export", str(built), "--format", "html", "--lang", lang, "--out", str(out)],
        capsys,
    )
    assert code == 0, err
    assert word in out.read_text(encoding="utf-8")


def test_a_catenax_dpp_export_is_imported_again(
    built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dpp = tmp_path / "dpp.json"
    code, _, err = run(
        ["passport", "export", str(built), "--format", "catenax-dpp", "--out", str(dpp)], capsys
    )
    assert code == 0, err
    again = tmp_path / "again.json"
    code, _, err = run(
        ["passport", "import", str(dpp), "--out", str(again), "--lang", "en"], capsys
    )
    assert code == 0 and "catenax-dpp" in err, err
    original = json.loads(built.read_text(encoding="utf-8"))
    imported = json.loads(again.read_text(encoding="utf-8"))
    assert imported["id"] == original["id"]
    assert imported["physical"] == original["physical"]
    assert imported["manufacturer"]["city"] == original["manufacturer"]["city"]


def test_a_bad_catenax_dpp_is_located(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    example = Path(__file__).parents[1] / "passport" / "data" / "catenax-dpp-7.0.0"
    document = json.loads((example / "DigitalProductPassport.json").read_text(encoding="utf-8"))
    document["characteristics"]["physicalDimension"]["weight"]["unit"] = "unit:stone"
    bad = tmp_path / "bad-dpp.json"
    bad.write_text(json.dumps(document), encoding="utf-8")
    out = tmp_path / "never.json"
    code, _, err = run(["passport", "import", str(bad), "--out", str(out), "--lang", "en"], capsys)
    assert code == 2
    assert "bad-dpp.json" in err and "physicalDimension.weight" in err and "unit:stone" in err
    assert not out.exists()


def test_a_battery_pass_export_is_imported_again(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exported = tmp_path / "bm-48.batterypass.json"
    code, _, err = run(
        ["passport", "export", str(BATTERY), "--format", "batterypass", "--tier", "owner",
         "--out", str(exported)],
        capsys,
    )  # fmt: skip
    assert code == 0, err
    assert len(json.loads(exported.read_text(encoding="utf-8"))) == 7  # all seven aspects
    again = tmp_path / "again.json"
    code, _, err = run(
        ["passport", "import", str(exported), "--out", str(again), "--lang", "en"], capsys
    )
    assert code == 0 and "batterypass" in err, err
    imported = json.loads(again.read_text(encoding="utf-8"))
    assert imported["battery"]["technical"]["rated_capacity_ah"] == 100
    assert imported["battery"]["category"] == "stationary"


def test_a_bad_battery_pass_is_located(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    exported = tmp_path / "bm-48.batterypass.json"
    run(
        ["passport", "export", str(BATTERY), "--format", "batterypass", "--tier", "owner",
         "--out", str(exported)],
        capsys,
    )  # fmt: skip
    document = json.loads(exported.read_text(encoding="utf-8"))
    gpi = "urn:samm:io.BatteryPass.GeneralProductInformation:1.2.0#GeneralProductInformation"
    document[gpi]["batteryMass"] = -4
    bad = tmp_path / "bad-battery.json"
    bad.write_text(json.dumps(document), encoding="utf-8")
    out = tmp_path / "never.json"
    code, _, err = run(["passport", "import", str(bad), "--out", str(out), "--lang", "en"], capsys)
    assert code == 2
    assert "bad-battery.json" in err and "GeneralProductInformation.batteryMass" in err
    assert "greater than or equal to 0" in err and not out.exists()


def test_a_product_without_battery_has_no_battery_pass(
    built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "never.json"
    code, _, err = run(
        ["passport", "export", str(built), "--format", "batterypass", "--tier", "owner",
         "--out", str(out), "--lang", "en"],
        capsys,
    )  # fmt: skip
    assert code == 2 and "battery.category" in err and "battery section" in err
    assert not out.exists()


def test_a_battery_pass_in_utf16_is_imported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The consortium publishes its payloads in UTF-16 with a byte-order mark."""
    exported = tmp_path / "bm-48.json"
    run(
        ["passport", "export", str(BATTERY), "--format", "batterypass", "--tier", "owner",
         "--out", str(exported)],
        capsys,
    )  # fmt: skip
    utf16 = tmp_path / "bm-48-utf16.json"
    utf16.write_bytes(exported.read_text(encoding="utf-8").encode("utf-16"))
    assert utf16.read_bytes()[:2] == b"\xff\xfe"
    again = tmp_path / "again.json"
    code, _, err = run(["passport", "import", str(utf16), "--out", str(again)], capsys)
    assert code == 0, err
    assert json.loads(again.read_text(encoding="utf-8"))["battery"]["mass_kg"] == 42.5
