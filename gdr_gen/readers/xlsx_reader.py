"""Read the fill-in workbook back into the report model.

Every value is found through the format definition and the workbook layout
(:mod:`gdr_gen.formats.workbook_layout`), and the layout is verified first: a damaged,
foreign or other-version workbook is refused (InputError, exit 2) with the sheet and cell
that gave it away, instead of being misread. Formula cells are never trusted: every total
is recomputed from its parts, and a stored result that differs is a finding at that cell.
What people type is normalised (full-width digits, thousands separators, spaces, a
trailing 件); anything else is a finding at its cell (``表三!D6``), never an exception.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..findings import Finding, Locator, Severity, make_finding
from ..formats import FORMATS, YEAR_PATH, ValuePath, get_format, path_str
from ..formats.workbook_layout import (
    LAYOUT_REVISION,
    STAMP_PREFIX,
    TableSheet,
    WorkbookLayout,
    compact_refs,
    coord_name,
    layout_for,
    sum_formula,
)
from ..model import (
    AGENCY_KINDS,
    MAX_COUNT,
    Narrative,
    NarrativeSection,
    Number,
    ProcessingFee,
    Report,
    Subsection,
)
from . import TITLE_NUMBER, LoadResult, check_input_file
from .xlsx_container import MAX_BOOK_BYTES, check_container
from .xlsx_source import CellSource, OpenpyxlSource

MAX_MONEY = Decimal("1000000000000")
_COUNT_TEXT = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)")
_MONEY_TEXT = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
_STAMP = re.compile(re.escape(STAMP_PREFIX) + r"\s+(\S+)-(\d+)$")
_PLACEHOLDERS = {"-", "—", "——", "/", "无", "空", "／", "－", "n/a", "na"}
_KIND_WORDS = {
    **{label: key for key, label in AGENCY_KINDS.items()},
    **{key: key for key in AGENCY_KINDS},
    "部门": "department",
    "政府": "government",
}
_BOOL_WORDS = {"是": True, "有": True, "否": False, "无": False, "true": True, "false": False}
_DATE_TEXT = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")


# ---------------------------------------------------------------- locator
class WorkbookLocator(Locator):
    """Answers ``表三!D6`` for a value and ``表三!D6+D7 ≠ D29+D30`` for a relation."""

    def __init__(
        self,
        source: str,
        cells: dict[ValuePath, tuple[str, int, int]],
        fields: dict[str, str],
    ) -> None:
        super().__init__(source)
        self._cells = cells
        self.fields = fields

    def where(self, path: ValuePath) -> tuple[str, int, int] | None:
        return self._cells.get(path)

    def cell(self, path: ValuePath) -> str:
        at = self._cells.get(path)
        return f"{at[0]}!{coord_name(at[1], at[2])}" if at else path_str(path)

    def _sheet_of(self, paths: Sequence[ValuePath]) -> str | None:
        sheets = {self._cells[p][0] if p in self._cells else None for p in paths}
        return next(iter(sheets)) if len(sheets) == 1 else None

    def _refs(self, paths: Sequence[ValuePath]) -> str:
        coords = [self._cells[p][1:] for p in paths]
        refs = compact_refs(coords)
        return "+".join(f"SUM({r})" if ":" in r else r for r in refs)

    def cells(self, paths: Sequence[ValuePath]) -> str:
        sheet = self._sheet_of(paths)
        if sheet is None:
            return "+".join(self.cell(p) for p in paths)
        return f"{sheet}!{self._refs(paths)}"

    def relation(self, left: Sequence[ValuePath], op: str, right: Sequence[ValuePath]) -> str:
        sheet = self._sheet_of([*left, *right])
        if sheet is None:
            return f"{self.cells(left)} {op} {self.cells(right)}"
        return f"{sheet}!{self._refs(left)} {op} {self._refs(right)}"

    def field(self, name: str) -> str:
        return self.fields.get(name, name)


def layout_locator(layout: WorkbookLayout, source: str = "") -> WorkbookLocator:
    """A locator for a workbook of this layout (prose cells as in a fresh workbook)."""
    cells: dict[ValuePath, tuple[str, int, int]] = {}
    for ts in layout.tables:
        for c in ts.table.value_cells():
            assert c.ref is not None
            cells[c.ref] = (ts.sheet, *ts.at(c.row, c.col))
    fields = {
        f.key: f"{layout.info_sheet}!{coord_name(f.row, layout.value_col)}"
        for f in layout.info_fields
    }
    for ps in layout.prose:
        fields[f"narrative.{ps.key}"] = f"{ps.sheet}!{coord_name(ps.intro_row, ps.text_col)}"
        fields[f"narrative.{ps.key}.intro"] = fields[f"narrative.{ps.key}"]
    return WorkbookLocator(source, cells, fields)


# ---------------------------------------------------------------- value parsing
def _norm(text: str) -> str:
    """NFKC (full-width digits and commas → ASCII), no whitespace at all, and no leading
    apostrophe (a value pasted as ``'38``: the spreadsheet's "keep as text" mark)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lstrip("'‘’")


