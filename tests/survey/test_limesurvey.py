"""Tests for LimeSurvey exports and structure files (kreislauf.survey.limesurvey).

Fixtures: a LimeSurvey 6 survey (``limesurvey_survey_451738.lss``, German base language,
English translation) with a Likert array G01Q01 (SQ001-SQ003, codes AO01-AO05), a list
G01Q02 (codes A1-A4 with assessment values 4-1), a free-text question G01Q03 shown only when
G01Q02 != A4, a Yes/No question G01Q04 shown only when G01Q02 == A1 and a multiple-choice
question G01Q05 (SQ001, SQ002) shown when G01Q02 != A4; its answer-code CSV export and its VV
export. Response 2 never saw G01Q03-G01Q05 (NULL), response 3 saw SQ003 and G01Q03 but left
them empty ('').
"""

from __future__ import annotations

import math
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from kreislauf.bounded import Limits, applied
from kreislauf.errors import EmptyFile, FileNotReadable, InvalidOption, LimitExceeded
from kreislauf.survey.analysis import analyze_responses
from kreislauf.survey.dataset import ColumnMeta
from kreislauf.survey.limesurvey import (
    AnswerOption,
    answer_numbers,
    is_limesurvey_export,
    parse_structure,
)
from kreislauf.survey.readers import read_responses, read_structure

DATA = Path(__file__).parent / "data"
LSS = DATA / "limesurvey_survey_451738.lss"
LSS3 = DATA / "limesurvey3_survey_451738.lss"
CSV = DATA / "results-survey451738.csv"
VV = DATA / "vvexport_451738.csv"

ARRAY = "Wie sehr treffen die folgenden Aussagen auf Ihr Unternehmen zu?"
LIKERT = {
    1.0: "trifft überhaupt nicht zu",
    2.0: "trifft eher nicht zu",
    3.0: "teils/teils",
    4.0: "trifft eher zu",
    5.0: "trifft voll zu",
}
FREQUENCY = {
    4.0: "täglich",
    3.0: "wöchentlich",
    2.0: "monatlich",
    1.0: "seltener oder nie",
}
MEASURE = "Welche Maßnahme zur Ressourceneffizienz hat sich bei Ihnen am meisten gelohnt?"
ISO = "Haben Sie ein Energiemanagementsystem nach ISO 50001?"


def cells(frame: pd.DataFrame, column: str) -> list[object]:
    return [None if isinstance(v, float) and math.isnan(v) else v for v in frame[column]]


def option(code: str, sortorder: int, assessment: str = "0") -> AnswerOption:
    return AnswerOption(
        code=code, label=code.lower(), sortorder=sortorder, assessment_value=assessment
    )


# --- the CSV export ------------------------------------------------------------------------


def test_csv_export_without_structure() -> None:
    raw = read_responses(CSV)
    assert raw.id_column == "id"
    assert raw.first_row == 2
    assert list(raw.frame.columns) == [
        "id",
        "G01Q01[SQ001]",
        "G01Q01[SQ002]",
        "G01Q01[SQ003]",
        "G01Q02",
        "G01Q03",
        "G01Q04",
        "G01Q05[SQ001]",
        "G01Q05[SQ002]",
    ]
    assert cells(raw.frame, "id") == ["1", "2", "3", "4"]
    assert cells(raw.frame, "G01Q01[SQ001]") == ["AO04", "AO02", "AO05", "AO03"]
    assert raw.meta == {}


def test_csv_export_cannot_tell_not_shown_from_empty() -> None:
    # LimeSurvey writes NULL (response 2, not shown) and '' (response 3, shown) both as ""
    raw = read_responses(CSV, structure=LSS)
    assert cells(raw.frame, "G01Q03")[1:3] == [None, None]
    assert cells(raw.frame, "G01Q05[SQ001]") == ["Y", None, None, "Y"]
    assert raw.not_shown == {}


