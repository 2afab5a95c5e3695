"""The region workbook: the ordinary fill-in template holding the sums, plus one extra
sheet listing each unit and its main totals, so the region office sees who contributed what.

The template part comes from :func:`gdr_gen.writers.xlsx_writer.build_workbook` unchanged
(so ``gdr-gen check/build`` read the region workbook like any other); the extra sheet is
added after the template's sheets. Same inputs → byte-identical file; written atomically.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..region import MergeResult, summary_columns, unit_name
from ..writers.atomic import write_bytes_atomic

if TYPE_CHECKING:
    from openpyxl.workbook import Workbook

UNITS_SHEET = "各单位汇总"
NOT_RECORDED = "未统计"


def _cell_value(kind: str, value: object) -> Any:
    from ..writers.xlsx_writer import money_cell_value

    if value is None:
        return NOT_RECORDED if kind != "text" else ""
    if isinstance(value, Decimal):
        return money_cell_value(value)
    return value


def add_units_sheet(wb: Workbook, result: MergeResult) -> None:
    """Append the unit summary sheet: one row per unit, a 合计 row, then what the readers
    noted about merged units, the left-out units and the skipped files (each only if any)."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    from ..writers.xlsx_writer import (
        COUNT_FORMAT,
        FILL_HEAD,
        FILL_TOTAL,
        FONT,
        MONEY_FORMAT,
        TITLE_FONT,
        YUAN_FORMAT,
        as_text,
    )

    cols = summary_columns(result.report.spec)
    ws = wb.create_sheet(UNITS_SHEET)
    ws.sheet_view.showGridLines = False
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    body = Font(name=FONT, size=10)
    bold = Font(name=FONT, size=10, bold=True)
    wrap = Alignment(wrap_text=True, vertical="center")
    formats = {"count": COUNT_FORMAT, "money": MONEY_FORMAT, "yuan": YUAN_FORMAT}

    # Names, file names and messages come from the units' files: stored as text (as_text),
    # so "=HYPERLINK(…)" as a unit's name stays a name, never a live formula.
    title = as_text(
        ws.cell(1, 1, f"{result.report.agency}{result.report.year}年 各单位数据汇总明细")
    )
    title.font = Font(name=TITLE_FONT, size=14)
    ws.cell(2, 1, f"共汇总 {len(result.units)} 个单位；本表由 gdr-gen merge 生成，仅供核对。")
    ws.cell(2, 1).font = body
    head_row = 4
    for c, col in enumerate(cols, start=1):
        cell = ws.cell(head_row, c, col.header)
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        cell.fill = PatternFill("solid", fgColor=FILL_HEAD)
        cell.border = border
        width = 26 if col.key == "agency" else (16 if col.kind == "text" else 12)
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.row_dimensions[head_row].height = 45

    rows = [u.values for u in result.units]
    r = head_row
    for values in [*rows, result.region_summary]:
        r += 1
        is_total = values is result.region_summary
        for c, col in enumerate(cols, start=1):
            cell = as_text(ws.cell(r, c, _cell_value(col.kind, values.get(col.key))))
            cell.font = bold if is_total else body
            cell.border = border
            if col.kind in formats and not isinstance(cell.value, str):
                cell.number_format = formats[col.kind]
            if col.kind == "text":
                cell.alignment = wrap
            if is_total:
                cell.fill = PatternFill("solid", fgColor=FILL_TOTAL)
    ws.freeze_panes = ws.cell(head_row + 1, 2)
    ws.auto_filter.ref = f"A{head_row}:{get_column_letter(len(cols))}{head_row + len(rows)}"

    noted = [u for u in result.units if u.notes]
    if noted:
        r += 2
        ws.cell(r, 1, f"已汇总、读取时有需要注意情况的单位（{len(noted)} 个）").font = bold
        for merged in noted:
            for f in merged.notes:
                r += 1
                as_text(ws.cell(r, 1, unit_name(merged.source, merged.agency))).font = body
                note = f"{f.rule}（{f.severity.label}）{f.location}：{f.message}"
                as_text(ws.cell(r, 2, note)).font = body

    if result.refused:
        r += 2
        ws.cell(r, 1, f"未汇总的单位（{len(result.refused)} 个，未通过检查或无法读取）").font = bold
        for unit in result.refused:
            r += 1
            as_text(ws.cell(r, 1, unit_name(unit.source, unit.agency))).font = body
            as_text(ws.cell(r, 2, unit.first_problem)).font = body

    if result.skipped:
        r += 2
        ws.cell(r, 1, f"跳过的文件（{len(result.skipped)} 个，不是单位的年报）").font = bold
        for skipped in result.skipped:
            r += 1
            as_text(ws.cell(r, 1, skipped.name)).font = body
            as_text(ws.cell(r, 2, skipped.reason)).font = body


def region_workbook_bytes(result: MergeResult) -> bytes:
    """The region workbook as bytes: byte-identical for the same merge."""
    from openpyxl.writer.excel import ExcelWriter

    from ..writers.xlsx_writer import build_workbook, fixed_zip

    wb = build_workbook(result.report)
    add_units_sheet(wb, result)
    buf = io.BytesIO()
    # ExcelWriter (not wb.save) keeps the fixed document times build_workbook set.
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).save()
    created = wb.properties.created or datetime(1980, 1, 1)
    return fixed_zip(buf.getvalue(), (created.year, created.month, created.day, 0, 0, 0))


def write_region_workbook(result: MergeResult, output: Path) -> Path:
    """Write the region workbook atomically (the caller has checked --force)."""
    write_bytes_atomic(output, region_workbook_bytes(result))
    return output
