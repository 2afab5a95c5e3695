"""The check engine: findings, locators, the rule registry and the runner.

A rule is a small function ``(ctx) -> Iterable[Finding]`` registered against a catalogue
entry (``catalogue.py``) with :func:`implements`. Rules that need more than this year's
tables declare it (``needs={"previous"}``) and are skipped when that is not available.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from typing import Any, TypeVar

from ..formats import YEAR_PATH, FormatSpec, Path, path_str
from ..model import Number, Report


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def label(self) -> str:
        return {"error": "错误", "warning": "警告", "info": "提示"}[self.value]

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

TABLE_OF = {"proactive": "表二", "requests": "表三", "appeals": "表四"}
GROUP_ORDER = ("数据", "基本信息", "表二", "表三", "表四", "正文", "跨年度")


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    location: str
    message: str
    group: str = "数据"
    paths: tuple[Path, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The machine-readable form (``check --format json``): exactly these four keys."""
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "location": self.location,
            "message": self.message,
        }


class Locator:
    """Names where a value lives in the input, for messages. JSON paths by default.

    The workbook reader supplies a subclass that answers ``表三!D6``.
    """

    def __init__(self, source: str = "") -> None:
        self.source = source

    def cell(self, path: Path) -> str:
        return path_str(path)

    def cells(self, paths: Sequence[Path]) -> str:
        # Every cell is named (no "a+…+z" shortening): a location must name the cell to fix.
        return "+".join(self.cell(p) for p in paths)

    def relation(self, left: Sequence[Path], op: str, right: Sequence[Path]) -> str:
        return f"{self.cells(left)} {op} {self.cells(right)}"

    def field(self, name: str) -> str:
        """A top-level field: agency, year, publish_date, narrative.overview …"""
        return name


T = TypeVar("T")


@dataclass
class CheckContext:
    """What every rule reads. Rules do not write to it: ``invalid`` is fixed before the first
    rule runs (the readers' unusable values and the values no rule may sum, such as negative
    counts: see ``run_checks``), and what rules share (the prose analysis) is computed once by
    :meth:`shared` from the report alone, so no rule changes another rule's outcome."""

    report: Report
    locator: Locator = field(default_factory=Locator)
    invalid: frozenset[Path] = frozenset()
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

    def usable(self, paths: Iterable[Path]) -> bool:
        """False when a value, or a part of a computed total, could not be read."""
        return not any(self._unusable(p) for p in paths)

    def _unusable(self, path: Path) -> bool:
        if path in self.invalid:
            return True
        return any(self._unusable(p) for p in self._parts(path))

    def _parts(self, path: Path) -> list[Path]:
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

    def v(self, path: Path) -> Number:
        return self.report.value(path)

    def finding(
        self,
        rule_id: str,
        location: str,
        message: str,
        *,
        severity: Severity | None = None,
        paths: Sequence[Path] = (),
        group: str | None = None,
    ) -> Finding:
        return make_finding(rule_id, location, message, severity=severity, paths=paths, group=group)


def make_finding(
    rule_id: str,
    location: str,
    message: str,
    *,
    severity: Severity | None = None,
    paths: Sequence[Path] = (),
    group: str | None = None,
) -> Finding:
    """A finding for catalogue rule ``rule_id``.

    It is shown under its rule's group (正文, 跨年度 …); value rules of the 数据 group are
    shown under the table of their first cell.
    """
    info = CATALOGUE[rule_id]
    if group is None:
        group = info.group
        if group == "数据" and paths:
            group = TABLE_OF.get(str(paths[0][0]), group)
    return Finding(
        rule=rule_id,
        severity=severity or info.severity,
        location=location,
        message=message,
        group=group,
        paths=tuple(paths),
    )


@dataclass(frozen=True)
class Term:
    """One side of a comparison: a name and the cells it adds up."""

    name: str
    paths: tuple[Path, ...]


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


@dataclass(frozen=True)
class RuleInfo:
    id: str
    severity: Severity
    description: str
    group: str
    needs: frozenset[str] = frozenset()


@dataclass
class Rule:
    info: RuleInfo
    func: RuleFunc


CATALOGUE: dict[str, RuleInfo] = {}
RULES: dict[str, Rule] = {}


def declare(*infos: RuleInfo) -> None:
    for info in infos:
        CATALOGUE[info.id] = info


def implements(rule_id: str, *, needs: Iterable[str] = ()) -> Callable[[RuleFunc], RuleFunc]:
    """Register ``func`` as the implementation of catalogue entry ``rule_id``."""

    def wrap(func: RuleFunc) -> RuleFunc:
        info = CATALOGUE[rule_id]
        if needs:
            info = RuleInfo(info.id, info.severity, info.description, info.group, frozenset(needs))
        RULES[rule_id] = Rule(info, func)
        return func

    return wrap


def sort_key(f: Finding) -> tuple[int, int, int]:
    order = list(CATALOGUE)
    group = GROUP_ORDER.index(f.group) if f.group in GROUP_ORDER else len(GROUP_ORDER)
    rule = order.index(f.rule) if f.rule in CATALOGUE else len(order)
    return (group, rule, f.severity.rank)
