"""Online questionnaires: stored YAML, token links, responses with save and resume.

The questionnaire format and its validation are the survey module's
(:func:`kreislauf.survey.questionnaire.read_questionnaire`); the store keeps the YAML text.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kreislauf.errors import InvalidField, NotFound, SurveyClosed
from kreislauf.store.base import utcnow
from kreislauf.store.models import AnalysisSettings, Questionnaire, Response, SurveyLink
from kreislauf.store.secrets import new_token, token_hash
from kreislauf.store.tenancy import get_scoped, scoped
from kreislauf.survey.dataset import RawResponses
from kreislauf.survey.questionnaire import Questionnaire as QuestionnaireSpec
from kreislauf.survey.questionnaire import read_questionnaire

STATUSES = ("draft", "published", "closed")
LINK_KINDS = ("anonymous", "identified")


def create_questionnaire(session: Session, *, organisation_id: int, path: Path) -> Questionnaire:
    """Store the questionnaire file at ``path`` after the survey module validated it."""
    spec = read_questionnaire(path)
    title = (spec.title or {}).get("de") or (spec.title or {}).get("en") or path.stem
    record = Questionnaire(
        organisation_id=organisation_id,
        title=title[:300],
        filename=path.name,
        source_yaml=path.read_text(encoding="utf-8-sig"),
        status="draft",
    )
    session.add(record)
    session.flush()
    return record


@lru_cache(maxsize=64)
def _parse(source_yaml: str) -> QuestionnaireSpec:
    return QuestionnaireSpec.model_validate(yaml.safe_load(source_yaml) or {})


def questionnaire_spec(record: Questionnaire) -> QuestionnaireSpec:
    """The parsed questionnaire of a stored record (validated when it was stored)."""
    return _parse(record.source_yaml)


def questionnaires(session: Session, *, organisation_id: int) -> list[Questionnaire]:
    """The organisation's questionnaires, newest first."""
    statement = scoped(Questionnaire, organisation_id).order_by(Questionnaire.id.desc())
    return list(session.scalars(statement))


def set_status(
    session: Session, *, organisation_id: int, questionnaire_id: int, status: str
) -> Questionnaire:
    """Publish (links accept answers), close, or return a questionnaire to draft."""
    if status not in STATUSES:
        raise InvalidField(field="status", value=status, expected=", ".join(STATUSES))
    record = get_scoped(session, Questionnaire, questionnaire_id, organisation_id=organisation_id)
    record.status = status
    if status == "published" and record.published_at is None:
        record.published_at = utcnow()
    session.flush()
    return record


def create_link(
    session: Session, *, organisation_id: int, questionnaire_id: int, kind: str, label: str = ""
) -> tuple[SurveyLink, str]:
    """A token link and its token (shown once; only the hash is stored).

    anonymous : any number of respondents; each gets a resume code when saving
    identified : one respondent (e.g. one member company, named in ``label``)
    """
    if kind not in LINK_KINDS:
        raise InvalidField(field="kind", value=kind, expected=", ".join(LINK_KINDS))
    get_scoped(session, Questionnaire, questionnaire_id, organisation_id=organisation_id)
    token = new_token()
    link = SurveyLink(
        organisation_id=organisation_id,
        questionnaire_id=questionnaire_id,
        kind=kind,
        label=label.strip()[:200],
        token_hash=token_hash(token),
    )
    session.add(link)
    session.flush()
    return link, token


def links(session: Session, *, organisation_id: int, questionnaire_id: int) -> list[SurveyLink]:
    """The links of one questionnaire."""
    statement = scoped(SurveyLink, organisation_id).where(
        SurveyLink.questionnaire_id == questionnaire_id
    )
    return list(session.scalars(statement.order_by(SurveyLink.id)))


def link_for_token(session: Session, *, token: str) -> SurveyLink:
    """The open link with this token; :class:`NotFound` or :class:`SurveyClosed` otherwise."""
    link = session.scalars(
        select(SurveyLink).where(SurveyLink.token_hash == token_hash(token))
    ).first()
    if link is None:
        raise NotFound(what="survey_link", id="token")
    if link.closed_at is not None or link.questionnaire.status != "published":
        raise SurveyClosed()
    return link


def find_response(session: Session, *, link: SurveyLink, resume: str | None) -> Response | None:
    """The response to continue: the link's own (identified) or the one of the resume code."""
    statement = select(Response).where(Response.link_id == link.id)
    if link.kind == "anonymous":
        if not resume:
            return None
        statement = statement.where(Response.resume_hash == token_hash(resume))
    return session.scalars(statement.order_by(Response.id)).first()


def save_response(
    session: Session,
    *,
    link: SurveyLink,
    answers: dict[str, str],
    resume: str | None,
    submit: bool,
) -> tuple[Response, str | None]:
    """Save answers (already validated against the questionnaire) and optionally submit.

    Returns the response and, for a new anonymous response, its resume code (shown once).
    A submitted response cannot be changed.
    """
    response = find_response(session, link=link, resume=resume)
    if response is None and resume and link.kind == "anonymous":
        raise NotFound(what="response", id="resume")
    code: str | None = None
    if response is None:
        if link.kind == "anonymous":
            code = new_token()
        response = Response(
            organisation_id=link.organisation_id,
            questionnaire_id=link.questionnaire_id,
            link_id=link.id,
            answers={},
            resume_hash=token_hash(code) if code else None,
        )
        session.add(response)
    if response.status == "submitted":
        raise SurveyClosed()
    response.answers = dict(answers)
    response.updated_at = utcnow()
    if submit:
        response.status = "submitted"
        response.submitted_at = utcnow()
    session.flush()
    return response, code


