"""META rules: deadline by agency kind, the report year, the agency name."""

from __future__ import annotations

import pytest
from prose_corpus import run, sample

from gdr_gen.checks import run_checks
from gdr_gen.readers.json_reader import report_from_data


def meta(data, previous=None):
    r = report_from_data(data).report
    p = report_from_data(previous).report if previous else None
    return run_checks(r, previous=p, only=["META-01", "META-02", "META-03"])


@pytest.mark.parametrize(
    ("kind", "date", "late"),
    [("government", "2023-03-31", False), ("government", "2023-04-01", True),
     ("department", "2023-01-31", False), ("department", "2023-02-01", True),
     ("department", None, False)],
)  # fmt: skip
def test_deadline(sample_data, kind, date, late):
    sample_data["agency_kind"] = kind
    sample_data["publish_date"] = date
    found = meta(sample_data)
    assert [f.rule for f in found] == (["META-01"] if late else [])
    if late:
        assert found[0].severity.value == "warning" and "晚了 1 天" in found[0].message
        assert found[0].location == "publish_date"


def test_publish_date_inside_the_year(sample_data):
    sample_data["publish_date"] = "2022-12-30"
    (f,) = meta(sample_data)
    assert "统计期限" in f.message


def test_sample_is_clean(sample_data):
    sample_data["publish_date"] = "2023-01-20"
    assert meta(sample_data) == []


def test_wrong_year_in_period_sentence(sample_data):
    sample_data["narrative"]["preface"] = sample_data["narrative"]["preface"].replace(
        "2022年1月1日至2022年12月31日", "2021年1月1日至2021年12月31日"
    )
    (f,) = meta(sample_data)
    assert f.rule == "META-02" and f.severity.value == "error"
    assert "2021 年" in f.message and "2022 年" in f.message


def test_wrong_year_opening_overview_but_not_last_year_mentions(sample_data):
    # 五 says 针对2021年政务公开工作存在…问题: last year, legitimately
    assert meta(sample_data) == []
    sample_data["narrative"]["overview"]["intro"] = (
        "2021年，巫山县坚持以习近平新时代中国特色社会主义思想为指导。"
    )
    (f,) = meta(sample_data)
    assert f.rule == "META-02" and f.location == "narrative.overview.intro"


def test_agency_name(sample_data):
    preface = "现将巫山县2022年政府信息公开工作年度报告公布如下。"
    sample_data["narrative"]["preface"] = preface
    assert meta(sample_data) == []  # 巫山县 is the short form of 巫山县人民政府
    sample_data["narrative"]["preface"] = (
        "现将奉节县人民政府2022年政府信息公开工作年度报告公布如下。"
    )
    (f,) = meta(sample_data)
    assert f.rule == "META-03" and "奉节县人民政府" in f.message


def test_agency_name_changed_since_last_year(sample_data):
    prev = dict(sample_data, year=2021, agency="巫溪县人民政府")
    (f,) = meta(sample_data, prev)
    assert f.rule == "META-03" and "巫溪县人民政府" in f.message


def test_unreadable_year_gives_its_own_finding_and_no_year_comparisons(sample_data):
    """A year the reader could not use is DATA-01; META-02 must not compare the prose with
    the stand-in value."""
    from gdr_gen.readers.json_reader import report_from_data

    sample_data["year"] = "二〇二二"
    loaded = report_from_data(sample_data)
    found = loaded.check()
    rules = {f.rule for f in found}
    assert "DATA-01" in rules
    assert not rules & {"META-01", "META-02"}


# ---------------------------------------------------------------- how offices cite last year's report and name themselves (META-02, META-03)
META = ["META-01", "META-02", "META-03"]


def meta_of_preface(base: str, preface: str):
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
    assert meta_of_preface(base, preface) == []


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
    (got,) = meta_of_preface(base, preface)
    assert got[0] == rule and piece in got[2]
    assert got[1] == ("error" if rule == "META-02" else "warning")
