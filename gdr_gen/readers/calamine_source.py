"""A fast :class:`~gdr_gen.readers.xlsx_source.CellSource` on python-calamine.

calamine (Rust) parses values, shared strings and dates many times faster than openpyxl,
but it reports neither formulas nor error values (``#DIV/0!`` comes back as ``""``). The
reader needs both (a formula in an input cell is XL-02; a total's formula is compared), so
the worksheet XML of each wanted sheet is also scanned for ``<f>`` and ``t="e"`` cells. The
answers are made the same as :class:`~gdr_gen.readers.xlsx_source.OpenpyxlSource`'s:

- numbers: openpyxl gives ``int`` for integral numbers as Excel stores them, calamine
  ``float``; integral floats become ``int``;
- dates: openpyxl gives ``datetime``, calamine ``date`` for date-only formats; made
  ``datetime``;
- a formula cell: the formula text (shared formulas translated like openpyxl does) and the
  cached result, ``None`` when the file was never calculated (openpyxl-written files);
- empty cells: ``None`` (calamine gives ``""``).

calamine builds a dense grid up to the last used cell, so a hostile sheet with one cell at
XFD1048576 would exhaust memory: the scan measures the extent first and anything unusual
(cells beyond the limits, cells without a reference) falls back to openpyxl
(:func:`open_source`). So does XML the two libraries read differently: a part that is not
well-formed (openpyxl refuses it, calamine may not), an ``_x0007_`` escape (calamine decodes
it, openpyxl in inline strings does not), markup inside a ``<t>`` text (calamine keeps
its text, openpyxl drops it), a cell with two values (``<v>1e999</v><v>0</v>``: openpyxl
reads the first, calamine the last; an inline string with a stray ``<v>``) and an integer
too long for a float (openpyxl reads it exactly, calamine overflows to inf).

A number cell whose text openpyxl cannot cast (``inf``, ``NaN``, ``1.#INF``, 5000 digits)
is given as that text by both sources, so the reader reports it at its cell. Tests read the same workbooks through both sources and compare.
"""

from __future__ import annotations

import math
import re
import zipfile
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from xml.sax.saxutils import unescape

from . import LoadResult
from .xlsx_source import (
    MAX_COLS,
    CellSource,
    LoadedSource,
    OpenpyxlSource,
    RawCell,
    cast_number,
    safe_value,
)

MAX_SCAN_ROWS = 5000  # a sheet reaching further is not a gdr-gen workbook: use openpyxl
MAX_SCAN_COLS = 200

