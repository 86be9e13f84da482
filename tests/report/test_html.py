"""The self-contained HTML page: structure, escaping, anchors, no external resources."""

from __future__ import annotations

import base64
import io
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from PIL import Image

from kreislauf import charts
from kreislauf.report import (
    Callout,
    Figure,
    KeyFigure,
    KeyFigures,
    Paragraph,
    Report,
    Section,
    Table,
    render_html,
)
from kreislauf.report.html import section_anchors, slugify

PNG = charts.to_png(charts.frequency_bar_chart(["a", "b"], [1, 3], ["25 %", "75 %"], ylabel="n"))
SCRIPT = "<script>alert('x')</script>"


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""
    children: list[Element] = field(default_factory=list)

    def find_all(self, tag: str) -> list[Element]:
        found = [self] if self.tag == tag else []
        for child in self.children:
            found += child.find_all(tag)
        return found

    def all_text(self) -> str:
        return self.text + "".join(child.all_text() for child in self.children)


class TreeBuilder(HTMLParser):
    """A small DOM from :mod:`html.parser` (void elements closed at once)."""

    VOID = frozenset({"meta", "img", "br", "hr", "link", "input"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(element)
        if tag not in self.VOID:
            self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(Element("#text", {}, data))


def parse(page: str) -> Element:
    builder = TreeBuilder()
    builder.feed(page)
    builder.close()
    assert builder.stack == [builder.root], "unclosed elements"
    return builder.root


def sample(lang: str = "de") -> Report:
    table = Table(
        header=["Antwort", "Häufigkeit", "Prozent"],
        rows=[
            ["trifft zu", "11", "44,0\u00a0%"],
            [SCRIPT, "3", "12,0\u00a0%"],
            ["Fehlend", "2", "8,0\u00a0%"],
        ],
        caption="Tabelle 1: Häufigkeiten für Q1",
        footer=[["Gesamt", "25", "100,0\u00a0%"]],
        muted_rows=frozenset({2}),
    )
    return Report(
        title="Ressourceneffizienz in Leipzig – Größe & Wirkung",
        subtitle="Befragung 2024",
        lang=lang,  # type: ignore[arg-type]
        meta=[("Datenquelle", "befragung.sav"), ("N", "25")],
        footer="kreislauf · Fußzeile",
        sections=[
            Section(
                "Überblick",
                [
                    Paragraph(f"Text mit {SCRIPT} & Zeichen", style="lead"),
                    KeyFigures([KeyFigure("4,120", "Mittelwert", "Skala 1–5")]),
                    Callout("Warnungen", ["Q5: 2 fehlende Werte"], tone="warning"),
                ],
            ),
            Section("Ergebnisse", [table], level=2),
            Section("Ergebnisse", [Figure(PNG, caption="Abbildung 1", alt="Balken")], level=2),
            Section("Anhang", [Paragraph("Quellen", style="note")], anchor="anhang-quellen"),
            Section("Contents", [Figure(PNG, caption="Ohne Alternativtext")]),
        ],
    )


def test_document_head_title_and_language() -> None:
    root = parse(render_html(sample()))
    (html,) = root.find_all("html")
    assert html.attrs["lang"] == "de"
    (title,) = root.find_all("title")
    assert title.all_text() == "Ressourceneffizienz in Leipzig – Größe & Wirkung"
    (h1,) = root.find_all("h1")
    assert h1.all_text() == "Ressourceneffizienz in Leipzig – Größe & Wirkung"
    assert parse(render_html(sample("en"))).find_all("html")[0].attrs["lang"] == "en"


def test_meta_block_and_footer() -> None:
    root = parse(render_html(sample()))
    (meta,) = [dl for dl in root.find_all("dl") if "meta" in dl.attrs.get("class", "")]
    assert [dt.all_text() for dt in meta.find_all("dt")] == ["Datenquelle", "N"]
    assert [dd.all_text() for dd in meta.find_all("dd")] == ["befragung.sav", "25"]
    (footer,) = root.find_all("footer")
    assert footer.all_text() == "kreislauf · Fußzeile"


def test_table_of_contents_links_resolve_to_unique_ids() -> None:
    root = parse(render_html(sample()))
    ids = [e.attrs["id"] for e in _walk(root) if "id" in e.attrs]
    assert len(ids) == len(set(ids))
    (nav,) = root.find_all("nav")
    assert nav.find_all("h2")[0].all_text() == "Inhalt"
    links = [(a.attrs["href"], a.all_text()) for a in nav.find_all("a")]
    assert links == [
        ("#ueberblick", "Überblick"),
        ("#ergebnisse", "Ergebnisse"),
        ("#ergebnisse-2", "Ergebnisse"),
        ("#anhang-quellen", "Anhang"),
        ("#contents-2", "Contents"),  # "contents" is the table of contents itself
    ]
    for href, _ in links:
        assert href[1:] in ids
    # sub-sections are nested under their section
    assert len(nav.find_all("ol")) == 2
    english = parse(render_html(sample("en"))).find_all("nav")[0]
    assert english.find_all("h2")[0].all_text() == "Contents"


def test_section_headings_follow_levels() -> None:
    root = parse(render_html(sample()))
    sections = root.find_all("section")
    assert [(s.attrs["id"], s.children[1].tag) for s in sections] == [
        ("ueberblick", "h2"),
        ("ergebnisse", "h3"),
        ("ergebnisse-2", "h3"),
        ("anhang-quellen", "h2"),
        ("contents-2", "h2"),
    ]


def test_table_markup() -> None:
    root = parse(render_html(sample()))
    (table,) = root.find_all("table")
    assert table.find_all("caption")[0].all_text() == "Tabelle 1: Häufigkeiten für Q1"
    headers = table.find_all("th")
    assert [(th.all_text(), th.attrs.get("scope")) for th in headers] == [
        ("Antwort", "col"),
        ("Häufigkeit", "col"),
        ("Prozent", "col"),
    ]
    assert [th.attrs.get("class", "") for th in headers] == ["", "num", "num"]
    (body,) = table.find_all("tbody")
    rows = body.find_all("tr")
    cells = [[td.all_text() for td in row.find_all("td")] for row in rows]
    assert cells == [
        ["trifft zu", "11", "44,0\u00a0%"],
        [SCRIPT, "3", "12,0\u00a0%"],
        ["Fehlend", "2", "8,0\u00a0%"],
    ]
    assert [row.attrs.get("class", "") for row in rows] == ["", "", "muted"]
    assert [td.attrs.get("class", "") for td in rows[0].find_all("td")] == ["", "num", "num"]
    (foot,) = table.find_all("tfoot")
    assert [td.all_text() for td in foot.find_all("td")] == ["Gesamt", "25", "100,0\u00a0%"]


def test_explicit_alignment_is_used() -> None:
    report = Report(
        "T",
        [
            Section(
                "S", [Table(["a", "b", "c"], [["1", "2", "3"]], align=["right", "center", "left"])]
            )
        ],
    )
    (row,) = parse(render_html(report)).find_all("tbody")[0].find_all("tr")
    assert [td.attrs.get("class", "") for td in row.find_all("td")] == ["num", "center", ""]


def test_text_is_escaped_not_interpreted() -> None:
    page = render_html(sample())
    root = parse(page)
    assert root.find_all("script") == []
    assert "<script>" not in page
    assert "&lt;script&gt;" in page
    (lead,) = [p for p in root.find_all("p") if p.attrs.get("class") == "lead"]
    assert lead.all_text() == f"Text mit {SCRIPT} & Zeichen"


def test_blocks_render_as_callout_key_figures_and_notes() -> None:
    root = parse(render_html(sample()))
    (aside,) = root.find_all("aside")
    assert aside.attrs["class"] == "callout callout-warning"
    assert aside.find_all("li")[0].all_text() == "Q5: 2 fehlende Werte"
    (grid,) = [ul for ul in root.find_all("ul") if ul.attrs.get("class") == "key-figures"]
    spans = {span.attrs["class"]: span.all_text() for span in grid.find_all("span")}
    assert spans == {"kf-value": "4,120", "kf-label": "Mittelwert", "kf-detail": "Skala 1–5"}
    assert [p.all_text() for p in root.find_all("p") if p.attrs.get("class") == "note"] == [
        "Quellen"
    ]


def test_figures_are_inline_png_with_caption_and_alt() -> None:
    root = parse(render_html(sample()))
    figures = root.find_all("figure")
    assert len(figures) == 2
    for figure in figures:
        (img,) = figure.find_all("img")
        prefix = "data:image/png;base64,"
        assert img.attrs["src"].startswith(prefix)
        assert base64.b64decode(img.attrs["src"][len(prefix) :]) == PNG
        size = Image.open(io.BytesIO(PNG)).size
        assert (int(img.attrs["width"]), int(img.attrs["height"])) == size
    assert [f.find_all("figcaption")[0].all_text() for f in figures] == [
        "Abbildung 1",
        "Ohne Alternativtext",
    ]
    # the caption stands in for a missing alt text
    assert [f.find_all("img")[0].attrs["alt"] for f in figures] == ["Balken", "Ohne Alternativtext"]


def test_page_loads_nothing_from_outside() -> None:
    page = render_html(sample())
    root = parse(page)
    assert root.find_all("link") == [] and root.find_all("script") == []
    for element in _walk(root):
        for name in ("src", "href"):
            value = element.attrs.get(name)
            if value is None:
                continue
            assert "http" not in value and not value.startswith("//"), value
            assert value.startswith(("#", "data:image/png;base64,")), value
    assert "url(" not in page and "@import" not in page
    (csp,) = [m for m in root.find_all("meta") if m.attrs.get("http-equiv")]
    assert "default-src 'none'" in csp.attrs["content"]


def test_slugify_transliterates_umlauts() -> None:
    assert (
        slugify("Größe der Unternehmen (Mitarbeitende)") == "groesse-der-unternehmen-mitarbeitende"
    )
    assert slugify("Ökobilanz: Scope 3 – Übersicht") == "oekobilanz-scope-3-uebersicht"
    assert slugify("Café") == "cafe"
    assert slugify("2024") == "section-2024"
    assert slugify("—") == "section"


def test_anchors_are_unique_and_keep_explicit_ones() -> None:
    sections = [
        Section("Ergebnisse", []),
        Section("Ergebnisse", []),
        Section("Q1", [], anchor="ergebnisse-2"),
        Section("Q2", [], anchor="q2 mit leerzeichen"),
        Section("Top", []),
    ]
    assert section_anchors(sections) == [
        "ergebnisse",
        "ergebnisse-3",  # "-2" belongs to the explicit anchor below
        "ergebnisse-2",
        "q2-mit-leerzeichen",
        "top-2",
    ]


def test_large_report_renders_fast() -> None:
    png = PNG  # a real chart
    rows = [[f"Kategorie {i}", str(i), f"{i},0\u00a0%"] for i in range(8)]
    sections = [
        Section(
            f"Frage {i}",
            [
                Table(["Antwort", "n", "%"], rows, caption=f"Tabelle {i}"),
                Figure(png, caption=f"Abbildung {i}"),
            ],
        )
        for i in range(60)
    ]
    sections.append(Section("Anhang", [Figure(png, caption="Abbildung 61")]))
    report = Report("Groß", sections)
    render_html(report)  # compiles the template once
    start = time.perf_counter()
    page = render_html(report)
    elapsed = time.perf_counter() - start
    assert page.count("<table>") == 60 and page.count("<img ") == 61
    assert elapsed < 2.0, f"rendering took {elapsed:.2f} s"


def _walk(element: Element) -> list[Element]:
    out = [element]
    for child in element.children:
        out += _walk(child)
    return out


@pytest.mark.parametrize("tone", ["info", "warning", "ok"])
def test_callout_tones_have_their_own_class(tone: str) -> None:
    report = Report("T", [Section("S", [Callout("C", ["x"], tone=tone)])])  # type: ignore[arg-type]
    (aside,) = parse(render_html(report)).find_all("aside")
    assert aside.attrs["class"] == f"callout callout-{tone}"
