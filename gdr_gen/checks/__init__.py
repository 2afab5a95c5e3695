"""Checks: run every implemented rule of the catalogue over a report.

Public API: :func:`run_checks`, :class:`Finding`, :class:`Severity`, :data:`RULES`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..catalogue import READER_RULES
from ..findings import (
    CATALOGUE,
    Finding,
    Locator,
    RuleInfo,
    Severity,
    count_by_severity,
    make_finding,
    sort_key,
)
from ..formats import ValuePath
from ..model import Report

# Importing a rule module registers its rules (@implements).
from . import crossyear as _crossyear  # noqa: F401
from . import meta as _meta  # noqa: F401
from . import prose as _prose  # noqa: F401
from . import tables as _tables
from .engine import RULES, CheckContext, Rule, implements


def run_checks(
    report: Report,
    *,
    locator: Locator | None = None,
    invalid: Iterable[ValuePath] = (),
    previous: Report | None = None,
    previous_locator: Locator | None = None,
    findings: Sequence[Finding] = (),
    only: Iterable[str] | None = None,
) -> list[Finding]:
    """Run the rules over ``report`` and return all findings, sorted for display.

    ``findings`` are those a reader already produced (bad values at their cells); they are
    merged in. ``invalid`` names the values the reader could not use, so that sums over
    them are not reported a second time. ``previous`` is last year's report, for XY rules.
    """
    ctx = CheckContext(
        report=report,
        locator=locator or Locator(),
        invalid=frozenset(invalid),
        previous=previous,
        previous_locator=previous_locator,
    )
    # Values no rule may sum are fixed before the first rule runs (not by VAL-01 as it goes).
    ctx.invalid = ctx.invalid | _tables.unusable_values(ctx)
    wanted = set(only) if only is not None else None
    out = list(findings)
    for rule_id in CATALOGUE:
        rule = RULES.get(rule_id)
        if rule is None or (wanted is not None and rule_id not in wanted):
            continue
        if not all(ctx.has(need) for need in rule.info.needs):
            continue
        out.extend(rule.func(ctx))
    return sorted(out, key=sort_key)


def implemented_rules() -> list[RuleInfo]:
    """The catalogue entries that have an implementation, in catalogue order."""
    return [info for rid, info in CATALOGUE.items() if rid in RULES or rid in READER_RULES]


__all__ = [
    "CATALOGUE",
    "RULES",
    "CheckContext",
    "Finding",
    "Locator",
    "Rule",
    "RuleInfo",
    "Severity",
    "count_by_severity",
    "implemented_rules",
    "implements",
    "make_finding",
    "run_checks",
]
