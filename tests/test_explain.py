"""`gdr-gen explain`: what the prose checks read in one sentence, and what they say against data."""

from __future__ import annotations

from conftest import SAMPLE_JSON, write_json

from gdr_gen.commands.explain import explain


def test_explain_names_figures_subjects_and_readings():
    r = explain("2022年，全年共受理政府信息公开申请12件，其中公民个人申请10件，均已按时办结。")
    assert r.year == 2022
    assert [(f.figure, f.rule) for f in r.figures] == [("12件", "NT-01"), ("10件", "NT-02")]
    assert r.figures[0].readings[0] == "表三「一、本年新收」总计"
    assert [c.name for c in r.claims] == ["均已办结"]
    text = "\n".join(r.lines())
    assert "【12件】" in text and "表三「一、本年新收」自然人" in text
    text.encode("gbk")  # the console may be GBK


def test_explain_against_data_says_which_rule_fires(tmp_path, sample_data):
    quiet = explain("2022年，无收取信息处理费情况。", data=SAMPLE_JSON)
    assert quiet.findings == [] and "不会给出问题" in quiet.lines()[-1]
    sample_data["processing_fee"] = {"cases": 2, "amount_yuan": "300"}
    path = write_json(tmp_path / "r.json", sample_data)
    loud = explain("2022年，无收取信息处理费情况。", data=path)
    assert [(f.rule, f.severity.value) for f in loud.findings] == [("NT-08", "error")]
    off = explain("全年共收到政府信息公开申请40件。", data=SAMPLE_JSON)
    assert [f.rule for f in off.findings] == ["NT-01"] and "正文多 1" in off.findings[0].message


def test_cli_explain(cli):
    r = cli("explain", "2022年，收到政府信息公开申请39件。", "--data", SAMPLE_JSON)
    assert r.code == 0 and "规则 NT-01" in r.out and "不会给出问题" in r.out
    r = cli("explain", "2022年，收到政府信息公开申请41件。", "--data", SAMPLE_JSON)
    assert r.code == 1 and "[错误] NT-01" in r.out
