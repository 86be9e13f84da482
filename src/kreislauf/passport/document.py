"""A passport as a readable document (German or English) of the shared report renderer.

:func:`passport_document` turns a :class:`~kreislauf.passport.tiers.PassportView` into a
:class:`~kreislauf.report.Report`: one section per passport section with a table of the
fields the tier sees (ranges as "between a and b", statements as their text), lists
(materials, substances, stages, certificates) as tables of their own, and a closing note
saying how many fields the tier does not see (never which). :func:`passport_html` renders it with
:func:`kreislauf.report.render_html`; no other renderer exists for it.
"""

from __future__ import annotations

from typing import Any

from kreislauf import __version__
from kreislauf.i18n import Lang, format_number, translate
from kreislauf.passport.tiers import PassportView, disclosure_fields
from kreislauf.report import Block, Callout, Paragraph, Report, Section, Table
from kreislauf.report.html import render_html


def _t(key: str, lang: Lang, **params: object) -> str:
    return translate(f"passport.doc.{key}", lang, **params)


def _number(value: float, lang: Lang) -> str:
    text = format_number(value, lang, decimals=6)
    if "," in text or "." in text:
        text = text.rstrip("0").rstrip(",.")
    return text


def _text(value: Any, lang: Lang) -> str:
    """One value as text: numbers in the language's format, lists joined, ranges spelled."""
    if isinstance(value, bool):
        return _t("yes" if value else "no", lang)
    if isinstance(value, int | float):
        return _number(float(value), lang)
    if isinstance(value, dict) and value.get("disclosed_as") == "statement":
        return str(value["text"])
    if isinstance(value, dict) and value.get("disclosed_as") == "range":
        low: float | None = value["low"]
        high: float | None = value["high"]
        if low is None and high is not None:
            return _t("range_below", lang, high=_number(high, lang))
        if high is None and low is not None:
            return _t("range_above", lang, low=_number(low, lang))
        return _t("range", lang, low=_number(low or 0.0, lang), high=_number(high or 0.0, lang))
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_text(v, lang)}" for k, v in value.items() if v is not None)
    if isinstance(value, list):
        return ", ".join(_text(v, lang) for v in value)
    return str(value)


def _record_table(records: list[Any], lang: Lang) -> Table:
    """A list of objects as a table: one column per key that any record has."""
    if not records or not all(isinstance(r, dict) for r in records):
        return Table([_t("col.value", lang)], [[_text(records, lang)]])
    keys: list[str] = []
    for record in records:
        keys.extend(k for k in record if k not in keys)
    rows = [[_text(r[k], lang) if r.get(k) is not None else "" for k in keys] for r in records]
    return Table(keys, rows)


def passport_document(view: PassportView, lang: Lang) -> Report:
    """The document of ``view`` in ``lang`` (module docstring)."""
    data = view.data
    sections: list[Section] = []
    order: list[str] = []
    for field in disclosure_fields():
        section = field.partition(".")[0]
        if section not in order:
            order.append(section)
    for section in order:
        node = data.get(section)
        if node is None or node == {} or node == []:
            continue
        blocks: list[Block] = []
        if isinstance(node, dict) and section != "disclosure" and "disclosed_as" not in node:
            rows = []
            for name, value in node.items():
                if value is None:
                    continue
                if isinstance(value, list) and value and isinstance(value[0], dict):
                    blocks.append(Paragraph(_t(f"field.{section}.{name}", lang), "lead"))
                    blocks.append(_record_table(value, lang))
                    continue
                rows.append([_t(f"field.{section}.{name}", lang), _text(value, lang)])
            if rows:
                blocks.insert(0, Table([_t("col.field", lang), _t("col.value", lang)], rows))
        elif isinstance(node, list):
            blocks.append(_record_table(node, lang))
        else:
            blocks.append(Paragraph(_text(node, lang)))
        sections.append(Section(_t(f"section.{section}", lang), blocks, anchor=section))
    if view.withheld:  # how many, never which: a field's existence can be a secret too
        sections.append(
            Section(
                _t("meta.tier", lang),
                [Callout(_t("meta.tier", lang), [_t("withheld", lang, count=len(view.withheld))])],
                anchor="withheld",
            )
        )
    identification = view.section("identification")
    tier = _t(f"tier.{view.tier.value}", lang)
    return Report(
        title=str(identification.get("product_name") or data["id"]),
        subtitle=_t("subtitle", lang, version=data["version"]),
        sections=sections,
        lang=lang,
        meta=[
            (_t("meta.id", lang), str(data["id"])),
            (_t("meta.created", lang), str(data["created"])),
            (_t("meta.status", lang), str(data["status"])),
            (_t("meta.tier", lang), tier),
        ],
        footer=_t("footer", lang, version=__version__, tier=tier),
    )


def passport_html(view: PassportView, lang: Lang) -> bytes:
    """The document of ``view`` as a self-contained HTML5 file (UTF-8)."""
    return render_html(passport_document(view, lang)).encode("utf-8")
