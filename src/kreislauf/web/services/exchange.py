"""Exchange service: publishing listings, the matches of an organisation, decisions on
them, and the forecast refresh as a background job.

Matching runs over the whole market (every organisation's published listings, through
:func:`kreislauf.store.exchange.market_listings`) with :func:`kreislauf.exchange.match_listings`;
an organisation sees only the matches one of its listings is part of, and the other side's
company name only once both sides have accepted (trade secrets: seed 000, issue 18).

A history (CSV/XLSX, ``series_id, period, quantity_t``) is kept with a queued job; the
worker (or a task of a queue in another process, :func:`kreislauf.web.worker.run_job`)
fits and backtests every series and stores the forecast document (JSON, the same as
``kreislauf exchange forecast --json``) as the job's result.
"""

from __future__ import annotations

import csv
import io
import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

import numpy as np
import pandas as pd
from fastapi import Request, UploadFile
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from kreislauf.errors import InvalidField, KreislaufError, NotFound
from kreislauf.exchange import default_rules, dql, match_listings, missing_for_next
from kreislauf.exchange.drafts import OfferDraft, offer_drafts
from kreislauf.exchange.io import read_listings, read_listings_text
from kreislauf.exchange.market import OfferHit, PriceStatistics, price_statistics, search_offers
from kreislauf.exchange.models import (
    LISTING_COLUMNS,
    REQUEST_COLUMNS,
    ForecastResult,
    Listing,
    SeriesForecast,
)
from kreislauf.i18n import Lang, translate
from kreislauf.store import exchange as exchange_store
from kreislauf.store import job as job_store
from kreislauf.store.account import Access
from kreislauf.store.models import (
    EXCHANGE_DECISIONS,
    ExchangeListing,
    Job,
    Organisation,
)
from kreislauf.web.deps import get_settings
from kreislauf.web.jobs import (
    JobContext,
    JobResult,
    ScheduleContext,
    Step,
    create_job,
    periodic,
    register,
)
from kreislauf.web.schemas.exchange import ListingPublic, MatchPublic, SeriesPublic
from kreislauf.web.uploads import required, saved_uploads

FORECAST = "exchange_forecast"
READING = Step(0.05, "reading")
#: Backtests and fits: most of the time (statsforecast reports no progress of its own).
FITTING = Step(0.2, "fitting")
DONE = Step(0.95)


def listing_public(row: ExchangeListing) -> ListingPublic:
    """A stored listing of the organisation with its derived level and what it lacks."""
    rules = default_rules()
    present = set(row.elements)
    return ListingPublic(
        id=row.id, key=row.key, side=row.side, material=row.material,
        quantity_t=row.quantity_t, interval=row.interval,
        price_eur_per_t=row.price_eur_per_t, dql=dql(present, rules),
        missing_for_next=missing_for_next(present, rules),
        min_dql=row.min_dql, max_price_eur_per_t=row.max_price_eur_per_t,
        max_distance_km=row.max_distance_km,
    )  # fmt: skip


def publish_upload(
    request: Request, db: Session, access: Access, file: UploadFile | None
) -> list[ListingPublic]:
    """Validate an uploaded listings file (docs/exchange.md) and publish its listings.

    The company column of the file is ignored: a listing belongs to the organisation that
    publishes it. An invalid file names file, row and column and stores nothing.
    """
    settings = get_settings(request)
    limit, limits = settings.upload_max_bytes, settings.limits()
    with saved_uploads({"file": file}, max_bytes=limit, limits=limits) as paths:
        listings = read_listings(required(paths["file"], "file"))
    rows = exchange_store.publish_listings(
        db, organisation_id=access.organisation_id, listings=listings
    )
    return [listing_public(row) for row in rows]


#: The fields of the entry form: the import format's columns less ``company`` (a listing
#: belongs to the organisation that publishes it).
FORM_FIELDS = tuple(c for c in (*LISTING_COLUMNS, *REQUEST_COLUMNS) if c != "company")
#: The name of the entry form in messages (as a file's name is for an upload).
FORM_SOURCE = "form"


