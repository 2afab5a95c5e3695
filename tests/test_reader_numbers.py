"""A number cell holding what is not a finite number (issue 15).

``1e999`` reads as inf, ``inf``/``NaN`` are texts openpyxl cannot cast, 400 digits overflow
calamine's float and 5000 digits exceed what ``int()`` accepts: every one is a finding at its
cell, the same (rule, location, message) from the default calamine reader and the openpyxl
reference reader, and never a value accepted silently. The workbooks are built with the
project's own writer and then edited in the XML, as a broken or hostile program could.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

from gdr_gen.formats import get_format
from gdr_gen.formats.workbook_layout import layout_for
from gdr_gen.readers import LoadResult, load_report
from gdr_gen.readers.calamine_source import (
    CalamineSource,
    open_source,
    read_workbook_fast,
    sheet_parts,
)
from gdr_gen.readers.json_reader import read_json
from gdr_gen.readers.xlsx_reader import parse_count, parse_money, read_workbook, wanted_sheets
from gdr_gen.writers.json_writer import dumps
from gdr_gen.writers.xlsx_writer import workbook_bytes

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SAMPLE_JSON = ROOT / "sample_inputs" / "巫山县2022.json"


def findings(res: LoadResult) -> list[tuple[str, str, str]]:
    return [(f.rule, f.location, f.message) for f in res.findings]


def both(path: Path) -> LoadResult:
    """Both readers; the same findings, report and unusable values."""
    slow, fast = read_workbook(path), read_workbook_fast(path)
    assert findings(fast) == findings(slow)
    assert dumps(fast.report) == dumps(slow.report)
    assert set(fast.invalid) == set(slow.invalid)
    assert findings(load_report(path)) == findings(fast)  # what the commands call
    return fast


def uses_calamine(path: Path) -> bool:
    src = open_source(path, path.read_bytes(), wanted_sheets(), max_rows=200)
    return isinstance(src, CalamineSource)


# ---------------------------------------------------------------- the two fuzz finds
def test_inf_money_fixture_is_val02_in_both_readers():
    """``<v>1e999</v><v>0</v>`` in 信息处理费金额: calamine read the last value (0) and
    accepted the file with no finding; openpyxl reads the first (inf)."""
    path = FIXTURES / "fuzz-inf-money.xlsx"
    assert not uses_calamine(path)  # a cell with two values: the reference reader decides
    res = both(path)
    assert findings(res) == [
        (
            "VAL-02",
            "基本信息!B9",
            "基本信息“信息处理费金额（元）”为 inf，不是有限的数值（数值溢出或不是数），"
            "不是有效的金额",
        )
    ]


def test_inline_string_with_stray_value_fixture_reads_the_label():
    """A label that is an inline string and also carries ``<v>1e999</v>``: openpyxl reads
    the inline string; calamine read a blank and refused the workbook as restructured."""
    path = FIXTURES / "fuzz-inline-string-with-stray-value.xlsx"
    assert not uses_calamine(path)
    res = both(path)
    assert findings(res) == []
    assert res.report.agency == "巫山县人民政府"


# ---------------------------------------------------------------- every non-finite value
@pytest.fixture(scope="module")
def sample_bytes() -> bytes:
    return workbook_bytes(read_json(SAMPLE_JSON).report)


def with_number_text(src: bytes, out: Path, sheet: str, ref: str, text: bytes) -> Path:
    """The workbook with cell ``sheet!ref`` replaced by a number cell storing ``text``."""
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(src)) as zin:
        part = sheet_parts(zin)[sheet]
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
            for info in zin.infolist():
                data = zin.read(info.filename)
                if info.filename == part:
                    pattern = rb'<c r="' + ref.encode() + rb'"[^>]*?(?:/>|>.*?</c>)'
                    new = b'<c r="' + ref.encode() + b'" t="n"><v>' + text + b"</v></c>"
                    data, n = re.subn(pattern, lambda _m, new=new: new, data, count=1, flags=re.S)
                    assert n == 1, f"{sheet}!{ref} not found"
                zout.writestr(info, data)
    out.write_bytes(buf.getvalue())
    return out


# (stored text, what the message shows)
NOT_FINITE = [
    (b"1e999", "inf"),
    (b"-1e999", "-inf"),
    (b"1E+400", "inf"),
    (b"inf", "“inf”"),
    (b"-inf", "“-inf”"),
    (b"nan", "“nan”"),
    (b"NaN", "“NaN”"),
    (b"Infinity", "“Infinity”"),
    (b"1.#INF", "“1.#INF”"),
    (b"9" * 400, "99999999999999999999999…"),  # an int for openpyxl, inf for calamine
    (b"9" * 5000, "99999999999999999999999…"),  # beyond int(): a text in both sources
    (b"1e308", "1e+308"),
]
CELLS = [
    ("基本信息", "B9", "VAL-02"),  # 信息处理费金额（元）: money
    ("基本信息", "B8", "VAL-01"),  # 信息处理费件数: a count among the basic information
    ("表二", "B16", "VAL-02"),  # 行政事业性收费（万元）: a money cell of a table
    ("表三", "D6", "VAL-01"),  # a count cell of a table
]


def test_cells_are_what_the_test_says(sample_bytes, tmp_path):
    """The coordinates above are a money and a count cell (guards against layout changes)."""
    path = tmp_path / "s.xlsx"
    path.write_bytes(sample_bytes)
    res = read_workbook(path)
    assert res.locator.cell(("proactive", "fees")) == "表二!B16"
    assert res.locator.cell(("requests", "new", 0)) == "表三!D6"
    info = {f.key: (f.row, f.kind) for f in layout_for(get_format(res.report.format)).info_fields}
    assert info["processing_fee.cases"] == (8, "count")
    assert info["processing_fee.amount_yuan"] == (9, "money")


@pytest.mark.parametrize(("sheet", "ref", "rule"), CELLS)
@pytest.mark.parametrize(("text", "shown"), NOT_FINITE, ids=lambda v: str(v)[:12])
def test_not_a_finite_number_is_a_finding_at_its_cell(
    sample_bytes, tmp_path, sheet, ref, rule, text, shown
):
    path = with_number_text(sample_bytes, tmp_path / "n.xlsx", sheet, ref, text)
    res = both(path)
    at_cell = [f for f in res.findings if f.location == f"{sheet}!{ref}"]
    assert [f.rule for f in at_cell] == [rule], findings(res)
    assert shown in at_cell[0].message
    assert len(at_cell[0].message) < 120  # 5000 digits are not printed whole
    if sheet != "基本信息":  # a table value that is not a number is unusable, not 0
        path_of = ("proactive", "fees") if sheet == "表二" else ("requests", "new", 0)
        assert path_of in res.invalid


def test_a_cached_total_that_is_not_a_number(sample_bytes, tmp_path):
    """A total whose stored result is ``inf`` text (its formula kept): both readers show it."""
    path = tmp_path / "t.xlsx"
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(sample_bytes)) as zin:
        part = sheet_parts(zin)["表三"]
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
            for info in zin.infolist():
                data = zin.read(info.filename)
                if info.filename == part:
                    data, n = re.subn(
                        rb'(<c r="J6"[^>]*>)(<f>[^<]*</f>)(?:<v>[^<]*</v>)?',
                        lambda m: m.group(1) + m.group(2) + b"<v>inf</v>",
                        data,
                        count=1,
                    )
                    assert n == 1
                zout.writestr(info, data)
    path.write_bytes(buf.getvalue())
    res = both(path)
    xl = [f for f in res.findings if f.location == "表三!J6"]
    assert [f.rule for f in xl] == ["XL-01"]
    assert "显示为 inf" in xl[0].message


@pytest.mark.parametrize(
    "value",
    [float("inf"), float("-inf"), float("nan"), "9" * 5000, "1e999", 10**400],
    ids=["inf", "-inf", "nan", "5000-digit-text", "1e999-text", "400-digit-int"],
)
def test_parsers_never_accept_or_crash(value):
    """The value parsers behind both readers: a reason, never a number or a ValueError."""
    count, why_count = parse_count(value)
    money, why_money = parse_money(value)
    assert count is None and why_count and len(why_count) < 100
    assert money is None and why_money and len(why_money) < 100


def _sheet(cells: str) -> bytes:
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    return f'<worksheet xmlns="{ns}"><sheetData><row r="1">{cells}</row></sheetData></worksheet>'.encode()


@pytest.mark.parametrize(
    ("value", "styled", "outcome"),
    [
        ("12", False, "number"),
        ("²", False, "text"),  # str.isdigit() is true, int() refuses it: stays text, as before
        ("٣", False, "number"),  # an Arabic-Indic digit int() reads
        ("2958465", True, "number"),  # the last date Excel can show
        ("2958466", True, "openpyxl"),  # beyond it in a date-styled cell: openpyxl reads
        ("9999999", False, "number"),
        ("0002958466", True, "openpyxl"),
        ("1.5", False, "float"),
    ],
)
def test_the_cell_scan_fast_path_keeps_the_rules(value: str, styled: bool, outcome: str) -> None:
    """The scan's shortcut for small whole numbers (issue 14) decides as the full path does."""
    from gdr_gen.readers.calamine_source import Unsuitable, _scan

    style = ' s="3"' if styled else ""
    xml = _sheet(f'<c r="A1"{style}><v>{value}</v></c>')
    if outcome == "openpyxl":
        with pytest.raises(Unsuitable):
            _scan(xml)
        return
    special = _scan(xml)
    assert ((1, 1) in special.texts) == (outcome == "text")
    assert ((1, 1) in special.floats) == (outcome == "float")
    assert special.seen == {(1, 1)}
