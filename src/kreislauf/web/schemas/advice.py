"""Bodies of the advice API: the company's figures for the funding finder and a company's
self-check answers. Results are the domain's own documents (``FundingResult``,
``SelfCheckResult``), re-exported here as the API's output schemas."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from kreislauf.advice.models import FundingResult, MeasureFacts
from kreislauf.advice.selfcheck import SelfCheckResult

__all__ = ["CompanyIn", "CompanyProfileOut", "FundingOut", "SelfCheckIn", "SelfCheckOut"]

FundingOut = FundingResult
SelfCheckOut = SelfCheckResult


class CompanyIn(BaseModel):
    """The company file's fields (docs/advice.md#company-file); ``measures``: facts per
    measure id of the stored measures file."""

    model_config = ConfigDict(extra="forbid")

    employees: float | None = Field(None, ge=0, le=10_000_000)
    turnover_eur: float | None = Field(None, ge=0, le=1e13)
    balance_sheet_eur: float | None = Field(None, ge=0, le=1e13)
    state: str | None = Field(None, max_length=5, pattern=r"^(DE-)?[A-Za-z]{2}$")
    nace: str | None = Field(None, max_length=10)
    de_minimis_received_eur: float | None = Field(None, ge=0, le=1e9)
    energy_network_member: bool | None = None
    measures: dict[str, MeasureFacts] = Field(default_factory=dict, max_length=1000)


class CompanyProfileOut(BaseModel):
    """The stored company profile (``company``: the fields as a funding body takes them),
    with who saved it and when; ``company`` is empty before the first save."""

    company: CompanyIn
    stored: bool
    updated_at: str | None
    updated_by: str | None


class SelfCheckIn(BaseModel):
    """A company's answers: item id → point of the questionnaire's scale."""

    model_config = ConfigDict(extra="forbid")

    answers: dict[str, int] = Field(min_length=1, max_length=500)
