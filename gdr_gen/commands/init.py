"""``gdr-gen init``: write a blank fill-in workbook, or one pre-filled from data."""

from __future__ import annotations

from dataclasses import field
from datetime import date
from pathlib import Path

from .. import api
from ..errors import OutputError
from ..findings import Finding, Severity
from ..formats.workbook_layout import DEFAULT_BOOK_NAME
from ..model import CountRow, DocCounts, Report
from ..readers import LoadResult
from ..records import record


@record
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


def next_year(last: Report) -> tuple[Report, list[str]]:
    """A workbook's report for the year after ``last``. Kept: the agency details, and the
    two stocks: 表三 二、上年结转 (last year's 四、结转下年度继续办理) and 表二 现行有效件数
    (to be updated by this year's issued and repealed). Every other count, the prose and
    the publish date start empty, so no figure of last year is reported again by mistake."""
    report = Report.blank(
        last.agency, last.year + 1, version=last.format, agency_kind=last.agency_kind
    )
    report.rulemaking = last.rulemaking
    carried = last.requests.rows["carried_forward"].values
    report.requests.rows["carried_over"] = CountRow(list(carried))
    for key, docs in last.proactive.docs.items():
        report.proactive.docs[key] = DocCounts(in_force=docs.in_force)
    in_force = "、".join(
        f"{d.label} {last.proactive.docs[d.key].in_force} 件" for d in report.spec.doc_rows
    )
    notes = [
        f"这是 {report.year} 年度的新工作簿：机关名称、机关类型、规章制定权沿用 {last.year} 年度；"
        f"表三“二、上年结转”已按 {last.year} 年度“四、结转下年度继续办理”填好"
        f"（共 {sum(carried)} 件）；表二“现行有效件数”暂按 {last.year} 年末填写（{in_force}），"
        "请按本年制发、废止件数更新；其他件数、正文和发布日期需重新填写",
    ]
    return report, notes


def init_workbook(
    path: str | Path | None = None,
    *,
    source: str | Path | None = None,
    year: int | None = None,
    force: bool = False,
    agency_kind: str | None = None,
) -> InitResult:
    """Write a fill-in workbook to ``path`` (a folder gets the default file name).

    Without ``source`` the workbook is blank for ``year`` (default: last calendar year);
    with it, it is pre-filled from a JSON data file or another workbook, or, when ``year``
    is the year after the source's, started for that year (:func:`next_year`). Data with errors
    (bad values that would silently become 0) is not used: ``blocking`` lists them.
    """
    from ..writers.xlsx_writer import write_workbook
    from .build import is_folder_argument, prepare_folder

    out = Path(path) if path is not None else Path(DEFAULT_BOOK_NAME)
    if path is not None and is_folder_argument(path):  # 新文件夹/: created, the file inside
        prepare_folder(path)
        out = Path(str(path).rstrip("/\\") or "/") / DEFAULT_BOOK_NAME
    elif out.is_dir():
        out = out / DEFAULT_BOOK_NAME
    elif out.suffix == "":
        out = out.with_name(out.name + ".xlsx")
    elif out.suffix.lower() != ".xlsx":
        raise OutputError(
            out,
            f"填报工作簿的文件名应以 .xlsx 结尾（而不是“{out.suffix}”）",
            hint="例如：gdr-gen init 年报填报表.xlsx",
        )
    loaded: LoadResult | None = None
    notes: list[str] = []
    if source is not None:
        src = Path(source)
        if _same_file(src, out):
            raise OutputError(out, "输出文件就是 --from 的输入文件", hint="请另选一个输出文件名。")
        loaded = api.read(src, agency_kind=agency_kind)
        errors = [f for f in loaded.findings if f.severity is Severity.ERROR]
        if errors:
            return InitResult(out, False, loaded, errors)
        report = loaded.report
        notes = declared_total_notes(report)
        if year is not None and year != report.year:
            if year != report.year + 1:
                raise OutputError(
                    out,
                    f"--year {year} 与 {src.name} 的年度（{report.year} 年）不一致",
                    hint=f"用上一年度的数据开始新一年的工作簿时，--year 应为 {report.year + 1}；"
                    "不加 --year 则按原年度原样复制。",
                )
            report, notes = next_year(report)
    else:
        report = Report.blank(year=year if year is not None else date.today().year - 1)
    write_workbook(report, out, force=force)
    return InitResult(out, True, loaded, [], notes)


SAMPLE_BOOK_NAME = "示例-巫山县2022年政府信息公开年报填报表.xlsx"


def write_sample(path: str | Path | None = None, *, force: bool = False) -> Path:
    """Write the bundled sample workbook (巫山县 2022, complete) to ``path`` (a folder gets the
    default name), for a first try: ``gdr-gen init --sample``, then ``gdr-gen build`` it."""
    from ..errors import OutputExistsError
    from ..resources import sample_file
    from ..writers.atomic import write_bytes_atomic

    out = Path(path) if path is not None else Path(SAMPLE_BOOK_NAME)
    if out.is_dir():
        out = out / SAMPLE_BOOK_NAME
    elif out.suffix == "":
        out = out.with_name(out.name + ".xlsx")
    elif out.suffix.lower() != ".xlsx":
        raise OutputError(
            out, "示例工作簿的文件名应以 .xlsx 结尾", hint="例如：gdr-gen init --sample 示例.xlsx"
        )
    if out.exists() and not force:
        raise OutputExistsError(out)
    return write_bytes_atomic(out, sample_file().read_bytes())
