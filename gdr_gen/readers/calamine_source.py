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

_ATTR = re.compile(rb"([\w:.-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_REF = re.compile(r"^\$?([A-Z]{1,3})\$?(\d+)$")
_CHARREF = re.compile(r"&#(x[0-9a-fA-F]+|\d+);")
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
    s = raw.decode("utf-8")
    if "&" not in s:
        return s
    # the five XML entities in xml.sax.saxutils.unescape's order (&amp; last), without
    # importing xml.sax, which loads urllib, http, ssl and email (~20 ms at start-up)
    s = s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
    s = s.replace("&apos;", "'").replace("&amp;", "&")
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
    """Check a worksheet part (:func:`_check_xml`) and collect what calamine does not report."""
    special = _check_xml(xml, worksheet=True)
    assert special is not None
    return special


def _scan_cell(
    c: Any,
    row: int,
    col: int,
    out: _Special,
    shared: dict[str, tuple[str, str]],
    f: Any = None,
    v: Any = None,
) -> None:
    """One ``<c>`` of a worksheet: its formula, error value or float-ness, read from the tree
    the check has parsed (openpyxl reads the same elements: ``f``, ``v``, ``@t``). ``f`` and
    ``v``: the cell's formula and value elements, which the check has already found."""
    if row > MAX_SCAN_ROWS or col > MAX_SCAN_COLS:
        raise Unsuitable("sheet too large")
    ctype = c.get("t", "n")
    # openpyxl: findtext(v) or None, so an empty <v></v> is no value
    vtext = v.text or None if v is not None else None
    if f is not None:
        text = f.text or ""
        if f.get("t") == "shared":
            ref = c.get("r") or ""
            si = f.get("si", "")
            if si in shared and not text:
                text = _translate(*shared[si], ref)
            elif text:
                shared[si] = (text, ref)
        out.formulas[(row, col)] = (text, _cached(ctype, vtext))
    elif ctype == "e" and vtext is not None:
        out.errors[(row, col)] = vtext
    elif ctype == "n" and vtext is not None and ("." in vtext or "e" in vtext or "E" in vtext):
        out.floats.add((row, col))
    if ctype == "n" and vtext is not None:
        if len(vtext) < 8 and vtext.isascii() and vtext.isdigit():
            # the common case, a small whole number: always castable; beyond Excel's last
            # date (serial 2,958,465) only with seven digits
            if len(vtext) == 7 and int(vtext) > 2958465 and c.get("s", "0") not in ("", "0"):
                raise Unsuitable("a styled number beyond the date range")
        elif _uncastable(vtext):
            out.texts[(row, col)] = vtext  # a formula's cached result too
        elif c.get("s", "0") not in ("", "0") and _beyond_dates(vtext):
            # in a date-formatted cell openpyxl gives #VALUE!, calamine inf or a panic
            raise Unsuitable("a styled number beyond the date range")
    if len(c) or (c.text and c.text.strip()):
        out.seen.add((row, col))


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


# The cells of a worksheet part as byte patterns: only for the openpyxl fallback's retry
# (xlsx_source), which marks uncastable number cells as text in a copy of the package.
_NS = rb"(?:[\w.-]+:)?"
CELL_RE = re.compile(rb"<" + _NS + rb"c\b([^>]*?)(/>|>(.*?)</" + _NS + rb"c>)", re.S)
_VALUE_RE = re.compile(rb"<" + _NS + rb"v\b[^>]*?(?:/>|>(.*?)</" + _NS + rb"v>)", re.S)


def number_cell_text(m: re.Match[bytes]) -> str | None:
    """For a :data:`CELL_RE` match: the stored text of a number cell that openpyxl cannot cast
    (``inf``, ``NaN``, 5000 digits), else None. Both sources give such a cell as its text."""
    body = m.group(3)
    vm = _VALUE_RE.search(body) if body else None
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


def _local(element: Any) -> str:
    """An element's tag without its namespace; comments and processing instructions (whose
    tag is not a string) are markup the scan does not expect."""
    tag = element.tag
    if not isinstance(tag, str):
        raise Unsuitable("a comment or processing instruction in the markup")
    return tag.rpartition("}")[2]


def _check_xml(xml: bytes, *, worksheet: bool = False) -> _Special | None:
    """Raise Unsuitable unless calamine and openpyxl are sure to read ``xml`` alike.

    For a ``worksheet`` part the same pass also collects the formulas, error values and
    stored-float cells (:class:`_Special`), so each sheet is parsed once.
    """
    from lxml import etree

    if worksheet and (not xml.lstrip().startswith(b"<") or b"\x00" in xml[:200]):
        raise Unsuitable("not UTF-8 XML")  # e.g. UTF-16: calamine and openpyxl may differ
    if _ESCAPE.search(xml):
        raise Unsuitable("_xHHHH_ escape")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(xml, parser)
    except etree.LxmlError as exc:  # openpyxl refuses what lxml refuses
        raise Unsuitable(f"not well-formed: {exc}") from None
    if _local(root) == "sst":
        # calamine reserves memory for uniqueCount strings up front: a forged count
        # (uniqueCount="99999999999") aborts the whole process, with no exception to catch
        declared = root.get("uniqueCount")
        if declared is not None and (not declared.isdigit() or int(declared) > len(root)):
            raise Unsuitable("a shared-strings count larger than the strings")
    for el in root.iter("{*}t", "{*}v", "{*}f"):
        if len(el):  # the scan and calamine would read the inner text too
            raise Unsuitable(f"markup inside a <{_local(el)}> text")
    # Every cell sits in <sheetData><row> (openpyxl skips any other), holds only the
    # children the scan knows, and rows and the cells in them come in order, each cell in
    # its row: openpyxl places a cell by its <row>'s number, calamine by the cell's own
    # reference, and in files both read alike the two agree.
    special = _Special() if worksheet else None
    shared: dict[str, tuple[str, str]] = {}  # si → (formula, origin cell)
    n_cells = 0
    last = (0, 0)
    # The loop below runs for every cell of every sheet (most of a workbook's reading time):
    # tag → local name and column letters → number are looked up once per distinct value.
    local_of: dict[Any, str] = {}
    col_of: dict[str, int] = {}
    for row in root.iter("{*}row"):
        in_sheet = _local(row.getparent()) == "sheetData"
        row_number = row.get("r")
        for c in row.iter("{*}c"):
            if not in_sheet or c.getparent() is not row:
                raise Unsuitable("a cell outside <sheetData><row>")
            f = v = None
            names = []
            for child in c:
                tag = child.tag
                name = local_of.get(tag)
                if name is None:
                    name = local_of[tag] = _local(child)  # raises for a comment or PI
                    if name not in _CELL_CHILDREN:
                        raise Unsuitable("unexpected markup inside a cell")
                names.append(name)
                if name == "v" and v is None:
                    v = child
                elif name == "f" and f is None:
                    f = child
            # <v>1e999</v><v>0</v>: openpyxl reads the first value, calamine the last;
            # <is>…</is><v>…</v>: openpyxl reads the inline string, calamine the value
            if len(names) > 1 and (
                len(set(names)) < len(names) or ("is" in names and "v" in names)
            ):
                raise Unsuitable("a cell with two values")
            m = _REF.match(c.get("r") or "")
            if m is None or row_number != m.group(2):
                raise Unsuitable("a cell outside its row")
            letters = m.group(1)
            col = col_of.get(letters)
            if col is None:
                col = col_of[letters] = _col_number(letters)
            at = (int(row_number), col)
            if at <= last:
                raise Unsuitable("cells out of order")
            last = at
            n_cells += 1
            if special is not None:
                _scan_cell(c, at[0], col, special, shared, f, v)
    if n_cells != sum(1 for _ in root.iter("{*}c")):
        raise Unsuitable("a cell outside <sheetData><row>")  # openpyxl skips it
    return special


def sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
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
                parts = sheet_parts(zf)
                wanted = {parts[name] for name in sheets if name in parts}
                found: dict[str, _Special] = {}  # worksheet part → its scan
                for info in zf.infolist():  # every part openpyxl might parse
                    name = info.filename
                    if name in wanted:
                        found[name] = _scan(zf.read(name))
                    elif name.endswith((".xml", ".rels")) and not name.startswith(
                        ("xl/worksheets/", "xl/drawings/", "xl/media/")
                    ):
                        _check_xml(zf.read(name))
                scans = {
                    name: found[parts[name]]
                    for name in sheets
                    if name in parts and parts[name] in found
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
