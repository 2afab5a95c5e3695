"""Reading the workbook back: what people type, findings at their cells, totals recomputed."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import SAMPLE_JSON, TABLE_RULES
from helpers.books import FIXTURES, SAMPLE_BOOK, digest, edit, sample_book, set_cell

from gdr_gen.readers import load_report
from gdr_gen.readers.xlsx_reader import parse_count, parse_money, read_workbook
from gdr_gen.writers.json_writer import dumps

SAMPLE_TEXT = dumps(load_report(SAMPLE_JSON).report)


def rules_at(result) -> dict[str, list]:
    out: dict[str, list] = {}
    for f in result.findings:
        out.setdefault(f.rule, []).append(f)
    return out


def check(path):
    loaded = load_report(path)
    findings = loaded.check(only=TABLE_RULES)
    return loaded, findings


def test_sample_workbook_reads_as_the_sample_json():
    loaded = read_workbook(SAMPLE_BOOK)
    assert loaded.findings == []
    assert dumps(loaded.report) == SAMPLE_TEXT


def test_libreoffice_saved_fixture_reads_identically():
    """LibreOffice's XML (cached values, its own styles) reads back to the same data."""
    loaded = read_workbook(FIXTURES / "巫山县2022-libreoffice.xlsx")
    assert loaded.findings == []
    assert dumps(loaded.report) == SAMPLE_TEXT


def test_t3_01_names_every_cell_it_compares(tmp_path):
    book = set_cell(sample_book(tmp_path), "表三", "D6", 37)
    _, findings = check(book)
    assert {f.rule for f in findings} == {"T3-01"}
    # the 自然人 column and the 总计 column no longer balance
    assert [f.location for f in findings] == ["表三!D6+D7 ≠ D29+D30", "表三!J6+J7 ≠ J29+J30"]
    assert "自然人" in findings[0].message and "相差 1" in findings[0].message


def test_t3_05_relation_uses_cells(tmp_path):
    book = set_cell(sample_book(tmp_path), "表三", "E30", 5)
    _, findings = check(book)
    locs = {(f.rule, f.location) for f in findings}
    assert ("T3-05", "表三!E30 > E6+E7") in locs
    assert ("T3-01", "表三!E6+E7 ≠ E29+E30") in locs


@pytest.mark.parametrize(
    "typed",
    ["３８", " 38 ", "38件", "38 件", "0,038", "３８　件", 38.0],
)
def test_what_people_type_is_normalised(tmp_path, typed):
    book = set_cell(sample_book(tmp_path), "表三", "D6", typed)
    loaded = read_workbook(book)
    assert loaded.findings == []
    assert loaded.report.requests.rows["new"].values[0] == 38


def test_thousands_separator(tmp_path):
    book = set_cell(sample_book(tmp_path), "表二", "B9", "91,093")
    loaded = read_workbook(book)
    assert loaded.findings == []
    assert loaded.report.proactive.decisions["licensing"] == 91093


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("三十八", "“三十八”"),
        ("—", "请填 0"),
        (2.5, "不能有小数"),
        ("2.5", "不能有小数"),
        (10**12, "大得不合理"),
        (True, "逻辑值"),
        (datetime(2022, 3, 1), "日期"),
    ],
)
def test_bad_count_is_val_01_at_its_cell(tmp_path, typed, words):
    book = set_cell(sample_book(tmp_path), "表三", "D6", typed)
    loaded, findings = check(book)
    val = [f for f in findings if f.rule == "VAL-01"]
    assert len(val) == 1
    assert val[0].location == "表三!D6"
    assert words in val[0].message and "自然人" in val[0].message
    assert ("requests", "new", 0) in loaded.invalid
    # the unusable cell does not also break the sums that include it
    assert not [f for f in findings if f.rule.startswith("T3")]


def test_negative_count_is_val_01_at_its_cell(tmp_path):
    book = set_cell(sample_book(tmp_path), "表四", "B6", -1)
    _, findings = check(book)
    val = [f for f in findings if f.rule == "VAL-01"]
    assert [f.location for f in val] == ["表四!B6"]
    assert "负数" in val[0].message


