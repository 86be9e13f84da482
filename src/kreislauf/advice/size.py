"""EU size class of a company (micro, small, medium, large).

A company is in the smallest class whose staff ceiling it stays below *and* whose turnover
*or* balance-sheet ceiling it does not exceed::

    micro   staff < 10    and (turnover ≤ €2 m  or balance sheet ≤ €2 m)
    small   staff < 50    and (turnover ≤ €10 m or balance sheet ≤ €10 m)
    medium  staff < 250   and (turnover ≤ €50 m or balance sheet ≤ €43 m)
    large   otherwise

Staff are annual work units (AWU). Linked and partner enterprises are not consolidated
here: the figures of the company file are taken as the enterprise's figures.

References
----------
Commission Recommendation 2003/361/EC of 6 May 2003 concerning the definition of micro,
small and medium-sized enterprises, OJ L 124, 20.5.2003, p. 36, Annex, Article 2.
"""

from __future__ import annotations

from kreislauf.advice.models import Company, SizeClass, SizeClassResult
from kreislauf.i18n import DEFAULT_LANG, Lang, format_number, translate

__all__ = ["CEILINGS", "size_class"]

#: class: (staff fewer than [AWU], turnover at most [EUR], balance sheet at most [EUR])
CEILINGS: dict[SizeClass, tuple[float, float, float]] = {
    "micro": (10, 2e6, 2e6),
    "small": (50, 10e6, 10e6),
    "medium": (250, 50e6, 43e6),
}


def size_class(company: Company, lang: Lang = DEFAULT_LANG) -> SizeClassResult:
    """The EU size class of ``company``; ``None`` with the missing fields if undecidable.

    ``reason`` says why, in ``lang``.
    """
    if company.employees is None:
        return SizeClassResult(
            size_class=None,
            reason=translate("advice.size_reason.no_staff", lang),
            missing=["employees"],
        )
    turnover, balance = company.turnover_eur, company.balance_sheet_eur
    if turnover is None and balance is None:
        return SizeClassResult(
            size_class=None,
            reason=translate("advice.size_reason.no_money", lang),
            missing=["turnover_eur", "balance_sheet_eur"],
        )
    figures = {
        "staff": format_number(company.employees, lang, decimals=0),
        "turnover": _eur(turnover, lang),
        "balance": _eur(balance, lang),
    }
    for name, (staff, turnover_max, balance_max) in CEILINGS.items():
        if company.employees >= staff:
            continue
        limits = {
            "staff_max": format_number(staff, lang, decimals=0),
            "turnover_max": _eur(turnover_max, lang),
            "balance_max": _eur(balance_max, lang),
            "size": translate(f"advice.size.{name}", lang),
        }
        within = (turnover is not None and turnover <= turnover_max) or (
            balance is not None and balance <= balance_max
        )
        if within:
            return SizeClassResult(
                size_class=name,
                reason=translate("advice.size_reason.within", lang, **figures, **limits),
                missing=[],
            )
        if turnover is not None and balance is None:
            # above the turnover ceiling: the balance sheet could still keep it in the class
            return SizeClassResult(
                size_class=None,
                reason=translate("advice.size_reason.balance_decides", lang, **figures, **limits),
                missing=["balance_sheet_eur"],
            )
    return SizeClassResult(
        size_class="large",
        reason=translate("advice.size_reason.large", lang, **figures),
        missing=[],
    )


def _eur(value: float | None, lang: Lang) -> str:
    return "–" if value is None else f"{format_number(value, lang, decimals=0)} EUR"