_NS = rb"(?:[\w.-]+:)?"
_CELL = re.compile(rb"<" + _NS + rb"c\b([^>]*?)(/>|>(.*?)</" + _NS + rb"c>)", re.S)
_FORMULA = re.compile(rb"<" + _NS + rb"f\b([^>]*?)(?:/>|>(.*?)</" + _NS + rb"f>)", re.S)
_VALUE = re.compile(rb"<" + _NS + rb"v\b[^>]*?(?:/>|>(.*?)</" + _NS + rb"v>)", re.S)
_ATTR = re.compile(rb"([\w:.-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_REF = re.compile(r"^\$?([A-Z]{1,3})\$?(\d+)$")
_CHARREF = re.compile(r"&#(x[0-9a-fA-F]+|\d+);")
_ENTITIES = {"&quot;": '"', "&apos;": "'"}
_ESCAPE = re.compile(rb"_x[0-9A-Fa-f]{4}_")
_CELL_CHILDREN = {"f", "v", "is", "extLst"}


class Unsuitable(Exception):
    """This workbook should be read with openpyxl instead."""


def _attrs(raw: bytes) -> dict[str, str]:
    out = {}
    for m in _ATTR.finditer(raw):
        name = m.group(1).decode("utf-8", "replace").split(":")[-1]
        value = m.group(2) if m.group(2) is not None else m.group(3)
        out[name] = _text(value)
    return out


def _text(raw: bytes) -> str:
    s = unescape(raw.decode("utf-8"), _ENTITIES)
    if "&#" in s:
        s = _CHARREF.sub(
            lambda m: chr(int(m.group(1)[1:], 16) if m.group(1)[0] == "x" else int(m.group(1))), s
        )
    return s


def _col_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


class _Special:
    """What the XML scan found in one sheet: formulas and error cells, and the extent."""

    def __init__(self) -> None:
        self.formulas: dict[tuple[int, int], tuple[str, Any]] = {}  # text, cached value
        self.errors: dict[tuple[int, int], str] = {}
        self.seen: set[tuple[int, int]] = set()  # cells with content, to validate the scan
        self.floats: set[tuple[int, int]] = set()  # numbers stored with "." or an exponent
        # number cells whose text openpyxl cannot cast (inf, NaN, 5000 digits): both sources
        # give the text, so the reader reports it at its cell
        self.texts: dict[tuple[int, int], str] = {}


def _scan(xml: bytes) -> _Special:
    if not xml.lstrip().startswith(b"<") or b"\x00" in xml[:200]:
        raise Unsuitable("not UTF-8 XML")  # e.g. UTF-16: the byte patterns would not match
    from_shared: dict[str, tuple[str, str]] = {}  # si → (formula, origin cell)
    out = _Special()
    for m in _CELL.finditer(xml):
        attrs = _attrs(m.group(1))
        ref = attrs.get("r")
        rm = _REF.match(ref or "")
        if rm is None:
            raise Unsuitable("cell without a reference")
        row, col = int(rm.group(2)), _col_number(rm.group(1))
        if row > MAX_SCAN_ROWS or col > MAX_SCAN_COLS:
            raise Unsuitable("sheet too large")
        body = m.group(3) or b""
        ctype = attrs.get("t", "n")
        fm = _FORMULA.search(body) if b"f" in body else None
        vm = _VALUE.search(body) if body else None
        # openpyxl: findtext(v) or None, so an empty <v></v> is no value
        vtext = _text(vm.group(1)) if vm is not None and vm.group(1) else None
        if fm is not None:
            fattrs = _attrs(fm.group(1))
            text = _text(fm.group(2)) if fm.group(2) is not None else ""
            if fattrs.get("t") == "shared":
                si = fattrs.get("si", "")
                if si in from_shared and not text:
                    text = _translate(*from_shared[si], ref or "")
                elif text:
                    from_shared[si] = (text, ref or "")
            out.formulas[(row, col)] = (text, _cached(ctype, vtext))
        elif ctype == "e" and vtext is not None:
            out.errors[(row, col)] = vtext
        elif ctype == "n" and vtext is not None and any(ch in vtext for ch in ".eE"):
            out.floats.add((row, col))
        if ctype == "n" and vtext is not None:
            if _uncastable(vtext):
                out.texts[(row, col)] = vtext  # a formula's cached result too
            elif attrs.get("s", "0") not in ("", "0") and _beyond_dates(vtext):
                # in a date-formatted cell openpyxl gives #VALUE!, calamine inf or a panic
                raise Unsuitable("a styled number beyond the date range")
        if body.strip():
            out.seen.add((row, col))
    return out


def _uncastable(text: str) -> bool:
    try:
        cast_number(text)
    except ValueError:
        return True
    return False


def _beyond_dates(text: str) -> bool:
    """A stored number no date format can show (Excel's dates end at serial 2958465)."""
    value = cast_number(text)
    return not math.isfinite(value) or not -693593 <= value <= 2958465


def number_cell_text(m: re.Match[bytes]) -> str | None:
    """For a :data:`_CELL` match: the stored text of a number cell that openpyxl cannot cast
    (``inf``, ``NaN``, 5000 digits), else None. Both sources give such a cell as its text."""
    body = m.group(3)
    vm = _VALUE.search(body) if body else None
    if vm is None or not vm.group(1) or _attrs(m.group(1)).get("t", "n") != "n":
        return None
    text = _text(vm.group(1))
    return text if _uncastable(text) else None


def _translate(formula: str, origin: str, dest: str) -> str:
    from openpyxl.formula.translate import Translator

    return Translator("=" + formula, origin).translate_formula(dest).removeprefix("=")


def _cached(ctype: str, text: str | None) -> Any:
    """A formula's stored result, typed as openpyxl does (None: never calculated)."""
    if text is None:
        return None
    if ctype in ("str", "inlineStr", "e"):
        return text
    if ctype == "b":
        return text == "1"
    if ctype == "n":
        try:
            return cast_number(text)
        except ValueError:
            return text
    return text


def _normalise(value: Any, *, stored_as_float: bool = False) -> Any:
    if value == "" or value is None:
        return None
    if isinstance(value, float) and not stored_as_float and not math.isfinite(value):
        # a 400-digit integer: openpyxl reads it exactly, calamine's float overflows
        raise Unsuitable("an integer beyond float range")
    if isinstance(value, float) and value.is_integer() and not stored_as_float:
        if abs(value) >= 2**53:  # openpyxl reads the digits exactly; calamine's float may not
            raise Unsuitable("an integer beyond float precision")
        return int(value)
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime.combine(value, time())
    return value


def _is(element: Any, name: str) -> bool:
    from lxml import etree

    return element is not None and etree.QName(element).localname == name


def _check_xml(xml: bytes) -> None:
    """Raise Unsuitable unless calamine and openpyxl are sure to read ``xml`` alike."""
    from lxml import etree

    if _ESCAPE.search(xml):
        raise Unsuitable("_xHHHH_ escape")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(xml, parser)
    except etree.LxmlError as exc:  # openpyxl refuses what lxml refuses
        raise Unsuitable(f"not well-formed: {exc}") from None
    if _is(root, "sst"):
        # calamine reserves memory for uniqueCount strings up front: a forged count
        # (uniqueCount="99999999999") aborts the whole process, with no exception to catch
        declared = root.get("uniqueCount")
        if declared is not None and (not declared.isdigit() or int(declared) > len(root)):
            raise Unsuitable("a shared-strings count larger than the strings")
    for el in root.iter("{*}t", "{*}v", "{*}f"):
        if len(el):  # the scan's patterns and calamine would read the inner text too
            raise Unsuitable(f"markup inside a <{etree.QName(el).localname}> text")
    for c in root.iter("{*}c"):
        children = [etree.QName(child).localname for child in c]
        if any(name not in _CELL_CHILDREN for name in children):
            raise Unsuitable("unexpected markup inside a cell")
        # <v>1e999</v><v>0</v>: openpyxl reads the first value, calamine the last;
        # <is>…</is><v>…</v>: openpyxl reads the inline string, calamine the value
        if len(set(children)) < len(children) or {"is", "v"} <= set(children):
            raise Unsuitable("a cell with two values")
        if not _is(c.getparent(), "row") or not _is(c.getparent().getparent(), "sheetData"):
            raise Unsuitable("a cell outside <sheetData><row>")  # openpyxl skips it
    # openpyxl places a cell by its <row>'s number, calamine by the cell's own reference: in
    # files both read alike, rows and the cells in them come in order, each cell in its row
    last = (0, 0)
    for row in root.iter("{*}row"):
        for c in row.iter("{*}c"):
            m = _REF.match(c.get("r") or "")
            if m is None or row.get("r") != m.group(2):
                raise Unsuitable("a cell outside its row")
            at = (int(m.group(2)), _col_number(m.group(1)))
            if at <= last:
                raise Unsuitable("cells out of order")
            last = at


def _sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → worksheet part (xl/worksheets/sheet1.xml), in workbook order."""
    book = zf.read("xl/workbook.xml")
    rels = zf.read("xl/_rels/workbook.xml.rels")
    targets = {}
    for m in re.finditer(rb"<(?:[\w.-]+:)?Relationship\b([^>]*?)/?>", rels):
        a = _attrs(m.group(1))
        target = a.get("Target", "")
        target = target.lstrip("/") if target.startswith("/") else "xl/" + target
        targets[a.get("Id", "")] = target
    parts: dict[str, str] = {}
    for m in re.finditer(rb"<(?:[\w.-]+:)?sheet\b([^>]*?)/?>", book):
        a = _attrs(m.group(1))
        parts[a.get("name", "")] = targets.get(a.get("id", ""), "")
    return parts


class CalamineSource(LoadedSource):
    """Cells via python-calamine plus an XML scan for formulas and errors."""

    def __init__(self, path: Path, data: bytes, sheets: list[str], *, max_rows: int) -> None:
        import io

        import python_calamine

        self.path = path
        self._cells: dict[str, dict[tuple[int, int], RawCell]] = {}
        self._last: dict[str, int] = {}
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                parts = _sheet_parts(zf)
                wanted = {parts[name] for name in sheets if name in parts}
                for info in zf.infolist():  # every part openpyxl might parse
                    name = info.filename
                    if name in wanted or (
                        name.endswith((".xml", ".rels"))
                        and not name.startswith(("xl/worksheets/", "xl/drawings/", "xl/media/"))
                    ):
                        _check_xml(zf.read(name))
                scans = {
                    name: _scan(zf.read(parts[name]))
                    for name in sheets
                    if name in parts and parts[name] in zf.NameToInfo
                }
            self._names = list(parts)
            book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
            try:
                for name, special in scans.items():
                    grid = book.get_sheet_by_name(name).to_python(
                        skip_empty_area=False, nrows=max_rows
                    )
                    self._load(name, grid, special, max_rows)
            finally:
                book.close()
        except Unsuitable:
            raise
        except (KeyError, UnicodeDecodeError, ValueError, zipfile.BadZipFile) as exc:
            raise Unsuitable(str(exc)) from None
        except Exception as exc:  # calamine's own errors: let openpyxl give the message
            raise Unsuitable(f"{type(exc).__name__}: {exc}") from None
        except BaseException as exc:
            # a Rust panic (pyo3's PanicException derives from BaseException), e.g. a date
            # out of chrono's range: the file is read with openpyxl instead
            if type(exc).__name__ != "PanicException":
                raise
            raise Unsuitable(f"calamine panicked: {exc}") from None

    def _load(self, name: str, grid: list[list[Any]], special: _Special, max_rows: int) -> None:
        cells: dict[tuple[int, int], RawCell] = {}
        last = 0
        seen = special.seen
        for r, row in enumerate(grid[:max_rows], start=1):
            for c, value in enumerate(row[:MAX_COLS], start=1):
                if (r, c) in special.texts:
                    continue
                v = safe_value(_normalise(value, stored_as_float=(r, c) in special.floats))
                if v is not None:
                    if (r, c) not in seen:
                        raise Unsuitable("the XML scan missed a cell")
                    cells[(r, c)] = RawCell(v)
                    last = r
        for (r, c), text in [*special.errors.items(), *special.texts.items()]:
            if r <= max_rows and c <= MAX_COLS:
                cells[(r, c)] = RawCell(safe_value(text))
                last = max(last, r)
        for (r, c), (formula, cached) in special.formulas.items():
            if r <= max_rows and c <= MAX_COLS:
                # the stored result typed from the XML like openpyxl; calamine's only where it
                # applied a date format (openpyxl does that too)
                shown = cells[(r, c)].value if (r, c) in cells else None
                value = shown if isinstance(shown, datetime | time | timedelta) else cached
                if cached is None:
                    value = None
                cells[(r, c)] = RawCell(safe_value(value), safe_value(formula))
                last = max(last, r)
        self._cells[name] = cells
        self._last[name] = last


def open_source(path: Path, data: bytes, sheets: list[str], *, max_rows: int) -> CellSource:
    """The calamine source when it can read the file safely, else the openpyxl one."""
    try:
        return CalamineSource(path, data, sheets, max_rows=max_rows)
    except (Unsuitable, ImportError):
        return OpenpyxlSource(path, data, sheets, max_rows=max_rows)


def read_workbook_fast(path: str | Path) -> LoadResult:
    """:func:`~gdr_gen.readers.xlsx_reader.read_workbook` through :func:`open_source`."""
    from ..formats import FORMATS
    from ..formats.workbook_layout import layout_for
    from . import check_input_file
    from .xlsx_container import MAX_BOOK_BYTES, check_container
    from .xlsx_reader import read_source, wanted_sheets

    p = Path(path)
    data = check_input_file(p, max_bytes=MAX_BOOK_BYTES)
    check_container(p, data)
    # the same rows as read_workbook() reads
    max_rows = max(ps.max_rows for spec in FORMATS.values() for ps in layout_for(spec).prose)
    return read_source(open_source(p, data, wanted_sheets(), max_rows=max_rows), p)


__all__ = ["CalamineSource", "open_source", "read_workbook_fast"]
