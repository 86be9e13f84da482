"""Offer drafts from a ledger: recyclable waste streams, quantities per period, interval."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from kreislauf.exchange.drafts import RECENT_PERIODS, offer_drafts
from kreislauf.ledger import read_ledger

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo-company" / "ledger.csv"
HEADER = (
    "period,site,centre,flow,material,category,quantity,unit,cost_eur,recycled_share,"
    "treatment,to_centre,note\n"
)


def test_the_demo_ledger_gives_one_draft_per_recyclable_stream_checked_by_hand() -> None:
    with DEMO.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    recycled = [r for r in rows if r["flow"] == "waste_out" and r["treatment"] == "recycling"]
    streams = sorted({(r["site"], r["material"]) for r in recycled})
    assert streams == [("Leipzig", "Angüsse und Ausschuss")]  # the demo's only one
    months = sorted({r["period"] for r in rows})
    assert len(months) == 24 and all(r["unit"] == "t" for r in recycled)
    last_year = months[-RECENT_PERIODS:]
    by_month = {r["period"]: float(r["quantity"]) for r in recycled}
    expected = sum(by_month[m] for m in last_year) / 12

    (draft,) = offer_drafts(read_ledger(DEMO))

    assert (
        draft.key == "Leipzig/Angüsse und Ausschuss" and draft.material == "Angüsse und Ausschuss"
    )
    assert draft.interval == "month"
    assert abs(draft.quantity_t - expected) < 1e-9
    assert draft.quantity_t == pytest.approx(23.121 / 12)  # 2024: 23.121 t (awk), 1.927 t/month
    assert draft.recent == last_year
    assert [p.period for p in draft.periods] == months
    assert {p.period: p.quantity_t for p in draft.periods} == pytest.approx(by_month)


def _ledger(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "ledger.csv"
    path.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_interval_once_year_and_only_recycling(tmp_path: Path) -> None:
    path = _ledger(tmp_path, [
        "2023,Halle,Presse,material_in,Stahlblech,raw,100,t,,,,,",
        "2023,Halle,Presse,waste_out,Stanzabfall Stahl,,12,t,,,recycling,,",
        "2024,Halle,Presse,material_in,Stahlblech,raw,100,t,,,,,",
        "2024,Halle,Presse,waste_out,Stanzabfall Stahl,,8000,kg,,,recycling,,",
        "2024,Halle,Presse,waste_out,Altpapier,,1.5,t,,,recycling,,",
        "2024,Halle,Presse,waste_out,Mischabfall,,3,t,,,disposal,,",
        "2024,Halle,Presse,waste_out,Putzlappen,,0.2,t,,,energy_recovery,,",
    ])  # fmt: skip
    drafts = {d.material: d for d in offer_drafts(read_ledger(path))}
    assert set(drafts) == {"Stanzabfall Stahl", "Altpapier"}  # not disposal, not energy
    steel = drafts["Stanzabfall Stahl"]
    assert steel.interval == "year" and steel.quantity_t == 8.0  # the last year, kg -> t
    assert [(p.period, p.quantity_t) for p in steel.periods] == [("2023", 12.0), ("2024", 8.0)]
    paper = drafts["Altpapier"]
    assert paper.interval == "once" and paper.quantity_t == 1.5 and paper.recent == ["2024"]


def test_a_stream_that_ended_gives_no_draft_and_a_gap_counts_zero(tmp_path: Path) -> None:
    lines = [f"2023-{m:02d},Halle,Presse,material_in,Blech,raw,10,t,,,,," for m in range(1, 13)]
    lines += [f"2024-{m:02d},Halle,Presse,material_in,Blech,raw,10,t,,,,," for m in range(1, 13)]
    lines += ["2023-01,Halle,Presse,waste_out,Altöl,,1,t,,,recycling,,",
              "2023-02,Halle,Presse,waste_out,Altöl,,1,t,,,recycling,,"]  # fmt: skip
    lines += [f"2024-{m:02d},Halle,Presse,waste_out,Späne,,2,t,,,recycling,," for m in (1, 4)]
    drafts = offer_drafts(read_ledger(_ledger(tmp_path, lines)))
    assert [d.material for d in drafts] == ["Späne"]  # Altöl: none in the last 12 months
    (chips,) = drafts
    assert chips.interval == "month" and chips.quantity_t == 4.0 / 12  # 10 months count 0 t


def test_no_recyclable_waste_no_drafts(tmp_path: Path) -> None:
    path = _ledger(tmp_path, ["2024-01,Halle,Presse,waste_out,Mischabfall,,3,t,,,disposal,,"])
    assert offer_drafts(read_ledger(path)) == []
