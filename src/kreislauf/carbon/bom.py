"""Multi-level bills of materials: reading the CSV format and ordering the item graph.

Format (docs/carbon-products.md#bom-format): CSV or XLSX, one row per component of a
parent, header line first; read by :mod:`kreislauf.tables` (encoding, ``,``/``;`` and the
decimal mark detected, blank and ``#`` comment lines skipped, rows named by their line).

| column | required | meaning |
|---|---|---|
| ``parent`` | yes | the item made from the component |
| ``component`` | yes | the item that goes into the parent |
| ``quantity`` | yes | amount of the component per one unit of the parent, > 0 |
| ``unit`` | yes | a mass unit (``g``, ``kg``, ``t``) or a count (``pcs``, ``Stk``) |
| ``process_centre`` | no | the ledger quantity centre that makes the *parent* |
| ``primary_data`` | no | ``true``/``1``/``ja``: the component's factor is supplier-specific |
| ``recycled_share`` | no | recycled share of a purchased material, 0 to 1 |
| ``mass_kg`` | no | net mass of one unit of the component [kg] |
| ``factor_key`` | no | emission-factor key of a purchased material (default: its name) |

An item that is never a component is a product (root). Component attributes given on
several rows must agree; so must the centre of a parent.

The graph is ordered by Kahn's algorithm, one vectorised step per BOM level (no
recursion), so a 100,000-node BOM is ordered in milliseconds; a cycle is reported with the
items that form it.

References
----------
Kahn, A. B. (1962): Topological sorting of large networks. Communications of the ACM
5(11), 558-562. https://doi.org/10.1145/368996.369025
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pint

from kreislauf.errors import BomCycle, EmptyFile, InvalidBom
from kreislauf.numbers import coerce_numeric, detect_decimal
from kreislauf.tables import read_table, strip_text
from kreislauf.units import ureg

REQUIRED = ("parent", "component", "quantity", "unit")
OPTIONAL = ("process_centre", "primary_data", "recycled_share", "mass_kg", "factor_key")
COUNT_UNITS = frozenset({"pcs", "pc", "piece", "pieces", "stk", "stück", "st", "ea", "unit"})
_TRUE = frozenset({"true", "1", "yes", "ja", "y", "x", "wahr"})
_FALSE = frozenset({"false", "0", "no", "nein", "n", "", "falsch"})


@dataclass(frozen=True)
class Bom:
    """A validated bill of materials as integer-coded arrays.

    items : item names; every array below indexes into it
    parent, child : one entry per BOM row (edge)
    quantity : per edge, amount of the child per unit of the parent, in the child's unit
        [kg for mass units, pieces for counts]
    unit : per item, ``kg`` or ``pcs``; products (roots) are ``pcs``
    centre : per item, the producing quantity centre ('' if none)
    primary, recycled_share [-], mass_kg [kg] (NaN = not given), factor_key : per item
    row : per item, the first file row that names it (header = row 1)
    source : the file name
    """

    items: np.ndarray
    parent: np.ndarray
    child: np.ndarray
    quantity: np.ndarray
    unit: np.ndarray
    centre: np.ndarray
    primary: np.ndarray
    recycled_share: np.ndarray
    mass_kg: np.ndarray
    factor_key: np.ndarray
    row: np.ndarray
    source: str

    @property
    def roots(self) -> list[str]:
        """The products: items that are no component of anything, in file order."""
        is_child = np.zeros(len(self.items), dtype=bool)
        is_child[self.child] = True
        return [str(self.items[i]) for i in np.flatnonzero(~is_child)]

    def index(self, item: str) -> int | None:
        found = np.flatnonzero(self.items == item)
        return int(found[0]) if len(found) else None


@dataclass(frozen=True)
class BomOrder:
    """Kahn levels of the item graph: ``level[i]`` = longest path from a product to item i.

    edge_order : edge indices sorted by their parent's level
    level_starts : ``edge_order[level_starts[k]:level_starts[k+1]]`` are the edges whose
        parent is on level k
    """

    level: np.ndarray
    edge_order: np.ndarray
    level_starts: np.ndarray

    @property
    def depth(self) -> int:
        return int(self.level.max()) + 1 if len(self.level) else 0


def read_bom(path: Path) -> Bom:
    """Read and validate a BOM CSV file.

    Raises
    ------
    FileNotReadable, EmptyFile
        if the file cannot be read or has no rows.
    InvalidBom
        naming file, row and column for a missing column, a blank cell, a quantity that is
        not a number > 0, an unknown unit, or attributes that disagree between rows.
    """
    name = Path(path).name
    table = read_table(Path(path), comments=True)
    if not len(table):
        raise EmptyFile(file=name, detail="BOM")
    return _validated(
        table.frame,
        source=name,
        rows=table.lines,
        header_line=table.header_line,
        text=_reader_text,
    )


def bom_from_frame(
    frame: pd.DataFrame,
    *,
    source: str = "BOM",
    rows: np.ndarray | None = None,
    header_line: int = 1,
) -> Bom:
    """Validate a BOM given as a table of strings (columns as in :func:`read_bom`).

    Missing cells (NaN, None) count as blank; other cells that are not text are taken as
    ``str(cell)``. rows : the file line of each row of ``frame`` (default: the lines after
    ``header_line``)
    """
    return _validated(frame, source=source, rows=rows, header_line=header_line, text=_text)


def _validated(
    frame: pd.DataFrame,
    *,
    source: str,
    rows: np.ndarray | None,
    header_line: int,
    text: Callable[[pd.Series], pd.Series],
) -> Bom:
    """:func:`bom_from_frame`; ``text`` turns a column into stripped text, blanks ``""``."""
    expected = ", ".join(REQUIRED + OPTIONAL)
    header = header_line
    for column in REQUIRED:
        if column not in frame.columns:
            raise InvalidBom(
                file=source, row=header, value=column, expected=f"the columns {expected}"
            )
    for column in frame.columns:
        if column not in REQUIRED + OPTIONAL:
            raise InvalidBom(
                file=source, row=header, column=column, value=column, expected=expected
            )
    data = pd.DataFrame({column: text(frame[column]) for column in frame.columns})
    if rows is None:
        rows = np.arange(header_line + 1, header_line + 1 + len(data))
    rows = np.asarray(rows, dtype=np.int64)
    for column in ("parent", "component", "unit"):
        blank = (data[column] == "").to_numpy()
        if blank.any():
            raise _bad(source, rows, blank, column, "", f"a value in '{column}'")
    quantity, _ = _numbers(data["quantity"])
    bad = ~(quantity > 0) | ~np.isfinite(quantity)
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        raise _bad(source, rows, bad, "quantity", data["quantity"].iat[first], "a number > 0")
    scale, kind = _units(data["unit"], source, rows)
    quantity_base = quantity * scale

    codes, items = pd.factorize(pd.concat([data["parent"], data["component"]], ignore_index=True))
    n_rows, n_items = len(data), len(items)
    parent, child = codes[:n_rows], codes[n_rows:]
    first_row = np.full(n_items, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first_row, codes, np.concatenate([rows, rows]))

    unit = np.full(n_items, "pcs", dtype=object)
    unit[child] = kind
    mixed = _disagreeing(child, kind)
    if mixed is not None:
        raise _bad(
            source,
            rows,
            _differing(child == mixed, kind),
            "unit",
            items[mixed],
            "one kind of unit per item (mass or count) on every row",
        )
    centre = _attribute(data, "process_centre", parent, n_items, source, rows, items)
    primary_text = _attribute(data, "primary_data", child, n_items, source, rows, items)
    flag_codes, flags = pd.factorize(primary_text)  # lower-case the few distinct spellings
    lowered = np.array([str(flag).lower() for flag in flags] or [""], dtype=object)[flag_codes]
    bad_flag = ~np.isin(lowered, list(_TRUE | _FALSE))
    if bad_flag.any():
        item = int(np.flatnonzero(bad_flag)[0])
        raise InvalidBom(
            file=source,
            row=int(first_row[item]),
            column="primary_data",
            value=primary_text[item],
            expected="true/false (ja/nein, 1/0) or blank",
        )
    primary = np.isin(lowered, list(_TRUE))
    recycled = _numeric(data, "recycled_share", child, n_items, source, rows, items, 0.0, 1.0)
    mass = _numeric(data, "mass_kg", child, n_items, source, rows, items, 0.0, np.inf)
    factor_key = _attribute(data, "factor_key", child, n_items, source, rows, items)
    factor_key = np.where(factor_key == "", items.to_numpy(dtype=object), factor_key)
    return Bom(
        items=items.to_numpy(dtype=object),
        parent=parent.astype(np.int64),
        child=child.astype(np.int64),
        quantity=quantity_base,
        unit=unit,
        centre=centre,
        primary=primary,
        recycled_share=recycled,
        mass_kg=mass,
        factor_key=factor_key,
        row=first_row,
        source=source,
    )


def bom_order(bom: Bom) -> BomOrder:
    """Kahn levels of ``bom``'s item graph, one vectorised step per level.

    Raises
    ------
    BomCycle
        naming the items of one cycle in order (``A → B → A``).
    """
    n = len(bom.items)
    indegree = np.bincount(bom.child, minlength=n)
    by_parent = np.argsort(bom.parent, kind="stable")
    starts = np.searchsorted(bom.parent[by_parent], np.arange(n + 1))
    level = np.full(n, -1, dtype=np.int64)
    frontier = np.flatnonzero(indegree == 0)
    depth = 0
    while len(frontier):
        level[frontier] = depth
        counts = starts[frontier + 1] - starts[frontier]
        if counts.sum() == 0:
            break
        offsets = np.repeat(starts[frontier] - np.cumsum(counts) + counts, counts)
        edges = by_parent[offsets + np.arange(counts.sum())]
        children = bom.child[edges]
        indegree -= np.bincount(children, minlength=n)
        touched = np.unique(children)
        frontier = touched[indegree[touched] == 0]
        depth += 1
    if (level < 0).any():
        raise BomCycle(file=bom.source, value=_cycle_text(bom, level < 0))
    edge_level = level[bom.parent]
    edge_order = np.argsort(edge_level, kind="stable")
    n_levels = int(level.max()) + 1 if n else 0
    level_starts = np.searchsorted(edge_level[edge_order], np.arange(n_levels + 1))
    return BomOrder(level=level, edge_order=edge_order, level_starts=level_starts)


def _cycle_text(bom: Bom, remaining: np.ndarray) -> str:
    """One cycle among the items left over by Kahn's algorithm, as ``A → B → A``.

    Every left-over item still has a left-over parent, so walking parents from any of them
    must revisit an item; the walk, reversed, is the cycle in parent → component order.
    """
    parents: dict[int, int] = {}
    for p, c in zip(bom.parent.tolist(), bom.child.tolist(), strict=True):
        if remaining[p] and remaining[c]:
            parents.setdefault(c, p)
    seen: dict[int, int] = {}
    path: list[int] = []
    node = int(np.flatnonzero(remaining)[0])
    while node not in seen:
        seen[node] = len(path)
        path.append(node)
        node = parents[node]
    cycle = [*path[seen[node] :], node][::-1]
    return " → ".join(str(bom.items[i]) for i in cycle)


def _units(units: pd.Series, source: str, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row: factor to the base unit (kg or pieces) and the kind (``kg``/``pcs``)."""
    scale = np.empty(len(units))
    kind = np.empty(len(units), dtype=object)
    for key, positions in units.groupby(units, sort=False).indices.items():
        spelling = str(key)
        if spelling.casefold() in COUNT_UNITS:
            scale[positions], kind[positions] = 1.0, "pcs"
            continue
        try:
            factor = float(ureg.Quantity(1, spelling).to("kg").magnitude)
        except (pint.errors.PintError, ValueError, AttributeError, TypeError):
            mask = np.zeros(len(units), dtype=bool)
            mask[positions] = True
            raise _bad(
                source, rows, mask, "unit", spelling, "a mass unit (g, kg, t) or a count (pcs, Stk)"
            ) from None
        scale[positions], kind[positions] = factor, "kg"
    return scale, kind


