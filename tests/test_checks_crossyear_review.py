"""Cross-year rules on a pair of years built here: edge cases of the review.

Last year's file that is not the year before, the 2020→2021 format change, 清理 wording, and
workbook inputs (messages name the cells of both workbooks).
"""

from __future__ import annotations

import copy
import json

import pytest
from conftest import write_json

from gdr_gen.checks import run_checks
from gdr_gen.readers.json_reader import report_from_data

XY = ["XY-01", "XY-02", "XY-03", "XY-04", "XY-05", "T4-05"]


@pytest.fixture
def pair(sample_data):
    """(this year, last year) of 巫山县: carry-over and 现行有效 chain close."""
    this = copy.deepcopy(sample_data)
    this["narrative"]["problems"] = {
        "intro": None,
        "sections": [
            {"title": "问题", "text": "针对上年问题，已完成整改，本年依申请答复文书仍需规范。"}
        ],
    }
    prev = copy.deepcopy(sample_data)
    prev["year"] = 2021
    prev["publish_date"] = "2022-01-25"
    prev["proactive"]["normative_documents"] = {"issued": 7, "repealed": 2, "in_force": 57}
    prev["narrative"] = {
        "preface": None,
        "overview": {"intro": "2021年，巫山县推进政务公开，收到申请41件。", "sections": []},
        "problems": {"intro": "2021年队伍不稳定，专业化水平有待提高。", "sections": []},
        "other": {"intro": "未收取信息处理费。", "sections": []},
    }
    return this, prev


def xy(this, prev):
    a, b = report_from_data(this), report_from_data(prev)
    out = run_checks(
        a.report, locator=a.locator, previous=b.report, previous_locator=b.locator, only=XY
    )
    return [(f.rule, f.severity.value, f.location, f.message) for f in out]


def test_pair_is_clean(pair):
    assert xy(*pair) == []


@pytest.mark.parametrize("year", [2022, 2023, 2020])
def test_previous_that_is_not_the_year_before(pair, year):
    this, prev = pair
    prev["year"] = year
    prev["requests"]["carried_forward"] = [5, 0, 0, 0, 0, 0, 5]  # would break XY-01
    prev["proactive"]["normative_documents"]["in_force"] = 1  # would break XY-02
    ((rule, sev, loc, msg),) = xy(this, prev)
    assert (rule, sev, loc) == ("XY-01", "warning", "year")
    assert f"{year} 年度" in msg and "2021 年度" in msg and "已跳过" in msg


def test_format_change_2020_to_2021(pair):
    this, prev = pair
    this["year"], prev["year"] = 2021, 2020
    prev["proactive"]["normative_documents"]["in_force"] = 1  # chain would break
    prev["requests"]["carried_forward"] = [1, 0, 0, 0, 0, 0, 1]  # carry-over still checked
    got = {(r, s) for r, s, _, _ in xy(this, prev)}
    assert got == {("XY-05", "info"), ("XY-01", "error")}


@pytest.mark.parametrize(
    ("text", "explained"),
    [
        ("全年开展行政规范性文件集中清理，宣布失效一批文件。", True),
        ("对现行有效规范性文件重新梳理核对，统计口径调整为县政府及部门制发的文件。", True),
        ("清理整合政务新媒体运营账号8个。", False),
        ("全年收到政府信息公开申请39件。", False),
        ("下一步将及时清理失效的规范性文件。", False),  # a plan, not a clean-up done
        ("2021年全面清理行政规范性文件。", False),  # another year
    ],
)
def test_recount_wording_explains_a_decrease_as_info(pair, text, explained):
    this, prev = pair
    prev["proactive"]["normative_documents"]["in_force"] = 70  # 70 + 9 − 6 = 73 > 60
    # (the sample's own 总体情况 explains a 清理: replaced by the sentence under test)
    this["narrative"]["overview"] = {
        "intro": "全年主动公开行政规范性文件9件。" + text,
        "sections": [],
    }
    ((rule, sev, loc, msg),) = xy(this, prev)
    assert rule == "XY-02" and loc == "proactive.normative_documents.in_force"
    assert "上年现行有效 70" in msg and "应为 73" in msg and "相差 13" in msg
    # a clean-up of 规范性文件 explains a decrease, and the figure stays visible as 提示
    assert sev == ("info" if explained else "warning")


@pytest.mark.parametrize(
    "text",
    ["全年开展行政规范性文件集中清理，宣布失效一批文件。", "及时清理失效、废止文件。"],
)
def test_recount_wording_never_explains_an_increase(pair, text):
    this, prev = pair
    prev["proactive"]["normative_documents"]["in_force"] = 50  # 50 + 9 − 6 = 53 < 60
    this["narrative"]["overview"] = {
        "intro": "全年主动公开行政规范性文件9件。" + text,
        "sections": [],
    }
    ((rule, sev, _, msg),) = xy(this, prev)
    assert (rule, sev) == ("XY-02", "warning")
    assert "应为 53" in msg and "清理只能解释减少" in msg


def test_t4_05_counts_last_years_pending_reconsideration(pair):
    this, prev = pair
    this["appeals"]["litigation_after_reconsideration"] = [1, 0, 0, 0, 1]
    assert [r for r, *_ in xy(this, prev)] == ["T4-05"]
    prev["appeals"]["reconsideration"] = [0, 0, 0, 1, 1]  # last year's pending case
    assert xy(this, prev) == []


def test_workbook_pair_names_cells_of_both_workbooks(cli, tmp_path, pair):
    this, prev = pair
    prev["requests"]["carried_forward"] = [1, 0, 0, 0, 0, 0, 1]
    prev["narrative"] = copy.deepcopy(this["narrative"])  # a copied report
    books = []
    for name, data in (("2022", this), ("2021", prev)):
        src = write_json(tmp_path / f"{name}.json", data)
        book = tmp_path / f"{name}.xlsx"
        assert cli("init", str(book), "--from", src).code == 0
        books.append(str(book))
    r = cli("check", books[0], "--previous", books[1], "--format", "json")
    found = {f["rule"]: f for f in json.loads(r.out)}
    xy01 = [f for f in json.loads(r.out) if f["rule"] == "XY-01"]
    assert [f["location"] for f in xy01] == ["表三!D7 ≠ 上年 表三!D30", "表三!J7 ≠ 上年 表三!J30"]
    assert "上年 表三!D30" in xy01[0]["message"] and "相差 1" in xy01[0]["message"]
    loc = found["XY-04"]["location"]
    assert "一、总体情况!" in loc and "narrative" not in loc
    assert "narrative" not in found["XY-04"]["message"]
