"""Text from other people's files is stored as text in every workbook gdr-gen writes
(issue 17): a unit named ``=HYPERLINK(…)`` must not become a live formula in the county's
merged workbook. The only formulas are gdr-gen's own live totals."""

from __future__ import annotations

import random
from pathlib import Path

import openpyxl
import pytest
from merge_units import random_unit

from gdr_gen.model import Report
from gdr_gen.readers import load_report
from gdr_gen.writers.json_writer import write_json
from gdr_gen.writers.xlsx_writer import build_workbook, write_workbook

HOSTILE = [
    '=HYPERLINK("http://example.invalid/x","巫山县民政局")',
    "+1+2巫山县财政局",
    "-3+4巫山县公安局",
    "@SUM(A1:A9)巫山县教育委员会",
    "\t=1+1巫山县水利局",
    "=cmd|' /C calc'!A0",
    "#N/A",
]


def _formulas(path: Path) -> dict[tuple[str, str], str]:
    wb = openpyxl.load_workbook(path)
    return {
        (ws.title, c.coordinate): str(c.value)
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.data_type == "f"
    }


def _texts(path: Path) -> set[str]:
    wb = openpyxl.load_workbook(path)
    return {c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value}


@pytest.fixture(scope="module")
def own_formulas(tmp_path_factory) -> dict[tuple[str, str], str]:
    """gdr-gen's own formulas: the live totals of the format's fill-in layout, taken from a
    blank workbook of the same format (so no address is typed here)."""
    wb = build_workbook(Report.blank("某单位", 2022))
    found = {
        (ws.title, c.coordinate): str(c.value)
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.data_type == "f"
    }
    assert found and all(v.startswith("=SUM(") for v in found.values())
    return found


def _hostile_units(folder: Path) -> list[Report]:
    rng = random.Random(17)
    reports = []
    for i, name in enumerate(HOSTILE):
        r = random_unit(rng, name)
        r.narrative.overview.intro = HOSTILE[(i + 1) % len(HOSTILE)] + "（总体情况）"
        r.narrative.other.intro = "=1+1"
        if i % 2:
            write_workbook(r, folder / f"{i:02d}.xlsx")
        else:
            write_json(r, folder / f"{i:02d}.json")
        reports.append(r)
    # a file whose own name looks like a formula: its name goes into the 文件 column
    write_workbook(random_unit(rng, "巫山县林业局"), folder / "=1+2.xlsx")
    return reports


def test_unit_workbooks_keep_hostile_text_as_text(tmp_path, own_formulas):
    for i, name in enumerate(HOSTILE):
        r = random_unit(random.Random(i), name)
        r.narrative.overview.intro = name
        path = write_workbook(r, tmp_path / f"{i}.xlsx")
        assert _formulas(path) == own_formulas
        assert name in _texts(path)
        back = load_report(path).report
        assert back.narrative.overview.intro == name.strip()
        assert back.agency == name.strip()


def test_merge_writes_no_formula_from_the_units(cli, tmp_path, own_formulas):
    folder = tmp_path / "各单位"
    folder.mkdir()
    _hostile_units(folder)
    out = tmp_path / "汇总.xlsx"
    r = cli("merge", folder, "-o", out, "--agency", "=巫山县人民政府", "--year", "2022")
    assert r.code in (0, 1), r.out + r.err
    # every workbook written in this test: the units' and the region's
    written = sorted(tmp_path.rglob("*.xlsx"))
    assert out in written and len(written) == 5
    for path in written:
        assert _formulas(path) == own_formulas, path
    # the text comes back exactly as each unit's file gave it
    wb = openpyxl.load_workbook(out)
    units = wb["各单位汇总"]
    names = {c.value for c in units["A"] if c.value}
    files = {c.value for c in units["B"] if c.value}
    for path in sorted(folder.iterdir()):
        agency = load_report(path).report.agency
        assert agency in names
        assert path.name in files
    assert "=1+2.xlsx" in files
    assert units["A1"].value.startswith("=巫山县人民政府2022年")
    assert units["A1"].data_type == "s"


def test_init_from_keeps_hostile_text_as_text(cli, tmp_path, sample_data, own_formulas):
    """``init --from``: a JSON file's (or last year's workbook's) texts stay text."""
    from conftest import write_json as write_data

    sample_data["agency"] = HOSTILE[0]
    sample_data["narrative"]["overview"]["intro"] = "=1+1"
    sample_data["narrative"]["overview"]["sections"][0]["title"] = "@SUM(A1)"
    sample_data["narrative"]["other"]["intro"] = "+1-1"
    src = write_data(tmp_path / "d.json", sample_data)
    out = tmp_path / "预填.xlsx"
    r = cli("init", out, "--from", src)
    assert r.code == 0, r.out + r.err
    assert _formulas(out) == own_formulas
    assert {HOSTILE[0], "=1+1", "@SUM(A1)", "+1-1"} <= _texts(out)
    # and again from that workbook, for the next year
    nxt = tmp_path / "下一年.xlsx"
    r = cli("init", nxt, "--from", out)
    assert r.code == 0, r.out + r.err
    assert _formulas(nxt) == own_formulas
    assert HOSTILE[0] in _texts(nxt)
