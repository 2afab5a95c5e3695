"""Annotated copies of a unit's workbook: every cell a finding names highlighted, with the
finding's message as a cell comment, and a first sheet listing the findings with links.

The unit's workbook itself is never written: the copy goes beside it
(``工作簿（审核标注）.xlsx``) or into a chosen folder, atomically. The workbook is opened
with openpyxl and only styles, comments and one new sheet are added, so its protection,
data validation and formulas stay as they were.

Locations are the ones findings carry for a workbook (``表三!D6``,
``表三!D6+D7 ≠ D29+D30``, ``表三!SUM(D6:D12) ≠ D29``, ``一、总体情况!C4:C12``,
``表三!D8 ≠ 上年 表三!D30``); :func:`location_cells` turns them into cells. A cell of last
year's report (after ``上年``) is not a cell of this workbook and is left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .findings import Finding
from .records import record
from .writers.atomic import write_atomic

if TYPE_CHECKING:
    from openpyxl.workbook import Workbook

FINDINGS_SHEET = "审核意见"
ANNOTATED_SUFFIX = "（审核标注）"
MAX_RANGE_CELLS = 400  # a range larger than this is marked by its first and last cells
FILL = {"error": "FFC7CE", "warning": "FFEB9C", "info": "DDEBF7"}

# a sheet name before "!": quoted ('表 三'!), or a run of characters that are not operators
_SHEET = re.compile(r"(?:'((?:[^']|'')+)'|([^\s!+≠=<>()'，,;；]+))!")
_CELL = re.compile(
    r"(?<![A-Za-z0-9_])\$?([A-Z]{1,3})\$?(\d{1,7})(?::\$?([A-Z]{1,3})\$?(\d{1,7}))?(?![A-Za-z0-9_(])"
)
_PREVIOUS = "上年"


@record(frozen=True)
class CellRef:
    sheet: str
    row: int
    col: int

    @property
    def coordinate(self) -> str:
        from openpyxl.utils import get_column_letter

        return f"{get_column_letter(self.col)}{self.row}"

    @property
    def link(self) -> str:
        """An internal hyperlink target: #'表三'!D6."""
        return "#'" + self.sheet.replace("'", "''") + "'!" + self.coordinate


def location_cells(location: str) -> list[CellRef]:
    """The cells of this workbook a location names, in order, without repeats."""
    from openpyxl.utils import column_index_from_string

    out: list[CellRef] = []
    seen: set[CellRef] = set()
    marks = list(_SHEET.finditer(location))
    for i, m in enumerate(marks):
        sheet = (m.group(1) or "").replace("''", "'") or m.group(2)
        # a sheet of last year's report: "上年 表三!D30"
        if location[: m.start()].rstrip().endswith(_PREVIOUS):
            continue
        end = marks[i + 1].start() if i + 1 < len(marks) else len(location)
        segment = location[m.end() : end]
        # stop before a following "上年 …" part that names no sheet
        cut = segment.find(_PREVIOUS)
        if cut >= 0:
            segment = segment[:cut]
        for c in _CELL.finditer(segment):
            try:
                c1, r1 = column_index_from_string(c.group(1)), int(c.group(2))
                c2 = column_index_from_string(c.group(3)) if c.group(3) else c1
                r2 = int(c.group(4)) if c.group(4) else r1
            except ValueError:
                continue
            if c1 > 16384 or c2 > 16384 or r1 < 1 or r2 < 1:
                continue
            rows = range(min(r1, r2), max(r1, r2) + 1)
            cols = range(min(c1, c2), max(c1, c2) + 1)
            cells = [CellRef(sheet, r, k) for r in rows for k in cols]
            if len(cells) > MAX_RANGE_CELLS:
                cells = [cells[0], cells[-1]]
            for ref in cells:
                if ref not in seen:
                    seen.add(ref)
                    out.append(ref)
    return out


def annotated_name(path: Path) -> str:
    return f"{path.stem}{ANNOTATED_SUFFIX}{path.suffix}"


def annotate_workbook(
    book: str | Path, findings: Sequence[Finding], output: str | Path | None = None
) -> Path:
    """Write an annotated copy of ``book`` (default: beside it); returns its path."""
    from openpyxl import load_workbook

    src = Path(book)
    out = Path(output) if output is not None else src.with_name(annotated_name(src))
    if out.resolve() == src.resolve():
        from .errors import OutputError

        raise OutputError(out, "标注副本不能覆盖原工作簿")
    keep_vba = src.suffix.lower() == ".xlsm"
    wb = load_workbook(src, keep_vba=keep_vba, rich_text=True)
    mark_findings(wb, findings)
    write_atomic(out, wb.save)
    return out


def mark_findings(wb: Workbook, findings: Iterable[Finding]) -> None:
    """Highlight and comment every named cell; add the findings sheet first."""
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.hyperlink import Hyperlink

    from .writers.xlsx_writer import FILL_HEAD, FONT, as_text

    notes: dict[CellRef, list[Finding]] = {}
    rows: list[tuple[Finding, CellRef | None]] = []
    for f in findings:
        cells = [c for c in location_cells(f.location) if c.sheet in wb.sheetnames]
        rows.append((f, cells[0] if cells else None))
        for c in cells:
            notes.setdefault(c, []).append(f)
    for ref, items in notes.items():
        cell = wb[ref.sheet].cell(ref.row, ref.col)
        if type(cell).__name__ == "MergedCell":
            continue  # inside a merged block: its top-left cell carries the mark
        worst = min(items, key=lambda f: f.severity.rank)
        cell.fill = PatternFill("solid", fgColor=FILL[worst.severity.value])
        text = "\n".join(f"{f.rule}（{f.severity.label}）：{f.message}" for f in items)
        comment = Comment(text[:30000], "gdr-gen 审核")
        comment.width, comment.height = 360, min(60 + 40 * len(items), 400)
        cell.comment = comment
        # printed (and exported to PDF) with the comments listed after the sheet
        wb[ref.sheet].page_setup.cellComments = "atEnd"

    name = FINDINGS_SHEET
    while name in wb.sheetnames:
        name += "_"
    ws = wb.create_sheet(name, 0)
    bold = Font(name=FONT, size=10, bold=True)
    body = Font(name=FONT, size=10)
    link_font = Font(name=FONT, size=10, color="0563C1", underline="single")
    head = ("规则", "级别", "位置", "说明")
    for col, text in enumerate(head, start=1):
        hcell = ws.cell(1, col, text)
        hcell.font = bold
        hcell.fill = PatternFill("solid", fgColor=FILL_HEAD)
    for r, (f, target) in enumerate(rows, start=2):
        values = (f.rule, f.severity.label, f.location, f.message)
        for col, text in enumerate(values, start=1):
            tcell = as_text(ws.cell(r, col, text))
            tcell.font = body
            tcell.alignment = Alignment(wrap_text=True, vertical="top")
        if target is not None:
            loc = ws.cell(r, 3)
            # an internal link (the location part of #'表三'!D6): no external relationship
            loc.hyperlink = Hyperlink(ref=loc.coordinate, location=target.link[1:])
            loc.font = link_font
        ws.cell(r, 2).fill = PatternFill("solid", fgColor=FILL[f.severity.value])
    if not rows:
        ws.cell(2, 1, "未发现问题").font = body
    for letter, width in zip("ABCD", (10, 8, 34, 80), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    wb.active = 0
    for sheet in wb.worksheets[1:]:
        sheet.sheet_view.tabSelected = False
