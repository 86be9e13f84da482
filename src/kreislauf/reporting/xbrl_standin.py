"""A stand-in for the VSME taxonomy package, built from the shipped concept list, so that
Arelle can validate kreislauf's Inline XBRL offline.

EFRAG's taxonomy package is not shipped (its terms of use could not be verified, see
``data/SOURCE.md``). This module writes a taxonomy package (ZIP, XBRL Taxonomy Packages
1.0) whose catalog maps the official entry point
``https://xbrl.efrag.org/taxonomy/vsme/2026-05-01/vsme-all.xsd`` to a schema generated from
``vsme-<version>-concepts.csv``, ``-waste.csv`` and ``-dimensions.json``: every concept
with its period type, abstractness and XBRL base type; axes, typed axes (with their typed
domain element), hypercubes and members; and a definition linkbase with the hypercubes
of the presentation roles (``all`` arcs, closed, scenario), their dimensions, domains,
members and the dimension defaults. Validating against it checks concept names, period
types, item types (number, boolean, date, …), units of monetary and pure items,
dimensional validity (closed hypercubes, members, defaults not stated) and the Inline
XBRL 1.1 rules. It does not check what only EFRAG's files hold: labels, references,
calculation and formula rules, the enumeration domains, and the DTR item types
(``dtr-types:energyItemType`` …), which are checked here as their base types.

References
----------
XBRL International (2016) Taxonomy Packages 1.0; XBRL 2.1; XBRL Dimensions 1.0.
"""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import quoteattr

from kreislauf.reporting.taxonomy import TAXONOMY_VERSION, concepts, dimensions, waste_codes

XBRLI_XSD = "http://www.xbrl.org/2003/xbrl-instance-2003-12-31.xsd"
XBRLDT_XSD = "http://www.xbrl.org/2005/xbrldt-2005.xsd"
ARCROLE = "http://xbrl.org/int/dim/arcrole/"
DEFINITION = "http://www.xbrl.org/2003/linkbase"


def _element(name: str, ns_prefix: str, *, kind: str, base: str, period: str) -> str:
    substitution = {
        "axis": "xbrldt:dimensionItem",
        "typed_axis": "xbrldt:dimensionItem",
        "hypercube": "xbrldt:hypercubeItem",
    }.get(kind, "xbrli:item")
    abstract = kind != "item"
    typed = ""
    if kind == "typed_axis":
        element = dimensions()["typed_elements"][f"vsme:{name}"].split(":", 1)[1]
        typed = f' xbrldt:typedDomainRef="#vsme_{element}"'
    item_type = base if kind == "item" else "xbrli:stringItemType"
    return (
        f"<xs:element name={quoteattr(name)} id={quoteattr(f'{ns_prefix}_{name}')} "
        f'type="{item_type}" substitutionGroup="{substitution}" '
        f'abstract="{str(abstract).lower()}" nillable="true" '
        f'xbrli:periodType="{period or "duration"}"{typed}/>'
    )


def _schema_head(namespace: str, *, extra: str = "") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        'xmlns:xbrli="http://www.xbrl.org/2003/instance" '
        'xmlns:xbrldt="http://xbrl.org/2005/xbrldt" '
        'xmlns:link="http://www.xbrl.org/2003/linkbase" '
        'xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'targetNamespace="{namespace}" elementFormDefault="qualified">'
        f'<xs:import namespace="http://www.xbrl.org/2003/instance" schemaLocation="{XBRLI_XSD}"/>'
        f'<xs:import namespace="http://xbrl.org/2005/xbrldt" schemaLocation="{XBRLDT_XSD}"/>'
        f"{extra}"
    )


