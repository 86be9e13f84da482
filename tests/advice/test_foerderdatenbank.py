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
    programme = read_export(export).programmes["beispiel-programm"]  # the root's name
    assert programme.title == (
        "<![CDATA[<div><p>Platzhaltertitel (kein Text der Förderdatenbank)</p></div>]]>"
    )  # verbatim, markup and CDATA wrapper kept
    assert programme.text("gsb:summary") == "<![CDATA[<p>Platzhalter  mit zwei Leerzeichen.</p>]]>"
    assert programme.properties["gsb:subType"] == "ServiceOffer-FundingProgram"
    assert programme.properties["gsb:cl2Processes"] == (
        "target:/BMWI/SiteGlobals/Categories/FDB/Foerderart/zuschuss",
        "target:/BMWI/SiteGlobals/Categories/FDB/Foerdergebiet/_bundesweit",
    )
    assert "property" not in programme.properties