def import_responses(
    session: Session, *, organisation_id: int, questionnaire_id: int, raw: RawResponses
) -> int:
    """Store the rows of a response file as submitted responses (e.g. a paper survey)."""
    get_scoped(session, Questionnaire, questionnaire_id, organisation_id=organisation_id)
    now = utcnow()
    count = 0
    for record in raw.frame.to_dict(orient="records"):
        answers = {
            str(k): str(v).removesuffix(".0") if isinstance(v, float) else str(v)
            for k, v in record.items()
            if not (isinstance(v, float) and np.isnan(v))
        }
        session.add(
            Response(
                organisation_id=organisation_id,
                questionnaire_id=questionnaire_id,
                answers=answers,
                status="submitted",
                submitted_at=now,
            )
        )
        count += 1
    session.flush()
    return count


def response_counts(
    session: Session, *, organisation_id: int, questionnaire_id: int
) -> dict[str, int]:
    """Number of responses per status (``in_progress``, ``submitted``)."""
    statement = (
        scoped(Response, organisation_id, Response.status, func.count())
        .where(Response.questionnaire_id == questionnaire_id)
        .group_by(Response.status)
    )
    counts = {"in_progress": 0, "submitted": 0}
    counts.update({str(s): int(n) for s, n in session.execute(statement).all()})
    return counts


def response_columns(spec: QuestionnaireSpec) -> list[str]:
    """The data columns of a questionnaire: id column first, then every item's column."""
    columns = [spec.id_column] if spec.id_column else []
    columns += [item.source_column for item in spec.items if item.source_column not in columns]
    return columns


def submitted_responses(
    session: Session, *, organisation_id: int, questionnaire: Questionnaire
) -> RawResponses:
    """The submitted responses as a response table, like a file the survey module reads.

    Columns are the questionnaire's data columns; cells are text (blank = NaN); the id
    column, if the questionnaire names one, numbers the responses in order of submission
    unless an imported row brought its own id.
    """
    spec = questionnaire_spec(questionnaire)
    statement = (
        scoped(Response, organisation_id, Response.answers)
        .where(Response.questionnaire_id == questionnaire.id, Response.status == "submitted")
        .order_by(Response.id)
    )
    rows: list[dict[str, Any]] = [dict(a or {}) for a in session.scalars(statement)]
    columns = response_columns(spec)
    frame = pd.DataFrame(rows, columns=columns, dtype=object)
    if spec.id_column:
        numbers = pd.Series(np.arange(1, len(frame) + 1).astype(str), index=frame.index)
        frame[spec.id_column] = frame[spec.id_column].where(frame[spec.id_column].notna(), numbers)
    frame = frame.where(frame.notna(), np.nan)
    return RawResponses(frame=frame, source=f"{questionnaire.filename} (online)")


def get_questionnaire(
    session: Session, *, organisation_id: int, questionnaire_id: int
) -> Questionnaire:
    """One questionnaire of the organisation (NotFound otherwise)."""
    return get_scoped(session, Questionnaire, questionnaire_id, organisation_id=organisation_id)


def close_link(session: Session, *, organisation_id: int, link_id: int) -> SurveyLink:
    """Stop a link from accepting answers."""
    link = get_scoped(session, SurveyLink, link_id, organisation_id=organisation_id)
    link.closed_at = utcnow()
    session.flush()
    return link


def analysis_settings(
    session: Session, *, organisation_id: int, questionnaire_id: int
) -> AnalysisSettings | None:
    """What an editor declared for the questionnaire's analysis (None: nothing yet)."""
    statement = scoped(AnalysisSettings, organisation_id).where(
        AnalysisSettings.questionnaire_id == questionnaire_id
    )
    return session.scalars(statement).first()


def save_analysis_settings(
    session: Session,
    *,
    organisation_id: int,
    questionnaire_id: int,
    missing_codes: list[str],
    scale: tuple[int, int] | None,
    kinds: dict[str, str],
) -> AnalysisSettings:
    """Store (replace) the analysis settings of a questionnaire (validated by the caller)."""
    get_scoped(session, Questionnaire, questionnaire_id, organisation_id=organisation_id)
    record = analysis_settings(
        session, organisation_id=organisation_id, questionnaire_id=questionnaire_id
    )
    if record is None:
        record = AnalysisSettings(
            organisation_id=organisation_id, questionnaire_id=questionnaire_id
        )
        session.add(record)
    record.missing_codes = list(missing_codes)
    record.scale_min, record.scale_max = scale if scale else (None, None)
    record.kinds = dict(kinds)
    record.updated_at = utcnow()
    session.flush()
    return record