def vsme_schema() -> str:
    """The stand-in ``vsme-all.xsd``: every ``vsme`` concept, the roles, the linkbase."""
    info = dimensions()
    namespace = info["namespaces"]["vsme"]
    roles = sorted({cube["role"] for cube in info["hypercubes"]})
    base_uri = info["entry_point"].rsplit("/", 1)[0]
    role_types = "".join(
        f'<link:roleType roleURI="{base_uri}/role/{role}" id="{role}">'
        "<link:usedOn>link:definitionLink</link:usedOn></link:roleType>"
        for role in roles
    )
    imports = "".join(
        f'<xs:import namespace="{info["namespaces"][prefix]}" schemaLocation="{prefix}.xsd"/>'
        for prefix in ("waste", *_foreign_members())
    )
    extra = (
        f"{imports}"
        "<xs:annotation><xs:appinfo>"
        '<link:linkbaseRef xlink:type="simple" xlink:href="vsme-def.xml" '
        'xlink:role="http://www.xbrl.org/2003/role/definitionLinkbaseRef" '
        'xlink:arcrole="http://www.w3.org/1999/xlink/properties/linkbase"/>'
        f"{role_types}</xs:appinfo></xs:annotation>"
    )
    typed = {e.split(":", 1)[1] for e in info["typed_elements"].values()}
    body = [_schema_head(namespace, extra=extra)]
    body += [f'<xs:element name="{t}" id="vsme_{t}" type="xs:string"/>' for t in sorted(typed)]
    for concept in concepts().values():
        body.append(
            _element(
                concept.id,
                "vsme",
                kind=concept.kind,
                base=concept.base_type,
                period=concept.period_type,
            )
        )
    body.append("</xs:schema>\n")
    return "".join(body)


def waste_schema() -> str:
    """The stand-in ``waste.xsd``: the List-of-Waste members."""
    namespace = dimensions()["namespaces"]["waste"]
    members = sorted({code.member for code in waste_codes().values()} | {"W-WasteCategoriesMember"})
    return "".join(
        [
            _schema_head(namespace),
            *(_element(m, "waste", kind="member", base="", period="duration") for m in members),
            "</xs:schema>\n",
        ]
    )


def _href(name: str) -> str:
    prefix, local = name.split(":", 1)
    return f"{'vsme-all.xsd' if prefix == 'vsme' else prefix + '.xsd'}#{prefix}_{local}"


def _foreign_members() -> dict[str, list[str]]:
    """Members of the hypercubes outside ``vsme`` and ``waste`` (ISO 3166 countries), by
    namespace prefix."""
    found: dict[str, set[str]] = {}
    for cube in dimensions()["hypercubes"]:
        for members in cube["explicit"].values():
            for member in members:
                prefix, _, local = member.partition(":")
                if prefix not in ("vsme", "waste", "@waste", ""):
                    found.setdefault(prefix, set()).add(local)
    return {prefix: sorted(names) for prefix, names in found.items()}


def member_schema(prefix: str, members: list[str]) -> str:
    """A stand-in schema declaring ``members`` in the namespace of ``prefix``."""
    namespace = dimensions()["namespaces"][prefix]
    return "".join(
        [
            _schema_head(namespace),
            *(_element(m, prefix, kind="member", base="", period="duration") for m in members),
            "</xs:schema>\n",
        ]
    )


