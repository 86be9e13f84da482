"""Derive kreislauf's VSME data files from EFRAG's extracted taxonomy JSON.

Input: ``src/mireport/data/taxonomies/vsme-<version>.json`` of the MIT-licensed repository
EFRAG-EU/Digital-Template-to-XBRL-Converter (see src/kreislauf/reporting/data/SOURCE.md).
Output, in ``src/kreislauf/reporting/data/``:

- ``vsme-<version>-concepts.csv``: every concept of the ``vsme`` namespace with its module
  (B1..B11, C1..C9, from the VSME reference), paragraph, data and period type, German and
  English label, EFRAG documentation and the reference link;
- ``vsme-<version>-waste.csv``: the ``waste`` members (EU List of Waste codes, hazardous
  or not as the member says);
- ``vsme-<version>-dimensions.json``: dimension defaults and the hypercubes (axes, members,
  primary items) of the presentation roles;
- ``vsme-<version>-enumerations.json``: per enumeration concept its domain members (the
  taxonomy's ``enum2:domain``, as EFRAG's extraction lists them), whether several may be
  chosen (``enumerationSetItemType``), and the German and English labels of members outside
  the ``vsme`` namespace (countries, NACE codes).

Usage: ``python tools/derive_vsme_taxonomy.py TAXONOMY.json``
"""

from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parents[1] / "src" / "kreislauf" / "reporting" / "data"
LABEL = "http://www.xbrl.org/2003/role/label"
DOCUMENTATION = "http://www.xbrl.org/2003/role/documentation"
WASTE_MEMBER = re.compile(r"^W-(\d{2})(\d{2})?(\d{2})?-(?:(Hazardous|Non-Hazardous)-)?")


def _kind(concept: dict[str, Any]) -> str:
    if concept.get("hypercube"):
        return "hypercube"
    if concept.get("dimension"):
        return "typed_axis" if (concept.get("other") or {}).get("typedElement") else "axis"
    if concept.get("dataType") == "dtr-types:domainItemType":
        return "member"
    return "abstract" if concept.get("abstract") else "item"


def _vsme_reference(concept: dict[str, Any]) -> tuple[str, str, str]:
    """(module, paragraph, first URI) of the concept's VSME reference."""
    for reference in concept.get("references") or []:
        parts = reference["parts"]
        names = dict(p for p in parts if p[0] != "ref:URI")
        if names.get("ref:Name") != "VSME":
            continue
        paragraph = "".join(
            f"({names[k]})" if k != "ref:Paragraph" else names[k]
            for k in ("ref:Paragraph", "ref:Subparagraph", "ref:Clause")
            if k in names
        )
        uri = next((p[1] for p in parts if p[0] == "ref:URI"), "")
        return names.get("ref:Number", ""), paragraph, uri
    return "", "", ""


def _label(concept: dict[str, Any], lang: str, role: str = LABEL) -> str:
    return str((concept.get("labels", {}).get(lang) or {}).get(role, ""))


def main(source: Path) -> None:
    data = json.loads(source.read_text(encoding="utf-8"))
    version = data["entryPoint"].split("/")[-2]
    concepts: dict[str, dict[str, Any]] = data["concepts"]
    role_module: dict[str, str] = {}
    for role in data["presentation"].values():
        match = re.match(r"\[\d+\] ([BC]\d+) ", role.get("definition", ""))
        for row in role["rows"]:
            name = row[1]
            if match and name not in role_module:
                role_module[name] = match.group(1)

    with (OUT / f"vsme-{version}-concepts.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(
            (
                "id",
                "kind",
                "module",
                "paragraph",
                "data_type",
                "base_type",
                "period_type",
                "label_de",
                "label_en",
                "documentation_en",
                "reference",
            )
        )
        for name in sorted(n for n in concepts if n.startswith("vsme:")):
            concept = concepts[name]
            module, paragraph, uri = _vsme_reference(concept)
            writer.writerow(
                (
                    name.split(":", 1)[1],
                    _kind(concept),
                    module or role_module.get(name, ""),
                    paragraph,
                    concept.get("dataType", ""),
                    concept.get("baseDataType", ""),
                    concept.get("periodType", ""),
                    _label(concept, "de"),
                    _label(concept, "en"),
                    _label(concept, "en", DOCUMENTATION),
                    uri,
                )
            )

    with (OUT / f"vsme-{version}-waste.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(("code", "member", "hazardous", "label_en"))
        for name in sorted(n for n in concepts if n.startswith("waste:")):
            local = name.split(":", 1)[1]
            match = WASTE_MEMBER.match(local)
            code = " ".join(g for g in match.groups()[:3] if g) if match else ""
            hazardous = {"Hazardous": "yes", "Non-Hazardous": "no"}.get(
                (match.group(4) if match else None) or "", ""
            )
            label = _label(concepts[name], "en").removesuffix(" [member]")
            writer.writerow((code, local, hazardous, label))

    cubes: list[dict[str, Any]] = []
    for role, tables in data["dimensions"].items():
        if role == "_defaults":
            continue
        for table, spec in tables.items():
            explicit = {
                axis: (["@waste"] if axis == "vsme:TypeOfWasteAxis" else members)
                for axis, members in (spec.get("explicitDimensions") or {}).items()
            }
            cubes.append(
                {
                    "table": table,
                    "role": role.rsplit("/", 1)[1],
                    "closed": bool(spec.get("xbrldt:closed")),
                    "context_element": spec.get("xbrldt:contextElement", "scenario"),
                    "explicit": explicit,
                    "typed": spec.get("typedDimensions") or [],
                    "primary": [row[1] for row in spec["primaryItems"]],
                }
            )
    typed = {
        name: concepts[name]["other"]["typedElement"]
        for name in concepts
        if (concepts[name].get("other") or {}).get("typedElement")
    }
    document = {
        "entry_point": data["entryPoint"],
        "namespaces": {
            k: data["namespaces"][k] for k in ("vsme", "waste", "country", "nace", "iso4217", "utr")
        },
        "defaults": data["dimensions"]["_defaults"],
        "typed_elements": typed,
        "hypercubes": cubes,
    }
    (OUT / f"vsme-{version}-dimensions.json").write_text(
        json.dumps(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )

    enumerations: dict[str, Any] = {}
    foreign: dict[str, dict[str, str]] = {}
    for name in sorted(n for n in concepts if n.startswith("vsme:")):
        members = (concepts[name].get("other") or {}).get("ee20DomainMembers")
        if not members:
            continue
        enumerations[name.split(":", 1)[1]] = {
            "set": concepts[name].get("dataType") == "enum2:enumerationSetItemType",
            "members": [m.removeprefix("vsme:") for m in members],
        }
        for member in members:
            if not member.startswith("vsme:") and member in concepts:
                en = _label(concepts[member], "en").removesuffix(" [member]")
                foreign[member] = {"de": _label(concepts[member], "de") or en, "en": en}
    (OUT / f"vsme-{version}-enumerations.json").write_text(
        json.dumps({"enumerations": enumerations, "labels": foreign}, indent=1, ensure_ascii=False)
        + "\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
