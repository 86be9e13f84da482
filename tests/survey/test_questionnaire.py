"""Loading the questionnaire file: clear errors with file and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from kreislauf.errors import FileNotReadable, InvalidQuestionnaire
from kreislauf.survey.questionnaire import read_questionnaire


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "fb.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_example_questionnaire_loads(example_dir: Path) -> None:
    q = read_questionnaire(example_dir / "questionnaire.yaml")
    assert q.scale.neutral_point == 3.0
    assert len([i for i in q.items if i.role == "item"]) == 7
    assert q.item("alter").missing[0].label["de"] == "Keine Angabe"
    assert q.item("strategisches_ziel").text["en"].startswith("Resource-efficient")


def test_unknown_field_names_its_path(tmp_path: Path) -> None:
    path = _write(tmp_path, "items:\n  - id: a\n    colum: Q1\n")
    with pytest.raises(InvalidQuestionnaire, match=r"fb\.yaml, field 'items\[0\]\.colum'"):
        read_questionnaire(path)


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "scale:\n  min: 1\n  max: [5\n")
    with pytest.raises(InvalidQuestionnaire, match=r"fb\.yaml, row \d"):
        read_questionnaire(path)


def test_bad_scale_and_unknown_reference(tmp_path: Path) -> None:
    with pytest.raises(InvalidQuestionnaire, match="greater than min"):
        read_questionnaire(_write(tmp_path, "scale: {min: 5, max: 1}\n"))
    text = "items: [{id: a}, {id: b}]\ngroups: [{id: g, items: [a, c]}]\n"
    with pytest.raises(InvalidQuestionnaire, match="unknown item id 'c'"):
        read_questionnaire(_write(tmp_path, text))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FileNotReadable, match=r"nope\.yaml: file cannot be read: file not found"):
        read_questionnaire(tmp_path / "nope.yaml")