def _text(column: pd.Series) -> pd.Series:
    """A column as stripped text, blank where missing (one pass; no object round trip for
    a text column, which the table reader gives for most BOM columns)."""
    if pd.api.types.is_string_dtype(column.dtype) and not pd.api.types.is_object_dtype(
        column.dtype
    ):
        return column.fillna("").str.strip()
    if pd.api.types.infer_dtype(column, skipna=True) in ("string", "empty"):
        # str cells and blanks only (what the table reader gives): one vectorised strip
        # instead of str() per cell; the same text
        filled = column.to_numpy(dtype=object, na_value="", copy=True)
        return pd.Series(strip_text(filled), index=column.index, dtype="str")
    cells = column.astype(object).to_numpy()
    missing = pd.isna(cells)
    text = [
        ("" if blank else str(cell).strip()) for cell, blank in zip(cells, missing, strict=True)
    ]
    return pd.Series(text, index=column.index, dtype="str")


def _reader_text(column: pd.Series) -> pd.Series:
    """:func:`_text` of a column from the table reader, whose text cells are stripped
    already (:mod:`kreislauf.tables`, by the same :func:`~kreislauf.tables.strip_text`):
    blanks become ``""`` and the text stays as it is (stripping twice changes nothing)."""
    if column.dtype == object and pd.api.types.infer_dtype(column, skipna=True) in (
        "string",
        "empty",
    ):
        filled = column.to_numpy(dtype=object, na_value="", copy=True)
        return pd.Series(filled, index=column.index, dtype="str")
    return _text(column)


