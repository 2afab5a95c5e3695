"""The python-calamine cell source gives exactly what the openpyxl source gives."""

from __future__ import annotations

import io
import random
import re
import zipfile
from pathlib import Path

import pytest
from merge_units import random_unit, unit_name
from region_edits import cell_of, edit_workbook

from gdr_gen.readers import LoadResult
from gdr_gen.readers.calamine_source import CalamineSource, open_source, read_workbook_fast
from gdr_gen.readers.json_reader import read_json
from gdr_gen.readers.xlsx_reader import read_workbook, wanted_sheets
from gdr_gen.readers.xlsx_source import OpenpyxlSource
from gdr_gen.writers.json_writer import dumps
from gdr_gen.writers.xlsx_writer import write_workbook

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_inputs" / "巫山县2022.json"
LO_FIXTURE = ROOT / "tests" / "fixtures" / "region_lo_edited.xlsx"


def as_comparable(res: LoadResult) -> tuple[str, list[dict], list, set]:
    findings = [f.to_dict() for f in res.findings]
    paths = [f.paths for f in res.findings]
    return dumps(res.report), findings, paths, set(res.invalid)


def assert_same(path: Path) -> LoadResult:
    slow = read_workbook(path)
    fast = read_workbook_fast(path)
    assert as_comparable(fast) == as_comparable(slow)
    assert fast.locator.cell(("requests", "new", 0)) == slow.locator.cell(("requests", "new", 0))
    return fast


def uses_calamine(path: Path) -> bool:
    src = open_source(path, path.read_bytes(), wanted_sheets(), max_rows=200)
    return isinstance(src, CalamineSource)


@pytest.fixture
def sample_book(tmp_path) -> Path:
    return write_workbook(read_json(SAMPLE).report, tmp_path / "sample.xlsx")


def test_sample_workbook(sample_book):
    res = assert_same(sample_book)
    assert uses_calamine(sample_book)
    assert res.report.requests.row("new").total == 39
    assert res.findings == []


@pytest.mark.parametrize("seed", range(6))
def test_random_units(tmp_path, seed):
    rng = random.Random(seed)
    report = random_unit(rng, unit_name(seed))
    report.narrative.overview.intro = "第一段\n第二段 & <特殊> “引号”"
    path = write_workbook(report, tmp_path / "u.xlsx")
    assert uses_calamine(path)
    res = assert_same(path)
    assert res.report.requests.row("total").values == report.requests.row("total").values


def test_edited_workbook_without_cached_values(tmp_path, sample_book):
    path = edit_workbook(sample_book, tmp_path / "edited.xlsx")
    assert uses_calamine(path)
    res = assert_same(path)
    rules = {f.rule for f in res.findings}
    assert {"XL-02", "VAL-01"} <= rules  # formula in an input cell; a date as a count
    assert ("requests", "granted", 0) in res.invalid


def test_libreoffice_saved_fixture():
    """Saved by LibreOffice after the edits: cached results, LibreOffice's XML style."""
    assert uses_calamine(LO_FIXTURE)
    res = assert_same(LO_FIXTURE)
    xl02 = [f for f in res.findings if f.rule == "XL-02"]
    assert xl02 and "计算结果为 1" in xl02[0].message


def _rewrite_sheet(path: Path, out: Path, sheet_part: str, change) -> Path:
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == sheet_part:
                data = change(data)
            dst.writestr(info, data)
    return out


def _part_of(path: Path, sheet: str) -> str:
    from gdr_gen.readers.calamine_source import sheet_parts

    with zipfile.ZipFile(path) as zf:
        return sheet_parts(zf)[sheet]


