"""Hostile and damaged workbooks: a Chinese message naming the file (and cell), exit 2 (or 1
for findings), never a traceback, never a change to the input file."""

from __future__ import annotations

import shutil
import time
import zipfile
from pathlib import Path

import pytest
from helpers.books import FIXTURES, digest, edit, sample_book, set_cell

from gdr_gen.errors import InputError
from gdr_gen.readers.xlsx_reader import read_workbook
from gdr_gen.readers.xlsx_source import OpenpyxlSource


def run_check(cli, path: Path, *, expect: int):
    before = digest(path) if path.is_file() else None
    r = cli("check", path)
    assert r.code == expect, r.out + r.err
    assert "Traceback" not in r.err + r.out
    if before is not None:
        assert digest(path) == before, "the input file was changed"
    return r


def assert_refused(cli, path: Path, *words: str) -> str:
    r = run_check(cli, path, expect=2)
    assert "无法读取" in r.err and path.name in r.err
    for w in words:
        assert w in r.err, r.err
    return r.err


# ---------------------------------------------------------------- not a workbook at all
def test_missing_path(cli, tmp_path):
    assert_refused(cli, tmp_path / "没有这个.xlsx", "文件不存在")


def test_folder(cli, tmp_path):
    folder = tmp_path / "文件夹.xlsx"
    folder.mkdir()
    assert_refused(cli, folder, "文件夹")


def test_empty_file(cli, tmp_path):
    p = tmp_path / "empty.xlsx"
    p.write_bytes(b"")
    assert_refused(cli, p, "空的")


def test_not_a_zip(cli, tmp_path):
    p = tmp_path / "garbage.xlsx"
    p.write_bytes(b"\x00\x01\x02garbage" * 50)
    assert_refused(cli, p, "不是 Excel 工作簿")


def test_truncated_zip(cli, tmp_path):
    p = tmp_path / "cut.xlsx"
    p.write_bytes(sample_book(tmp_path).read_bytes()[:4000])
    assert_refused(cli, p, "已损坏")


def test_xls_renamed(cli, tmp_path):
    p = tmp_path / "旧表.xlsx"
    shutil.copyfile(FIXTURES / "old-excel-97.xls", p)
    assert_refused(cli, p, "Excel 97-2003", ".xls", "另存为")


def test_csv_renamed(cli, tmp_path):
    p = tmp_path / "data.xlsx"
    p.write_text("项目,数量\n本年新收,39\n", encoding="utf-8")
    assert_refused(cli, p, "CSV")


def test_docx_renamed(cli, tmp_path):
    import docx

    p = tmp_path / "report.xlsx"
    d = docx.Document()
    d.add_paragraph("政府信息公开工作年度报告")
    d.save(str(p))
    assert_refused(cli, p, "Word 文档")


def test_password_protected(cli, tmp_path):
    p = tmp_path / "locked.xlsx"
    shutil.copyfile(FIXTURES / "encrypted-password-123.xlsx", p)
    assert_refused(cli, p, "打开密码")


# ---------------------------------------------------------------- bombs
def _sample_parts(tmp_path) -> dict[str, bytes]:
    with zipfile.ZipFile(sample_book(tmp_path, "src.xlsx")) as z:
        return {n: z.read(n) for n in z.namelist()}


def _write_zip(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def test_zip_bomb_refused_quickly(cli, tmp_path):
    parts = _sample_parts(tmp_path)
    parts["xl/media/padding.bin"] = b"\0" * (20 * 1024 * 1024)  # 20 MB → ~20 KB
    p = _write_zip(tmp_path / "bomb.xlsx", parts)
    assert p.stat().st_size < 200_000
    start = time.perf_counter()
    err = assert_refused(cli, p, "压缩炸弹")
    elapsed = time.perf_counter() - start
    assert "padding.bin" in err
    print(f"zip bomb refused in {elapsed * 1000:.0f} ms")  # a figure, not a timed assert


def test_too_many_members_refused(cli, tmp_path):
    parts = _sample_parts(tmp_path)
    for i in range(2100):
        parts[f"xl/extra/{i}.txt"] = b"x"
    assert_refused(cli, _write_zip(tmp_path / "many.xlsx", parts), "部件")


BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    + "]>\n"
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>'
)


def _table_three(parts: dict[str, bytes]) -> str:
    return next(n for n in parts if n.startswith("xl/worksheets/") and b"SUM(D8:D28)" in parts[n])


def test_xml_entity_bomb_refused(cli, tmp_path):
    parts = _sample_parts(tmp_path)
    name = _table_three(parts)
    parts[name] = BILLION_LAUGHS.encode()
    p = _write_zip(tmp_path / "laughs.xlsx", parts)
    assert_refused(cli, p, "实体定义", name)