def _disagreeing(index: np.ndarray, values: np.ndarray) -> int | None:
    """The first item index whose rows carry more than one distinct value, if any.

    Rows sorted by (item, value code): an item disagrees where two neighbours of the same
    item carry different codes (a sort; ``np.unique`` of the pairs took 0.3 s per column
    at 120,000 rows).
    """
    if len(index) == 0:
        return None
    codes, _ = pd.factorize(values)
    order = np.lexsort((codes, index))
    item, code = index[order], codes[order]
    differs = (item[1:] == item[:-1]) & (code[1:] != code[:-1])
    return int(item[1:][differs].min()) if differs.any() else None


def _attribute(
    data: pd.DataFrame,
    column: str,
    index: np.ndarray,
    n_items: int,
    source: str,
    rows: np.ndarray,
    items: pd.Index,
) -> np.ndarray:
    """Per item, the non-blank value of ``column`` on the rows that name it ('' if none)."""
    out = np.full(n_items, "", dtype=object)
    if column not in data.columns:
        return out
    values = data[column].to_numpy(dtype=object)
    given = values != ""
    mixed = _disagreeing(index[given], values[given])
    if mixed is not None:
        raise _bad(
            source,
            rows,
            _differing((index == mixed) & given, values),
            column,
            items[mixed],
            f"the same '{column}' on every row of this item",
        )
    out[index[given]] = values[given]
    return out


