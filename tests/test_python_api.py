"""The public API (``gdr_gen.read/check/build_document/render`` and the registries)."""

from __future__ import annotations

import doctest
import hashlib
import io
import json
import re
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

import gdr_gen
from gdr_gen.readers import registry as readers
from gdr_gen.writers import registry as writers

ROOT = Path(__file__).resolve().parent.parent
DIGESTS = json.loads((ROOT / "tests" / "fixtures" / "output-digests.json").read_text("utf-8"))


@pytest.fixture
def registries() -> Iterator[None]:
    """Registrations a test makes are undone after it (the registries are module state)."""
    saved_readers, saved_writers = dict(readers.READERS), dict(writers.WRITERS)
    yield
    readers.READERS.clear()
    readers.READERS.update(saved_readers)
    writers.WRITERS.clear()
    writers.WRITERS.update(saved_writers)


def test_docs_examples_run(registries, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every example in docs/python-api.md, as written there."""
    monkeypatch.chdir(ROOT)
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    result = doctest.testfile(
        str(ROOT / "docs" / "python-api.md"), module_relative=False, optionflags=flags
    )
    assert result.attempted > 20 and result.failed == 0


def test_sample_report_from_a_dict_through_the_api_only(sample_data, tmp_path: Path) -> None:
    loaded = gdr_gen.read(sample_data)
    assert [f.rule for f in gdr_gen.check(loaded)] == ["NT-06", "NT-09"]
    document = gdr_gen.build_document(loaded)
    docx = gdr_gen.render(document, "docx")
    html = gdr_gen.render(document, "html")
    # the very bytes `gdr-gen build` writes for the same data
    assert hashlib.sha256(docx).hexdigest() == DIGESTS["from-json.docx"]
    assert hashlib.sha256(html).hexdigest() == DIGESTS["from-json.html"]
    xml = zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml").decode("utf-8")
    text = "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))
    assert "巫山县人民政府2022年政府信息公开工作年度报告" in text
    assert "三、收到和处理政府信息公开申请情况" in text


@pytest.mark.slow
def test_sample_pdf_through_the_api(sample_data, tmp_path: Path) -> None:
    from gdr_gen.writers.pdf import find_soffice

    if find_soffice() is None:
        pytest.skip("LibreOffice is not installed")
    import shutil

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    pdf = gdr_gen.render(gdr_gen.build_document(gdr_gen.read(sample_data)), "pdf")
    assert pdf.startswith(b"%PDF")
    (tmp_path / "r.pdf").write_bytes(pdf)
    out = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "r.pdf"), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8")
    squeezed = "".join(out.split())
    assert "巫山县人民政府2022年政府信息公开工作年度报告" in squeezed
    assert "三、收到和处理政府信息公开申请情况" in squeezed


def test_read_takes_paths_bytes_and_dicts_alike(sample_data) -> None:
    book = ROOT / "sample_inputs" / "巫山县2022.xlsx"
    js = ROOT / "sample_inputs" / "巫山县2022.json"
    from_path = gdr_gen.read(book)
    from_bytes = gdr_gen.read(book.read_bytes(), name="上报.xlsx")  # recognised by content
    from_json_bytes = gdr_gen.read(js.read_bytes())
    assert from_bytes.source == "上报.xlsx"
    assert from_bytes.locator.cell(("requests", "new", 0)) == "表三!D6"
    report = from_path.report
    for other in (from_bytes, from_json_bytes, gdr_gen.read(sample_data)):
        assert other.report.agency == report.agency and other.report.narrative == report.narrative
        assert [other.report.value(p) for p in report.table_paths()] == [
            report.value(p) for p in report.table_paths()
        ]
    with pytest.raises(gdr_gen.GdrError, match="没有名为“xls”的读取器"):
        gdr_gen.read(book, kind="xls")


def test_check_accepts_a_bare_report(sample_data) -> None:
    report = gdr_gen.read(sample_data).report
    report.set_value(("requests", "new", 0), 37)
    findings = gdr_gen.check(report, only=["T3-03"])
    assert [f.location for f in findings] == [
        "requests.new[6] ≠ requests.new[0]+requests.new[1]+requests.new[2]"
        "+requests.new[3]+requests.new[4]+requests.new[5]"
    ]


def test_reading_loads_no_rule_module() -> None:
    """Readers sit below the checks: importing them must not import any rule module."""
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import gdr_gen.readers"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stderr
    loaded = {line.rsplit("|", 1)[-1].strip() for line in out.splitlines() if "|" in line}
    assert "gdr_gen.readers" in loaded and "gdr_gen.findings" in loaded
    assert not any(name.startswith("gdr_gen.checks") for name in loaded), sorted(loaded)


# ---------------------------------------------------------------- one registration each


def _fake_reader_and_writer(sample_data) -> None:
    def read_fake(path: Path) -> gdr_gen.LoadResult:
        data = json.loads(json.dumps(sample_data))
        data["agency"] = path.read_text(encoding="utf-8").strip()
        return gdr_gen.read(data, name=str(path))

    def render_txt(document, options) -> bytes:
        return "\n".join(document.all_text()).encode("utf-8")

    gdr_gen.register_reader(
        gdr_gen.ReaderSpec(
            "fake", "假格式（.fake）", (".fake",), read_fake, lambda h: h[:4] == b"FAKE"
        )
    )
    gdr_gen.register_writer(gdr_gen.WriterSpec("txt", "纯文本", render_txt))


def test_a_new_reader_and_writer_need_one_registration_each(
    registries, cli, sample_data, tmp_path: Path
) -> None:
    _fake_reader_and_writer(sample_data)
    src = tmp_path / "单位.fake"
    src.write_text("某某县人民政府", encoding="utf-8")

    r = cli("check", src)  # the sample's two warnings, nothing else
    assert r.code == 0 and "NT-09" in r.out

    r = cli("build", src, "-o", tmp_path / "报告.txt")  # the -o suffix chooses the new writer
    assert r.code == 0, r.out + r.err
    lines = (tmp_path / "报告.txt").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "某某县人民政府2022年政府信息公开工作年度报告"
    assert "三、收到和处理政府信息公开申请情况" in lines

    r = cli("build", src, "--format", "txt,docx", "-o", tmp_path / "两种")
    assert r.code == 0, r.out + r.err
    assert (tmp_path / "两种.txt").exists() and (tmp_path / "两种.docx").exists()

    r = cli("export", src, "-o", tmp_path / "导出.json")
    assert r.code == 0
    assert json.loads((tmp_path / "导出.json").read_text("utf-8"))["agency"] == "某某县人民政府"

    folder = tmp_path / "各单位"
    folder.mkdir()
    (folder / "甲.fake").write_text("甲县人民政府", encoding="utf-8")
    (folder / "乙.fake").write_text("乙县人民政府", encoding="utf-8")
    r = cli("merge", folder, "-o", tmp_path / "合计.json", "--agency", "某市人民政府")
    assert r.code == 0, r.out + r.err


def test_sniffing_corrects_a_lying_suffix(registries, cli, sample_data, tmp_path: Path) -> None:
    _fake_reader_and_writer(sample_data)
    disguised = tmp_path / "其实是假格式.json"
    disguised.write_text("FAKE 某某县人民政府", encoding="utf-8")
    assert gdr_gen.read(disguised).report.agency == "FAKE 某某县人民政府"
    # a workbook saved under a .json name is read as the workbook it is
    book = (ROOT / "sample_inputs" / "巫山县2022.xlsx").read_bytes()
    (tmp_path / "改了名.json").write_bytes(book)
    assert gdr_gen.read(tmp_path / "改了名.json").locator.cell(("requests", "new", 0)) == "表三!D6"


def test_a_writer_that_cannot_run_writes_nothing(registries, cli, sample_data, tmp_path) -> None:
    def unavailable() -> None:
        raise gdr_gen.GdrError("缺少转换程序")

    spec = writers.WRITERS["html"]
    writers.register_writer(replace(spec, prepare=unavailable))
    src = tmp_path / "d.json"
    src.write_text(json.dumps(sample_data, ensure_ascii=False), encoding="utf-8")
    r = cli("build", src, "--format", "docx,html", "-o", tmp_path / "报告.docx")
    assert r.code == 2 and "缺少转换程序" in r.err
    assert not list(tmp_path.glob("报告.*"))


def test_unknown_suffix_names_the_readers(cli, tmp_path: Path) -> None:
    f = tmp_path / "数据.xyz"
    f.write_text("hello", encoding="utf-8")
    r = cli("check", f)
    assert r.code == 2 and "不支持的文件类型“.xyz”" in r.err
    assert "填报工作簿（.xlsx）" in r.err and "JSON 数据文件（.json）" in r.err
