"""``gdr-gen merge FOLDER`` with published reports among the units (issue 10).

A county's units folder as it really is: workbook and JSON units, units that sent only their
published report (a web page, a Word file, a PDF — made by gdr-gen itself from unit data),
a notice that is no report, Office lock files, a text note, an image, and a page built from a
unit's own workbook. The tests compare the merged figures with sums computed here from the
units' data, and read back what the office is told about every file that was not merged.
"""

from __future__ import annotations

import json
import random
import re
import shutil
from decimal import Decimal
from pathlib import Path

import docx
import openpyxl
import pytest
from merge_units import random_unit, unit_name

from gdr_gen.commands.build import build_report
from gdr_gen.commands.region_workbook import UNITS_SHEET
from gdr_gen.model import Report
from gdr_gen.readers import load_report
from gdr_gen.region import input_paths
from gdr_gen.review import review_folder
from gdr_gen.writers.json_writer import write_json
from gdr_gen.writers.pdf import find_soffice
from gdr_gen.writers.xlsx_writer import write_workbook

HAVE_SOFFICE = find_soffice() is not None
needs_soffice = pytest.mark.skipif(
    not HAVE_SOFFICE, reason="LibreOffice (soffice) not installed: the PDF unit is not made"
)
AGENCY = "巫山县人民政府"

# unit number → how the unit reaches the county office
KINDS = {0: "xlsx", 1: "json", 2: "html", 3: "docx", 4: "pdf", 5: "xlsx"}
NOT_REPORTS = {
    "~$00.xlsx": "锁文件",
    ".~lock.05.xlsx#": "锁文件",
    "关于报送年报的通知.docx": "不像是政府信息公开工作年度报告",
    "说明.txt": "不像是政府信息公开工作年度报告",
    "封面.png": "不是年报文件",
    "新建文本文档.txt": "空文件",
}


def make_unit(i: int) -> Report:
    r = random_unit(random.Random(100 + i), unit_name(i))
    r.narrative.overview.intro = "本单位认真贯彻落实《中华人民共和国政府信息公开条例》。"
    r.narrative.problems.intro = "存在的问题：公开的及时性有待提高。改进情况：加强培训。"
    r.narrative.other.intro = "无其他需要报告的事项。"
    return r


def publish(report: Report, work: Path, target: Path) -> Path:
    """The unit's published report, built by gdr-gen from its data."""
    src = write_json(report, work / f"{target.stem}.json")
    fmt = target.suffix.lstrip(".")
    result = build_report(src, output=target, formats=(fmt,))
    assert result.written == [target], result.findings
    return target


def write_notice(path: Path) -> None:
    d = docx.Document()
    d.add_paragraph("关于报送2022年度政府信息公开工作年度报告的通知")
    d.add_paragraph("各单位：请于2023年1月31日前将本单位年度报告报送县政务公开办。")
    d.save(str(path))