def test_csv_export_with_structure_recodes_and_labels() -> None:
    raw = read_responses(CSV, structure=LSS)
    frame = raw.frame
    # AO01..AO05 by sort order; A1..A4 by their distinct assessment values 4..1
    assert cells(frame, "G01Q01[SQ001]") == ["4", "2", "5", "3"]
    assert cells(frame, "G01Q01[SQ003]") == ["3", "2", None, "4"]
    assert cells(frame, "G01Q02") == ["4", "1", "3", "2"]
    assert cells(frame, "G01Q04") == ["Y", None, None, None]
    assert cells(frame, "G01Q03")[0] == (
        "Druckluftleckagen beseitigt,\nrund 12 % weniger Strom für Kompressoren."
    )
    assert raw.meta["G01Q01[SQ001]"] == ColumnMeta(
        text=f"{ARRAY} – Wir erfassen den Materialverbrauch je Produkt.",
        value_labels=LIKERT,
        scale=(1, 5),
    )
    assert raw.meta["G01Q01[SQ003]"].text == (
        f"{ARRAY} – Ressourceneffizienz ist Teil unserer Strategie & Zielvereinbarungen."
    )
    assert raw.meta["G01Q02"] == ColumnMeta(
        text="Wie oft werten Sie Ihren Energieverbrauch aus?", value_labels=FREQUENCY
    )
    assert raw.meta["G01Q03"] == ColumnMeta(text=MEASURE)
    assert raw.meta["G01Q04"] == ColumnMeta(text=ISO)
    assert raw.meta["G01Q05[SQ002]"] == ColumnMeta(
        text="Welche Sekundärrohstoffe setzen Sie ein? – Sekundäraluminium"
    )
    assert "id" not in raw.meta


def test_structure_in_english() -> None:
    raw = read_responses(CSV, structure=LSS, language="en")
    assert raw.meta["G01Q01[SQ002]"].text == (
        "How far do the following statements apply to your company? – "
        "We know our largest material losses."
    )
    assert raw.meta["G01Q02"].value_labels[4.0] == "daily"
    # no English text for G01Q04: the base language fills in
    assert raw.meta["G01Q04"].text == ISO


def test_full_answers_export_na(tmp_path: Path) -> None:
    # "Full answers": NULL of a multiple-choice subquestion is "N/A" ('' is "Nein"); a Yes/No
    # question writes "N/A" for NULL and for ''; in free text "N/A" is what was typed
    path = tmp_path / "results-survey451738.csv"
    path.write_text(
        '"id","submitdate","lastpage","startlanguage","G01Q03","G01Q04","G01Q05[SQ001]"\r\n'
        '"1","2024-05-13 10:04:12","1","de","N/A","Ja","Ja"\r\n'
        '"2","2024-05-13 11:20:03","1","de","","N/A","N/A"\r\n'
        '"3","2024-05-14 08:31:47","1","de","","N/A","Nein"\r\n',
        encoding="utf-8-sig",
    )
    raw = read_responses(path, structure=LSS)
    assert cells(raw.frame, "G01Q05[SQ001]") == ["Ja", None, "Nein"]
    assert cells(raw.frame, "G01Q04") == ["Ja", None, None]
    assert cells(raw.frame, "G01Q03") == ["N/A", None, None]
    assert list(raw.not_shown) == ["G01Q05[SQ001]"]
    assert raw.not_shown["G01Q05[SQ001]"].tolist() == [False, True, False]
    # without a structure file the question types are unknown: "N/A" stays as it is
    plain = read_responses(path)
    assert cells(plain.frame, "G01Q05[SQ001]") == ["Ja", "N/A", "Nein"]
    assert plain.not_shown == {}


def test_structure_makes_any_csv_a_limesurvey_export(tmp_path: Path) -> None:
    path = tmp_path / "auszug.csv"
    path.write_text("G01Q01[SQ002];G01Q02\nAO01;A3\n", encoding="utf-8")
    raw = read_responses(path, structure=LSS)
    assert raw.id_column is None
    assert cells(raw.frame, "G01Q01[SQ002]") == ["1"]
    assert cells(raw.frame, "G01Q02") == ["2"]


