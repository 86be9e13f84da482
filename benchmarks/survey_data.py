"""Generated survey responses for the survey benchmarks (fixed seed 42).

Shared by ``benchmarks/survey_bench.py`` (in-process steps) and ``benchmarks/compare/run.py``
(whole processes against ``compare/survey_pandas.py``). Independent answers per Likert item
drawn from one fixed distribution over 1-5, 5 % of the cells blank, an ``id`` column first;
not a real survey. Needs numpy and pandas only (no kreislauf).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

#: Probabilities of the answers 1-5.
ANSWER_SHARES = (0.1, 0.15, 0.2, 0.3, 0.25)
BLANK_SHARE = 0.05


def make_csv(rows: int, items: int, path: Path) -> Path:
    """``rows`` responses × ``items`` Likert items (``q01`` …) as CSV at ``path``."""
    rng = np.random.default_rng(42)
    answers = rng.choice(np.arange(1, 6), size=(rows, items), p=list(ANSWER_SHARES))
    frame = pd.DataFrame(answers.astype(float), columns=[f"q{i + 1:02d}" for i in range(items)])
    frame = frame.mask(rng.random((rows, items)) < BLANK_SHARE)
    frame.insert(0, "id", np.arange(1, rows + 1))
    frame.to_csv(path, index=False, float_format="%.0f")
    return path
