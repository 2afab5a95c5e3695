"""``gdr-gen check FOLDER``: the region review (issue 12).

One generated region of 200 units (tests/review_units.py) with 20 known broken ones is
reviewed once per module; the tests read back what the reviewer gets: the summary, the
review workbook (openpyxl and LibreOffice), the page and the JSON.
"""

from __future__ import annotations

import csv
import json
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from review_units import (
    BROKEN,
    NO_PREVIOUS,
    UNREADABLE,
    file_name,
    make_unit,
    write_region,
)

from gdr_gen.commands.review import (
    FINDINGS_SHEET,
    RULES_SHEET,
    SKIPPED_SHEET,
    SUMMARY_SHEET,
    figure_columns,
    review_data,
    review_html,
    review_workbook_bytes,
)
from gdr_gen.region import key_figure_columns, key_figures, summary_columns, summary_values
from gdr_gen.review import (
    FAILED,
    PASSED,
    WARNED,
    ReviewResult,
    agency_parts,
    review_folder,
    same_body,
)
from gdr_gen.review import (
    UNREADABLE as V_UNREADABLE,
)
from gdr_gen.writers.json_writer import report_to_data

N = 200


@pytest.fixture(scope="module")
def region(tmp_path_factory):
    return write_region(tmp_path_factory.mktemp("region"), N)


@pytest.fixture(scope="module")
def reviewed(region) -> ReviewResult:
    return review_folder(region.folder, previous=region.previous, jobs=2)


# ---------------------------------------------------------------- agency names
@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("洪泽区人民政府", "淮安市洪泽区人民政府", True),
        ("淮安市洪泽区人民政府", "江苏省淮安市洪泽区人民政府", True),
        ("洪泽区人民政府", "淮安市人民政府", False),
        ("淮安市洪泽区人民政府", "宿迁市洪泽区人民政府", False),
        ("淮安市公安局", "淮安市洪泽区公安局", False),
        ("巫山县公安局", "重庆市巫山县公安局", True),
        ("巫山县公安局", "巫山县 公安局", True),
        ("巫山县市场监督管理局", "重庆市巫山县市场监督管理局", True),
        ("巫山县市场监督管理局", "巫山县公安局", False),
        ("巫山县人民政府", "巫山县人民政府办公室", False),
        ("巫山县巫峡镇人民政府", "巫山县大昌镇人民政府", False),
        ("巫山县巫峡镇人民政府", "重庆市巫山县巫峡镇人民政府", True),
        ("(巫山县)公安局", "（巫山县）公安局", True),
    ],
)
def test_same_body(a, b, same):
    assert same_body(a, b) is same
    assert same_body(b, a) is same


def test_agency_parts_keep_words_that_start_with_a_level_word():
    assert agency_parts("巫山县市场监督管理局") == (("巫山县",), "市场监督管理局")
    assert agency_parts("淮安市洪泽区人民政府") == (("淮安市", "洪泽区"), "人民政府")
    assert agency_parts("淮安市") == ((), "淮安市")


# ---------------------------------------------------------------- the 200-unit region
def test_every_broken_unit_and_only_those_are_marked(reviewed, region):
    by_file = {u.name: u for u in reviewed.units}
    assert len(by_file) == N
    for i in range(N):
        unit = by_file[file_name(i)]
        expected = BROKEN.get(i, set())
        error_rules = {f.rule for f in unit.findings if f.severity.value == "error"}
        if expected:
            assert unit.verdict() in (FAILED, V_UNREADABLE), (i, unit.findings)
            assert error_rules == expected, (i, error_rules)
        else:
            assert unit.verdict() in (PASSED, WARNED), (i, unit.findings)
            assert not error_rules
    assert reviewed.count(FAILED) + reviewed.count(V_UNREADABLE) == len(BROKEN) == 20
    assert reviewed.exit_code == 1


