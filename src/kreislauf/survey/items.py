"""From raw cells to analysable items: which columns are items, of what kind, which
cells are valid answers and which are missing (and why).

Rules without a questionnaire (documented in ``docs/survey.md``):

* the identifier column (named like ``id``/``lfdn``/``respondent``, or a first column
  whose values are all present, unique, whole numbers or codes with a digit, and that has
  no value labels) and the weight column are not items;
* what the source file declares comes first: a text variable (SPSS ``A2``) is
  categorical, a nominal variable is categorical and never a Likert item, an array
  question with answer options (LimeSurvey) is a Likert item on the scale of its options;
* a column whose non-blank cells are all numbers (decimal point or comma) is numeric; with
  a declared scale (``--scale 1-5``) it is a Likert item when it holds whole numbers, at
  least half of them lie on the scale and at most two distinct values lie off it (codes
  such as 0 or 99, reported as out-of-scale);
* a column that is mostly numbers (≥ 80 %) but has a few other values is an error naming
  the first such cell, unless those values are declared missing codes;
* any other column is categorical.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from kreislauf.errors import InvalidOption, NonNumericValue, UnknownColumn
from kreislauf.i18n import LANGUAGES, Lang, msg
from kreislauf.numbers import coerce_numeric, parse_number
from kreislauf.survey.dataset import Code, ColumnMeta, Measure, MultipleSet, RawResponses
from kreislauf.survey.questionnaire import ItemKind, ItemSpec, Questionnaire, ScaleSpec

VALID, DECLARED, EMPTY, NOT_SHOWN = 0, 1, 2, 3
MOSTLY_NUMERIC = 0.8
ON_SCALE_SHARE = 0.5
MAX_ODD_CODES = 2
_ID_NAMES = re.compile(
    r"^(id|lfdn|lfd\.?\s*nr\.?|nr\.?|respondent(_?id)?|response_?id|case(_?id)?|fall)$", re.I
)

LocalText = dict[Lang, str]
#: How the respondent identifier was chosen (reported in ``settings.id_rule``).
IdRule = Literal["questionnaire", "source", "name", "first_column"]


@dataclass(frozen=True)
class Item:
    """One analysable item.

    values : float64 for Likert/numeric items (NaN where not a valid answer); object array
        of ``str`` for categorical items (None where not valid)
    codes : the declared missing code of each cell (None elsewhere)
    missing_kind : per cell VALID, DECLARED, EMPTY or NOT_SHOWN
    """

    id: str
    column: str
    kind: ItemKind
    role: Literal["item", "demographic"]
    text: LocalText
    short: LocalText | None
    scale: ScaleSpec | None
    labels: dict[Code, LocalText]
    missing_labels: dict[Code, LocalText | None]
    reverse: bool
    values: np.ndarray
    codes: np.ndarray
    missing_kind: np.ndarray
    measure: Measure | None = None

    @property
    def valid(self) -> np.ndarray:
        return np.asarray(self.missing_kind == VALID, dtype=bool)


@dataclass(frozen=True)
class PreparedSet:
    """A multiple-response set ready to count.

    answers : one per column (dichotomy) or per answer code (category), in order:
        ``(value, label)``; the value is the column name or the code
    chosen : cases × answers, how often each case gave each answer (0/1 for a dichotomy;
        a category set counts a code once per column that holds it)
    """

    id: str
    label: LocalText
    kind: Literal["dichotomy", "category"]
    columns: tuple[str, ...]
    answers: list[tuple[Code, str]]
    chosen: np.ndarray


@dataclass(frozen=True)
class PreparedSurvey:
    """The items of one survey plus what identifies and weights the respondents."""

    source: str
    n: int
    items: list[Item]
    row_numbers: np.ndarray
    respondent_ids: np.ndarray | None
    id_column: str | None
    weights: np.ndarray | None
    weight_column: str | None
    id_rule: IdRule | None = None
    multiple: tuple[PreparedSet, ...] = ()

    def item(self, item_id: str) -> Item:
        return next(i for i in self.items if i.id == item_id)


def parse_scale(text: str) -> ScaleSpec:
    """``"1-5"`` → a 1..5 scale; raises :class:`InvalidOption` for anything else."""
    match = re.fullmatch(r"\s*(-?\d+)\s*[-–:.]{1,2}\s*(-?\d+)\s*", text)
    if not match or int(match[2]) <= int(match[1]):
        raise InvalidOption(value=text, option="--scale", expected="MIN-MAX, e.g. 1-5")
    return ScaleSpec(min=int(match[1]), max=int(match[2]))


def normalise_code(value: object) -> Code:
    """Codes compare as numbers where they look like numbers (``"0"`` == ``0``)."""
    if isinstance(value, int | float | np.integer | np.floating):
        return float(value)
    text = str(value).strip()
    try:
        return parse_number(text)
    except ValueError:
        return text


def prepare_survey(
    raw: RawResponses,
    questionnaire: Questionnaire | None = None,
    *,
    scale: ScaleSpec | None = None,
    missing_codes: list[Code] | tuple[Code, ...] = (),
    weight_column: str | None = None,
    questionnaire_name: str = "questionnaire",
) -> PreparedSurvey:
    """Decide the items and classify every cell; raise an :class:`InputError` on bad data."""
    q = questionnaire or Questionnaire()
    frame = raw.frame
    scale = scale or q.scale
    global_missing: dict[Code, LocalText | None] = {normalise_code(c): None for c in missing_codes}
    for declared in q.missing:
        global_missing[normalise_code(declared.code)] = declared.label

    if q.id_column and q.id_column not in frame.columns:
        raise _unknown_column(q.id_column, frame, file=questionnaire_name, field="id_column")
    id_column, id_rule = _id_column(raw, q)
    weight_column = weight_column or q.weight_column
    weights = _weights(raw, weight_column, questionnaire_name) if weight_column else None

    if q.items:
        specs = q.items
        for position, spec in enumerate(specs):
            if spec.source_column not in frame.columns:
                raise _unknown_column(
                    spec.source_column,
                    frame,
                    file=questionnaire_name,
                    field=f"items[{position}].column" if spec.column else f"items[{position}].id",
                )
    sets = multiple_sets(raw, q, questionnaire_name)
    if not q.items:
        in_sets = {c for s, _ in sets for c in s.columns}
        skip = {id_column, weight_column, *in_sets}
        specs = [ItemSpec(id=str(c)) for c in frame.columns if c not in skip]

    items = [
        _build_item(
            raw,
            spec,
            scale=spec.scale or scale or _source_scale(raw, spec),
            global_missing=global_missing,
        )
        for spec in specs
    ]
    ids = frame[id_column].to_numpy(dtype=object) if id_column else None
    return PreparedSurvey(
        source=raw.source,
        n=len(frame),
        items=items,
        row_numbers=np.arange(len(frame)) + raw.first_row,
        respondent_ids=ids,
        id_column=id_column,
        weights=weights,
        weight_column=weight_column,
        id_rule=id_rule,
        multiple=tuple(_prepare_set(raw, s, text, global_missing) for s, text in sets),
    )


def multiple_sets(
    raw: RawResponses, q: Questionnaire, questionnaire_name: str = "questionnaire"
) -> list[tuple[MultipleSet, LocalText]]:
    """The multiple-response sets with their texts: the questionnaire's ``multiple``
    groups if it has any, else the source's (SPSS ``$mrset``, LimeSurvey multiple choice).

    A questionnaire group names item ids or columns; with ``counted_value`` it is a
    dichotomy set, without a category set.
    """
    if not q.multiple:
        return [(s, _same(s.label)) for s in raw.multiple_sets]
    sets = []
    for position, group in enumerate(q.multiple):
        columns = []
        for name in group.items:
            spec = q.item(name)
            column = spec.source_column if spec else name
            if column not in raw.frame.columns:
                raise _unknown_column(
                    column, raw.frame, file=questionnaire_name, field=f"multiple[{position}].items"
                )
            columns.append(column)
        answer_labels = {
            spec.source_column: (spec.short or spec.text or {}).get("de", spec.id)
            for spec in (q.item(name) for name in group.items)
            if spec is not None and (spec.short or spec.text)
        }
        found = MultipleSet(
            id=group.id,
            label=group.id,
            columns=tuple(columns),
            kind="dichotomy" if group.counted_value is not None else "category",
            counted_value=group.counted_value,
            answer_labels=answer_labels,
        )
        sets.append((found, group.text or _same(group.id)))
    return sets


def _prepare_set(
    raw: RawResponses,
    group: MultipleSet,
    text: LocalText,
    global_missing: dict[Code, LocalText | None],
) -> PreparedSet:
    """Which answers each case gave; blanks and declared missing codes count as none."""
    cells: list[list[Code | None]] = []
    labels: dict[Code, str] = {}
    for column in group.columns:
        meta = raw.meta.get(column, ColumnMeta())
        missing = {normalise_code(c) for c in meta.missing_codes} | set(global_missing)
        codes = [
            None if _blank(v) or normalise_code(v) in missing else normalise_code(v)
            for v in raw.frame[column]
        ]
        cells.append(codes)
        labels.update({normalise_code(c): t for c, t in meta.value_labels.items()})
    n = len(raw.frame)
    if group.kind == "dichotomy":
        counted = normalise_code(1.0 if group.counted_value is None else group.counted_value)
        chosen = np.array([[c == counted for c in column] for column in cells], dtype=float).T
        answers: list[tuple[Code, str]] = [
            (column, group.answer_labels.get(column) or _column_text(raw, column))
            for column in group.columns
        ]
    else:
        found = {c for column in cells for c in column if c is not None}
        order = [c for c in labels if c in found] + sorted(
            (c for c in found if c not in labels), key=_natural_key
        )
        chosen = np.zeros((n, len(order)))
        for codes in cells:
            for position, code in enumerate(order):
                chosen[:, position] += [c == code for c in codes]
        answers = [(code, labels.get(code) or _show_code(code)) for code in order]
    return PreparedSet(
        id=group.id,
        label=text,
        kind=group.kind,
        columns=group.columns,
        answers=answers,
        chosen=chosen.reshape(n, len(answers)),
    )


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value))


def _column_text(raw: RawResponses, column: str) -> str:
    meta = raw.meta.get(column)
    return meta.text if meta is not None and meta.text else column


def _show_code(code: Code) -> str:
    return _category(code) if isinstance(code, str) else _category(repr(code))


def _source_scale(raw: RawResponses, spec: ItemSpec) -> ScaleSpec | None:
    """The scale the source defines for a column (a LimeSurvey array's answer options)."""
    meta = raw.meta.get(spec.source_column)
    if meta is None or meta.scale is None:
        return None
    low, high = meta.scale
    return ScaleSpec(min=low, max=high)


def _build_item(
    raw: RawResponses,
    spec: ItemSpec,
    *,
    scale: ScaleSpec | None,
    global_missing: dict[Code, LocalText | None],
) -> Item:
    column = spec.source_column
    cells = raw.frame[column]
    meta = raw.meta.get(column)
    missing_labels = dict(global_missing)
    if meta is not None:
        missing_labels.update({normalise_code(c): None for c in meta.missing_codes})
    for declared in spec.missing:
        missing_labels[normalise_code(declared.code)] = declared.label

    blank = cells.isna().to_numpy()
    not_shown = raw.not_shown.get(column)
    kind_of_missing = np.full(len(cells), VALID, dtype=np.int8)
    kind_of_missing[blank] = EMPTY
    if not_shown is not None:
        kind_of_missing[blank & not_shown] = NOT_SHOWN

    numbers, bad = coerce_numeric(cells)
    declared_mask, codes = _declared(cells, numbers, missing_labels)
    bad &= ~declared_mask
    kind_of_missing[declared_mask] = DECLARED

    kind = (
        spec.kind
        or _declared_kind(meta, spec)
        or _infer_kind(numbers, bad, blank | declared_mask, scale, spec)
    )
    if kind in ("likert", "numeric") and bad.any():
        first = int(np.flatnonzero(bad)[0])
        expected = (
            msg("survey.expected_scale", low=scale.min, high=scale.max)
            if kind == "likert" and scale
            else msg("survey.expected_number")
        )
        raise NonNumericValue(
            file=raw.source,
            row=raw.file_row(first),
            column=column,
            value=str(cells.iloc[first]),
            expected=expected,
        )

    if kind == "categorical":
        texts = np.asarray(cells.astype("string").to_numpy(object), dtype=object)
        values = np.where(kind_of_missing == VALID, texts, np.array(None, dtype=object))
        values = np.array(
            [None if v is None or v is pd.NA else _category(v) for v in values], dtype=object
        )
    else:
        values = np.where(kind_of_missing == VALID, numbers, np.nan)

    labels: dict[Code, LocalText] = {}
    if kind == "likert" and scale is not None:
        labels.update({float(c): t for c, t in scale.labels.items()})
    if meta is not None:
        # in code order: an ordinal variable's categories sort as the file numbers them
        source = {normalise_code(c): _same(t) for c, t in meta.value_labels.items()}
        labels.update(dict(sorted(source.items(), key=lambda pair: _natural_key(pair[0]))))
    if spec.labels:  # the questionnaire's order wins
        labels = {**spec.labels, **{c: t for c, t in labels.items() if c not in spec.labels}}
        labels.update(spec.labels)
    for code in list(missing_labels):
        if missing_labels[code] is None and code in labels:
            missing_labels[code] = labels[code]
    text = spec.text or (_same(meta.text) if meta and meta.text else _same(column))
    return Item(
        id=spec.id,
        column=column,
        kind=kind,
        role=spec.role,
        text=text,
        short=spec.short,
        scale=scale if kind == "likert" else None,
        labels=labels,
        missing_labels={c: lab for c, lab in missing_labels.items() if _present(c, codes)}
        | {normalise_code(d.code): d.label for d in spec.missing},
        reverse=spec.reverse,
        values=values,
        codes=codes,
        missing_kind=kind_of_missing,
        measure=meta.measure if meta is not None else None,
    )


def _declared_kind(meta: ColumnMeta | None, spec: ItemSpec) -> ItemKind | None:
    """The kind the source file declares: text and nominal variables are categorical,
    an array question with answer options is a Likert item. ``None``: infer from the data.

    References
    ----------
    IBM SPSS Statistics, "Variable measurement level": nominal categories have no order;
    ordinal ones do; scale variables are numeric.
    """
    if meta is None:
        return None
    if meta.string or meta.measure == "nominal":
        return "categorical"
    if meta.scale is not None and spec.scale is None:
        return "likert"
    return None


def _natural_key(code: Code) -> tuple[float, str]:
    return (code, "") if isinstance(code, float) else (float("inf"), str(code))


def _declared(
    cells: pd.Series, numbers: np.ndarray, missing: dict[Code, LocalText | None]
) -> tuple[np.ndarray, np.ndarray]:
    """Mask of cells holding a declared missing code, and the code per cell.

    Without a declared code in the column the codes are one read-only ``None`` seen at every
    cell (no array of pointers per item: 800 kB per 100,000 responses, issue 21).
    """
    mask = np.zeros(len(cells), dtype=bool)
    hits: list[tuple[np.ndarray, Code]] = []
    numeric_codes = [c for c in missing if isinstance(c, float)]
    text_codes = [c for c in missing if isinstance(c, str)]
    for code in numeric_codes:
        hit = numbers == code
        mask |= hit
        hits.append((hit, code))
    if text_codes:
        text = cells.astype("string").str.strip()
        for text_code in text_codes:
            hit = (text == text_code).fillna(False).to_numpy(bool)
            mask |= hit
            hits.append((hit, text_code))
    if not mask.any():
        return mask, np.broadcast_to(np.array(None, dtype=object), (len(cells),))
    codes = np.full(len(cells), None, dtype=object)
    for hit, found in hits:  # in this order: a later code wins, as before
        codes[hit] = found
    return mask, codes


def _present(code: Code, codes: np.ndarray) -> bool:
    return bool(np.any(codes == code))


def _infer_kind(
    numbers: np.ndarray,
    bad: np.ndarray,
    not_valid: np.ndarray,
    scale: ScaleSpec | None,
    spec: ItemSpec,
) -> ItemKind:
    present = ~not_valid
    n_present = int(present.sum())
    n_numbers = int((present & ~bad).sum())
    if n_present and bad.any() and n_numbers / n_present < MOSTLY_NUMERIC:
        return "categorical"
    if spec.scale is not None or (scale is not None and n_present == 0):
        return "likert"
    if scale is not None:
        valid = numbers[present & ~bad]
        inside = (valid >= scale.min) & (valid <= scale.max)
        whole = bool(np.all(valid == np.round(valid)))
        odd_codes = np.unique(valid[~inside]).size
        if whole and inside.mean() >= ON_SCALE_SHARE and odd_codes <= MAX_ODD_CODES:
            return "likert"
    if n_numbers == 0:
        return "categorical"
    return "numeric"


def _id_column(raw: RawResponses, q: Questionnaire) -> tuple[str | None, IdRule | None]:
    """The respondent identifier and how it was chosen."""
    if q.id_column:
        return q.id_column, "questionnaire"
    if raw.id_column:
        return raw.id_column, "source"
    return _detect_id_column(raw.frame, raw.meta)


def _detect_id_column(
    frame: pd.DataFrame, meta: dict[str, ColumnMeta] | None = None
) -> tuple[str | None, IdRule | None]:
    """A column named like an identifier, else a first column that looks like one.

    A column with value labels (SPSS) or a declared nominal/ordinal level holds answers,
    not identifiers, and is never taken. The first column is taken only when its values
    are all present and unique and are whole numbers, or texts that each hold a digit
    (``R017``, ``2024-03``): unique letters such as ``a, b, c`` are answer codes.
    """
    meta = meta or {}

    def answers(column: object) -> bool:
        m = meta.get(str(column))
        return m is not None and (bool(m.value_labels) or m.measure in ("nominal", "ordinal"))

    for column in frame.columns:
        named = _ID_NAMES.match(str(column).strip())
        if named and not answers(column) and _all_unique(frame[column]):
            return str(column), "name"
    if len(frame.columns) > 1 and len(frame) > 1:
        first = frame.columns[0]
        cells = frame[first]
        if answers(first) or not _all_unique(cells):
            return None, None
        numbers, bad = coerce_numeric(cells)
        if bad.all():
            texts = cells.astype(str)
            if bool(texts.str.contains(r"\d", regex=True).all()):
                return str(first), "first_column"
        elif not bad.any() and np.all(numbers == np.round(numbers)):
            return str(first), "first_column"
    return None, None


def _all_unique(cells: pd.Series) -> bool:
    return bool(cells.notna().all() and cells.is_unique and len(cells) > 1)


def _weights(raw: RawResponses, column: str, questionnaire_name: str) -> np.ndarray:
    if column not in raw.frame.columns:
        raise _unknown_column(column, raw.frame, file=questionnaire_name, field="weight_column")
    numbers, bad = coerce_numeric(raw.frame[column])
    problem = bad | np.isnan(numbers) | (numbers < 0)
    if problem.any():
        first = int(np.flatnonzero(problem)[0])
        raise NonNumericValue(
            file=raw.source,
            row=raw.file_row(first),
            column=column,
            value=str(raw.frame[column].iloc[first]),
            expected=msg("survey.expected_weight"),
        )
    return numbers


def _unknown_column(name: str, frame: pd.DataFrame, **where: str) -> UnknownColumn:
    columns = [str(c) for c in frame.columns]
    close = difflib.get_close_matches(name, columns, n=1)
    hint = msg("survey.did_you_mean", name=close[0]) if close else ""
    shown = ", ".join(columns[:15]) + (" …" if len(columns) > 15 else "")
    return UnknownColumn(value=name, hint=hint, available=shown, **where)


def _category(value: object) -> str:
    """Categories from numbers read as text: ``"2.0"`` → ``"2"``."""
    text = str(value).strip()
    if re.fullmatch(r"-?\d+\.0+", text):
        return text.split(".")[0]
    return text


def _same(text: str) -> LocalText:
    return {lang: text for lang in LANGUAGES}
