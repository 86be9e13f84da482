"""Advice: a self-check against the peer group, a funding finder that calculates, and the
way to a qualified consultant (docs/advice.md).

The Förderdatenbank reader is imported from :mod:`kreislauf.advice.foerderdatenbank` and
the self-check from :mod:`kreislauf.advice.selfcheck`.
"""

from kreislauf.advice.figures import MeasureFigures, measure_figures
from kreislauf.advice.funding import funding_options
from kreislauf.advice.io import (
    company_from_text,
    merge_rules,
    read_company,
    read_rules,
    rules_from_text,
    shipped_rules,
)
from kreislauf.advice.models import (
    SIZE_CLASSES,
    Company,
    FundingResult,
    MeasureFacts,
    Programme,
    ProgrammeResult,
    RuleTable,
    SizeClass,
)
from kreislauf.advice.size import size_class
from kreislauf.advice.taxonomy import Taxonomy, taxonomy, taxonomy_codes

__all__ = [
    "SIZE_CLASSES",
    "Company",
    "FundingResult",
    "MeasureFacts",
    "MeasureFigures",
    "Programme",
    "ProgrammeResult",
    "RuleTable",
    "SizeClass",
    "Taxonomy",
    "company_from_text",
    "funding_options",
    "measure_figures",
    "merge_rules",
    "read_company",
    "read_rules",
    "rules_from_text",
    "shipped_rules",
    "size_class",
    "taxonomy",
    "taxonomy_codes",
]