def _numeric(
    data: pd.DataFrame,
    column: str,
    index: np.ndarray,
    n_items: int,
    source: str,
    rows: np.ndarray,
    items: pd.Index,
    low: float,
    high: float,
) -> np.ndarray:
    """Per item, the numeric ``column`` (NaN where blank), checked to lie in [low, high]."""
    text = _attribute(data, column, index, n_items, source, rows, items)
    given = text != ""
    out = np.full(n_items, np.nan)
    if not given.any():
        return out
    numbers, _ = _numbers(pd.Series(text[given], dtype=object))
    bad = ~((numbers >= low) & (numbers <= high))
    if bad.any():
        item = int(np.flatnonzero(given)[np.flatnonzero(bad)[0]])
        expected = "a share from 0 to 1" if high == 1.0 else "a number >= 0 [kg]"
        mask = (index == item) & (data[column].to_numpy(dtype=object) != "")
        raise _bad(source, rows, mask, column, text[item], expected)
    out[given] = numbers
    return out


def _numbers(cells: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Cells as float64 by the one number rule, with the column's decimal mark; bad: NaN."""
    return coerce_numeric(cells, decimal=detect_decimal(cells))


def _differing(mask: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Of the rows in ``mask``, those whose value differs from the first one's."""
    first = values[np.flatnonzero(mask)[0]]
    return np.asarray(mask & (values != first), dtype=bool)


def _bad(
    source: str, rows: np.ndarray, mask: np.ndarray, column: str, value: object, expected: str
) -> InvalidBom:
    """An :class:`InvalidBom` at the first masked row."""
    position = np.flatnonzero(mask)[0]
    return InvalidBom(
        file=source, row=int(rows[position]), column=column, value=value, expected=expected
    )
