"""GS1 Digital Link resolution without the web: parse the URI path, pick a link, linksets.

A product's QR code carries its GS1 Digital Link URI (:func:`~.identifiers.digital_link`,
``https://HOST/01/{gtin}/21/{serial}``). The resolver answers a request for that URI by
link type and language:

- ``linkType=<type>`` (or none: the default link, ``gs1:pip``): ``307`` to the link of that
  type in the best language of ``Accept-Language`` (German or English, the other one
  otherwise);
- ``linkType=all`` or ``Accept: application/linkset+json``: ``200`` with the RFC 9264
  linkset of every link (the web layer may answer ``300`` for an HTML client);
- an unknown product or a link type it has no link for: ``404``.

Link types of the GS1 Web Vocabulary used here: ``gs1:pip`` (product information page),
``gs1:sustainabilityInfo``, ``gs1:dpp`` (digital product passport). There is no
``gs1:recyclingInfo``, and ``gs1:productSustainabilityInfo`` is deprecated (accepted as
an alias of ``gs1:sustainabilityInfo``).

References
----------
GS1 Digital Link Standard: URI Syntax 1.4 (2024), section 4 (path of primary key and key
qualifiers: ``/01/{gtin}/22/{cpv}/10/{lot}/21/{serial}``); GS1-Conformant Resolver
Standard 1.1 (2024), sections 6.5–6.7 (linkType, linkset, 300/307/404). RFC 9264
(linkset), RFC 9110, 12.5.4 (Accept-Language).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import unquote

from pydantic_core import PydanticCustomError

from kreislauf.i18n import LANGUAGES, Lang
from kreislauf.passport.identifiers import gtin14

GS1_VOC = "https://gs1.org/voc/"
LINK_TYPES = ("gs1:pip", "gs1:sustainabilityInfo", "gs1:dpp")
ALIASES = {"gs1:productSustainabilityInfo": "gs1:sustainabilityInfo"}
DEFAULT_LINK_TYPE = "gs1:pip"
LINKSET_MEDIA_TYPE = "application/linkset+json"


@dataclass(frozen=True)
class ProductKey:
    """The identifiers in a Digital Link path: GTIN-14 and, if given, lot and serial."""

    gtin: str
    batch: str | None = None
    serial: str | None = None


@dataclass(frozen=True)
class Link:
    """One target of a product: link type, language, address, title, media type."""

    link_type: str
    lang: Lang
    href: str
    title: str
    media_type: str = "text/html"


@dataclass(frozen=True)
class Answer:
    """What the resolver answers: status, ``Location`` for a redirect, linkset body."""

    status: Literal[200, 307, 404]
    location: str | None = None
    linkset: dict[str, Any] | None = None


def parse_path(path: str) -> ProductKey | None:
    """The product key of a Digital Link path, or ``None`` if it is none (or a bad GTIN)."""
    parts = [unquote(p) for p in path.strip("/").split("/")]
    if len(parts) < 2 or len(parts) % 2 or parts[0] != "01":
        return None
    try:
        gtin = gtin14(parts[1])
    except PydanticCustomError:
        return None
    qualifiers = dict(zip(parts[2::2], parts[3::2], strict=True))
    if set(qualifiers) - {"10", "21", "22"}:
        return None
    return ProductKey(gtin=gtin, batch=qualifiers.get("10"), serial=qualifiers.get("21"))


def preferred_languages(accept_language: str | None) -> list[Lang]:
    """The supported languages in the order of an ``Accept-Language`` header (q-values)."""
    ranked: list[tuple[float, int, Lang]] = []
    for position, item in enumerate((accept_language or "").split(",")):
        tag, _, params = item.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        lang = tag.strip().lower().split("-")[0]
        if lang in LANGUAGES and quality > 0:
            ranked.append((-quality, position, lang))
    ordered = [lang for _, _, lang in sorted(ranked)]
    return list(dict.fromkeys([*ordered, *LANGUAGES]))


def linkset(anchor: str, links: Sequence[Link]) -> dict[str, Any]:
    """The RFC 9264 JSON linkset of a product's links."""
    relations: dict[str, list[dict[str, Any]]] = {}
    for link in links:
        relation = GS1_VOC + link.link_type.removeprefix("gs1:")
        relations.setdefault(relation, []).append(
            {
                "href": link.href,
                "title": link.title,
                "hreflang": [link.lang],
                "type": link.media_type,
            }
        )
    return {"linkset": [{"anchor": anchor, **relations}]}


def resolve(
    anchor: str,
    links: Sequence[Link] | None,
    *,
    link_type: str | None = None,
    accept: str | None = None,
    accept_language: str | None = None,
) -> Answer:
    """The answer to a request for ``anchor`` (module docstring).

    links : the product's links, ``None`` for an unknown product
    """
    if links is None:
        return Answer(404)
    if link_type == "all" or LINKSET_MEDIA_TYPE in (accept or ""):
        return Answer(200, linkset=linkset(anchor, links))
    wanted = ALIASES.get(link_type or "", link_type or DEFAULT_LINK_TYPE)
    candidates = {link.lang: link for link in links if link.link_type == wanted}
    for lang in preferred_languages(accept_language):
        if lang in candidates:
            return Answer(307, location=candidates[lang].href)
    return Answer(404)
