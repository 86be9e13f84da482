"""Rebuild respondent rows from the frequency tables of the seed report.

Source: "Ressourceneffiziente Produktion – Teilleistung Umfrage", Entreprenerdy GmbH for
the MoLeWa project (25 automotive companies around Leipzig, December 2023 – February
2025), section 3 and the demographic appendix. The report publishes only per-item
frequency tables, not respondent rows. This script rebuilds 25 rows whose per-item counts
are exactly the published ones; which answers belong to the same respondent is NOT known
and is chosen here by a fixed random permutation (seed 2025). Anything that depends on the
pairing of answers across items (Cronbach's alpha, group comparisons, duplicates) is
therefore illustrative only.

Run: ``python examples/leipzig-survey/build_responses.py`` (writes ``responses.csv``).
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

N = 25
SEED = 2025

# Published frequency tables (value -> frequency), in the column order of Table 1.
LIKERT = {
    "strategisches_ziel": {0: 1, 1: 1, 2: 1, 3: 1, 4: 8, 5: 13},
    "tagesgeschaeft": {0: 1, 1: 1, 2: 3, 3: 2, 4: 10, 5: 8},
    "marktposition": {0: 1, 1: 2, 2: 3, 3: 1, 4: 12, 5: 6},
    "eigenmotivation": {0: 1, 1: 1, 2: 1, 4: 10, 5: 12},
    "wettbewerbsdruck": {0: 1, 1: 4, 2: 4, 3: 6, 4: 6, 5: 4},
    "umsetzung": {0: 4, 1: 2, 2: 3, 3: 3, 4: 9, 5: 4},
    "wettbewerbsvorteil": {1: 1, 2: 1, 3: 2, 4: 3, 5: 18},
}
DEMOGRAPHICS = {
    "position": {"Fachkraft": 2, "Manager/in": 18, "Mitarbeiter/in": 2, "Sonstiges": 3},
    "beschaeftigte": {">250": 11, "": 14},
    "unternehmensalter": {"<1 Jahr": 1, "1-5 Jahre": 3, "11-20 Jahre": 4, ">20 Jahre": 17},
    "geschlecht": {"männlich": 24, "weiblich": 1},
    "alter": {"0": 1, "25-34": 1, "35-44": 3, "45-54": 10, "55-64": 10},
}
OTHER_POSITIONS = ["Inhaber", "Projektleiter", "Projektmanager"]


def expand(counts: dict) -> list:
    values = [value for value, count in counts.items() for _ in range(count)]
    assert len(values) == N, (counts, len(values))
    return values


def build(seed: int = SEED) -> list[dict[str, str]]:
    rng = np.random.default_rng(seed)
    columns: dict[str, list] = {}
    for name, counts in {**LIKERT, **DEMOGRAPHICS}.items():
        values = expand(counts)
        columns[name] = [values[i] for i in rng.permutation(N)]
    others = iter(OTHER_POSITIONS)
    columns["position_sonstiges"] = [
        next(others) if p == "Sonstiges" else "" for p in columns["position"]
    ]
    rows = []
    for i in range(N):
        row = {"id": str(i + 1)}
        for name in [*LIKERT, "position", "position_sonstiges", *list(DEMOGRAPHICS)[1:]]:
            row[name] = str(columns[name][i])
        rows.append(row)
    answers = [tuple(row[name] for name in LIKERT) for row in rows]
    assert len(set(answers)) == N, "two rebuilt respondents are identical; change the seed"
    return rows


def main() -> None:
    rows = build()
    target = Path(__file__).with_name("responses.csv")
    with target.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {target} ({len(rows)} rows)")


if __name__ == "__main__":
    main()
