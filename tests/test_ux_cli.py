"""Command-line messages as an office worker reads them (review of issue UX)."""

from __future__ import annotations

import json

from helpers.books import digest, sample_book

from gdr_gen.readers.xlsx_reader import read_workbook


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


def test_strict_refusal_names_strict_not_errors(cli, tmp_path):
    book = sample_book(tmp_path)  # 2 warnings, no error
    r = cli("build", book, "--strict", "-o", tmp_path / "r.docx")
    assert r.code == 1
    assert "--strict" in r.out and "改正上述错误" not in r.out
    assert not (tmp_path / "r.docx").exists()


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


# ---------------------------------------------------------------- files that are not the workbook
def test_office_lock_file_is_named_as_such(cli, tmp_path):
    for name in ("~$book.xlsx", ".~lock.book.xlsx#"):
        lock = tmp_path / name
        lock.write_bytes(b"\x00" * 162)
        r = cli("check", lock)
        assert r.code == 2
        assert "临时锁文件" in r.err and "Traceback" not in r.err


def test_old_or_other_spreadsheet_says_save_as_xlsx(cli, tmp_path):
    for suffix in (".xls", ".et", ".ods"):
        other = tmp_path / f"年报{suffix}"
        other.write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 100)
        r = cli("check", other)
        assert r.code == 2
        assert f"不支持的文件类型“{suffix}”" in r.err and "另存为" in r.err and "*.xlsx" in r.err