def test_empty_survey_export(tmp_path: Path) -> None:
    # LimeSurvey writes the headings and one empty record when there are no responses
    path = tmp_path / "results-survey451738.csv"
    headings = ",".join(f'"{h}"' for h in ("id", "submitdate", "lastpage", "startlanguage"))
    path.write_bytes(b"\xef\xbb\xbf" + f'{headings}\r\n"","","",""\r\n\r\n'.encode())
    with pytest.raises(EmptyFile, match=r"results-survey451738\.csv: .*only a header line"):
        read_responses(path)


# --- the VV export -------------------------------------------------------------------------


def test_vv_export_not_shown_versus_empty() -> None:
    raw = read_responses(VV, structure=LSS)
    assert raw.first_row == 3
    assert raw.id_column == "id"
    assert set(raw.not_shown) == {"G01Q03", "G01Q04", "G01Q05_SQ001", "G01Q05_SQ002"}
    assert raw.not_shown["G01Q03"].tolist() == [False, True, False, False]
    assert raw.not_shown["G01Q04"].tolist() == [False, True, True, True]
    assert raw.not_shown["G01Q05_SQ002"].tolist() == [False, True, False, False]
    # ticked "Y", shown but not ticked '' (blank), not shown (blank and marked)
    assert cells(raw.frame, "G01Q05_SQ002") == [None, None, "Y", "Y"]
    # response 3 saw G01Q03 and SQ003 and left them empty: blank, but not "not shown"
    assert cells(raw.frame, "G01Q03")[1:3] == [None, None]
    assert cells(raw.frame, "G01Q01_SQ003") == ["3", "2", None, "4"]
    assert cells(raw.frame, "G01Q02") == ["4", "1", "3", "2"]
    assert raw.meta["G01Q01_SQ001"] == ColumnMeta(
        text=f"{ARRAY} – Wir erfassen den Materialverbrauch je Produkt.",
        value_labels=LIKERT,
        scale=(1, 5),
    )


def test_vv_export_decodes_escapes() -> None:
    frame = read_responses(VV).frame
    assert cells(frame, "G01Q03")[0] == (
        "Druckluftleckagen beseitigt,\nrund 12 % weniger Strom für Kompressoren."
    )
    assert cells(frame, "G01Q03")[3] == (
        "Kennzahl {Verschnitt/Blech} eingeführt: Verschnitt von 18 % auf 11 % gesenkt."
    )


def test_vv_export_without_structure_uses_its_heading_texts() -> None:
    raw = read_responses(VV)
    assert cells(raw.frame, "G01Q01_SQ001") == ["AO04", "AO02", "AO05", "AO03"]
    assert raw.meta["G01Q01_SQ002"] == ColumnMeta(
        text=f"{ARRAY} (Wir kennen unsere größten Materialverluste.)"
    )
    assert raw.not_shown["G01Q03"].tolist() == [False, True, False, False]


# --- the structure file --------------------------------------------------------------------


def test_parse_limesurvey6_structure() -> None:
    survey = read_structure(LSS)
    assert survey.source == "limesurvey_survey_451738.lss"
    assert survey.language == "de"
    assert survey.languages == ("de", "en")
    assert list(survey.questions) == ["G01Q01", "G01Q02", "G01Q03", "G01Q04", "G01Q05"]
    array = survey.questions["G01Q01"]
    assert (array.qid, array.type, array.text) == ("101", "F", ARRAY)
    assert array.subquestions == {
        "SQ001": "Wir erfassen den Materialverbrauch je Produkt.",
        "SQ002": "Wir kennen unsere größten Materialverluste.",
        "SQ003": "Ressourceneffizienz ist Teil unserer Strategie & Zielvereinbarungen.",
    }
    assert [(o.code, o.sortorder) for o in array.answers[0]] == [
        ("AO01", 1),
        ("AO02", 2),
        ("AO03", 3),
        ("AO04", 4),
        ("AO05", 5),
    ]
    # HTML removed, entities decoded, &nbsp; folded into a space
    assert survey.questions["G01Q03"].text == MEASURE
    assert survey.questions["G01Q04"].text == ISO
    assert survey.questions["G01Q02"].answers[0][0] == AnswerOption(
        code="A1", label="täglich", sortorder=1, assessment_value="4"
    )


