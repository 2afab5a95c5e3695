"""``gdr-gen check``: read a report (any registered reader) and run every rule."""

from __future__ import annotations

from dataclasses import field
from pathlib import Path

from .. import api
from ..findings import Finding
from ..model import Report
from ..readers import LoadResult
from ..records import record


@record
class CheckResult:
    """What checking one report gave: the loaded report, its findings, last year's."""

    loaded: LoadResult
    findings: list[Finding] = field(default_factory=list)
    previous: LoadResult | None = None

    @property
    def report(self) -> Report:
        return self.loaded.report


def check_file(
    path: str | Path, *, previous: str | Path | None = None, agency_kind: str | None = None
) -> CheckResult:
    """Read ``path`` and check it (against last year's ``previous`` when given).

    ``agency_kind`` overrides the kind a published report's title suggests.
    """
    loaded = api.read(Path(path), agency_kind=agency_kind)
    prev = api.read(Path(previous)) if previous is not None else None
    findings = api.check(loaded, previous=prev)
    return CheckResult(loaded, findings, prev)
