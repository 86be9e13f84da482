"""Data quality levels derived from what a listing carries, never typed in.

A listing is at level *n* when every element the rule table requires at levels ≤ *n* is
present (EN 18065 / DIN SPEC 91446: the levels build on one another); at level 0 when an
element of level 1 is missing. What it lacks for the next level is named.

References
----------
DIN SPEC 91446:2021-12, section 5 (data quality levels 1-4, cumulative); IDTA 02080-1-0
(qualifier ``RequiredAtDQL`` per element), see :mod:`kreislauf.exchange.rules`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from kreislauf.exchange.models import LevelsResult, Listing, ListingLevel, RulesRef
from kreislauf.exchange.rules import RuleTable


def dql(present: Collection[str], rules: RuleTable) -> int:
    """The data quality level of a listing with the elements ``present`` [-].

    present : ``id_short`` of every element whose information or test result is there
    """
    level = 0
    for candidate in rules.levels:
        if any(name not in present for name in rules.required_at(candidate)):
            break
        level = candidate
    return level


def missing_for_next(present: Collection[str], rules: RuleTable) -> list[str]:
    """The elements a listing lacks for the level above its own, in table order.

    Empty at the top level. Because levels are cumulative, these are the missing elements
    of level ``dql + 1``.
    """
    level = dql(present, rules)
    if level >= rules.top:
        return []
    return [name for name in rules.required_up_to(level + 1) if name not in present]


def rules_ref(rules: RuleTable) -> RulesRef:
    """The reference to ``rules`` that every result carries."""
    return RulesRef(id=rules.id, version=rules.version, source=rules.source, licence=rules.licence)


def listing_levels(listings: Iterable[Listing], rules: RuleTable) -> LevelsResult:
    """The level and the elements missing for the next level of every listing."""
    return LevelsResult(
        rules=rules_ref(rules),
        listings=[
            ListingLevel(
                id=listing.id,
                side=listing.side,
                dql=dql(listing.elements, rules),
                missing_for_next=missing_for_next(listing.elements, rules),
            )
            for listing in listings
        ],
    )
