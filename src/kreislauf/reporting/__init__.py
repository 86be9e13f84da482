"""Reporting: the VSME report, ESRS E5 data points and the LkSG risk analysis.

Pure Python on top of :mod:`kreislauf.ledger` and :mod:`kreislauf.carbon`: no web, no
database. The documents (HTML/PDF through :mod:`kreislauf.report`) and the Inline XBRL
are built in their modules (:mod:`kreislauf.reporting.vsme_document`,
:mod:`~kreislauf.reporting.ixbrl`).
"""

from kreislauf.reporting.answers import Answers, Entity, answers_from_data, read_answers
from kreislauf.reporting.models import DataPoint, Source
from kreislauf.reporting.taxonomy import TAXONOMY_VERSION, Concept, concepts, datapoints
from kreislauf.reporting.vsme import VsmeReport, vsme_report

__all__ = [
    "TAXONOMY_VERSION",
    "Answers",
    "Concept",
    "DataPoint",
    "Entity",
    "Source",
    "VsmeReport",
    "answers_from_data",
    "concepts",
    "datapoints",
    "read_answers",
    "vsme_report",
]
