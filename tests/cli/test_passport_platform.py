"""``kreislauf passport publish --database`` stores a passport on the platform, and
``kreislauf passport verify FILE --key URL`` checks the signed file a real ``kreislauf
serve`` hands out against the JWK Set that server publishes."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pytest

from tests.cli.test_passport import run
from tests.passport.passport_fixtures import demo_passport
from tests.web.servers import company_database, running_server


def test_publish_then_verify_against_the_servers_key_set(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'k.db'}"
    company_database(url, slug="acme", name="Acme")
    passport = demo_passport()
    source = tmp_path / "tm-200.json"
    source.write_text(passport.model_dump_json(), encoding="utf-8")
    publish = ["passport", "publish", str(source), "--org", "acme", "--database", url]
    code, out, err = run([*publish, "--lang", "en"], capsys)
    assert code == 0, err
    assert f"passport {passport.id} stored as version 1" in out and "footprint" in out
    changed = tmp_path / "tm-200-v2.json"
    changed.write_text(passport.model_copy(update={"notes": "v2"}).model_dump_json(), "utf-8")
    code, out, err = run([*publish[:2], str(changed), *publish[3:], "--lang", "en"], capsys)
    assert code == 0 and "version 2" in out, err
    assert "published already" in " ".join(err.split())  # the PACT footprint id stays
    with running_server(url, tmp_path) as base:
        with urllib.request.urlopen(f"{base}/p/{passport.id}/passport.json", timeout=10) as r:
            signed = tmp_path / "signed.json"
            signed.write_bytes(r.read())
        with urllib.request.urlopen(f"{base}/p/{passport.id}?lang=en", timeout=10) as r:
            assert "Türmodul-Träger TM-200" in r.read().decode()
        key = f"{base}/.well-known/jwks.json"
        code, out, err = run(
            ["passport", "verify", str(signed), "--key", key, "--lang", "en"], capsys
        )
        assert code == 0 and "signature valid" in out, err
        document = json.loads(signed.read_text(encoding="utf-8"))
        document["passport"]["manufacturer"]["name"] = "Someone Else GmbH"
        signed.write_text(json.dumps(document), encoding="utf-8")
        code, out, err = run(
            ["passport", "verify", str(signed), "--key", key, "--lang", "en"], capsys
        )
        assert code == 2 and "manufacturer.name" in err
