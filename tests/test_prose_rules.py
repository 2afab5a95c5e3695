"""Prose rules in detail: figure extraction, messages, NT-09/NT-10, T3-07, the sample."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from conftest import SAMPLE_JSON, write_json
from prose_corpus import FIGURE_RULES, case_data, run

from gdr_gen.checks import run_checks
from gdr_gen.checks.figures import normalize, parse_chinese_number, tokens
from gdr_gen.readers.json_reader import report_from_data


def check(data, rules=None):
    loaded = report_from_data(data)
    return run_checks(loaded.report, locator=loaded.locator, only=rules)


@pytest.mark.parametrize(
    ("text", "value"),
    [("三", 3), ("两", 2), ("十", 10), ("十二", 12), ("二十", 20), ("三十九", 39), ("一百零五", 105),
     ("两千", 2000), ("三万二千", 32000), ("三四", None)],
)  # fmt: skip
def test_chinese_numbers(text, value):
    assert parse_chinese_number(text) == value


def test_tokens_classify_figures():
    s = normalize(
        "收到申请３９件，占比97.4%，信息3万余条、1500余条，54个单位，10个，收费380元，三件，一起学习"
    )
    got = [(t.kind, t.value, t.unit) for t in tokens(s)]
    assert ("count", Decimal(39), "件") in got
    assert ("percent", Decimal("97.4"), "%") in got
    assert ("money", Decimal(380), "元") in got
    assert ("count", Decimal(3), "件") in got
    assert ("count", Decimal(10), "个") in got
    counts = [t.value for t in tokens(s) if t.kind == "count"]
    assert counts == [39, 10, 3]  # not 3万余, 1500余, 54个单位, 一起


def test_normalize_keeps_offsets():
    text = "收到申请３９件（占１００％）"
    assert len(normalize(text)) == len(text)
    assert normalize(text) == "收到申请39件（占100%）"


def test_sample_checks_with_only_defended_warnings(sample_data):
    findings = check(sample_data)
    assert [(f.rule, f.severity.value) for f in findings] == [
        ("NT-06", "warning"),
        ("NT-09", "warning"),
    ]
    nt06 = findings[0]
    assert "县政府现行有效规范性文件【51件】" in nt06.message
    assert "proactive.normative_documents.in_force" in nt06.message
    assert nt06.location == "narrative.overview.sections[2].text"
    assert "责任追究" in findings[1].message


def test_error_message_marks_figure_and_names_cell(sample_data):
    sample_data["requests"]["new"] = [40, 1, 0, 0, 0, 0, 41]
    sample_data["requests"]["granted"] = [19, 0, 0, 0, 0, 0, 19]
    findings = [f for f in check(sample_data) if f.rule.startswith("NT")]
    nt01 = next(f for f in findings if f.rule == "NT-01")
    assert nt01.severity.value == "error"
    assert "政府信息公开申请【39件】" in nt01.message
    assert "表三「一、本年新收」总计 = 41（requests.new[6]）" in nt01.message
    assert "正文少 2" in nt01.message
    nt02 = next(f for f in findings if f.rule == "NT-02")
    assert "自然人申请【38件】" in nt02.message and "requests.new[0]" in nt02.message
    # 25 = 17 + 8 in the prose; the table now has 19 + 8 = 27
    nt03 = next(f for f in findings if f.rule == "NT-03")
    assert "【25件】" in nt03.message and "27" in nt03.message


def test_cli_check_shows_prose_findings(cli, tmp_path, sample_data):
    sample_data["narrative"]["other"]["intro"] = "本年度收取信息处理费120元。"
    path = write_json(tmp_path / "r.json", sample_data)
    r = cli("check", path, "--format", "json")
    assert r.code == 1
    rules = {f["rule"] for f in json.loads(r.out)}
    assert "NT-08" in rules


def test_sample_passes_cli_with_warnings_only(cli):
    r = cli("check", SAMPLE_JSON)
    assert r.code == 0 and "通过检查" in r.out
    assert cli("check", SAMPLE_JSON, "--strict").code == 1


def test_nt08_missing_statement(sample_data):
    sample_data["narrative"]["other"] = {"intro": "本年度无其他需要报告的事项。", "sections": []}
    f = [f for f in check(sample_data, ["NT-08"])]
    # `build` adds the generated fee sentence when 六 says nothing of it: a hint only.
    assert len(f) == 1 and f[0].severity.value == "info" and "自动加上" in f[0].message


def test_nt08_fee_mentioned_without_outcome_while_charged(sample_data):
    sample_data["narrative"]["other"] = {"intro": "严格执行信息处理费管理办法。", "sections": []}
    sample_data["processing_fee"] = {"cases": 2, "amount_yuan": "300"}
    f = [f for f in check(sample_data, ["NT-08"])]
    assert len(f) == 1 and f[0].severity.value == "error" and "300 元" in f[0].message


def test_nt10_empty_and_only_none(sample_data):
    sample_data["narrative"]["problems"] = {"intro": "无。", "sections": []}
    sample_data["narrative"]["other"] = {"intro": None, "sections": []}
    msgs = [f.message for f in check(sample_data, ["NT-10"])]
    assert len(msgs) == 2
    assert any("第五部分" in m and "只写了" in m for m in msgs)
    assert any("第六部分" in m and "为空" in m for m in msgs)


def test_nt09_department_needs_only_five_aspects(sample_data):
    sample_data["agency_kind"] = "department"
    assert check(sample_data, ["NT-09"]) == []
    sample_data["narrative"]["overview"] = {"intro": "本年主动公开信息200条。", "sections": []}
    (f,) = check(sample_data, ["NT-09"])
    assert "依申请公开" in f.message and "平台建设" in f.message and "责任追究" not in f.message


def test_t3_07_fee_unpaid_but_section_six_silent(sample_data):
    sample_data["requests"]["other_fee_unpaid"] = [1, 0, 0, 0, 0, 0, 1]
    assert check(sample_data, ["T3-07"]) == []  # 六 says 未收取信息处理费
    sample_data["narrative"]["other"] = {"intro": "严格落实政务公开工作要点。", "sections": []}
    (f,) = check(sample_data, ["T3-07"])
    assert f.severity.value == "warning" and "requests.other_fee_unpaid[6]" in f.location


def test_all_claim_upheld_with_litigation(sample_data):
    sample_data["appeals"]["litigation_direct"] = [1, 1, 0, 0, 2]
    sample_data["narrative"]["other"]["intro"] += "因政府信息公开引起的行政诉讼2件，均获维持。"
    upheld, none = sorted(check(sample_data, ["NT-05"]), key=lambda f: "均获维持" not in f.message)
    assert "结果纠正 1" in upheld.message and "【均获维持】" in upheld.message
    # 一 still says 全年未因政府信息公开申请引起行政复议和行政诉讼事件
    assert "行政诉讼" in none.message and "总计 为 2" in none.message


def test_nt10_empty_overview_is_an_error(sample_data):
    sample_data["narrative"]["overview"] = {"intro": None, "sections": []}
    found = check(sample_data, ["NT-09", "NT-10"])
    assert [(f.rule, f.severity.value) for f in found] == [("NT-10", "error")]
    assert "第一部分“总体情况”为空" in found[0].message


def test_rules_do_not_change_each_others_outcome(sample_data):
    """VAL-01 no longer marks cells as it runs: a T3 rule run alone says what it says in a full
    run, and the prose is analysed once per report whatever rules run."""
    sample_data["requests"]["granted"] = [-3, 0, 0, 0, 0, 0, -3]
    full = [f for f in check(sample_data) if f.rule == "T3-02"]
    alone = check(sample_data, ["T3-02"])
    assert full == alone


def test_prose_is_analysed_once_per_report(sample_data, monkeypatch):
    from gdr_gen.checks import prose

    calls = []
    real = prose.analyse
    monkeypatch.setattr(prose, "analyse", lambda report, L=None: calls.append(1) or real(report, L))
    check(sample_data)
    assert len(calls) == 1


def test_nt08_accepts_real_none_charged_wordings(sample_data):
    for text in (
        "2022年，无收取信息处理费情况。",
        "信息处理费收取情况：无。",
        "不存在收取信息处理费的情况。",
    ):
        sample_data["narrative"]["other"] = {"intro": text, "sections": []}
        assert check(sample_data, ["NT-08"]) == [], text
        sample_data["processing_fee"] = {"cases": 1, "amount_yuan": "100"}
        (f,) = check(sample_data, ["NT-08"])
        assert f.severity.value == "error", text
        sample_data["processing_fee"] = {"cases": 0, "amount_yuan": "0"}


@pytest.mark.parametrize(
    "text",
    [
        "2022年受理申请中网上申请30件，快递6件。",  # a channel breakdown, not the total
        "2022年，主动公开县政府规章13件（含新制定0件，修改4件，废止0件）。",  # 13 is not 本年制发
    ],
)
def test_issue_false_alarms_stay_quiet(sample_data, text):
    sample_data["narrative"]["overview"] = {"intro": text, "sections": []}
    assert check(sample_data, [f"NT-0{i}" for i in range(1, 9)]) == []


# ---------------------------------------------------------------- units, 复议机关 figures, breakdowns, claims
def findings(base: str, text: str, section: str = "overview"):
    case = {"base": base, "section": section, "text": text}
    return [f for f in run(case_data(case), FIGURE_RULES)]


def test_wanyuan_is_money_not_an_approximate_figure():
    toks = tokens("行政事业性收费3857.85万元，另有3万余元、1.6万余条")
    assert [(t.kind, t.value, t.unit) for t in toks] == [
        ("money", Decimal("3857.85"), "万元"),
        ("other", Decimal("3"), "万"),
        ("other", Decimal("1.6"), "万"),
    ]


def test_fee_in_wanyuan_is_compared_with_table_two():
    (f,) = findings("wushan", "全年行政事业性收费3857.58万元。")
    assert (f.rule, f.severity.value) == ("NT-07", "error")
    assert "【3857.58万元】" in f.message and "3857.85" in f.message
    assert "正文少 0.27" in f.message and "proactive.fees" in f.message


def test_fee_in_yuan_is_converted_to_wanyuan():
    assert findings("wushan", "全年行政事业性收费38578500元。") == []
    (f,) = findings("wushan", "全年行政事业性收费3857.85元。")
    assert f.rule == "NT-07"
    assert "3857.85 元（= 0.385785 万元）" in f.message


def test_figures_of_the_body_as_review_authority_are_not_table_four():
    text = "市政府作为复议机关，全年办理政府信息公开类行政复议案件120件，均已审结。"
    assert findings("huaian", text) == []
    # the same figures as the respondent are still checked
    (f,) = findings("huaian", "全年因政府信息公开被申请行政复议351件，均已审结。")
    assert f.rule == "NT-05" and "尚未审结 为 37" in f.message


def test_licensing_applications_are_not_decisions():
    assert findings("wushan", "全县全年受理行政许可申请5200件，办结率100%。") == []
    (f,) = findings("wushan", "全年作出行政许可决定91039件。")
    assert f.rule == "NT-07" and "91093" in f.message


def test_breakdown_that_adds_up_gives_no_finding():
    ok = "全县共收到政府信息公开申请39件。县级部门收到申请29件，乡镇（街道）收到申请10件。"
    assert findings("wushan", ok) == []
    bad = ok.replace("10件", "11件")
    got = findings("wushan", bad)
    assert [(f.rule, f.severity.value) for f in got] == [("NT-01", "warning")] * 2


def test_bare_upheld_claim_against_a_pending_case():
    text = "2023年，我局收到政府信息公开申请26件。涉及行政复议1起，维持原行政行为。"
    (f,) = findings("shuyang-fgj", text)
    assert (f.rule, f.severity.value) == ("NT-05", "error")
    assert "【维持原行政行为】" in f.message and "尚未审结 1" in f.message
    assert findings("shuyang-fgj", text.replace("维持原行政行为", "目前尚在审理中")) == []


def test_no_carry_forward_claim_against_table_three():
    (f,) = findings("huaian", "全年收到政府信息公开申请3119件，无结转下年度的申请。")
    assert (f.rule, f.severity.value) == ("NT-01", "error")
    assert "【无结转下年度】" in f.message and "103" in f.message
    assert "requests.carried_forward[6]" in f.message
    assert findings("wushan", "全年收到政府信息公开申请39件，无结转下年度的申请。") == []


def test_all_finished_claim_is_a_warning_when_some_are_carried_forward():
    (f,) = findings("huaian", "全年收到政府信息公开申请3119件，均已办结。")
    assert (f.rule, f.severity.value) == ("NT-01", "warning")
    # about last year's carry-over: true, whatever this year's 四 says
    assert findings("huaian", "办理上年结转申请34件，已全部办结。") == []


def test_a_reason_names_one_item_of_a_sum():
    # 信访举报投诉类 is one of the five （五） items (12 of 19)
    assert findings("shuyang-gov", "收到申请713件，因信访举报投诉类申请不予处理12件。") == []
    (f,) = findings("shuyang-gov", "收到申请713件，因信访举报投诉类申请不予处理25件。")
    assert f.rule == "NT-03" and "19" in f.message
    # 等原因: the whole of （四）
    (f,) = findings("wushan", "收到申请39件，因本机关不掌握等原因无法提供7件。")
    assert f.rule == "NT-03" and "正文少 1" in f.message


def test_figures_after_qizhong_are_parts_of_the_total():
    assert findings("wushan", "全年收到申请39件。其中，通过网络平台收到申请25件。") == []
    assert findings("wushan", "收到申请39件，其中网上申请25件，当面受理申请4件。") == []
    assert findings("wushan", "收到申请39件，办结39件，其中当场答复12件。") == []
    # 其中 splits the applications, not the 办结 figure that follows
    (f,) = findings("wushan", "收到申请39件，其中自然人38件；办结38件。")
    assert f.rule == "NT-01" and "【38件】" in f.message and "正文少 1" in f.message
