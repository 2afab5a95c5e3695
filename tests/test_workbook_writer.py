"""The generated workbook, read back cell by cell: labels, merges, formulas, protection."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from conftest import ROOT, SAMPLE_JSON

from gdr_gen.errors import OutputError, OutputExistsError
from gdr_gen.formats import get_format
from gdr_gen.formats.workbook_layout import layout_for
from gdr_gen.model import Report, Subsection
from gdr_gen.readers import load_report
from gdr_gen.writers.xlsx_writer import money_cell_value, workbook_bytes, write_workbook


@pytest.fixture(scope="module")
def sample_report() -> Report:
    return load_report(SAMPLE_JSON).report


@pytest.fixture(scope="module")
def book(sample_report: Report, tmp_path_factory: pytest.TempPathFactory) -> openpyxl.Workbook:
    path = tmp_path_factory.mktemp("wb") / "book.xlsx"
    write_workbook(sample_report, path)
    return openpyxl.load_workbook(path)


def merged(ws) -> set[str]:
    return {str(r) for r in ws.merged_cells.ranges}


def test_sheets_in_report_order(book):
    assert book.sheetnames == [
        "填表说明",
        "基本信息",
        "一、总体情况",
        "表二",
        "表三",
        "表四",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]


def test_table_three_official_labels_and_merges(book):
    ws = book["表三"]
    # asserted literally so that a wrong format definition is caught here too
    assert ws["A3"].value == "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    assert ws["D3"].value == "申请人情况"
    assert ws["D4"].value == "自然人"
    assert ws["E4"].value == "法人或其他组织"
    assert [ws.cell(5, c).value for c in range(5, 10)] == [
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
    ]
    assert ws["J4"].value == "总计"
    assert ws["A6"].value == "一、本年新收政府信息公开申请数量"
    assert ws["A8"].value == "三、本年度办理结果"
    assert ws["B10"].value == "（三）不予公开"
    assert ws["C12"].value == "3.危及“三安全一稳定”"
    assert ws["B29"].value == "（七）总计"
    assert ws["A30"].value == "四、结转下年度继续办理"
    assert {"A3:C5", "D3:J3", "D4:D5", "E4:I4", "J4:J5", "A6:C6", "A8:A29", "B10:B17"} <= merged(ws)


def test_table_two_and_four_labels(book):
    t2 = book["表二"]
    assert t2["A3"].value == "第二十条第（一）项"
    assert [t2.cell(4, c).value for c in range(1, 5)] == [
        "信息内容",
        "本年制发件数",
        "本年废止件数",
        "现行有效件数",
    ]
    assert t2["A6"].value == "行政规范性文件"
    assert t2["B15"].value == "本年收费金额（单位：万元）"
    assert "B16:D16" in merged(t2)
    t4 = book["表四"]
    assert t4["A3"].value == "行政复议"
    assert t4["F3"].value == "行政诉讼"
    assert t4["F4"].value == "未经复议直接起诉"
    assert t4["K4"].value == "复议后起诉"
    assert {"A3:E3", "F3:O3", "F4:J4", "K4:O4", "A4:A5"} <= merged(t4)


def test_values_and_live_total_formulas(book):
    t3 = book["表三"]
    assert [t3.cell(6, c).value for c in range(4, 10)] == [38, 1, 0, 0, 0, 0]
    assert t3["J6"].value == "=SUM(D6:I6)"
    assert t3["D29"].value == "=SUM(D8:D28)"
    assert t3["J29"].value == "=SUM(D29:I29)"
    assert book["表四"]["E6"].value == "=SUM(A6:D6)"
    assert book["表四"]["O6"].value == "=SUM(K6:N6)"
    t2 = book["表二"]
    assert t2["B9"].value == 91093
    assert t2["B16"].value == pytest.approx(3857.85)
    assert t2["B16"].number_format == "0.00####"
    assert t3["D6"].number_format == "0"


def test_input_cells_unlocked_labels_and_totals_locked(book):
    for name in ("表二", "表三", "表四", "基本信息", "一、总体情况"):
        ws = book[name]
        assert ws.protection.sheet is True
        assert not ws.protection.password  # protection against accidents, not a secret
    t3 = book["表三"]
    assert t3["D6"].protection.locked is False
    assert t3["D6"].fill.fgColor.rgb.endswith("FFF2CC")
    assert t3["J6"].protection.locked is True
    assert t3["A6"].protection.locked is True
    assert book["基本信息"]["B3"].protection.locked is False
    assert book["基本信息"]["A3"].protection.locked is True
    prose = book["一、总体情况"]
    assert prose["C4"].protection.locked is False and prose["B5"].protection.locked is False


def test_data_validation_with_chinese_prompts(book):
    t3 = book["表三"]
    dvs = t3.data_validations.dataValidation
    counts = [dv for dv in dvs if dv.type == "whole"]
    assert len(counts) == 1
    dv = counts[0]
    assert dv.operator == "greaterThanOrEqual" and dv.formula1 == "0"
    assert "不小于 0 的整数" in dv.prompt and "件数" in dv.error
    assert "D6" in dv.sqref and "J6" not in dv.sqref
    money = [dv for dv in book["表二"].data_validations.dataValidation if dv.type == "decimal"]
    assert len(money) == 1 and "万元" in money[0].prompt and "B16" in money[0].sqref
    info = {dv.type: dv for dv in book["基本信息"].data_validations.dataValidation}
    assert info["list"].formula1 in ('"人民政府,政府部门"', '"是,否"')


def test_print_setup_one_page_per_table(book):
    for name, orientation in (("表二", "portrait"), ("表三", "portrait"), ("表四", "landscape")):
        ws = book[name]
        assert ws.sheet_properties.pageSetUpPr.fitToPage is True
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 1
        assert ws.page_setup.orientation == orientation
    assert book["表三"].print_area == "'表三'!$A$1:$J$30"
    assert book["表四"].print_area == "'表四'!$A$1:$O$6"
    assert book["表三"].column_dimensions["C"].width > book["表三"].column_dimensions["D"].width


def test_info_sheet_and_stamp(book):
    ws = book["基本信息"]
    lay = layout_for(get_format("2021"))
    assert [ws.cell(r, 1).value for r in range(3, 11)] == [
        "机关全称",
        "年度",
        "机关类型",
        "是否有规章制定权",
        "发布日期",
        "信息处理费收费件数",
        "信息处理费金额（元）",
        "开头段落",
    ]
    assert ws["B3"].value == "巫山县人民政府"
    assert ws["B4"].value == 2022
    assert ws["B5"].value == "人民政府"
    assert ws["B6"].value == "否"
    assert ws.cell(lay.stamp_row, 2).value == "gdr-gen 填报工作簿 2021-1"


def test_prose_one_row_per_subsection(book, sample_report):
    ws = book["一、总体情况"]
    assert ws["A4"].value == "引言"
    assert ws["C4"].value == sample_report.narrative.overview.intro
    assert ws["A5"].value == "（一）"
    assert ws["B5"].value == "提升主动公开质量"
    assert ws["B9"].value == "加大监督保障力度"
    assert ws["A9"].value == "（五）"
    assert ws["B10"].value is None  # spare rows to type into
    assert ws["C5"].alignment.wrap_text is True
    assert book["五、存在的主要问题及改进情况"]["B6"].value == "改进情况"


def test_blank_workbook(tmp_path):
    out = write_workbook(Report.blank(year=2024), tmp_path / "blank.xlsx")
    wb = openpyxl.load_workbook(out)
    assert wb["基本信息"]["B4"].value == 2024
    assert wb["基本信息"]["B3"].value is None
    assert wb["表三"]["D6"].value == 0
    assert wb["表三"]["J6"].value == "=SUM(D6:I6)"


def test_same_report_same_bytes(sample_report):
    a = workbook_bytes(sample_report)
    assert a == workbook_bytes(sample_report)
    with zipfile.ZipFile(__import__("io").BytesIO(a)) as z:
        assert {i.date_time for i in z.infolist()} == {(2023, 1, 1, 0, 0, 0)}
        core = z.read("docProps/core.xml").decode()
    assert "2023-01-01T00:00:00Z" in core


def test_byte_identical_across_processes(tmp_path):
    """Set and dict order must not depend on string hashing (PYTHONHASHSEED)."""
    script = (
        "import sys; from gdr_gen.readers import load_report;"
        "from gdr_gen.writers.xlsx_writer import write_workbook;"
        "write_workbook(load_report(sys.argv[1]).report, sys.argv[2])"
    )
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / f"seed{seed}.xlsx"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [sys.executable, "-c", script, str(SAMPLE_JSON), str(out)],
            check=True,
            cwd=ROOT,
            env=env,
        )
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]


def test_refuses_to_overwrite_without_force(tmp_path, sample_report):
    out = tmp_path / "b.xlsx"
    out.write_bytes(b"keep me")
    with pytest.raises(OutputExistsError):
        write_workbook(sample_report, out)
    assert out.read_bytes() == b"keep me"
    write_workbook(sample_report, out, force=True)
    assert out.read_bytes()[:2] == b"PK"
    assert [p.name for p in tmp_path.iterdir()] == ["b.xlsx"]  # no temporary file left


@pytest.mark.parametrize(
    ("amount", "stored"),
    [
        ("3857.85", 3857.85),
        ("0", 0),
        ("24252.311082", 24252.311082),
        ("3857.80", "3857.80"),  # a float would lose the trailing zero
        ("12345678901234567.5", "12345678901234567.5"),  # beyond a double's precision
        ("5.0", "5.0"),
    ],
)
def test_money_stored_as_number_only_when_exact(amount, stored):
    value = money_cell_value(Decimal(amount))
    assert value == stored and type(value) is type(stored)


def test_text_beginning_with_equals_stays_text(tmp_path):
    r = Report.blank(agency='=HYPERLINK("x")', year=2022)
    r.narrative.other.sections.append(Subsection("=1+1", "=SUM(A1)"))
    out = write_workbook(r, tmp_path / "eq.xlsx")
    ws = openpyxl.load_workbook(out)["基本信息"]
    assert ws["B3"].data_type == "s"
    back = load_report(out)
    assert back.report.agency == '=HYPERLINK("x")'
    assert back.report.narrative.other.sections[0].text == "=SUM(A1)"
    assert not back.findings


def test_control_characters_refused_with_chinese_message(tmp_path):
    r = Report.blank(agency="巫山\x07县", year=2022)
    with pytest.raises(OutputError) as exc:
        write_workbook(r, tmp_path / "bad.xlsx")
    assert "机关全称" in str(exc.value) and "控制字符" in str(exc.value)
    assert "bad.xlsx" in str(exc.value)
    assert not (tmp_path / "bad.xlsx").exists()


def test_publish_date_is_a_real_date(tmp_path, sample_report):
    sample_report_copy = load_report(SAMPLE_JSON).report
    sample_report_copy.publish_date = date(2023, 1, 20)
    out = write_workbook(sample_report_copy, tmp_path / "d.xlsx")
    cell = openpyxl.load_workbook(out)["基本信息"]["B7"]
    assert cell.value.date() == date(2023, 1, 20)
    assert cell.number_format == "yyyy-mm-dd"
