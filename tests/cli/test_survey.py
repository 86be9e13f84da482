"""``kreislauf survey analyze`` through the real entry point: outputs and bad input."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pypdf
import pytest

from kreislauf.cli import main

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "leipzig-survey"
RESPONSES = EXAMPLE / "responses.csv"
QUESTIONNAIRE = EXAMPLE / "questionnaire.yaml"


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(args)
    captured = capsys.readouterr()
    return info.value.code or 0, captured.out, captured.err


def pdf_text(path: Path) -> str:
    reader = pypdf.PdfReader(io.BytesIO(path.read_bytes()))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The Leipzig example analysed once in German and once in English."""
    out = {}
    for lang in ("de", "en"):
        target = tmp_path_factory.mktemp(f"report-{lang}")
        with pytest.raises(SystemExit) as info:
            main(
                [
                    "survey",
                    "analyze",
                    str(RESPONSES),
                    "-q",
                    str(QUESTIONNAIRE),
                    "--out",
                    str(target),
                    "--lang",
                    lang,
                ]
            )
        assert (info.value.code or 0) == 0
        out[lang] = target
    return out


def test_writes_results_json_html_and_pdf(reports: dict[str, Path]) -> None:
    for target in reports.values():
        assert sorted(p.name for p in target.iterdir()) == [
            "report.html",
            "report.pdf",
            "results.json",
        ]
    results = json.loads((reports["de"] / "results.json").read_text(encoding="utf-8"))
    assert results["n_responses"] == 25
    first = next(i for i in results["items"] if i["id"] == "strategisches_ziel")
    assert first["kind"] == "likert"
    # As in JASP/SPSS the out-of-scale code 0 counts as valid (Table 1 of the seed) ...
    assert first["descriptives"]["valid"] == 25
    assert first["descriptives"]["mean"] == pytest.approx(4.12)
    # ... and the shares without the neutral midpoint keep it in the base: 21 of 24.
    assert first["shares"]["agree_excl_neutral"] == pytest.approx(87.5)


def test_german_report_has_german_texts_and_number_format(reports: dict[str, Path]) -> None:
    html = (reports["de"] / "report.html").read_text(encoding="utf-8")
    text = pdf_text(reports["de"] / "report.pdf")
    for document in (html, text.replace("\u00a0", " ")):
        assert "Deskriptive Kennwerte" in document
        assert "Ressourceneffizienz" in document
        # 21 of 24 agree without the neutral midpoint; babel puts a no-break space before %
        # (the PDF text extraction gives it back as a plain space).
        assert "87,5\u00a0%" in document or "87,5 %" in document
    assert 'lang="de"' in html
    # Counts recovered from shares print as integers: 52.6 % of 19 is 10, not "10,0".
    assert "10 von 19" in html
    assert "10,0 von" not in html
    assert "data:image/png;base64," in html  # charts embedded, page self-contained


def test_english_report_has_english_texts_and_number_format(reports: dict[str, Path]) -> None:
    html = (reports["en"] / "report.html").read_text(encoding="utf-8")
    text = pdf_text(reports["en"] / "report.pdf")
    for document in (html, text):
        assert "Descriptive statistics" in document
        assert "87.5%" in document
        assert "Deskriptive Kennwerte" not in document
    assert 'lang="en"' in html


def test_report_names_the_out_of_scale_codes(reports: dict[str, Path]) -> None:
    text = pdf_text(reports["en"] / "report.pdf")
    results = json.loads((reports["en"] / "results.json").read_text(encoding="utf-8"))
    codes = {w["code"] for w in results["warnings"]}
    assert "out_of_scale" in codes
    flat = " ".join(text.split())
    assert "value 0 occurs 4× and lies outside the scale 1–5" in flat
    assert "mostly SMEs" in flat


# --- bad input: clear message, exit 2, no traceback, nothing written -----------------------


def assert_clean_failure(code: int, err: str, out_dir: Path, *needles: str) -> None:
    assert code == 2, err
    assert "Traceback" not in err
    flat = " ".join(err.split())
    for needle in needles:
        assert needle in flat, f"{needle!r} not in {flat!r}"
    assert not out_dir.exists() or not any(out_dir.iterdir())


def test_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    code, _, err = run(
        ["survey", "analyze", str(tmp_path / "fehlt.csv"), "--out", str(out)], capsys
    )
    assert_clean_failure(code, err, out, "fehlt.csv")


def test_unreadable_binary_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "kaputt.xlsx"
    broken.write_bytes(b"\x00\x01 not a zip archive \xff" * 20)
    out = tmp_path / "out"
    code, _, err = run(["survey", "analyze", str(broken), "--out", str(out)], capsys)
    assert_clean_failure(code, err, out, "kaputt.xlsx")


def test_empty_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "leer.csv"
    empty.write_text("", encoding="utf-8")
    out = tmp_path / "out"
    code, _, err = run(["survey", "analyze", str(empty), "--out", str(out), "--lang", "en"], capsys)
    assert_clean_failure(code, err, out, "leer.csv", "empty")


