"""Merging workbooks into a region workbook, read back as the office would."""

from __future__ import annotations

import json
import random
from decimal import Decimal

import openpyxl
import pytest
from merge_units import random_unit, unit_name

from gdr_gen.checks import Severity
from gdr_gen.commands.merge import merge_files
from gdr_gen.commands.region_workbook import UNITS_SHEET
from gdr_gen.readers import load_report
from gdr_gen.region import merge_rules
from gdr_gen.writers.json_writer import write_json
from gdr_gen.writers.xlsx_writer import write_workbook


@pytest.fixture
def unit_folder(tmp_path):
    """Three workbooks and two JSON files of different units."""
    rng = random.Random(21)
    folder = tmp_path / "各单位"
    folder.mkdir()
    reports = []
    for i in range(5):
        r = random_unit(rng, unit_name(i))
        reports.append(r)
        if i < 3:
            write_workbook(r, folder / f"{i:02d}.xlsx")
        else:
            write_json(r, folder / f"{i:02d}.json")
    return folder, reports


def test_region_workbook_holds_the_sums_and_reads_clean(tmp_path, unit_folder):
    folder, reports = unit_folder
    out = tmp_path / "巫山县2022.xlsx"
    res = merge_files([folder], output=out, agency="巫山县人民政府", year=2022)
    assert len(res.merge.units) == 5
    back = load_report(out)
    region = back.report
    assert region.agency == "巫山县人民政府" and region.year == 2022
    for path in region.table_paths():
        assert region.value(path) == sum(r.value(path) for r in reports), path
    assert region.proactive.money["fees"] == sum(
        (r.proactive.money["fees"] for r in reports), Decimal(0)
    )
    findings = back.check(only=merge_rules())
    assert not [f for f in findings if f.severity is Severity.ERROR], findings
    # prose sheets are left empty for the region office
    assert region.narrative.overview.is_empty()


def test_units_sheet_lists_each_unit(tmp_path, unit_folder):
    folder, reports = unit_folder
    out = tmp_path / "region.xlsx"
    merge_files([folder], output=out, agency="巫山县人民政府", year=2022)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[-1] == UNITS_SHEET
    ws = wb[UNITS_SHEET]
    header = [c.value for c in ws[4]]
    assert header[:3] == ["单位", "文件", "表三一、本年新收（总计）"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=5, max_row=10)]
    assert [r[0] for r in rows[:5]] == [unit_name(i) for i in range(5)]
    assert [r[1] for r in rows[:5]] == ["00.xlsx", "01.xlsx", "02.xlsx", "03.json", "04.json"]
    new_col = header.index("表三一、本年新收（总计）")
    assert [r[new_col] for r in rows[:5]] == [r.requests.row("new").total for r in reports]
    assert rows[5][0] == "合计（5 个单位）"
    assert rows[5][new_col] == sum(r.requests.row("new").total for r in reports)
    fee_col = header.index("行政事业性收费（万元）")
    assert Decimal(str(rows[5][fee_col])) == sum(
        (r.proactive.money["fees"] for r in reports), Decimal(0)
    )


def test_region_workbook_is_deterministic_and_guarded(tmp_path, unit_folder):
    folder, _ = unit_folder
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    merge_files([folder], output=a, agency="巫山县人民政府", year=2022)
    merge_files([folder], output=b, agency="巫山县人民政府", year=2022)
    assert a.read_bytes() == b.read_bytes()
    from gdr_gen.errors import OutputExistsError

    with pytest.raises(OutputExistsError):
        merge_files([folder], output=a, agency="巫山县人民政府", year=2022)


def test_skipped_units_are_listed_in_the_units_sheet(tmp_path, unit_folder):
    folder, _ = unit_folder
    bad = json.loads((folder / "03.json").read_text(encoding="utf-8"))
    bad["requests"]["granted"][0] += 1
    (folder / "03.json").write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "region.xlsx"
    merge_files([folder], output=out, agency="巫山县人民政府", year=2022, skip_invalid=True)
    ws = openpyxl.load_workbook(out)[UNITS_SHEET]
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert "未汇总的单位（1 个，未通过检查或无法读取）" in texts
    assert f"{unit_name(3)}（03.json）" in texts


def test_cli_merge_to_workbook(cli, tmp_path, unit_folder):
    folder, _ = unit_folder
    out = tmp_path / "巫山县2022.xlsx"
    r = cli("merge", folder, "-o", out, "--agency", "巫山县人民政府", "--year", "2022")
    assert r.code == 0, r.out + r.err
    assert "已汇总 5 个单位" in r.out and "正文部分请汇总机关自行撰写" in r.out
    r = cli("check", out, "--format", "json")
    errors = [
        f
        for f in json.loads(r.out)
        if f["severity"] == "error" and f["rule"][:2] in ("VA", "T2", "T3", "T4", "DA")
    ]
    assert errors == []  # the prose is the region office's to write; its rules may complain
