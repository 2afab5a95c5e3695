"""Findings and where they point: the vocabulary shared by readers, checks and views.

This module sits below the readers and the checks. A reader reports what it finds while
reading (a bad value at its cell) with :func:`make_finding`, and names locations through a
:class:`Locator`; the checks add their own findings later. Importing it loads the rule
catalogue (data, :mod:`gdr_gen.catalogue`) but no rule implementation.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import Enum
from typing import Any

from .formats import ValuePath, path_str
from .records import record


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


@record(frozen=True)
class Finding:
    """One problem found in a report: rule, severity, where, and the message in Chinese."""

    rule: str
    severity: Severity
    location: str
    message: str
    group: str = "数据"
    paths: tuple[ValuePath, ...] = ()

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

    def cell(self, path: ValuePath) -> str:
        return path_str(path)

    def cells(self, paths: Sequence[ValuePath]) -> str:
        # Every cell is named (no "a+…+z" shortening): a location must name the cell to fix.
        return "+".join(self.cell(p) for p in paths)

    def relation(self, left: Sequence[ValuePath], op: str, right: Sequence[ValuePath]) -> str:
        return f"{self.cells(left)} {op} {self.cells(right)}"

    def field(self, name: str) -> str:
        """A top-level field: agency, year, publish_date, narrative.overview …"""
        return name


# ---------------------------------------------------------------- the catalogue's shape
@record(frozen=True)
class RuleInfo:
    """A rule of the check catalogue: ID, default severity, description and family."""

    id: str
    severity: Severity
    description: str
    group: str
    needs: frozenset[str] = frozenset()


CATALOGUE: dict[str, RuleInfo] = {}


def declare(*infos: RuleInfo) -> None:
    for info in infos:
        CATALOGUE[info.id] = info


def make_finding(
    rule_id: str,
    location: str,
    message: str,
    *,
    severity: Severity | None = None,
    paths: Sequence[ValuePath] = (),
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


def sort_key(f: Finding) -> tuple[int, int, int]:
    """Display order: by group (数据, 表二 … 跨年度), then catalogue order, then severity."""
    order = list(CATALOGUE)
    group = GROUP_ORDER.index(f.group) if f.group in GROUP_ORDER else len(GROUP_ORDER)
    rule = order.index(f.rule) if f.rule in CATALOGUE else len(order)
    return (group, rule, f.severity.rank)


def count_by_severity(findings: Iterable[Finding]) -> dict[Severity, int]:
    counts = dict.fromkeys(Severity, 0)
    for f in findings:
        counts[f.severity] += 1
    return counts


from . import catalogue as _catalogue  # noqa: E402, F401  (declares every rule ID)
