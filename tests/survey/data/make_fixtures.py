"""Write the reader test fixtures whose bytes matter: SPSS, Excel and byte-exact text files.

Run from anywhere: ``python tests/survey/data/make_fixtures.py``. The files are committed;
rerun only to change them. The ``.lss`` structure files are hand-written XML.

All companies and answers are invented for the tests.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np
import openpyxl
import pandas as pd
import pyreadstat

HERE = Path(__file__).parent

# German Excel (Windows), "CSV (Trennzeichen-getrennt)": Windows-1252, ';', CRLF, decimal
# comma, quotes only around cells holding ';' or '"', and a ';;;' line for a formatted but
# empty row at the end. "€" (0x80) and „…“ (0x84, 0x93) exist in cp1252 only, not in latin-1.
EXCEL_DE = (
    "Nr;Unternehmen;Branche;Beschäftigte;Materialeinsatz [t];Energiepreis [€/MWh];"
    "Rezyklatanteil [%];Bewertung;Bemerkung\r\n"
    "1;Müller Präzisionsteile GmbH;Metallverarbeitung;85;1.234,5;182,40;12,5;4;"
    "Späne werden sortenrein gesammelt\r\n"
    "2;Schäfer & Söhne KG;Kunststoffverarbeitung;42;310,75;175,10;0;NA;NA\r\n"
    "3;Weißbach Automotive GmbH;Metallverarbeitung;230;4.020;168,00;7,25;5;"
    '"Größter Verlust: Verschnitt; Ausschuss < 2 %"\r\n'
    "4;Özdemir Kunststofftechnik;Kunststoffverarbeitung; 18 ;95,2;190,75;;3;"
    "Kunde lobt „sehr gute“ Qualität\r\n"
    ";;;;;;;;\r\n"
)

# UTF-8 with BOM, ',' and every value quoted (an online form tool's export), LF endings.
UTF8_BOM = (
    '"Zeitstempel","Unternehmen","Größe","F1 Materialverluste messen",'
    '"F2 Anteil Sekundärrohstoffe","Kommentar"\n'
    '"2024-03-04 09:15:00","Gießerei Lindner, Leipzig","mittel","4","0.35",'
    '"Kreislaufführung von Formsand"\n'
    '"2024-03-04 11:02:41","Autozulieferer Böhme","klein","0","NA",""\n'
    '"2024-03-05 16:47:03","Kunststoffwerk Ost","groß","","0.1",'
    '"Mehrweg-Ladungsträger, ""KLT"" statt Karton"\n'
)

# LimeSurvey 6, Export responses: CSV, "Question code" headings, answer codes. Every value
# quoted, ',' separator, CRLF, UTF-8 BOM, one extra CRLF at the end (CsvWriter::close).
# Response 2 never saw G01Q03-G01Q05 (relevance), response 3 saw SQ003 and G01Q03 but left
# them empty: both are "" here, as in the real export. A multiple-choice subquestion holds
# "Y" when ticked and "" when shown but not ticked.
LS_HEADINGS = (
    "id",
    "submitdate",
    "lastpage",
    "startlanguage",
    "seed",
    "startdate",
    "datestamp",
)
LS_RESPONSES = (
    (
        "1",
        "2024-05-13 10:04:12",
        "1",
        "de",
        "1204528761",
        "2024-05-13 09:58:40",
        "2024-05-13 10:04:12",
        "AO04",
        "AO05",
        "AO03",
        "A1",
        "Druckluftleckagen beseitigt,\nrund 12 % weniger Strom für Kompressoren.",
        "Y",
        "Y",
        "",
    ),
    (
        "2",
        "2024-05-13 11:20:03",
        "1",
        "de",
        "88341902",
        "2024-05-13 11:16:55",
        "2024-05-13 11:20:03",
        "AO02",
        "AO03",
        "AO02",
        "A4",
        None,
        None,
        None,
        None,
    ),
    (
        "3",
        "2024-05-14 08:31:47",
        "1",
        "de",
        "550129344",
        "2024-05-14 08:27:10",
        "2024-05-14 08:31:47",
        "AO05",
        "AO04",
        "",
        "A2",
        "",
        None,
        "",
        "Y",
    ),
    (
        "4",
        "2024-05-14 14:12:09",
        "1",
        "en",
        "1730045512",
        "2024-05-14 14:05:33",
        "2024-05-14 14:12:09",
        "AO03",
        "AO03",
        "AO04",
        "A3",
        "Kennzahl {Verschnitt/Blech} eingeführt: Verschnitt von 18 % auf 11 % gesenkt.",
        None,
        "Y",
        "Y",
    ),
)
LS_QUESTIONS = (
    "G01Q01_SQ001",
    "G01Q01_SQ002",
    "G01Q01_SQ003",
    "G01Q02",
    "G01Q03",
    "G01Q04",
    "G01Q05_SQ001",
    "G01Q05_SQ002",
)
VV_TEXTS = (
    "Antwort-ID",
    "Datum Abgeschickt",
    "Letzte Seite",
    "Start-Sprache",
    "Startwert",
    "Datum gestartet",
    "Datum letzte Aktivität",
    "Wie sehr treffen die folgenden Aussagen auf Ihr Unternehmen zu? "
    "(Wir erfassen den Materialverbrauch je Produkt.)",
    "Wie sehr treffen die folgenden Aussagen auf Ihr Unternehmen zu? "
    "(Wir kennen unsere größten Materialverluste.)",
    "Wie sehr treffen die folgenden Aussagen auf Ihr Unternehmen zu? "
    "(Ressourceneffizienz ist Teil unserer Strategie & Zielvereinbarungen.)",
    "Wie oft werten Sie Ihren Energieverbrauch aus?",
    "Welche Maßnahme zur Ressourceneffizienz hat sich bei Ihnen am meisten gelohnt?",
    "Haben Sie ein Energiemanagementsystem nach ISO 50001?",
    "Welche Sekundärrohstoffe setzen Sie ein? (Rezyklat-Kunststoffe)",
    "Welche Sekundärrohstoffe setzen Sie ein? (Sekundäraluminium)",
)


def limesurvey_csv() -> bytes:
    """The CSV export: NULL and '' both become ``""`` (CsvWriter::csvEscape)."""
    codes = [c.replace("_", "[", 1) + "]" if "_" in c else c for c in LS_QUESTIONS]
    lines = [[*LS_HEADINGS, *codes]]
    lines += [["" if v is None else v for v in r] for r in LS_RESPONSES]
    text = "".join(",".join(f'"{v}"' for v in line) + "\r\n" for line in lines) + "\r\n"
    return b"\xef\xbb\xbf" + text.encode("utf-8")


def limesurvey_vv() -> bytes:
    """The VV export (version 2): tab-separated like PHP's fputcsv, two heading lines,
    NULL as {question_not_shown}, '{' and newlines escaped (admin/export.php, vvexport)."""

    def cell(value: str | None) -> str:
        if value is None:
            return "{question_not_shown}"
        value = value.replace("{", "{lbrace}").replace("\n", "{newline}")
        quote = any(c in value for c in ' \t"')
        return '"' + value.replace('"', '""') + '"' if quote else value

    lines = [[cell(t) for t in VV_TEXTS], [*LS_HEADINGS, *LS_QUESTIONS]]
    lines += [[cell(v) for v in r] for r in LS_RESPONSES]
    return "".join("\t".join(line) + "\n" for line in lines).encode("utf-8")


# SGQA names of the response table: {survey id}X{group id}X{question id}{subquestion}.
LS_SGQA = (
    "451738X10X101SQ001",
    "451738X10X101SQ002",
    "451738X10X101SQ003",
    "451738X10X105",
    "451738X10X106",
    "451738X10X107",
    "451738X10X108SQ001",
    "451738X10X108SQ002",
)


def limesurvey_lsr() -> bytes:
    """The response table as LimeSurvey's survey archive holds it (buildXMLFromQuery in
    application/helpers/export_helper.php): every field in ``fields``, one element per
    non-NULL value in each row (NULL: no element; ''; an empty element), a leading ``_`` on
    element names that start with a digit, values as CDATA."""
    fields = [*LS_HEADINGS, *LS_SGQA]
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        "<document>",
        " <LimeSurveyDocType>Responses</LimeSurveyDocType>",
        " <DBVersion>624</DBVersion>",
        " <languages>",
        "  <language>en</language>",
        "  <language>de</language>",
        " </languages>",
        " <responses>",
        "  <fields>",
        *(f"   <fieldname>{f}</fieldname>" for f in fields),
        "  </fields>",
        "  <rows>",
    ]
    for row in LS_RESPONSES:
        out.append("   <row>")
        for field, value in zip(fields, row, strict=True):
            if value is None:
                continue
            tag = f"_{field}" if field[0].isdigit() else field
            body = f"<![CDATA[{value}]]>" if value else ""
            out.append(f"    <{tag}>{body}</{tag}>")
        out.append("   </row>")
    out += ["  </rows>", " </responses>", "</document>", ""]
    return "\n".join(out).encode("utf-8")


def limesurvey_tokens() -> bytes:
    """A participants table (``_tokens.lst``); the reader leaves it alone."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<document>\n'
        " <LimeSurveyDocType>Tokens</LimeSurveyDocType>\n <tokens>\n"
        "  <fields><fieldname>tid</fieldname><fieldname>email</fieldname></fields>\n"
        f"  <rows><row><tid><![CDATA[1]]></tid><email>{escape('a@example.org')}</email>"
        "</row></rows>\n </tokens>\n</document>\n"
    ).encode()


