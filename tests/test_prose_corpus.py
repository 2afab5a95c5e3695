"""The labelled prose corpus: every case gives exactly its labelled findings (NT-01…NT-08)."""

from __future__ import annotations

import pytest
from prose_corpus import BASES, FIGURE_RULES, cases, check_case, run, sample

CASES = cases()


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case_gives_its_labelled_findings(case):
    outcome = check_case(case)
    assert not outcome.missing, (
        f"missing {outcome.missing}; got {[f.message for f in outcome.findings]}"
    )
    assert not outcome.unexpected, [
        f"{f.rule} {f.severity.value} {f.message}" for f in outcome.unexpected
    ]


def test_corpus_has_good_and_bad_cases_with_varied_phrasing():
    good = [c for c in CASES if c["kind"] == "good"]
    bad = [c for c in CASES if c["kind"] == "bad"]
    assert len(good) >= 15 and len(bad) >= 20
    text = "".join(c["text"] for c in CASES)
    for form in ("３", "两件", "十九件", "起", "占比", "（", "%", "％"):
        assert form in text, form
    assert all(not c["expect"] for c in good)
    assert all(c["expect"] for c in bad)


def test_no_false_alarm_on_known_good_texts():
    alarms = [
        (c["id"], f.message) for c in CASES if c["kind"] == "good" for f in check_case(c).findings
    ]
    assert alarms == []


# The real samples: what the figure rules say on them, read and labelled one by one.
SAMPLE_FIGURE_FINDINGS = {
    "wushan": [("NT-06", "warning", "县政府")],  # 县政府现行有效规范性文件51件 vs 表二 60: scoped
    "huaian": [],
    "shuyang-gov": [("NT-01", "warning", "上年结转")],  # 受理749件 = 一 713 + 二 36: true finding
    "shuyang-fgj": [],
}


@pytest.mark.parametrize("name", sorted(BASES))
def test_real_samples_figure_findings(name):
    got = [(f.rule, f.severity.value, f.message) for f in run(sample(name), FIGURE_RULES)]
    expected = SAMPLE_FIGURE_FINDINGS[name]
    assert len(got) == len(expected), got
    for (rule, sev, piece), (grule, gsev, msg) in zip(expected, got, strict=True):
        assert (rule, sev) == (grule, gsev)
        assert piece in msg