def test_limesurvey3_layout_gives_the_same_meta() -> None:
    old = read_responses(CSV, structure=LSS3)
    new = read_responses(CSV, structure=LSS)
    for column in ("G01Q01[SQ001]", "G01Q01[SQ002]", "G01Q01[SQ003]", "G01Q02"):
        assert old.meta[column] == new.meta[column]
    pd.testing.assert_frame_equal(old.frame, new.frame)
    english = read_structure(LSS3, language="en")
    assert english.questions["G01Q01"].subquestions["SQ001"] == (
        "We record the material use per product."
    )
    assert english.questions["G01Q02"].answers[0][3].label == "less often or never"


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        # numeric codes keep their value, whatever the assessment values say
        ([option("1", 1, "5"), option("2", 2, "4")], {"1": 1.0, "2": 2.0}),
        # distinct assessment values win over the sort order
        ([option("A1", 1, "4"), option("A2", 2, "3")], {"A1": 4.0, "A2": 3.0}),
        # LimeSurvey's default assessment value 0 everywhere: sort order 1..k
        ([option("AO02", 2), option("AO01", 1)], {"AO01": 1.0, "AO02": 2.0}),
        # duplicate assessment values: sort order, ties broken by code
        (
            [option("B", 1, "1"), option("A", 1, "1"), option("C", 2, "2")],
            {"A": 1.0, "B": 2.0, "C": 3.0},
        ),
        # a missing assessment value: sort order
        ([option("X", 1, ""), option("Y", 2, "7")], {"X": 1.0, "Y": 2.0}),
    ],
)
def test_answer_numbers(options: list[AnswerOption], expected: dict[str, float]) -> None:
    assert answer_numbers(options) == expected


def test_is_limesurvey_export() -> None:
    assert is_limesurvey_export(["id", "submitdate", "lastpage", "startlanguage", "Q1"])
    assert not is_limesurvey_export(["id", "Q1", "Q2"])
    assert not is_limesurvey_export(["Nr", "submitdate", "lastpage"])


# --- errors --------------------------------------------------------------------------------


def test_unknown_language() -> None:
    with pytest.raises(
        InvalidOption,
        match=r"limesurvey_survey_451738\.lss: invalid value 'fr' for language; "
        r"expected a language of the survey: de, en",
    ):
        read_responses(CSV, structure=LSS, language="fr")


def test_structure_file_missing() -> None:
    with pytest.raises(FileNotReadable, match=r"fehlt\.lss: file cannot be read: .*not exist"):
        read_responses(CSV, structure=DATA / "fehlt.lss")


@pytest.mark.parametrize(
    ("content", "pattern"),
    [
        (b"<html><body>Export</body></html>", r"root element is <html>"),
        (
            b'<?xml version="1.0"?><document><LimeSurveyDocType>Label set</LimeSurveyDocType>'
            b"</document>",
            r"root element is <document>",
        ),
        (
            b"<document><LimeSurveyDocType>Survey</LimeSurveyDocType></document>",
            r"table <questions> is missing",
        ),
        (b"<document><questions>", r"not valid XML"),
        (
            b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x "boom">]><document>&x;</document>',
            r"forbidden constructs",
        ),
    ],
)
def test_not_a_structure_file(tmp_path: Path, content: bytes, pattern: str) -> None:
    path = tmp_path / "umfrage.lss"
    path.write_bytes(content)
    with pytest.raises(FileNotReadable, match=r"umfrage\.lss: .*" + pattern):
        read_responses(CSV, structure=path)


