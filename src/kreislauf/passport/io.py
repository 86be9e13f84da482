"""Reading passport files (JSON or YAML) and keeping their versions in an archive folder.

A passport file holds the fields of :class:`~kreislauf.passport.models.Passport`
(docs/passport.md#format, JSON Schema in docs/passport.schema.json). In ``composition`` a
material may give ``mass`` with a unit (``"320 g"``) instead of ``mass_kg``; it is
converted with :data:`kreislauf.units.ureg`.

The archive (:func:`save_version`, :func:`load_versions`) keeps every version of every
passport as ``<root>/<id>/v<NNNN>.json``; a version is written once and never replaced.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pint
import yaml
from pydantic import ValidationError

from kreislauf.bounded import load_yaml
from kreislauf.errors import (
    FileNotReadable,
    InvalidGtin,
    InvalidPassport,
    OutputNotWritable,
    UnknownUnit,
    os_error_reason,
)
from kreislauf.files import atomic_write, ensure_directory
from kreislauf.passport.models import Passport
from kreislauf.passport.versions import content, next_version
from kreislauf.units import ureg

#: The units offered in the message for a mass that pint does not know.
MASS_UNITS = "kg, g, t, lb"


def _located(error: ValidationError, *, file: str | None) -> InvalidPassport | InvalidGtin:
    """The first problem of a validation error as a located kreislauf error."""
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    if first["type"].startswith("gtin_"):
        return InvalidGtin(file=file, field=where, value=first.get("input"), detail=first["msg"])
    more = len(error.errors()) - 1
    detail = first["msg"] + (f" (and {more} more problems)" if more else "")
    return InvalidPassport(file=file, field=where, detail=detail)


def _kilograms(value: Any, *, file: str | None, field: str) -> float:
    """``"320 g"`` or ``0.32`` [kg] as kilograms."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    try:
        quantity: pint.Quantity[float] = ureg.Quantity(str(value))
        return float(quantity.to(ureg.kilogram).magnitude)
    except pint.errors.UndefinedUnitError as error:
        raise UnknownUnit(file=file, field=field, value=value, expected=MASS_UNITS) from error
    except (pint.errors.DimensionalityError, ValueError, TypeError) as error:
        raise InvalidPassport(
            file=file, field=field, detail=f"'{value}' is not a mass; use e.g. '320 g' or '0.32 kg'"
        ) from error


def _masses(data: dict[str, Any], *, file: str | None) -> dict[str, Any]:
    materials = data.get("composition")
    if not isinstance(materials, list):
        return data
    converted = []
    for index, material in enumerate(materials):
        if isinstance(material, dict) and "mass" in material:
            material = {k: v for k, v in material.items() if k != "mass"}
            material["mass_kg"] = _kilograms(
                materials[index]["mass"], file=file, field=f"composition.{index}.mass"
            )
        converted.append(material)
    return {**data, "composition": converted}


def passport_from_data(data: Any, *, file: str | None = None) -> Passport:
    """A validated passport from the data of a file.

    Raises :class:`~kreislauf.errors.InvalidPassport` (field named),
    :class:`~kreislauf.errors.InvalidGtin`, :class:`~kreislauf.errors.UnknownUnit`.
    """
    if not isinstance(data, dict):
        raise InvalidPassport(file=file, detail="expected a mapping of passport fields")
    try:
        return Passport.model_validate(_masses(data, file=file))
    except ValidationError as error:
        raise _located(error, file=file) from error


def read_data(path: Path) -> Any:
    """The JSON (``.json``) or YAML (any other suffix) document in ``path``."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeError) as error:
        raise FileNotReadable(file=path.name, reason=os_error_reason(error)) from error
    try:
        if path.suffix.lower() == ".json":
            return json.loads(text)
        return load_yaml(text, name=path.name)
    except (json.JSONDecodeError, yaml.YAMLError) as error:
        raise InvalidPassport(file=path.name, detail=f"not valid JSON/YAML: {error}") from error


def read_passport(path: Path) -> Passport:
    """Read and check a passport file (JSON or YAML)."""
    return passport_from_data(read_data(path), file=path.name)


def _version_path(root: Path, passport: Passport) -> Path:
    return root / str(passport.id) / f"v{passport.version:04d}.json"


def load_versions(root: Path, passport_id: str) -> list[Passport]:
    """Every stored version of a passport, oldest first (``[]`` if there is none)."""
    folder = root / passport_id
    if not folder.is_dir():
        return []
    return [read_passport(path) for path in sorted(folder.glob("v*.json"))]


def save_version(root: Path, passport: Passport) -> Passport:
    """Store ``passport`` as the next version of its id and return what was stored.

    The first version is stored as it is; a later one becomes
    :func:`~kreislauf.passport.versions.next_version` of the newest stored version. A
    passport whose content equals the newest version's is not stored again (that version
    is returned). No stored version is ever replaced.
    """
    versions = load_versions(root, str(passport.id))
    if versions:
        newest = versions[-1]
        if content(newest) == content(passport):
            return newest
        passport = next_version(newest, passport)
    else:
        passport = passport.model_copy(update={"version": 1, "previous_digest": None})
    path = _version_path(root, passport)
    ensure_directory(path.parent)
    if path.exists():
        raise OutputNotWritable(file=str(path), reason="a stored version is never replaced")
    atomic_write(path, passport.model_dump_json(indent=2) + "\n")
    return passport
