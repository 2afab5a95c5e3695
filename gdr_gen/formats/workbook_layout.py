"""Where everything lives in the fill-in workbook, as data shared by its writer and reader.

The official tables come from the format definition (:mod:`gdr_gen.formats`); this module
only says on which sheet each grid goes and at which offset, which rows of 基本信息 hold
which field, how the prose sheets are laid out, and which cells are totals (formulas).
Change the layout here and bump :data:`LAYOUT_REVISION`: workbooks of another revision
are then refused by the reader instead of being misread.
"""

from __future__ import annotations

from typing import Literal

from ..records import record
from .base import FormatSpec, TableSpec, ValuePath

LAYOUT_REVISION = 1
STAMP_PREFIX = "gdr-gen 填报工作簿"
DEFAULT_BOOK_NAME = "政府信息公开年报填报表.xlsx"

FieldKind = Literal["text", "year", "agency_kind", "bool", "date", "count", "money", "longtext"]


@record(frozen=True)
class InfoField:
    """One row of the 基本信息 sheet: label in column A, input in column B, note in C."""

    key: str  # agency, year, …, processing_fee.cases, narrative.preface
    label: str
    kind: FieldKind
    note: str
    row: int = 0  # sheet row (1-based), filled in by the layout


@record(frozen=True)
class TableSheet:
    """A statistical table on its own sheet; grid (0, 0) sits at (origin_row, origin_col)."""

    table: TableSpec
    sheet: str
    title: str
    note: str
    landscape: bool = False
    origin_row: int = 3
    origin_col: int = 1

    def at(self, grid_row: int, grid_col: int) -> tuple[int, int]:
        """Sheet (row, column), 1-based, of a grid position."""
        return self.origin_row + grid_row, self.origin_col + grid_col

    @property
    def last_row(self) -> int:
        return self.origin_row + self.table.n_rows - 1

    @property
    def last_col(self) -> int:
        return self.origin_col + self.table.n_cols - 1


@record(frozen=True)
class ProseSheet:
    """Prose of section 一/五/六: an intro row, then one row per subsection (title, text)."""

    key: str  # overview | problems | other
    sheet: str  # 一、总体情况
    note: str
    min_slots: int
    header_row: int = 3
    intro_row: int = 4
    first_row: int = 5  # first subsection row
    number_col: int = 1
    title_col: int = 2
    text_col: int = 3
    max_rows: int = 2000  # rows beyond this are not read (bounded work on hostile files)


@record(frozen=True)
class WorkbookLayout:
    """Where a format's fields and tables sit in the fill-in workbook."""

    spec: FormatSpec
    info_sheet: str
    info_title: str
    info_fields: tuple[InfoField, ...]
    stamp_row: int
    tables: tuple[TableSheet, ...]
    prose: tuple[ProseSheet, ...]
    guide_sheet: str
    info_header: tuple[str, str, str] = ("项目", "填写内容", "说明")
    prose_header: tuple[str, str, str] = ("序号", "小标题", "正文（每段一行）")
    intro_label: str = "引言"
    stamp_label: str = "模板版本"
    value_col: int = 2

    @property
    def stamp(self) -> str:
        """The template version stamp written to 基本信息 and required by the reader."""
        return f"{STAMP_PREFIX} {self.spec.version}-{LAYOUT_REVISION}"

    @property
    def required_sheets(self) -> tuple[str, ...]:
        return (
            self.info_sheet,
            *(p.sheet for p in self.prose[:1]),
            *(t.sheet for t in self.tables),
            *(p.sheet for p in self.prose[1:]),
        )

    @property
    def sheet_order(self) -> tuple[str, ...]:
        return (self.guide_sheet, *self.required_sheets)

    def field(self, key: str) -> InfoField:
        for f in self.info_fields:
            if f.key == key:
                return f
        raise KeyError(key)

    def table_sheet(self, key: str) -> TableSheet:
        for t in self.tables:
            if t.table.key == key:
                return t
        raise KeyError(key)

    def prose_sheet(self, key: str) -> ProseSheet:
        for p in self.prose:
            if p.key == key:
                return p
        raise KeyError(key)

    def cell_of(self, path: ValuePath) -> tuple[str, int, int]:
        """(sheet, row, col) of a table value."""
        ts = self.table_sheet(str(path[0]))
        c = ts.table.cell_for(path)
        return (ts.sheet, *ts.at(c.row, c.col))

    def total_parts(self, path: ValuePath) -> tuple[ValuePath, ...]:
        """The values a total (总计) cell adds up; () for a cell the office fills in."""
        head, key = str(path[0]), str(path[1])
        if head == "requests":
            n = len(self.spec.applicant_columns)
            col = int(path[2])
            if col == n:
                return tuple(("requests", key, i) for i in range(n))
            if self.spec.request_row(key).is_total:
                return tuple(("requests", r.key, col) for r in self.spec.result_rows)
        if head == "appeals":
            n = len(self.spec.appeal_outcomes)
            if int(path[2]) == n:
                return tuple(("appeals", key, i) for i in range(n))
        return ()


