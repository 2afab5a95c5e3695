"""Building blocks for describing an official report format as data.

A format version (2021 now, 2019 later) is a :class:`FormatSpec`: the section skeleton,
the JSON keys of every table row, and each table as a grid of :class:`GridCell` with the
official labels and merges. Every view (workbook template, workbook reader, checks, Word
and HTML tables) is driven by these objects, so a label exists exactly once.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import field
from functools import cached_property
from typing import Literal

from ..records import record

# A value's address in the report data, mirroring the JSON structure:
# ("requests", "new", 0), ("proactive", "normative_documents", "in_force"), ("proactive", "fees")
ValuePath = tuple[str | int, ...]

# The report year as a "value": readers mark it invalid when it could not be read, so the
# rules that compare years (META, cross-year) stay silent instead of using a stand-in.
YEAR_PATH: ValuePath = ("year",)

ValueKind = Literal["count", "money"]
CellRole = Literal["title", "header", "label", "value", "total"]


def path_str(path: ValuePath) -> str:
    """JSON-style location of a value: requests.new[0], proactive.fees."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


@record(frozen=True)
class GridCell:
    """One (possibly merged) cell of an official table, in grid coordinates (0-based)."""

    row: int
    col: int
    text: str | None = None
    ref: ValuePath | None = None
    rowspan: int = 1
    colspan: int = 1
    role: CellRole = "label"
    kind: ValueKind = "count"

    @property
    def is_value(self) -> bool:
        return self.ref is not None


@record(frozen=True)
class TableSpec:
    """One statistical table: its name, grid size and cells."""

    key: str  # "proactive" | "requests" | "appeals": the JSON key it renders
    name: str  # 表二
    n_rows: int
    n_cols: int
    header_rows: int  # rows repeated at the top of each printed page
    cells: tuple[GridCell, ...]
    col_weights: tuple[float, ...] = ()  # relative column widths for printed views

    def value_cells(self) -> Iterator[GridCell]:
        return (c for c in self.cells if c.ref is not None)

    def cell_for(self, path: ValuePath) -> GridCell:
        try:
            return self._cell_by_ref[path]
        except TypeError:  # an unhashable address (a list): compare one by one
            for c in self.cells:
                if c.ref == path:
                    return c
        raise KeyError(path)

    @cached_property
    def _cell_by_ref(self) -> dict[ValuePath, GridCell]:
        """Value address → its cell (the first, as a scan would find), built once."""
        out: dict[ValuePath, GridCell] = {}
        for c in self.cells:
            if c.ref is not None:
                out.setdefault(c.ref, c)
        return out

    def covered(self) -> dict[tuple[int, int], GridCell]:
        """Map each grid position to the cell that covers it (merges included)."""
        out: dict[tuple[int, int], GridCell] = {}
        for c in self.cells:
            for r in range(c.row, c.row + c.rowspan):
                for k in range(c.col, c.col + c.colspan):
                    out[(r, k)] = c
        return out


@record(frozen=True)
class RowDef:
    """A data row of 表三 / 表四 with its JSON key and official label(s)."""

    key: str
    label: str
    group: str | None = None  # 三、本年度办理结果
    subgroup: str | None = None  # （三）不予公开
    is_result: bool = False  # one of the 21 result rows summed into （七）总计
    is_total: bool = False  # （七）总计
    short: str | None = None  # short name used in messages

    @property
    def display(self) -> str:
        return self.short or self.label


@record(frozen=True)
class DocRowDef:
    """表二 第二十条第（一）项 rows: 规章, 行政规范性文件."""

    key: str
    label: str


@record(frozen=True)
class SectionSpec:
    """One of the six numbered sections of the report: its number, title and prose key."""

    number: str  # 一
    title: str  # 总体情况
    narrative_key: str | None = None  # overview | problems | other
    table_key: str | None = None  # proactive | requests | appeals

    @property
    def heading(self) -> str:
        return f"{self.number}、{self.title}"


@record(frozen=True)
class FormatSpec:
    """One version of the official format: sections, the three tables and their labels."""

    version: str
    name: str  # 国办公开办函〔2021〕30号
    sections: tuple[SectionSpec, ...]
    tables: tuple[TableSpec, ...]
    applicant_columns: tuple[str, ...]  # 自然人 … 其他 (without 总计)
    request_rows: tuple[RowDef, ...]
    appeal_outcomes: tuple[str, ...]  # 结果维持 … 尚未审结 (without 总计)
    appeal_rows: tuple[RowDef, ...]
    doc_rows: tuple[DocRowDef, ...]
    doc_columns: tuple[tuple[str, str], ...]  # (json key, label): issued/repealed/in_force
    decision_keys: tuple[tuple[str, str], ...]  # (json key, label): licensing …
    money_keys: tuple[tuple[str, str], ...]  # (json key, label): fees
    money_unit: str = "万元"
    total_label: str = "总计"
    extras: dict[str, str] = field(default_factory=dict)

    def table(self, key: str) -> TableSpec:
        for t in self.tables:
            if t.key == key:
                return t
        raise KeyError(key)

    def request_row(self, key: str) -> RowDef:
        return self._rows_by_key[0][key]

    def appeal_row(self, key: str) -> RowDef:
        return self._rows_by_key[1][key]

    @cached_property
    def _rows_by_key(self) -> tuple[dict[str, RowDef], dict[str, RowDef]]:
        """表三 and 表四 rows by JSON key (the first of a key, as a scan would find)."""
        requests: dict[str, RowDef] = {}
        appeals: dict[str, RowDef] = {}
        for r in self.request_rows:
            requests.setdefault(r.key, r)
        for r in self.appeal_rows:
            appeals.setdefault(r.key, r)
        return requests, appeals

    @property
    def result_rows(self) -> tuple[RowDef, ...]:
        return tuple(r for r in self.request_rows if r.is_result)

    @property
    def request_columns(self) -> tuple[str, ...]:
        """The 7 column names of a 表三 row, 总计 last."""
        return (*self.applicant_columns, self.total_label)

    @property
    def appeal_columns(self) -> tuple[str, ...]:
        return (*self.appeal_outcomes, self.total_label)

    def label_of(self, path: ValuePath) -> str:
        """Human name of a value, for messages: 表三「一、本年新收…」自然人."""
        head = path[0]
        if head == "requests":
            row = self.request_row(str(path[1]))
            col = self.request_columns[int(path[2])]
            return f"表三「{row.display}」{col}"
        if head == "appeals":
            arow = self.appeal_row(str(path[1]))
            col = self.appeal_columns[int(path[2])]
            return f"表四「{arow.display}」{col}"
        if head == "proactive":
            key = str(path[1])
            for d in self.doc_rows:
                if d.key == key:
                    colname = dict(self.doc_columns)[str(path[2])]
                    return f"表二「{d.label}」{colname}"
            names = dict(self.decision_keys) | dict(self.money_keys)
            return f"表二「{names[key]}」"
        return path_str(path)
