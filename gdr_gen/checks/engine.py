"""The check engine: the context a rule sees, comparisons, and the rule registry.

A rule is a small function ``(ctx) -> Iterable[Finding]`` registered against a catalogue
entry (``catalogue.py``) with :func:`implements`. Rules that need more than this year's
tables declare it (``needs={"previous"}``) and are skipped when that is not available.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import field
from decimal import Decimal
from typing import Any, TypeVar

from ..findings import (
    CATALOGUE,
    INFO,
    E,
    Finding,
    Locator,
    RuleInfo,
    Severity,
    W,
    make_finding,
    sort_key,
)
from ..formats import YEAR_PATH, FormatSpec, ValuePath
from ..model import Number, Report
from ..records import record

# Re-exported for the rule modules, which import their vocabulary from here.
__all__ = [
    "CATALOGUE",
    "INFO",
    "RULES",
    "CheckContext",
    "E",
    "Finding",
    "Locator",
    "Rule",
    "RuleInfo",
    "Severity",
    "Term",
    "W",
    "compare",
    "implements",
    "make_finding",
    "sort_key",
]


T = TypeVar("T")


@record
class CheckContext:
    """What every rule reads. Rules do not write to it: ``invalid`` is fixed before the first
    rule runs (the readers' unusable values and the values no rule may sum, such as negative
    counts: see ``run_checks``), and what rules share (the prose analysis) is computed once by
    :meth:`shared` from the report alone, so no rule changes another rule's outcome."""

    report: Report
    locator: Locator = field(default_factory=Locator)
    invalid: frozenset[ValuePath] = frozenset()
    previous: Report | None = None
    previous_locator: Locator | None = None
    _shared: dict[str, Any] = field(default_factory=dict, repr=False)

    def shared(self, name: str, compute: Callable[[], T]) -> T:
        """A result computed once per report (from the report only) and read by many rules."""
        if name not in self._shared:
            self._shared[name] = compute()
        value: T = self._shared[name]
        return value

    @property
    def spec(self) -> FormatSpec:
        return self.report.spec

    @property
    def year(self) -> int | None:
        """The report year, or None where the reader could not read it."""
        return None if YEAR_PATH in self.invalid else self.report.year

    def has(self, need: str) -> bool:
        return getattr(self, need, None) is not None

    def usable(self, paths: Iterable[ValuePath]) -> bool:
        """False when a value, or a part of a computed total, could not be read."""
        if not self.invalid:  # every value was read (the common case): nothing to look up
            return True
        return not any(self._unusable(p) for p in paths)

    def _unusable(self, path: ValuePath) -> bool:
        if path in self.invalid:
            return True
        return any(self._unusable(p) for p in self._parts(path))

    def _parts(self, path: ValuePath) -> list[ValuePath]:
        """The cells a computed (not declared) 总计 is summed from; [] for other values."""
        if len(path) != 3 or path[0] not in ("requests", "appeals"):
            return []
        head, key, i = str(path[0]), str(path[1]), int(path[2])
        if head == "requests":
            requests = self.report.requests
            if key == "total" and requests.declared_total is None:
                if i < len(self.spec.applicant_columns):
                    return [("requests", k, i) for k in requests.result_keys]
                return [("requests", "total", j) for j in range(i)]
            row = requests.row(key)
        else:
            row = self.report.appeals.row(key)
        if i == len(row.values) and row.declared_total is None:
            return [(head, key, j) for j in range(i)]
        return []

    def v(self, path: ValuePath) -> Number:
        return self.report.value(path)

    def finding(
        self,
        rule_id: str,
        location: str,
        message: str,
        *,
        severity: Severity | None = None,
        paths: Sequence[ValuePath] = (),
        group: str | None = None,
    ) -> Finding:
        return make_finding(rule_id, location, message, severity=severity, paths=paths, group=group)


@record(frozen=True)
class Term:
    """One side of a comparison: a name and the cells it adds up."""

    name: str
    paths: tuple[ValuePath, ...]


def fmt(n: Number) -> str:
    return format(n, "f") if isinstance(n, Decimal) else str(n)


def term_value(ctx: CheckContext, terms: Sequence[Term]) -> Number:
    total: Number = 0
    for t in terms:
        for p in t.paths:
            total += ctx.v(p)
    return total


def describe(ctx: CheckContext, terms: Sequence[Term]) -> str:
    parts = [f"{t.name}({fmt(term_value(ctx, [t]))})" for t in terms]
    return " + ".join(parts)


def compare(
    ctx: CheckContext,
    rule_id: str,
    subject: str,
    left: Sequence[Term],
    right: Sequence[Term],
    *,
    op: str = "=",
    severity: Severity | None = None,
) -> Finding | None:
    """Compare two sums of cells; a finding names both sides and the difference.

    ``op`` is "=" (must be equal) or "≤" / "≥" (left must be at most / at least right).
    """
    lpaths = [p for t in left for p in t.paths]
    rpaths = [p for t in right for p in t.paths]
    if not ctx.usable(lpaths + rpaths):
        return None
    lv, rv = term_value(ctx, left), term_value(ctx, right)
    diff: Number = lv - rv
    if (op == "=" and diff == 0) or (op == "≤" and diff <= 0) or (op == "≥" and diff >= 0):
        return None
    lhs = f"{describe(ctx, left)} = {fmt(lv)}" if len(left) > 1 else describe(ctx, left)
    rhs = f"{describe(ctx, right)} = {fmt(rv)}" if len(right) > 1 else describe(ctx, right)
    if op == "=":
        message = f"{subject}：{lhs}，应等于 {rhs}，相差 {fmt(diff if diff >= 0 else -diff)}"
        bad = "≠"
    elif op == "≤":
        message = f"{subject}：{lhs}，不应大于 {rhs}，多出 {fmt(diff)}"
        bad = ">"
    else:
        message = f"{subject}：{lhs}，不应小于 {rhs}，少 {fmt(-diff)}"
        bad = "<"
    return ctx.finding(
        rule_id,
        ctx.locator.relation(lpaths, bad, rpaths),
        message,
        severity=severity,
        paths=lpaths + rpaths,
    )


# ---------------------------------------------------------------- registry
RuleFunc = Callable[[CheckContext], Iterable[Finding]]


@record
class Rule:
    """A registered check: its catalogue entry and the function that runs it."""

    info: RuleInfo
    func: RuleFunc


RULES: dict[str, Rule] = {}


def implements(rule_id: str, *, needs: Iterable[str] = ()) -> Callable[[RuleFunc], RuleFunc]:
    """Register ``func`` as the implementation of catalogue entry ``rule_id``."""

    def wrap(func: RuleFunc) -> RuleFunc:
        info = CATALOGUE[rule_id]
        if needs:
            info = RuleInfo(info.id, info.severity, info.description, info.group, frozenset(needs))
        RULES[rule_id] = Rule(info, func)
        return func

    return wrap