_INFO_FIELDS = (
    InfoField("agency", "机关全称", "text", "与年报标题中的机关名称一致，如：巫山县人民政府"),
    InfoField("year", "年度", "year", "统计年度：本报告统计该年 1 月 1 日至 12 月 31 日的数据"),
    InfoField(
        "agency_kind",
        "机关类型",
        "agency_kind",
        "人民政府（本级政府年报，3 月 31 日前发布）或政府部门（1 月 31 日前发布）",
    ),
    InfoField(
        "rulemaking",
        "是否有规章制定权",
        "bool",
        "国务院部门、省级人民政府、设区的市和自治州人民政府填“是”，其他填“否”（表二规章一行应为 0）",
    ),
    InfoField(
        "publish_date", "发布日期", "date", "年报的发布（落款）日期，如 2023-01-20；可暂不填"
    ),
    InfoField(
        "processing_fee.cases",
        "信息处理费收费件数",
        "count",
        "本年收取信息处理费的申请件数，未收取填 0；未统计可留空",
    ),
    InfoField(
        "processing_fee.amount_yuan",
        "信息处理费金额（元）",
        "money",
        "本年收取的信息处理费总额，单位：元（注意：表二收费金额的单位是万元）",
    ),
    InfoField(
        "narrative.preface",
        "开头段落",
        "longtext",
        "可不填：不填时按标准表述生成（依据《条例》和国办公开办函〔2021〕30号，写明统计期限）",
    ),
)

_TABLE_NOTES = {
    "proactive": "黄色格子填写：件数填整数，没有请填 0；收费金额单位为万元，可带小数。",
    "requests": "黄色格子填写件数（没有请填 0）；灰色格子是自动计算的总计，请勿改写。"
    "每一列都应满足左上角的勾稽关系：一 + 二 = （七）总计 + 四。",
    "appeals": "黄色格子填写件数（没有请填 0）；灰色格子是自动计算的总计，请勿改写。",
}

_PROSE_NOTES = {
    "overview": "应涵盖主动公开、依申请公开、政府信息管理、政府信息公开平台建设、监督保障等方面"
    "（人民政府还应包括工作考核、社会评议和责任追究结果情况）。",
    "problems": "写明存在的主要问题、改进措施，以及上一年度问题的整改情况。",
    "other": "写明信息处理费的收取情况（未收取也要写明），以及其他需要报告的事项。",
}
PROSE_HOWTO = (
    "每个段落占一行：在单元格内按 Alt+Enter（Mac 上按 Option+Return）另起一段。"
    "小标题不要加编号，生成报告时自动编为（一）（二）……；行不够可以插入行。"
)


_LAYOUTS: dict[str, WorkbookLayout] = {}


def layout_for(spec: FormatSpec) -> WorkbookLayout:
    """The workbook layout of a format version (built once per version)."""
    if spec.version not in _LAYOUTS:
        _LAYOUTS[spec.version] = _build_layout(spec)
    return _LAYOUTS[spec.version]


def _build_layout(spec: FormatSpec) -> WorkbookLayout:
    fields = tuple(
        InfoField(f.key, f.label, f.kind, f.note, row=3 + i) for i, f in enumerate(_INFO_FIELDS)
    )
    sections = {s.table_key or s.narrative_key: s for s in spec.sections}
    tables = tuple(
        TableSheet(
            table=t,
            sheet=t.name,
            title=f"{t.name}　{sections[t.key].heading}",
            note=_TABLE_NOTES[t.key],
            landscape=t.n_cols > 10,
        )
        for t in spec.tables
    )
    prose = tuple(
        ProseSheet(
            key=s.narrative_key,
            sheet=s.heading,
            note=_PROSE_NOTES[s.narrative_key] + PROSE_HOWTO,
            min_slots=8 if s.narrative_key == "overview" else 4,
        )
        for s in spec.sections
        if s.narrative_key
    )
    return WorkbookLayout(
        spec=spec,
        info_sheet="基本信息",
        info_title="基本信息",
        info_fields=fields,
        stamp_row=fields[-1].row + 2,
        tables=tables,
        prose=prose,
        guide_sheet="填表说明",
    )


_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (for （一）（二）… up to 99)."""
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else _DIGITS[tens]
    return head + "十" + (_DIGITS[ones] if ones else "")


def subsection_number(i: int) -> str:
    """（一）（二）… for the i-th subsection (1-based): the report and the workbook alike."""
    return f"（{chinese_number(i)}）"


def column_letter(col: int) -> str:
    """1 → A, 27 → AA."""
    out = ""
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def coord_name(row: int, col: int) -> str:
    return f"{column_letter(col)}{row}"


def compact_refs(coords: list[tuple[int, int]]) -> list[str]:
    """Cell names, with a run of 3+ adjacent cells in one row or column as ``D8:D28``."""
    if len(coords) >= 3:
        rows = {r for r, _ in coords}
        cols = {c for _, c in coords}
        ordered = sorted(coords)
        if len(cols) == 1 and [r for r, _ in ordered] == list(
            range(ordered[0][0], ordered[-1][0] + 1)
        ):
            return [f"{coord_name(*ordered[0])}:{coord_name(*ordered[-1])}"]
        if len(rows) == 1 and [c for _, c in ordered] == list(
            range(ordered[0][1], ordered[-1][1] + 1)
        ):
            return [f"{coord_name(*ordered[0])}:{coord_name(*ordered[-1])}"]
    return [coord_name(r, c) for r, c in coords]


def sum_formula(coords: list[tuple[int, int]]) -> str:
    """``SUM(D6:I6)`` (without the leading '='), the formula of a total cell."""
    return f"SUM({','.join(compact_refs(coords))})"
