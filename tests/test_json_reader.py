"""The JSON data format reader: strict validation as findings, unreadable files as exit 2,
exact money, and a lossless round trip through the writer."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import SAMPLE_JSON, TABLE_RULES, write_json

from gdr_gen.checks import Finding
from gdr_gen.readers import load_report
from gdr_gen.readers.json_reader import read_json, report_from_data
from gdr_gen.writers.json_writer import dumps
from gdr_gen.writers.json_writer import write_json as write_report_json

CJK = re.compile(r"[\u4e00-\u9fff]")


def findings_of(data: Any) -> list[Finding]:
    loaded = report_from_data(data)
    return loaded.check(only=TABLE_RULES)


def _set(data: dict[str, Any], dotted: str, value: Any) -> None:
    """Set data at a JSON path like requests.new[0] (value DELETE removes the key)."""
    parts = re.findall(r"[^.\[\]]+|\[\d+\]", dotted)
    node: Any = data
    for part in parts[:-1]:
        node = node[int(part[1:-1])] if part.startswith("[") else node[part]
    last = parts[-1]
    key: Any = int(last[1:-1]) if last.startswith("[") else last
    if value is DELETE:
        del node[key]
    else:
        node[key] = value


DELETE = object()

# (JSON path to change, new value, rule, location). Each case yields exactly this one finding:
# a value that cannot be used is not reported again by the sums it is part of.
MALFORMED = [
    # unknown keys (a typo must not vanish)
    ("agencyy", "x", "DATA-01", "agencyy"),
    ("requests.grantd", [0, 0, 0, 0, 0, 0, 0], "DATA-01", "requests.grantd"),
    ("proactive.rules.in_forse", 0, "DATA-01", "proactive.rules.in_forse"),
    ("narrative.overview.sections[0].body", "x", "DATA-01", "narrative.overview.sections[0].body"),
    # missing keys
    ("requests.granted", DELETE, "DATA-01", "requests.granted"),
    ("proactive.penalty", DELETE, "DATA-01", "proactive.penalty"),
    ("appeals.litigation_direct", DELETE, "DATA-01", "appeals.litigation_direct"),
    ("requests", DELETE, "DATA-01", "requests"),
    ("format", DELETE, "DATA-01", "format"),
    (
        "narrative.overview.sections[1].text",
        DELETE,
        "DATA-01",
        "narrative.overview.sections[1].text",
    ),
    # wrong types
    ("agency", 5, "DATA-01", "agency"),
    ("agency", "  ", "DATA-01", "agency"),
    ("year", "2022", "DATA-01", "year"),
    ("year", True, "DATA-01", "year"),
    ("agency_kind", "county", "DATA-01", "agency_kind"),
    ("agency_kind", [], "DATA-01", "agency_kind"),
    ("rulemaking", "否", "DATA-01", "rulemaking"),
    ("publish_date", "2023/01/20", "DATA-01", "publish_date"),
    ("publish_date", "2023-02-30", "DATA-01", "publish_date"),
    ("format", 2021, "DATA-01", "format"),
    ("narrative", [], "DATA-01", "narrative"),
    ("narrative.preface", 1, "DATA-01", "narrative.preface"),
    ("narrative.overview.sections", {}, "DATA-01", "narrative.overview.sections"),
    (
        "narrative.overview.sections[0].title",
        None,
        "DATA-01",
        "narrative.overview.sections[0].title",
    ),
    ("proactive", [], "DATA-01", "proactive"),
    ("proactive.rules", [0, 0, 0], "DATA-01", "proactive.rules"),
    ("requests.new", "38", "DATA-01", "requests.new"),
    ("requests.new", {"自然人": 38}, "DATA-01", "requests.new"),
    ("appeals", None, "DATA-01", "appeals"),
    # rows of the wrong length
    ("requests.new", [38, 1, 0], "DATA-01", "requests.new"),
    ("requests.total", [38, 1, 0, 0, 0, 0, 39, 0], "DATA-01", "requests.total"),
    ("appeals.reconsideration", [0, 0, 0], "DATA-01", "appeals.reconsideration"),
    ("appeals.reconsideration", [], "DATA-01", "appeals.reconsideration"),
    # counts that are not integers >= 0
    ("requests.new[0]", -1, "VAL-01", "requests.new[0]"),
    ("requests.new[0]", Decimal("37.5"), "VAL-01", "requests.new[0]"),
    ("requests.new[1]", True, "VAL-01", "requests.new[1]"),
    ("requests.new[1]", "1", "VAL-01", "requests.new[1]"),
    ("requests.new[1]", None, "VAL-01", "requests.new[1]"),
    ("requests.granted[0]", "十七", "VAL-01", "requests.granted[0]"),
    ("requests.total[6]", Decimal("39.5"), "VAL-01", "requests.total[6]"),
    ("appeals.litigation_direct[4]", -2, "VAL-01", "appeals.litigation_direct[4]"),
    ("proactive.licensing", Decimal("1.5"), "VAL-01", "proactive.licensing"),
    ("proactive.normative_documents.issued", "9", "VAL-01", "proactive.normative_documents.issued"),
    ("processing_fee.cases", "0", "VAL-01", "processing_fee.cases"),
    ("processing_fee.cases", -1, "VAL-01", "processing_fee.cases"),
    # money that cannot be parsed
    ("proactive.fees", "三千八百万", "VAL-02", "proactive.fees"),
    ("proactive.fees", "", "VAL-02", "proactive.fees"),
    ("proactive.fees", None, "VAL-02", "proactive.fees"),
    ("proactive.fees", [3857.85], "VAL-02", "proactive.fees"),
    ("proactive.fees", "1e999999999", "VAL-02", "proactive.fees"),
    ("proactive.fees", "NaN", "VAL-02", "proactive.fees"),
    ("processing_fee.amount_yuan", "免费", "VAL-02", "processing_fee.amount_yuan"),
]


@pytest.mark.parametrize(("where", "value", "rule", "location"), MALFORMED)
def test_malformed_value_is_one_finding_at_its_path(
    sample_data: dict[str, Any], where: str, value: Any, rule: str, location: str
) -> None:
    _set(sample_data, where, value)
    findings = findings_of(sample_data)
    assert [(f.rule, f.location) for f in findings] == [(rule, location)], findings
    f = findings[0]
    assert f.severity.value == "error"
    assert CJK.search(f.message), f.message


def test_count_finding_names_the_table_cell(sample_data: dict[str, Any]) -> None:
    sample_data["requests"]["granted"][0] = "17件"
    (f,) = findings_of(sample_data)
    assert f.message == "表三「（一）予以公开」自然人：“17件”是文本，件数应为整数"


def test_unknown_key_message_lists_the_allowed_keys(sample_data: dict[str, Any]) -> None:
    sample_data["proactive"]["rules"]["in_forse"] = 0
    (f,) = findings_of(sample_data)
    assert "in_forse" in f.message and "in_force" in f.message


def test_many_problems_are_all_reported(sample_data: dict[str, Any]) -> None:
    sample_data["requests"]["new"][0] = "x"
    sample_data["appeals"]["reconsideration"] = [1]
    sample_data["extra"] = 1
    locations = {f.location for f in findings_of(sample_data)}
    assert locations == {"requests.new[0]", "appeals.reconsideration", "extra"}


def test_empty_object_reports_each_missing_top_key_once() -> None:
    findings = findings_of({"format": "2021"})
    assert sorted(f.location for f in findings) == sorted(
        [
            "agency",
            "year",
            "agency_kind",
            "rulemaking",
            "narrative",
            "proactive",
            "requests",
            "appeals",
            "processing_fee",
        ]
    )
    assert {f.rule for f in findings} == {"DATA-01"}


# ---------------------------------------------------------------- money without rounding
def test_fee_as_json_number_is_exact(tmp_path: Path) -> None:
    text = SAMPLE_JSON.read_text(encoding="utf-8").replace(
        '"fees": "3857.85"', '"fees": 24252.311082'
    )
    path = tmp_path / "number.json"
    path.write_text(text, encoding="utf-8")
    loaded = read_json(path)
    assert loaded.findings == []
    fees = loaded.report.proactive.fees
    assert isinstance(fees, Decimal)
    assert fees == Decimal("24252.311082")
    assert fees.as_tuple() == Decimal("24252.311082").as_tuple()
    assert json.loads(dumps(loaded.report))["proactive"]["fees"] == "24252.311082"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("0.1", "0.1"), ("3857.85", "3857.85"), ("1,234.5", "1234.5"), (" 12 ", "12"), ("7", "7")],
)
def test_fee_strings(sample_data: dict[str, Any], raw: str, expected: str) -> None:
    sample_data["proactive"]["fees"] = raw
    loaded = report_from_data(sample_data)
    assert loaded.findings == []
    assert format(loaded.report.proactive.fees, "f") == expected


# ---------------------------------------------------------------- could not read: exit 2
def _bytes_cases(tmp_path: Path) -> dict[str, Path]:
    cases = {
        "syntax": b'{"format": "2021",}',
        "truncated": SAMPLE_JSON.read_text(encoding="utf-8")[:300].encode("utf-8"),
        # neither UTF-8/16 nor Chinese text in GBK (Shift-JIS Japanese): refused, with a hint
        "encoding": json.dumps({"agency": "サンプル"}, ensure_ascii=False).encode("shift-jis"),
        "empty": b"",
        "blank": b"  \n",
        "list": b"[]",
        "nan": SAMPLE_JSON.read_bytes().replace(b'"fees": "3857.85"', b'"fees": NaN'),
        "deep": b"[" * 100_000 + b"]" * 100_000,
        "version": SAMPLE_JSON.read_bytes().replace(b'"format": "2021"', b'"format": "2019"'),
        "version_list": SAMPLE_JSON.read_bytes().replace(b'"format": "2021"', b'"format": [1]'),
    }
    out = {}
    for name, raw in cases.items():
        path = tmp_path / f"{name}.json"
        path.write_bytes(raw)
        out[name] = path
    folder = tmp_path / "folder.json"
    folder.mkdir()
    out["folder"] = folder
    (tmp_path / "folder2").mkdir()
    out["folder_no_suffix"] = tmp_path / "folder2"
    out["missing"] = tmp_path / "missing.json"
    # no reader takes .xyz and nothing recognises the content (JSON under another name is
    # recognised by content: see test_python_api.py)
    out["suffix"] = tmp_path / "data.xyz"
    out["suffix"].write_text("hello", encoding="utf-8")
    return out


UNREADABLE = {
    "syntax": "JSON 格式错误（第 1 行第 19 列）",
    "truncated": "JSON 格式错误",
    "encoding": "另存为",
    "empty": "文件是空的",
    "blank": "JSON 格式错误",
    "list": "顶层应为 JSON 对象",
    "nan": "NaN",
    "deep": "无法解析",
    "version": "不支持的报告格式版本 '2019'",
    "version_list": "不支持的报告格式版本",
    "folder": "文件夹",
    "folder_no_suffix": "文件夹中没有可以读取的年报文件",  # check FOLDER reviews a folder (issue 12)
    "missing": "文件不存在",
    "suffix": "不支持的文件类型",
}


@pytest.mark.parametrize("case", sorted(UNREADABLE))
def test_unreadable_file_exits_2_with_chinese_message(cli, tmp_path: Path, case: str) -> None:
    path = _bytes_cases(tmp_path)[case]
    r = cli("check", path)
    assert r.code == 2, r.out + r.err
    assert "Traceback" not in r.err + r.out
    assert "错误：" in r.err and "无法读取" in r.err
    assert path.name in r.err  # the message names the file
    assert UNREADABLE[case] in r.err
    assert "程序内部错误" not in r.err
    # The same through the JSON output: nothing on stdout to parse by mistake.
    r = cli("check", path, "--format", "json")
    assert r.code == 2 and r.out == ""


def test_syntax_error_message_is_translated(cli, tmp_path: Path) -> None:
    path = tmp_path / "comma.json"
    path.write_text('{"a": 1 "b": 2}', encoding="utf-8")
    r = cli("check", path)
    assert "缺少英文逗号" in r.err
    assert "Expecting" not in r.err


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + SAMPLE_JSON.read_bytes())
    assert read_json(path).findings == []


def test_input_file_is_not_modified(cli, tmp_path: Path, sample_data: dict[str, Any]) -> None:
    sample_data["requests"]["new"] = [38, 1, 0, 0, 0, 0]
    path = write_json(tmp_path / "six.json", sample_data)
    before = path.read_bytes()
    cli("check", path)
    assert path.read_bytes() == before


# ---------------------------------------------------------------- round trip
def test_round_trip_sample_is_semantically_identical() -> None:
    loaded = load_report(SAMPLE_JSON)
    assert loaded.findings == []
    original = json.loads(SAMPLE_JSON.read_text(encoding="utf-8"))
    assert json.loads(dumps(loaded.report)) == original


def test_writing_twice_is_byte_identical(tmp_path: Path) -> None:
    report = load_report(SAMPLE_JSON).report
    a = write_report_json(report, tmp_path / "a.json").read_bytes()
    b = write_report_json(report, tmp_path / "b.json").read_bytes()
    assert a == b
    # …and reading the written file back gives the same text again (a fixed point).
    again = read_json(tmp_path / "a.json")
    assert again.findings == []
    assert dumps(again.report).encode("utf-8") == a
    assert a.decode("utf-8").count("巫山县人民政府") == 1  # ensure_ascii=False
    assert '"new": [38, 1, 0, 0, 0, 0, 39]' in a.decode("utf-8")


def test_six_number_rows_come_out_with_seven(sample_data: dict[str, Any]) -> None:
    for key, row in sample_data["requests"].items():
        sample_data["requests"][key] = row[:6]
    del sample_data["requests"]["total"]
    sample_data["appeals"]["reconsideration"] = [1, 0, 2, 1]
    loaded = report_from_data(sample_data)
    assert loaded.findings == []
    out = json.loads(dumps(loaded.report))
    assert out["requests"]["new"] == [38, 1, 0, 0, 0, 0, 39]
    assert out["requests"]["total"] == [38, 1, 0, 0, 0, 0, 39]
    assert out["requests"]["unavailable_not_held"] == [7, 1, 0, 0, 0, 0, 8]
    assert out["appeals"]["reconsideration"] == [1, 0, 2, 1, 4]
    assert all(len(row) == 7 for row in out["requests"].values())
    assert all(len(row) == 5 for row in out["appeals"].values())


def test_declared_wrong_total_is_written_as_given(sample_data: dict[str, Any]) -> None:
    sample_data["appeals"]["reconsideration"] = [1, 0, 0, 0, 2]
    out = json.loads(dumps(report_from_data(sample_data).report))
    assert out["appeals"]["reconsideration"] == [1, 0, 0, 0, 2]


def test_duplicate_keys_are_reported_at_their_path(tmp_path: Path) -> None:
    text = SAMPLE_JSON.read_text(encoding="utf-8")
    text = text.replace('"granted": [17,', '"granted": [1, 0, 0, 0, 0, 0, 1],\n    "granted": [17,')
    text = text.replace('"year": 2022,', '"year": 2021, "year": 2022,')
    path = tmp_path / "dup.json"
    path.write_text(text, encoding="utf-8")
    loaded = read_json(path)
    assert [(f.rule, f.location) for f in loaded.findings] == [
        ("DATA-01", "year"),
        ("DATA-01", "requests.granted"),
    ]
    assert "不止一次" in loaded.findings[0].message
    assert loaded.report.year == 2022  # the last one, as every JSON reader does


def test_subsection_titles_empty_or_numbered(sample_data) -> None:
    """An empty title would print a bare （三）; a typed number would print twice."""
    sections = sample_data["narrative"]["overview"]["sections"]
    sections[0]["title"] = " "
    sections[1]["title"] = "（二）规范依申请公开办理"
    found = {(f.rule, f.severity.value, f.location) for f in findings_of(sample_data)}
    assert found == {
        ("DATA-01", "error", "narrative.overview.sections[0].title"),
        ("DATA-01", "warning", "narrative.overview.sections[1].title"),
    }