def test_entity_bomb_also_stopped_by_defusedxml(tmp_path):
    """Second line of defence: even past the container check, openpyxl (with defusedxml)
    refuses the DTD, and that becomes an InputError, not a traceback."""
    parts = _sample_parts(tmp_path)
    name = _table_three(parts)
    parts[name] = BILLION_LAUGHS.encode()
    data = _write_zip(tmp_path / "laughs.xlsx", parts).read_bytes()
    with pytest.raises(InputError) as exc:
        OpenpyxlSource(tmp_path / "laughs.xlsx", data, ["表三"], max_rows=100)
    assert "实体" in str(exc.value) or "已损坏" in str(exc.value)


def test_openpyxl_uses_defusedxml():
    import openpyxl

    assert openpyxl.DEFUSEDXML is True


# ---------------------------------------------------------------- damaged layout
def test_foreign_workbook(cli, tmp_path):
    import openpyxl

    p = tmp_path / "other.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "别的表格"
    wb.save(p)
    assert_refused(cli, p, "不是 gdr-gen 的填报工作簿", "Sheet", "gdr-gen init")


def test_renamed_sheet(cli, tmp_path):
    book = edit(sample_book(tmp_path), lambda wb: setattr(wb["表三"], "title", "表3"))
    assert_refused(cli, book, "缺少工作表“表三”", "表3", "改名")


def test_missing_sheet(cli, tmp_path):
    book = edit(sample_book(tmp_path), lambda wb: wb.remove(wb["表四"]))
    assert_refused(cli, book, "缺少工作表“表四”")


def test_missing_info_sheet(cli, tmp_path):
    book = edit(sample_book(tmp_path), lambda wb: wb.remove(wb["基本信息"]))
    assert_refused(cli, book, "缺少工作表“基本信息”")


def test_row_inserted_inside_table(cli, tmp_path):
    book = edit(sample_book(tmp_path), lambda wb: wb["表三"].insert_rows(12))
    err = assert_refused(cli, book, "表三!C12", "插入了行")
    assert "3.危及“三安全一稳定”" in err


def test_row_deleted_inside_table(cli, tmp_path):
    book = edit(sample_book(tmp_path), lambda wb: wb["表三"].delete_rows(12))
    assert_refused(cli, book, "表三!C12", "删除了行")


def test_row_inserted_after_last_label_row(cli, tmp_path):
    """A row inserted above 四、结转下年度 still shows: the label moved down."""
    book = edit(sample_book(tmp_path), lambda wb: wb["表三"].insert_rows(30))
    assert_refused(cli, book, "表三!A30")


def test_column_inserted(cli, tmp_path):
    book = edit(sample_book(tmp_path), lambda wb: wb["表四"].insert_cols(1))
    assert_refused(cli, book, "表四!A3", "行政复议", "表四!B3", "插入了列")


def test_older_template_version(cli, tmp_path):
    book = set_cell(sample_book(tmp_path), "基本信息", "B12", "gdr-gen 填报工作簿 2021-0")
    assert_refused(cli, book, "基本信息!B12", "旧版模板", "gdr-gen export")


def test_unknown_format_version(cli, tmp_path):
    book = set_cell(sample_book(tmp_path), "基本信息", "B12", "gdr-gen 填报工作簿 2030-1")
    assert_refused(cli, book, "基本信息!B12", "2030", "不支持")


def test_stamp_removed(cli, tmp_path):
    book = set_cell(sample_book(tmp_path), "基本信息", "B12", None)
    assert_refused(cli, book, "基本信息!B12", "模板版本标记")


def test_label_edited(cli, tmp_path):
    book = set_cell(sample_book(tmp_path), "表二", "A6", "规范性文件")
    err = assert_refused(cli, book, "表二!A6", "行政规范性文件")
    assert "规范性文件”" in err


# ---------------------------------------------------------------- bad values: findings, exit 1
@pytest.mark.parametrize(
    ("value", "words"),
    [("十二", "“十二”"), (-3, "负数"), (2.5, "小数"), (10**13, "大得不合理")],
)
def test_bad_count_cell_exit_1_with_cell(cli, tmp_path, value, words):
    book = set_cell(sample_book(tmp_path), "表三", "E6", value)
    r = run_check(cli, book, expect=1)
    assert "VAL-01" in r.out and "表三!E6" in r.out and words in r.out


def test_formula_in_input_cell_exit_1(cli, tmp_path):
    book = set_cell(sample_book(tmp_path), "表三", "E6", "=1")
    r = run_check(cli, book, expect=1)
    assert "XL-02" in r.out and "表三!E6" in r.out


def test_typed_over_total_exit_1(cli, tmp_path):
    book = set_cell(sample_book(tmp_path), "表三", "J6", 40)
    r = run_check(cli, book, expect=1)
    assert "XL-01" in r.out and "表三!J6" in r.out


def test_export_refuses_bad_cells_and_writes_nothing(cli, tmp_path):
    book = set_cell(sample_book(tmp_path), "表三", "E6", "十二")
    out = tmp_path / "data.json"
    r = cli("export", book, "-o", out)
    assert r.code == 1 and "未导出" in r.err and "表三!E6" in r.err
    assert not out.exists()


def test_reader_never_writes_next_to_input(tmp_path):
    book = sample_book(tmp_path)
    read_workbook(book)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.xlsx"]


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
