"""Versions of a passport: canonical JSON, digests and the next version after a change.

Every change is a new version: :func:`next_version` gives it the next number, a new
creation time and ``previous_digest``, the SHA-256 of the previous version's canonical
JSON, so the versions form a chain a reader can check (:func:`chain_problems`). The
canonical form is the JSON Canonicalization Scheme of RFC 8785 for the values a passport
holds (keys sorted, no whitespace, UTF-8; numbers as Python writes the shortest
round-tripping form, which equals ECMAScript's for the floats and integers used here).
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from kreislauf.passport.models import Passport

#: The fields that change with every version and do not make a change.
VERSION_FIELDS = frozenset({"version", "created", "previous_digest"})


def canonical_json(data: Any) -> bytes:
    """``data`` (a JSON tree) in canonical form: sorted keys, no spaces, UTF-8."""
    return json.dumps(
        data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def digest(passport: Passport) -> str:
    """SHA-256 of the passport's canonical JSON, as 64 hex digits."""
    return hashlib.sha256(canonical_json(passport.model_dump(mode="json"))).hexdigest()


def content(passport: Passport) -> dict[str, Any]:
    """The passport's JSON without the version fields: what a change changes."""
    data = passport.model_dump(mode="json")
    return {k: v for k, v in data.items() if k not in VERSION_FIELDS}


def next_version(previous: Passport, changed: Passport, *, now: datetime | None = None) -> Passport:
    """``changed`` as the version after ``previous`` (same ``id``, chained by digest)."""
    return changed.model_copy(
        update={
            "id": previous.id,
            "version": previous.version + 1,
            "created": now or datetime.now(UTC),
            "previous_digest": digest(previous),
        }
    )


def chain_problems(versions: Sequence[Passport]) -> list[str]:
    """What breaks the chain of ``versions`` (sorted by version); ``[]`` if it holds."""
    problems: list[str] = []
    for before, after in itertools.pairwise(versions):
        if after.id != before.id:
            problems.append(f"version {after.version} belongs to passport {after.id}")
        if after.version != before.version + 1:
            problems.append(f"version {after.version} follows version {before.version}")
        if after.previous_digest != digest(before):
            problems.append(f"version {after.version} does not name version {before.version}")
    return problems
