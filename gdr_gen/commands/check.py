"""``gdr-gen check``: read a report (JSON or workbook) and run every rule."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..findings import Finding
from ..model import Report
from ..readers import LoadResult, load_report


@dataclass
class CheckResult:
    loaded: LoadResult
    findings: list[Finding] = field(default_factory=list)
    previous: LoadResult | None = None

    @property
    def report(self) -> Report:
        return self.loaded.report


def check_file(path: str | Path, *, previous: str | Path | None = None) -> CheckResult:
    """Read ``path`` and check it (against last year's ``previous`` when given)."""
    loaded = load_report(path)
    prev = load_report(previous) if previous is not None else None
    findings = loaded.check(previous=prev)
    return CheckResult(loaded, findings, prev)