def _label_norm(value: Any) -> str:
    return re.sub(r"\s+", "", str(value)) if value is not None else ""


def _shown(value: Any, limit: int = 24) -> str:
    """A stored value for a message: a 400-digit number is cut, not printed whole."""
    text = str(value).strip() if not isinstance(value, float) else repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def parse_count(value: Any) -> tuple[int | None, str]:
    """(count, "") or (None, why not) for a count cell's stored value."""
    if isinstance(value, bool):
        return None, f"是逻辑值 {'TRUE' if value else 'FALSE'}，件数应为整数"
    if isinstance(value, int):
        if abs(value) > MAX_COUNT:
            return None, f"为 {_shown(value)}，数值大得不合理（超过 {MAX_COUNT:,}），请核对"
        return value, ""
    if isinstance(value, float):
        if not math.isfinite(value):  # 1e999 stored in the file reads as inf
            return None, f"为 {value!r}，不是有限的数值（数值溢出或不是数），请核对"
        if not value.is_integer():
            return None, f"为 {_shown(value)}，件数应为整数，不能有小数"
        if abs(value) > MAX_COUNT:
            return None, f"为 {_shown(value)}，数值大得不合理（超过 {MAX_COUNT:,}），请核对"
        return parse_count(int(value))
    if isinstance(value, datetime | date):
        return None, f"是日期（{value:%Y-%m-%d}），件数应为整数；单元格格式可能被改成了日期"
    if isinstance(value, str):
        t = _norm(value).removesuffix("件")
        if _COUNT_TEXT.fullmatch(t):
            if len(t) > 20:  # int() refuses more than 4300 digits; nothing this long is a count
                return None, f"为 {_shown(value)}，数值大得不合理（超过 {MAX_COUNT:,}），请核对"
            return parse_count(int(t.replace(",", "")))
        if t.lower() in _PLACEHOLDERS:
            return None, f"填的是“{value.strip()}”；没有的数据请填 0"
        try:
            d = Decimal(t.replace(",", ""))
            if d.is_finite():
                return None, f"填的是“{_shown(value)}”，件数应为整数，不能有小数"
        except InvalidOperation:
            pass
        return None, f"填的是“{_shown(value, 40)}”，件数应为不小于 0 的整数"
    return None, f"的内容无法识别（{type(value).__name__}）"