def test_blank_cells_read_as_zero_one_warning_per_table(tmp_path):
    def blank(wb):
        for ref in ("E7", "F7", "G7", "D9"):
            wb["表三"][ref].value = None
        wb["表四"]["A6"].value = None

    book = edit(sample_book(tmp_path), blank)
    loaded = read_workbook(book)
    warns = [f for f in loaded.findings if f.rule == "VAL-04"]
    assert [f.group for f in warns] == ["表三", "表四"]
    assert warns[0].location == "表三!E7 等 4 格"
    assert "4 个空白格" in warns[0].message and "E7、F7、G7、D9" in warns[0].message
    assert warns[0].severity.value == "warning"
    assert loaded.report.requests.rows["carried_over"].values[1] == 0
    assert all(f.severity.value == "warning" for f in loaded.findings)


def test_typed_over_total_is_xl_01_at_that_cell(tmp_path):
    book = set_cell(sample_book(tmp_path), "表三", "J6", 40)
    loaded = read_workbook(book)
    [f] = loaded.findings
    assert f.rule == "XL-01" and f.location == "表三!J6"
    assert "40" in f.message and "39" in f.message and "SUM(D6:I6)" in f.message
    assert "相差 1" in f.message
    # the total used is the recomputed one
    assert loaded.report.requests.row("new").total == 39


def test_stale_cached_total_is_xl_01(tmp_path):
    """LibreOffice-saved file whose cached result no longer matches its inputs."""
    import shutil
    import zipfile

    src = FIXTURES / "巫山县2022-libreoffice.xlsx"
    book = tmp_path / "stale.xlsx"
    shutil.copyfile(src, book)
    # change an input in the XML without recalculating (as a careless tool would)
    with zipfile.ZipFile(src) as z:
        names = z.namelist()
        parts = {n: z.read(n) for n in names}
    sheet = next(n for n in names if n.startswith("xl/worksheets/") and b"SUM(D8:D28)" in parts[n])
    xml = parts[sheet].decode()
    import re

    m = re.search(r'<c r="D8"[^>]*><v>17</v></c>', xml)
    assert m, "fixture layout changed"
    xml = xml.replace(m.group(0), m.group(0).replace("<v>17</v>", "<v>16</v>"))
    parts[sheet] = xml.encode()
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as z:
        for n in names:
            z.writestr(n, parts[n])
    loaded = read_workbook(book)
    xl = [f for f in loaded.findings if f.rule == "XL-01"]
    assert {f.location for f in xl} == {"表三!J8", "表三!D29", "表三!J29"}
    assert all("公式的计算结果未更新" in f.message for f in xl)


def test_formula_replaced_by_equal_number_is_xl_03_warning(tmp_path):
    book = set_cell(sample_book(tmp_path), "表四", "E6", 0)
    loaded = read_workbook(book)
    [f] = loaded.findings
    assert (f.rule, f.location, f.severity.value) == ("XL-03", "表四!E6", "warning")
    assert "=SUM(A6:D6)" in f.message


def test_formula_in_input_cell_is_xl_02(tmp_path):
    book = set_cell(sample_book(tmp_path), "表三", "D8", "=10+7")
    loaded = read_workbook(book)
    xl = [f for f in loaded.findings if f.rule == "XL-02"]
    assert [f.location for f in xl] == ["表三!D8"]
    assert "=10+7" in xl[0].message and xl[0].severity.value == "error"


def test_money_read_without_binary_rounding(tmp_path):
    book = set_cell(sample_book(tmp_path), "表二", "B16", 24252.311082)
    assert read_workbook(book).report.proactive.fees == Decimal("24252.311082")
    book = set_cell(book, "表二", "B16", "3,857.80 万元")
    assert read_workbook(book).report.proactive.fees == Decimal("3857.80")


def test_bad_money_is_val_02(tmp_path):
    book = set_cell(sample_book(tmp_path), "表二", "B16", "三千万")
    _, findings = check(book)
    [f] = [f for f in findings if f.rule == "VAL-02"]
    assert f.location == "表二!B16" and "“三千万”" in f.message


