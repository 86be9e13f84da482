"""Signed passports (JWS, Ed25519): verify, and name the field one changed byte hits."""

from __future__ import annotations

import base64
import json

import pytest

from kreislauf.errors import SignatureInvalid
from kreislauf.passport import Tier, disclose
from kreislauf.passport.signing import (
    generate_key,
    import_jwk,
    private_jwk,
    public_jwk,
    sign,
    signed_bytes,
    verify,
)
from tests.passport.passport_fixtures import demo_passport

KEY = generate_key()
PUBLIC = import_jwk(json.dumps(public_jwk(KEY)))


def _signed() -> bytes:
    return signed_bytes(disclose(demo_passport(), Tier.public), KEY)


def test_a_signed_passport_verifies_with_the_public_key() -> None:
    document = json.loads(_signed())
    assert verify(document, PUBLIC) == document["passport"]
    header = json.loads(base64.urlsafe_b64decode(document["signature"].split(".")[0] + "=="))
    assert header == {"alg": "Ed25519", "kid": KEY.thumbprint(), "typ": "kreislauf-passport+jws"}
    assert "d" not in public_jwk(KEY) and "d" in private_jwk(KEY)


def test_one_changed_byte_names_the_field() -> None:
    text = _signed().decode("utf-8")
    total = json.loads(text)["passport"]["carbon_footprint"]["total_kg_co2e"]
    digits = repr(total)
    changed = digits[:-1] + ("1" if digits[-1] != "1" else "2")
    assert text.count(digits) >= 1
    tampered = text.replace(digits, changed, 1)
    assert sum(a != b for a, b in zip(text, tampered, strict=False)) == 1
    with pytest.raises(SignatureInvalid) as caught:
        verify(json.loads(tampered), PUBLIC, file="p.signed.json")
    message = caught.value.message("en")
    assert "changed: carbon_footprint." in message
    assert message.startswith("p.signed.json, field 'passport.carbon_footprint.")


def test_every_single_byte_change_of_a_value_is_caught() -> None:
    """Each character of each text value of the manufacturer section, changed in turn."""
    document = json.loads(_signed())
    for field, value in document["passport"]["manufacturer"].items():
        if not isinstance(value, str):
            continue
        for index in range(len(value)):
            copy = json.loads(json.dumps(document))
            letter = "x" if value[index] != "x" else "y"
            copy["passport"]["manufacturer"][field] = value[:index] + letter + value[index + 1 :]
            with pytest.raises(SignatureInvalid, match=f"changed: manufacturer.{field}"):
                verify(copy, PUBLIC)


def test_added_and_removed_fields_are_named() -> None:
    document = json.loads(_signed())
    document["passport"]["notes"] = "slipped in"
    del document["passport"]["durability"]
    with pytest.raises(SignatureInvalid, match=r"added: notes; removed: durability\.\w+"):
        verify(document, PUBLIC)


def test_another_key_or_a_changed_signature_fails() -> None:
    document = sign(disclose(demo_passport(), Tier.public), KEY)
    with pytest.raises(SignatureInvalid, match="does not verify with this key"):
        verify(document, import_jwk(public_jwk(generate_key())))
    token = document["signature"]
    document["signature"] = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]
    with pytest.raises(SignatureInvalid, match="field 'signature'"):
        verify(document, PUBLIC)


def test_a_file_that_is_no_key_or_no_signed_passport() -> None:
    with pytest.raises(SignatureInvalid, match="not an Ed25519 JWK"):
        import_jwk('{"kty": "oct", "k": "AAAA"}')
    with pytest.raises(SignatureInvalid, match="not a signed passport"):
        verify({"id": 1}, PUBLIC)
