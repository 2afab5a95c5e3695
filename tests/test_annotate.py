"""``gdr-gen check 工作簿.xlsx --annotate``: an annotated copy beside the workbook, the
workbook itself untouched (issue 12)."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from helpers.books import digest, sample_book, set_cell

from gdr_gen import api
from gdr_gen.annotate import FILL, FINDINGS_SHEET, annotate_workbook, location_cells


@pytest.mark.parametrize(
    ("location", "cells"),
    [
        ("表三!D6", [("表三", "D6")]),
        (
            "表三!D6+D7 ≠ D29+D30",
            [("表三", "D6"), ("表三", "D7"), ("表三", "D29"), ("表三", "D30")],
        ),
        ("一、总体情况!C4:C6", [("一、总体情况", f"C{r}") for r in (4, 5, 6)]),
        ("表三!SUM(D8:D9) ≠ D29", [("表三", "D8"), ("表三", "D9"), ("表三", "D29")]),
        ("表三!D7 ≠ 上年 表三!D30", [("表三", "D7")]),  # last year's cell is not in this book
        ("'表 三'!B2", [("表 三", "B2")]),
        ("表三!D6+D7 ≠ 表四!B2", [("表三", "D6"), ("表三", "D7"), ("表四", "B2")]),
        ("requests.new[0]", []),
        ("基本信息!C4", [("基本信息", "C4")]),
        ("表三!A1:Z999", None),  # huge range: first and last cell only
    ],
)
def test_location_cells(location, cells):
    got = [(c.sheet, c.coordinate) for c in location_cells(location)]
    if cells is None:
        assert got == [("表三", "A1"), ("表三", "Z999")]
    else:
        assert got == cells


@pytest.fixture
def broken(tmp_path) -> Path:
    (tmp_path / "in").mkdir()
    book = sample_book(tmp_path / "in", "巫山县2022.xlsx")
    return set_cell(book, "表三", "D6", 39)  # 一、本年新收 自然人: 38 → 39


def test_annotated_copy_marks_cells_and_keeps_the_workbook(broken, cli):
    before = digest(broken)
    original = openpyxl.load_workbook(broken)
    r = cli("check", broken, "--annotate")
    assert r.code == 1
    copy = broken.with_name("巫山县2022（审核标注）.xlsx")
    assert copy.exists() and "已生成标注副本" in r.err + r.out
    assert digest(broken) == before  # the unit's own workbook is byte-identical
    wb = openpyxl.load_workbook(copy)
    assert wb.sheetnames == [FINDINGS_SHEET, *original.sheetnames]
    ws = wb["表三"]
    for ref in ("D6", "D7", "D29", "D30"):
        cell = ws[ref]
        assert cell.fill.fgColor.rgb.endswith("FFC7CE"), ref  # error: red
        assert cell.comment is not None and "T3-01" in cell.comment.text
        assert "一、本年新收(39)" in cell.comment.text
    assert ws["E6"].comment is None and not ws["E6"].fill.fgColor.rgb.endswith("FFC7CE")
    prose = wb["一、总体情况"]["C6"]
    assert "NT-01" in prose.comment.text and "NT-02" in prose.comment.text
    # the findings sheet links to the cells
    first = wb[FINDINGS_SHEET]
    rows = list(first.iter_rows(min_row=2, values_only=True))
    findings = api.check(api.read(broken))
    assert [r[0] for r in rows] == [f.rule for f in findings]
    link = first["C2"].hyperlink
    assert link is not None and link.location == "'表三'!D6"
    # the workbook's own protection and validation are kept
    for name in original.sheetnames:
        assert wb[name].protection.sheet == original[name].protection.sheet
        assert len(wb[name].data_validations.dataValidation) == len(
            original[name].data_validations.dataValidation
        )
    # and the copy still reads as the same report
    assert api.read(copy).report.requests.row("new").values[0] == 39


def test_annotate_never_overwrites_the_workbook(broken):
    from gdr_gen.errors import OutputError

    with pytest.raises(OutputError):
        annotate_workbook(broken, [], broken)


def test_folder_annotate_writes_one_copy_per_workbook(tmp_path, cli):
    units = tmp_path / "units"
    units.mkdir()
    a = sample_book(units, "a.xlsx")
    set_cell(a, "表三", "D6", 39)
    sample_book(units, "b.xlsx")
    out = tmp_path / "标注"
    r = cli("check", units, "--annotate", "-o", out)
    assert r.code == 1
    assert sorted(p.name for p in out.iterdir()) == ["a（审核标注）.xlsx", "b（审核标注）.xlsx"]
    assert openpyxl.load_workbook(out / "a（审核标注）.xlsx")["表三"]["D6"].comment is not None


@pytest.mark.slow
def test_annotated_copy_renders_in_libreoffice(broken, tmp_path):
    from helpers.libreoffice import convert

    copy = annotate_workbook(broken, api.check(api.read(broken)))
    pdf = convert(copy, tmp_path / "pdf", "pdf")
    import subprocess

    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "T3-01" in text and "表三!D6+D7" in text  # the findings sheet, with the locations
    # comments made visible (as a reviewer shows them) are printed beside their cells
    shown = tmp_path / "shown" / "shown.xlsx"
    shown.parent.mkdir()
    show_comments(copy, shown)
    pdf = convert(shown, tmp_path / "pdf2", "pdf")
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "T3-01（错误）" in text
    # and rendered to pictures, the cells the findings name are tinted with the error fill
    # (the original workbook, rendered the same way, has none of that colour)
    assert _pixels_of(pdf, tmp_path / "png", FILL["error"]) > 200
    original = convert(broken, tmp_path / "pdf3", "pdf")
    assert _pixels_of(original, tmp_path / "png0", FILL["error"]) == 0


def _pixels_of(pdf: Path, out: Path, rgb_hex: str) -> int:
    """Pixels of exactly the colour ``rgb_hex`` on every page of ``pdf``, rendered by
    pdftoppm as PPM (P6), read without an imaging library."""
    import subprocess

    out.mkdir()
    subprocess.run(["pdftoppm", "-r", "40", str(pdf), str(out / "p")], check=True)
    want = bytes.fromhex(rgb_hex)
    count = 0
    for page in sorted(out.glob("p*.ppm")):
        data = page.read_bytes()
        fields = data.split(maxsplit=4)  # P6, width, height, maxval, pixels
        assert fields[0] == b"P6" and fields[3] == b"255"
        pixels = fields[4]
        at = pixels.find(want)
        while at != -1:
            if at % 3 == 0:
                count += 1
            at = pixels.find(want, at + 1)
    return count


def show_comments(src: Path, dst: Path) -> Path:
    """A copy whose comments are shown, not hidden (LibreOffice prints shown comments)."""
    with zipfile.ZipFile(src) as z, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as out:
        for info in z.infolist():
            data = z.read(info.filename)
            if info.filename.endswith(".vml"):
                text = data.decode("utf-8").replace("visibility:hidden", "visibility:visible")
                data = re.sub(r"(<x:ClientData[^>]*>)", r"\1<x:Visible/>", text).encode("utf-8")
            out.writestr(info, data)
    return dst


def test_annotated_copies_beside_the_units_are_not_reviewed(tmp_path, cli):
    units = tmp_path / "units"
    units.mkdir()
    book = sample_book(units, "a.xlsx")
    set_cell(book, "表三", "D6", 39)
    assert cli("check", book, "--annotate").code == 1
    r = cli("check", units, "--format", "json", "-j", "1")
    data = json.loads(r.out)
    assert [u["file"] for u in data["units"]] == ["a.xlsx"]  # no 重复上报 with its copy
    assert data["skipped"][0]["file"] == "a（审核标注）.xlsx"


def test_annotate_needs_a_workbook(tmp_path, cli, clean_json):
    r = cli("check", clean_json, "--annotate")
    assert r.code == 2 and "只适用于填报工作簿" in r.err
    assert not list(clean_json.parent.glob("*审核标注*"))
