"""Cross-year rules: two years of the same office (巫山县 2021 → 2022, the 2021 one built here)."""

from __future__ import annotations

import copy
import json

import pytest
from conftest import write_json

from gdr_gen.checks import run_checks
from gdr_gen.readers.json_reader import report_from_data

XY = ["XY-01", "XY-02", "XY-03", "XY-04", "XY-05", "T4-05"]
NEW_PROBLEMS = {
    "intro": None,
    "sections": [
        {
            "title": "主要问题",
            "text": "2022年我县依申请公开答复文书规范性仍有欠缺，基层政务公开专区使用率不高。",
        },
        {
            "title": "改进情况",
            "text": "针对上年报告指出的政务公开队伍不稳定问题，已建立人员上岗离岗报备制度，全年组织专题培训2次。",
        },
    ],
}


@pytest.fixture
def last_year(sample_data):
    """The same office a year earlier: its carry-forward and in-force count close with 2022."""
    data = copy.deepcopy(sample_data)
    data["year"] = 2021
    data["publish_date"] = "2022-01-25"
    data["proactive"]["normative_documents"] = {"issued": 7, "repealed": 2, "in_force": 57}
    data["narrative"] = {
        "preface": None,
        "overview": {
            "intro": "2021年，巫山县围绕县委、县政府中心工作推进政务公开。",
            "sections": [
                {"title": "主动公开", "text": "全年主动公开政府信息2.8万余条，行政规范性文件7件。"},
                {"title": "依申请公开", "text": "全年收到政府信息公开申请39件，均按时答复。"},
            ],
        },
        "problems": {
            "intro": None,
            "sections": [
                {
                    "title": "主要问题",
                    "text": "2021年政务公开工作存在政务公开队伍稳定不足、专业化水平有待进一步提高等问题。",
                },
                {"title": "改进情况", "text": "下一步将加强培训，规范人员上岗离岗。"},
            ],
        },
        "other": {"intro": "未收取信息处理费。", "sections": []},
    }
    return data


def xy(this, previous, rules=XY):
    a, b = report_from_data(this), report_from_data(previous)
    return run_checks(
        a.report, locator=a.locator, previous=b.report, previous_locator=b.locator, only=rules
    )


def test_consistent_years_give_nothing(sample_data, last_year):
    sample_data["narrative"]["problems"] = NEW_PROBLEMS
    assert xy(sample_data, last_year) == []


def test_broken_carry_over(sample_data, last_year):
    last_year["requests"]["carried_forward"] = [2, 0, 0, 0, 0, 0, 2]
    found = [f for f in xy(sample_data, last_year) if f.rule == "XY-01"]
    assert len(found) == 2  # 自然人 and 总计
    assert all(f.severity.value == "error" for f in found)
    assert found[0].location == "requests.carried_over[0] ≠ 上年 requests.carried_forward[0]"
    assert (
        "表三「二、上年结转」自然人 为 0，上年报告「四、结转下年度」自然人 为 2" in found[0].message
    )


def test_broken_in_force_chain_warns_unless_explained(sample_data, last_year):
    last_year["proactive"]["normative_documents"]["in_force"] = 70  # 70 + 9 − 6 = 73 > 60
    # the 2022 prose says 全面清理我县行政规范性文件: the decrease is explained, shown as 提示
    (f,) = [f for f in xy(sample_data, last_year) if f.rule == "XY-02"]
    assert f.severity.value == "info" and "全面清理我县行政规范性文件" in f.message
    sections = sample_data["narrative"]["overview"]["sections"]
    sections[2]["text"] = "做好公文公开属性源头认定，健全信息发布审核机制。"
    (f,) = [f for f in xy(sample_data, last_year) if f.rule == "XY-02"]
    assert f.severity.value == "warning"
    assert f.location == "proactive.normative_documents.in_force"
    assert "上年现行有效 70" in f.message and "应为 73" in f.message and "相差 13" in f.message


def test_clean_up_does_not_explain_an_increase(sample_data, last_year):
    last_year["proactive"]["normative_documents"]["in_force"] = 50  # 50 + 9 − 6 = 53 < 60
    (f,) = [f for f in xy(sample_data, last_year) if f.rule == "XY-02"]
    assert f.severity.value == "warning" and "清理只能解释减少" in f.message


def test_copied_section_five(sample_data, last_year):
    last_year["narrative"]["problems"] = copy.deepcopy(sample_data["narrative"]["problems"])
    for s in last_year["narrative"]["problems"]["sections"]:
        s["text"] = s["text"].replace("2022年", "2021年").replace("2021年政务", "2020年政务")
    found = [f for f in xy(sample_data, last_year) if f.rule == "XY-03"]
    assert len(found) == 1 and found[0].severity.value == "warning"
    assert "与上年报告第五部分相同" in found[0].message
    assert "政府信息公开工作虽然取得了明显成效" in found[0].message


def test_section_five_without_follow_up(sample_data, last_year):
    sample_data["narrative"]["problems"] = {
        "intro": "政府信息公开意识待提升，公开平台功能待优化。",
        "sections": [],
    }
    (f,) = [f for f in xy(sample_data, last_year) if f.rule == "XY-03"]
    assert "没有报告上年问题的整改情况" in f.message