def write_lsa(path: Path) -> None:
    """A survey archive as LimeSurvey's export.php (exportarchive) zips it: structure,
    responses, participants; fixed member dates so that the bytes do not change."""
    members = {
        "survey_451738.lss": (HERE / "limesurvey_survey_451738.lss").read_bytes(),
        "survey_451738_responses.lsr": limesurvey_lsr(),
        "survey_451738_tokens.lst": limesurvey_tokens(),
    }
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(2024, 5, 15, 9, 0, 0)), data)


def write_xlsx(path: Path) -> None:
    """Two sheets; numbers as numbers, a date, a blank cell, text with spaces, 'NA'."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Antworten"
    rows = [
        ("ID", "Branche", "Beschäftigte", "F1", "F2", "Anteil Rezyklat", "Erhoben am", "Bemerkung"),
        ("K01", "Metall", 85, 4, 5, 0.125, dt.datetime(2024, 3, 4), " Späne getrennt "),
        ("K02", "Kunststoff", 42, 2, None, 0, dt.datetime(2024, 3, 5), None),
        ("K03", "Metall", 230, 5, "weiß nicht", 0.0725, dt.datetime(2024, 3, 7), "NA"),
    ]
    for row in rows:
        sheet.append(row)
    notes = book.create_sheet("Hinweise")
    notes.append(("Hinweis",))
    notes.append(("F1/F2: 1 = trifft gar nicht zu … 5 = trifft voll zu",))
    book.properties.creator = "kreislauf tests"
    book.properties.created = dt.datetime(2024, 3, 8)
    book.properties.modified = dt.datetime(2024, 3, 8)
    book.save(path)


def write_sav(path: Path) -> None:
    """Value labels, a discrete user-missing code (9) and a user-missing range (97-99)."""
    likert = {1: "trifft gar nicht zu", 3: "teils/teils", 5: "trifft voll zu"}
    data = pd.DataFrame(
        {
            "id": [1.0, 2.0, 3.0, 4.0, 5.0],
            "branche": ["Metall", "Kunststoff", " Metall ", "", "Elektro"],
            "f1": [4.0, 9.0, 5.0, np.nan, 2.0],
            "f2": [3.0, 98.0, 99.0, 1.0, 5.0],
            "datum": pd.to_datetime(
                ["2024-03-04", "2024-03-04", "2024-03-05", "2024-03-06", "2024-03-07"]
            ),
        }
    )
    pyreadstat.write_sav(
        data,
        path,
        column_labels={
            "id": "Fragebogennummer",
            "branche": "Branche",
            "f1": "Wir messen unsere Materialverluste regelmäßig.",
            "f2": "Wir setzen Sekundärrohstoffe ein.",
        },
        variable_value_labels={
            "f1": {**likert, 9: "weiß nicht"},
            "f2": {**likert, 98: "keine Angabe", 99: "nicht gefragt"},
        },
        missing_ranges={"f1": [9], "f2": [{"lo": 97, "hi": 99}]},
        variable_measure={"f1": "ordinal", "f2": "ordinal"},
    )


def main() -> None:
    (HERE / "excel_de_semikolon.csv").write_bytes(EXCEL_DE.encode("cp1252"))
    (HERE / "utf8_bom_komma.csv").write_bytes(b"\xef\xbb\xbf" + UTF8_BOM.encode("utf-8"))
    (HERE / "results-survey451738.csv").write_bytes(limesurvey_csv())
    (HERE / "vvexport_451738.csv").write_bytes(limesurvey_vv())
    write_xlsx(HERE / "responses.xlsx")
    write_sav(HERE / "responses.sav")
    write_lsa(HERE / "survey_archive_451738.lsa")


if __name__ == "__main__":
    main()