def test_parse_structure_is_pure() -> None:
    survey = parse_structure(LSS.read_bytes(), source="upload.lss", language="en")
    assert survey.source == "upload.lss"
    assert survey.questions["G01Q02"].text == "How often do you analyse your energy consumption?"


# --- the survey archive (.lsa) -------------------------------------------------------------

LSA = DATA / "survey_archive_451738.lsa"


def test_lsa_archive_reads_structure_and_responses() -> None:
    """The .lsr keeps NULL (no element: never shown) apart from '' (an empty element)."""
    raw = read_responses(LSA)
    assert raw.source == "survey_archive_451738.lsa"
    assert raw.id_column == "id"
    assert raw.first_row == 1
    assert "submitdate" not in raw.frame.columns
    assert cells(raw.frame, "G01Q01[SQ001]") == ["4", "2", "5", "3"]
    assert raw.not_shown["G01Q03"].tolist() == [False, True, False, False]
    assert raw.not_shown["G01Q04"].tolist() == [False, True, True, True]
    assert "G01Q01[SQ003]" not in raw.not_shown  # response 3 saw it and left it empty
    assert cells(raw.frame, "G01Q01[SQ003]") == ["3", "2", None, "4"]
    assert raw.meta["G01Q01[SQ001]"].value_labels == LIKERT
    assert read_responses(LSA, language="en").meta["G01Q02"].value_labels[4.0] == "daily"


def test_lsa_array_question_gives_likert_items_with_labels_and_shares() -> None:
    results = analyze_responses(read_responses(LSA))
    item = results.item("G01Q01[SQ001]")
    assert item.kind == "likert" and item.scale == (1, 5)
    valid = [(r.label, r.frequency) for r in item.frequencies if r.kind == "valid"]
    assert valid == [
        ("trifft überhaupt nicht zu", 0.0),
        ("trifft eher nicht zu", 1.0),
        ("teils/teils", 1.0),
        ("trifft eher zu", 1.0),
        ("trifft voll zu", 1.0),
    ]
    assert not any("(AO" in r.label for i in results.items for r in i.frequencies)
    # answers 4, 2, 5, 3: two of the three answers off the midpoint agree
    assert item.shares is not None
    assert item.shares.agree_excl_neutral == pytest.approx(100 * 2 / 3)
    # the list question G01Q02 is not an array: no agreement shares
    assert results.item("G01Q02").shares is None


def test_lsa_multiple_choice_question_is_one_multiple_response_table() -> None:
    results = analyze_responses(read_responses(LSA))
    (table,) = results.multiple
    assert table.id == "G01Q05"
    assert table.label == "Welche Sekundärrohstoffe setzen Sie ein?"
    # ticked: SQ001 by responses 1 and 4, SQ002 by 3 and 4; response 2 never saw it
    assert [(r.label, r.count) for r in table.rows] == [
        ("Rezyklat-Kunststoffe", 2.0),
        ("Sekundäraluminium", 2.0),
    ]
    assert (table.cases, table.missing_cases, table.responses) == (3.0, 1.0, 4.0)
    assert table.rows[0].percent_of_cases == pytest.approx(100 * 2 / 3)
    assert table.rows[0].percent_of_responses == pytest.approx(50.0)
    assert "G01Q05[SQ001]" not in [i.id for i in results.items]


def _archive(tmp_path: Path, members: dict[str, bytes]) -> Path:
    path = tmp_path / "archiv.lsa"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_lsa_without_responses_or_damaged(tmp_path: Path) -> None:
    path = _archive(tmp_path, {"survey_1.lss": LSS.read_bytes()})
    with pytest.raises(FileNotReadable, match=r"archiv\.lsa: .*'\*_responses\.lsr' is missing"):
        read_responses(path)
    broken = tmp_path / "kaputt.lsa"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(FileNotReadable, match=r"kaputt\.lsa: .*\(\.lsa, ZIP\)"):
        read_responses(broken)


