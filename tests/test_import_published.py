"""Reading published reports (issue 10): real files as their publishers left them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gdr_gen.readers import load_report
from gdr_gen.readers.json_reader import report_from_data

FIX = Path(__file__).parent / "fixtures" / "published"


def _expected(name: str):
    return report_from_data(json.loads((FIX / name).read_text(encoding="utf-8")), name).report


def _table_diffs(got, want) -> list[tuple[object, object, object]]:
    return [
        (p, got.value(p), want.value(p))
        for p in want.table_paths()
        if got.value(p) != want.value(p)
    ]


def _rules(result) -> list[str]:
    return [f.rule for f in result.findings]


def test_huaian_pdf_gives_exactly_the_transcribed_tables():
    result = load_report(FIX / "huaian-shi-2024.pdf")
    want = _expected("08_huaian-city-gov-2024.json")
    assert _table_diffs(result.report, want) == []
    assert result.report.agency == "淮安市人民政府"
    assert result.report.year == 2024
    assert result.report.agency_kind == "government"
    titles = [s.title for s in result.report.narrative.overview.sections]
    assert titles == [s.title for s in want.narrative.overview.sections]
    assert result.report.processing_fee.amount_yuan == want.processing_fee.amount_yuan
    assert not [f for f in result.findings if f.severity.value == "error"]


def test_shuyang_html_gives_the_transcribed_tables_and_reports_the_blank_columns():
    result = load_report(FIX / "shuyang-fgj-2023.html")
    want = _expected("06_shuyang-fgj-county-dept-2023.json")
    assert _table_diffs(result.report, want) == []
    r = result.report
    assert (r.agency, r.year, r.agency_kind) == ("沭阳县发展和改革局", 2023, "department")
    assert str(r.publish_date) == "2024-01-17"
    blanks = [f for f in result.findings if f.rule == "VAL-04"]
    assert len(blanks) == 1 and "125 个空白格" in blanks[0].message  # once per table
    assert "表三" in blanks[0].message
    # 规范性文件 is read as 行政规范性文件, and said so
    assert any(f.rule == "IMP-04" and "规范性文件" in f.message for f in result.findings)
    # the site's menus and footer are not part of section 六
    assert r.narrative.other.all_text() == want.narrative.other.all_text()
    assert [s.title for s in r.narrative.problems.sections] == ["存在的主要问题", "整改措施"]


def test_shuyang_county_text_with_renamed_headers_reads_every_value():
    result = load_report(FIX / "shuyang-xian-2025.txt")
    want = _expected("07_shuyang-county-gov-2025.json")
    assert _table_diffs(result.report, want) == []
    assert str(result.report.publish_date) == "2026-01-23"


@pytest.mark.parametrize("name", ["hongze-qu-2023.pdf", "hongze-qu-2024.pdf"])
def test_hongze_old_table3_layout_goes_to_other_misc_with_a_finding(name: str):
    result = load_report(FIX / name)
    r = result.report
    assert "IMP-02" in _rules(result)
    assert r.requests.rows["other_no_correction"].values == [0] * 6
    assert r.requests.rows["other_fee_unpaid"].values == [0] * 6
    assert "IMP-03" not in _rules(result)
    assert r.requests.rows["new"].values[0] == (21 if "2023" in name else 95)
    findings = result.check()
    errors = {f.rule for f in findings if f.severity.value == "error"}
    if "2023" in name:
        # 表四 printed 10/1/0/0 with 总计 0, and 5/0/0/0 with 总计 0: the real errors
        assert errors == {"T4-01", "T4-03"}
        assert r.appeals.rows["reconsideration"].values == [10, 1, 0, 0]
        assert r.appeals.rows["reconsideration"].declared_total == 0
    else:
        assert errors == set()
        assert any(f.rule == "NT-01" and "17" in f.message for f in findings)


def test_hongze_label_typo_is_read_and_named():
    result = load_report(FIX / "hongze-qu-2023.pdf")
    assert any(f.rule == "IMP-04" and "其他法律行政止公开" in f.message for f in result.findings)


def test_flattened_markdown_fails_with_findings_that_name_the_rows():
    result = load_report(FIX / "shanghai-kewei-2024.md")
    bad = [f for f in result.findings if f.rule == "IMP-03"]
    assert bad, "a badly flattened 表三 must not be read silently"
    assert any("表四" in f.message for f in bad)
    # nothing placed from a row it could not identify: 行政许可 not found → reported, not 0-guessed
    assert any("行政许可" in f.message for f in bad)
    assert ("proactive", "licensing") in result.invalid


def test_note_in_a_count_cell_and_a_missing_value():
    result = load_report(FIX / "shanghai-szfbgt-2025.md")
    r = result.report
    # 规章 22（其中修订16件）| 55（含自然失效29件）| 235 printed, but the row came with only 2 values
    assert any(f.rule == "IMP-03" and "规章" in f.location for f in result.findings)
    assert ("proactive", "rules", "issued") in result.invalid
    assert r.requests.rows["new"].values[0] > 0


def test_white_boxes_behind_prose_do_not_make_it_a_table():
    """hongze-qu-2024.pdf, page 2: WPS paints an unstroked white box behind every line of the
    prose above 表二. Taken as rules, they joined the table, and 一（三）–（五） and the heading
    二 vanished into table rows (so NT-09 wrongly said 政府信息管理 was not reported)."""
    result = load_report(FIX / "hongze-qu-2024.pdf")
    titles = [s.title for s in result.report.narrative.overview.sections]
    assert titles[2:] == [
        "政府信息管理情况",
        "政府信息公开平台建设情况",
        "政府信息公开监督保障情况",
    ]
    nt09 = [f.message for f in result.check() if f.rule == "NT-09"]
    missing = nt09[0].split("没有提到：")[1].split("（")[0]
    assert missing == "社会评议、责任追究结果"  # 考核 is reported in （五）: only these are absent
    assert result.report.value(("proactive", "normative_documents", "in_force")) == 8


def test_filled_boxes_count_only_inside_a_ruled_table():
    from gdr_gen.readers.pdf_reader import _tables

    # a 2-column table ruled at y 100 and 120, its verticals running down to 140, with no
    # rule under its last row (the table goes on on the next page): the cell backgrounds'
    # bottom side at 140 closes that row. White boxes behind two lines of prose above it
    # (y 40–60, 60–80) touch nothing that is ruled and stay out.
    hs = [(100.0, 10.0, 210.0), (120.0, 10.0, 210.0)]
    vs = [(10.0, 100.0, 140.0), (110.0, 100.0, 140.0), (210.0, 100.0, 140.0)]
    weak_hs = [(40.0, 10.0, 210.0), (60.0, 10.0, 210.0), (80.0, 10.0, 210.0)]
    weak_hs += [(140.0, 10.0, 110.0), (140.0, 110.0, 210.0)]
    weak_vs = [(10.0, 40.0, 60.0), (210.0, 40.0, 60.0), (10.0, 60.0, 80.0), (210.0, 60.0, 80.0)]
    ((box, cells),) = _tables(hs, vs, weak_hs, weak_vs)
    assert box == (10.0, 100.0, 210.0, 140.0)
    assert sorted((c[4], c[5]) for c in cells) == [(0, 0), (0, 1), (1, 0), (1, 1)]
    # without the backgrounds the last row is not closed
    ((box, cells),) = _tables(hs, vs)
    assert box[3] == 120.0