def publish_form(
    db: Session, access: Access, values: Mapping[str, str], elements: Iterable[str]
) -> ListingPublic:
    """Validate one listing entered by hand and publish it (a stored key is replaced).

    ``values`` holds :data:`FORM_FIELDS` as typed (blank or missing: not given),
    ``elements`` the rule-table elements ticked. The form is read as a one-row table by
    the same reader as a file (:func:`kreislauf.exchange.io.read_listings_text`), so it
    is validated exactly as an upload; an :class:`~kreislauf.errors.InvalidListing`
    names the field (``column``) and nothing is stored.
    """
    rules = default_rules()
    ticked = [name for name in rules.names if name in set(elements)]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([*FORM_FIELDS, "company", *ticked])
    row = [" ".join(str(values.get(name) or "").split()) for name in FORM_FIELDS]
    writer.writerow([*row, access.organisation.name, *(["yes"] * len(ticked))])
    (listing,) = read_listings_text(buffer.getvalue(), name=FORM_SOURCE, rules=rules)
    (stored,) = exchange_store.publish_listings(
        db, organisation_id=access.organisation_id, listings=[listing]
    )
    return listing_public(stored)


def ledger_drafts(db: Session, access: Access) -> list[OfferDraft]:
    """Offer drafts from the recyclable waste streams of the organisation's ledger.

    Empty without a ledger. A draft whose key is already published is still listed (its
    review replaces the published listing).
    """
    from kreislauf.web.services.ledger import computed

    found = computed(db, organisation_id=access.organisation_id, stamp=access.stamp)
    return [] if found is None else offer_drafts(found.ledger)


def find_draft(db: Session, access: Access, key: str) -> OfferDraft:
    """The ledger draft ``key`` of the organisation; ``NotFound`` otherwise."""
    for draft in ledger_drafts(db, access):
        if draft.key == key:
            return draft
    raise NotFound(what="exchange_draft", id=key)


