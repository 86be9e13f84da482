"""The limits of reading user input and the bounded YAML loader."""

from __future__ import annotations

import time

import pytest
import yaml

from kreislauf.bounded import Limits, applied, current, load_yaml
from kreislauf.errors import LimitExceeded
from kreislauf.settings import Settings
from tests import hostile


@pytest.mark.parametrize("levels", [9, 10, 12])
def test_alias_bombs_are_refused_before_expansion(levels: int) -> None:
    start = time.monotonic()
    with pytest.raises(LimitExceeded, match="yaml_max_nodes") as info:
        load_yaml(hostile.alias_bomb(levels), name="bomb.yaml")
    assert time.monotonic() - start < 10
    assert info.value.params["file"] == "bomb.yaml"
    assert len(info.value.message()) < 300


def test_aliases_within_the_bound_are_kept() -> None:
    data = load_yaml("base: &b {unit: kg}\nfirst: *b\nsecond: *b\n", name="ok.yaml")
    assert data == {"base": {"unit": "kg"}, "first": {"unit": "kg"}, "second": {"unit": "kg"}}
    assert load_yaml("", name="empty.yaml") is None


def test_a_recursive_alias_is_refused() -> None:
    with pytest.raises(LimitExceeded, match="recursive alias"):
        load_yaml("a: &a [1, *a]\n", name="loop.yaml")


def test_nesting_depth_and_size_are_bounded() -> None:
    with pytest.raises(LimitExceeded, match="yaml_max_depth"):
        load_yaml("[" * 60 + "]" * 60, name="deep.yaml")
    assert load_yaml("[" * 40 + "]" * 40, name="deep.yaml") is not None
    with pytest.raises(LimitExceeded, match="yaml_max_bytes"):
        load_yaml("a: " + "x" * 2_000, name="big.yaml", limits=Limits(yaml_max_bytes=1_000))


def test_not_yaml_is_left_to_the_caller() -> None:
    with pytest.raises(yaml.YAMLError):
        load_yaml("a: [1, 2\n", name="broken.yaml")


def test_applied_limits_hold_inside_the_block_only() -> None:
    default = current()
    with applied(Limits(yaml_max_nodes=5)), pytest.raises(LimitExceeded, match="allowed 5"):
        load_yaml("[1, 2, 3, 4, 5, 6]", name="six.yaml")
    assert current() == default
    assert load_yaml("[1, 2, 3, 4, 5, 6]", name="six.yaml") == [1, 2, 3, 4, 5, 6]


def test_settings_give_the_limits() -> None:
    settings = Settings(database_url="sqlite://", secret_key="k" * 40, table_max_rows=7)
    assert settings.limits() == Limits(max_rows=7)
    assert Settings(database_url="sqlite://", secret_key="k" * 40).limits() == Limits()
