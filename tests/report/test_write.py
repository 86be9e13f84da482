"""Writing reports: both formats, atomic replacement, and errors a person can act on."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from kreislauf import files
from kreislauf.errors import InvalidOption, OutputNotWritable
from kreislauf.files import atomic_write
from kreislauf.report import Paragraph, Report, Section, write_report
from kreislauf.report import write as write_module

REPORT = Report(
    "Befragung Größe", [Section("Überblick", [Paragraph("87\u00a0% stimmen zu")])], footer="f"
)


def _leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


def test_writes_html_and_pdf(tmp_path: Path) -> None:
    target = tmp_path / "out" / "nested"
    paths = write_report(REPORT, target, stem="leipzig")
    assert paths == [target / "leipzig.html", target / "leipzig.pdf"]
    html = paths[0].read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "Befragung Größe" in html
    assert paths[1].read_bytes().startswith(b"%PDF-")
    assert sorted(p.name for p in target.iterdir()) == ["leipzig.html", "leipzig.pdf"]


def test_writes_only_the_requested_formats(tmp_path: Path) -> None:
    assert write_report(REPORT, tmp_path, formats=["pdf", "pdf"]) == [tmp_path / "report.pdf"]
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]


def test_unknown_format_is_an_invalid_option(tmp_path: Path) -> None:
    with pytest.raises(InvalidOption, match="docx"):
        write_report(REPORT, tmp_path, formats=["html", "docx"])  # type: ignore[list-item]
    assert list(tmp_path.iterdir()) == []


def test_failing_render_writes_nothing_and_keeps_old_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "report.html").write_text("old page", encoding="utf-8")

    def broken(report: Report) -> bytes:
        raise RuntimeError("renderer failed")

    monkeypatch.setattr(write_module, "render_pdf", broken)
    with pytest.raises(RuntimeError, match="renderer failed"):
        write_report(REPORT, tmp_path)
    # html is rendered before pdf, but nothing is written until every format rendered
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]
    assert (tmp_path / "report.html").read_text(encoding="utf-8") == "old page"


def test_failing_write_leaves_no_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "report.pdf").write_bytes(b"old pdf")

    def disk_full(descriptor: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.os, "fsync", disk_full)
    with pytest.raises(OutputNotWritable) as raised:
        write_report(REPORT, tmp_path, formats=["pdf"])
    assert raised.value.params["file"] == str(tmp_path / "report.pdf")
    assert raised.value.params["reason"] == "No space left on device"
    assert raised.value.message("de").startswith(f"{tmp_path / 'report.pdf'}: Ergebnis kann")
    assert (tmp_path / "report.pdf").read_bytes() == b"old pdf"
    assert _leftovers(tmp_path) == []


def test_unwritable_directory_is_reported_without_traceback(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory", encoding="utf-8")
    with pytest.raises(OutputNotWritable) as raised:
        write_report(REPORT, blocker / "reports")
    error = raised.value
    assert error.params["file"] == str(blocker / "reports")
    assert error.params["reason"] in {"Not a directory", "File exists"}
    assert error.exit_code == 3
    assert "Ergebnis kann nicht geschrieben werden" in error.message("de")
    assert "result cannot be written" in error.message("en")


def test_target_that_is_a_directory_is_not_writable(tmp_path: Path) -> None:
    (tmp_path / "report.html").mkdir()
    with pytest.raises(OutputNotWritable, match=r"report\.html"):
        write_report(REPORT, tmp_path, formats=["html"])
    assert _leftovers(tmp_path) == []


def test_atomic_write_text_and_bytes(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    atomic_write(path, '{"größe": 1}')
    assert path.read_bytes() == '{"größe": 1}'.encode()
    atomic_write(path, b"\x00\x01")
    assert path.read_bytes() == b"\x00\x01"
    assert _leftovers(tmp_path) == []


def test_atomic_write_gives_the_usual_permissions(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        atomic_write(tmp_path / "r.html", "x")
    finally:
        os.umask(umask)
    assert (tmp_path / "r.html").stat().st_mode & 0o777 == 0o644


def test_atomic_write_needs_an_existing_directory(tmp_path: Path) -> None:
    with pytest.raises(OutputNotWritable) as raised:
        atomic_write(tmp_path / "missing" / "x.json", "{}")
    assert raised.value.params["reason"] == "No such file or directory"
