"""Frequency tables in the JASP/SPSS layout, with every scale point and every kind of
missing answer on its own row.

Unlike JASP and PSPP, a scale point nobody chose is listed with frequency 0, and a
declared missing code, an empty answer and a question that was not shown are kept apart.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kreislauf.i18n import Lang, translate
from kreislauf.survey.items import DECLARED, EMPTY, NOT_SHOWN, VALID, Item, normalise_code
from kreislauf.survey.models import Code, FrequencyRow


def frequency_table(
    item: Item, *, weights: np.ndarray | None = None, lang: Lang = "de"
) -> list[FrequencyRow]:
    """Rows for every valid value (scale points first) and every missing kind present.

    Frequencies are counts, or sums of case weights when ``weights`` is given.
    Percent is of all responses, valid/cumulative percent of the valid answers [%].
    """
    w = np.ones(item.values.size) if weights is None else weights
    total = float(w.sum())
    valid = item.missing_kind == VALID
    counts = _valid_counts(item, valid, w)
    valid_total = float(sum(counts.values()))
    neutral = item.scale.neutral_point if item.scale is not None else None
    neutral_count = counts.get(neutral, 0.0) if neutral is not None else 0.0
    base_excl = valid_total - neutral_count

    rows: list[FrequencyRow] = []
    cumulative = 0.0
    for value, frequency in counts.items():
        cumulative += frequency
        in_scale = item.scale is None or (
            isinstance(value, float) and item.scale.min <= value <= item.scale.max
        )
        excl = None
        if item.kind == "likert" and value != neutral and base_excl > 0:
            excl = 100 * frequency / base_excl
        rows.append(
            FrequencyRow(
                value=value,
                label=_label(item, value, lang),
                kind="valid",
                frequency=frequency,
                percent=100 * frequency / total if total else 0.0,
                valid_percent=100 * frequency / valid_total if valid_total else None,
                cumulative_percent=100 * cumulative / valid_total if valid_total else None,
                percent_excl_neutral=excl,
                in_scale=in_scale,
            )
        )
    rows.extend(_missing_rows(item, w, total, lang))
    return rows


def _valid_counts(item: Item, valid: np.ndarray, w: np.ndarray) -> dict[Code, float]:
    """Ordered ``value -> frequency``: scale points and labelled codes first, then the rest."""
    if item.kind == "categorical":
        series = pd.Series(w[valid]).groupby(item.values[valid]).sum()
        observed: dict[Code, float] = {str(k): float(v) for k, v in series.items()}
        order: list[Code] = []
        for code in item.labels:
            key = _category_key(code)
            if key not in order and code not in item.missing_labels:
                order.append(key)
        rest = sorted((k for k in observed if k not in order), key=_natural)
        return {key: observed.get(key, 0.0) for key in [*order, *rest]}

    unique, sums = value_sums(item.values[valid], w[valid])
    observed_num = {float(u): float(s) for u, s in zip(unique, sums, strict=True)}
    points: set[float] = set(observed_num)
    if item.scale is not None:
        points.update(item.scale.points)
    return {p: observed_num.get(p, 0.0) for p in sorted(points)}


#: Whole-number answers spanning at most this many values are counted by position.
_SMALL_RANGE = 1_000


def value_sums(x: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values of ``x`` in ascending order and the sum of ``w`` of each.

    Whole numbers within a small range (scale points) are counted by their offset from the
    smallest, without sorting (about 10 ms less per item of 100,000 answers, issue 21);
    the sums are the same bit for bit as :func:`value_sums_sorted`'s, because ``bincount``
    adds the weights of each bin in the order of ``x`` either way.
    """
    if x.size:
        low, high = float(x.min()), float(x.max())
        whole = high - low <= _SMALL_RANGE and bool(np.all(x == np.floor(x)))
        if whole and not (low <= 0 <= high and np.signbit(x[x == 0]).any()):  # keep a -0.0
            offsets = (x - low).astype(np.intp)
            present = np.bincount(offsets) > 0
            sums = np.bincount(offsets, weights=w)[present]
            return low + np.flatnonzero(present).astype(np.float64), sums
    return value_sums_sorted(x, w)


def value_sums_sorted(x: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`value_sums` by sorting (``np.unique``): any values."""
    unique, inverse = np.unique(x, return_inverse=True)
    return unique, np.bincount(inverse, weights=w, minlength=unique.size)


def _missing_rows(item: Item, w: np.ndarray, total: float, lang: Lang) -> list[FrequencyRow]:
    rows: list[FrequencyRow] = []
    declared = item.missing_kind == DECLARED
    for code, label in item.missing_labels.items():
        frequency = float(w[declared & (item.codes == code)].sum())
        text = label[lang] if label else translate("survey.missing_code", lang, code=_show(code))
        rows.append(_missing_row(code, text, "declared", frequency, total))
    for kind, key in ((EMPTY, "survey.missing_empty"), (NOT_SHOWN, "survey.missing_not_shown")):
        frequency = float(w[item.missing_kind == kind].sum())
        if frequency > 0:
            rows.append(_missing_row(None, translate(key, lang), _KIND[kind], frequency, total))
    return rows


_KIND = {EMPTY: "empty", NOT_SHOWN: "not_shown"}


def _missing_row(
    value: Code | None, label: str, kind: str, frequency: float, total: float
) -> FrequencyRow:
    return FrequencyRow(
        value=value,
        label=label,
        kind=kind,  # type: ignore[arg-type]
        frequency=frequency,
        percent=100 * frequency / total if total else 0.0,
        valid_percent=None,
        cumulative_percent=None,
    )


def _label(item: Item, value: Code, lang: Lang) -> str:
    label = (
        item.labels.get(normalise_code(value))
        if item.kind != "categorical"
        else (item.labels.get(normalise_code(value)) or item.labels.get(value))
    )
    return label[lang] if label else _show(value)


def _show(value: Code) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _category_key(code: Code) -> str:
    return _show(code)


def _natural(text: Code) -> tuple[float, str]:
    number = normalise_code(text)
    return (number, "") if isinstance(number, float) else (float("inf"), str(text))
