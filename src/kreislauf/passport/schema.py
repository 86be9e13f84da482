"""The JSON Schema of the passport file, generated from the model.

``docs/passport.schema.json`` is this schema, written by ``kreislauf passport schema
--out docs/passport.schema.json``; ``tests/passport/test_schema.py`` fails when the file
and the model disagree, so the published schema is never edited by hand.
"""

from __future__ import annotations

import json
from typing import Any

from kreislauf.passport.models import SCHEMA_VERSION, Passport

SCHEMA_ID = f"https://kreislauf.example/schemas/passport/{SCHEMA_VERSION}/passport.schema.json"


def passport_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a passport file in its JSON form."""
    schema = Passport.model_json_schema(mode="serialization")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **schema,
    }


def schema_text() -> str:
    """:func:`passport_schema` as the text of docs/passport.schema.json."""
    return json.dumps(passport_schema(), indent=2, ensure_ascii=False) + "\n"
