"""Offer drafts from a company's resource ledger: its recyclable waste streams.

A waste stream is the ``waste_out`` flows of one site and material whose ``treatment`` is
``recycling`` (docs/ledger.md); energy recovery and disposal are not offered (waste
hierarchy, Directive 2008/98/EC art. 4: material recycling comes first). Each stream becomes
one draft offer with

- the quantity per period of every ledger period (periods where the stream has no flow
  count 0 t), so the owner sees what the draft's figure rests on;
- the recurring interval derived from the ledger's periods: monthly periods (``YYYY-MM``)
  give ``month``, yearly ones (``YYYY``) ``year``; a stream found in a single period only
  is a one-off lot (``once``, its whole quantity);
- no draft for a stream without any flow in the recent periods (it has ended);
- as quantity the mean per period over the last :data:`RECENT_PERIODS` (months) or
  :data:`RECENT_YEARS` (years) periods of the ledger, the recent rate a buyer can plan on.

The ledger has no waste code, location or price: the owner fills them in when reviewing
the draft (the entry form on the exchange page) before it is published. A draft is never
published by itself.
"""

from __future__ import annotations

import re

from kreislauf.exchange.models import Interval
from kreislauf.ledger.models import Ledger
from kreislauf.results import Number, Result

#: Months of the ledger the draft's monthly quantity is the mean of (the last year).
RECENT_PERIODS = 12
#: Years of a yearly ledger the draft's yearly quantity is the mean of.
RECENT_YEARS = 1
_MONTH = re.compile(r"^\d{4}-\d{2}$")
_KG_PER_T = 1000.0


class PeriodQuantity(Result):
    """A stream's quantity in one ledger period [t]."""

    period: str
    quantity_t: Number


class OfferDraft(Result):
    """A recyclable waste stream of the ledger as an offer to review.

    key : the listing id proposed (``site/material``, shortened to 100 characters)
    quantity_t : mean per ``interval`` over ``recent`` [t per interval; ``once``: the lot]
    periods : the stream's quantity in every ledger period [t]
    recent : the periods the quantity is the mean of
    """

    key: str
    site: str
    material: str
    interval: Interval
    quantity_t: Number
    periods: list[PeriodQuantity]
    recent: list[str]


def offer_drafts(ledger: Ledger) -> list[OfferDraft]:
    """One draft offer per recyclable waste stream of ``ledger``, by site and material."""
    flows = ledger.flows
    waste = flows[(flows["flow"] == "waste_out") & (flows["treatment"] == "recycling")]
    periods = ledger.periods
    if waste.empty or not periods:
        return []
    monthly = all(_MONTH.match(p) for p in periods)
    recent = periods[-(RECENT_PERIODS if monthly else RECENT_YEARS) :]
    sums = waste.groupby(["site", "material", "period"], observed=True)["amount"].sum()
    drafts: list[OfferDraft] = []
    for site, material in sorted({(str(s), str(m)) for s, m, _ in sums.index}):
        per = {str(p): float(v) / _KG_PER_T for p, v in sums.loc[(site, material)].items()}
        present = [p for p in periods if per.get(p, 0.0) > 0]
        if not present:
            continue
        interval: Interval
        if len(present) == 1:
            interval, quantity = "once", per[present[0]]
        else:
            interval = "month" if monthly else "year"
            quantity = sum(per.get(p, 0.0) for p in recent) / len(recent)
            if quantity <= 0:  # the stream has ended: nothing to offer now
                continue
        drafts.append(
            OfferDraft(
                key=f"{site}/{material}"[:100],
                site=site,
                material=material,
                interval=interval,
                quantity_t=quantity,
                periods=[PeriodQuantity(period=p, quantity_t=per.get(p, 0.0)) for p in periods],
                recent=recent if interval != "once" else present,
            )
        )
    return drafts