def rule_elements() -> list[tuple[int, str, list[str]]]:
    """``(level, id_short, parts)`` of every element of the rule table, by level; ``parts``
    the name split before each capital (the page may break a long name there)."""
    return sorted(
        (e.level, e.id_short, re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[^A-Z]+", e.id_short))
        for e in default_rules().elements
    )


def draft_values(draft: OfferDraft) -> dict[str, str]:
    """The entry form prefilled from a draft (location, price and waste code to add)."""
    return {
        "id": draft.key, "side": "offer", "material": draft.material,
        "quantity_t": f"{draft.quantity_t:.3f}", "interval": draft.interval,
    }  # fmt: skip


def own_listings(db: Session, access: Access) -> list[ListingPublic]:
    return [
        listing_public(row)
        for row in exchange_store.own_listings(db, organisation_id=access.organisation_id)
    ]


def matches_for(db: Session, access: Access) -> list[MatchPublic]:
    """The proposed matches one of the organisation's listings is part of.

    The other side is shown by its material, level and distance; its organisation's name
    only when both sides have accepted.
    """
    market = exchange_store.market_listings(db)
    rows = {row.id: row for row in market}
    result = match_listings([exchange_store.as_listing(row) for row in market])
    mine = access.organisation_id
    pairs = [(int(m.offer), int(m.request)) for m in result.matches]
    decisions = exchange_store.decisions_on(db, pairs)
    names = {row.id: row.name for row in db.execute(select(Organisation.id, Organisation.name))}
    out: list[MatchPublic] = []
    for m in result.matches:
        offer, wanted = rows[int(m.offer)], rows[int(m.request)]
        if mine not in (offer.organisation_id, wanted.organisation_id):
            continue
        own, other = (offer, wanted) if offer.organisation_id == mine else (wanted, offer)
        ours = decisions.get((mine, offer.id, wanted.id))
        theirs = decisions.get((other.organisation_id, offer.id, wanted.id))
        agreed = ours == "accepted" and theirs == "accepted"
        out.append(
            MatchPublic(
                offer_id=offer.id, request_id=wanted.id, side=own.side, own_key=own.key,
                material=offer.material, quantity_t=m.quantity_t, interval=m.interval,
                distance_km=m.distance_km, cost_eur=m.cost_eur, co2e_kg=m.co2e_kg,
                offer_dql=m.reason.dql, price_eur_per_t=m.reason.price_eur_per_t,
                own_decision=ours, other_decided=theirs is not None, agreed=agreed,
                other_name=names[other.organisation_id] if agreed else None,
            )
        )  # fmt: skip
    return out


@dataclass(frozen=True)
class MatchNotice:
    """What changed in a proposed match since the organisation last marked its notices
    as seen: ``new`` (a match it has not marked), ``accepted`` or ``declined`` (the other
    side's decision, taken since); ``other_decision`` the other side's decision now."""

    kind: Literal["new", "accepted", "declined"]
    match: MatchPublic
    other_decision: str | None

    @property
    def token(self) -> str:
        """``OFFER-REQUEST-DECISION`` (``none`` for no decision): what the page's "mark as
        seen" form sends back for this notice (:func:`notice_tokens`)."""
        m = self.match
        return f"{m.offer_id}-{m.request_id}-{self.other_decision or 'none'}"


def _other_decisions(
    db: Session, access: Access, matches: list[MatchPublic]
) -> dict[tuple[int, int], str | None]:
    """``(offer, request) → the other side's decision`` (``None``: none yet) per match."""
    mine = access.organisation_id
    decisions = exchange_store.decisions_on(db, [(m.offer_id, m.request_id) for m in matches])
    rows = {row.id: row for row in exchange_store.market_listings(db)}
    out: dict[tuple[int, int], str | None] = {}
    for match in matches:
        offer, wanted = rows[match.offer_id], rows[match.request_id]
        other = wanted.organisation_id if offer.organisation_id == mine else offer.organisation_id
        out[(match.offer_id, match.request_id)] = decisions.get(
            (other, match.offer_id, match.request_id)
        )
    return out


def match_notices(db: Session, access: Access, matches: list[MatchPublic]) -> list[MatchNotice]:
    """The notices of the organisation's proposed ``matches`` (:class:`MatchNotice`).

    Reading them changes nothing (the page and the API read them with GET, a safe method:
    a viewer, a prefetch or a crawler marks nothing); they stay until an editor marks them
    with :func:`mark_notices_seen`. Names stay hidden until both sides accept.
    """
    seen = exchange_store.seen_matches(db, organisation_id=access.organisation_id)
    decisions = _other_decisions(db, access, matches)
    notices: list[MatchNotice] = []
    for match in matches:
        pair = (match.offer_id, match.request_id)
        theirs = decisions[pair]
        if pair not in seen:
            notices.append(MatchNotice("new", match, theirs))
        elif theirs is not None and theirs != seen[pair]:
            kind: Literal["accepted", "declined"] = (
                "declined" if theirs == "declined" else "accepted"
            )
            notices.append(MatchNotice(kind, match, theirs))
    return notices


def mark_notices_seen(
    db: Session, access: Access, seen: Iterable[tuple[int, int, str | None]]
) -> None:
    """Mark notices as seen: ``(offer, request, the other side's decision shown)`` each.

    Only what was shown is recorded: a match that was not among them keeps its notice,
    and a decision the other side took after the notice was shown is noticed next time.
    A match that is no longer proposed is ignored (and its record forgotten).
    """
    choices = ", ".join(EXCHANGE_DECISIONS)
    proposed = {(m.offer_id, m.request_id) for m in matches_for(db, access)}
    stored = exchange_store.seen_matches(db, organisation_id=access.organisation_id)
    kept = {pair: decision for pair, decision in stored.items() if pair in proposed}
    for offer_id, request_id, decision in seen:
        if decision is not None and decision not in EXCHANGE_DECISIONS:
            raise InvalidField(field="seen", value=decision, expected=f"none, {choices}")
        if (offer_id, request_id) in proposed:
            kept[(offer_id, request_id)] = decision
    exchange_store.mark_seen(db, organisation_id=access.organisation_id, seen=kept)


_TOKEN = re.compile(r"([1-9][0-9]{0,9})-([1-9][0-9]{0,9})-([a-z]+)")


def notice_tokens(tokens: Iterable[str]) -> list[tuple[int, int, str | None]]:
    """The notices a "mark as seen" form sent (:attr:`MatchNotice.token` each);
    :class:`~kreislauf.errors.InvalidField` names a token of another form."""
    out: list[tuple[int, int, str | None]] = []
    for token in tokens:
        found = _TOKEN.fullmatch(token)
        decision = found.group(3) if found else ""
        if found is None or decision not in ("none", *EXCHANGE_DECISIONS):
            expected = "OFFER-REQUEST-" + "|".join(("none", *EXCHANGE_DECISIONS))
            raise InvalidField(field="seen", value=token, expected=expected)
        offer_id, request_id = int(found.group(1)), int(found.group(2))
        out.append((offer_id, request_id, None if decision == "none" else decision))
    return out


def decide(db: Session, access: Access, *, offer_id: int, request_id: int, decision: str) -> None:
    """Accept or decline a proposed match one of the organisation's listings is part of."""
    if decision not in EXCHANGE_DECISIONS:
        raise InvalidField(field="decision", value=decision, expected=", ".join(EXCHANGE_DECISIONS))
    proposed = {(m.offer_id, m.request_id) for m in matches_for(db, access)}
    if (offer_id, request_id) not in proposed:
        raise NotFound(what="exchange_match", id=f"{offer_id}-{request_id}")
    offer, wanted = db.get(ExchangeListing, offer_id), db.get(ExchangeListing, request_id)
    assert offer is not None and wanted is not None  # both are in the proposed match
    exchange_store.decide(
        db, organisation_id=access.organisation_id, offer=offer, request=wanted,
        decision=decision,
    )  # fmt: skip


def queue_forecast(
    db: Session,
    *,
    organisation_id: int,
    filename: str,
    content: bytes,
    horizon: int,
    lang: str,
) -> Job:
    """A queued forecast job keeping the history file (not committed: the route submits)."""
    job = create_job(
        db,
        organisation_id=organisation_id,
        kind=FORECAST,
        params={"lang": lang, "horizon": horizon},
    )
    job_store.add_file(db, job, field="history", filename=filename, content=content)
    return job


@register(FORECAST, steps=(READING, FITTING, DONE))
def exchange_forecast(job: JobContext) -> JobResult | None:
    """Read the kept history, forecast every series with its backtest, return the JSON."""
    from kreislauf.exchange.forecast import forecast_availability
    from kreislauf.exchange.io import history_from_table
    from kreislauf.tables import read_table_text

    job.advance(READING)
    with job.sessions() as session:
        row = session.get(Job, job.job_id)
        if row is None:
            return None
        (kept,) = [f for f in job_store.job_files(session, row) if f.field == "history"]
        name, content = kept.filename, kept.content
    history = history_from_table(read_table_text(content, name=name, comments=True))
    job.advance(FITTING)
    horizon = int(job.params["horizon"])
    result = forecast_availability(history, horizon=horizon, source=name)
    job.advance(DONE)
    with job.sessions() as session, session.begin():
        exchange_store.store_series(
            session, organisation_id=job.organisation_id, history=history_series(history),
            horizon=horizon, forecasts={s.id: s.to_dict() for s in result.series},
        )  # fmt: skip
    return JobResult("forecast.json", "application/json", result.to_json(indent=2).encode())


def history_series(history: pd.DataFrame) -> dict[str, tuple[list[str], list[float]]]:
    """``id → (periods YYYY-MM, quantities [t])`` of a history frame (``unique_id, ds, y``)."""
    return {
        str(series_id): (
            [pd.Timestamp(ds).strftime("%Y-%m") for ds in group["ds"]],
            [float(y) for y in group["y"]],
        )
        for series_id, group in history.groupby("unique_id", sort=True)
    }


def series_frame(series: Mapping[str, tuple[list[str], list[float]]]) -> pd.DataFrame:
    """The history frame (``unique_id, ds, y``) of ``id → (periods YYYY-MM, [t])``."""
    parts = [
        pd.DataFrame({
            "unique_id": series_id,
            "ds": pd.to_datetime([f"{p}-01" for p in periods]),
            "y": np.asarray(quantities, dtype=float),
        })
        for series_id, (periods, quantities) in series.items()
    ]  # fmt: skip
    return pd.concat(parts, ignore_index=True)


REFRESH = "exchange_forecast_refresh"
log = logging.getLogger(__name__)


def refresh_forecasts(sessions: sessionmaker[Session], *, until: str | None = None) -> int:
    """Extend and recompute every stored series of every organisation; the count.

    ``until`` (``YYYY-MM``, the last month that has ended): a series ``MATERIAL-REGION``
    that was up to date when stored is first extended by every month after its last
    period up to ``until`` with the platform's supply of that material in that region
    (published recurring offers, :func:`kreislauf.exchange.supply.extended_series`);
    ``None`` extends nothing. Series
    are then forecast per organisation and horizon in one run each (the same backtest
    and choice as an upload's job). An organisation whose run fails keeps its previous
    history and forecasts (logged); the others are refreshed all the same.
    """
    from kreislauf.exchange.forecast import forecast_availability
    from kreislauf.exchange.supply import extended_series

    with sessions() as session:
        organisations = exchange_store.series_organisations(session)
        offers = [
            (exchange_store.as_listing(row), row.created_at)
            for row in exchange_store.market_listings(session)
            if row.side == "offer" and row.interval != "once"
        ]
    refreshed = 0
    for organisation_id in organisations:
        with sessions() as session, session.begin():
            rows = exchange_store.own_series(session, organisation_id=organisation_id)
            by_horizon: dict[int, dict[str, tuple[list[str], list[float]]]] = {}
            for row in rows:
                series = (row.periods, row.quantities)
                if until is not None:
                    series = extended_series(
                        *series, series_id=row.series_id, offers=offers, until=until,
                        stored_in=f"{row.created_at:%Y-%m}",
                    )  # fmt: skip
                by_horizon.setdefault(row.horizon, {})[row.series_id] = series
            for horizon, group in sorted(by_horizon.items()):
                try:
                    result = forecast_availability(series_frame(group), horizon=horizon)
                except KreislaufError as error:
                    log.warning("refresh of organisation %s (horizon %s) failed: %s",
                                organisation_id, horizon, error)  # fmt: skip
                    continue
                exchange_store.store_series(
                    session, organisation_id=organisation_id, history=group,
                    horizon=horizon, forecasts={s.id: s.to_dict() for s in result.series},
                )  # fmt: skip
                refreshed += len(group)
    return refreshed


def last_ended_month(due: datetime) -> str:
    """``YYYY-MM`` of the month before ``due``'s month (the last one that has ended)."""
    year, month = (due.year, due.month - 1) if due.month > 1 else (due.year - 1, 12)
    return f"{year:04d}-{month:02d}"


@periodic(REFRESH, cron="30 2 * * *")  # nightly 02:30 UTC
def exchange_forecast_refresh(run: ScheduleContext) -> None:
    """Nightly: extend the stored series from the platform's recurring offers up to the
    last ended month and recompute their forecasts, for every organisation."""
    count = refresh_forecasts(run.sessions, until=last_ended_month(run.due))
    log.info("schedule %s due %s: %s series refreshed", run.name, run.due.isoformat(), count)


#: The synthetic market's companies belong to this account (no one signs in with it).
DEMO_MARKET_EMAIL = "markt@kreislauf.example"
#: Listings of the synthetic example that the demo company publishes as its own.
DEMO_COMPANY_LISTINGS = ("A001", "A002", "G001", "G002")


def seed_exchange_demo(url: str, *, company_slug: str = "demo-gmbh") -> None:
    """Add the synthetic exchange network (examples/exchange-network) to a demo database.

    Every company of the example becomes an organisation of a market account; the demo
    company publishes :data:`DEMO_COMPANY_LISTINGS` itself, so its exchange page shows its
    matches with anonymous counterparts. Idempotent: nothing is added a second time.
    """
    import re
    import secrets

    from kreislauf.store import account as account_store
    from kreislauf.store import make_engine, make_sessionmaker
    from kreislauf.store.models import User
    from kreislauf.web.demo import examples_dir

    listings = read_listings(examples_dir() / "exchange-network" / "listings.csv")
    engine = make_engine(url)
    try:
        with make_sessionmaker(engine)() as session, session.begin():
            if session.scalar(select(User.id).where(User.email == DEMO_MARKET_EMAIL)):
                return
            company = session.scalars(
                select(Organisation).where(Organisation.slug == company_slug)
            ).first()
            market = account_store.create_user(
                session, email=DEMO_MARKET_EMAIL, name="Demo-Markt",
                password=secrets.token_urlsafe(24),
            )  # fmt: skip
            by_company: dict[str, list[Listing]] = {}
            for listing in listings:
                if company is not None and listing.id in DEMO_COMPANY_LISTINGS:
                    by_company.setdefault("", []).append(listing)
                else:
                    by_company.setdefault(listing.company, []).append(listing)
            for name, own in by_company.items():
                if name:
                    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:64]
                    organisation = account_store.create_organisation(
                        session, owner=market, slug=slug, name=name, kind="company"
                    )
                else:
                    assert company is not None
                    organisation = company
                exchange_store.publish_listings(
                    session, organisation_id=organisation.id, listings=own
                )
    finally:
        engine.dispose()


