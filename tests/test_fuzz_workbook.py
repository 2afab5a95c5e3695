"""Fuzz the workbook readers: any .xlsx gives a LoadResult (with findings) or a GdrError.

The sample workbook (openpyxl-written, inline strings, formulas without cached results)
and the LibreOffice-saved one (shared strings, rich text, cached results) are changed

- cell by cell with openpyxl, as a person in a spreadsheet program could: odd values of
  every type in labels, totals, the stamp and input cells, deleted and merged cells,
  renamed, deleted and added sheets, inserted rows and deleted columns;
- inside the package, as a broken or hostile program could: bytes flipped in a part or in
  the zip, a truncated file, a part dropped or stored twice, DOCTYPEs, far-away cell
  references, bad character references, cells out of order, huge counts.

Both readers run on every file: nothing but GdrError may escape, and when the openpyxl
reader accepts a file the calamine one (what ``load_report`` uses) must give the very same
report, findings and invalid set (issue 7). The calamine reader may accept a file openpyxl
refuses (junk openpyxl's object model rejects in a part the reader does not need).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import re
import warnings
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
from fuzzing import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gdr_gen.checks.engine import Severity
from gdr_gen.document import build_document
from gdr_gen.errors import GdrError
from gdr_gen.readers import LoadResult, load_report
from gdr_gen.readers.calamine_source import read_workbook_fast
from gdr_gen.readers.xlsx_reader import read_workbook
from gdr_gen.writers.docx_writer import docx_bytes
from gdr_gen.writers.html_writer import render_html
from gdr_gen.writers.json_writer import dumps

ROOT = Path(__file__).resolve().parent.parent
BASES = [
    (ROOT / "sample_inputs" / "巫山县2022.xlsx").read_bytes(),
    (ROOT / "tests" / "fixtures" / "巫山县2022-libreoffice.xlsx").read_bytes(),
]
SETTINGS = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

cell_values = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            "\u202e12",
            "１２",
            "12件",
            "1,234",
            "'38",
            "#REF!",
            "#DIV/0!",
            "=1/0",
            "=SUM(A1:A2)",
            '=HYPERLINK("http://example.com","x")',
            "=D6+D7",
            "=SUM(A1:XFD1048576)",
            "=",
            "是",
            "否",
            "TRUE",
            "_x0000_",
            "_xD800_",
            "a\r\nb",
            "（一）",
            "一、",
            "NaN",
            "inf",
            "-0",
            "1e308",
            "9" * 40,
            "x" * 33000,
            "\U0001f600",
            "2023-01-20",
            "2023年1月20日",
            "2023-02-30",
            "人民政府",
            "部门",
            "gdr-gen 2021-1",
            "gdr-gen 2021-999",
            "gdr-gen 9999-1",
        ]
    ),
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from([2**53 + 1, 10**20, -(10**20), 2**63]),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([float("inf"), float("-inf"), float("nan"), 1e308, -1e308, 5e-324]),
    st.sampled_from(
        [
            dt.datetime(2023, 1, 20),
            dt.date(1900, 1, 1),
            dt.datetime(9999, 12, 31, 23, 59),
            dt.time(12, 30),
            dt.timedelta(days=3),
        ]
    ),
    st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=8),
    st.integers(-3, 50),
    st.integers(-3, 50).map(str),
)


def _edit(wb: Any, draw: st.DrawFn) -> None:
    ws = wb[draw(st.sampled_from(wb.sheetnames))]
    row, col = draw(st.integers(1, 32)), draw(st.integers(1, 16))
    kind = draw(st.integers(0, 11))
    if kind <= 5:
        ws.cell(row, col).value = draw(cell_values)
    elif kind == 6:
        ws.cell(row, col).value = None
    elif kind == 7:
        ws.merge_cells(
            start_row=row,
            start_column=col,
            end_row=row + draw(st.integers(0, 2)),
            end_column=col + draw(st.integers(0, 2)),
        )
    elif kind == 8:
        ranges = list(ws.merged_cells.ranges)
        if ranges:
            ws.unmerge_cells(str(draw(st.sampled_from(ranges))))
    elif kind == 9:
        ws.title = draw(st.sampled_from(["表三", "表3", "基本信息", "Sheet", "x" * 31, "表二 "]))
    elif kind == 10:
        if len(wb.sheetnames) > 1 and draw(st.booleans()):
            wb.remove(ws)
        else:
            wb.create_sheet(draw(st.sampled_from(["表三", "基本信息", "extra"])))
    elif draw(st.booleans()):
        ws.insert_rows(row, draw(st.integers(1, 2)))
    else:
        ws.delete_cols(col)


@st.composite
def cell_edited(draw: st.DrawFn) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(BASES[draw(st.integers(0, 1))]))
    for _ in range(draw(st.integers(1, 5))):
        # openpyxl may refuse the edit itself (a merged cell's value, a duplicate title)
        with contextlib.suppress(ValueError, KeyError, TypeError, AttributeError):
            _edit(wb, draw)
    out = io.BytesIO()
    try:
        wb.save(out)
    except (ValueError, TypeError):
        return BASES[0]
    return out.getvalue()


XML_SNIPPETS = [
    b'<!DOCTYPE x [<!ENTITY a "b">]>',
    b'<c r="XFD1048576"><v>1</v></c>',
    b'<c r="A1048576" t="s"><v>0</v></c>',
    b"<c><v>5</v></c>",
    b'<c r="D6" t="e"><v>#REF!</v></c>',
    b'<c r="D6"><f>1/0</f><v>#DIV/0!</v></c>',
    b'<c r="D6" t="str"><f>"x"</f><v>x</v></c>',
    b'<c r="D6" t="b"><v>1</v></c>',
    b'<c r="D6" t="d"><v>2023-01-20T00:00:00</v></c>',
    b'<c r="D6" t="n"><v>abc</v></c>',
    b'<c r="D6" t="s"><v>99999</v></c>',
    b'<c r="D6" t="s"><v>-1</v></c>',
    b'<c r="D6" t="inlineStr"><is><t>_xD800_</t></is></c>',
    b'<c r="D6"><f t="shared" si="0" ref="D6:D9">SUM(A1:A2)</f></c><c r="D7"><f t="shared" si="0"/></c>',
    b'<c r="D6"><f t="shared" si="7"/></c>',
    b"&#0;",
    b"&#xD800;",
    b"&#x110000;",
    b"&#99999999999;",
    b"&amp",
    b"&foo;",
    b"<v>1e999</v>",
    b"<v>NaN</v>",
    b"<v>inf</v>",
    b"<v>-1E+400</v>",
    b"<v>1.#INF</v>",
    b"<v>" + b"9" * 400 + b"</v>",
    b"<v>" + b"9" * 5000 + b"</v>",
    b'<c r="B9"><v>1e999</v><v>0</v></c>',
    b'<c r="D6" t="inlineStr"><is><t>x</t></is><v>1</v></c>',
    b"\x00",
    b"\xff\xfe",
    b"<f>",
    b"</c>",
    b'<row r="0">',
    b'<row r="99999999999">',
    b'<c r="a1"><v>1</v></c>',
    b'<c r="$D$6"><v>1</v></c>',
    b"<c r='D6'><v>1</v></c>",
    b'<x:c xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" r="D6"><x:v>1</x:v></x:c>',
]


@st.composite
def package_edited(draw: st.DrawFn) -> bytes:
    base = BASES[draw(st.integers(0, 1))]
    kind = draw(st.integers(0, 9))
    if kind == 0:  # a truncated download
        return base[: draw(st.integers(1, len(base) - 1))]
    if kind == 1:  # bytes flipped anywhere in the zip
        b = bytearray(base)
        for _ in range(draw(st.integers(1, 8))):
            b[draw(st.integers(0, len(b) - 1))] = draw(st.integers(0, 255))
        return bytes(b)
    with zipfile.ZipFile(io.BytesIO(base)) as zin:
        entries = [(i.filename, zin.read(i.filename)) for i in zin.infolist()]
    target = draw(st.integers(0, len(entries) - 1))
    out = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        warnings.simplefilter("ignore")  # a duplicate name
        for i, (name, data) in enumerate(entries):
            if i == target:
                if kind == 2:
                    continue  # a part dropped
                if kind == 3 and data:  # bytes flipped in a part
                    b = bytearray(data)
                    for _ in range(draw(st.integers(1, 5))):
                        b[draw(st.integers(0, len(b) - 1))] = draw(st.integers(0, 255))
                    data = bytes(b)
                elif kind in (4, 5, 6):  # markup inserted before a tag
                    b = bytearray(data)
                    starts = [m.start() for m in re.finditer(rb"<", data)] or [0]
                    for _ in range(draw(st.integers(1, 3))):
                        at = draw(st.sampled_from(starts))
                        b[at:at] = draw(st.sampled_from(XML_SNIPPETS))
                    data = bytes(b)
                elif kind == 7:
                    z.writestr(name, data)  # the same name twice
                elif kind == 8:
                    data = data[: draw(st.integers(0, len(data)))]
                else:  # far-away references, a huge shared-strings count
                    refs = list(re.finditer(rb'r="([A-Z]+)(\d+)"', data))
                    if refs:
                        m = draw(st.sampled_from(refs))
                        new = draw(
                            st.sampled_from([b"XFD1048576", b"A5001", b"GS1", b"D6", b"AAA1"])
                        )
                        data = data[: m.start(1)] + new + data[m.end(2) :]
                    data = re.sub(rb'(count|uniqueCount)="\d+"', rb'\1="99999999999"', data)
            z.writestr(name, data)
    return out.getvalue()


def comparable(res: LoadResult) -> tuple:
    return dumps(res.report), [f.to_dict() for f in res.findings], set(res.invalid)


def read_both(path: Path) -> LoadResult | None:
    """Both readers; equal results where openpyxl's accepts; None when both refuse."""
    try:
        slow: LoadResult | None = read_workbook(path)
    except GdrError as exc:
        assert str(exc)
        slow = None
    try:
        fast: LoadResult | None = read_workbook_fast(path)
    except GdrError as exc:
        assert str(exc)
        assert slow is None, f"only the calamine reader refused: {exc}"
        fast = None
    if slow is not None:
        assert fast is not None
        assert comparable(fast) == comparable(slow)
    return fast


