"""The one path from a passport to bytes: disclose for a tier, then write one format.

:func:`export` is how every format is written, by the CLI, the web and the tests alike:
it calls :func:`~kreislauf.passport.tiers.disclose` first and hands the writer only the
:class:`~kreislauf.passport.tiers.PassportView`, so no writer can see, and no file can
hold, a field above the caller's tier. ``tests/passport/test_formats.py`` enumerates
fields × tiers × formats.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from kreislauf.errors import InvalidOption
from kreislauf.passport.models import Passport, Tier
from kreislauf.passport.pact_fields import CATENAX_FIELDS, PACT_FIELDS
from kreislauf.passport.tiers import PassportView, disclose


@dataclass(frozen=True)
class Format:
    """A way of writing a passport view: name, media type, file suffix, writer.

    carries : the passport fields the format has a place for (``None``: every field)
    """

    name: str
    media_type: str
    suffix: str
    write: Callable[[PassportView], bytes]
    carries: frozenset[str] | None = None


def _json(view: PassportView) -> bytes:
    return (json.dumps(view.data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _pact(version: str) -> Callable[[PassportView], bytes]:
    def write(view: PassportView) -> bytes:
        from kreislauf.passport import pact

        document = pact.to_pact_v3(view) if version == "3" else pact.to_pact_v2(view)
        return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")

    return write


def _aas(package: bool) -> Callable[[PassportView], bytes]:
    def write(view: PassportView) -> bytes:
        from kreislauf.passport import aas

        return aas.aasx_bytes(view) if package else aas.aas_json_bytes(view)

    return write


def _catenax(view: PassportView) -> bytes:
    from kreislauf.passport import catenax

    document = catenax.to_catenax_pcf(view)
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _pcds(view: PassportView) -> bytes:
    from kreislauf.passport.pcds import pcds_statements

    return (json.dumps(pcds_statements(view), indent=2, ensure_ascii=False) + "\n").encode()


#: PCDS statements answer yes/no; the only values they carry are these.
PCDS_FIELDS = frozenset({"identification.gtin", "identification.product_name"})

FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("json", "application/json", ".json", _json),
        Format("pact-v3", "application/json", ".pact-v3.json", _pact("3"), PACT_FIELDS),
        Format("pact-v2", "application/json", ".pact-v2.json", _pact("2"), PACT_FIELDS),
        Format("aas-json", "application/json", ".aas.json", _aas(package=False)),
        Format("aasx", "application/asset-administration-shell-package", ".aasx", _aas(True)),
        Format("catenax-pcf", "application/json", ".catenax-pcf.json", _catenax, CATENAX_FIELDS),
        Format("pcds", "application/json", ".pcds.json", _pcds, PCDS_FIELDS),
    )
}


def export(passport: Passport, *, tier: Tier, form: str) -> bytes:
    """``passport`` as ``tier`` may see it, written in format ``form`` (:data:`FORMATS`).

    Raises :class:`~kreislauf.errors.InvalidOption` for an unknown format,
    :class:`~kreislauf.errors.NotDisclosed` / ``MissingForFormat`` when the format needs
    a field the tier does not see or the passport lacks.
    """
    if form not in FORMATS:
        raise InvalidOption(option="--format", value=form, expected=", ".join(FORMATS))
    return FORMATS[form].write(disclose(passport, tier))