def test_carry_over_is_checked_against_the_same_body_last_year(reviewed):
    by_file = {u.name: u for u in reviewed.units}
    # odd units' previous reports spell the agency with 重庆市 in front: still paired
    assert Path(by_file["001.xlsx"].previous or "").name == "001.json"
    assert Path(by_file["013.json"].previous or "").name == "013.json"
    broken = by_file["012.json"]
    carry = [f for f in broken.findings if f.rule == "XY-01"]
    assert carry and all("上年" in f.location for f in carry)
    missing = {u.name for u in reviewed.without_previous}
    assert missing == {file_name(i) for i in NO_PREVIOUS}
    assert all("没有该单位" in u.previous_note for u in reviewed.without_previous)


def test_unreadable_lock_and_unrelated_files(reviewed):
    (i,) = UNREADABLE
    bad = next(u for u in reviewed.units if u.name == file_name(i))
    assert bad.unreadable and bad.verdict() == V_UNREADABLE
    assert "/" not in bad.unreadable  # the reason, without the file's path
    skipped = {s.name: s.reason for s in reviewed.skipped}
    assert set(skipped) == {"~$000.xlsx", "封面.png"}
    assert "锁文件" in skipped["~$000.xlsx"]


def test_key_figures_are_read_from_each_unit(reviewed):
    unit = next(u for u in reviewed.units if u.name == "010.json")
    report = make_unit(10)
    assert dict(unit.figures) == key_figures(report)
    assert dict(unit.figures)["requests.new"] == report.requests.row("new").computed_total


# ---------------------------------------------------------------- the review workbook
def test_review_workbook_reads_back(reviewed, tmp_path):
    path = tmp_path / "审核结果.xlsx"
    path.write_bytes(review_workbook_bytes(reviewed))
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [SUMMARY_SHEET, FINDINGS_SHEET, RULES_SHEET, SKIPPED_SHEET]
    skipped = list(wb[SKIPPED_SHEET].iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in skipped] == ["~$000.xlsx", "封面.png"]
    ws = wb[SUMMARY_SHEET]
    header = [c.value for c in ws[1]]
    assert header[:3] == ["文件", "单位", "年度"]
    for col in figure_columns():
        assert col.header in header
    assert "表三一、本年新收（总计）" in header and "表二行政规范性文件现行有效件数" in header
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(len(header))}{N + 1}"
    rows = [list(r) for r in ws.iter_rows(min_row=2, values_only=True)]
    assert len(rows) == N
    verdict = header.index("结论")
    verdicts = [r[verdict] for r in rows]
    # worst first: unreadable, then failed, then the rest
    assert verdicts[0] == V_UNREADABLE
    assert verdicts[1:20] == [FAILED] * 19
    assert set(verdicts[20:]) <= {WARNED, PASSED}
    failed_files = {r[0] for r in rows if r[verdict] in (FAILED, V_UNREADABLE)}
    assert failed_files == {file_name(i) for i in BROKEN}
    # a file name links to its first finding on 问题清单
    link = ws["A2"].hyperlink
    assert link is not None and link.location == f"'{FINDINGS_SHEET}'!A2"
    target_row = int(ws["A3"].hyperlink.location.rsplit("A", 1)[1])
    assert wb[FINDINGS_SHEET].cell(target_row, 1).value == ws["A3"].value
    new = header.index("表三一、本年新收（总计）")
    row10 = next(r for r in rows if r[0] == "010.json")
    assert row10[new] == make_unit(10).requests.row("new").computed_total
    # 问题清单: one row per finding, with the location as in the unit's file
    fs = wb[FINDINGS_SHEET]
    assert [c.value for c in fs[1]] == ["文件", "单位", "规则", "级别", "位置", "说明"]
    frows = list(fs.iter_rows(min_row=2, values_only=True))
    assert len(frows) == sum(len(u.findings) for u in reviewed.units)
    wb_rows = [r for r in frows if r[0] == "003.xlsx" and r[2] == "T3-01"]
    assert wb_rows and wb_rows[0][4].startswith("表三!")  # a workbook's cell, not a JSON path
    json_rows = [r for r in frows if r[0] == "017.json" and r[2] == "T3-01"]
    assert json_rows and json_rows[0][4].startswith("requests.")
    # 按规则统计
    rs = wb[RULES_SHEET]
    counts = {(r[1], r[2]): (r[4], r[5]) for r in rs.iter_rows(min_row=2, values_only=True)}
    assert counts[("T3-01", "错误")][0] == 7
    assert counts[("NT-01", "错误")][0] == 6
    assert counts[("XY-01", "错误")][0] == 6


