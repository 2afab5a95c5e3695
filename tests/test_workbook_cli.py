"""`gdr-gen init` and `gdr-gen export` as staff use them."""

from __future__ import annotations

import json
from datetime import date

import openpyxl
from conftest import SAMPLE_JSON, write_json
from helpers.books import SAMPLE_BOOK, digest, sample_book

from gdr_gen.readers import load_report
from gdr_gen.readers.xlsx_reader import read_workbook
from gdr_gen.writers.json_writer import dumps
from gdr_gen.writers.xlsx_writer import write_workbook

SAMPLE_TEXT = dumps(load_report(SAMPLE_JSON).report)
DEFAULT_NAME = "政府信息公开年报填报表.xlsx"


def test_init_blank_default_name_and_year(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = cli("init")
    assert r.code == 0, r.err
    out = tmp_path / DEFAULT_NAME
    assert "已生成填报工作簿" in r.out and DEFAULT_NAME in r.out and "gdr-gen check" in r.out
    ws = openpyxl.load_workbook(out)["基本信息"]
    assert ws["B4"].value == date.today().year - 1
    assert ws["B3"].value is None


def test_init_into_folder_and_year(cli, tmp_path):
    r = cli("init", tmp_path, "--year", "2024")
    assert r.code == 0, r.err
    assert read_workbook(tmp_path / DEFAULT_NAME).report.year == 2024


def test_init_refuses_to_overwrite(cli, tmp_path):
    out = tmp_path / "book.xlsx"
    out.write_bytes(b"staff work")
    r = cli("init", out)
    assert r.code == 2 and "已存在" in r.err and "--force" in r.err
    assert out.read_bytes() == b"staff work"
    r = cli("init", out, "--force")
    assert r.code == 0
    assert out.read_bytes()[:2] == b"PK"


def test_init_from_json_and_from_workbook(cli, tmp_path):
    from_json = tmp_path / "a.xlsx"
    assert cli("init", "--from", SAMPLE_JSON, from_json).code == 0
    assert dumps(read_workbook(from_json).report) == SAMPLE_TEXT
    from_book = tmp_path / "b.xlsx"
    r = cli("init", "--from", from_json, from_book)
    assert r.code == 0, r.err
    assert dumps(read_workbook(from_book).report) == SAMPLE_TEXT


def test_init_from_itself_refused(cli, tmp_path):
    book = sample_book(tmp_path)
    before = digest(book)
    r = cli("init", "--from", book, book, "--force")
    assert r.code == 2 and "输入文件" in r.err
    assert digest(book) == before


def test_init_from_data_with_errors_writes_nothing(cli, tmp_path, sample_data):
    sample_data["requests"]["new"][1] = "一"
    src = write_json(tmp_path / "bad.json", sample_data)
    out = tmp_path / "book.xlsx"
    r = cli("init", "--from", src, out)
    assert r.code == 1
    assert "VAL-01" in r.out and "requests.new[1]" in r.out and "未生成工作簿" in r.out
    assert not out.exists()


def test_init_from_data_with_wrong_total_says_so(cli, tmp_path, sample_data):
    sample_data["requests"]["new"][6] = 40
    src = write_json(tmp_path / "total.json", sample_data)
    out = tmp_path / "book.xlsx"
    r = cli("init", "--from", src, out)
    assert r.code == 0
    assert "数据中为 40，各项之和为 39" in r.out
    assert read_workbook(out).report.requests.row("new").total == 39


def test_init_missing_source(cli, tmp_path):
    r = cli("init", "--from", tmp_path / "nope.json", tmp_path / "x.xlsx")
    assert r.code == 2 and "文件不存在" in r.err
    assert not (tmp_path / "x.xlsx").exists()


def test_check_workbook_like_json(cli):
    r = cli("check", SAMPLE_BOOK)
    assert r.code == 0, r.out + r.err
    assert "通过检查" in r.out
    r = cli("check", SAMPLE_BOOK, "--format", "json")
    # Only the real sample's two prose warnings, located at the prose cells.
    found = {(f["rule"], f["severity"]) for f in json.loads(r.out)}
    assert found == {("NT-06", "warning"), ("NT-09", "warning")}
    assert any(f["location"].startswith("一、总体情况!") for f in json.loads(r.out))


def test_export_default_output_beside_the_book(cli, tmp_path):
    book = sample_book(tmp_path)
    r = cli("export", book)
    assert r.code == 0, r.err
    out = tmp_path / "book.json"
    assert out.read_text("utf-8") == SAMPLE_TEXT
    assert "已导出" in r.err
    r = cli("export", book)
    assert r.code == 2 and "已存在" in r.err
    assert cli("export", book, "--force").code == 0


def test_export_to_stdout(cli, tmp_path):
    r = cli("export", sample_book(tmp_path), "-o", "-")
    assert r.code == 0
    assert r.out == SAMPLE_TEXT
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.xlsx"]


def test_export_onto_its_input_refused(cli, tmp_path):
    book = sample_book(tmp_path)
    before = digest(book)
    r = cli("export", book, "-o", book, "--force")
    assert r.code == 2 and "输入文件" in r.err
    assert digest(book) == before


def test_export_shows_warnings_but_exports(cli, tmp_path):
    import helpers.books as books

    book = books.set_cell(sample_book(tmp_path), "表四", "A6", None)
    out = tmp_path / "d.json"
    r = cli("export", book, "-o", out)
    assert r.code == 0
    assert "VAL-04" in r.err
    assert json.loads(out.read_text("utf-8"))["appeals"]["reconsideration"][0] == 0


def test_committed_sample_workbook_is_current(tmp_path):
    """Regenerating sample_inputs/巫山县2022.xlsx from the JSON gives the same content."""
    fresh = write_workbook(load_report(SAMPLE_JSON).report, tmp_path / "fresh.xlsx")
    assert dumps(read_workbook(fresh).report) == dumps(read_workbook(SAMPLE_BOOK).report)
    assert dumps(read_workbook(SAMPLE_BOOK).report) == SAMPLE_TEXT


def test_rules_lists_workbook_rules(cli):
    r = cli("rules", "--format", "json")
    ids = {x["rule"] for x in json.loads(r.out)}
    assert {"VAL-04", "XL-01", "XL-02", "XL-03"} <= ids


def test_init_adds_xlsx_suffix_and_refuses_other_suffixes(cli, tmp_path):
    assert cli("init", tmp_path / "年报").code == 0
    assert (tmp_path / "年报.xlsx").exists()
    r = cli("init", tmp_path / "年报.xls")
    assert r.code == 2 and ".xlsx" in r.err
    assert not (tmp_path / "年报.xls").exists()


def test_init_into_missing_folder(cli, tmp_path):
    r = cli("init", tmp_path / "没有" / "b.xlsx")
    assert r.code == 2 and "不存在" in r.err and "Traceback" not in r.err


# ---------------------------------------------------------------- init: the next year
def _last_year_book(tmp_path, cli, sample_data):
    """Last year's data with applications carried forward (3 from 自然人, 1 from 商业企业)."""
    rows = sample_data["requests"]
    rows["carried_forward"] = [3, 1, 0, 0, 0, 0]
    rows["new"] = [41, 2, 0, 0, 0, 0]
    src = tmp_path / "2022.json"
    src.write_text(json.dumps(sample_data, ensure_ascii=False), encoding="utf-8")
    book = tmp_path / "2022.xlsx"
    assert cli("init", book, "--from", src).code == 0
    return book


def test_init_next_year_from_last_years_workbook(cli, tmp_path, sample_data):
    last = _last_year_book(tmp_path, cli, sample_data)
    before = digest(last)
    new = tmp_path / "2023.xlsx"
    r = cli("init", new, "--from", last, "--year", "2023")
    assert r.code == 0, r.out + r.err
    assert "2023 年度的新工作簿" in r.out and "共 4 件" in r.out
    assert digest(last) == before
    report = read_workbook(new).report
    assert (report.year, report.agency, report.agency_kind) == (
        2023,
        "巫山县人民政府",
        "government",
    )
    assert report.requests.row("carried_over").values == [3, 1, 0, 0, 0, 0]
    assert report.requests.row("new").values == [0] * 6
    assert report.proactive.docs["normative_documents"].in_force == 60
    assert report.proactive.docs["normative_documents"].issued == 0
    assert report.proactive.decisions["licensing"] == 0
    assert report.publish_date is None
    narrative = report.narrative
    assert narrative.overview.sections == [] and narrative.preface is None
    import openpyxl

    ws = openpyxl.load_workbook(new)["表三"]
    assert (ws["A7"].value, ws["D7"].value, ws["E7"].value) == (
        "二、上年结转政府信息公开申请数量",
        3,
        1,
    )
    assert openpyxl.load_workbook(new)["基本信息"]["B4"].value == 2023


def test_init_from_without_year_copies_as_is(cli, tmp_path, sample_data):
    last = _last_year_book(tmp_path, cli, sample_data)
    copy = tmp_path / "copy.xlsx"
    assert cli("init", copy, "--from", last).code == 0
    report = read_workbook(copy).report
    assert report.year == 2022 and report.requests.row("new").values[0] == 41


def test_init_with_a_year_that_is_not_the_next_one_is_refused(cli, tmp_path, sample_data):
    last = _last_year_book(tmp_path, cli, sample_data)
    new = tmp_path / "2025.xlsx"
    r = cli("init", new, "--from", last, "--year", "2025")
    assert r.code == 2
    assert "2025" in r.err and "2022" in r.err and "2023" in r.err
    assert "Traceback" not in r.err
    assert not new.exists()