def parse_money(value: Any, units: tuple[str, ...] = ("万元", "元")) -> tuple[Decimal | None, str]:
    """(amount, "") or (None, why not). Floats via repr: no binary rounding."""
    if isinstance(value, bool | datetime | date):
        return None, "不是金额"
    d: Decimal | None = None
    if isinstance(value, int):
        d = Decimal(value)
    elif isinstance(value, float):
        if not math.isfinite(value):  # 1e999 stored in the file reads as inf
            return None, f"为 {value!r}，不是有限的数值（数值溢出或不是数），不是有效的金额"
        d = Decimal(repr(value))
    elif isinstance(value, str):
        t = _norm(value)
        for unit in units:
            t = t.removesuffix(unit)
        if _MONEY_TEXT.fullmatch(t):
            d = Decimal(t.replace(",", ""))
        elif t.lower() in _PLACEHOLDERS:
            return None, f"填的是“{value.strip()}”；没有请填 0"
    if d is None:
        return None, f"填的是“{_shown(value, 40)}”，不是有效的金额"
    if abs(d) >= MAX_MONEY:
        return None, f"为 {_shown(value)}，数值大得不合理，请核对"
    if "E" in str(d):  # 1e-05 from a float: plain notation
        d = Decimal(format(d, "f"))
    return d, ""


def _strip_number(title: str) -> str | None:
    """A subsection title without the number people type before it (（一）, 一、, 1.):
    the report numbers subsections itself, so a typed one would print twice. None when
    nothing but a number is left."""
    return TITLE_NUMBER.sub("", title, count=1).strip() or None


def _text(value: Any) -> str | None:
    """A text cell as the report text: newlines normalised, outer whitespace removed."""
    if value is None:
        return None
    if isinstance(value, datetime):
        value = value.date().isoformat() if value.time() == datetime.min.time() else value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").strip()
    return text or None