def test_review_workbook_is_deterministic(region, reviewed):
    a = review_workbook_bytes(reviewed)  # 2 processes: units finish in any order
    b = review_workbook_bytes(review_folder(region.folder, previous=region.previous, jobs=1))
    assert a == b
    with zipfile.ZipFile(__import__("io").BytesIO(a)) as z:
        assert {i.date_time for i in z.infolist()} == {(2000, 1, 1, 0, 0, 0)}


@pytest.mark.slow
def test_review_workbook_opens_in_libreoffice(reviewed, tmp_path):
    from helpers.libreoffice import convert, recalc_xlsx

    path = tmp_path / "in" / "审核结果.xlsx"
    path.parent.mkdir()
    path.write_bytes(review_workbook_bytes(reviewed))
    # the first sheet (汇总) as CSV
    out = convert(path, tmp_path / "csv", "csv:Text - txt - csv (StarCalc):44,34,76")
    with open(out, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][:3] == ["文件", "单位", "年度"]
    assert len(rows) == N + 1
    assert {r[0] for r in rows[1:21]} == {file_name(i) for i in BROKEN}
    # re-saved by LibreOffice, every sheet still reads back
    resaved = openpyxl.load_workbook(recalc_xlsx(path, tmp_path / "lo"))
    assert resaved.sheetnames[:3] == [SUMMARY_SHEET, FINDINGS_SHEET, RULES_SHEET]
    assert resaved[FINDINGS_SHEET].max_row == 1 + sum(len(u.findings) for u in reviewed.units)


# ---------------------------------------------------------------- page, JSON, CLI
def test_html_page_links_units_to_findings(reviewed):
    page = review_html(reviewed)
    assert "<script" not in page and "http" not in page.split("<body>")[1]
    anchors = re.findall(r'<a href="#(u\d+)">', page)
    assert len(anchors) == N  # every unit has at least a warning here
    for a in anchors[:25]:
        assert f'id="{a}"' in page
    assert page.count("<tr") - 3 >= N  # header rows aside


def test_json_has_check_objects_with_file_and_agency(reviewed):
    data = review_data(reviewed)
    f = next(x for x in data["findings"] if x["file"] == "017.json" and x["rule"] == "T3-01")
    assert set(f) == {"rule", "severity", "location", "message", "file", "agency"}
    assert f["agency"] == make_unit(17).agency
    assert data["counts"]["failed"] == 19 and data["counts"]["unreadable"] == 1


def test_cli_folder_review(cli, region, tmp_path):
    out = tmp_path / "审核结果.xlsx"
    r = cli("check", region.folder, "--previous", region.previous, "-o", out)
    assert r.code == 1, r.err
    assert "共 200 个文件：未通过 19 个" in r.out
    assert "~$000.xlsx" in r.out and "没有找到上一年度报告" in r.out
    assert openpyxl.load_workbook(out)[SUMMARY_SHEET].max_row == N + 1
    small = write_region(tmp_path / "small", 30)
    page = tmp_path / "审核结果.html"
    assert cli("check", small.folder, "-o", page).code == 1
    assert "审核结果" in page.read_text("utf-8")
    r = cli("check", small.folder, "--format", "json")
    assert json.loads(r.out)["counts"]["files"] == 30
    bad = cli("check", region.folder, "-o", tmp_path / "x.docx")
    assert bad.code == 2 and "不支持的审核结果类型" in bad.err


def _write_units(folder: Path, reports) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i, rep in enumerate(reports):
        data = json.dumps(report_to_data(rep), ensure_ascii=False)
        (folder / f"{i:02d}.json").write_text(data, "utf-8")
    return folder


