"""Arrow's CSV reader against pandas' C parser, the reader it replaced (issue 21).

``_parse_csv_arrow`` must give exactly the cells that ``_stripped(_parse_csv_pandas(...))``
gives (the old path, kept as the fallback), or give way (``None``) so that pandas reads the
text and words its error. Texts are generated from the characters that matter to a CSV
dialect: delimiters, quotes, blanks, line ends, and non-ASCII letters.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from kreislauf.errors import InputError
from kreislauf.survey import readers
from kreislauf.survey.analysis import AnalysisOptions, analyze_responses
from kreislauf.survey.items import parse_scale

PATH = Path("generated.csv")
cell_text = st.text(alphabet=list('ab1 5,;"\t\r\nä\u00a0'), max_size=6) | st.sampled_from(
    ["", "  3 ", "k.A.", "NA", "NULL", "nan", "#N/A", "TRUE"]
)
line_ends = st.sampled_from(["\n", "\r\n", "\r"])


def _old(text: str, separator: str) -> pd.DataFrame:
    return readers._stripped(readers._parse_csv_pandas(PATH, text, separator))


def _agree(text: str, separator: str, *, arrow_reads: bool = False) -> None:
    new = readers._parse_csv_arrow(text, separator)
    if arrow_reads:  # a rectangular table with whole quoted fields is Arrow's to read
        assert new is not None
    try:
        old = _old(text, separator)
    except InputError:
        assert new is None, "Arrow accepted a text pandas refuses"
        return
    if new is None:  # Arrow gave way: pandas reads it, as before
        return
    pd.testing.assert_frame_equal(new, old, check_exact=True)


@st.composite
def written_csv(draw: st.DrawFn) -> tuple[str, str]:
    """A table written by Python's csv module (quoting as needed), any line end."""
    separator = draw(st.sampled_from([",", ";", "\t", "|"]))
    width = draw(st.integers(1, 5))
    rows = draw(st.lists(st.lists(cell_text, min_size=width, max_size=width), max_size=6))
    end = draw(line_ends)
    quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]))
    if any("\r" in c or "\n" in c for row in rows for c in row):
        quoting = csv.QUOTE_ALL  # the csv module quotes only the line end it writes
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=separator, quoting=quoting, lineterminator=end).writerows(
        [[f"c{i}" for i in range(width)], *rows]
    )
    return buffer.getvalue(), separator


@st.composite
def raw_csv(draw: st.DrawFn) -> tuple[str, str]:
    """Lines joined by hand: ragged rows, stray quotes, blank lines, padding."""
    separator = draw(st.sampled_from([",", ";"]))
    lines = draw(st.lists(st.lists(cell_text, min_size=1, max_size=4), min_size=1, max_size=6))
    end = draw(line_ends)
    text = end.join(separator.join(cells) for cells in lines)
    return text + draw(st.sampled_from(["", end])), separator


@settings(max_examples=300, deadline=None)
@given(written_csv())
@example(('c0,c1\n"a\nb", 2 \n\n,\n', ","))
@example(("c0;c1\r\n1;2\r\n", ";"))
def test_arrow_reads_written_tables_as_pandas_did(case: tuple[str, str]) -> None:
    _agree(*case, arrow_reads=True)


@settings(max_examples=300, deadline=None)
@given(raw_csv())
@example(("a,b\n1\n", ","))  # a short row: pandas pads it
@example(('a,b\n"1,2\n', ","))  # an open quote: pandas' error
@example(("a,b\n1,2,3\n", ","))  # a long row: pandas' error
@example(('a,b\n1, "2"\n', ","))  # a quote after a blank is text
@example(('a,b\n1,a"b\n', ","))
@example(("a,b\n1,\x002\n", ","))  # pandas ends a cell at NUL
def test_arrow_agrees_or_gives_way_on_hand_made_text(case: tuple[str, str]) -> None:
    _agree(*case)


def test_the_generated_benchmark_file_reads_alike(tmp_path: Path) -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    from survey_data import make_csv

    path = tmp_path / "s.csv"
    make_csv(3000, 12, path)
    text = path.read_text(encoding="utf-8")
    new = readers._parse_csv_arrow(text, ",")
    assert new is not None
    pd.testing.assert_frame_equal(new, _old(text, ","), check_exact=True)
    assert new.shape == (3001, 13)


answers = st.sampled_from(["1", "2", "3", "4", "5", "", " 4", "99", "k.A."])


@settings(max_examples=40, deadline=None)
@given(columns=st.integers(1, 30).flatmap(lambda n: st.lists(
    st.lists(answers, min_size=n, max_size=n), min_size=5, max_size=7)))  # fmt: skip
def test_results_are_identical_through_either_reader(
    columns: list[list[str]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The whole analysis of one file read by Arrow and by pandas: the same results.json."""
    path = tmp_path_factory.mktemp("arrow") / "responses.csv"
    rows = zip(*columns, strict=True)
    lines = [",".join(["id", *(f"q{i}" for i in range(len(columns)))])]
    lines += [",".join([f"r{n}", *row]) for n, row in enumerate(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    options = AnalysisOptions(scale=parse_scale("1-5"), missing_codes=(99.0, "k.A."))
    new = analyze_responses(readers.read_responses(path), None, options)
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(readers, "_parse_csv_arrow", lambda text, separator: None)
        old = analyze_responses(readers.read_responses(path), None, options)
    assert new.model_dump_json() == old.model_dump_json()
    assert new.n_responses == len(columns[0])
