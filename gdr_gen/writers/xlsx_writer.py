"""The fill-in workbook: generated from the format definition, never drawn by hand.

Each official table (表二/表三/表四) is its :class:`~gdr_gen.formats.TableSpec` grid placed at
a fixed offset on its own sheet (:mod:`gdr_gen.formats.workbook_layout`), with the official
labels and merges. Input cells are yellow and unlocked; labels and totals are locked (sheet
protection without a password); totals are live ``SUM`` formulas. The same report always
gives the same bytes (fixed document times, fixed zip entry times).
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import OutputError, OutputExistsError
from ..formats import GridCell, ValuePath
from ..formats.workbook_layout import (
    PROSE_HOWTO,
    InfoField,
    ProseSheet,
    TableSheet,
    WorkbookLayout,
    coord_name,
    layout_for,
    subsection_number,
    sum_formula,
)
from ..model import AGENCY_KINDS, NarrativeSection, Report
from .atomic import write_bytes_atomic

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell
    from openpyxl.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

FONT = "宋体"
TITLE_FONT = "黑体"
FILL_INPUT = "FFF2CC"  # light yellow: the office types here
FILL_TOTAL = "E7E6E6"  # grey: computed, locked
FILL_HEAD = "DDEBF7"  # light blue: headers
COUNT_FORMAT = "0"
MONEY_FORMAT = "0.00####"  # 万元, up to 6 decimals (0.01 元)
YUAN_FORMAT = "0.00"
DATE_FORMAT = "yyyy-mm-dd"
MAX_CELL_TEXT = 32767  # Excel's limit for one cell
WIDTH_PER_WEIGHT = {"proactive": 11.0, "requests": 10.0, "appeals": 9.0}
# Value columns stay wide enough for a two-line, four-character header (社会公益/组织) and
# a six-digit count, whatever the printed views' relative weights are.
MIN_VALUE_COLUMN_WIDTH = 9.0
# Characters the XML inside a workbook cannot carry (openpyxl refuses them).
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")  # not XML
BOOL_WORDS = ("是", "否")


class _BadText(Exception):
    def __init__(self, where: str, reason: str) -> None:
        super().__init__(f"{where}{reason}")


# ---------------------------------------------------------------- values
def money_cell_value(amount: Decimal) -> int | float | str:
    """A number when it survives the workbook exactly, else text (read back as Decimal).

    Spreadsheets store binary floats: 3857.85 round-trips through ``repr``; 3857.80 would
    come back as 3857.8, and a 20-digit amount not at all. Those are kept as text.
    """
    text = format(amount, "f")
    if amount == amount.to_integral_value() and "." not in text:
        value = int(text)
        return value if abs(value) < 2**53 else text
    if text.endswith("0"):
        return text
    f = float(amount)
    if math.isfinite(f) and repr(f) == text:
        return f
    return text


def _check_text(text: str, where: str) -> str:
    bad = _ILLEGAL.search(text)
    if bad:
        raise _BadText(where, f"含有控制字符 U+{ord(bad.group()):04X}，工作簿中无法保存")
    if len(text) > MAX_CELL_TEXT:
        raise _BadText(where, f"有 {len(text)} 个字，超过工作簿单元格上限 {MAX_CELL_TEXT}")
    return text


def as_text(cell: Cell) -> Cell:
    """Keep a cell's str value text: openpyxl would store "=…" as a live formula and "#N/A"
    as an error value. For every text that comes from someone else's file."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
    return cell


def _set_text(cell: Cell, text: str | None, where: str) -> None:
    if text is None or text == "":
        cell.value = None
        return
    cell.value = _check_text(text, where)
    cell.data_type = "s"  # text starting with "=" stays text, never a formula


