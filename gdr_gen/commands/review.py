"""``gdr-gen check FOLDER``: the region review's views — the terminal summary, the review
workbook (``审核结果.xlsx``), the same as a self-contained page (``.html``) and JSON.

The review itself is :func:`gdr_gen.review.review_folder`. Every text that comes from a
unit's file (names, locations, messages) is written to the workbook as text, never as a
formula (:func:`gdr_gen.writers.xlsx_writer.as_text`), and escaped in the page (Jinja
autoescape). Same folder → byte-identical workbook (fixed zip times and document dates).
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import GdrError, OutputError
from ..findings import CATALOGUE, GROUP_ORDER, Finding, Severity
from ..records import record
from ..region import SummaryColumn, key_figure_columns
from ..review import (
    DEFAULT_JOBS,
    FAILED,
    PASSED,
    REVIEW_GROUP,
    UNREADABLE,
    WARNED,
    ReviewResult,
    UnitReview,
    review_folder,
)

if TYPE_CHECKING:
    from rich.console import Console

REVIEW_SUFFIXES = (".xlsx", ".html")
SUMMARY_SHEET = "汇总"
FINDINGS_SHEET = "问题清单"
RULES_SHEET = "按规则统计"
SKIPPED_SHEET = "跳过的文件"
TERMINAL_MESSAGE = 60  # characters of the first problem shown in the terminal table
FIXED_TIME = datetime(2000, 1, 1)
VERDICT_FILL = {UNREADABLE: "D9D9D9", FAILED: "FFC7CE", WARNED: "FFEB9C", PASSED: "C6EFCE"}


def figure_columns() -> list[SummaryColumn]:
    """The key-figure columns (one definition: :func:`gdr_gen.region.key_figure_columns`)."""
    from ..formats import get_format

    return key_figure_columns(get_format())


def _agency(unit: UnitReview) -> str:
    return unit.agency or ""


def _first_problem(unit: UnitReview) -> str:
    f = unit.first_problem
    return f"{f.rule} {f.location}：{f.message}" if f is not None else ""


# ---------------------------------------------------------------- the command
@record
class FolderCheck:
    review: ReviewResult
    output: Path | None = None
    annotated: list[Path] = field(default_factory=list)


def check_folder(
    folder: Path,
    *,
    previous: Path | None = None,
    output: Path | None = None,
    jobs: int = DEFAULT_JOBS,
    strict: bool = False,
    annotate: bool = False,
    force: bool = True,
    progress: Console | None = None,
) -> FolderCheck:
    """Review ``folder``; write the review (``-o``) and annotated copies (``--annotate``)."""
    if output is not None and not annotate:
        check_review_output(output)
    annotate_dir = _annotate_dir(folder, output) if annotate else None
    exclude = [p for p in (output,) if p is not None]
    if progress is not None:
        from .batch import progress_bar

        with _Progress(progress, progress_bar) as bar:
            result = review_folder(
                folder,
                previous=previous,
                jobs=jobs,
                strict=strict,
                exclude=exclude,
                on_start=bar.start,
                on_done=bar.advance,
            )
    else:
        result = review_folder(folder, previous=previous, jobs=jobs, strict=strict, exclude=exclude)
    done = FolderCheck(result)
    if output is not None and not annotate:
        write_review(result, output)
        done.output = output
    if annotate_dir is not None:
        done.annotated = annotate_units(result, annotate_dir)
    return done


class _Progress:
    """One progress bar per phase (reading last year's reports, then the review)."""

    def __init__(self, console: Console, factory: Any) -> None:
        self.console, self.factory = console, factory
        self._ctx: Any = None
        self._advance: Any = None

    def __enter__(self) -> _Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self._close()

    def _close(self) -> None:
        if self._ctx is not None:
            self._ctx.__exit__(None, None, None)
            self._ctx = None

    def start(self, description: str, total: int) -> None:
        self._close()
        self._ctx = self.factory(self.console, description, total)
        self._advance = self._ctx.__enter__()

    def advance(self) -> None:
        if self._advance is not None:
            self._advance()


def check_review_output(output: Path) -> None:
    if output.suffix.lower() not in REVIEW_SUFFIXES:
        raise OutputError(
            output,
            f"不支持的审核结果类型“{output.suffix or '无扩展名'}”",
            hint="审核结果请保存为工作簿（如 审核结果.xlsx）或网页（审核结果.html）；"
            "机器读取请用 --format json。",
        )


def _annotate_dir(folder: Path, output: Path | None) -> Path:
    if output is not None and output.suffix:
        raise GdrError(
            f"整个文件夹加 --annotate 时，-o 应为存放标注副本的文件夹，而不是文件（{output}）",
            hint="例如：gdr-gen check 各单位/ --annotate -o 标注副本/",
        )
    target = output if output is not None else folder.with_name(folder.name + "（审核标注）")
    if target.exists() and not target.is_dir():
        raise OutputError(target, "输出位置不是文件夹")
    if target.resolve() == folder.resolve():
        raise OutputError(target, "标注副本不能写入各单位工作簿所在的文件夹")
    return target


def annotate_units(result: ReviewResult, outdir: Path) -> list[Path]:
    """One annotated copy per readable unit workbook (with findings) into ``outdir``."""
    from ..annotate import annotate_workbook, annotated_name

    outdir.mkdir(parents=True, exist_ok=True)
    written = []
    for unit in result.units:
        src = Path(unit.path)
        if unit.unreadable or not is_workbook(src):
            continue
        written.append(annotate_workbook(src, unit.findings, outdir / annotated_name(src)))
    return written


def is_workbook(path: Path) -> bool:
    """Read by the fill-in workbook reader (the only kind with cells to annotate)."""
    from ..readers.registry import reader_for

    try:
        return reader_for(path).name == "xlsx"
    except GdrError:
        return False


def write_review(result: ReviewResult, output: Path) -> Path:
    from ..writers.atomic import write_bytes_atomic

    if output.suffix.lower() == ".html":
        data = review_html(result).encode("utf-8")
    else:
        data = review_workbook_bytes(result)
    write_bytes_atomic(output, data)
    return output


# ---------------------------------------------------------------- rows shared by the views
def summary_rows(result: ReviewResult) -> tuple[list[str], list[list[Any]]]:
    """The 汇总 sheet: header and one row per file, worst first."""
    cols = figure_columns()
    header = ["文件", "单位", "年度", *[c.header for c in cols]]
    header += ["结论", "错误", "警告", "提示", "上年报告", "首个问题"]
    rows = []
    for unit in result.sorted_units():
        figures = dict(unit.figures)
        prev = Path(unit.previous).name if unit.previous else unit.previous_note
        rows.append(
            [
                unit.name,
                _agency(unit),
                unit.year,
                *[figures.get(c.key) for c in cols],
                unit.verdict(strict=result.strict),
                unit.errors,
                unit.warnings,
                unit.infos,
                prev if result.previous_folder is not None else "",
                _first_problem(unit),
            ]
        )
    return header, rows


FINDING_HEADER = ["文件", "单位", "规则", "级别", "位置", "说明"]


def finding_rows(result: ReviewResult) -> list[tuple[UnitReview, Finding]]:
    """Every finding of every unit, units worst first, findings in their display order."""
    return [(u, f) for u in result.sorted_units() for f in u.findings]


def rule_counts(result: ReviewResult) -> list[tuple[str, str, str, str, int, int]]:
    """(family, rule, level, description, units, findings), families in display order."""
    counts: dict[tuple[str, str, str], list[int]] = {}
    units_of: dict[tuple[str, str, str], set[str]] = {}
    for unit in result.units:
        for f in unit.findings:
            key = (f.group, f.rule, f.severity.label)
            counts.setdefault(key, [0])[0] += 1
            units_of.setdefault(key, set()).add(unit.path)
    order = list(CATALOGUE)
    groups = [*GROUP_ORDER, REVIEW_GROUP]

    def sort_key(key: tuple[str, str, str]) -> tuple[int, int, str, str]:
        g, r, level = key
        gi = groups.index(g) if g in groups else len(groups)
        ri = order.index(r) if r in CATALOGUE else len(order)
        return (gi, ri, r, level)

    out = []
    for key in sorted(counts, key=sort_key):
        g, r, level = key
        info = CATALOGUE.get(r)
        desc = info.description if info is not None else ""
        out.append((g, r, level, desc, len(units_of[key]), counts[key][0]))
    return out


# ---------------------------------------------------------------- the review workbook
def review_workbook_bytes(result: ReviewResult) -> bytes:
    """The review workbook (汇总, 问题清单, 按规则统计) as bytes: same review, same bytes."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.hyperlink import Hyperlink
    from openpyxl.writer.excel import ExcelWriter

    from ..writers.xlsx_writer import FILL_HEAD, FONT, as_text, fixed_zip

    wb = Workbook()
    wb.properties.creator = "gdr-gen"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    bold = Font(name=FONT, size=10, bold=True)
    body = Font(name=FONT, size=10)
    link_font = Font(name=FONT, size=10, color="0563C1", underline="single")
    head_fill = PatternFill("solid", fgColor=FILL_HEAD)
    top = Alignment(vertical="top", wrap_text=True)

    def table(ws: Any, header: list[str], rows: list[list[Any]], widths: list[int]) -> None:
        for c, text in enumerate(header, start=1):
            cell = ws.cell(1, c, text)
            cell.font, cell.fill = bold, head_fill
            cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
            ws.column_dimensions[get_column_letter(c)].width = widths[c - 1]
        for r, row in enumerate(rows, start=2):
            for c, value in enumerate(row, start=1):
                cell = as_text(ws.cell(r, c, value))  # unit texts stay text, never formulas
                cell.font = body
                if isinstance(value, str):
                    cell.alignment = top
        ws.freeze_panes = "A2"
        ws.print_title_rows = "1:1"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        last = get_column_letter(len(header))
        ws.auto_filter.ref = f"A1:{last}{max(1, len(rows) + 1)}"
        ws.print_area = ws.auto_filter.ref  # text running past the last column is not printed

    # 汇总
    ws = wb.active
    ws.title = SUMMARY_SHEET
    header, rows = summary_rows(result)
    n_fig = len(figure_columns())
    widths = [12, 20, 6, *([9] * n_fig), 8, 5, 5, 5, 10, 60]
    table(ws, header, rows, widths)
    for row in ws.iter_rows(min_row=2, min_col=len(header) - 1):
        for cell in row:  # one line each: the full text is in 问题清单
            cell.alignment = Alignment(vertical="top", wrap_text=False)
    ws.row_dimensions[1].height = 45
    verdict_col = header.index("结论") + 1
    # the first finding of each unit on 问题清单 (rows are in the same unit order)
    first_row: dict[str, int] = {}
    for r, (unit, _f) in enumerate(finding_rows(result), start=2):
        first_row.setdefault(unit.path, r)
    for r, unit in enumerate(result.sorted_units(), start=2):
        v = ws.cell(r, verdict_col)
        v.fill = PatternFill("solid", fgColor=VERDICT_FILL[str(v.value)])
        if unit.path in first_row:
            name = ws.cell(r, 1)
            name.hyperlink = Hyperlink(
                ref=name.coordinate, location=f"'{FINDINGS_SHEET}'!A{first_row[unit.path]}"
            )
            name.font = link_font

    # 问题清单
    ws = wb.create_sheet(FINDINGS_SHEET)
    frows = [
        [u.name, _agency(u), f.rule, f.severity.label, f.location, f.message]
        for u, f in finding_rows(result)
    ]
    table(ws, FINDING_HEADER, frows, [24, 26, 9, 6, 30, 80])
    for r, (_u, f) in enumerate(finding_rows(result), start=2):
        ws.cell(r, 4).fill = PatternFill("solid", fgColor=_level_fill(f.severity))

    # 按规则统计
    ws = wb.create_sheet(RULES_SHEET)
    rrows = [list(row) for row in rule_counts(result)]
    table(ws, ["类别", "规则", "级别", "说明", "涉及单位数", "问题数"], rrows, [9, 9, 6, 60, 10, 8])

    # 跳过的文件: lock files and files that are not reports (only when there are any)
    if result.skipped:
        ws = wb.create_sheet(SKIPPED_SHEET)
        srows = [[s.name, s.reason] for s in result.skipped]
        table(ws, ["文件", "跳过原因"], srows, [30, 60])

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).save()  # keeps the fixed document times (wb.save would not)
    return fixed_zip(buf.getvalue(), (FIXED_TIME.year, 1, 1, 0, 0, 0))


def _level_fill(level: Severity) -> str:
    return {"error": VERDICT_FILL[FAILED], "warning": VERDICT_FILL[WARNED]}.get(
        level.value, "DDEBF7"
    )


# ---------------------------------------------------------------- the page
def review_html(result: ReviewResult) -> str:
    """The review as one self-contained page (no external files), every text escaped."""
    import jinja2

    from ..resources import templates_dir

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir() / "html")),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    header, rows = summary_rows(result)
    anchors = {u.path: f"u{i}" for i, u in enumerate(result.sorted_units(), start=1)}
    units = [
        {
            "anchor": anchors[u.path],
            "cells": row,
            "verdict": u.verdict(strict=result.strict),
            "has_findings": bool(u.findings),
        }
        for u, row in zip(result.sorted_units(), rows, strict=True)
    ]
    findings = [
        {
            "anchor": anchors[u.path],
            "first": i == 0,
            "cells": [u.name, _agency(u), f.rule, f.severity.label, f.location, f.message],
            "level": f.severity.value,
        }
        for u in result.sorted_units()
        for i, f in enumerate(u.findings)
    ]
    return env.get_template("review.html.j2").render(
        title=f"{Path(result.folder).name} 年报审核结果",
        counts=counts(result),
        header=header,
        units=units,
        finding_header=FINDING_HEADER,
        findings=findings,
        rules=rule_counts(result),
        skipped=[(s.name, s.reason) for s in result.skipped],
        without_previous=[u.name for u in result.without_previous],
        fills=VERDICT_FILL,
    )


# ---------------------------------------------------------------- JSON and counts
def review_data(result: ReviewResult) -> dict[str, Any]:
    """The machine-readable review: ``check --format json``'s objects plus file and agency."""
    findings = []
    for unit in result.units:
        for f in unit.findings:
            findings.append({**f.to_dict(), "file": unit.name, "agency": unit.agency})
    units = [
        {
            "file": u.name,
            "agency": u.agency,
            "year": u.year,
            "verdict": u.verdict(strict=result.strict),
            "errors": u.errors,
            "warnings": u.warnings,
            "figures": dict(u.figures),
            "previous": Path(u.previous).name if u.previous else None,
            "previous_note": u.previous_note or None,
        }
        for u in result.units
    ]
    skipped = [{"file": s.name, "reason": s.reason} for s in result.skipped]
    return {"findings": findings, "units": units, "skipped": skipped, "counts": counts(result)}


def review_json(result: ReviewResult) -> str:
    return json.dumps(review_data(result), ensure_ascii=False, indent=2)


def counts(result: ReviewResult) -> dict[str, int]:
    return {
        "files": len(result.units),
        "failed": result.count(FAILED),
        "warned": result.count(WARNED),
        "passed": result.count(PASSED),
        "unreadable": result.count(UNREADABLE),
        "skipped": len(result.skipped),
        "without_previous": len(result.without_previous),
    }


# ---------------------------------------------------------------- the terminal
def print_review(result: ReviewResult, out: Console) -> None:
    """One row per file (worst first), the skipped files, units without last year, counts."""
    from rich.table import Table
    from rich.text import Text

    style = {UNREADABLE: "bold red", FAILED: "bold red", WARNED: "yellow", PASSED: "green"}
    table = Table(title="审核结果", title_justify="left")
    for name, opts in (
        ("文件", {"overflow": "fold"}),
        ("单位", {"overflow": "fold"}),
        ("年度", {"no_wrap": True}),
        ("结论", {"no_wrap": True}),
        ("错误", {"no_wrap": True, "justify": "right"}),
        ("警告", {"no_wrap": True, "justify": "right"}),
        ("首个问题", {"overflow": "fold"}),
    ):
        table.add_column(name, **opts)
    from .. import ui

    for u in result.sorted_units():
        verdict = u.verdict(strict=result.strict)
        first = u.first_problem
        problem = ""
        if first is not None:  # one glance per unit; the full text is in -o 审核结果.xlsx
            message = first.message
            if len(message) > TERMINAL_MESSAGE:
                message = message[: TERMINAL_MESSAGE - 1] + "…"
            problem = f"{first.rule} {ui.short_location(first.location)}：{message}"
        table.add_row(
            Text(u.name),
            Text(_agency(u)),
            Text(str(u.year) if u.year is not None else ""),
            Text(verdict, style=style[verdict]),
            Text(str(u.errors)),
            Text(str(u.warnings)),
            Text(problem),
        )
    out.print(table)
    if result.skipped:
        out.print(f"已跳过 {len(result.skipped)} 个文件：", highlight=False)
        for s in result.skipped:
            out.print(Text(f"  {s.name}：{s.reason}"), highlight=False)
    if result.without_previous:
        out.print(f"{len(result.without_previous)} 个单位没有找到上一年度报告（未做跨年度核对）：")
        for u in result.without_previous:
            out.print(Text(f"  {u.name}（{_agency(u)}）：{u.previous_note}"), highlight=False)
    c = counts(result)
    line = (
        f"共 {c['files']} 个文件：未通过 {c['failed']} 个，有警告 {c['warned']} 个，"
        f"通过 {c['passed']} 个，无法读取 {c['unreadable']} 个"
    )
    if c["skipped"]:
        line += f"；跳过 {c['skipped']} 个非年报文件"
    out.print(Text(line), highlight=False)
