"""META rules: deadline by agency kind, the report year, the agency name."""

from __future__ import annotations

import pytest

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