# ---------------------------------------------------------------- styles
class _Styles:
    """Styles built once (openpyxl imported lazily)."""

    def __init__(self) -> None:
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side

        thin = Side(style="thin", color="000000")
        self.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.font = Font(name=FONT, size=10.5)
        self.bold = Font(name=FONT, size=10.5, bold=True)
        self.title = Font(name=TITLE_FONT, size=14)
        self.note = Font(name=FONT, size=9.5, color="595959")
        self.fill_input = PatternFill("solid", fgColor=FILL_INPUT)
        self.fill_total = PatternFill("solid", fgColor=FILL_TOTAL)
        self.fill_head = PatternFill("solid", fgColor=FILL_HEAD)
        self.center = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.left = Alignment(horizontal="left", vertical="center", wrap_text=True, indent=1)
        self.top_left = Alignment(horizontal="left", vertical="top", wrap_text=True)
        self.unlocked = Protection(locked=False)
        self.locked = Protection(locked=True)


def _protect(ws: Worksheet, *, insert_rows: bool = False) -> None:
    """Protect without a password; resizing rows/columns stays allowed."""
    p = ws.protection
    p.sheet = True
    p.formatColumns = False
    p.formatRows = False
    if insert_rows:
        p.insertRows = False


def _print_setup(ws: Worksheet, area: str, *, landscape: bool, one_page: bool) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1 if one_page else 0
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.print_area = area


def _line_count(text: str, width_units: float) -> int:
    """Lines a wrapped text needs in a column ``width_units`` wide (CJK counts double)."""
    per_line = max(width_units - 1.5, 2.0)
    lines = 0
    for para in (text or "").split("\n"):
        units = sum(1.8 if ord(ch) > 0x2E80 else 1.0 for ch in para)
        lines += max(1, math.ceil(units / per_line))
    return lines


def balanced_label(text: str, width_units: float) -> str:
    """A short header that needs two lines, broken between two-character words
    (社会公益组织 → 社会公益/组织) rather than wherever the renderer would (社会公益组/织).
    The reader compares labels without whitespace, so the break is presentation only."""
    if "\n" in text or len(text) > 12 or _line_count(text, width_units) < 2:
        return text
    n = len(text)
    cut = min(range(2, n - 1, 2), key=lambda i: (abs(i - n / 2), -i), default=None)
    if cut is None:
        return text
    head, tail = text[:cut], text[cut:]
    if _line_count(head, width_units) > 1 or _line_count(tail, width_units) > 1:
        return text
    return f"{head}\n{tail}"


def _height(lines: int, *, line_pt: float = 14.5, pad: float = 5.0) -> float:
    return float(min(409, round(lines * line_pt + pad)))


def _validation_rules() -> dict[str, dict[str, str]]:
    """Excel data validation per kind of input cell, with the Chinese prompts staff see."""
    from openpyxl.utils.datetime import to_excel

    def choice(words: tuple[str, ...] | list[str]) -> str:
        return '"' + ",".join(words) + '"'

    kinds = list(AGENCY_KINDS.values())
    return {
        "count": {
            "type": "whole",
            "operator": "greaterThanOrEqual",
            "formula1": "0",
            "promptTitle": "填写件数",
            "prompt": "填不小于 0 的整数；没有请填 0，不要留空。",
            "errorTitle": "件数应为整数",
            "error": "这里只能填不小于 0 的整数（件数）。没有请填 0。",
        },
        "money": {
            "type": "decimal",
            "operator": "greaterThanOrEqual",
            "formula1": "0",
            "promptTitle": "填写金额（万元）",
            "prompt": "单位：万元，可带小数（如 3857.85）；没有请填 0。",
            "errorTitle": "金额应为数字",
            "error": "这里只能填不小于 0 的数（单位：万元）。",
        },
        "yuan": {
            "type": "decimal",
            "operator": "greaterThanOrEqual",
            "formula1": "0",
            "promptTitle": "填写金额（元）",
            "prompt": "信息处理费总额，单位：元；未收取填 0。",
            "errorTitle": "金额应为数字",
            "error": "这里只能填不小于 0 的数（单位：元）。",
        },
        "year": {
            "type": "whole",
            "operator": "between",
            "formula1": "2000",
            "formula2": "2100",
            "promptTitle": "填写年度",
            "prompt": "四位数年份，如 2022。",
            "errorTitle": "年度无效",
            "error": "请填 2000 到 2100 之间的四位数年份。",
        },
        "agency_kind": {
            "type": "list",
            "formula1": choice(kinds),
            "promptTitle": "选择机关类型",
            "prompt": f"从下拉列表中选择：{' 或 '.join(kinds)}。",
            "errorTitle": "机关类型无效",
            "error": f"请从下拉列表中选择{'或'.join(f'“{k}”' for k in kinds)}。",
        },
        "bool": {
            "type": "list",
            "formula1": choice(BOOL_WORDS),
            "promptTitle": "选择是或否",
            "prompt": "从下拉列表中选择：是 或 否。",
            "errorTitle": "请选择是或否",
            "error": "请从下拉列表中选择“是”或“否”。",
        },
        "date": {
            "type": "date",
            "operator": "between",
            "formula1": str(int(to_excel(date(2000, 1, 1)))),
            "formula2": str(int(to_excel(date(2100, 12, 31)))),
            "promptTitle": "填写日期",
            "prompt": "如 2023-01-20；可暂不填。",
            "errorTitle": "日期无效",
            "error": "请填写日期，如 2023-01-20。",
        },
    }


