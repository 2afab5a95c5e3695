"""`gdr-gen check` and `gdr-gen rules` as a user runs them: output, exit codes, help."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import SAMPLE_JSON, make_clean, write_json

CJK = re.compile(r"[\u4e00-\u9fff]")


def warning_only(data: dict[str, Any]) -> dict[str, Any]:
    """The clean sample with one T3-06 warning (社会公益组织 carries forward more than it received)."""
    make_clean(data)
    r = data["requests"]
    r["carried_over"][3], r["carried_over"][6] = 3, 3
    r["carried_forward"][3], r["carried_forward"][6] = 3, 3
    return data


@pytest.fixture
def broken(tmp_path: Path, sample_data: dict[str, Any]) -> Path:
    make_clean(sample_data)
    sample_data["requests"]["new"][0] = 37
    sample_data["proactive"]["normative_documents"]["in_force"] = 2  # T2-01 warning
    sample_data["extra"] = 1  # DATA-01
    return write_json(tmp_path / "broken.json", sample_data)


def test_clean_sample_text(cli, clean_json: Path) -> None:
    r = cli("check", clean_json)
    assert r.code == 0
    assert r.out.strip().splitlines()[-1] == f"✓ {clean_json}：通过检查，未发现问题"
    assert r.err == ""


def test_text_output_groups_by_table(cli, broken: Path) -> None:
    r = cli("check", broken)
    assert r.code == 1
    titles = re.findall(r"^(数据|表二|表三|表四)（(\d+)）", r.out, flags=re.M)
    assert titles == [("数据", "1"), ("表二", "1"), ("表三", "2")]
    # The prose still quotes 自然人38件 and 现行有效60件: NT-02 (error), NT-06 (warning).
    assert re.search(r"^正文（2）", r.out, flags=re.M)
    # Each finding appears under its table's title.
    t2, t3 = r.out.index("表二（1）"), r.out.index("表三（2）")
    assert t2 < r.out.index("T2-01") < t3 < r.out.index("T3-01") and t3 < r.out.index("T3-03")
    assert "警告" in r.out and "错误" in r.out
    verdict = r.out.strip().splitlines()[-1]
    assert verdict == f"✗ {broken}：未通过检查，发现 4 个错误、2 个警告"


def test_text_output_survives_markup_in_input(cli, tmp_path: Path, sample_data) -> None:
    sample_data["[/bold]"] = 1
    sample_data["requests"]["new"][0] = "[red]37"
    path = write_json(tmp_path / "[x].json", sample_data)
    r = cli("check", path)
    assert r.code == 1, r.err
    assert "[/bold]" in r.out and "[red]37" in r.out
    assert f"{path}：未通过检查" in r.out


def test_json_output_contract(cli, broken: Path) -> None:
    r = cli("check", broken, "--format", "json")
    assert r.code == 1
    findings = json.loads(r.out)
    assert isinstance(findings, list) and len(findings) == 6
    for f in findings:
        assert set(f) == {"rule", "severity", "location", "message"}
        assert f["severity"] in {"error", "warning", "info"}
        assert all(isinstance(v, str) and v for v in f.values())
        assert CJK.search(f["message"])
    by_rule = {f["rule"]: f for f in findings}
    assert by_rule["T2-01"]["severity"] == "warning"
    assert by_rule["DATA-01"] == {
        "rule": "DATA-01",
        "severity": "error",
        "location": "extra",
        "message": by_rule["DATA-01"]["message"],
    }


def test_json_output_clean_is_empty_list(cli, clean_json: Path) -> None:
    r = cli("check", clean_json, "-f", "json")
    assert r.code == 0
    assert json.loads(r.out) == []


def test_strict_fails_on_warnings(cli, tmp_path: Path, sample_data) -> None:
    path = write_json(tmp_path / "warn.json", warning_only(sample_data))
    r = cli("check", path)
    assert r.code == 0
    assert "T3-06" in r.out and "警告" in r.out
    assert r.out.strip().splitlines()[-1] == f"✓ {path}：通过检查（1 个警告，请留意）"
    r = cli("check", path, "--strict")
    assert r.code == 1
    assert r.out.strip().splitlines()[-1] == f"✗ {path}：未通过检查，发现 1 个警告"
    r = cli("check", path, "--strict", "--format", "json")
    assert r.code == 1
    assert [f["rule"] for f in json.loads(r.out)] == ["T3-06"]


def test_strict_on_clean_sample_passes(cli, clean_json: Path) -> None:
    assert cli("check", clean_json, "--strict").code == 0


def test_sample_passes_with_its_two_prose_warnings(cli) -> None:
    """The real published sample: NT-06 (a 县政府-scoped count) and NT-09 are warnings only."""
    r = cli("check", SAMPLE_JSON, "-f", "json")
    assert r.code == 0
    assert sorted(f["rule"] for f in json.loads(r.out)) == ["NT-06", "NT-09"]
    assert cli("check", SAMPLE_JSON, "--strict").code == 1


def test_smoke_cell_change_in_text_mode(cli, tmp_path: Path, sample_data) -> None:
    sample_data["requests"]["new"][0] = 37
    r = cli("check", write_json(tmp_path / "b.json", sample_data))
    assert r.code == 1
    assert "T3-01" in r.out and "T3-03" in r.out
    assert "相差 1" in r.out


# ---------------------------------------------------------------- rules
def test_rules_lists_the_catalogue(cli) -> None:
    r = cli("rules")
    assert r.code == 0
    line = next(line for line in r.out.splitlines() if "T3-01" in line)
    assert "错误" in line
    line = next(line for line in r.out.splitlines() if "T3-06" in line)
    assert "警告" in line
    for rule in ("DATA-01", "VAL-01", "VAL-02", "VAL-03", "T2-01", "T3-02", "T3-03", "T3-05"):
        assert rule in r.out
    for rule in ("T4-01", "T4-02", "T4-03"):
        assert rule in r.out


def test_rules_json(cli) -> None:
    r = cli("rules", "--format", "json")
    assert r.code == 0
    rules = {x["rule"]: x for x in json.loads(r.out)}
    assert rules["T3-01"]["severity"] == "error"
    assert rules["T2-01"]["severity"] == "warning"
    assert "勾稽" in rules["T3-01"]["description"] or "总计" in rules["T3-01"]["description"]


# ---------------------------------------------------------------- help and usage errors
@pytest.mark.parametrize("args", [["--help"], ["-h"], ["check", "--help"], ["rules", "--help"]])
def test_help_is_chinese(cli, args: list[str]) -> None:
    r = cli(*args)
    assert r.code == 0
    assert r.out.startswith("用法：gdr-gen")
    for english in ("Usage", "Options", "Arguments", "Commands", "Show this message", "[default"):
        assert english not in r.out, english
    assert "显示本帮助并退出" in r.out


def test_check_help_describes_options(cli) -> None:
    r = cli("check", "--help")
    assert "--strict" in r.out and "有警告也按未通过处理" in r.out
    assert "--format" in r.out and "[默认：text]" in r.out
    assert "[必填]" in r.out


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["check"], "缺少参数"),
        (["check", str(SAMPLE_JSON), "--bogus"], "没有这个选项"),
        (["check", str(SAMPLE_JSON), "--format", "xml"], "不是可选值之一"),
        (["chek", str(SAMPLE_JSON)], "没有这个命令"),
        (["check", str(SAMPLE_JSON), "extra.json"], "多余的参数"),
    ],
)
def test_usage_errors_exit_2_in_chinese(cli, args: list[str], words: str) -> None:
    r = cli(*args)
    assert r.code == 2
    assert "Traceback" not in r.err + r.out
    assert r.err.startswith("错误：")
    assert words in r.err
    assert "用法见：gdr-gen" in r.err


def test_no_arguments_shows_help(cli) -> None:
    r = cli()
    assert r.code == 2
    assert "用法：gdr-gen" in r.err and "check" in r.err
    assert "错误：" not in r.err


def test_long_locations_are_shortened_in_text_only(cli, tmp_path: Path, sample_data) -> None:
    sample_data["requests"]["granted"] = [18, 0, 0, 0, 0, 0, 18]  # T3-02 over 21 cells
    path = write_json(tmp_path / "t302.json", sample_data)
    text = cli("check", path).out
    assert "（共 21 格）" in text
    first = json.loads(cli("check", path, "-f", "json").out)[0]["location"]
    assert first.count("+") == 20 and "requests.withheld_inquiry[0]" in first
    assert "requests.withheld_inquiry[0]" not in text


def test_short_location() -> None:
    from gdr_gen.ui import short_location

    assert short_location("a[0]+b[0] ≠ c[0]") == "a[0]+b[0] ≠ c[0]"
    six = "+".join(f"r[{i}]" for i in range(6))
    assert short_location(f"r[6] ≠ {six}") == "r[6] ≠ r[0]+…+r[5]（共 6 格）"
    assert short_location("x < y − z") == "x < y − z"


# ---------------------------------------------------------------- the rules list
def _flat(text: str) -> str:
    """Terminal table text with borders, spaces and line breaks removed."""
    return "".join(ch for ch in text if ch not in "│┃ \n")


def test_rules_list_shows_every_description_whole(cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    r = cli("rules")
    assert r.code == 0
    assert "…" not in r.out
    from gdr_gen.checks import implemented_rules

    flat = _flat(r.out)
    for rule in implemented_rules():
        assert rule.description.replace(" ", "") in flat, rule.id


def test_file_names_that_look_like_markup_are_printed_as_typed(cli, tmp_path):
    """rich reads "[b]" as a style and ":cn:" as an emoji; a file name is neither. Before:
    ``build 报告[b][red]:cn:.xlsx`` printed the verdict as "报告:cn:.xlsx"."""
    import shutil

    from conftest import ROOT

    name = "报告[b][red]:cn:"
    book = tmp_path / f"{name}.xlsx"
    shutil.copy(ROOT / "sample_inputs" / "巫山县2022.xlsx", book)
    out_docx = tmp_path / f"{name}.docx"
    r = cli("build", book, "-o", out_docx)
    assert r.code == 0, r.err
    assert f"{name}.xlsx：通过检查" in r.out  # the verdict after the findings table
    assert f"已生成：{out_docx}" in r.out
    r = cli("export", book, "-o", tmp_path / f"{name}.json")
    assert r.code == 0 and f"{name}.json" in r.err + r.out
    r = cli("init", tmp_path / f"新{name}.xlsx", "--from", tmp_path / f"{name}.json")
    assert r.code == 0 and f"新{name}.xlsx" in r.out and f"gdr-gen check {tmp_path}" in r.out


@pytest.mark.parametrize("args", [["merge", "u", "-o", "r.json", "--agency", "县", "-j", "abc"],
                                  ["check", "u", "-j", "1.5"],
                                  ["init", "x.xlsx", "--year", "二〇二二"]])  # fmt: skip
def test_a_value_that_is_no_number_is_explained_in_chinese(cli, args):
    r = cli(*args)
    assert r.code == 2
    assert "不是整数" in r.err and "not a valid" not in r.err
