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
from kreislauf.i18n import DEFAULT_LANG, Lang
from kreislauf.passport.models import Passport, Tier
from kreislauf.passport.pact_fields import (
    CATENAX_DPP_FIELDS,
    CATENAX_FIELDS,
    PACT_FIELDS,
    PACT_V2_FIELDS,
)
from kreislauf.passport.tiers import PassportView, disclose

#: every passport field some Battery Pass aspect can carry (kept here so that the format
#: table imports no converter; tests/passport/test_batterypass.py checks it)
BATTERY_FIELDS = frozenset(
    {
        *(f"battery.{n}" for n in (
            "category", "status", "product_identifier", "mass_kg", "manufacturing_place",
            "manufacturing_date", "putting_into_service", "warranty_months", "operator",
            "chemistry", "materials", "hazardous_substances", "carbon_footprint",
            "due_diligence", "recycled_materials", "renewable_content_percent", "technical",
            "condition", "labels", "declaration_of_conformity_url", "test_reports_url",
            "waste_information", "spare_part_sources", "dismantling_documents",
            "safety_measures",
        )),
        *(f"manufacturer.{n}" for n in (
            "name", "company_ids", "street", "house_number", "postcode", "country",
        )),
        "carbon_footprint.total_kg_co2e",
    }
)  # fmt: skip


@dataclass(frozen=True)
class Format:
    """A way of writing a passport view: name, media type, file suffix, writer.

    carries : the passport fields the format has a place for (``None``: every field)
    localised : whether the writer uses the language (the HTML document)
    """

    name: str
    media_type: str
    suffix: str
    write: Callable[[PassportView], bytes]
    carries: frozenset[str] | None = None
    localised: Callable[[PassportView, Lang], bytes] | None = None


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


def _catenax_dpp(view: PassportView) -> bytes:
    from kreislauf.passport import catenax_dpp

    document = catenax_dpp.to_catenax_dpp(view)
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _batterypass(view: PassportView) -> bytes:
    from kreislauf.passport.batterypass import to_batterypass

    document = to_batterypass(view)
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _html(view: PassportView, lang: Lang) -> bytes:
    from kreislauf.passport.document import passport_html

    return passport_html(view, lang)


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
        Format("pact-v2", "application/json", ".pact-v2.json", _pact("2"), PACT_V2_FIELDS),
        Format("aas-json", "application/json", ".aas.json", _aas(package=False)),
        Format("aasx", "application/asset-administration-shell-package", ".aasx", _aas(True)),
        Format("catenax-pcf", "application/json", ".catenax-pcf.json", _catenax, CATENAX_FIELDS),
        Format(
            "catenax-dpp",
            "application/json",
            ".catenax-dpp.json",
            _catenax_dpp,
            CATENAX_DPP_FIELDS,
        ),
        Format("pcds", "application/json", ".pcds.json", _pcds, PCDS_FIELDS),
        #: carries: per aspect written, batterypass.carried_fields(document)
        Format(
            "batterypass", "application/json", ".batterypass.json", _batterypass, BATTERY_FIELDS
        ),
        Format(
            "html",
            "text/html; charset=utf-8",
            ".html",
            lambda view: _html(view, DEFAULT_LANG),
            localised=_html,
        ),
    )
}


def export(passport: Passport, *, tier: Tier, form: str, lang: Lang = DEFAULT_LANG) -> bytes:
    """``passport`` as ``tier`` may see it, written in format ``form`` (:data:`FORMATS`);
    ``lang`` is the language of a document format (``html``).

    Raises :class:`~kreislauf.errors.InvalidOption` for an unknown format,
    :class:`~kreislauf.errors.NotDisclosed` / ``MissingForFormat`` when the format needs
    a field the tier does not see or the passport lacks.
    """
    if form not in FORMATS:
        raise InvalidOption(option="--format", value=form, expected=", ".join(FORMATS))
    chosen = FORMATS[form]
    view = disclose(passport, tier)
    if chosen.localised is not None:
        return chosen.localised(view, lang)
    return chosen.write(view)