# ---------------------------------------------------------------- sheets
class _Builder:
    def __init__(self, report: Report) -> None:
        from openpyxl import Workbook

        self.report = report
        self.layout: WorkbookLayout = layout_for(report.spec)
        self.s = _Styles()
        self.wb: Workbook = Workbook()
        self.wb.remove(self.wb.worksheets[0])
        self.validations: dict[str, Any] = {}

    def build(self) -> Workbook:
        lay = self.layout
        self.guide()
        self.info()
        prose = {p.key: p for p in lay.prose}
        for name in lay.required_sheets:
            if name == lay.info_sheet:
                continue
            for t in lay.tables:
                if t.sheet == name:
                    self.table(t)
            for p in prose.values():
                if p.sheet == name:
                    self.prose(p)
        assert tuple(ws.title for ws in self.wb.worksheets) == lay.sheet_order
        self.wb.active = 0
        props = self.wb.properties
        fixed = datetime(max(self.report.year, 1980) + 1, 1, 1)
        props.created = props.modified = fixed
        props.creator = props.lastModifiedBy = "gdr-gen"
        props.title = f"{self.report.year}年政府信息公开工作年度报告填报工作簿"
        props.description = lay.stamp
        return self.wb

    # ---- helpers
    def sheet(self, name: str) -> Worksheet:
        ws = self.wb.create_sheet(name)
        ws.sheet_view.showGridLines = False
        return ws

    def heading(self, ws: Worksheet, text: str, note: str, width: int) -> None:
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
        ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
        c = ws.cell(1, 1, text)
        c.font = self.s.title
        c.alignment = self.s.center
        n = ws.cell(2, 1, note)
        n.font = self.s.note
        n.alignment = self.s.left
        ws.row_dimensions[1].height = 28

    def validation(self, ws: Worksheet, kind: str, ref: str) -> None:
        from openpyxl.worksheet.datavalidation import DataValidation

        key = f"{ws.title}/{kind}"
        dv = self.validations.get(key)
        if dv is None:
            dv = DataValidation(
                allow_blank=True,
                showInputMessage=True,
                showErrorMessage=True,
                errorStyle="stop",
                **_validation_rules()[kind],
            )
            ws.add_data_validation(dv)
            self.validations[key] = dv
        dv.add(ref)

    def input_cell(self, cell: Cell) -> None:
        cell.fill = self.s.fill_input
        cell.protection = self.s.unlocked
        cell.border = self.s.border

    # ---- 填表说明
    def guide(self) -> None:
        lay = self.layout
        spec = lay.spec
        ws = self.sheet(lay.guide_sheet)
        ws.column_dimensions["A"].width = 6
        ws.column_dimensions["B"].width = 96
        ws.merge_cells("A1:B1")
        t = ws.cell(1, 1, "填表说明")
        t.font = self.s.title
        t.alignment = self.s.center
        ws.row_dimensions[1].height = 30
        tables = "、".join(t.sheet for t in lay.tables)
        prose = "、".join(f"“{p.sheet}”" for p in lay.prose)
        items = [
            f"本工作簿用于填报{spec.extras['title_suffix'].lstrip('年')}的数据，表格按《中华人民共和国政府信息公开工作年度报告格式》"
            f"（{spec.name}）设置：{tables}与正式年报中的表格一致。",
            "只在黄色格子中填写。白色格子是表格标签，灰色格子是自动计算的总计；"
            "工作表已设置保护（没有密码），以免误改表格结构和公式。",
            "先填“基本信息”：机关全称、年度、机关类型、是否有规章制定权、发布日期、信息处理费。",
            "件数填不小于 0 的整数，只填数字（不要加“件”字或 ' 号：以文本保存的数字不计入合计）。"
            "没有请填 0，不要留空，也不要填“—”“/”“无”。",
            f"表二“行政事业性收费”的单位是{spec.money_unit}，可带小数；"
            "基本信息中“信息处理费金额”的单位是元。",
            "表三每一列应满足：一、本年新收 + 二、上年结转 = （七）总计 + 四、结转下年度继续办理；"
            "填写时可看灰色总计格核对。",
            f"正文在{prose}三张工作表中填写：每个小标题一行，小标题不加编号；"
            "正文中每个段落占一行（单元格内按 Alt+Enter 换行）。",
            "不要插入、删除或移动表格中的行和列，不要修改工作表名称，否则程序无法识别本工作簿。",
            "填好后运行 gdr-gen check 本工作簿.xlsx 进行校验；发现问题时会指出单元格（如 表三!D6）、"
            "两边的数值和差额。",
            "下一年度的工作簿可以从本工作簿开始：gdr-gen init 新工作簿.xlsx --from 本工作簿.xlsx "
            "--year 下一年度（沿用机关信息、上年结转和现行有效件数，其他需重新填写）。",
        ]
        row = 3
        for i, text in enumerate(items, start=1):
            ws.cell(row, 1, f"{i}.").alignment = self.s.top_left
            c = ws.cell(row, 2, text)
            c.alignment = self.s.top_left
            c.font = self.s.font
            ws.cell(row, 1).font = self.s.font
            ws.row_dimensions[row].height = _height(_line_count(text, 96))
            row += 1
        row += 1
        ws.cell(row, 2, "颜色说明").font = self.s.bold
        row += 1
        for fill, text in (
            (self.s.fill_input, "在此填写"),
            (self.s.fill_total, "自动计算，请勿改写"),
            (self.s.fill_head, "表头"),
        ):
            box = ws.cell(row, 1)
            box.fill = fill
            box.border = self.s.border
            ws.cell(row, 2, text).font = self.s.font
            row += 1
        row += 1
        ws.cell(row, 2, f"{lay.stamp_label}：{lay.stamp}").font = self.s.note
        _protect(ws)
        _print_setup(ws, f"A1:B{row}", landscape=False, one_page=True)

    # ---- 基本信息
    def info(self) -> None:
        lay = self.layout
        ws = self.sheet(lay.info_sheet)
        for letter, width in zip("ABC", (22, 40, 58), strict=True):
            ws.column_dimensions[letter].width = width
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=3)
        title = ws.cell(1, 1, lay.info_title)
        title.font = self.s.title
        title.alignment = self.s.center
        ws.row_dimensions[1].height = 28
        for col, text in enumerate(lay.info_header, start=1):
            c = ws.cell(lay.info_fields[0].row - 1, col, text)
            c.font = self.s.bold
            c.fill = self.s.fill_head
            c.alignment = self.s.center
            c.border = self.s.border
        for f in lay.info_fields:
            self.info_row(ws, f)
        stamp_label = ws.cell(lay.stamp_row, 1, lay.stamp_label)
        stamp = ws.cell(lay.stamp_row, lay.value_col, lay.stamp)
        note = ws.cell(lay.stamp_row, 3, "程序据此识别工作簿的版本，请勿修改")
        for c in (stamp_label, stamp, note):
            c.font = self.s.note
            c.border = self.s.border
            c.alignment = self.s.left
        stamp.fill = self.s.fill_total
        ws.freeze_panes = "A3"
        _protect(ws)
        _print_setup(ws, f"A1:C{lay.stamp_row}", landscape=False, one_page=True)

    def info_row(self, ws: Worksheet, f: InfoField) -> None:
        r = self.report
        label = ws.cell(f.row, 1, f.label)
        label.font = self.s.bold
        label.alignment = self.s.left
        label.border = self.s.border
        note = ws.cell(f.row, 3, f.note)
        note.font = self.s.note
        note.alignment = self.s.left
        note.border = self.s.border
        cell = ws.cell(f.row, self.layout.value_col)
        self.input_cell(cell)
        cell.font = self.s.font
        cell.alignment = self.s.left
        ref = cell.coordinate
        where = f"{f.label}（{ws.title}!{ref}）"
        lines = max(_line_count(f.label, 22), _line_count(f.note, 58))
        if f.key == "agency":
            _set_text(cell, r.agency, where)
        elif f.key == "year":
            cell.value = r.year
            cell.number_format = "0"
            self.validation(ws, "year", ref)
        elif f.key == "agency_kind":
            cell.value = AGENCY_KINDS[r.agency_kind]
            self.validation(ws, "agency_kind", ref)
        elif f.key == "rulemaking":
            cell.value = BOOL_WORDS[0] if r.rulemaking else BOOL_WORDS[1]
            self.validation(ws, "bool", ref)
        elif f.key == "publish_date":
            cell.value = r.publish_date
            cell.number_format = DATE_FORMAT
            self.validation(ws, "date", ref)
        elif f.key == "processing_fee.cases":
            cell.value = r.processing_fee.cases
            cell.number_format = COUNT_FORMAT
            self.validation(ws, "count", ref)
        elif f.key == "processing_fee.amount_yuan":
            cell.value = money_cell_value(r.processing_fee.amount_yuan)
            cell.number_format = YUAN_FORMAT
            self.validation(ws, "yuan", ref)
        elif f.key == "narrative.preface":
            _set_text(cell, r.narrative.preface, where)
            cell.alignment = self.s.top_left
            lines = max(lines, _line_count(r.narrative.preface or "", 40), 3)
        else:  # pragma: no cover - layout and writer out of step
            raise KeyError(f.key)
        ws.row_dimensions[f.row].height = _height(lines)

    # ---- 表二 / 表三 / 表四
    def table(self, ts: TableSheet) -> None:
        t = ts.table
        ws = self.sheet(ts.sheet)
        per = WIDTH_PER_WEIGHT.get(t.key, 9.0)
        weights = t.col_weights or (1.0,) * t.n_cols
        value_cols = {c.col for c in t.value_cells()}
        widths = [
            max(w * per, MIN_VALUE_COLUMN_WIDTH) if i in value_cols else w * per
            for i, w in enumerate(weights)
        ]
        from openpyxl.utils import get_column_letter

        for i, width in enumerate(widths):
            ws.column_dimensions[get_column_letter(ts.origin_col + i)].width = round(width, 1)
        self.heading(ws, ts.title, ts.note, ts.last_col)
        ws.row_dimensions[2].height = _height(_line_count(ts.note, sum(widths)))
        covered = t.covered()
        lines: dict[int, int] = {}
        for gc in t.cells:
            row, col = ts.at(gc.row, gc.col)
            if gc.rowspan > 1 or gc.colspan > 1:
                ws.merge_cells(
                    start_row=row,
                    start_column=col,
                    end_row=row + gc.rowspan - 1,
                    end_column=col + gc.colspan - 1,
                )
            cell = ws.cell(row, col)
            self.grid_cell(ws, ts, gc, cell)
            if gc.role == "header" and gc.text:
                cell.value = balanced_label(gc.text, sum(widths[gc.col : gc.col + gc.colspan]))
            if gc.text and gc.rowspan == 1:
                span = sum(widths[gc.col : gc.col + gc.colspan])
                lines[row] = max(lines.get(row, 1), _line_count(gc.text, span))
        for (gr, gcol), gc in covered.items():
            cell = ws.cell(*ts.at(gr, gcol))
            cell.border = self.s.border
            if gc.role == "value":
                cell.fill = self.s.fill_input
        for row, n in lines.items():
            ws.row_dimensions[row].height = _height(n)
        for gr in range(t.n_rows):
            row = ts.origin_row + gr
            if row not in lines:
                ws.row_dimensions[row].height = _height(1)
        first_value = min((c for c in t.cells if c.ref is not None), key=lambda c: (c.row, c.col))
        if t.header_rows:
            ws.freeze_panes = coord_name(*ts.at(first_value.row, first_value.col))
        _protect(ws)
        area = f"A1:{coord_name(ts.last_row, ts.last_col)}"
        _print_setup(ws, area, landscape=ts.landscape, one_page=True)

    def grid_cell(self, ws: Worksheet, ts: TableSheet, gc: GridCell, cell: Cell) -> None:
        s = self.s
        cell.font = s.font
        cell.alignment = s.center
        if gc.ref is None:
            cell.value = gc.text
            if gc.role in ("title", "header"):
                cell.font = s.bold
                cell.fill = s.fill_head
            elif gc.colspan > 1 or gc.rowspan == 1:
                cell.alignment = s.left
            return
        path: ValuePath = gc.ref
        if gc.role == "total":
            parts = self.layout.total_parts(path)
            coords = [ts.at(*self._grid_pos(ts, p)) for p in parts]
            cell.value = "=" + sum_formula(coords)
            cell.fill = s.fill_total
            cell.font = s.bold
            cell.number_format = COUNT_FORMAT
            return
        self.input_cell(cell)
        ref = cell.coordinate
        if gc.colspan > 1 or gc.rowspan > 1:
            ref = f"{ref}:{coord_name(cell.row + gc.rowspan - 1, cell.column + gc.colspan - 1)}"
        value = self.report.value(path)
        if gc.kind == "money":
            assert isinstance(value, Decimal)
            cell.value = money_cell_value(value)
            cell.number_format = MONEY_FORMAT
            self.validation(ws, "money", ref)
        else:
            cell.value = int(value)
            cell.number_format = COUNT_FORMAT
            self.validation(ws, "count", ref)

    @staticmethod
    def _grid_pos(ts: TableSheet, path: ValuePath) -> tuple[int, int]:
        c = ts.table.cell_for(path)
        return c.row, c.col

    # ---- 一、五、六 prose
    def prose(self, ps: ProseSheet) -> None:
        lay = self.layout
        section: NarrativeSection = self.report.narrative.section(ps.key)
        ws = self.sheet(ps.sheet)
        widths = {ps.number_col: 8, ps.title_col: 24, ps.text_col: 92}
        from openpyxl.utils import get_column_letter

        for col, width in widths.items():
            ws.column_dimensions[get_column_letter(col)].width = width
        self.heading(ws, ps.sheet, ps.note, ps.text_col)
        ws.row_dimensions[2].height = _height(_line_count(ps.note, sum(widths.values())))
        for col, text in zip(
            (ps.number_col, ps.title_col, ps.text_col), lay.prose_header, strict=True
        ):
            c = ws.cell(ps.header_row, col, text)
            c.font = self.s.bold
            c.fill = self.s.fill_head
            c.alignment = self.s.center
            c.border = self.s.border
        # the intro: no title
        label = ws.cell(ps.intro_row, ps.number_col, lay.intro_label)
        label.font = self.s.bold
        label.alignment = self.s.center
        label.border = self.s.border
        no_title = ws.cell(ps.intro_row, ps.title_col, "（无小标题）")
        no_title.font = self.s.note
        no_title.fill = self.s.fill_total
        no_title.border = self.s.border
        no_title.alignment = self.s.center
        intro = ws.cell(ps.intro_row, ps.text_col)
        self.prose_text(ws, intro, section.intro, f"{ps.sheet}!{intro.coordinate}")
        slots = max(len(section.sections) + 3, ps.min_slots)
        for i in range(slots):
            row = ps.first_row + i
            num = ws.cell(row, ps.number_col, subsection_number(i + 1))
            num.font = self.s.font
            num.alignment = self.s.center
            num.border = self.s.border
            sub = section.sections[i] if i < len(section.sections) else None
            title = ws.cell(row, ps.title_col)
            self.input_cell(title)
            title.font = self.s.bold
            title.alignment = self.s.top_left
            _set_text(title, sub.title if sub else None, f"{ps.sheet}!{title.coordinate}")
            text = ws.cell(row, ps.text_col)
            self.prose_text(ws, text, sub.text if sub else None, f"{ps.sheet}!{text.coordinate}")
        _protect(ws, insert_rows=True)
        last = ps.first_row + slots - 1
        _print_setup(ws, f"A1:{coord_name(last, ps.text_col)}", landscape=False, one_page=False)
        ws.print_title_rows = f"{ps.header_row}:{ps.header_row}"
        ws.freeze_panes = coord_name(ps.intro_row, 1)

    def prose_text(self, ws: Worksheet, cell: Cell, text: str | None, where: str) -> None:
        self.input_cell(cell)
        cell.font = self.s.font
        cell.alignment = self.s.top_left
        _set_text(cell, text, where)
        lines = max(_line_count(text or "", 92), 2)
        ws.row_dimensions[cell.row].height = _height(lines, line_pt=14.0)