# ---------------------------------------------------------------- the reader
class _Reader:
    def __init__(self, path: Path, src: CellSource) -> None:
        self.path = path
        self.src = src
        self.findings: list[Finding] = []
        self.invalid: set[ValuePath] = set()

    # ---- layout verification
    def fail(self, reason: str, hint: str | None = None) -> InputError:
        return InputError(self.path, reason, hint=hint)

    def detect_layout(self) -> WorkbookLayout:
        names = self.src.sheet_names()
        current = layout_for(get_format())
        info = current.info_sheet
        if info not in names:
            present = [s for s in current.required_sheets if s in names]
            if not present:
                raise self.fail(
                    "这不是 gdr-gen 的填报工作簿：没有“基本信息”“表二”“表三”“表四”等工作表"
                    f"（现有工作表：{'、'.join(names) or '无'}）",
                    "请用 gdr-gen init 生成填报工作簿；已有 JSON 数据时用 gdr-gen init --from 数据.json。",
                )
            raise self._missing_sheet(info, names)
        stamp_at = f"{info}!{coord_name(current.stamp_row, current.value_col)}"
        raw = self.src.cell(info, current.stamp_row, current.value_col).value
        m = _STAMP.match(str(raw).strip()) if isinstance(raw, str) else None
        if m is None:
            raise self.fail(
                f"{stamp_at} 应为模板版本标记“{current.stamp}”，实际是"
                f"“{'' if raw is None else raw}”：这不是 gdr-gen 生成的工作簿，或者版本标记被改动、"
                "行被插入或删除",
                "请用 gdr-gen init 重新生成填报工作簿。",
            )
        version, revision = m.group(1), int(m.group(2))
        if version not in FORMATS:
            raise self.fail(
                f"{stamp_at} 的模板版本“{raw}”对应的报告格式 {version} 本程序不支持"
                f"（支持：{'、'.join(sorted(FORMATS))}）",
                "请升级 gdr-gen。",
            )
        layout = layout_for(get_format(version))
        if revision != LAYOUT_REVISION:
            older = revision < LAYOUT_REVISION
            raise self.fail(
                f"{stamp_at}：这是{'旧' if older else '新'}版模板（{raw}）制作的工作簿，"
                f"本程序读取的是“{layout.stamp}”",
                "请用制作它的那一版 gdr-gen 导出数据（gdr-gen export 工作簿.xlsx），"
                "再用 gdr-gen init --from 数据.json 生成新版工作簿。"
                if older
                else "请升级 gdr-gen。",
            )
        for sheet in layout.required_sheets:
            if sheet not in names:
                raise self._missing_sheet(sheet, names)
        return layout

    def _missing_sheet(self, sheet: str, names: list[str]) -> InputError:
        return self.fail(
            f"缺少工作表“{sheet}”（现有工作表：{'、'.join(names)}）；工作表可能被改名或删除",
            f"请把工作表名称改回“{sheet}”，或用 gdr-gen init 重新生成工作簿。",
        )

    def expect_label(
        self, sheet: str, row: int, col: int, expected: str, labels: dict[tuple[int, int], str]
    ) -> None:
        """The label at (row, col) must be ``expected``; ``labels`` are all the labels
        expected on this sheet, used to tell inserted from deleted rows and columns."""
        actual = self.src.cell(sheet, row, col).value
        if _label_norm(actual) == _label_norm(expected):
            return
        where = f"{sheet}!{coord_name(row, col)}"
        why = "；表格的结构被改动了"
        # the label this cell shows belongs elsewhere: rows/columns moved
        homes = [rc for rc, text in labels.items() if _label_norm(text) == _label_norm(actual)]
        same_col = sorted(
            (r for r, c in homes if c == col and r != row), key=lambda r: abs(r - row)
        )
        same_row = sorted(
            (c for r, c in homes if r == row and c != col), key=lambda c: abs(c - col)
        )
        if same_col:
            why = f"（它本应在 {sheet}!{coord_name(same_col[0], col)}），说明表格中" + (
                "删除了行" if same_col[0] > row else "插入了行"
            )
        elif same_row:
            why = f"（它本应在 {sheet}!{coord_name(row, same_row[0])}），说明表格中" + (
                "删除了列" if same_row[0] > col else "插入了列"
            )
        else:
            want = _label_norm(expected)
            for d in range(1, 7):
                moves = [(row + d, col, "插入了行"), (row - d, col, "删除了行")]
                moves += [(row, col + d, "插入了列"), (row, col - d, "删除了列")]
                found = [
                    (r, c, what)
                    for r, c, what in moves
                    if r >= 1 and c >= 1 and _label_norm(self.src.cell(sheet, r, c).value) == want
                ]
                if found:
                    r, c, what = found[0]
                    why = f"；这个标签现在在 {sheet}!{coord_name(r, c)}，说明表格中{what}"
                    break
        shown = "空白" if actual is None else f"“{actual}”"
        raise self.fail(
            f"{where} 应为“{expected}”，实际是{shown}{why}",
            "请不要在表格中插入、删除或移动行和列。可撤销改动，或用 gdr-gen init 生成新工作簿后重新填写"
            "（已填的数据可先用 gdr-gen init --from 旧工作簿.xlsx 迁移，前提是旧工作簿结构完好）。",
        )

    def verify(self, layout: WorkbookLayout) -> None:
        info = layout.info_sheet
        header_row = layout.info_fields[0].row - 1
        expected = {(header_row, c): t for c, t in enumerate(layout.info_header, start=1)}
        expected |= {(f.row, 1): f.label for f in layout.info_fields}
        self.expect_labels(info, expected)
        for ts in layout.tables:
            grid = {ts.at(gc.row, gc.col): gc.text for gc in ts.table.cells if gc.text is not None}
            self.expect_labels(ts.sheet, grid)
            # a row inserted below the last label of a table shows in the grid's value cells
            after = ts.last_row + 1
            for col in range(ts.origin_col, ts.last_col + 1):
                raw = self.src.cell(ts.sheet, after, col)
                if not raw.is_blank:
                    raise self.fail(
                        f"{ts.sheet}!{coord_name(after, col)} 在表格下方，应为空白，实际是"
                        f"“{raw.value if raw.formula is None else '=' + raw.formula}”"
                        "；表格中可能插入了行",
                        "请不要在表格中插入、删除或移动行和列。",
                    )
        for ps in layout.prose:
            cols = (ps.number_col, ps.title_col, ps.text_col)
            prose = {(ps.header_row, c): t for c, t in zip(cols, layout.prose_header, strict=True)}
            prose[(ps.intro_row, ps.number_col)] = layout.intro_label
            self.expect_labels(ps.sheet, prose)

    def expect_labels(self, sheet: str, labels: dict[tuple[int, int], str]) -> None:
        for (row, col), text in sorted(labels.items()):
            self.expect_label(sheet, row, col, text, labels)

    # ---- findings
    def add(
        self,
        rule: str,
        where: str,
        message: str,
        *,
        paths: Sequence[ValuePath] = (),
        group: str | None = None,
        severity: Severity | None = None,
    ) -> None:
        self.findings.append(
            make_finding(rule, where, message, paths=paths, group=group, severity=severity)
        )

    def input_value(self, sheet: str, row: int, col: int, what: str, group: str) -> Any:
        """The value of a cell the office fills in; a formula there is XL-02."""
        raw = self.src.cell(sheet, row, col)
        if raw.formula is not None:
            shown = "没有计算结果" if raw.value is None else f"计算结果为 {raw.value}"
            self.add(
                "XL-02",
                f"{sheet}!{coord_name(row, col)}",
                f"{what} 是公式 ={raw.formula}（{shown}）；填写格应直接填写，不要用公式",
                group=group,
            )
        return raw.value

    # ---- 基本信息
    def info(self, layout: WorkbookLayout) -> dict[str, Any]:
        sheet, col = layout.info_sheet, layout.value_col
        out: dict[str, Any] = {}
        group = "基本信息"
        for f in layout.info_fields:
            where = f"{sheet}!{coord_name(f.row, col)}"
            value = self.input_value(sheet, f.row, col, f"基本信息“{f.label}”", group)
            blank = value is None or (isinstance(value, str) and not value.strip())

            def bad(
                message: str, rule: str = "DATA-01", *, label: str = f.label, where: str = where
            ) -> None:
                self.add(rule, where, f"基本信息“{label}”{message}", group=group)

            if f.kind in ("text", "longtext"):
                text = _text(value)
                if f.key == "agency" and text is None:
                    bad("未填写：请填写机关全称")
                out[f.key] = text
            elif f.kind == "year":
                year: int | None = None
                if not blank:
                    n, _ = parse_count(
                        str(value).removesuffix("年") if isinstance(value, str) else value
                    )
                    year = n if n is not None and 2000 <= n <= 2100 else None
                if year is None:
                    self.invalid.add(YEAR_PATH)  # the stand-in 2000 is compared with nothing
                    bad("未填写" if blank else f"为“{value}”，应为 2000–2100 之间的四位数年份")
                out[f.key] = year if year is not None else 2000
            elif f.kind == "agency_kind":
                kind = _KIND_WORDS.get(_norm(str(value))) if not blank else None
                if kind is None:
                    choices = "或".join(f"“{v}”" for v in AGENCY_KINDS.values())
                    bad(("未填写" if blank else f"为“{value}”") + f"，请选择{choices}")
                out[f.key] = kind or "government"
            elif f.kind == "bool":
                flag = value if isinstance(value, bool) else None
                if flag is None and not blank:
                    flag = _BOOL_WORDS.get(_norm(str(value)).lower())
                if flag is None:
                    bad(("未填写" if blank else f"为“{value}”") + "，请选择“是”或“否”")
                out[f.key] = bool(flag)
            elif f.kind == "date":
                out[f.key] = None if blank else self._date(value, bad)
            elif f.kind == "count":
                if blank:
                    out[f.key] = None
                else:
                    n, why = parse_count(value)
                    if n is None:
                        bad(why, "VAL-01")
                    out[f.key] = n if n is not None else 0
            elif f.kind == "money":
                if blank:
                    out[f.key] = Decimal("0")
                else:
                    d, why = parse_money(value, ("元",))
                    if d is None:
                        bad(why, "VAL-02")
                    out[f.key] = d if d is not None else Decimal("0")
        return out

    @staticmethod
    def _date(value: Any, bad: Any) -> date | None:
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if (
            isinstance(value, int | float)
            and not isinstance(value, bool)
            and 36526 <= value < 73415
        ):
            from openpyxl.utils.datetime import from_excel

            return from_excel(int(value)).date()
        if isinstance(value, str):
            m = _DATE_TEXT.fullmatch(_norm(value))
            if m:
                try:
                    return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
                except ValueError:
                    pass
        bad(f"为“{value}”，不是有效的日期（如 2023-01-20）")
        return None

    # ---- tables
    def tables(self, layout: WorkbookLayout) -> dict[ValuePath, Number]:
        values: dict[ValuePath, Number] = {}
        spec = layout.spec
        for ts in layout.tables:
            blanks: list[str] = []
            for gc in ts.table.value_cells():
                if gc.role != "value":
                    continue
                assert gc.ref is not None
                path: ValuePath = gc.ref
                row, col = ts.at(gc.row, gc.col)
                where = f"{ts.sheet}!{coord_name(row, col)}"
                label = spec.label_of(path)
                value = self.input_value(ts.sheet, row, col, label, ts.table.name)
                rule = "VAL-02" if gc.kind == "money" else "VAL-01"
                parsed: Number | None
                if value is None or (isinstance(value, str) and not value.strip()):
                    raw = self.src.cell(ts.sheet, row, col)
                    if raw.formula is not None:  # a formula without a result: unusable
                        self.invalid.add(path)
                    else:
                        blanks.append(coord_name(row, col))
                    parsed, why = (Decimal("0") if gc.kind == "money" else 0), ""
                elif gc.kind == "money":
                    parsed, why = parse_money(value)
                else:
                    parsed, why = parse_count(value)
                if parsed is None:
                    self.add(rule, where, f"{label} {why}", paths=[path])
                    self.invalid.add(path)
                    parsed = Decimal("0") if gc.kind == "money" else 0
                values[path] = parsed
            if blanks:
                shown = "、".join(blanks[:5]) + ("等" if len(blanks) > 5 else "")
                self.add(
                    "VAL-04",
                    f"{ts.sheet}!{blanks[0]}"
                    + (f" 等 {len(blanks)} 格" if len(blanks) > 1 else ""),
                    f"{ts.sheet}有 {len(blanks)} 个空白格（{shown}），已按 0 读取；"
                    "正式年报中没有的数据应填 0，不应留空",
                    group=ts.table.name,
                )
        return values

    def totals(self, layout: WorkbookLayout, report: Report) -> None:
        """Recompute every total cell and compare what the workbook shows there."""
        for ts in layout.tables:
            for gc in ts.table.value_cells():
                if gc.role != "total":
                    continue
                assert gc.ref is not None
                self._total(layout, ts, gc.ref, report)

    def _total(
        self, layout: WorkbookLayout, ts: TableSheet, path: ValuePath, report: Report
    ) -> None:
        row, col = ts.at(*self._pos(ts, path))
        where = f"{ts.sheet}!{coord_name(row, col)}"
        parts = layout.total_parts(path)
        coords = [ts.at(*self._pos(ts, p)) for p in parts]
        expected_formula = sum_formula(coords)
        label = layout.spec.label_of(path)
        raw = self.src.cell(ts.sheet, row, col)
        usable = not any(p in self.invalid for p in parts)
        if not usable:  # a sum over an unusable value is unusable too
            self.invalid.add(path)
        expected = report.computed(path)
        shown: int | None = None
        shown_text = ""
        if raw.value is not None:
            n, _ = parse_count(raw.value)
            shown, shown_text = n, str(raw.value)
        formula_ok = raw.formula is not None and _formula_norm(raw.formula) == _formula_norm(
            expected_formula
        )
        if usable and raw.value is not None and shown != expected and formula_ok:
            texts = self._text_parts(ts, parts, raw.value)
            if texts:  # explained by numbers typed as text in its own parts
                self._text_numbers(ts, where, label, shown_text, expected, texts, path)
                return
            if texts is not None and self._text_below(layout, ts, parts):
                return  # a total of totals: the text is reported at the total below
        if usable and raw.value is not None and shown != expected:
            how = (
                ("合计公式被改写为数字" if shown is not None else "合计公式被改写为文字")
                if raw.formula is None
                else ("公式被改动" if not formula_ok else "公式的计算结果未更新")
            )
            self.add(
                "XL-01",
                where,
                f"{label} 显示为 {shown_text}，按各项重新计算（={expected_formula}）应为 "
                f"{expected}，相差 {_diff(shown, expected)}（{how}）；"
                f"请恢复公式 ={expected_formula}",
                paths=[path, *parts],
                group=ts.table.name,
            )
        elif not formula_ok:
            what = (
                "被删除"
                if raw.formula is None and raw.value is None
                else ("被改写为数字" if raw.formula is None else f"被改为 ={raw.formula}")
            )
            self.add(
                "XL-03",
                where,
                f"{label} 的合计公式{what}，应为 ={expected_formula}；"
                f"程序按重新计算的 {expected} 读取，但工作簿中不再自动合计",
                paths=[path],
                group=ts.table.name,
            )

    def _text_parts(
        self, ts: TableSheet, parts: Sequence[ValuePath], shown: Any
    ) -> list[str] | None:
        """When a total shows what SUM gives over its parts as stored (text ignored, as in
        Excel, WPS and LibreOffice): the parts holding numbers typed as text (``'38``,
        ``12件``). None when the shown value is not explained that way."""
        if isinstance(shown, bool) or not isinstance(shown, int | float):
            return None
        total = 0.0
        texts: list[str] = []
        for p in parts:
            row, col = ts.at(*self._pos(ts, p))
            value = self.src.cell(ts.sheet, row, col).value
            if isinstance(value, str):
                texts.append(coord_name(row, col))
            elif isinstance(value, int | float) and not isinstance(value, bool):
                total += value
            elif value is not None:
                return None
        return texts if total == shown else None

    def _text_below(
        self, layout: WorkbookLayout, ts: TableSheet, parts: Sequence[ValuePath]
    ) -> bool:
        """Whether an input cell under these parts (through nested totals) holds text."""
        for p in parts:
            nested = layout.total_parts(p)
            if nested:
                if self._text_below(layout, ts, nested):
                    return True
            elif isinstance(self.src.cell(ts.sheet, *ts.at(*self._pos(ts, p))).value, str):
                return True
        return False

    def _text_numbers(
        self,
        ts: TableSheet,
        where: str,
        label: str,
        shown: str,
        expected: Number,
        texts: list[str],
        path: ValuePath,
    ) -> None:
        cells = "、".join(texts)
        self.add(
            "XL-01",
            where,
            f"{label} 显示为 {shown}，按各项重新计算应为 {expected}：{ts.sheet}!{cells} "
            "中的数字是以文本保存的（如前面带 ' 或带“件”字），表格软件的求和公式不计入文本，"
            f"所以合计格显示的数不对。程序按 {expected} 读取；请在 {cells} 重新输入纯数字，"
            "让工作簿中的合计也正确",
            paths=[path],
            group=ts.table.name,
            severity=Severity.WARNING,
        )

    @staticmethod
    def _pos(ts: TableSheet, path: ValuePath) -> tuple[int, int]:
        c = ts.table.cell_for(path)
        return c.row, c.col

    # ---- prose
    def prose(self, layout: WorkbookLayout, fields: dict[str, str]) -> Narrative:
        narrative = Narrative()
        for ps in layout.prose:
            group = "正文"
            intro = _text(
                self.input_value(ps.sheet, ps.intro_row, ps.text_col, f"{ps.sheet}引言", group)
            )
            sections: list[Subsection] = []
            last = min(self.src.last_row(ps.sheet), ps.max_rows)
            first_cell = f"{ps.sheet}!{coord_name(ps.intro_row, ps.text_col)}"
            for row in range(ps.first_row, last + 1):
                t_where = coord_name(row, ps.title_col)
                x_where = coord_name(row, ps.text_col)
                title = _text(self.input_value(ps.sheet, row, ps.title_col, "小标题", group))
                text = _text(self.input_value(ps.sheet, row, ps.text_col, "正文", group))
                title = _strip_number(title) if title is not None else None
                if title is None and text is None:
                    continue
                if title is None:
                    self.add(
                        "DATA-01",
                        f"{ps.sheet}!{t_where}",
                        f"{ps.sheet}第 {row} 行有正文（{x_where}）但没有小标题，报告中会出现"
                        "只有编号的空标题；请在 "
                        f"{t_where} 填写小标题，或把这段移到上一行的正文格中（单元格内按 Alt+Enter "
                        "另起一段）",
                        group=group,
                    )
                elif text is None:
                    self.add(
                        "DATA-01",
                        f"{ps.sheet}!{x_where}",
                        f"{ps.sheet}第 {row} 行的小标题“{title}”下没有正文（{x_where} 是空白），"
                        "报告中这个小标题下将是空的；请补写正文，或删除这个小标题",
                        group=group,
                        severity=Severity.WARNING,
                    )
                i = len(sections)
                base = f"narrative.{ps.key}.sections[{i}]"
                fields[f"{base}.title"] = f"{ps.sheet}!{t_where}"
                fields[f"{base}.text"] = f"{ps.sheet}!{x_where}"
                fields[base] = f"{ps.sheet}!{t_where}:{x_where}"
                sections.append(Subsection(title or "", text or ""))
            fields[f"narrative.{ps.key}.intro"] = first_cell
            end = coord_name(max(last, ps.intro_row), ps.text_col)
            fields[f"narrative.{ps.key}"] = f"{first_cell}:{end}"
            setattr(narrative, ps.key, NarrativeSection(intro, sections))
        return narrative

    # ---- everything
    def read(self) -> LoadResult:
        layout = self.detect_layout()
        self.verify(layout)
        spec = layout.spec
        info = self.info(layout)
        values = self.tables(layout)
        locator = layout_locator(layout, str(self.path))
        fields = locator.fields
        narrative = self.prose(layout, fields)
        narrative.preface = info["narrative.preface"]
        report = Report.from_values(
            values,
            version=spec.version,
            agency=info["agency"] or "",
            year=info["year"],
            agency_kind=info["agency_kind"],
            rulemaking=info["rulemaking"],
            publish_date=info["publish_date"],
            narrative=narrative,
            processing_fee=ProcessingFee(
                info["processing_fee.cases"], info["processing_fee.amount_yuan"]
            ),
        )
        self.totals(layout, report)
        return LoadResult(report, self.findings, self.invalid, locator, str(self.path))