def test_shared_formulas_errors_and_cached_results(tmp_path, sample_book):
    """Excel-style XML: a shared total formula, cached results, an error value."""
    sheet, j6 = cell_of(("requests", "new", 6))
    _, j7 = cell_of(("requests", "carried_over", 6))
    _, d6 = cell_of(("requests", "new", 0))

    def change(xml: bytes) -> bytes:
        text = xml.decode("utf-8")
        text = re.sub(
            rf'<c r="{j6}"([^>]*)><f>([^<]*)</f><v\s*/?>(</v>)?</c>',
            rf'<c r="{j6}"\1><f t="shared" ref="{j6}:{j7}" si="0">\2</f><v>39</v></c>',
            text,
        )
        text = re.sub(
            rf'<c r="{j7}"([^>]*)><f>([^<]*)</f><v\s*/?>(</v>)?</c>',
            rf'<c r="{j7}"\1><f t="shared" si="0"/><v>0</v></c>',
            text,
        )
        text = re.sub(
            rf'<c r="{d6}"([^>]*?)( t="\w+")?>(.*?)</c>',
            rf'<c r="{d6}"\1 t="e"><v>#DIV/0!</v></c>',
            text,
        )
        return text.encode("utf-8")

    out = _rewrite_sheet(
        sample_book, tmp_path / "shared.xlsx", _part_of(sample_book, sheet), change
    )
    assert uses_calamine(out)
    src = open_source(out, out.read_bytes(), wanted_sheets(), max_rows=200)
    ref = OpenpyxlSource(out, out.read_bytes(), wanted_sheets(), max_rows=200)
    row7, col10 = int(j7[1:]), 10
    assert src.cell(sheet, row7, col10) == ref.cell(sheet, row7, col10)
    assert src.cell(sheet, row7, col10).formula == f"SUM(D{row7}:I{row7})"
    res = assert_same(out)
    assert any("#DIV/0!" in f.message for f in res.findings)


def test_far_away_cell_falls_back_to_openpyxl(tmp_path, sample_book):
    sheet, _ = cell_of(("requests", "new", 0))

    def change(xml: bytes) -> bytes:
        return xml.replace(
            b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'
        )

    out = _rewrite_sheet(sample_book, tmp_path / "far.xlsx", _part_of(sample_book, sheet), change)
    assert not uses_calamine(out)
    assert_same(out)


def test_not_a_workbook_same_error(tmp_path):
    from gdr_gen.errors import InputError

    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    with pytest.raises(InputError) as slow:
        read_workbook(bad)
    with pytest.raises(InputError) as fast:
        read_workbook_fast(bad)
    assert str(fast.value) == str(slow.value)


def test_calamine_grid_origin_is_a1(tmp_path):
    """A sheet whose first cell is not A1 keeps its coordinates."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "S"
    ws["C4"] = 7
    ws["B9"] = "=C4*2"
    buf = io.BytesIO()
    wb.save(buf)
    data = buf.getvalue()
    p = tmp_path / "x.xlsx"
    p.write_bytes(data)
    fast = CalamineSource(p, data, ["S"], max_rows=50)
    slow = OpenpyxlSource(p, data, ["S"], max_rows=50)
    for r in range(1, 12):
        for c in range(1, 6):
            assert fast.cell("S", r, c) == slow.cell("S", r, c), (r, c)
    assert fast.last_row("S") == slow.last_row("S") == 9
    assert fast.cell("S", 4, 3).value == 7 and isinstance(fast.cell("S", 4, 3).value, int)


@pytest.mark.parametrize(
    "name", sorted(p.name for p in (ROOT / "tests" / "fixtures").glob("*.xls*"))
)
def test_every_workbook_fixture(name):
    """Every workbook fixture (LibreOffice-saved, encrypted, old .xls …): same result or
    the same refusal."""
    from gdr_gen.errors import InputError

    path = ROOT / "tests" / "fixtures" / name
    try:
        slow = read_workbook(path)
    except InputError as exc:
        with pytest.raises(InputError) as fast_exc:
            read_workbook_fast(path)
        assert str(fast_exc.value) == str(exc)
        return
    assert as_comparable(read_workbook_fast(path)) == as_comparable(slow)