# ---------------------------------------------------------------- output
def build_workbook(report: Report) -> Workbook:
    """The openpyxl workbook for ``report`` (not saved). Raises OutputError on bad text."""
    try:
        return _Builder(report).build()
    except _BadText as exc:
        raise OutputError("工作簿", str(exc)) from None


def fixed_zip(data: bytes, stamp: tuple[int, int, int, int, int, int]) -> bytes:
    """Re-pack a zip with fixed entry times and attributes, members in their original order."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=stamp)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            member.create_system = 0
            dst.writestr(member, src.read(info.filename), compresslevel=6)
    return out.getvalue()


def workbook_bytes(report: Report) -> bytes:
    """The .xlsx file for ``report``: byte-identical for the same report."""
    from openpyxl.writer.excel import ExcelWriter

    wb = build_workbook(report)
    buf = io.BytesIO()
    # openpyxl's save_workbook() stamps the current time into docProps/core.xml;
    # ExcelWriter keeps the fixed times set in build().
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).save()
    created = wb.properties.created or datetime(1980, 1, 1)
    stamp = (created.year, created.month, created.day, 0, 0, 0)
    return fixed_zip(buf.getvalue(), stamp)


def write_workbook(report: Report, path: str | Path, *, force: bool = False) -> Path:
    """Write the fill-in workbook for ``report`` to ``path`` (atomically).

    Refuses to replace an existing file unless ``force``.
    """
    out = Path(path)
    if out.exists() and not force and not out.is_dir():
        raise OutputExistsError(out)
    try:
        data = workbook_bytes(report)
    except OutputError as exc:
        if exc.path == "工作簿":
            raise OutputError(out, exc.message.split("：", 1)[-1]) from None
        raise
    write_bytes_atomic(out, data)
    return out


__all__ = [
    "PROSE_HOWTO",
    "build_workbook",
    "money_cell_value",
    "workbook_bytes",
    "write_workbook",
]
