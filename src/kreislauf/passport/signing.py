"""Signed passports: a JWS (Ed25519) over a manifest of field digests.

A signed passport file is JSON::

    {"passport": <the passport as one tier sees it>, "signature": "<compact JWS>"}

The JWS payload is the *manifest*: the SHA-256 of the canonical JSON
(:func:`~kreislauf.passport.versions.canonical_json`) of every field of ``passport``
(``section.name`` or a top-level name), so verification can name each field that was
changed, added or removed, while the signature covers the manifest. The protected header
holds ``alg`` ``Ed25519``, ``kid`` (the key's RFC 7638 thumbprint) and ``typ``.

Keys are Ed25519 JWKs (RFC 8037) as JSON files: the private key stays with the
organisation, the public key (:func:`public_jwk`) is published at a well-known URL or
handed over as a file.

References
----------
RFC 7515 (JWS), RFC 8037 (CFRG curves in JOSE: OKP keys), RFC 9864 (fully-specified
algorithm ``Ed25519``), RFC 7638 (JWK thumbprint), RFC 8032 (Ed25519).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import OKPKey

from kreislauf.errors import SignatureInvalid
from kreislauf.passport.tiers import PassportView
from kreislauf.passport.versions import canonical_json

ALGORITHM = "Ed25519"
TYPE = "kreislauf-passport+jws"


def generate_key() -> OKPKey:
    """A new Ed25519 key pair."""
    return OKPKey.generate_key("Ed25519")


def private_jwk(key: OKPKey) -> dict[str, Any]:
    """The key pair as a JWK (keep it secret), with its thumbprint as ``kid``."""
    return {**key.as_dict(private=True), "kid": key.thumbprint()}


def public_jwk(key: OKPKey) -> dict[str, Any]:
    """The public key as a JWK, with its thumbprint as ``kid``."""
    return {**key.as_dict(private=False), "kid": key.thumbprint()}


def import_jwk(data: Any, *, file: str | None = None) -> OKPKey:
    """An Ed25519 key from a JWK (dict or JSON text); raises SignatureInvalid if it is none."""
    try:
        key = OKPKey.import_key(json.loads(data) if isinstance(data, str | bytes) else data)
    except (JoseError, ValueError, TypeError, KeyError) as error:
        raise SignatureInvalid(file=file, detail=f"not an Ed25519 JWK ({error})") from error
    if key.as_dict(private=False).get("crv") != "Ed25519":
        raise SignatureInvalid(file=file, detail="the key is not an Ed25519 key")
    return key


def public_jwks(keys: list[OKPKey]) -> dict[str, Any]:
    """A JWK Set (RFC 7517, 5) of the public halves of ``keys``."""
    return {"keys": [{**public_jwk(key), "use": "sig", "alg": ALGORITHM} for key in keys]}


def key_for(data: Any, document: Any, *, file: str | None = None) -> OKPKey:
    """The key that is to verify ``document``: ``data`` is a JWK, or a JWK Set from which
    the key with the ``kid`` of the document's JWS header is taken."""
    parsed = json.loads(data) if isinstance(data, str | bytes) else data
    if not (isinstance(parsed, dict) and isinstance(parsed.get("keys"), list)):
        return import_jwk(parsed, file=file)
    token = document.get("signature") if isinstance(document, dict) else None
    try:
        header = jws.extract_compact(token.encode()).protected if isinstance(token, str) else {}
    except (JoseError, ValueError) as error:
        raise SignatureInvalid(
            file=file, field="signature", detail=f"no compact JWS ({error})"
        ) from error
    kid = header.get("kid")
    for candidate in parsed["keys"]:
        if isinstance(candidate, dict) and candidate.get("kid") == kid:
            return import_jwk(candidate, file=file)
    raise SignatureInvalid(file=file, detail=f"the key set holds no key with kid '{kid}'")


def manifest(data: dict[str, Any]) -> dict[str, str]:
    """Field → SHA-256 (hex) of the canonical JSON of its value."""
    digests: dict[str, str] = {}
    for name, value in data.items():
        section = isinstance(value, dict) and name != "disclosure" and "disclosed_as" not in value
        if not section:
            digests[name] = hashlib.sha256(canonical_json(value)).hexdigest()
            continue
        for sub, sub_value in value.items():
            digests[f"{name}.{sub}"] = hashlib.sha256(canonical_json(sub_value)).hexdigest()
    return digests


def sign(view: PassportView, key: OKPKey) -> dict[str, Any]:
    """The signed passport document of ``view`` (module docstring)."""
    header = {"alg": ALGORITHM, "kid": key.thumbprint(), "typ": TYPE}
    payload = canonical_json(manifest(view.data))
    token = jws.serialize_compact(header, payload, key, algorithms=[ALGORITHM])
    return {"passport": view.data, "signature": token}


def signed_bytes(view: PassportView, key: OKPKey) -> bytes:
    """:func:`sign` as the bytes of a file."""
    return (json.dumps(sign(view, key), indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def verify(document: Any, key: OKPKey, *, file: str | None = None) -> dict[str, Any]:
    """The passport data of a signed document, if it verifies with ``key``.

    Raises :class:`~kreislauf.errors.SignatureInvalid` naming the fields that were
    changed, added or removed, or saying that the signature does not match the key.
    """
    if not isinstance(document, dict) or not isinstance(document.get("passport"), dict):
        raise SignatureInvalid(file=file, detail="no 'passport' object: not a signed passport")
    token = document.get("signature")
    if not isinstance(token, str):
        raise SignatureInvalid(file=file, field="signature", detail="no compact JWS")
    try:
        signed = jws.deserialize_compact(token, key, algorithms=[ALGORITHM])
        expected = json.loads(signed.payload)
    except (JoseError, ValueError) as error:
        raise SignatureInvalid(
            file=file,
            field="signature",
            detail="the signature does not verify with this key (the signature or its "
            f"manifest was changed, or another key signed it: {error})",
        ) from error
    found = manifest(document["passport"])
    changed = sorted(f for f in expected.keys() & found.keys() if expected[f] != found[f])
    added = sorted(found.keys() - expected.keys())
    removed = sorted(expected.keys() - found.keys())
    if changed or added or removed:
        parts = [
            f"{label}: {', '.join(names)}"
            for label, names in (("changed", changed), ("added", added), ("removed", removed))
            if names
        ]
        first = (changed or added or removed)[0]
        raise SignatureInvalid(
            file=file, field=f"passport.{first}", detail="; ".join(parts) + " since signing"
        )
    data: dict[str, Any] = document["passport"]
    return data
