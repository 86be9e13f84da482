"""Survey evaluation: responses from CSV/XLSX/SAV/LimeSurvey, statistics as JASP/SPSS print
them, agreement shares, reliability, group comparisons and data-quality findings.

The report, which loads matplotlib and the report renderer, is imported from
:mod:`kreislauf.survey.report` (``survey_report``).
"""

from kreislauf.survey.analysis import AnalysisOptions, analyze_prepared, analyze_responses
from kreislauf.survey.dataset import ColumnMeta, RawResponses
from kreislauf.survey.models import (
    Comparison,
    Descriptives,
    FrequencyRow,
    Interval,
    ItemResult,
    QualityWarning,
    Reliability,
    RuleCheck,
    Shares,
    SurveyResults,
)
from kreislauf.survey.questionnaire import Questionnaire, read_questionnaire
from kreislauf.survey.readers import read_responses, read_structure

__all__ = [
    "AnalysisOptions",
    "ColumnMeta",
    "Comparison",
    "Descriptives",
    "FrequencyRow",
    "Interval",
    "ItemResult",
    "QualityWarning",
    "Questionnaire",
    "RawResponses",
    "Reliability",
    "RuleCheck",
    "Shares",
    "SurveyResults",
    "analyze_prepared",
    "analyze_responses",
    "read_questionnaire",
    "read_responses",
    "read_structure",
]