def test_info_sheet_values_and_findings(tmp_path):
    def change(wb):
        ws = wb["基本信息"]
        ws["B5"].value = "政府部门"
        ws["B6"].value = "是"
        ws["B7"].value = "2023年1月20日"
        ws["B8"].value = None
        ws["B9"].value = "120.50"

    loaded = read_workbook(edit(sample_book(tmp_path), change))
    r = loaded.report
    assert (r.agency_kind, r.rulemaking, str(r.publish_date)) == ("department", True, "2023-01-20")
    assert r.processing_fee.cases is None
    assert r.processing_fee.amount_yuan == Decimal("120.50")
    assert loaded.findings == []
    bad = set_cell(tmp_path / "book.xlsx", "基本信息", "B5", "街道办")
    [f] = read_workbook(bad).findings
    assert (f.rule, f.location, f.group) == ("DATA-01", "基本信息!B5", "基本信息")
    assert "人民政府" in f.message


def test_locator_answers_fields_and_prose():
    loc = read_workbook(SAMPLE_BOOK).locator
    assert loc.field("agency") == "基本信息!B3"
    assert loc.field("publish_date") == "基本信息!B7"
    assert loc.field("processing_fee.cases") == "基本信息!B8"
    assert loc.field("narrative.overview.sections[1].text") == "一、总体情况!C6"
    assert loc.field("narrative.overview").startswith("一、总体情况!C4:")
    assert loc.cell(("proactive", "fees")) == "表二!B16"
    assert loc.cells([("requests", r, 0) for r in ("granted", "partially_granted")]) == (
        "表三!D8+D9"
    )


def test_val_03_at_cell(tmp_path):
    book = set_cell(sample_book(tmp_path), "表二", "C5", 2)
    _, findings = check(book)
    assert [f.location for f in findings if f.rule == "VAL-03"] == ["表二!C5"]


def test_prose_rows_inserted_by_staff_are_read(tmp_path):
    def change(wb):
        ws = wb["五、存在的主要问题及改进情况"]
        ws.insert_rows(6)
        ws["B6"].value = "新增小标题"
        ws["C6"].value = "第一段\n第二段"

    loaded = read_workbook(edit(sample_book(tmp_path), change))
    titles = [s.title for s in loaded.report.narrative.problems.sections]
    assert titles == ["主要问题", "新增小标题", "改进情况"]
    assert loaded.report.narrative.problems.sections[1].paragraphs == ["第一段", "第二段"]


def test_export_json_matches_json_contract(tmp_path, cli):
    out = tmp_path / "data.json"
    r = cli("export", sample_book(tmp_path), "-o", out)
    assert r.code == 0, r.err
    assert json.loads(out.read_text("utf-8")) == json.loads(SAMPLE_TEXT)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1，234", 1234), ("１２", 12), ("\u00a012\u00a0", 12), ("-3", -3), (7.0, 7)],
)
def test_parse_count(value, expected):
    assert parse_count(value) == (expected, "")


def test_parse_money_repr_not_binary():
    assert parse_money(0.1)[0] == Decimal("0.1")
    assert parse_money(1e-05)[0] == Decimal("0.00001")
    assert parse_money("１２．５")[0] == Decimal("12.5")


@pytest.mark.parametrize("typed", [None, "去年", 1999])
def test_unreadable_year_is_one_finding_at_its_cell(tmp_path, typed):
    """A blank or wrong 年度 is DATA-01 at 基本信息!B4; no rule compares years with the
    stand-in value the reader keeps in its place."""
    from gdr_gen.formats import YEAR_PATH

    book = set_cell(sample_book(tmp_path), "基本信息", "B4", typed)
    loaded = load_report(book)
    assert YEAR_PATH in loaded.invalid
    found = loaded.check()
    year_findings = [f for f in found if f.location == "基本信息!B4"]
    assert [f.rule for f in year_findings] == ["DATA-01"]
    assert not {f.rule for f in found} & {"META-01", "META-02"}


# ---------------------------------------------------------------- what people type into the workbook, and what they are told
def _findings(path: Path, rule: str | None = None) -> list:
    loaded = read_workbook(path)
    return [f for f in loaded.findings if rule is None or f.rule == rule]


# ---------------------------------------------------------------- counts typed as text
def test_leading_apostrophe_is_the_number(tmp_path):
    """A value pasted as '38 (the "keep as text" mark) is read as 38, like 38 or 38件."""
    book = set_cell(sample_book(tmp_path), "表三", "D6", "'38")
    loaded = read_workbook(book)
    assert [f for f in loaded.findings if f.rule.startswith("VAL")] == []
    assert loaded.report.requests.row("new").values[0] == 38
    book = set_cell(book, "表二", "B16", "'3857.85")
    assert str(read_workbook(book).report.proactive.money["fees"]) == "3857.85"


