"""docs/passport.schema.json is generated from the model and validates passports."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from kreislauf.passport.schema import passport_schema, schema_text
from tests.passport.passport_fixtures import demo_passport, sentinel_passport

PUBLISHED = Path(__file__).parents[2] / "docs" / "passport.schema.json"


def test_the_published_schema_is_the_generated_one() -> None:
    """Regenerate with `kreislauf passport schema --out docs/passport.schema.json`."""
    assert PUBLISHED.read_text(encoding="utf-8") == schema_text()


def test_passports_validate_against_the_schema() -> None:
    schema = passport_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for passport in (demo_passport(), sentinel_passport()):
        validator.validate(passport.model_dump(mode="json"))


def test_the_schema_refuses_what_the_model_refuses() -> None:
    validator = jsonschema.Draft202012Validator(passport_schema())
    data = json.loads(demo_passport().model_dump_json())
    data["recycled_content"]["total_percent"] = 101
    with pytest.raises(jsonschema.ValidationError, match="101"):
        validator.validate(data)
