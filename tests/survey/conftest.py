"""Shared fixtures for the survey tests."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from kreislauf.survey.dataset import RawResponses

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "leipzig-survey"


def raw_from(columns: dict[str, list], *, source: str = "test.csv") -> RawResponses:
    """RawResponses as a CSV reader would return them: strings, blanks as NaN."""
    frame = pd.DataFrame(
        {
            k: [np.nan if v is None or v == "" else str(v) for v in values]
            for k, values in columns.items()
        }
    )
    return RawResponses(frame=frame, source=source)


@pytest.fixture
def example_dir() -> Path:
    return EXAMPLE