def test_clean_folder_exits_0_and_strict_counts_warnings(cli, tmp_path):
    units = [make_unit(i) for i in (20, 21)]
    folder = _write_units(tmp_path / "units", units)
    assert cli("check", folder, "-j", "1").code == 0
    assert cli("check", folder, "-j", "1", "--strict").code == 1  # NT-09 warnings


def test_nothing_readable_exits_2(cli, tmp_path):
    folder = tmp_path / "units"
    folder.mkdir()
    (folder / "a.json").write_text("{", "utf-8")
    r = cli("check", folder, "-j", "1")
    assert r.code == 2 and "无法读取" in r.out


def test_same_unit_twice_is_flagged(tmp_path):
    a, b = make_unit(30), make_unit(31)
    b.agency = "重庆市" + a.agency
    folder = _write_units(tmp_path / "units", [a, b, make_unit(32)])
    result = review_folder(folder, jobs=1)
    dup = [u for u in result.units if any(f.rule == "重复上报" for f in u.findings)]
    assert [u.name for u in dup] == ["00.json", "01.json"]
    assert "01.json" in dup[0].findings[0].message
    assert all(u.verdict() == FAILED for u in dup)


def test_unit_texts_are_written_as_text_never_formulas(tmp_path):
    evil = make_unit(40)
    evil.agency = '=HYPERLINK("http://example.com","点此")'
    folder = _write_units(tmp_path / "units", [evil])
    data = review_workbook_bytes(review_folder(folder, jobs=1))
    with zipfile.ZipFile(__import__("io").BytesIO(data)) as z:
        xml = "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xml"))
    assert "<f>" not in xml
    path = tmp_path / "r.xlsx"
    path.write_bytes(data)
    cell = openpyxl.load_workbook(path)[SUMMARY_SHEET]["B2"]
    assert cell.value == evil.agency and cell.data_type == "s"
    page = review_html(review_folder(folder, jobs=1))
    assert "=HYPERLINK(&#34;http" in page or "=HYPERLINK(&quot;http" in page


# ---------------------------------------------------------------- one definition of key figures
def test_merge_and_review_share_the_key_figures():
    report = make_unit(50)
    spec = report.spec
    merge_cols = {c.key: c.header for c in summary_columns(spec)}
    for col in key_figure_columns(spec):
        assert merge_cols[col.key] == col.header  # a selection of the merge's columns
    values = summary_values(report, source="x", warnings=0)
    for key, value in key_figures(report).items():
        assert values[key] == value
    assert [c.key for c in figure_columns()] == [c.key for c in key_figure_columns(spec)]


def test_published_reports_in_the_folder_are_reviewed_too(tmp_path, sample_data):
    """A web page, a PDF and a workbook side by side: each read by its own reader."""
    import shutil

    from gdr_gen.review import review_folder

    fixtures = Path(__file__).resolve().parent / "fixtures" / "published"
    folder = tmp_path / "各单位"
    folder.mkdir()
    shutil.copy(fixtures / "shuyang-fgj-2023.html", folder / "沭阳县发改局.html")
    shutil.copy(fixtures / "hongze-qu-2023.pdf", folder / "洪泽区.pdf")
    (folder / "巫山县.json").write_text(json.dumps(sample_data, ensure_ascii=False), "utf-8")
    result = review_folder(folder, jobs=1)
    by_name = {u.name: u for u in result.units}
    assert set(by_name) == {"沭阳县发改局.html", "洪泽区.pdf", "巫山县.json"}
    assert not result.unreadable
    assert by_name["沭阳县发改局.html"].agency == "沭阳县发展和改革局"
    assert by_name["沭阳县发改局.html"].year == 2023
    # 洪泽区 2023 prints 表四 totals as 0: the review names the broken sums
    rules = {f.rule for f in by_name["洪泽区.pdf"].findings}
    assert {"T4-01", "IMP-02"} <= rules
