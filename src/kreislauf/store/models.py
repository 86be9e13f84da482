"""The tables of the web platform, as SQLAlchemy 2 typed models.

Every table that holds an organisation's data has an ``organisation_id``; the one query
helper :func:`kreislauf.store.tenancy.scoped` filters on it. Secrets (passwords, API
tokens, survey links, invitations, resume codes) are stored only as hashes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal, get_args

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kreislauf.store.base import Base, CreatedAt, utcnow

OrgKind = Literal["company", "network", "consultancy"]
ORG_KINDS: tuple[OrgKind, ...] = get_args(OrgKind)
Role = Literal["viewer", "editor", "owner"]
#: Roles from least to most rights; a role includes the rights of those before it.
ROLES: tuple[Role, ...] = get_args(Role)
LinkKind = Literal["anonymous", "identified"]
QuestionnaireStatus = Literal["draft", "published", "closed"]
ResponseStatus = Literal["in_progress", "submitted"]
JobStatus = Literal["queued", "running", "done", "failed", "cancelled"]
CarbonInputKind = Literal["factors", "activities", "measures", "bom"]
CARBON_INPUT_KINDS: tuple[CarbonInputKind, ...] = get_args(CarbonInputKind)


def _one_of(column: str, values: tuple[str, ...]) -> CheckConstraint:
    quoted = ", ".join(f"'{v}'" for v in values)
    return CheckConstraint(f"{column} IN ({quoted})", name=f"{column}_valid")


class Organisation(CreatedAt, Base):
    """A company, a network (cluster, chamber, lab) or a consultancy; the tenant."""

    __tablename__ = "organisations"
    __table_args__ = (_one_of("kind", ORG_KINDS),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))


class User(CreatedAt, Base):
    """A person who signs in; ``password_hash`` is an argon2id hash.

    ``session_generation`` is written into every session cookie at sign-in and compared on
    every request: raising it (logout, password change) ends the user's sessions at once.
    """

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    lang: Mapped[str] = mapped_column(String(2), default="de")
    session_generation: Mapped[int] = mapped_column(default=0, server_default="0")


class Membership(CreatedAt, Base):
    """A user's role in an organisation."""

    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("organisation_id", "user_id", name="uq_memberships_org_user"),
        _one_of("role", ROLES),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(10))

    user: Mapped[User] = relationship(lazy="joined")
    organisation: Mapped[Organisation] = relationship(lazy="joined")


