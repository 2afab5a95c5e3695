"""META-02 / META-03 review fixes: last year's report cited in the opening paragraph, how an
office names itself (本机关, 我县, 我局) and short forms (沭阳县发改局)."""

from __future__ import annotations

import pytest
from prose_corpus import run, sample

META = ["META-01", "META-02", "META-03"]


def meta(base: str, preface: str):
    data = sample(base)
    data["narrative"]["preface"] = preface
    return [(f.rule, f.severity.value, f.message) for f in run(data, META)]


@pytest.mark.parametrize(
    ("base", "preface"),
    [
        ("wushan", "对照巫山县2021年政府信息公开工作年度报告中存在的问题，"
                   "现将巫山县2022年政府信息公开工作年度报告公布如下。"),
        ("huaian", "在2023年政府信息公开工作年度报告基础上，现公布淮安市2024年政府信息公开工作年度报告。"),
        ("wushan", "现将本机关2022年政府信息公开工作年度报告公布如下。"),
        ("wushan", "现公布我县2022年政府信息公开工作年度报告。"),
        ("shuyang-fgj", "现公布我局2023年政府信息公开工作年度报告。"),
        ("shuyang-fgj", "现公布沭阳县发改局2023年政府信息公开工作年度报告。"),
        ("shuyang-fgj", "现公布县发改局2023年政府信息公开工作年度报告。"),
        ("huaian", "本年度报告中所列数据的统计期限自2024年1月1日起至2024年12月31日止。"),
    ],
)  # fmt: skip
def test_legitimate_openings_give_nothing(base, preface):
    assert meta(base, preface) == []


@pytest.mark.parametrize(
    ("base", "preface", "rule", "piece"),
    [
        ("huaian", "现公布淮安市2023年政府信息公开工作年度报告。", "META-02", "2023 年"),
        ("huaian", "本报告所列数据统计期限自2023年1月1日起至2023年12月31日止。", "META-02", "2023 年"),
        ("shuyang-fgj", "现公布沭阳县财政局2023年政府信息公开工作年度报告。", "META-03", "沭阳县财政局"),
        ("shuyang-fgj", "现公布泗阳县发展和改革局2023年政府信息公开工作年度报告。", "META-03", "泗阳县"),
        ("wushan", "现公布巫溪县2022年政府信息公开工作年度报告。", "META-03", "巫溪县"),
    ],
)  # fmt: skip
def test_wrong_year_or_other_agency_is_found(base, preface, rule, piece):
    (got,) = meta(base, preface)
    assert got[0] == rule and piece in got[2]
    assert got[1] == ("error" if rule == "META-02" else "warning")
