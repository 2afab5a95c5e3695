"""Checks: run every implemented rule of the catalogue over a report.

Public API: :func:`run_checks`, :class:`Finding`, :class:`Severity`, :data:`RULES`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..formats import Path
from ..model import Report
from . import catalogue as _catalogue  # noqa: F401  (declares the rule IDs)
from . import tables as _tables
from .engine import (
    CATALOGUE,
    RULES,
    CheckContext,
    Finding,
    Locator,
    Rule,
    RuleInfo,
    Severity,
    implements,
    make_finding,
    sort_key,
)

# Modules that register more rules (prose, cross-year, meta) are imported here too.
for _name in ("prose", "crossyear", "meta"):
    try:
        __import__(f"{__name__}.{_name}")
    except ModuleNotFoundError as exc:  # not written yet
        if exc.name != f"{__name__}.{_name}":
            raise


def run_checks(
    report: Report,
    *,
    locator: Locator | None = None,
    invalid: Iterable[Path] = (),
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


# Rules reported by the readers while reading (no function in RULES).
READER_RULES = frozenset({"DATA-01", "VAL-04", "XL-01", "XL-02", "XL-03"})


def count_by_severity(findings: Iterable[Finding]) -> dict[Severity, int]:
    counts = dict.fromkeys(Severity, 0)
    for f in findings:
        counts[f.severity] += 1
    return counts


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
