"""``gdr-gen init``: write a blank fill-in workbook, or one pre-filled from data."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..checks import Finding, Severity
from ..errors import OutputError
from ..formats.workbook_layout import DEFAULT_BOOK_NAME
from ..model import Report
from ..readers import LoadResult, load_report


@dataclass
class InitResult:
    path: Path
    written: bool
    source: LoadResult | None = None
    blocking: list[Finding] = field(default_factory=list)  # errors in --from: nothing written
    notes: list[str] = field(default_factory=list)  # what changed on the way in


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and a.samefile(b)
    except OSError:
        return False


def declared_total_notes(report: Report) -> list[str]:
    """Totals given in the data that differ from their parts: the workbook recomputes them."""
    spec = report.spec
    notes: list[str] = []
    for table in spec.tables:
        for cell in table.value_cells():
            if cell.role != "total" or cell.ref is None:
                continue
            given, computed = report.value(cell.ref), report.computed(cell.ref)
            if given != computed:
                notes.append(
                    f"{spec.label_of(cell.ref)}：数据中为 {given}，各项之和为 {computed}；"
                    "工作簿中改为公式自动合计"
                )
    return notes


def init_workbook(
    path: str | Path | None = None,
    *,
    source: str | Path | None = None,
    year: int | None = None,
    force: bool = False,
) -> InitResult:
    """Write a fill-in workbook to ``path`` (a folder gets the default file name).

    Without ``source`` the workbook is blank for ``year`` (default: last calendar year);
    with it, it is pre-filled from a JSON data file or another workbook. Data with errors
    (bad values that would silently become 0) is not used: ``blocking`` lists them.
    """
    from ..writers.xlsx_writer import write_workbook

    out = Path(path) if path is not None else Path(DEFAULT_BOOK_NAME)
    if out.is_dir():
        out = out / DEFAULT_BOOK_NAME
    loaded: LoadResult | None = None
    notes: list[str] = []
    if source is not None:
        src = Path(source)
        if _same_file(src, out):
            raise OutputError(out, "输出文件就是 --from 的输入文件", hint="请另选一个输出文件名。")
        loaded = load_report(src)
        errors = [f for f in loaded.findings if f.severity is Severity.ERROR]
        if errors:
            return InitResult(out, False, loaded, errors)
        report = loaded.report
        notes = declared_total_notes(report)
    else:
        report = Report.blank(year=year if year is not None else date.today().year - 1)
    write_workbook(report, out, force=force)
    return InitResult(out, True, loaded, [], notes)
