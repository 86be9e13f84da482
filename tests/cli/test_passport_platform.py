"""``kreislauf passport publish --database`` stores a passport on the platform, and
``kreislauf passport verify FILE --key URL`` checks the signed file a real ``kreislauf
serve`` hands out against the JWK Set that server publishes."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pytest

from kreislauf.cli import main
from kreislauf.store import account as account_store
from kreislauf.store import make_engine, make_sessionmaker, upgrade
from tests.passport.passport_fixtures import demo_passport
from tests.web.servers import running_server


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(args)
    captured = capsys.readouterr()
    code = info.value.code
    return (code if isinstance(code, int) else 0), captured.out, captured.err


def test_publish_then_verify_against_the_servers_key_set(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'k.db'}"
    upgrade(url)
    engine = make_engine(url)
    with make_sessionmaker(engine).begin() as session:
        user = account_store.create_user(
            session, email="o@example.org", name="O", password="x" * 12
        )
        account_store.create_organisation(
            session, owner=user, slug="acme", name="Acme", kind="company"
        )
    engine.dispose()
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