@pytest.fixture(scope="module")
def region(tmp_path_factory):
    """The units folder, and the units' reports as made (for the expected sums)."""
    root = tmp_path_factory.mktemp("merge-published")
    folder, work = root / "各单位", root / "work"
    folder.mkdir()
    work.mkdir()
    units: dict[int, Report] = {}
    for i, kind in KINDS.items():
        if kind == "pdf" and not HAVE_SOFFICE:
            continue
        units[i] = report = make_unit(i)
        target = folder / f"{i:02d}.{kind}"
        if kind == "xlsx":
            write_workbook(report, target)
        elif kind == "json":
            write_json(report, target)
        else:
            publish(report, work, target)
    # the web page of unit 2 as its site printed it: a label variant the reader notes
    page = folder / "02.html"
    html = page.read_text(encoding="utf-8")
    assert html.count(">行政规范性文件<") == 1
    page.write_text(html.replace(">行政规范性文件<", ">规范性文件<"), encoding="utf-8")
    # unit 5's own page, published from its workbook, beside the workbook
    publish(units[5], work, folder / "人社局2022年报.html")
    # what else a units folder holds
    (folder / "~$00.xlsx").write_bytes(b"\x00lock")
    (folder / ".~lock.05.xlsx#").write_text("lock", encoding="utf-8")
    write_notice(folder / "关于报送年报的通知.docx")
    (folder / "说明.txt").write_text("本文件夹存放各单位报送的年报。\n联系人：张三\n", "utf-8")
    (folder / "封面.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (folder / "新建文本文档.txt").write_bytes(b"")
    return folder, units


def expected_sums(units: dict[int, Report]) -> dict:
    spec = next(iter(units.values())).spec
    return {path: sum(u.value(path) for u in units.values()) for path, _ in input_paths(spec)}


def test_folder_with_published_reports_merges_every_unit(cli, region, tmp_path):
    folder, units = region
    out = tmp_path / "全县汇总.json"
    r = cli("merge", folder, "-o", out, "--agency", AGENCY, "--year", "2022")
    assert r.code == 0, r.out + r.err
    assert f"已汇总 {len(units)} 个单位" in r.out
    merged = load_report(out).report
    # every input cell is the sum over all units, whatever file each unit came in
    for path, value in expected_sums(units).items():
        assert merged.value(path) == value, path
    assert merged.requests.row("new").computed_total == sum(
        u.requests.row("new").computed_total for u in units.values()
    )
    fees = sum((u.processing_fee.amount_yuan for u in units.values()), Decimal(0))
    assert merged.processing_fee.amount_yuan == fees
    # the JSON holds the same numbers
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["requests"]["new"][:6] == [
        sum(u.requests.rows["new"].values[c] for u in units.values()) for c in range(6)
    ]


def test_non_reports_are_skipped_and_listed_with_reasons(cli, region, tmp_path):
    folder, _units = region
    r = cli("merge", folder, "-o", tmp_path / "r.json", "--agency", AGENCY)
    assert r.code == 0, r.out + r.err
    out = re.sub(r"\s*\n\s*", "", r.out)  # rich wraps long lines
    assert "已跳过 7 个文件（不是单位的年报）" in out
    for name, why in NOT_REPORTS.items():
        assert re.search(re.escape(name) + "：[^：]*" + why, out), name
    # the page published from unit 5's workbook is not counted a second time
    assert "人社局2022年报.html：与 05.xlsx 是同一单位、同一年度、表格数据相同" in out
    assert "未重复计入" in out


def test_reader_notes_of_a_published_unit_are_shown(cli, region, tmp_path):
    folder, _units = region
    out = tmp_path / "全县汇总.xlsx"
    r = cli("merge", folder, "-o", out, "--agency", AGENCY)
    assert r.code == 0, r.out + r.err
    text = re.sub(r"\s*\n\s*", "", r.out)
    assert "读取时有需要注意的情况" in text
    assert f"{unit_name(2)}（02.html）：IMP-04 提示" in text
    assert "“规范性文件”与正式格式不同，已按“行政规范性文件”读取" in text
    # the publish date the generated pages lack is no concern of a merge
    assert "落款日期" not in text
    # the region workbook's summary sheet: every unit, the note, the skipped files
    ws = openpyxl.load_workbook(out)[UNITS_SHEET]
    rows = [[c for c in row if c is not None] for row in ws.iter_rows(values_only=True)]
    files = [row[1] for row in rows[4:] if len(row) > 2 and str(row[1]).startswith("0")]
    assert sorted(files) == sorted(
        f"{i:02d}.{k}" for i, k in KINDS.items() if k != "pdf" or HAVE_SOFFICE
    )
    flat = [" ".join(str(c) for c in row) for row in rows]
    head = next(i for i, line in enumerate(flat) if line.startswith("跳过的文件（7 个"))
    listed = {row[0]: row[1] for row in rows[head + 1 : head + 8]}
    assert set(listed) == {*NOT_REPORTS, "人社局2022年报.html"}
    for name, why in NOT_REPORTS.items():
        assert why in listed[name], name
    notes = next(i for i, line in enumerate(flat) if line.startswith("已汇总、读取时有需要注意"))
    assert rows[notes + 1][0] == f"{unit_name(2)}（02.html）"
    assert rows[notes + 1][1].startswith("IMP-04（提示）")


def test_merge_of_the_folder_is_deterministic(cli, region, tmp_path):
    folder, _units = region
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    assert cli("merge", folder, "-o", a, "--agency", AGENCY).code == 0
    assert cli("merge", folder, "-o", b, "--agency", AGENCY).code == 0
    assert a.read_bytes() == b.read_bytes()
    j1, j2 = tmp_path / "a.json", tmp_path / "b.json"
    assert cli("merge", folder, "-o", j1, "--agency", AGENCY).code == 0
    assert cli("merge", folder, "-o", j2, "--agency", AGENCY).code == 0
    assert j1.read_bytes() == j2.read_bytes()


@needs_soffice
def test_pdf_unit_is_read_and_merged(cli, region, tmp_path):
    folder, units = region
    out = tmp_path / "r.json"
    r = cli("merge", folder / "04.pdf", folder / "00.xlsx", "-o", out, "--agency", AGENCY)
    assert r.code == 0, r.out + r.err
    merged = load_report(out).report
    for path, _ in input_paths(merged.spec):
        assert merged.value(path) == units[4].value(path) + units[0].value(path), path


def test_named_files_stay_strict(cli, region, tmp_path):
    """A notice named on the command line is an error (as any unreadable unit), not a skip."""
    folder, _units = region
    out = tmp_path / "r.json"
    notice = folder / "关于报送年报的通知.docx"
    r = cli("merge", folder / "00.xlsx", notice, "-o", out, "--agency", AGENCY)
    assert r.code == 1
    assert "✗ 关于报送年报的通知.docx：无法读取：这个Word" in r.out
    assert "未通过检查或无法读取，未生成汇总（其余 1 个单位正常）" in r.err
    assert not out.exists()
    # the same page published from a workbook, named next to it: the unit twice
    page = folder / "人社局2022年报.html"
    r = cli("merge", folder / "05.xlsx", page, "-o", out, "--agency", AGENCY)
    assert r.code == 1
    assert "出现两次" in r.err
    assert not out.exists()


def test_a_published_report_that_differs_from_its_workbook_is_a_conflict(cli, region, tmp_path):
    """Same body and year, different numbers: the office must choose, gdr-gen does not."""
    folder, _units = region
    units_dir = tmp_path / "各单位"
    units_dir.mkdir()
    shutil.copy(folder / "05.xlsx", units_dir / "05.xlsx")
    changed = make_unit(5)
    changed.requests.rows["new"].values[0] += 1
    changed.requests.rows["carried_forward"].values[0] += 1
    publish(changed, tmp_path, units_dir / "人社局年报.html")
    r = cli("merge", units_dir, "-o", tmp_path / "r.json", "--agency", AGENCY)
    assert r.code == 1
    assert f"「{unit_name(5)}」2022 年出现两次：05.xlsx 与 人社局年报.html" in r.err
    assert not (tmp_path / "r.json").exists()


def test_same_body_spelled_with_the_city_is_the_same_unit(cli, region, tmp_path):
    folder, _units = region
    units_dir = tmp_path / "各单位"
    units_dir.mkdir()
    shutil.copy(folder / "01.json", units_dir / "01.json")
    again = make_unit(1)
    again.agency = "重庆市" + again.agency
    write_json(again, units_dir / "01-重庆市.json")
    r = cli("merge", units_dir, "-o", tmp_path / "r.json", "--agency", AGENCY)
    assert r.code == 1
    assert "出现两次：01-重庆市.json 与 01.json" in r.err


def test_a_folder_of_only_non_reports_cannot_run(cli, tmp_path):
    folder = tmp_path / "各单位"
    folder.mkdir()
    write_notice(folder / "通知.docx")
    (folder / "~$a.xlsx").write_bytes(b"x")
    r = cli("merge", folder, "-o", tmp_path / "r.json", "--agency", AGENCY)
    assert r.code == 2
    err = re.sub(r"\s*\n\s*", "", r.err)
    assert "没有找到单位的年报" in err
    assert "通知.docx：这个Word" in err and "~$a.xlsx：Office/WPS" in err
    (folder / "通知.docx").unlink()
    r = cli("merge", folder, "-o", tmp_path / "r.json", "--agency", AGENCY)
    assert r.code == 2
    assert "没有找到单位的年报或填报工作簿" in re.sub(r"\s*\n\s*", "", r.err)


def test_refused_unit_lists_the_skipped_files_too(cli, region, tmp_path):
    folder, _units = region
    units_dir = tmp_path / "各单位"
    units_dir.mkdir()
    shutil.copy(folder / "00.xlsx", units_dir / "00.xlsx")
    shutil.copy(folder / "说明.txt", units_dir / "说明.txt")
    (units_dir / "坏.xlsx").write_text("garbage", encoding="utf-8")
    r = cli("merge", units_dir, "-o", tmp_path / "r.json", "--agency", AGENCY)
    assert r.code == 1
    assert "✗ 坏.xlsx：无法读取" in r.out
    assert "说明.txt：这个文本文件不像是" in re.sub(r"\s*\n\s*", "", r.out)
    r = cli("merge", units_dir, "-o", tmp_path / "r.json", "--agency", AGENCY, "--skip-invalid")
    assert r.code == 0, r.err
    assert "已汇总 1 个单位" in r.out and "已跳过 1 个文件" in r.out


def test_review_of_the_same_folder_skips_the_same_files(region):
    """``check FOLDER`` and ``merge FOLDER`` share the definition of a folder's reports."""
    folder, units = region
    reviewed = review_folder(folder, jobs=1)
    skipped = {s.name: s.reason for s in reviewed.skipped}
    assert set(skipped) == set(NOT_REPORTS)
    for name, why in NOT_REPORTS.items():
        assert why in skipped[name], name
    assert not reviewed.unreadable
    assert {u.name for u in reviewed.units} >= {f"{i:02d}.{KINDS[i]}" for i in units}
