"""Each table rule fires on a minimal broken report, with its location and message, and stays
quiet on the 巫山县2022 sample."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from conftest import TABLE_RULES

from gdr_gen.checks import RULES, Finding, Severity, run_checks
from gdr_gen.model import Report
from gdr_gen.readers.json_reader import report_from_data


def check(data: dict[str, Any], only: list[str] | None = None) -> list[Finding]:
    only = TABLE_RULES if only is None else only
    loaded = report_from_data(data)
    return loaded.check(only=only)


def rules_of(findings: list[Finding]) -> list[str]:
    return sorted(f.rule for f in findings)


def one(findings: list[Finding], rule: str) -> Finding:
    hits = [f for f in findings if f.rule == rule]
    assert len(hits) == 1, findings
    return hits[0]


def test_every_table_rule_is_implemented() -> None:
    assert set(TABLE_RULES) <= set(RULES)


def test_sample_is_clean(sample_data: dict[str, Any]) -> None:
    assert check(sample_data) == []


@pytest.mark.parametrize("rule", TABLE_RULES)
def test_each_rule_quiet_on_sample(sample_data: dict[str, Any], rule: str) -> None:
    assert check(sample_data, only=[rule]) == []


def test_blank_report_is_clean() -> None:
    assert run_checks(Report.blank("某县人民政府", 2022), only=TABLE_RULES) == []


# ---------------------------------------------------------------- VAL-01
def test_val01_negative_count_in_table_three(sample_data: dict[str, Any]) -> None:
    sample_data["requests"]["new"][2] = -1  # the declared row total stays 39
    findings = check(sample_data)
    f = one(findings, "VAL-01")
    assert f.severity is Severity.ERROR
    assert f.location == "requests.new[2]"
    assert "表三「一、本年新收」科研机构" in f.message and "-1" in f.message
    # A value that is wrong is reported once, not again in every sum it is part of.
    assert rules_of(findings) == ["VAL-01"]


@pytest.mark.parametrize(
    ("section", "key", "index", "where"),
    [
        ("proactive", "licensing", None, "proactive.licensing"),
        ("appeals", "reconsideration", 1, "appeals.reconsideration[1]"),
        ("requests", "total", 6, "requests.total[6]"),  # a declared total counts too
    ],
)
def test_val01_negative_elsewhere(
    sample_data: dict[str, Any], section: str, key: str, index: int | None, where: str
) -> None:
    if index is None:
        sample_data[section][key] = -3
    else:
        sample_data[section][key][index] = -3
    findings = check(sample_data)
    assert rules_of(findings) == ["VAL-01"]
    assert findings[0].location == where


def test_val01_negative_part_of_computed_total_is_reported_once(
    sample_data: dict[str, Any],
) -> None:
    sample_data["requests"]["new"] = [38, -1, 0, 0, 0, 0]  # 总计 omitted: computed from parts
    findings = check(sample_data)
    assert rules_of(findings) == ["VAL-01"]


def test_val01_processing_fee_cases(sample_data: dict[str, Any]) -> None:
    sample_data["processing_fee"]["cases"] = -2
    f = one(check(sample_data), "VAL-01")
    assert f.location == "processing_fee.cases"


# ---------------------------------------------------------------- VAL-02
def test_val02_negative_fee_is_an_error(sample_data: dict[str, Any]) -> None:
    sample_data["proactive"]["fees"] = "-1.5"
    f = one(check(sample_data), "VAL-02")
    assert f.severity is Severity.ERROR
    assert f.location == "proactive.fees"
    assert "-1.5" in f.message and "负数" in f.message


def test_val02_more_than_six_decimals_is_a_warning(sample_data: dict[str, Any]) -> None:
    sample_data["proactive"]["fees"] = "3857.8512345"
    f = one(check(sample_data), "VAL-02")
    assert f.severity is Severity.WARNING
    assert "3857.8512345" in f.message and "6 位" in f.message


def test_val02_trailing_zeros_are_not_decimals(sample_data: dict[str, Any]) -> None:
    sample_data["proactive"]["fees"] = "3857.850000000"
    assert check(sample_data) == []


def test_val02_six_decimals_are_fine(sample_data: dict[str, Any]) -> None:
    sample_data["proactive"]["fees"] = "24252.311082"
    assert check(sample_data) == []


def test_val02_amount_in_yuan_is_a_warning(sample_data: dict[str, Any]) -> None:
    sample_data["proactive"]["fees"] = "38578500"  # 3857.85 万元 typed in 元
    f = one(check(sample_data), "VAL-02")
    assert f.severity is Severity.WARNING
    assert "元" in f.message and "万元" in f.message


def test_val02_negative_processing_fee(sample_data: dict[str, Any]) -> None:
    sample_data["processing_fee"]["amount_yuan"] = "-10"
    f = one(check(sample_data), "VAL-02")
    assert f.location == "processing_fee.amount_yuan"
    assert f.severity is Severity.ERROR


# ---------------------------------------------------------------- VAL-03
def test_val03_rules_row_without_rulemaking_power(sample_data: dict[str, Any]) -> None:
    sample_data["proactive"]["rules"] = {"issued": 2, "repealed": 0, "in_force": 2}
    findings = check(sample_data)
    assert rules_of(findings) == ["VAL-03", "VAL-03"]
    assert {f.location for f in findings} == {
        "proactive.rules.issued",
        "proactive.rules.in_force",
    }
    assert all(f.severity is Severity.ERROR for f in findings)
    assert "规章制定权" in findings[0].message


def test_val03_quiet_with_rulemaking_power(sample_data: dict[str, Any]) -> None:
    sample_data["proactive"]["rules"] = {"issued": 2, "repealed": 0, "in_force": 2}
    sample_data["rulemaking"] = True
    assert check(sample_data) == []


# ---------------------------------------------------------------- T2-01
def test_t201_in_force_below_issued_minus_repealed(sample_data: dict[str, Any]) -> None:
    sample_data["proactive"]["normative_documents"] = {"issued": 9, "repealed": 6, "in_force": 2}
    f = one(check(sample_data), "T2-01")
    assert f.severity is Severity.WARNING
    assert "proactive.normative_documents.in_force" in f.location
    assert "现行有效件数(2)" in f.message and "= 3" in f.message and "相差 1" in f.message


def test_t201_equal_is_fine(sample_data: dict[str, Any]) -> None:
    sample_data["proactive"]["normative_documents"] = {"issued": 9, "repealed": 6, "in_force": 3}
    assert check(sample_data) == []


# ---------------------------------------------------------------- T3-01
def test_t301_balance_with_six_number_row(sample_data: dict[str, Any]) -> None:
    sample_data["requests"]["carried_over"] = [2, 0, 0, 0, 0, 0]  # 总计 computed: 2
    findings = check(sample_data)
    assert rules_of(findings) == ["T3-01", "T3-01"]
    col0, col6 = findings
    assert "requests.carried_over[0]" in col0.location
    assert col0.message == (
        "表三「自然人」列：一、本年新收(38) + 二、上年结转(2) = 40，"
        "应等于 （七）总计(38) + 四、结转下年度(0) = 38，相差 2"
    )
    assert "requests.carried_over[6]" in col6.location
    assert "表三「总计」列" in col6.message


# ---------------------------------------------------------------- T3-02
def test_t302_declared_results_total(sample_data: dict[str, Any]) -> None:
    sample_data["requests"]["granted"] = [18, 0, 0, 0, 0, 0, 18]
    findings = check(sample_data)
    assert rules_of(findings) == ["T3-02", "T3-02"]
    f = findings[0]
    assert f.severity is Severity.ERROR
    assert "requests.total[0]" in f.location and "requests.granted[0]" in f.location
    assert "（七）总计(38)" in f.message and "（一）至（六）各项之和(39)" in f.message
    assert "相差 1" in f.message


def test_t302_only_when_total_given(sample_data: dict[str, Any]) -> None:
    sample_data["requests"]["granted"] = [18, 0, 0, 0, 0, 0, 18]
    del sample_data["requests"]["total"]
    findings = check(sample_data)
    # Without a declared （七）总计 it is computed (39), so the balance breaks instead.
    assert "T3-02" not in rules_of(findings)
    assert rules_of(findings) == ["T3-01", "T3-01"]
    assert "（七）总计(39)" in findings[0].message


# ---------------------------------------------------------------- T3-03
def test_t303_row_total(sample_data: dict[str, Any]) -> None:
    sample_data["requests"]["unavailable_not_held"][6] = 9
    sample_data["requests"]["total"][6] = 40  # keep the column sums in step
    sample_data["requests"]["new"][6] = 40
    findings = check(sample_data)
    assert rules_of(findings) == ["T3-03", "T3-03", "T3-03"]
    rows = {f.message.split("：")[0] for f in findings}
    assert rows == {
        "表三「一、本年新收」行",
        "表三「（四）1.本机关不掌握相关政府信息」行",
        "表三「（七）总计」行",
    }
    f = next(f for f in findings if "不掌握" in f.message)
    assert f.location.startswith("requests.unavailable_not_held[6] ≠ ")
    assert "总计(9)，应等于 自然人至其他六列之和(8)，相差 1" in f.message


def test_six_number_rows_are_computed_not_flagged(sample_data: dict[str, Any]) -> None:
    for key, row in sample_data["requests"].items():
        sample_data["requests"][key] = row[:6]
    for key, row in sample_data["appeals"].items():
        sample_data["appeals"][key] = row[:4]
    sample_data["appeals"]["reconsideration"] = [1, 2, 0, 1]
    loaded = report_from_data(sample_data)
    assert loaded.findings == []
    assert loaded.report.value(("requests", "new", 6)) == 39
    assert loaded.report.value(("requests", "total", 6)) == 39
    assert loaded.report.value(("appeals", "reconsideration", 4)) == 4
    assert check(sample_data) == []


# ---------------------------------------------------------------- T3-05 / T3-06
def test_t305_carry_forward_above_new_plus_carried_over(sample_data: dict[str, Any]) -> None:
    sample_data["requests"]["carried_forward"] = [0, 0, 1, 0, 0, 0, 1]
    findings = check(sample_data, only=["T3-05", "T3-06"])
    # The warning T3-06 is not repeated for a column that already has the error T3-05.
    assert [(f.rule, f.severity) for f in findings] == [("T3-05", Severity.ERROR)]
    f = findings[0]
    assert "requests.carried_forward[2]" in f.location
    assert "四、结转下年度(1)，不应大于 一、本年新收(0) + 二、上年结转(0) = 0，多出 1" in f.message


def test_t306_carry_forward_above_new_is_only_a_warning(sample_data: dict[str, Any]) -> None:
    # 社会公益组织: 1 new + 3 carried over = 0 handled + 4 carried forward (balanced).
    r = sample_data["requests"]
    r["new"][3], r["new"][6] = 1, 40
    r["carried_over"][3], r["carried_over"][6] = 3, 3
    r["carried_forward"][3], r["carried_forward"][6] = 4, 4
    findings = check(sample_data)
    f = one(findings, "T3-06")
    assert rules_of(findings) == ["T3-06"]
    assert f.severity is Severity.WARNING
    assert "requests.carried_forward[3]" in f.location and "requests.new[3]" in f.location
    assert "四、结转下年度(4)，不应大于 一、本年新收(1)，多出 3" in f.message


# ---------------------------------------------------------------- T4
@pytest.mark.parametrize(
    ("rule", "key", "name"),
    [
        ("T4-01", "reconsideration", "行政复议"),
        ("T4-02", "litigation_direct", "行政诉讼（未经复议直接起诉）"),
        ("T4-03", "litigation_after_reconsideration", "行政诉讼（复议后起诉）"),
    ],
)
def test_t4_declared_totals(sample_data: dict[str, Any], rule: str, key: str, name: str) -> None:
    sample_data["appeals"][key] = [1, 0, 2, 0, 4]
    findings = check(sample_data)
    assert rules_of(findings) == [rule]
    f = findings[0]
    assert f.severity is Severity.ERROR
    assert f.location == (
        f"appeals.{key}[4] ≠ appeals.{key}[0]+appeals.{key}[1]+appeals.{key}[2]+appeals.{key}[3]"
    )
    assert f.message == (
        f"表四「{name}」：总计(4)，应等于 结果维持(1) + 结果纠正(0) + 其他结果(2) + 尚未审结(0)"
        " = 3，相差 1"
    )


@pytest.mark.parametrize("key", ["reconsideration", "litigation_direct"])
def test_t4_consistent_or_omitted_totals_are_fine(sample_data: dict[str, Any], key: str) -> None:
    sample_data["appeals"][key] = [1, 0, 2, 0, 3]
    assert check(sample_data) == []
    sample_data["appeals"][key] = [1, 0, 2, 0]
    assert check(sample_data) == []


def test_fee_from_json_number_keeps_exact_decimal(sample_data: dict[str, Any]) -> None:
    sample_data["proactive"]["fees"] = Decimal("24252.311082")  # as json parse_float gives it
    loaded = report_from_data(sample_data)
    assert loaded.report.proactive.fees == Decimal("24252.311082")
    assert str(loaded.report.proactive.fees) == "24252.311082"
