"""Fixes from the review of the prose rules: units, 复议机关 figures, breakdowns, claims.

Each test puts a realistic sentence into a real sample's 总体情况 and asserts the findings the
office would see (rule, severity, the marked figure and both sides).
"""

from __future__ import annotations

from decimal import Decimal

from prose_corpus import FIGURE_RULES, case_data, run

from gdr_gen.checks.figures import tokens


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
