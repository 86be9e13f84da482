"""LimeSurvey: response exports and survey structure files (``.lss``).

A LimeSurvey response export names its columns by question code (``G01Q01[SQ001]`` in the CSV
export, ``G01Q01_SQ001`` in the VV export), starts with system columns (``id``,
``submitdate``, ``lastpage``, ...) and holds answer *codes*, which are often not numbers
(``AO01``, ``A1``). The structure file supplies what the codes mean. This module turns both
into a :class:`~kreislauf.survey.dataset.RawResponses`; it does no file access (see
:func:`kreislauf.survey.readers.read_responses`).

"Not shown" versus "shown but not answered"
-------------------------------------------
LimeSurvey stores an answer the respondent never saw (its question or subquestion was
irrelevant, or the respondent stopped before that page) as SQL ``NULL``, and a shown but
unanswered question as the empty string ``''``. Which export keeps the difference:

- CSV export, answer codes: no. Every value is quoted and ``NULL`` becomes ``""`` like ``''``
  (``CsvWriter::csvEscape``); both are read as blank, ``not_shown`` stays empty.
- CSV export, full answers: only for multiple-choice subquestions, where ``NULL`` is written
  as the (translated) text ``N/A`` and ``''`` as "No" (``SurveyObj::getFullAnswer``: "Strict
  check for empty string to find null values"). Yes/No and gender questions write ``N/A``
  for both ``NULL`` and ``''``; all other types write ``NULL`` as an empty cell.
- VV export (tab-separated, two heading lines): yes, every ``NULL`` is written as the literal
  ``{question_not_shown}`` (``export.php``, ``vvexport``).
- SPSS/R export: yes, ``NULL`` becomes system-missing and ``''`` the "No answer" value.
- There is no export option that writes ``NULL`` as "N/A" for every question type; the
  response export offers only "Convert Y to" / "Convert N to" (``_responses.php``).

So ``{question_not_shown}`` (VV, any column) and ``N/A`` in a multiple-choice column (needs
the structure file) are marked in ``not_shown`` and become blank; ``N/A`` of a Yes/No or
gender question becomes blank without the mark; an empty cell is "no answer".

Answer codes that are not numbers
---------------------------------
See :func:`answer_numbers`: codes are replaced by numbers so that the analysis can compute
with them; the label keeps the original code, e.g. ``{4.0: "stimme eher zu (AO04)"}``.

References
----------
LimeSurvey 6 source (github.com/LimeSurvey/LimeSurvey): application/helpers/admin/export/
CsvWriter.php, Writer.php (``transformResponseValue``: ``$value == '' && !is_null($value)``),
SurveyObj.php (``getFullAnswer``), application/controllers/admin/export.php (``vvexport``:
``if (is_null($row[$field])) $value = '{question_not_shown}'``), application/helpers/
export_helper.php (``SPSSExportData``: separate values for N/A and empty answers),
application/views/admin/export/exportresult_panels/_responses.php (the export options);
.lss layouts: tests/data/surveys/*.lss (DBVersion < 400: texts in ``questions``/``answers``
rows; from LimeSurvey 4: ``question_l10ns``/``answer_l10ns``).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal
from xml.etree.ElementTree import Element, ParseError

import numpy as np
import pandas as pd
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from kreislauf.errors import FileNotReadable, InvalidOption
from kreislauf.i18n import msg
from kreislauf.survey.dataset import Code, ColumnMeta, MultipleSet, RawResponses

SYSTEM_COLUMNS: tuple[str, ...] = (
    "id",
    "submitdate",
    "lastpage",
    "startlanguage",
    "seed",
    "startdate",
    "datestamp",
    "token",
    "ipaddr",
    "refurl",
)
_DETECTING_COLUMNS = frozenset(SYSTEM_COLUMNS[1:7])
VV_NOT_SHOWN = "{question_not_shown}"
#: Array questions whose answers are points of one rating scale: F (array), H (array by
#: column), 1 (dual scale) with answer options; A (5 point), B (10 point) and 5 (5 point
#: choice) with fixed points.
_ARRAYS_WITH_OPTIONS = frozenset("FH1")
_FIXED_SCALES = {"A": (1, 5), "B": (1, 10), "5": (1, 5)}
# Response table columns: SGQA names, {survey}X{group}X{question}{subquestion}.
_SGQA = re.compile(r"_?(?P<sid>\d+)X(?P<gid>\d+)X(?P<qid>\d+)(?P<rest>.*)")
FULL_ANSWER_NOT_SHOWN = "N/A"
# Question types whose "full answers" export writes N/A (SurveyObj::getFullAnswer).
_MULTIPLE_CHOICE = frozenset("MP")
_YES_NO_GENDER = frozenset("YG")
# VV escapes, decoded in this order ("{" was escaped first, so it is restored last).
_VV_ESCAPES = (("{newline}", "\n"), ("{cr}", "\r"), ("{tab}", "\t"), ("{quote}", '"'))
_BRACKETED = re.compile(r"(?P<title>[^\[\]]+)\[(?P<sub>[^\[\]]*)\]")
_TAG = re.compile(r"<[^>]*>")
_NEGATIVE = re.compile(
    r"\b(nicht|kein\w*|nie|niemals|not|never|disagree\w*|dissatisf\w*|unzufrieden\w*"
    r"|schlecht\w*|bad|poor|ablehn\w*|lehne)\b",
    re.IGNORECASE,
)
# Array (5 point / 10 point) subquestions may carry their anchors as "left|right".
_ANCHORS = re.compile(r"(?P<left>[^|]+)\|(?P<right>[^|]+)")


@dataclass(frozen=True)
class AnswerOption:
    """One answer option of a question, in the chosen language.

    assessment_value : the option's assessment value as written in the ``.lss`` ('' if none)
    """

    code: str
    label: str
    sortorder: int
    assessment_value: str = ""


@dataclass(frozen=True)
class Question:
    """A question of the structure file, texts in the chosen language (HTML removed).

    subquestions : subquestion code -> text (all scales)
    answers : scale id -> answer options in sort order
    """

    qid: str
    title: str
    type: str
    text: str
    subquestions: dict[str, str]
    answers: dict[int, tuple[AnswerOption, ...]]


@dataclass(frozen=True)
class SurveyStructure:
    """What a ``.lss`` file says about the questions of a survey.

    language : the language the texts are in; languages : all, base language first
    """

    source: str
    language: str
    languages: tuple[str, ...]
    questions: dict[str, Question]


def is_limesurvey_export(columns: Iterable[object]) -> bool:
    """True when the headings are those of a LimeSurvey response export (``id`` + system)."""
    names = {str(c).strip() for c in columns}
    return "id" in names and len(names & _DETECTING_COLUMNS) >= 2


def answer_numbers(options: Sequence[AnswerOption], *, rating: bool = False) -> dict[str, float]:
    """The number each answer code stands for in the analysis.

    1. Codes that are all numbers keep their value (``"1"`` -> 1.0).
    2. Otherwise the assessment values, when every option has one, they are numbers, are
       distinct and not all 0 (LimeSurvey's default): ``A1`` with assessment value 4 -> 4.0.
    3. Otherwise the position in LimeSurvey's sort order (``sortorder``, then code): 1..k;
       for a rating scale (``rating``: the answer options of an array question) listed from
       agreement down to disagreement, k..1, so that agreement is always the high end.

    Rule 3's direction: the options run downwards when the last one's label is negative
    (:func:`is_negative`: "trifft gar nicht zu", "strongly disagree") and the first one's is
    not ("trifft voll zu"). Real exports list them both ways (the lecture evaluation in
    tests/survey/data/limesurvey_real/ starts with "trifft voll zu"); without the rule
    "trifft gar nicht zu" would count as agreement. The rule depends only on the structure
    file, so the same export always gives the same numbers. Rules 1 and 2 keep a scale the
    survey author numbered (e.g. reversed items); a questionnaire's ``reverse`` still applies.
    """
    numeric = {o.code: _as_number(o.code) for o in options}
    if all(v is not None for v in numeric.values()):
        return {code: float(v) for code, v in numeric.items() if v is not None}
    assessed = {o.code: _as_number(o.assessment_value) for o in options}
    values = list(assessed.values())
    if (
        all(v is not None for v in values)
        and len(set(values)) == len(values)
        and any(v != 0 for v in values)
    ):
        return {code: float(v) for code, v in assessed.items() if v is not None}
    ordered = sorted(options, key=lambda o: (o.sortorder, o.code))
    if rating and len(ordered) > 1 and runs_downwards(ordered[0].label, ordered[-1].label):
        ordered.reverse()
    return {o.code: float(i) for i, o in enumerate(ordered, start=1)}


def is_negative(label: str) -> bool:
    """True when an answer label negates or disapproves (German and English words:
    nicht, kein…, nie, not, never, disagree…, dissatisfied…, unzufrieden…, schlecht…, bad,
    poor, lehne … ab / ablehnen)."""
    return _NEGATIVE.search(label) is not None


def runs_downwards(first: str, last: str) -> bool:
    """True when a rating scale's labels go from approval (``first``) to disapproval."""
    return is_negative(last) and not is_negative(first)


def parse_structure(data: bytes, *, source: str, language: str | None = None) -> SurveyStructure:
    """Parse a LimeSurvey structure file (``.lss``, LimeSurvey 3 to 6).

    ``language`` picks the texts (default: the survey's base language); a text missing in
    that language falls back to the base language. Raises :class:`FileNotReadable` when the
    data is not a LimeSurvey survey structure and :class:`InvalidOption` for a language the
    survey does not have.
    """
    root = _parse_xml(data, source)
    if root.tag != "document" or (root.findtext("LimeSurveyDocType") or "").strip() != "Survey":
        detail = msg("readers.lss.no_document", tag=root.tag)
        raise FileNotReadable(file=source, reason=msg("readers.reason.not_lss", detail=detail))
    if root.find("questions") is None:
        detail = msg("readers.lss.no_questions")
        raise FileNotReadable(file=source, reason=msg("readers.reason.not_lss", detail=detail))
    languages = _languages(root)
    chosen = language or languages[0]
    if chosen not in languages:
        raise InvalidOption(
            file=source,
            value=chosen,
            option="language",
            expected=msg("readers.expected.language", languages=", ".join(languages)),
        )
    order = (chosen, languages[0])
    rows = _table(root, "questions") + _table(root, "subquestions")
    texts = _question_texts(root, rows)
    answers = _answers(root, order)
    parents: dict[str, dict[str, str]] = {}
    kept: dict[str, dict[str, str]] = {}
    for row in rows:
        qid, parent = row.get("qid", ""), row.get("parent_qid", "0") or "0"
        if not qid:
            continue
        if parent == "0":
            kept.setdefault(qid, row)
        else:
            sub_text = _pick(texts.get(qid, {}), order)
            parents.setdefault(parent, {}).setdefault(row.get("title", ""), sub_text)
    questions = {
        row.get("title", ""): Question(
            qid=qid,
            title=row.get("title", ""),
            type=row.get("type", ""),
            text=_pick(texts.get(qid, {}), order),
            subquestions=parents.get(qid, {}),
            answers=answers.get(qid, {}),
        )
        for qid, row in kept.items()
    }
    return SurveyStructure(source=source, language=chosen, languages=languages, questions=questions)


def limesurvey_responses(
    frame: pd.DataFrame,
    *,
    source: str,
    first_row: int,
    structure: SurveyStructure | None = None,
    export: Literal["csv", "vv", "lsr"] = "csv",
    heading_texts: Mapping[str, str] | None = None,
    null: Mapping[str, np.ndarray] | None = None,
) -> RawResponses:
    """Responses of a LimeSurvey export: system columns dropped, codes recoded, meta added.

    frame : the cells as read (``str``, blanks ``NaN``), headings as in the file
    export : ``"csv"`` (response export; ``N/A`` may mark ``NULL``, see :func:`_marked`) or
        ``"vv"`` (``{question_not_shown}`` marks ``NULL``; ``{lbrace}``-style escapes decoded)
    heading_texts : question texts per column from the file itself (VV first line), used
        when there is no structure file
    null : per column the cells that were NULL (``.lsr``: never shown to the respondent)
    """
    dropped = [c for c in frame.columns if c in SYSTEM_COLUMNS and c != "id"]
    frame = frame.drop(columns=dropped)
    not_shown: dict[str, np.ndarray] = {}
    meta: dict[str, ColumnMeta] = {}
    for column in frame.columns:
        if column == "id":
            continue
        located = _locate(structure, column) if structure else None
        cells = frame[column]
        if export == "lsr":
            unseen = np.asarray(null[column]) if null and column in null else cells.isna()
            unseen, unanswered = np.asarray(unseen, dtype=bool), (cells == "").to_numpy(bool)
        else:
            unseen, unanswered = _marked(cells, located, vv=export == "vv")
        if unseen.any():
            not_shown[column] = unseen
        cells = cells.mask(unseen | unanswered)
        if export == "vv":
            cells = _decode_vv(cells)
        if located is not None:
            column_meta, recoding = _column_meta(*located)
            meta[column] = column_meta
            if recoding:
                cells = cells.replace(recoding)
        elif heading_texts and heading_texts.get(column):
            meta[column] = ColumnMeta(text=heading_texts[column])
        frame[column] = cells
    return RawResponses(
        frame=frame,
        source=source,
        first_row=first_row,
        not_shown=not_shown,
        meta=meta,
        id_column="id" if "id" in frame.columns else None,
        multiple_sets=multiple_choice_sets(frame.columns, structure) if structure else (),
    )


def _marked(
    cells: pd.Series, located: tuple[Question, str | None] | None, *, vv: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Cells the export marks as (not shown, no answer); both become blank.

    VV: ``{question_not_shown}`` is NULL. CSV with full answers: ``N/A`` is NULL in a
    multiple-choice subquestion (``''`` is written as "No"), but NULL *or* ``''`` for Yes/No
    and gender questions; elsewhere "N/A" is left as it is (it may be a typed answer), and
    without a structure file the question type, hence the meaning, is unknown.
    """
    unseen = (cells == VV_NOT_SHOWN).to_numpy(dtype=bool, na_value=False, copy=True)
    unanswered = np.zeros(len(cells), dtype=bool)
    if vv or located is None:
        return unseen, unanswered
    question, sub = located
    na = (cells == FULL_ANSWER_NOT_SHOWN).to_numpy(dtype=bool, na_value=False, copy=True)
    if question.type in _MULTIPLE_CHOICE and not _is_free_text_sub(sub):
        unseen = unseen | na
    elif question.type in _YES_NO_GENDER:
        unanswered = na
    return unseen, unanswered


def _is_free_text_sub(sub: str | None) -> bool:
    return sub is not None and (sub == "other" or sub.endswith("comment"))


def _decode_vv(cells: pd.Series) -> pd.Series:
    for escaped, plain in _VV_ESCAPES:
        cells = cells.str.replace(escaped, plain, regex=False)
    return cells.str.replace("{lbrace}", "{", regex=False)


def _locate(structure: SurveyStructure, column: str) -> tuple[Question, str | None] | None:
    """The question a column belongs to and the part after the title (subquestion code)."""
    bracketed = _BRACKETED.fullmatch(column)
    if bracketed and bracketed["title"] in structure.questions:
        return structure.questions[bracketed["title"]], bracketed["sub"]
    if column in structure.questions:
        return structure.questions[column], None
    title, _, sub = column.partition("_")
    if sub and title in structure.questions:
        return structure.questions[title], sub
    return None


def _column_meta(question: Question, sub: str | None) -> tuple[ColumnMeta, dict[str, str]]:
    """Text, value labels and the code recoding of one response column."""
    scale = 0
    text = question.text
    if sub is not None:
        code, hash_sign, scale_text = sub.partition("#")
        if hash_sign and scale_text.isdigit():
            scale = int(scale_text)
        first, _, second = code.partition("_")
        if code in question.subquestions:
            parts = [question.subquestions[code]]
        elif first in question.subquestions and second in question.subquestions:
            parts = [question.subquestions[first], question.subquestions[second]]
        else:
            parts = [code]
        if hash_sign:
            parts.append(f"#{scale_text}")
        text = " – ".join([question.text, *parts])
    free_text = _is_free_text_sub(sub)
    options = () if free_text else question.answers.get(scale, ())
    if not options:
        fixed = _FIXED_SCALES.get(question.type) if not free_text else None
        if fixed is None or sub is None:
            return ColumnMeta(text=text, scale=fixed), {}
        return _fixed_scale_meta(text, fixed, question.subquestions.get(sub.partition("_")[0]))
    numbers = answer_numbers(options, rating=question.type in _ARRAYS_WITH_OPTIONS)
    recode = any(_as_number(o.code) is None for o in options)
    labels: dict[Code, str] = {numbers[o.code]: o.label for o in options}
    recoding = {o.code: code_text(numbers[o.code]) for o in options} if recode else {}
    return ColumnMeta(text=text, value_labels=labels, scale=_scale(question, numbers)), recoding


def _fixed_scale_meta(
    text: str, scale: tuple[int, int], subquestion: str | None
) -> tuple[ColumnMeta, dict[str, str]]:
    """An array with fixed points (5 or 10 point choice). A subquestion written
    ``left|right`` names the two ends (LimeSurvey shows them left and right of the points);
    they become the labels of the lowest and highest point, and when they run from approval
    to disapproval (:func:`runs_downwards`, "trifft voll zu|trifft gar nicht zu") the points
    are turned round so that agreement is the high end, as for answer options."""
    anchors = _ANCHORS.fullmatch(subquestion or "")
    if anchors is None:
        return ColumnMeta(text=text, scale=scale), {}
    left, right = anchors["left"].strip(), anchors["right"].strip()
    low, high = scale
    if not runs_downwards(left, right):
        return ColumnMeta(text=text, value_labels={low: left, high: right}, scale=scale), {}
    recoding = {str(p): str(low + high - p) for p in range(low, high + 1)}
    labels: dict[Code, str] = {float(high): left, float(low): right}
    return ColumnMeta(text=text, value_labels=labels, scale=scale), recoding


def _scale(question: Question, numbers: Mapping[str, float]) -> tuple[int, int] | None:
    """The rating scale of an array question: its answer numbers when they are the
    consecutive whole numbers ``min..max``; lists and other questions have none."""
    if question.type not in _ARRAYS_WITH_OPTIONS:
        return None
    points = sorted(numbers.values())
    whole = all(p.is_integer() for p in points)
    if not whole or len(points) < 2 or points != [points[0] + i for i in range(len(points))]:
        return None
    return int(points[0]), int(points[-1])


def multiple_choice_sets(
    columns: Iterable[str], structure: SurveyStructure
) -> tuple[MultipleSet, ...]:
    """LimeSurvey multiple-choice questions (types M and P) as dichotomy sets: one column
    per subquestion, ``Y`` when ticked; "other" and comment columns are left out."""
    members: dict[str, list[str]] = {}
    for column in columns:
        located = _locate(structure, column)
        if located is None:
            continue
        question, sub = located
        if question.type in _MULTIPLE_CHOICE and sub is not None and not _is_free_text_sub(sub):
            members.setdefault(question.title, []).append(column)
    sets = []
    for title, found in members.items():
        question = structure.questions[title]
        answer_labels = {}
        for column in found:
            located = _locate(structure, column)
            sub = located[1] if located else None
            answer_labels[column] = question.subquestions.get(sub or "", sub or column)
        sets.append(
            MultipleSet(
                id=title,
                label=question.text or title,
                columns=tuple(found),
                kind="dichotomy",
                counted_value="Y",
                answer_labels=answer_labels,
            )
        )
    return tuple(sets)


def parse_responses(
    data: bytes, *, source: str, structure: SurveyStructure
) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """The response table of a LimeSurvey archive (``.lsr`` inside an ``.lsa``).

    The ``.lsr`` is LimeSurvey's XML dump of the response table (``buildXMLFromQuery`` in
    application/helpers/export_helper.php): ``fields/fieldname`` lists the columns,
    ``rows/row`` holds one element per column whose value is not NULL (an empty element
    for ``''``; element names starting with a digit get a leading ``_``, ``#`` becomes
    ``-``). Columns are SGQA names (``451738X10X101SQ001``), renamed here to the
    ``TITLE[SQ001]`` headings of the CSV export. Returns the frame (``str``, ``''`` for an
    empty answer, ``None`` for NULL) and per column the mask of NULL cells.
    """
    root = _parse_xml(data, source)
    if (root.findtext("LimeSurveyDocType") or "").strip() != "Responses":
        detail = msg("readers.lss.no_document", tag=root.tag)
        raise FileNotReadable(file=source, reason=msg("readers.reason.not_lsr", detail=detail))
    table = root.find("responses")
    fields = [(e.text or "").strip() for e in root.iterfind("responses/fields/fieldname")]
    by_qid = {q.qid: q for q in structure.questions.values()}
    names = [_heading_of(field, by_qid) for field in fields]
    tags = [_element_name(field) for field in fields]
    rows = [] if table is None else list(table.iterfind("rows/row"))
    cells: dict[str, list[str | None]] = {name: [] for name in names}
    for row in rows:
        values = {child.tag: child.text or "" for child in row}
        for name, tag in zip(names, tags, strict=True):
            cells[name].append(values.get(tag))
    frame = pd.DataFrame(cells, dtype=object)
    null = {name: frame[name].isna().to_numpy(dtype=bool) for name in names}
    return frame, null


def _element_name(field: str) -> str:
    name = f"_{field}" if field[:1].isdigit() else field
    return name.replace("#", "-")


def _heading_of(field: str, by_qid: Mapping[str, Question]) -> str:
    """``451738X10X101SQ001`` -> ``G01Q01[SQ001]``; other names stay as they are."""
    match = _SGQA.fullmatch(field)
    if match is None or match["qid"] not in by_qid:
        return field
    title = by_qid[match["qid"]].title
    return f"{title}[{match['rest']}]" if match["rest"] else title


def _parse_xml(data: bytes, source: str) -> Element:
    try:
        return fromstring(data, forbid_dtd=True)
    except ParseError as exc:
        raise FileNotReadable(
            file=source, reason=msg("readers.reason.invalid_xml", detail=str(exc))
        ) from exc
    except DefusedXmlException as exc:
        raise FileNotReadable(file=source, reason=msg("readers.reason.forbidden_xml")) from exc


def _table(root: Element, name: str) -> list[dict[str, str]]:
    """Rows of one ``.lss`` table as ``{field: text}`` (CDATA and empty elements as text)."""
    table = root.find(name)
    if table is None:
        return []
    return [
        {field.tag: (field.text or "").strip() for field in row}
        for row in table.iterfind("rows/row")
    ]


def _languages(root: Element) -> tuple[str, ...]:
    """Base language first, then the additional ones."""
    surveys = _table(root, "surveys")
    listed = [(e.text or "").strip() for e in root.iterfind("languages/language")]
    base = surveys[0].get("language", "") if surveys else ""
    extra = surveys[0].get("additional_languages", "").split() if surveys else []
    ordered = [lang for lang in [base, *extra, *listed] if lang]
    return tuple(dict.fromkeys(ordered)) or ("",)


def _question_texts(root: Element, rows: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    """qid -> language -> text; LimeSurvey 4+ (``question_l10ns``) or 3 (in the rows)."""
    l10ns = _table(root, "question_l10ns")
    source = l10ns if root.find("question_l10ns") is not None else rows
    texts: dict[str, dict[str, str]] = {}
    for row in source:
        texts.setdefault(row.get("qid", ""), {})[row.get("language", "")] = _plain(
            row.get("question", "")
        )
    return texts


def _answers(
    root: Element, order: tuple[str, str]
) -> dict[str, dict[int, tuple[AnswerOption, ...]]]:
    """qid -> scale -> options in sort order; LimeSurvey 4+ (``answer_l10ns``) or 3."""
    labels: dict[str, dict[str, str]] = {}
    for row in _table(root, "answer_l10ns"):
        labels.setdefault(row.get("aid", ""), {})[row.get("language", "")] = row.get("answer", "")
    grouped: dict[tuple[str, int, str], dict[str, str]] = {}
    texts: dict[tuple[str, int, str], dict[str, str]] = {}
    for row in _table(root, "answers"):
        key = (row.get("qid", ""), _as_int(row.get("scale_id", "0")), row.get("code", ""))
        grouped.setdefault(key, row)
        by_language = labels.get(row.get("aid", ""), {}) if "aid" in row else {}
        if "answer" in row:
            by_language = {row.get("language", ""): row["answer"]}
        texts.setdefault(key, {}).update(by_language)
    result: dict[str, dict[int, list[AnswerOption]]] = {}
    for (qid, scale, code), row in grouped.items():
        option = AnswerOption(
            code=code,
            label=_pick({k: _plain(v) for k, v in texts[(qid, scale, code)].items()}, order),
            sortorder=_as_int(row.get("sortorder", "0")),
            assessment_value=row.get("assessment_value", ""),
        )
        result.setdefault(qid, {}).setdefault(scale, []).append(option)
    return {
        qid: {s: tuple(sorted(o, key=lambda a: (a.sortorder, a.code))) for s, o in scales.items()}
        for qid, scales in result.items()
    }


def _pick(texts: Mapping[str, str], order: tuple[str, str]) -> str:
    for language in order:
        if texts.get(language):
            return texts[language]
    return next((t for t in texts.values() if t), "")


def _plain(text: str) -> str:
    """Question texts are HTML in LimeSurvey: drop tags, decode entities, fold whitespace."""
    return " ".join(html.unescape(_TAG.sub(" ", text)).split())


def _as_number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if np.isfinite(value) else None


def _as_int(text: str) -> int:
    number = _as_number(text)
    return int(number) if number is not None else 0


def code_text(value: float) -> str:
    """A numeric code as text: ``4.0`` -> ``"4"``, ``2.5`` -> ``"2.5"``."""
    return str(int(value)) if value.is_integer() else repr(value)