def test_lsa_member_beyond_the_size_limit(tmp_path: Path) -> None:
    big = b"<document>" + b" " * 5000 + b"</document>"
    path = _archive(tmp_path, {"survey_1.lss": LSS.read_bytes(), "survey_1_responses.lsr": big})
    with applied(Limits(max_xlsx_bytes=4096)), pytest.raises(LimitExceeded, match=r"archiv\.lsa"):
        read_responses(path)


# --- a real LimeSurvey export (tests/survey/data/limesurvey_real/SOURCE.md) ---------------
#
# Survey 293446, a German lecture evaluation exported by LimeSurvey (DBVersion 261) into
# limesurveyrc2api's test fixtures (MIT). Its arrays list the answers from "trifft voll zu"
# (sort order 1) down to "trifft gar nicht zu" (6), the opposite of the generated fixture.

REAL = DATA / "limesurvey_real"
REAL_LSS = REAL / "survey_293446.lss"
REAL_LSR = REAL / "survey_293446_responses.lsr"
REAL_AGREE = ("voll", "zu", "ehrzu")
REAL_DISAGREE = ("ehrni", "nicht", "garni")
REAL_LABELS = [
    "trifft gar nicht zu",
    "trifft nicht zu",
    "trifft eher nicht zu",
    "trifft eher zu",
    "trifft zu",
    "trifft voll zu",
]


def _real_archive(tmp_path: Path) -> Path:
    """The two real members packed into an archive here (the original .lsa also holds a
    participant list with names and e-mail addresses, which is not shipped)."""
    return _archive(
        tmp_path,
        {
            "survey_293446.lss": REAL_LSS.read_bytes(),
            "survey_293446_responses.lsr": REAL_LSR.read_bytes(),
        },
    )


def _codes_in_lsr(field: str) -> list[str | None]:
    """The answer codes of one SGQA column, read straight from the XML (independent of the
    reader): a missing element is NULL."""
    from xml.etree.ElementTree import fromstring as plain_xml

    root = plain_xml(REAL_LSR.read_bytes())
    return [row.findtext(f"_{field}") for row in root.iterfind("responses/rows/row")]


@pytest.mark.parametrize(
    ("item_id", "field"),
    [
        ("lehrkompetenz[inhalt]", "293446X21X248inhalt"),
        ("lehrkompetenz[fragen]", "293446X21X248fragen"),
        ("allgLernmaterialien[g5]", "293446X22X249g5"),
        ("allgemein[gelernt]", "293446X23X259gelernt"),
        ("allgemein[bedeutung]", "293446X23X259bedeutung"),
    ],
)
def test_real_export_array_gives_likert_items_with_labels_and_shares(
    item_id: str, field: str
) -> None:
    """Acceptance (issue 15): an array question of a real LimeSurvey export becomes Likert
    items with the answer labels and agreement shares, agreement being "trifft … zu"."""
    results = analyze_responses(read_responses(REAL_LSR, structure=REAL_LSS))
    item = results.item(item_id)
    assert item.kind == "likert" and item.scale == (1, 6)
    valid = [(r.label, r.frequency) for r in item.frequencies if r.kind == "valid"]
    assert [label for label, _ in valid] == REAL_LABELS
    codes = [c for c in _codes_in_lsr(field) if c is not None]
    assert len(codes) == 3  # response 3 stopped on page 1 and never saw the array
    agree = sum(c in REAL_AGREE for c in codes)
    disagree = sum(c in REAL_DISAGREE for c in codes)
    assert item.shares is not None
    assert item.shares.counts == {"agree": agree, "neutral": 0.0, "disagree": disagree}
    assert item.shares.agree_excl_neutral == pytest.approx(100 * agree / 3)
    assert dict(valid)["trifft voll zu"] == codes.count("voll")
    assert dict(valid)["trifft gar nicht zu"] == codes.count("garni")