def _formula_norm(formula: str) -> str:
    return re.sub(r"[\s$]", "", formula).upper().removeprefix("=").removeprefix("_XLFN.")


def _diff(a: int | None, b: Number) -> str:
    if a is None:
        return "—"
    d = a - b
    return str(-d if d < 0 else d)


def wanted_sheets() -> list[str]:
    """Every sheet some format version's workbook needs: what a cell source must load."""
    names: list[str] = []
    for spec in FORMATS.values():
        for name in layout_for(spec).required_sheets:
            if name not in names:
                names.append(name)
    return names


def read_source(src: CellSource, path: str | Path) -> LoadResult:
    """Read a workbook through any :class:`CellSource` (the pluggable part)."""
    return _Reader(Path(path), src).read()


def read_workbook(path: str | Path) -> LoadResult:
    """Read a fill-in workbook. A file that cannot be read raises InputError (exit 2);
    problems inside a readable workbook are findings at their cells."""
    p = Path(path)
    data = check_input_file(p, max_bytes=MAX_BOOK_BYTES)
    check_container(p, data)
    max_rows = max(ps.max_rows for spec in FORMATS.values() for ps in layout_for(spec).prose)
    src = OpenpyxlSource(p, data, wanted_sheets(), max_rows=max_rows)
    return read_source(src, p)


__all__ = [
    "WorkbookLocator",
    "layout_locator",
    "parse_count",
    "parse_money",
    "read_source",
    "read_workbook",
]
