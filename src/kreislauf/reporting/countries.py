"""Country names of ISO 3166-1 alpha-2 codes in German and English.

German names come from the Unicode CLDR territory names as Babel ships them
(``babel.Locale("de").territories``; CLDR is maintained by the Unicode Consortium under
the Unicode licence): ``DE`` → "Deutschland", ``CD`` → "Kongo-Kinshasa". English names are
the ISO 3166 names of the VSME taxonomy's country members (``country:DE`` → "Germany",
as EFRAG ships them), else CLDR's. The former codes the taxonomy keeps (``YU``, ``AN``)
have no CLDR name: their English taxonomy label is used in German too; an unknown code is
returned as it is.

References
----------
Unicode CLDR, territory display names, https://cldr.unicode.org/ (through Babel,
https://babel.pocoo.org/).
"""

from __future__ import annotations

from functools import cache

from kreislauf.i18n import Lang


@cache
def _territories(lang: Lang) -> dict[str, str]:
    from babel import Locale

    return dict(Locale.parse(lang).territories)


@cache
def _iso_names() -> dict[str, str]:
    from kreislauf.reporting.taxonomy import enumeration_labels

    return {
        member.removeprefix("country:"): labels["en"]
        for member, labels in enumeration_labels().items()
        if member.startswith("country:") and labels.get("en")
    }


def country_name(code: str, lang: Lang) -> str:
    """The name of the country ``code`` (ISO 3166-1 alpha-2, ``DE``, case-insensitive)
    in ``lang``."""
    key = code.strip().upper()
    if lang == "en":
        return _iso_names().get(key) or _territories("en").get(key, code)
    return _territories(lang).get(key) or _iso_names().get(key, code)