def test_real_export_figures_by_hand() -> None:
    """The same figures written out: inhalt voll/garni/ehrni -> 1 of 3 agree; gelernt
    voll/garni/voll -> 2 of 3; the item text joins question and subquestion."""
    raw = read_responses(REAL_LSR, structure=REAL_LSS)
    assert raw.source == "survey_293446_responses.lsr"
    assert len(raw.frame) == 4
    assert raw.not_shown["lehrkompetenz[inhalt]"].tolist() == [False, False, True, False]
    assert cells(raw.frame, "lehrkompetenz[inhalt]") == ["6", "1", None, "3"]
    assert raw.meta["lehrkompetenz[inhalt]"].text == (
        "Die Dozentin/ der Dozent ... – ...kann die Inhalte verständlich darstellen."
    )
    results = analyze_responses(raw)
    inhalt = results.item("lehrkompetenz[inhalt]").shares
    gelernt = results.item("allgemein[gelernt]").shares
    assert inhalt is not None and gelernt is not None
    assert inhalt.agree_excl_neutral == pytest.approx(100 / 3)
    assert gelernt.agree_excl_neutral == pytest.approx(200 / 3)
    # the list question (type L) is not a rating scale: keeps its sort order, no shares
    assert raw.meta["investierteZeit"].value_labels[1.0] == "Keine"
    assert results.item("investierteZeit").shares is None
    # a 5-point array whose subquestion names its ends "trifft voll zu|trifft gar nicht zu":
    # the answer 1 ("trifft voll zu", the left end) is agreement, recoded to 5
    assert cells(raw.frame, "sinnvoll[SQ001]") == ["5", None, None, None]
    assert raw.meta["sinnvoll[SQ001]"].value_labels == {
        5.0: "trifft voll zu",
        1.0: "trifft gar nicht zu",
    }


def test_real_export_as_archive_gives_the_same_results(tmp_path: Path) -> None:
    pair = analyze_responses(read_responses(REAL_LSR, structure=REAL_LSS))
    archive = analyze_responses(read_responses(_real_archive(tmp_path)))
    assert [i.model_dump() for i in archive.items] == [i.model_dump() for i in pair.items]
    assert [m.model_dump() for m in archive.multiple] == [m.model_dump() for m in pair.multiple]
    (first, *_) = archive.multiple
    assert first.id == "engagementArt"


def test_lsr_without_its_structure_is_refused() -> None:
    with pytest.raises(InvalidOption, match=r"survey_293446_responses\.lsr.*\.lss"):
        read_responses(REAL_LSR)


@pytest.mark.parametrize(
    ("first", "last", "downwards"),
    [
        ("trifft voll zu", "trifft gar nicht zu", True),
        ("trifft überhaupt nicht zu", "trifft voll zu", False),
        ("strongly agree", "strongly disagree", True),
        ("sehr gut", "sehr schlecht", True),
        ("zu leicht", "zu schwierig", False),
        ("Keine", "4 Stunden und mehr", False),
    ],
)
def test_rating_scale_direction(first: str, last: str, downwards: bool) -> None:
    from kreislauf.survey.limesurvey import runs_downwards

    assert runs_downwards(first, last) is downwards
    options = [
        AnswerOption(code="a", label=first, sortorder=1),
        AnswerOption(code="m", label="teils", sortorder=2),
        AnswerOption(code="z", label=last, sortorder=3),
    ]
    numbers = answer_numbers(options, rating=True)
    assert numbers == (
        {"a": 3.0, "m": 2.0, "z": 1.0} if downwards else {"a": 1.0, "m": 2.0, "z": 3.0}
    )
    # not a rating scale (a list question): always the sort order
    assert answer_numbers(options) == {"a": 1.0, "m": 2.0, "z": 3.0}