def test_unknown_column_in_questionnaire(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    questionnaire = tmp_path / "fragebogen.yaml"
    text = QUESTIONNAIRE.read_text(encoding="utf-8")
    questionnaire.write_text(text.replace("tagesgeschaeft", "tagesgeschaft"), encoding="utf-8")
    out = tmp_path / "out"
    code, _, err = run(
        ["survey", "analyze", str(RESPONSES), "-q", str(questionnaire), "--out", str(out)],
        capsys,
    )
    assert_clean_failure(code, err, out, "tagesgeschaft")


def test_non_numeric_value_in_likert_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = RESPONSES.read_text(encoding="utf-8").splitlines()
    cells = lines[5].split(",")
    cells[2] = "4a"  # row 5 of the data, column tagesgeschaeft
    lines[5] = ",".join(cells)
    broken = tmp_path / "antworten.csv"
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    code, _, err = run(
        [
            "survey",
            "analyze",
            str(broken),
            "-q",
            str(QUESTIONNAIRE),
            "--out",
            str(out),
            "--lang",
            "en",
        ],
        capsys,
    )
    assert_clean_failure(code, err, out, "antworten.csv", "tagesgeschaeft", "4a")
    assert "row 6" in err or "row 5" in err


def test_unknown_language(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    code, _, err = run(
        ["survey", "analyze", str(RESPONSES), "--out", str(out), "--lang", "fr"], capsys
    )
    assert_clean_failure(code, err, out, "--lang", "fr")


SURVEY_DATA = Path(__file__).resolve().parents[1] / "survey" / "data"


def test_limesurvey_archive_and_the_identifier(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        [
            "survey",
            "analyze",
            str(SURVEY_DATA / "survey_archive_451738.lsa"),
            "--out",
            str(tmp_path),
            "--formats",
            "html",
            "--lang",
            "en",
        ],
        capsys,
    )
    assert code == 0
    assert (tmp_path / "report.html").exists()
    assert "Respondent identifier: column 'id'" in " ".join(out.split())
    results = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    assert results["settings"]["id_rule"] == "source"
    assert [m["id"] for m in results["multiple"]] == ["G01Q05"]
    array = next(i for i in results["items"] if i["id"] == "G01Q01[SQ002]")
    assert array["kind"] == "likert" and array["shares"]["agree"] == pytest.approx(50.0)


def test_out_of_scale_hint_names_the_option(reports: dict[str, Path]) -> None:
    results = json.loads((reports["de"] / "results.json").read_text(encoding="utf-8"))
    messages = " ".join(w["message"] for w in results["warnings"])
    assert "--missing" not in messages  # the flag is the CLI's hint, not the message's


def _likert_csv(path: Path, rows: int, items: int) -> Path:
    lines = ["id," + ",".join(f"q{i:02d}" for i in range(1, items + 1))]
    lines += [f"{r}," + ",".join(str(1 + (r * i) % 5) for i in range(1, items + 1))
              for r in range(1, rows + 1)]  # fmt: skip
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_formats_json_writes_results_json_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    csv = _likert_csv(tmp_path / "antworten.csv", 40, 3)
    out = tmp_path / "out"
    code, _, _ = run(
        ["survey", "analyze", str(csv), "--out", str(out), "--scale", "1-5", "--formats", "json"],
        capsys,
    )
    assert code == 0
    assert sorted(p.name for p in out.iterdir()) == ["results.json"]
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert [i["id"] for i in results["items"]] == ["q01", "q02", "q03"]
    code, _, err = run(
        ["survey", "analyze", str(csv), "--out", str(out), "--formats", "json,docx"], capsys
    )
    assert code == 2 and "docx" in err


def test_long_item_table_is_a_summary_unless_table_full(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    csv = _likert_csv(tmp_path / "antworten.csv", 30, 25)
    base = ["survey", "analyze", str(csv), "--scale", "1-5", "--formats", "json"]
    code, out, _ = run([*base, "--out", str(tmp_path / "a"), "--lang", "en"], capsys)
    assert code == 0
    flat = " ".join(out.split())
    assert "20 of 25 rows shown." in flat
    assert "│ q20 " in out and "│ q21 " not in out  # table rows, not the warnings
    assert str(tmp_path / "a" / "results.json") in out.replace("\n", "")
    code, out, _ = run([*base, "--out", str(tmp_path / "b"), "--table", "full"], capsys)
    assert code == 0
    assert "│ q25 " in out and "gezeigt" not in out
    code, _, err = run([*base, "--out", str(tmp_path / "c"), "--table", "some"], capsys)
    assert code == 2 and "summary, full" in err


def test_limesurvey_response_table_with_its_structure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The real export (tests/survey/data/limesurvey_real/SOURCE.md): .lsr + --structure."""
    real = SURVEY_DATA / "limesurvey_real"
    lsr = real / "survey_293446_responses.lsr"
    code, _, _ = run(
        ["survey", "analyze", str(lsr), "--structure", str(real / "survey_293446.lss"),
         "--out", str(tmp_path), "--formats", "json"],
        capsys,
    )  # fmt: skip
    assert code == 0
    results = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    gelernt = next(i for i in results["items"] if i["id"] == "allgemein[gelernt]")
    assert gelernt["kind"] == "likert"
    assert gelernt["shares"]["agree"] == pytest.approx(200 / 3)
    code, _, err = run(["survey", "analyze", str(lsr), "--out", str(tmp_path)], capsys)
    assert code == 2 and "--structure" in err