class _Link:
    """One extended definition link: locators by concept, arcs between them. Defaults go
    into a link of their own (XLink: one arc per from/to pair in an extended link)."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.locs: dict[str, str] = {}
        self.arcs: list[str] = []

    def loc(self, name: str) -> str:
        if name not in self.locs:
            self.locs[name] = f"{self.prefix}{len(self.locs)}"
        return self.locs[name]

    def arc(self, arcrole: str, source: str, target: str, extra: str = "") -> None:
        self.arcs.append(
            f'<link:definitionArc xlink:type="arc" xlink:arcrole="{ARCROLE}{arcrole}" '
            f'xlink:from="{self.loc(source)}" xlink:to="{self.loc(target)}"{extra}/>'
        )

    def xml(self, role: str) -> str:
        locators = "".join(
            f'<link:loc xlink:type="locator" xlink:href="{_href(name)}" xlink:label="{label}"/>'
            for name, label in self.locs.items()
        )
        return (
            f'<link:definitionLink xlink:type="extended" xlink:role="{role}">'
            f"{locators}{''.join(self.arcs)}</link:definitionLink>"
        )


def definition_linkbase() -> str:
    """Hypercubes, dimensions, domains, members and defaults, one link per role."""
    info = dimensions()
    base_uri = info["entry_point"].rsplit("/", 1)[0]
    waste_members = sorted(
        {code.member for code in waste_codes().values()} - {"W-WasteCategoriesMember"}
    )
    links = []
    role_refs = []
    for n, cube in enumerate(info["hypercubes"]):
        role = f"{base_uri}/role/{cube['role']}"
        role_refs.append(role)
        main, defaults = _Link(f"l{n}_"), _Link(f"d{n}_")
        arc = main.arc
        primary = cube["primary"]
        line_items, items = primary[1], primary[2:]
        arc(
            "all",
            line_items,
            cube["table"],
            f' xbrldt:closed="{str(cube["closed"]).lower()}"'
            f' xbrldt:contextElement="{cube["context_element"]}"',
        )
        for item in items:
            arc("domain-member", line_items, item)
        for axis, members in cube["explicit"].items():
            if members == ["@waste"]:
                members = ["waste:W-WasteCategoriesMember", *(f"waste:{m}" for m in waste_members)]
            arc("hypercube-dimension", cube["table"], axis)
            arc("dimension-domain", axis, members[0])
            for member in members[1:]:
                arc("domain-member", members[0], member)
            default = info["defaults"].get(axis)
            if default:
                defaults.arc("dimension-default", axis, default)
        for axis in cube["typed"]:
            arc("hypercube-dimension", cube["table"], axis)
        links += [link.xml(role) for link in (main, defaults) if link.arcs]
    refs = "".join(
        f'<link:roleRef roleURI="{role}" xlink:type="simple" '
        f'xlink:href="vsme-all.xsd#{role.rsplit("/", 1)[1]}"/>'
        for role in dict.fromkeys(role_refs)
    )
    arcrole_refs = "".join(
        f'<link:arcroleRef arcroleURI="{ARCROLE}{a}" xlink:type="simple" '
        f'xlink:href="{XBRLDT_XSD}#{a}"/>'
        for a in (
            "all",
            "hypercube-dimension",
            "dimension-domain",
            "domain-member",
            "dimension-default",
        )
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<link:linkbase xmlns:link="{DEFINITION}" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'xmlns:xbrldt="http://xbrl.org/2005/xbrldt">'
        f"{refs}{arcrole_refs}{''.join(links)}</link:linkbase>\n"
    )


def standin_package() -> bytes:
    """The stand-in taxonomy package as ZIP bytes (for Arelle's ``--packages``)."""
    info = dimensions()
    entry = info["entry_point"]
    prefix = entry.rsplit("/", 1)[0] + "/"
    root = f"vsme-standin-{TAXONOMY_VERSION}"
    package = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<tp:taxonomyPackage xmlns:tp="http://xbrl.org/2016/taxonomy-package" xml:lang="en">'
        f"<tp:identifier>urn:kreislauf:vsme-standin:{TAXONOMY_VERSION}</tp:identifier>"
        f"<tp:name>VSME {TAXONOMY_VERSION} stand-in (kreislauf, from EFRAG's concept list)"
        "</tp:name>"
        f"<tp:version>{TAXONOMY_VERSION}</tp:version>"
        "<tp:entryPoints><tp:entryPoint><tp:name>VSME all</tp:name>"
        f'<tp:entryPointDocument href="{entry}"/></tp:entryPoint></tp:entryPoints>'
        "</tp:taxonomyPackage>\n"
    )
    catalog = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">'
        f'<rewriteURI uriStartString="{prefix}" rewritePrefix="../vsme/"/></catalog>\n'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{root}/META-INF/taxonomyPackage.xml", package)
        archive.writestr(f"{root}/META-INF/catalog.xml", catalog)
        archive.writestr(f"{root}/vsme/vsme-all.xsd", vsme_schema())
        archive.writestr(f"{root}/vsme/waste.xsd", waste_schema())
        for prefix, members in _foreign_members().items():
            archive.writestr(f"{root}/vsme/{prefix}.xsd", member_schema(prefix, members))
        archive.writestr(f"{root}/vsme/vsme-def.xml", definition_linkbase())
    return buffer.getvalue()