class Invitation(CreatedAt, Base):
    """An invitation to join an organisation with a role, accepted through a secret token."""

    __tablename__ = "invitations"
    __table_args__ = (_one_of("role", ROLES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(String(320))
    role: Mapped[str] = mapped_column(String(10))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    expires_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]


class ApiToken(CreatedAt, Base):
    """A bearer token for machines; acts as its user. Only the SHA-256 hash is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class LoginAttempt(Base):
    """A failed login, per account and client address (the rate limit counts these)."""

    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_key_at", "key", "attempted_at"),
        Index("ix_login_attempts_at", "attempted_at"),  # pruning rows older than the window
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(400))
    attempted_at: Mapped[datetime] = mapped_column(default=utcnow)


class Questionnaire(CreatedAt, Base):
    """A questionnaire in the survey module's YAML format, owned by an organisation."""

    __tablename__ = "questionnaires"
    __table_args__ = (_one_of("status", get_args(QuestionnaireStatus)),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    filename: Mapped[str] = mapped_column(String(200))
    source_yaml: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="draft")
    published_at: Mapped[datetime | None]


class SurveyLink(CreatedAt, Base):
    """A token link to a questionnaire: anonymous (many respondents) or identified (one)."""

    __tablename__ = "survey_links"
    __table_args__ = (_one_of("kind", get_args(LinkKind)),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    questionnaire_id: Mapped[int] = mapped_column(
        ForeignKey("questionnaires.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(12))
    label: Mapped[str] = mapped_column(String(200), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    closed_at: Mapped[datetime | None]

    questionnaire: Mapped[Questionnaire] = relationship(lazy="joined")


class Response(CreatedAt, Base):
    """One respondent's answers; ``in_progress`` until submitted (save and resume).

    answers : item column -> the answer code as text (as a response file would hold it)
    resume_hash : hash of the code with which the respondent resumes an unfinished form
    """

    __tablename__ = "responses"
    __table_args__ = (_one_of("status", get_args(ResponseStatus)),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    questionnaire_id: Mapped[int] = mapped_column(
        ForeignKey("questionnaires.id", ondelete="CASCADE"), index=True
    )
    link_id: Mapped[int | None] = mapped_column(
        ForeignKey("survey_links.id", ondelete="SET NULL"), index=True
    )
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(12), default="in_progress")
    resume_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None]


class LedgerUpload(CreatedAt, Base):
    """One validated ledger file; its rows are :class:`LedgerFlow`.

    Uploads are applied in ``sequence`` order: one in ``mode`` ``replace`` takes over the
    site × period cells it covers from the uploads applied before it, one in ``add`` adds
    its flows to theirs (docs/ledger.md#uploads). ``status`` is ``applied`` or ``pending``
    (stored, waiting for the user to confirm what it replaces; ``sequence`` is then None).
    ``digest`` (SHA-256 of the canonical rows) is unique per organisation: the same content
    is stored once, uploading it again applies the stored upload again.
    """

    __tablename__ = "ledger_uploads"
    __table_args__ = (
        UniqueConstraint("organisation_id", "digest", name="uq_ledger_uploads_org_digest"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(200))
    uploaded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    rows: Mapped[int] = mapped_column(Integer)
    mapping_yaml: Mapped[str | None] = mapped_column(Text)
    digest: Mapped[str | None] = mapped_column(String(64))
    mode: Mapped[str] = mapped_column(String(10), default="replace", server_default="add")
    status: Mapped[str] = mapped_column(String(10), default="applied", server_default="applied")
    sequence: Mapped[int | None] = mapped_column(Integer)


class LedgerFlow(Base):
    """One canonical ledger row as uploaded (after a mapping, if any), cells as text/numbers.

    ``quantity`` in ``unit`` as written; the ledger package converts to base units when
    the ledger is rebuilt for a dashboard.
    """

    __tablename__ = "ledger_flows"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    upload_id: Mapped[int] = mapped_column(
        ForeignKey("ledger_uploads.id", ondelete="CASCADE"), index=True
    )
    row: Mapped[int] = mapped_column(Integer)
    period: Mapped[str] = mapped_column(String(7))
    site: Mapped[str] = mapped_column(String(200))
    centre: Mapped[str] = mapped_column(String(200))
    flow: Mapped[str] = mapped_column(String(20))
    material: Mapped[str | None] = mapped_column(String(300))
    category: Mapped[str | None] = mapped_column(String(100))
    quantity: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str | None] = mapped_column(String(20))
    cost_eur: Mapped[float | None] = mapped_column(Float)
    recycled_share: Mapped[float | None] = mapped_column(Float)
    treatment: Mapped[str | None] = mapped_column(String(30))
    to_centre: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    #: EU List of Waste / AVV code as written in the file (``07 02 13``, ``12 01 18*``).
    waste_code: Mapped[str | None] = mapped_column(String(20))


class Job(CreatedAt, Base):
    """Long work (report rendering, big imports) done by a background worker.

    ``progress`` in [0, 1]; ``stage`` names the current step (e.g. ``validating``);
    ``heartbeat_at`` [UTC] is renewed while the job runs, so a job whose process died can be
    told apart from a slow one; ``problems`` keeps row-level problems of a failed import per
    language (``{"de": [...], "en": [...]}``, entries as in the API's problem details).
    """

    __tablename__ = "jobs"
    __table_args__ = (_one_of("status", get_args(JobStatus)),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(40))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(10), default="queued")
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    error: Mapped[str | None] = mapped_column(Text)
    result_name: Mapped[str | None] = mapped_column(String(200))
    result_type: Mapped[str | None] = mapped_column(String(100))
    result: Mapped[bytes | None] = mapped_column(LargeBinary)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    heartbeat_at: Mapped[datetime | None]
    stage: Mapped[str | None] = mapped_column(String(20))
    problems: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    #: Runs started so far (a retry or a stalled job run again counts one more).
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    #: The procrastinate job that runs it (PostgreSQL queue), None in-process.
    queue_id: Mapped[int | None] = mapped_column(BigInteger)
    #: SHA-256 of kind, parameters and files: an identical queued job is not queued twice.
    inputs_digest: Mapped[str | None] = mapped_column(String(64), index=True)


class JobFile(Base):
    """An uploaded file a queued job works on, under its original (sanitised) name.

    Deleted when the job ends, so uploaded bytes do not stay in the database.
    """

    __tablename__ = "job_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), index=True)
    field: Mapped[str] = mapped_column(String(20))
    filename: Mapped[str] = mapped_column(String(200))
    content: Mapped[bytes] = mapped_column(LargeBinary)


class CarbonInput(CreatedAt, Base):
    """A validated carbon input file of a company, kept as its text.

    ``factors`` files are applied in the order of their ids (a later file overrides the
    keys of an earlier one); an organisation has at most one ``activities``, one
    ``measures`` and one ``bom`` (bill of materials) file (a new upload replaces it).
    """

    __tablename__ = "carbon_inputs"
    __table_args__ = (
        _one_of("kind", CARBON_INPUT_KINDS),
        UniqueConstraint(
            "organisation_id", "kind", "content_sha256", name="uq_carbon_inputs_content"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    filename: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text)
    #: SHA-256 of ``content`` (UTF-8, hex): an identical file is stored once per kind.
    content_sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


# --- passport (kreislauf.passport): PACT clients, published footprints, the request inbox


class PactClient(CreatedAt, Base):
    """OAuth2 client credentials with which a customer's system reads the organisation's
    PACT footprints (``/pact/auth/token``); the secret is stored as its SHA-256."""

    __tablename__ = "pact_clients"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    client_id: Mapped[str] = mapped_column(String(64), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64))


class PublishedFootprint(CreatedAt, Base):
    """A PACT v3.0 ProductFootprint the organisation publishes (its JSON as exported for
    the legitimate-interest tier), one row per footprint id."""

    __tablename__ = "published_footprints"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    footprint_id: Mapped[str] = mapped_column(String(36), unique=True)
    passport_id: Mapped[str] = mapped_column(String(36), index=True)
    passport_version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    # what the ListFootprints criteria test (kreislauf.passport.pact_host.footprint_index),
    # kept beside the document so that a page is filtered and cut in SQL [UTC]
    validity_start: Mapped[datetime] = mapped_column(index=True)
    validity_end: Mapped[datetime] = mapped_column(index=True)
    pf_created: Mapped[datetime] = mapped_column()
    reference_start: Mapped[datetime] = mapped_column()
    reference_end: Mapped[datetime] = mapped_column()
    cpc: Mapped[str | None] = mapped_column(String(40))
    geography_country: Mapped[str | None] = mapped_column(String(10))


class PactRequest(CreatedAt, Base):
    """A PACT event received on ``/pact/…/events`` (a RequestCreated waits for the owner)."""

    __tablename__ = "pact_requests"
    __table_args__ = (
        UniqueConstraint("organisation_id", "event_id", name="uq_pact_requests_event"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    client_id: Mapped[int | None] = mapped_column(
        ForeignKey("pact_clients.id", ondelete="SET NULL")
    )
    event_id: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40))
    source: Mapped[str] = mapped_column(String(2000))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(20), default="open")


class AnalysisSettings(Base):
    """What an editor declared for a questionnaire's analysis on the analysis page.

    missing_codes : codes that mean "no valid answer" in every item (like ``--missing``)
    scale_min, scale_max : the Likert scale (replaces the questionnaire's default scale)
    kinds : item id -> likert | numeric | categorical (overrides the questionnaire)
    """

    __tablename__ = "analysis_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    questionnaire_id: Mapped[int] = mapped_column(
        ForeignKey("questionnaires.id", ondelete="CASCADE"), unique=True
    )
    missing_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    scale_min: Mapped[int | None]
    scale_max: Mapped[int | None]
    kinds: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


ExchangeDecisionKind = Literal["accepted", "declined"]
EXCHANGE_DECISIONS: tuple[ExchangeDecisionKind, ...] = get_args(ExchangeDecisionKind)


class ExchangeListing(CreatedAt, Base):
    """A published offer or request of the exchange, validated by :mod:`kreislauf.exchange`.

    ``key`` is the listing's id in the organisation's file (unique per organisation; a new
    upload with the same key replaces it); ``elements`` the rule-table elements it carries.
    Other organisations see a listing only through the matching, without the company name
    until both sides accept (:mod:`kreislauf.web.services.exchange`).
    """

    __tablename__ = "exchange_listings"
    __table_args__ = (
        UniqueConstraint("organisation_id", "key"),
        _one_of("side", ("offer", "request")),
        _one_of("interval", ("once", "month", "quarter", "year")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(100))
    side: Mapped[str] = mapped_column(String(10))
    material: Mapped[str] = mapped_column(String(100), index=True)
    quantity_t: Mapped[float] = mapped_column(Float)
    interval: Mapped[str] = mapped_column(String(10))
    price_eur_per_t: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    ewc_code: Mapped[str] = mapped_column(String(20), default="")
    valid_from: Mapped[str | None] = mapped_column(String(10))
    valid_to: Mapped[str | None] = mapped_column(String(10))
    min_dql: Mapped[int] = mapped_column(Integer, default=0)
    max_price_eur_per_t: Mapped[float | None] = mapped_column(Float)
    max_distance_km: Mapped[float | None] = mapped_column(Float)
    elements: Mapped[list[str]] = mapped_column(JSON, default=list)


class ExchangeDecision(CreatedAt, Base):
    """One organisation's answer to a proposed match (offer listing → request listing)."""

    __tablename__ = "exchange_decisions"
    __table_args__ = (
        UniqueConstraint("organisation_id", "offer_id", "request_id"),
        _one_of("decision", EXCHANGE_DECISIONS),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    offer_id: Mapped[int] = mapped_column(
        ForeignKey("exchange_listings.id", ondelete="CASCADE"), index=True
    )
    request_id: Mapped[int] = mapped_column(
        ForeignKey("exchange_listings.id", ondelete="CASCADE"), index=True
    )
    decision: Mapped[str] = mapped_column(String(10))


class ExchangeSeries(CreatedAt, Base):
    """A stored availability series of an organisation and its latest forecast.

    ``periods`` (``YYYY-MM``, consecutive) and ``quantities`` [t] are the history as last
    uploaded (a new upload of the series replaces it); ``forecast`` is the
    :class:`kreislauf.exchange.models.SeriesForecast` document of the latest run at
    ``horizon`` months, ``forecast_at`` [UTC] when it was computed (the nightly
    ``exchange_forecast_refresh`` recomputes every stored series).
    """

    __tablename__ = "exchange_series"
    __table_args__ = (UniqueConstraint("organisation_id", "series_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    series_id: Mapped[str] = mapped_column(String(100))
    periods: Mapped[list[str]] = mapped_column(JSON, default=list)
    quantities: Mapped[list[float]] = mapped_column(JSON, default=list)
    horizon: Mapped[int] = mapped_column(Integer)
    forecast: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    forecast_at: Mapped[datetime | None]


class StoredPassport(CreatedAt, Base):
    """One version of a product passport kept on the platform (its whole JSON, owner tier).

    Versions of a passport share ``passport_id`` and are chained by ``previous_digest``
    (:mod:`kreislauf.passport.versions`); ``gtin``/``serial``/``batch`` are copied out of
    the passport for the GS1 Digital Link resolver (GTIN-14, ``None`` for a passport
    identified by URNs only).
    """

    __tablename__ = "stored_passports"
    __table_args__ = (
        UniqueConstraint("passport_id", "version", name="uq_stored_passports_version"),
        Index("ix_stored_passports_gtin", "gtin", "serial", "batch"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    passport_id: Mapped[str] = mapped_column(String(36), index=True)
    version: Mapped[int] = mapped_column(Integer)
    digest: Mapped[str] = mapped_column(String(64))
    previous_digest: Mapped[str | None] = mapped_column(String(64))
    gtin: Mapped[str | None] = mapped_column(String(14))
    serial: Mapped[str | None] = mapped_column(String(20))
    batch: Mapped[str | None] = mapped_column(String(20))
    product_name: Mapped[str] = mapped_column(String(2000))
    document: Mapped[dict[str, Any]] = mapped_column(JSON)


class PassportKey(CreatedAt, Base):
    """The organisation's Ed25519 signing key (a private JWK; ``kid`` its RFC 7638
    thumbprint). Created at the first publication; its public half is served at
    ``/.well-known/jwks.json``."""

    __tablename__ = "passport_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), unique=True
    )
    kid: Mapped[str] = mapped_column(String(64), unique=True)
    private_jwk: Mapped[dict[str, Any]] = mapped_column(JSON)


class PassportAccess(Base):
    """One access to a passport: channel (page, resolver, api, pact), tier, format, who."""

    __tablename__ = "passport_access"
    __table_args__ = (Index("ix_passport_access_org_id", "organisation_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    passport_id: Mapped[str] = mapped_column(String(36))
    version: Mapped[int | None] = mapped_column(Integer)
    channel: Mapped[str] = mapped_column(String(20))
    tier: Mapped[str] = mapped_column(String(30))
    format: Mapped[str] = mapped_column(String(30))
    who: Mapped[str] = mapped_column(String(400))
    at: Mapped[datetime] = mapped_column(default=utcnow)


class PactPeer(CreatedAt, Base):
    """Credentials the organisation holds at a requester's PACT host, for sending replies
    there (``base_url`` is the host's PACT base, e.g. ``https://oem.example/pact``)."""

    __tablename__ = "pact_peers"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    base_url: Mapped[str] = mapped_column(String(2000))
    client_id: Mapped[str] = mapped_column(String(200))
    client_secret: Mapped[str] = mapped_column(String(400))


class PactReply(CreatedAt, Base):
    """The RequestFulfilled/RequestRejected event answering an inbox request, and whether
    it reached the requester (``pending``, ``delivered``, ``retrying``: failed, the queue
    tries again at ``next_attempt_at``; ``failed``: no attempt is left)."""

    __tablename__ = "pact_replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    request_id: Mapped[int] = mapped_column(
        ForeignKey("pact_requests.id", ondelete="CASCADE"), unique=True
    )
    kind: Mapped[str] = mapped_column(String(40))
    target: Mapped[str] = mapped_column(String(2000))
    event: Mapped[dict[str, Any]] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(2000))
    delivered_at: Mapped[datetime | None] = mapped_column()
    #: When the queue tries again after a failed attempt (state ``retrying``) [UTC].
    next_attempt_at: Mapped[datetime | None] = mapped_column()


class LksgSupplier(Base):
    """A direct supplier of the organisation's LkSG supplier list (the last upload, as
    :func:`kreislauf.reporting.lksg.read_suppliers` validated it; ``row`` in that file)."""

    __tablename__ = "lksg_suppliers"
    __table_args__ = (
        UniqueConstraint("organisation_id", "name", name="uq_lksg_suppliers_org_name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2))
    nace: Mapped[str] = mapped_column(String(10))
    spend_eur: Mapped[float] = mapped_column(Float)
    products: Mapped[str] = mapped_column(Text, default="")
    influence: Mapped[str] = mapped_column(String(10), default="")
    contribution: Mapped[str] = mapped_column(String(10), default="direct")
    source: Mapped[str] = mapped_column(String(200))
    row: Mapped[int] = mapped_column(Integer)
    uploaded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)


class LksgAssessment(Base):
    """The concrete risk assessment (§ 5 Abs. 1 LkSG) of one supplier and protected
    position in a year, with who recorded it and when."""

    __tablename__ = "lksg_assessments"
    __table_args__ = (
        UniqueConstraint(
            "organisation_id", "year", "supplier", "position", name="uq_lksg_assessments_risk"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    year: Mapped[int] = mapped_column(Integer)
    supplier: Mapped[str] = mapped_column(String(200))
    position: Mapped[str] = mapped_column(String(10))
    finding: Mapped[str] = mapped_column(String(20))
    method: Mapped[str] = mapped_column(String(20))
    evidence: Mapped[str] = mapped_column(Text, default="")
    assessed_by: Mapped[str] = mapped_column(String(200))
    assessed_on: Mapped[str] = mapped_column(String(10))
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class LksgMeasure(Base):
    """A preventive (§ 6) or remedial (§ 7) measure of a year with owner, due date,
    status and last review, with who recorded it and when."""

    __tablename__ = "lksg_measures"
    __table_args__ = (
        UniqueConstraint("organisation_id", "year", "code", name="uq_lksg_measures_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    year: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(40))
    supplier: Mapped[str] = mapped_column(String(200))
    position: Mapped[str] = mapped_column(String(10))
    kind: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200))
    due: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(20))
    reviewed_on: Mapped[str] = mapped_column(String(10), default="")
    follow_up: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReportingAnswer(Base):
    """One answer of the guided VSME page: a value for a data point of a reporting year,
    with who gave it and when (``kreislauf.reporting`` reads it as an answers file)."""

    __tablename__ = "reporting_answers"
    __table_args__ = (
        UniqueConstraint(
            "organisation_id", "year", "concept", name="uq_reporting_answers_org_year_concept"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    year: Mapped[int] = mapped_column(Integer)
    concept: Mapped[str] = mapped_column(String(200))
    value: Mapped[Any] = mapped_column(JSON)
    answered_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    answered_at: Mapped[datetime] = mapped_column(default=utcnow)


class AdviceCompanyProfile(Base):
    """The company's figures for the funding finder, stored so the funding page does not
    ask every time (docs/advice.md#company-file): one row per organisation, with who saved
    it and when. ``facts``: per measure id the measure facts of the company file, as
    :class:`kreislauf.advice.models.MeasureFacts` validated them."""

    __tablename__ = "advice_company_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), unique=True
    )
    employees: Mapped[float | None] = mapped_column(Float)
    turnover_eur: Mapped[float | None] = mapped_column(Float)
    balance_sheet_eur: Mapped[float | None] = mapped_column(Float)
    state: Mapped[str | None] = mapped_column(String(5))
    nace: Mapped[str | None] = mapped_column(String(10))
    de_minimis_received_eur: Mapped[float | None] = mapped_column(Float)
    energy_network_member: Mapped[bool | None] = mapped_column()
    facts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class ExchangeSeen(Base):
    """What an organisation last saw of a proposed match on its exchange page: the match
    itself and the other side's decision then (for the page's notifications)."""

    __tablename__ = "exchange_seen"
    __table_args__ = (UniqueConstraint("organisation_id", "offer_id", "request_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    offer_id: Mapped[int] = mapped_column(
        ForeignKey("exchange_listings.id", ondelete="CASCADE"), index=True
    )
    request_id: Mapped[int] = mapped_column(
        ForeignKey("exchange_listings.id", ondelete="CASCADE"), index=True
    )
    other_decision: Mapped[str | None] = mapped_column(String(10))
    seen_at: Mapped[datetime] = mapped_column(default=utcnow)


# --- the list criteria of published PACT footprints (migration 0019_passweb2) ---


class PactFootprintTerm(Base):
    """One value of a published footprint's list criterion (``productId``, ``companyId``,
    ``geography``, ``classification``), so that ListFootprints filters in SQL."""

    __tablename__ = "pact_footprint_terms"
    __table_args__ = (Index("ix_pact_footprint_terms_value", "criterion", "value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    footprint: Mapped[int] = mapped_column(
        ForeignKey("published_footprints.id", ondelete="CASCADE"), index=True
    )
    criterion: Mapped[str] = mapped_column(String(20))
    value: Mapped[str] = mapped_column(String(1000))


#: Tables whose rows belong to one organisation (checked by tests/store).
TENANT_TABLES: tuple[type[Base], ...] = (
    Membership,
    Invitation,
    Questionnaire,
    SurveyLink,
    Response,
    LedgerUpload,
    LedgerFlow,
    Job,
    JobFile,
    CarbonInput,
    PactClient,
    PublishedFootprint,
    PactRequest,
    AnalysisSettings,
    ExchangeListing,
    ExchangeDecision,
    ExchangeSeries,
    ExchangeSeen,
    StoredPassport,
    PassportKey,
    PassportAccess,
    PactPeer,
    PactReply,
    PactFootprintTerm,
    LksgSupplier,
    LksgAssessment,
    LksgMeasure,
    ReportingAnswer,
    AdviceCompanyProfile,
)
