"""Where raw cell values come from: a small, pluggable interface.

The workbook reader asks a :class:`CellSource` for a sheet's cells and never touches the
spreadsheet library itself, so another engine (python-calamine) can be dropped in as long
as it answers the same: each cell's stored value and, for a formula cell, the formula and
its cached result.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from pathlib import Path
from typing import Any, Protocol

from ..errors import InputError
from ..records import record

MAX_COLS = 40  # no sheet of the layout is wider


def cast_number(text: str) -> int | float:
    """openpyxl's rule for a number cell's stored text: an int unless the text has a decimal
    point or an exponent. ``1e999`` gives ``inf``; ValueError for what openpyxl refuses
    (``inf``, ``NaN``, ``1.#INF``, more than 4300 digits)."""
    if "." in text or "E" in text or "e" in text:
        return float(text)
    return int(text)


def safe_value(value: Any) -> Any:
    """A cell value any writer can encode: a lone surrogate (an ``_xD800_`` escape in the
    file) cannot be written as UTF-8 anywhere, so it becomes U+FFFD."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")  # fails on surrogates only; no regex to compile at start
        except UnicodeEncodeError:
            return "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in value)
    return value


@record(frozen=True)
class RawCell:
    """One cell as stored. ``value`` is the cached result for a formula cell (None when the
    file was never calculated, e.g. written by openpyxl); ``formula`` has no leading '='."""

    value: Any = None
    formula: str | None = None

    @property
    def is_blank(self) -> bool:
        return self.formula is None and (
            self.value is None or (isinstance(self.value, str) and not self.value.strip())
        )


BLANK = RawCell()


class CellSource(Protocol):
    def sheet_names(self) -> list[str]: ...

    def cell(self, sheet: str, row: int, col: int) -> RawCell:
        """Row and column are 1-based, as in the spreadsheet."""
        ...

    def last_row(self, sheet: str) -> int:
        """The last row that has any cell (within the rows this source reads)."""
        ...


class LoadedSource:
    """A cell source whose wanted sheets were read into memory when it was opened."""

    _names: list[str]
    _cells: dict[str, dict[tuple[int, int], RawCell]]
    _last: dict[str, int]

    def sheet_names(self) -> list[str]:
        return list(self._names)

    def cell(self, sheet: str, row: int, col: int) -> RawCell:
        return self._cells.get(sheet, {}).get((row, col), BLANK)

    def last_row(self, sheet: str) -> int:
        return self._last.get(sheet, 0)


class OpenpyxlSource(LoadedSource):
    """Cells read with openpyxl in read-only mode, at most ``max_rows`` rows per sheet.

    The file is parsed twice (formulas, then cached values); only the requested sheets are
    read, so a hostile workbook with huge extra sheets costs nothing.
    """

    def __init__(self, path: Path, data: bytes, sheets: list[str], *, max_rows: int) -> None:
        self.path = path
        self._cells: dict[str, dict[tuple[int, int], RawCell]] = {}
        self._last: dict[str, int] = {}
        try:
            try:
                self._open(data, sheets, max_rows)
            except ValueError:
                # openpyxl refuses the whole file over one number cell it cannot cast
                # (<v>inf</v>, <v>NaN</v>, 5000 digits): read that cell's text instead, so
                # the reader reports it at its cell, as the calamine source does
                patched = self._as_text(data, sheets)
                if patched is None:
                    raise
                self._open(patched, sheets, max_rows)
        except InputError:
            raise
        except MemoryError:
            raise InputError(path, "工作簿过大，内存不足，已停止读取") from None
        except Exception as exc:
            name = type(exc).__name__
            if "Entities" in name or "DTD" in name or "External" in name:
                raise InputError(
                    path, "工作簿含有 XML 实体定义，疑似恶意构造的文件，已拒绝读取"
                ) from None
            raise InputError(
                path,
                f"工作簿已损坏或不是有效的 .xlsx 文件（{name}: {exc}）",
                hint="请在 Excel 或 WPS 中打开并另存为 .xlsx 后再试。",
            ) from None

    def _open(self, data: bytes, sheets: list[str], max_rows: int) -> None:
        import openpyxl

        self._cells, self._last = {}, {}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            formulas = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
            values = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                self._names = list(formulas.sheetnames)
                for name in sheets:
                    if name in self._names:
                        self._load(name, formulas[name], values[name], max_rows)
            finally:
                formulas.close()
                values.close()

    @staticmethod
    def _as_text(data: bytes, sheets: list[str]) -> bytes | None:
        """A copy of the package where every number cell of the wanted sheets whose text
        openpyxl cannot cast is marked as a text cell (``t="str"``), so openpyxl gives that
        text like the calamine source does; None when there is no such cell (the error is
        something else)."""
        from .calamine_source import CELL_RE, number_cell_text, sheet_parts

        found = 0

        def mark(m: re.Match[bytes]) -> bytes:
            nonlocal found
            if number_cell_text(m) is None:
                return m.group(0)
            found += 1
            attrs = m.group(1)
            if re.search(rb"\st\s*=", attrs):
                attrs = re.sub(rb"(\s)t\s*=\s*(?:\"n\"|'n')", rb'\1t="str"', attrs, count=1)
            else:
                attrs += b' t="str"'
            cell, at = m.group(0), m.start(0)
            return cell[: m.start(1) - at] + attrs + cell[m.end(1) - at :]

        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                parts = sheet_parts(zf)
                wanted = {parts[name] for name in sheets if name in parts}
                changed = {
                    part: CELL_RE.sub(mark, zf.read(part)) for part in wanted & set(zf.NameToInfo)
                }
                if not found:
                    return None
                out = io.BytesIO()
                with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
                    for info in zf.infolist():
                        zout.writestr(info, changed.get(info.filename) or zf.read(info))
                return out.getvalue()
        except Exception:  # any trouble here: openpyxl's own error stands
            return None

    def _load(self, name: str, fws: Any, vws: Any, max_rows: int) -> None:
        cells: dict[tuple[int, int], RawCell] = {}
        last = 0
        cached: dict[tuple[int, int], Any] = {}
        for r, row in enumerate(
            vws.iter_rows(min_row=1, max_row=max_rows, max_col=MAX_COLS, values_only=True),
            start=1,
        ):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    cached[(r, c)] = safe_value(value)
        for r, row in enumerate(
            fws.iter_rows(min_row=1, max_row=max_rows, max_col=MAX_COLS), start=1
        ):
            for c, cell in enumerate(row, start=1):
                value = getattr(cell, "value", None)
                if value is None:
                    continue
                formula = None
                if getattr(cell, "data_type", None) == "f":
                    text = value if isinstance(value, str) else getattr(value, "text", None)
                    formula = str(text if text is not None else value).removeprefix("=")
                    formula = safe_value(formula)
                    value = cached.get((r, c))
                cells[(r, c)] = RawCell(safe_value(value), formula)
                last = max(last, r)
        self._cells[name] = cells
        self._last[name] = last
