"""The Förderdatenbank export reader on the hand-made sample (data/fdb-sample/SOURCE.md:
not an official file)."""

import io
import zipfile
from datetime import date
from pathlib import Path

import pytest

from kreislauf.advice.foerderdatenbank import (
    export_changes,
    import_export,
    read_export,
    read_export_bytes,
    rendered,
    search_export,
)
from kreislauf.errors import FileNotReadable, InvalidFundingExport, LimitExceeded

SAMPLE = Path(__file__).parent / "data" / "fdb-sample"


def zipped(folder: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for xml in sorted(folder.glob("*.xml")):
            archive.write(xml, xml.name)
    return buffer.getvalue()


def test_reads_programmes_with_texts_as_published():
    export = read_export_bytes(zipped(SAMPLE / "2026-11-24"), name="old.zip")
    assert sorted(export.programmes) == ["alt-1", "eew", "krw-sn"]
    eew = export.programmes["eew"]
    assert eew.title.startswith("Bundesförderung für Energie- und Ressourceneffizienz")
    assert eew.properties["foerderbereich"] == (
        "Energieeffizienz & Erneuerbare Energien/Energieeffizienz",
    )
    # whitespace and line breaks of a text are kept exactly
    raw = (SAMPLE / "2026-11-24" / "eew.xml").read_text(encoding="utf-8")
    published = raw.split("<volltext>")[1].split("</volltext>")[0]
    assert eew.properties["volltext"] == published
    assert export.programmes["krw-sn"].properties["foerderbereich"] == (
        "Umwelt- & Naturschutz/Kreislaufwirtschaft",
        "Unternehmensfinanzierung/Investition",
    )


def test_changes_between_two_exports():
    old = read_export_bytes(zipped(SAMPLE / "2026-11-24"), name="old.zip")
    new = read_export_bytes(zipped(SAMPLE / "2026-12-01"), name="new.zip")
    changes = export_changes(old, new)
    assert changes.added == ["neu-1"]
    assert changes.removed == ["alt-1"]
    assert [(c.id, c.fields) for c in changes.changed] == [("eew", ["foerderbereich", "kurztext"])]
    assert "CC BY-ND 4.0" in changes.licence and "BMWE" in changes.attribution


def test_import_keeps_history_and_compares_with_the_previous(tmp_path):
    history = tmp_path / "history"
    first = import_export(
        zipped(SAMPLE / "2026-11-24"), history, name="a.zip", day=date(2026, 11, 24)
    )
    assert first.added == ["alt-1", "eew", "krw-sn"] and first.removed == []
    second = import_export(
        zipped(SAMPLE / "2026-12-01"), history, name="b.zip", day=date(2026, 12, 1)
    )
    assert second.added == ["neu-1"] and second.removed == ["alt-1"]
    stored = sorted(p.name for p in history.glob("*.zip"))
    assert len(stored) == 2 and stored[0].startswith("2026-11-24-")
    assert len(list(history.glob("*.changes.json"))) == 2
    # the stored export is the file as it came (byte for byte)
    assert (history / stored[1]).read_bytes() == zipped(SAMPLE / "2026-12-01")
    assert sorted(read_export(history / stored[1]).programmes) == ["eew", "krw-sn", "neu-1"]


def test_search_finds_text_in_any_property():
    export = read_export_bytes(zipped(SAMPLE / "2026-12-01"), name="new.zip")
    assert [p.id for p in search_export(export, "rezyklat")] == ["krw-sn"]
    assert {p.id for p in search_export(export, "sachsen")} == {"krw-sn", "neu-1"}


def test_not_a_zip_or_bad_xml_is_a_located_error():
    with pytest.raises(FileNotReadable, match=r"x\.zip.*ZIP"):
        read_export_bytes(b"not a zip", name="x.zip")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("p1.xml", "<foerderprogramm><titel>A</titel>")
    with pytest.raises(InvalidFundingExport, match=r"p1\.xml"):
        read_export_bytes(buffer.getvalue(), name="y.zip")


def test_entity_expansion_is_refused():
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE t [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><t><titel>&b;</titel></t>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("bomb.xml", bomb)
    with pytest.raises(InvalidFundingExport, match=r"bomb\.xml"):
        read_export_bytes(buffer.getvalue(), name="z.zip")


def test_uncompressed_size_is_bounded():
    from kreislauf.bounded import Limits, applied

    data = zipped(SAMPLE / "2026-12-01")
    with applied(Limits(max_xlsx_bytes=100)), pytest.raises(LimitExceeded, match="max_xlsx_bytes"):
        read_export_bytes(data, name="big.zip")


GSB_SHAPE = Path(__file__).parent / "data" / "fdb-gsb-shape"


def test_property_elements_are_read_by_their_name(tmp_path):
    # the shape described second-hand for the real export (fdb-gsb-shape/SOURCE.md)
    export = tmp_path / "gsb.zip"
    with zipfile.ZipFile(export, "w") as archive:
        archive.write(
            GSB_SHAPE / "palu-beispiel.xml",
            "BMWI/FDB/Content/DE/Foerderprogramm/Bund/BMU/palu-beispiel.xml",
        )
    # in the programme tree a programme is named by its path below the programme folder
    programme = read_export(export).programmes["Bund/BMU/palu-beispiel"]
    # the title is shown rendered; the published text stays verbatim in the properties
    assert programme.title == "Platzhaltertitel (kein Text der Förderdatenbank)"
    assert programme.text("gsb:title") == (
        "<![CDATA[<div><p>Platzhaltertitel (kein Text der Förderdatenbank)</p></div>]]>"
    )
    assert programme.text("gsb:summary") == "<![CDATA[<p>Platzhalter  mit zwei Leerzeichen.</p>]]>"
    assert programme.properties["gsb:subType"] == "ServiceOffer-FundingProgram"
    assert programme.properties["gsb:cl2Processes"] == (
        "target:/BMWI/SiteGlobals/Categories/FDB/Foerderart/zuschuss",
        "target:/BMWI/SiteGlobals/Categories/FDB/Foerdergebiet/_bundesweit",
    )
    # a plain link list: grouped by the category's parent segment
    assert programme.categories == {"Foerderart": ("zuschuss",), "Foerdergebiet": ("_bundesweit",)}
    assert "property" not in programme.properties


TREE = Path(__file__).parent / "data" / "fdb-bmwi-tree"


def zipped_tree(folder: Path, *, drop: str = "", change: tuple[str, bytes, bytes] | None = None):
    """The hand-made BMWI tree as an export ZIP (paths as in the real export)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for xml in sorted(folder.rglob("*.xml")):
            member = xml.relative_to(folder).as_posix()
            if drop and drop in member:
                continue
            data = xml.read_bytes()
            if change and change[0] in member:
                data = data.replace(change[1], change[2])
            archive.writestr(member, data)
    return buffer.getvalue()


def test_the_bmwi_tree_keeps_only_programme_documents():
    export = read_export_bytes(zipped_tree(TREE), name="export.zip")
    # the contact and the category are left out and counted; the same slug at two levels
    # is two programmes, named by their paths
    assert sorted(export.programmes) == ["Bund/BMWE/platzhalter", "Land/Sachsen/platzhalter"]
    assert export.skipped == 2


def test_richtext_is_rendered_and_kept_as_published():
    bund = read_export_bytes(zipped_tree(TREE), name="e.zip").programmes["Bund/BMWE/platzhalter"]
    # entities decoded, the soft hyphen (&shy;) removed, markup gone
    assert bund.title == "Platzhalterprogramm Bund (kein Text der Förderdatenbank)"
    assert bund.types["gsb:summary"] == "RichText"
    assert bund.shown("gsb:summary") == (
        "Erster Absatz.\nZweiter Absatz mit\nUmbruch.\n• Punkt eins\n• Punkt zwei"
    )
    # the published text is untouched
    assert bund.text("gsb:summary").startswith("<![CDATA[<p>Erster   Absatz.</p>")
    # a String property is a <value>, shown as is
    assert bund.shown("gsb:keywords") == "Platzhalter Stichwort"
    assert bund.types["gsb:dateOfExpiration"] == "Date"
    assert bund.properties["gsb:cl2Processes"][:2] == (
        "target:/BMWI/SiteGlobals/Categories/FDB/Common/Foerderart",
        "target:/BMWI/SiteGlobals/Categories/FDB/Foerderart/zuschuss",
    )


def test_categories_are_grouped_by_classifier_as_published_slugs():
    programmes = read_export_bytes(zipped_tree(TREE), name="e.zip").programmes
    # the funding body's link (a Content document) is no category; order as published
    assert programmes["Bund/BMWE/platzhalter"].categories == {
        "Foerderart": ("zuschuss",),
        "Foerderberechtigte": ("unternehmen", "kmu"),
    }
    assert programmes["Land/Sachsen/platzhalter"].categories == {}
    shown = programmes["Bund/BMWE/platzhalter"].shown_categories()
    assert shown == "Foerderart: zuschuss; Foerderberechtigte: unternehmen, kmu"
    assert programmes["Land/Sachsen/platzhalter"].shown_categories() == ""


def test_a_control_character_does_not_refuse_the_document():
    sachsen = read_export_bytes(zipped_tree(TREE), name="e.zip").programmes[
        "Land/Sachsen/platzhalter"
    ]
    assert sachsen.shown("gsb:summary") == "Mit einem Steuerzeichen: Absatz."
    # a document broken otherwise is still refused, naming the member
    broken = zipped_tree(TREE, change=("Sachsen", b"</document>", b"</dokument>"))
    with pytest.raises(InvalidFundingExport, match=r"Sachsen/platzhalter\.xml"):
        read_export_bytes(broken, name="e.zip")


def test_changes_between_two_tree_exports_name_programmes_and_fields():
    old = read_export_bytes(zipped_tree(TREE, drop="Sachsen"), name="old.zip")
    new = read_export_bytes(
        zipped_tree(TREE, change=("Bund", b"Punkt eins", b"Punkt drei")), name="new.zip"
    )
    changes = export_changes(old, new)
    assert changes.added == ["Land/Sachsen/platzhalter"]
    assert changes.removed == []
    assert [(c.id, c.fields) for c in changes.changed] == [
        ("Bund/BMWE/platzhalter", ["gsb:summary"])
    ]
    assert changes.skipped_new == 2


def test_search_finds_the_rendered_text():
    export = read_export_bytes(zipped_tree(TREE), name="e.zip")
    # "Platzhalterprogramm" is split by a soft hyphen entity in the published title
    assert [p.id for p in search_export(export, "platzhalterprogramm bund")] == [
        "Bund/BMWE/platzhalter"
    ]
    assert [p.id for p in search_export(export, "punkt zwei")] == ["Bund/BMWE/platzhalter"]


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("", ""),
        ("plain words", "plain words"),
        ("<![CDATA[<p>a &amp; b</p>]]>", "a & b"),
        ("<div><h2>T</h2><p>x<br>y</p></div>", "T\nx\ny"),
        ("<ol><li>eins</li><li>zwei</li></ol>", "• eins\n• zwei"),
    ],
)
def test_rendered(text, shown):
    assert rendered(text) == shown