def use(res: LoadResult, *, word: bool) -> None:
    findings = res.check()
    for f in findings:
        f.message.encode("utf-8")
        f.location.encode("utf-8")
    doc = build_document(res.report)
    render_html(doc).encode("utf-8")
    dumps(res.report).encode("utf-8")
    if word and not any(f.severity == Severity.ERROR for f in findings):
        assert docx_bytes(doc)[:2] == b"PK"


def fuzz_one(path: Path, data: bytes, *, word: bool) -> None:
    path.write_bytes(data)
    if os.environ.get("GDR_FUZZ_KEEP"):  # debugging: keep the last file tried
        Path(os.environ["GDR_FUZZ_KEEP"]).write_bytes(data)
    res = read_both(path)
    if res is not None:
        use(res, word=word)
    try:
        load_report(path)  # what the commands call
    except GdrError:
        assert res is None
    assert path.read_bytes() == data  # never written to


@settings(SETTINGS, max_examples=examples(80))
@given(data=cell_edited(), word=st.integers(0, 5))
def test_cell_level_edits(tmp_path_factory, data, word):
    fuzz_one(tmp_path_factory.mktemp("c") / "book.xlsx", data, word=word == 0)


@settings(SETTINGS, max_examples=examples(200))
@given(data=package_edited(), word=st.integers(0, 5))
def test_package_level_damage(tmp_path_factory, data, word):
    fuzz_one(tmp_path_factory.mktemp("p") / "book.xlsx", data, word=word == 0)
