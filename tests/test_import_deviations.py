"""Published reports that deviate from the format, and hostile files (issue 10).

Realistic files are made from a report gdr-gen builds, edited the way real pages differ
(a note in a count cell, blank cells, a word instead of a number, an old format), so each
test knows exactly what the right reading is.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest

from gdr_gen.document import TableBlock, build_document
from gdr_gen.readers import load_report
from gdr_gen.readers.json_reader import report_from_data
from gdr_gen.writers.docx_writer import docx_bytes
from gdr_gen.writers.html_writer import render_html


def _doc(sample_data, **changes):
    data = dict(sample_data, **changes)
    report = report_from_data(data).report
    return report, build_document(report)


def _table(doc, key: str) -> TableBlock:
    for s in doc.sections:
        for b in s.blocks:
            if isinstance(b, TableBlock) and b.spec.key == key:
                return b
    raise KeyError(key)


def _set(block: TableBlock, path, text: str) -> None:
    cell = block.spec.cell_for(path)
    block.texts[(cell.row, cell.col)] = text


def _write(tmp_path: Path, doc, suffix: str = ".html") -> Path:
    path = tmp_path / f"年报{suffix}"
    if suffix == ".docx":
        path.write_bytes(docx_bytes(doc))
    else:
        path.write_text(render_html(doc), encoding="utf-8")
    return path


@pytest.mark.parametrize("suffix", [".html", ".docx"])
def test_a_note_in_a_count_cell_is_read_as_the_number_with_a_finding(sample_data, tmp_path, suffix):
    _, doc = _doc(sample_data)
    _set(
        _table(doc, "proactive"), ("proactive", "normative_documents", "issued"), "9（其中修订2件）"
    )
    result = load_report(_write(tmp_path, doc, suffix))
    assert result.report.proactive.normative_documents.issued == 9
    notes = [f for f in result.findings if f.rule == "IMP-01"]
    assert len(notes) == 1 and "其中修订2件" in notes[0].message
    assert "行政规范性文件" in notes[0].message


def test_blank_cells_are_zero_and_reported_once_per_table(sample_data, tmp_path):
    _, doc = _doc(sample_data)
    t3, t4 = _table(doc, "requests"), _table(doc, "appeals")
    for k in range(1, 6):
        _set(t3, ("requests", "granted", k), "")
        _set(t3, ("requests", "new", k), "\u00a0")
    _set(t4, ("appeals", "reconsideration", 3), "")
    result = load_report(_write(tmp_path, doc))
    blanks = [f for f in result.findings if f.rule == "VAL-04"]
    assert sorted(f.group for f in blanks) == ["表三", "表四"]
    assert "10 个空白格" in next(f.message for f in blanks if f.group == "表三")
    assert result.report.requests.rows["granted"].values[1:] == [0] * 5


def test_sums_that_do_not_close_are_imported_as_printed_and_check_reports_them(
    sample_data, tmp_path, cli
):
    _, doc = _doc(sample_data)
    _set(_table(doc, "requests"), ("requests", "new", 6), "40")  # 38 + 1 printed as 40
    path = _write(tmp_path, doc)
    result = load_report(path)
    assert result.report.requests.rows["new"].declared_total == 40
    run = cli("check", path)
    assert run.code == 1
    assert "T3-03" in run.out and "40" in run.out


def test_a_value_that_cannot_be_placed_is_named_and_never_shifted(sample_data, tmp_path, cli):
    _, doc = _doc(sample_data)
    t3 = _table(doc, "requests")
    _set(t3, ("requests", "granted", 0), "十七")  # a word where a number belongs
    path = _write(tmp_path, doc)
    result = load_report(path)
    bad = [f for f in result.findings if f.rule == "IMP-03"]
    assert len(bad) == 1
    assert "表三" in bad[0].message and "予以公开" in bad[0].message and "十七" in bad[0].message
    # not shifted: the row is unread (invalid), the rows around it are intact
    assert ("requests", "granted", 0) in result.invalid
    assert result.report.requests.rows["partially_granted"].values[0] == 8
    run = cli("check", path)
    assert run.code == 1 and "IMP-03" in run.out


def test_a_2019_format_report_is_recognised_and_named(sample_data, tmp_path, cli):
    _, doc = _doc(sample_data, year=2020)
    t2 = _table(doc, "proactive")
    for pos, text in list(t2.texts.items()):
        t2.texts[pos] = {"本年制发件数": "本年新制作数量", "现行有效件数": "对外公开总数量"}.get(
            text, text
        )
    run = cli("check", _write(tmp_path, doc))
    assert run.code == 2
    assert "2019" in run.err + run.out and "国办公开办函〔2019〕60号" in run.err + run.out


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "<h1>我县召开政务公开工作推进会</h1><p>3月5日，县政府办公室召开全县政务公开工作推进会，"
            "部署2024年政府信息公开工作。</p><p>发布时间：2024-03-05</p>",
            "不像是政府信息公开工作年度报告",
        ),
        (
            "<h1>沭阳县人民政府政府信息公开指南</h1><p>一、主动公开</p><p>（一）公开范围</p>"
            "<p>二、依申请公开</p><p>三、监督和救济</p>",
            "指南",
        ),
    ],
)
def test_not_a_report_is_a_clear_message_and_exit_2(tmp_path, cli, body, expected):
    path = tmp_path / "page.html"
    path.write_text(
        f"<html><head><meta charset='utf-8'><title>x</title></head><body>{body}</body></html>"
    )
    run = cli("check", path)
    assert run.code == 2
    assert expected in run.err + run.out
    assert "Traceback" not in run.err


def test_gbk_page_with_meta_charset_reads_like_the_utf8_one(sample_data, tmp_path):
    report, doc = _doc(sample_data)
    html = render_html(doc).replace('<meta charset="utf-8">', '<meta charset="gb2312">')
    path = tmp_path / "gbk.html"
    path.write_bytes(html.encode("gb18030"))
    back = load_report(path).report
    assert back.agency == report.agency
    assert [back.value(p) for p in report.table_paths()] == [
        report.value(p) for p in report.table_paths()
    ]
    assert back.narrative.overview.all_text() == report.narrative.overview.all_text()


def test_utf16_text_file_reads(tmp_path):
    src = Path(__file__).parent / "fixtures" / "published" / "shuyang-xian-2025.txt"
    path = tmp_path / "u16.txt"
    path.write_bytes(b"\xff\xfe" + src.read_text(encoding="utf-8").encode("utf-16-le"))
    assert load_report(path).report.requests.rows["new"].values[0] == 705


def _run_limited(args: list[str], cwd: Path) -> tuple[int, str, float]:
    """The CLI in a child process with a 1.5 GB address-space limit; (code, output, seconds)."""
    code = (
        "import resource,sys;"
        "resource.setrlimit(resource.RLIMIT_AS,(1536*1024*1024,1536*1024*1024));"
        "from gdr_gen.cli import main; main(sys.argv[1:])"
    )
    start = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-c", code, *args], cwd=cwd, capture_output=True, timeout=60, text=True
    )
    return proc.returncode, proc.stdout + proc.stderr, time.monotonic() - start


def _assert_refused(code: int, out: str, seconds: float) -> None:
    assert code == 2, out
    assert "Traceback" not in out and "MemoryError" not in out
    assert seconds < 15
    assert any("\u4e00" <= ch <= "\u9fff" for ch in out)


@pytest.mark.skipif(sys.platform == "win32", reason="uses RLIMIT_AS")
def test_hostile_html_inputs_are_refused_quickly(tmp_path):
    big = tmp_path / "big.html"
    with big.open("wb") as f:
        f.write(b"<html><body>")
        chunk = ("<p>" + "政府信息公开" * 100 + "</p>").encode() * 1000
        while f.tell() < 50 * 1024 * 1024:
            f.write(chunk)
    nested = tmp_path / "nested.html"
    nested.write_text("<html><body>" + "<table><tr><td>" * 5000 + "1" + "</td></tr></table>" * 5000)
    many = tmp_path / "many.html"
    table = "<table><tr><td>本年新收</td><td>1</td></tr><tr><td>规章</td><td>1</td></tr></table>"
    many.write_text("<html><body><h1>某县人民政府2023年政府信息公开工作年度报告</h1>" + table * 200)
    binary = tmp_path / "binary.html"
    binary.write_bytes(bytes(range(256)) * 400)
    for path in (big, nested, many, binary):
        _assert_refused(*_run_limited(["check", str(path)], tmp_path))


def _pdf_bomb(path: Path) -> None:
    """A one-page PDF whose content stream inflates from ~100 KB to 200 MB."""
    stream = zlib.compress(b" " * (200 * 1024 * 1024), 9)
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    path.write_bytes(bytes(out))


@pytest.mark.skipif(sys.platform == "win32", reason="uses RLIMIT_AS")
def test_pdf_bomb_and_scanned_pdf_are_refused(tmp_path):
    bomb = tmp_path / "bomb.pdf"
    _pdf_bomb(bomb)
    code, out, seconds = _run_limited(["check", str(bomb)], tmp_path)
    _assert_refused(code, out, seconds)
    assert "数据流" in out


def test_pdf_without_text_layer_says_so(tmp_path, cli):
    # an image-only page, as a scanner produces
    empty = tmp_path / "scan.pdf"
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length 10 >>\nstream\n0 0 m 1 1 l\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 5\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref
    empty.write_bytes(bytes(out))
    run = cli("check", empty)
    assert run.code == 2
    assert "没有文字层" in run.err + run.out and "OCR" in run.err + run.out


def test_legacy_doc_without_libreoffice_says_how_to_save_as_docx(tmp_path, cli, monkeypatch):
    monkeypatch.setenv("GDR_GEN_SOFFICE", str(tmp_path / "no-such-soffice"))
    doc = tmp_path / "年报.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1000)
    run = cli("check", doc)
    assert run.code == 2
    assert "另存为" in run.err + run.out and ".docx" in run.err + run.out


def test_an_html_page_saved_with_a_docx_suffix_is_read_as_a_page(sample_data, tmp_path):
    report, doc = _doc(sample_data)
    path = tmp_path / "年报.doc"
    path.write_text(render_html(doc), encoding="utf-8")
    assert load_report(path).report.agency == report.agency


def test_agency_kind_override(sample_data, tmp_path):
    _, doc = _doc(sample_data)
    path = _write(tmp_path, doc)
    assert load_report(path).report.agency_kind == "government"
    assert load_report(path, agency_kind="department").report.agency_kind == "department"


def test_cms_quirks_split_table_spans_and_full_width_digits(sample_data, tmp_path):
    """A CMS page: 表三 split in two tables mid-group, a label split across spans with
    &nbsp;, a number in full-width digits, a value cell spanning two columns."""
    report, doc = _doc(sample_data)
    t3 = _table(doc, "requests")
    _set(t3, ("requests", "new", 0), "３８")
    html = render_html(doc)
    # split 表三 before the row of （四）2.没有现成信息需要另行制作
    marker = "2.没有现成信息需要另行制作"
    row_start = html.rfind("<tr>", 0, html.index(marker))
    html = (
        html[:row_start]
        + '</tbody></table>\n<p>（续表）</p>\n<table border="1"><tbody>'
        + html[row_start:]
    )
    html = html.replace(
        "1.属于国家秘密", "<span>1.属于</span><span>&nbsp;国家</span>\n<span>秘密</span>"
    )
    # 表三 （一）予以公开: its first number in a cell spanning two columns
    at = html.index("<td", html.index("（一）予以公开</td>"))
    html = html[:at] + '<td colspan="2"' + html[at + 3 :]
    path = tmp_path / "cms.html"
    path.write_text(html, encoding="utf-8")
    result = load_report(path)
    back = result.report
    assert [back.value(p) for p in report.table_paths()] == [
        report.value(p) for p in report.table_paths()
    ]
    assert not [f for f in result.findings if f.rule == "IMP-03"]


def test_the_three_everyday_jobs_end_to_end(sample_data, tmp_path, cli):
    """check a published page; check with last year's published PDF-like report as --previous;
    init this year's workbook from last year's published Word report."""
    last = json.loads(json.dumps(sample_data))
    last["year"] = 2021
    last["requests"]["carried_forward"] = [3, 1, 0, 0, 0, 0, 4]
    _, doc_last = _doc(last)
    last_docx = _write(tmp_path, doc_last, ".docx")
    this_year = tmp_path / "本年.json"
    this_year.write_text(json.dumps(sample_data, ensure_ascii=False), encoding="utf-8")
    run = cli("check", this_year, "--previous", last_docx)
    assert run.code == 1
    assert "已跳过跨年度" not in run.out
    # XY-01: this year's 上年结转 (0) ≠ last year's published 结转下年度 (3, 1)
    assert "XY-01" in run.out

    book = tmp_path / "2022年报填报表.xlsx"
    run = cli("init", book, "--from", last_docx, "--year", "2022")
    assert run.code == 0, run.err
    new = load_report(book).report
    assert new.year == 2022
    assert new.agency == sample_data["agency"]
    carried = last["requests"]["carried_forward"][:6]
    assert new.requests.rows["carried_over"].values == carried
    export = tmp_path / "数据.json"
    assert cli("export", last_docx, "-o", export).code == 0
    assert json.loads(export.read_text(encoding="utf-8"))["year"] == 2021


@pytest.mark.slow
def test_legacy_doc_is_converted_through_libreoffice(sample_data, tmp_path):
    from gdr_gen.writers.pdf import find_soffice

    soffice = find_soffice()
    if soffice is None:
        pytest.skip("needs LibreOffice")
    report, doc = _doc(sample_data)
    docx = _write(tmp_path, doc, ".docx")
    out = tmp_path / "out"
    subprocess.run(
        [
            str(soffice),
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "doc",
            "--outdir",
            str(out),
            str(docx),
        ],
        capture_output=True,
        timeout=180,
        check=True,
    )
    back = load_report(out / "年报.doc").report
    assert back.agency == report.agency
    assert [back.value(p) for p in report.table_paths()] == [
        report.value(p) for p in report.table_paths()
    ]


def test_json_data_saved_as_txt_is_read_as_json(sample_data, tmp_path, cli):
    """``export -o - > 数据.txt``: the content is JSON, so it is read as the data it is."""
    path = tmp_path / "数据.txt"
    path.write_text(json.dumps(sample_data, ensure_ascii=False), encoding="utf-8")
    run = cli("check", path)
    assert run.code == 0, run.out + run.err
    assert "NT-09" in run.out and "requests.new" not in run.err


def test_agency_kind_option_overrides_the_title_on_every_command(cli, tmp_path):
    """``--agency-kind`` for check, build, export and init --from, on a published report."""
    page = Path(__file__).parent / "fixtures" / "published" / "shuyang-fgj-2023.html"
    out = tmp_path / "导出.json"
    assert cli("export", page, "-o", out).code == 0  # a department by its title
    assert json.loads(out.read_text("utf-8"))["agency_kind"] == "department"
    r = cli("export", page, "-o", out, "--force", "--agency-kind", "government")
    assert r.code == 0, r.out + r.err
    assert json.loads(out.read_text("utf-8"))["agency_kind"] == "government"
    # a 人民政府's report must cover 考核/评议/责任追究 (NT-09): the kind changes the checks
    as_dept = cli("check", page, "-f", "json")
    as_gov = cli("check", page, "-f", "json", "--agency-kind", "government")
    assert as_dept.code == 0 and as_gov.code == 0
    assert "NT-09" not in as_dept.out and "NT-09" in as_gov.out
    book = tmp_path / "新.xlsx"
    assert cli("init", book, "--from", page, "--agency-kind", "government").code == 0
    from gdr_gen.readers.xlsx_reader import read_workbook

    assert read_workbook(book).report.agency_kind == "government"
    r = cli("build", page, "--agency-kind", "government", "-o", tmp_path / "报告.docx")
    assert r.code == 0 and (tmp_path / "报告.docx").is_file()
    # the data formats state the kind themselves: the option is refused there
    sample = Path(__file__).resolve().parent.parent / "sample_inputs" / "巫山县2022.json"
    r = cli("check", sample, "--agency-kind", "department")
    assert r.code == 2 and "机关类型" in r.err
    r = cli("check", tmp_path, "--agency-kind", "department")
    assert r.code == 2 and "--agency-kind" in r.err
