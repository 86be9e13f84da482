"""Password hashes (argon2id) and random tokens stored only as SHA-256 hashes."""

from __future__ import annotations

import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_HASHER = PasswordHasher()  # argon2id, RFC 9106 low-memory profile defaults


def hash_password(password: str) -> str:
    """An argon2id hash of ``password`` (salted; parameters in the hash string)."""
    return _HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether ``password`` matches ``password_hash``; never raises for a mismatch."""
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def new_token(prefix: str = "") -> str:
    """A random URL-safe token with 256 bits of entropy, e.g. ``kl_…`` for API tokens."""
    return prefix + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """SHA-256 hex digest of ``token``: what the database keeps instead of the token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


#: A hash to verify against when an e-mail address is unknown, so that a login takes the
#: same time whether or not the account exists.
DUMMY_HASH = hash_password("not a real password")