def test_text_number_under_a_recalculated_total_is_explained(tmp_path):
    """Excel/WPS/LibreOffice leave text out of SUM: the grey total shows 1, not 13. The
    finding says why (the text cell), as a warning: the report uses the recomputed 13."""
    from helpers.libreoffice import recalc_xlsx

    book = set_cell(sample_book(tmp_path), "表三", "D6", "12件")
    saved = recalc_xlsx(book, tmp_path / "lo")
    [f] = _findings(saved, "XL-01")
    assert f.location == "表三!J6"
    assert f.severity.value == "warning"
    assert "显示为 1" in f.message and "应为 13" in f.message
    assert "表三!D6" in f.message and "文本" in f.message
    assert "计算结果未更新" not in f.message


def test_text_number_in_a_result_row_is_reported_once_per_own_total(tmp_path):
    """Text in D8 shows in D29 (column total) and J8 (row total); J29 adds up totals that
    already show the gap, so it is not reported a third time."""
    from helpers.libreoffice import recalc_xlsx

    book = set_cell(sample_book(tmp_path), "表三", "D8", "17")
    saved = recalc_xlsx(book, tmp_path / "lo")
    found = _findings(saved, "XL-01")
    assert {f.location for f in found} == {"表三!D29", "表三!J8"}
    assert all(f.severity.value == "warning" and "表三!D8" in f.message for f in found)


def test_words_typed_over_a_total(tmp_path):
    book = set_cell(sample_book(tmp_path), "表三", "D29", "abc")
    [f] = _findings(book, "XL-01")
    assert f.location == "表三!D29"
    assert "改写为文字" in f.message and "改写为数字" not in f.message


# ---------------------------------------------------------------- subsections
def test_numbered_subsection_title_is_not_numbered_twice(tmp_path, cli):
    book = set_cell(sample_book(tmp_path), "一、总体情况", "B5", "（一）提升主动公开质量")
    book = set_cell(book, "一、总体情况", "B6", "二、规范依申请公开办理")
    sections = read_workbook(book).report.narrative.overview.sections
    assert [s.title for s in sections[:2]] == ["提升主动公开质量", "规范依申请公开办理"]
    out = tmp_path / "report.docx"
    r = cli("build", book, "-o", out)
    assert r.code == 0, r.out + r.err
    import docx

    headings = [p.text for p in docx.Document(str(out)).paragraphs if p.text.startswith("（")]
    assert "（一）提升主动公开质量" in headings
    assert "（二）规范依申请公开办理" in headings
    assert not any("（一）（一）" in h or "（二）二、" in h for h in headings)


def test_text_without_a_title_is_an_error_at_the_title_cell(tmp_path, cli):
    book = set_cell(sample_book(tmp_path), "一、总体情况", "C10", "没有小标题的一段。")
    before = digest(book)
    [f] = _findings(book, "DATA-01")
    assert f.location == "一、总体情况!B10"
    assert f.severity.value == "error"
    assert "没有小标题" in f.message and "Alt+Enter" in f.message
    r = cli("build", book, "-o", tmp_path / "r.docx")
    assert r.code == 1 and "一、总体情况!B10" in r.out
    assert not (tmp_path / "r.docx").exists()
    assert digest(book) == before


def test_title_without_text_is_a_warning_at_the_text_cell(tmp_path):
    book = set_cell(sample_book(tmp_path), "五、存在的主要问题及改进情况", "B7", "下一步打算")
    [f] = _findings(book, "DATA-01")
    assert f.location == "五、存在的主要问题及改进情况!C7"
    assert f.severity.value == "warning"
    assert "“下一步打算”下没有正文" in f.message


def test_a_number_alone_in_the_title_column_is_no_title(tmp_path):
    """People copy the numbering column: “（六）” alone with no text is an empty row."""

    def change(wb):
        wb["一、总体情况"]["B10"] = "（六）"

    book = edit(sample_book(tmp_path), change)
    loaded = read_workbook(book)
    assert len(loaded.report.narrative.overview.sections) == 5
    assert [f for f in loaded.findings if f.rule == "DATA-01"] == []