def search(
    db: Session,
    access: Access,
    *,
    material: str | None,
    min_dql: int,
    min_quantity_t: float | None,
    near: tuple[float, float] | None,
    max_distance_km: float | None,
) -> list[OfferHit]:
    """Other organisations' offers by the filters, without company, by their row id."""
    if max_distance_km is not None and near is None:
        raise InvalidField(field="max_distance_km", value=str(max_distance_km),
                           expected="lat and lon to measure the distance from")  # fmt: skip
    others = [
        exchange_store.as_listing(row)
        for row in exchange_store.market_listings(db)
        if row.organisation_id != access.organisation_id
    ]
    return search_offers(
        others, rules=default_rules(), material=material, min_dql=min_dql,
        min_quantity_t=min_quantity_t, near=near, max_distance_km=max_distance_km,
    )  # fmt: skip


def prices(db: Session) -> PriceStatistics:
    """Offer price statistics of the whole market, with the disclosure rules applied."""
    return price_statistics(
        [exchange_store.as_listing(r) for r in exchange_store.market_listings(db)]
    )


#: Longest forecast horizon the platform runs [months].
MAX_HORIZON = 36


def forecast_job(
    request: Request, db: Session, access: Access, file: UploadFile | None, horizon: int,
    lang: str,
) -> Job:  # fmt: skip
    """Queue the forecast of an uploaded history (committed first) and hand it over."""
    from kreislauf.web.jobs import submit

    if not 1 <= horizon <= MAX_HORIZON:
        raise InvalidField(field="horizon", value=str(horizon), expected=f"1 to {MAX_HORIZON}")
    settings = get_settings(request)
    with saved_uploads({"history": file}, max_bytes=settings.upload_max_bytes) as paths:
        path = required(paths["history"], "history")
        job = queue_forecast(
            db, organisation_id=access.organisation_id, filename=path.name,
            content=path.read_bytes(), horizon=horizon, lang=lang,
        )  # fmt: skip
    return submit(request, db, job)