def test_copied_report(sample_data, last_year):
    copied = copy.deepcopy(sample_data["narrative"])
    text = json.dumps(copied, ensure_ascii=False).replace("2022年", "2021年")
    last_year["narrative"] = json.loads(text)
    (f,) = [f for f in xy(sample_data, last_year) if f.rule == "XY-04"]
    assert f.severity.value == "warning"
    assert "本年正文有 100%" in f.message
    assert "重复最多的段落" in f.message and "narrative.overview.sections[0].text" in f.message


def test_partly_rewritten_report_below_threshold(sample_data, last_year):
    # last year shares the 五 and 六 texts only: well under half of this year's prose
    last_year["narrative"]["problems"] = copy.deepcopy(sample_data["narrative"]["problems"])
    last_year["narrative"]["other"] = copy.deepcopy(sample_data["narrative"]["other"])
    assert [f for f in xy(sample_data, last_year) if f.rule == "XY-04"] == []


def test_t4_05_suits_after_reconsideration(sample_data, last_year):
    sample_data["appeals"]["reconsideration"] = [1, 0, 0, 0, 1]
    sample_data["appeals"]["litigation_after_reconsideration"] = [2, 0, 0, 1, 3]
    last_year["appeals"]["reconsideration"] = [0, 0, 0, 1, 1]
    (f,) = [f for f in xy(sample_data, last_year) if f.rule == "T4-05"]
    assert "总计 3 大于 本年行政复议总计 1 + 上年行政复议尚未审结 1" in f.message
    last_year["appeals"]["reconsideration"] = [0, 0, 0, 2, 2]
    assert [f for f in xy(sample_data, last_year) if f.rule == "T4-05"] == []


def test_wrong_year_skips_cross_year_rules(sample_data, last_year):
    last_year["year"] = 2020
    last_year["requests"]["carried_forward"] = [2, 0, 0, 0, 0, 0, 2]
    (f,) = xy(sample_data, last_year)
    assert f.rule == "XY-01" and f.severity.value == "warning" and "2021 年度" in f.message


def test_format_change_year_is_info_and_no_chain(sample_data, last_year):
    sample_data["year"] = 2021
    last_year["year"] = 2020
    last_year["proactive"]["normative_documents"]["in_force"] = 1
    rules = {f.rule: f for f in xy(sample_data, last_year)}
    assert "XY-02" not in rules
    assert rules["XY-05"].severity.value == "info"


def test_cli_check_previous(cli, tmp_path, sample_data, last_year):
    last_year["requests"]["carried_forward"] = [1, 0, 0, 0, 0, 0, 1]
    this = write_json(tmp_path / "2022.json", sample_data)
    prev = write_json(tmp_path / "2021.json", last_year)
    r = cli("check", this, "--previous", prev, "--format", "json")
    assert r.code == 1
    rules = [f["rule"] for f in json.loads(r.out)]
    assert rules.count("XY-01") == 2
    assert cli("check", this, "--format", "json").code == 0  # without last year: no XY rule


# ---------------------------------------------------------------- cross-year edge cases: previous not the year before, 2020→2021, 清理 wording
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


def xy_findings(this, prev):
    a, b = report_from_data(this), report_from_data(prev)
    out = run_checks(
        a.report, locator=a.locator, previous=b.report, previous_locator=b.locator, only=XY
    )
    return [(f.rule, f.severity.value, f.location, f.message) for f in out]


def test_pair_is_clean(pair):
    assert xy_findings(*pair) == []


@pytest.mark.parametrize("year", [2022, 2023, 2020])
def test_previous_that_is_not_the_year_before(pair, year):
    this, prev = pair
    prev["year"] = year
    prev["requests"]["carried_forward"] = [5, 0, 0, 0, 0, 0, 5]  # would break XY-01
    prev["proactive"]["normative_documents"]["in_force"] = 1  # would break XY-02
    ((rule, sev, loc, msg),) = xy_findings(this, prev)
    assert (rule, sev, loc) == ("XY-01", "warning", "year")
    assert f"{year} 年度" in msg and "2021 年度" in msg and "已跳过" in msg


def test_format_change_2020_to_2021(pair):
    this, prev = pair
    this["year"], prev["year"] = 2021, 2020
    prev["proactive"]["normative_documents"]["in_force"] = 1  # chain would break
    prev["requests"]["carried_forward"] = [1, 0, 0, 0, 0, 0, 1]  # carry-over still checked
    got = {(r, s) for r, s, _, _ in xy_findings(this, prev)}
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
    ((rule, sev, loc, msg),) = xy_findings(this, prev)
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
    ((rule, sev, _, msg),) = xy_findings(this, prev)
    assert (rule, sev) == ("XY-02", "warning")
    assert "应为 53" in msg and "清理只能解释减少" in msg


def test_t4_05_counts_last_years_pending_reconsideration(pair):
    this, prev = pair
    this["appeals"]["litigation_after_reconsideration"] = [1, 0, 0, 0, 1]
    assert [r for r, *_ in xy_findings(this, prev)] == ["T4-05"]
    prev["appeals"]["reconsideration"] = [0, 0, 0, 1, 1]  # last year's pending case
    assert xy_findings(this, prev) == []


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
