"""The web's output schemas follow the number rule of kreislauf.results; ``json_view``."""

from __future__ import annotations

import json
import math

import pytest

from kreislauf.web.schemas.carbon import MeasureOut, ScopeOut
from kreislauf.web.schemas.common import json_view
from kreislauf.web.schemas.ledger import KpiOut
from kreislauf.web.schemas.pcf import StageOut

VALUE = 1234.567891234


def _measure(value: float) -> MeasureOut:
    return MeasureOut(
        rank=1, id="M1", name="m", kind="k", centre="c", co2e_t=value, investment_eur=value,
        npv_eur=value, payback_years=value, mac_eur_per_t=value,
    )  # fmt: skip


def test_each_number_keeps_its_documented_decimals_in_json() -> None:
    measure = json.loads(_measure(VALUE).model_dump_json())
    assert (measure["co2e_t"], measure["investment_eur"]) == (1234.567891, 1234.567891)
    assert (measure["npv_eur"], measure["mac_eur_per_t"]) == (1234.57, 1234.57)
    assert measure["payback_years"] == 1234.568
    scope = ScopeOut(scope="scope1", co2e_t=VALUE, low_t=VALUE, high_t=VALUE, quality_score=2.34567)
    assert json.loads(scope.model_dump_json())["quality_score"] == 2.346
    kpi = KpiOut(id="k", unit="t", source="s", total=VALUE, latest=None, previous=None, change=0.1)
    assert json.loads(kpi.model_dump_json())["total"] == 1234.567891


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
def test_not_finite_is_null_in_json_and_none_in_the_view(value: float) -> None:
    measure = _measure(value)
    numbers = ("co2e_t", "investment_eur", "npv_eur", "payback_years", "mac_eur_per_t")
    assert {json.loads(measure.model_dump_json())[n] for n in numbers} == {None}
    assert {getattr(json_view(measure), n) for n in numbers} == {None}
    # the model itself keeps the domain's value (Python mode is not rounded)
    kept = measure.npv_eur
    assert kept is not None and (math.isnan(kept) if math.isnan(value) else kept == value)


def test_json_view_has_the_jsons_values_and_leaves_the_model_unchanged() -> None:
    stage = StageOut(stage="raw_materials", kg_co2e=0.1234567891, share=float("nan"))
    view = json_view(stage)
    assert type(view) is StageOut
    assert (view.kg_co2e, view.share) == (0.123457, None)
    assert view.model_dump_json() == stage.model_dump_json()
    assert stage.kg_co2e == 0.1234567891
    assert stage.share is not None and math.isnan(stage.share)