def forecast_of_job(request: Request, db: Session, access: Access, job_id: int) -> ForecastResult:
    """The forecast document of a finished forecast job of the organisation."""
    from kreislauf.web.jobs import load_job

    job = load_job(request, db, organisation_id=access.organisation_id, job_id=job_id)
    if job.kind != FORECAST or job.status != "done" or job.result is None:
        raise NotFound(what="exchange_forecast", id=job_id)
    return ForecastResult.model_validate_json(job.result)


def stored_series(db: Session, access: Access) -> list[SeriesPublic]:
    """The organisation's stored series with their latest forecast."""
    return [
        SeriesPublic(
            series_id=row.series_id,
            periods=row.periods,
            quantities=row.quantities,
            horizon=row.horizon,
            forecast_at=row.forecast_at,
            forecast=SeriesForecast.model_validate(row.forecast) if row.forecast else None,
        )
        for row in exchange_store.own_series(db, organisation_id=access.organisation_id)
    ]


def forecast_chart(db: Session, access: Access, series_id: str, lang: Lang) -> str:
    """The SVG chart of a stored series: history, forecast, 80 % interval, baseline."""
    from kreislauf.exchange.charts import ChartLabels, forecast_figure
    from kreislauf.ledger.charts import figure_svg

    found = next((s for s in stored_series(db, access) if s.series_id == series_id), None)
    if found is None or found.forecast is None:
        raise NotFound(what="exchange_series", id=series_id)
    labels = ChartLabels(
        history=translate("web.exchange.chart_history", lang),
        mean=translate("web.exchange.chart_mean", lang, model=found.forecast.model),
        interval=translate("web.exchange.chart_interval", lang),
        baseline=translate("web.exchange.chart_baseline", lang),
        unit=translate("web.exchange.chart_unit", lang),
    )
    figure = forecast_figure(found.periods, found.quantities, found.forecast, labels)
    return figure_svg(figure)
