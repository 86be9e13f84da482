"""Survey evaluation: responses from CSV/XLSX/SAV/LimeSurvey (CSV, VV, .lsa), statistics as
JASP/SPSS print them, agreement shares, multiple-response tables, reliability, group
comparisons and data-quality findings.

The report, which loads matplotlib and the report renderer, is imported from
:mod:`kreislauf.survey.report` (``survey_report``).
"""

from kreislauf.survey.analysis import AnalysisOptions, analyze_prepared, analyze_responses
from kreislauf.survey.dataset import ColumnMeta, MultipleSet, RawResponses
from kreislauf.survey.models import (
    Comparison,
    Descriptives,
    FrequencyRow,
    Interval,
    ItemResult,
    MultipleResponse,
    MultipleRow,
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
    "MultipleResponse",
    "MultipleRow",
    "MultipleSet",
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
