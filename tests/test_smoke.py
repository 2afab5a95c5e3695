from __future__ import annotations

import json

from conftest import SAMPLE_JSON, write_json


def test_sample_checks_clean(cli):
    r = cli("check", SAMPLE_JSON)
    assert r.code == 0, r.out + r.err
    assert "通过检查" in r.out


def test_changed_natural_person_gives_t3_03_and_t3_01(cli, tmp_path, sample_data):
    sample_data["requests"]["new"][0] = 37
    path = write_json(tmp_path / "broken.json", sample_data)
    r = cli("check", path, "--format", "json")
    assert r.code == 1
    findings = json.loads(r.out)
    by_rule = {f["rule"]: f for f in findings if f["severity"] == "error"}
    # NT-02: the prose still says 自然人申请38件
    assert set(by_rule) == {"T3-01", "T3-03", "NT-02"}
    assert "requests.new[0]" in by_rule["T3-01"]["location"]
    assert "相差 1" in by_rule["T3-01"]["message"]
    assert "requests.new[6]" in by_rule["T3-03"]["location"]
    assert "相差 1" in by_rule["T3-03"]["message"]
    # Both name the changed cell, give both sides of the comparison and the difference.
    assert by_rule["T3-01"]["location"] == (
        "requests.new[0]+requests.carried_over[0] ≠ requests.total[0]+requests.carried_forward[0]"
    )
    assert by_rule["T3-01"]["message"] == (
        "表三「自然人」列：一、本年新收(37) + 二、上年结转(0) = 37，"
        "应等于 （七）总计(38) + 四、结转下年度(0) = 38，相差 1"
    )
    assert by_rule["T3-03"]["location"] == (
        "requests.new[6] ≠ requests.new[0]+requests.new[1]+requests.new[2]"
        "+requests.new[3]+requests.new[4]+requests.new[5]"
    )
    assert by_rule["T3-03"]["message"] == (
        "表三「一、本年新收」行：总计(39)，应等于 自然人至其他六列之和(38)，相差 1"
    )
    # Besides these errors: only the sample's own two prose warnings (NT-06, NT-09).
    assert sorted(f["rule"] for f in findings if f["severity"] != "error") == ["NT-06", "NT-09"]


def test_missing_file_exit_2(cli, tmp_path):
    r = cli("check", tmp_path / "nope.json")
    assert r.code == 2
    assert "文件不存在" in r.err
    assert "Traceback" not in r.err
