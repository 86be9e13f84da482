"""kreislauf's survey results.json as ``{"item|figure": value}``, the keys of
``survey_pandas.py`` (compared with ``check.difference``)."""

from __future__ import annotations

import json
from pathlib import Path


def results_figures(path: Path) -> dict[str, float | None]:
    """The figures of ``survey analyze``'s results.json (``OUT/results.json``)."""
    document = json.loads(Path(path).read_text(encoding="utf-8"))
    out: dict[str, float | None] = {}
    for item in document["items"]:
        d, s = item["descriptives"], item["shares"]
        if d is None or s is None:
            continue
        row = {key: d[key] for key in ("valid", "missing", "mean", "sd", "median", "q1", "q3")}
        row |= {"min": d["min"], "max": d["max"]}
        row |= {key: s[key] for key in ("agree", "neutral", "disagree", "agree_excl_neutral")}
        row |= {"agree_low": s["intervals"]["agree"]["low"]}
        row |= {"agree_high": s["intervals"]["agree"]["high"]}
        for frequency in item["frequencies"]:
            if frequency["kind"] == "valid":
                row[f"frequency_{int(frequency['value'])}"] = frequency["frequency"]
        out.update({f"{item['id']}|{key}": value for key, value in row.items()})
    return out
