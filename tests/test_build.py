"""``gdr-gen build``: checks first, output names, locked targets, templates."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import docx
import pytest
from conftest import SAMPLE_JSON, write_json
from docx.oxml.ns import qn
from docx.shared import Pt
from helpers.books import sample_book

from gdr_gen.commands.build import build_report, output_paths, parse_formats, parse_sentences
from gdr_gen.errors import FileLockedError, GdrError, OutputError
from gdr_gen.sentences import SentenceOptions
from gdr_gen.writers.atomic import write_atomic

DEFAULT_NAME = "巫山县人民政府2022年政府信息公开工作年度报告.docx"


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    return Path(shutil.copy(SAMPLE_JSON, tmp_path / "巫山县2022.json"))


def test_build_writes_default_name_beside_input(cli, sample):
    r = cli("build", sample)
    assert r.code == 0, r.out + r.err
    out = sample.parent / DEFAULT_NAME
    assert out.exists()
    assert "通过检查" in r.out and "已生成" in r.out
    assert docx.Document(str(out)).paragraphs[0].text.startswith("巫山县人民政府")
    assert sorted(p.name for p in sample.parent.iterdir()) == sorted([sample.name, DEFAULT_NAME])


def test_errors_block_the_build(cli, tmp_path, sample_data):
    sample_data["requests"]["new"][0] = 37  # breaks T3-01 and T3-03
    data = write_json(tmp_path / "bad.json", sample_data)
    r = cli("build", data, "-o", tmp_path / "out.docx")
    assert r.code == 1
    assert "T3-01" in r.out and "未生成报告" in r.out
    assert not (tmp_path / "out.docx").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.json"]


def test_force_builds_anyway_and_says_so(cli, tmp_path, sample_data):
    sample_data["requests"]["new"][0] = 37
    data = write_json(tmp_path / "bad.json", sample_data)
    r = cli("build", data, "-o", tmp_path / "out.docx", "--force")
    assert r.code == 1
    assert "--force" in r.out and "已生成" in r.out
    word = docx.Document(str(tmp_path / "out.docx"))
    assert word.tables[1].cell(3, 3).text == "37"  # the data as given, even when wrong


def test_strict_blocks_on_warnings(cli, tmp_path, sample_data):
    sample_data["proactive"]["normative_documents"]["in_force"] = 1  # 9 - 6 > 1: T2-01 warning
    data = write_json(tmp_path / "warn.json", sample_data)
    r = cli("build", data, "-o", tmp_path / "a.docx", "--strict")
    assert r.code == 1 and "T2-01" in r.out
    assert not (tmp_path / "a.docx").exists()
    r = cli("build", data, "-o", tmp_path / "a.docx")
    assert r.code == 0 and (tmp_path / "a.docx").exists()


def test_output_paths_share_one_stem(tmp_path):
    src = tmp_path / "in.json"
    fmts = ("docx", "html", "pdf")
    paths = output_paths(src, "标题", tmp_path / "报告.docx", fmts)
    assert [p.name for p in paths.values()] == ["报告.docx", "报告.html", "报告.pdf"]
    assert output_paths(src, "标题", tmp_path / "报告.html", ("html",)) == {
        "html": tmp_path / "报告.html"
    }
    assert output_paths(src, "标题", None, ("docx",)) == {"docx": tmp_path / "标题.docx"}
    assert output_paths(src, "a/b:c", tmp_path, ("docx",)) == {"docx": tmp_path / "a_b_c.docx"}
    assert parse_formats("pdf, DOCX") == ("docx", "pdf")
    with pytest.raises(GdrError):
        parse_formats("doc")


def test_parse_sentences():
    assert parse_sentences("off") == SentenceOptions.all("off")
    assert parse_sentences("requests=on,fee=off") == SentenceOptions(requests="on", fee="off")
    with pytest.raises(GdrError):
        parse_sentences("requests=maybe")


def test_bad_format_option_is_exit_2(cli, sample, tmp_path):
    r = cli("build", sample, "--format", "doc")
    assert r.code == 2 and "不支持的输出格式" in r.err


def test_missing_input_is_exit_2(cli, tmp_path):
    r = cli("build", tmp_path / "nope.json")
    assert r.code == 2 and "文件不存在" in r.err and "Traceback" not in r.err


def test_same_input_gives_byte_identical_file(cli, sample, tmp_path):
    assert cli("build", sample, "-o", tmp_path / "a.docx").code == 0
    first = (tmp_path / "a.docx").read_bytes()
    assert cli("build", sample, "-o", tmp_path / "a.docx").code == 0
    assert (tmp_path / "a.docx").read_bytes() == first


def test_word_lock_file_stops_build_and_keeps_old_file(cli, sample, tmp_path):
    target = tmp_path / "报告.docx"
    target.write_bytes(b"old report")
    (tmp_path / "~$报告.docx").write_bytes(b"owner")
    r = cli("build", sample, "-o", target)
    assert r.code == 2
    assert "正在被 Word" in r.err and "请先关闭" in r.err
    assert target.read_bytes() == b"old report"


def test_permission_error_on_replace_is_a_chinese_message(cli, sample, tmp_path, monkeypatch):
    target = tmp_path / "报告.docx"
    target.write_bytes(b"old report")

    def locked(src, dst):  # what Windows does while Word holds the file
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", locked)
    r = cli("build", sample, "-o", target)
    assert r.code == 2
    assert "正在被 Word" in r.err and "Traceback" not in r.err
    assert target.read_bytes() == b"old report"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([sample.name, "报告.docx"])
    with pytest.raises(FileLockedError):
        build_report(sample, output=target)


def test_never_overwrites_an_input(cli, sample, tmp_path):
    tpl = tmp_path / "模板.docx"
    docx.Document().save(str(tpl))
    before = tpl.read_bytes()
    r = cli("build", sample, "--template", tpl, "-o", tpl)
    assert r.code == 2 and "输入文件" in r.err
    assert tpl.read_bytes() == before


# ------------------------------------------------------------------ office templates
def _office_template(path: Path, body: list[str]) -> Path:
    d = docx.Document()
    normal = d.styles["Normal"]
    normal.font.size = Pt(15)
    rpr = normal.element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), "方正仿宋_GBK")
    d.sections[0].header.paragraphs[0].text = "某某县人民政府办公室（版头）"
    for text in body:
        d.add_paragraph(text)
    d.save(str(path))
    return path


def test_office_template_keeps_its_styles_and_header(cli, sample, tmp_path):
    tpl = _office_template(tmp_path / "office.docx", ["{{ 机关 }}文件", "{{ 正文 }}", "完"])
    r = cli("build", sample, "--template", tpl, "-o", tmp_path / "out.docx")
    assert r.code == 0, r.out + r.err
    word = docx.Document(str(tmp_path / "out.docx"))
    texts = [p.text for p in word.paragraphs]
    assert texts[0] == "巫山县人民政府文件"
    assert texts[1].replace("\n", "") == "巫山县人民政府2022年政府信息公开工作年度报告"
    assert texts[-1] == "完"
    assert word.sections[0].header.paragraphs[0].text == "某某县人民政府办公室（版头）"
    normal = word.styles["Normal"].element.rPr.rFonts
    assert normal.get(qn("w:eastAsia")) == "方正仿宋_GBK"  # the office's own body font stays
    assert word.styles["Normal"].font.size.pt == 15
    assert "年报表格" in [s.name for s in word.styles]  # missing house styles were added
    assert len(word.tables) == 3


def test_template_without_tags_is_replaced_body(cli, sample, tmp_path):
    tpl = _office_template(tmp_path / "office.docx", ["旧报告正文"])
    r = cli("build", sample, "--template", tpl, "-o", tmp_path / "out.docx")
    assert r.code == 0, r.err
    word = docx.Document(str(tmp_path / "out.docx"))
    texts = [p.text for p in word.paragraphs]
    assert "旧报告正文" not in texts
    assert texts[0].startswith("巫山县人民政府")


def test_broken_template_tag_names_tag_and_place(cli, sample, tmp_path):
    tpl = _office_template(tmp_path / "bad.docx", ["抬头", "{{ 机关 }", "{{ 正文 }}"])
    r = cli("build", sample, "--template", tpl, "-o", tmp_path / "out.docx")
    assert r.code == 2
    assert "正文第 2 段" in r.err and "{{ 机关 }" in r.err
    assert not (tmp_path / "out.docx").exists()


def test_unknown_template_variable_names_it(cli, sample, tmp_path):
    tpl = _office_template(tmp_path / "bad.docx", ["{{ 单位名称 }}", "{{ 正文 }}"])
    r = cli("build", sample, "--template", tpl, "-o", tmp_path / "out.docx")
    assert r.code == 2
    assert "单位名称" in r.err and "正文第 1 段" in r.err and "可用的变量" in r.err


def test_template_not_a_docx(cli, sample, tmp_path):
    tpl = tmp_path / "t.docx"
    tpl.write_text("not a zip", encoding="utf-8")
    r = cli("build", sample, "--template", tpl, "-o", tmp_path / "out.docx")
    assert r.code == 2 and "不是有效的 .docx" in r.err


def test_dotx_template_is_accepted(cli, sample, tmp_path):
    import zipfile

    src = _office_template(tmp_path / "o.docx", [])
    dotx = tmp_path / "o.dotx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dotx, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"document.main+xml", b"template.main+xml")
            zout.writestr(info, data)
    r = cli("build", sample, "--template", dotx, "-o", tmp_path / "out.docx")
    assert r.code == 0, r.err
    out = tmp_path / "out.docx"
    word = docx.Document(str(out))
    assert word.sections[0].header.paragraphs[0].text == "某某县人民政府办公室（版头）"
    assert word.paragraphs[0].text.replace("\n", "") == (
        "巫山县人民政府2022年政府信息公开工作年度报告"
    )
    # the output is a document, not a template: Word refuses a .docx typed as a template
    with zipfile.ZipFile(out) as z:
        types = z.read("[Content_Types].xml")
    assert b"document.main+xml" in types and b"template.main+xml" not in types


def test_sentence_template_folder_overrides(cli, sample, tmp_path):
    folder = tmp_path / "sentences"
    folder.mkdir()
    (folder / "requests.j2").write_text("本单位全年收到申请{{ r.received }}件。", encoding="utf-8")
    r = cli(
        "build", sample, "-o", tmp_path / "o.docx",
        "--template-dir", folder, "--sentences", "requests=on",
    )  # fmt: skip
    assert r.code == 0, r.err
    texts = [p.text for p in docx.Document(str(tmp_path / "o.docx")).paragraphs]
    assert "本单位全年收到申请39件。" in texts


def test_broken_sentence_template_is_reported(cli, sample, tmp_path):
    folder = tmp_path / "sentences"
    folder.mkdir()
    (folder / "fee.j2").write_text("{{ fee.amount ", encoding="utf-8")
    r = cli(
        "build", sample, "-o", tmp_path / "o.docx", "--template-dir", folder, "--sentences", "on"
    )
    assert r.code == 2 and "fee.j2" in r.err and "第 1 行" in r.err
    assert not (tmp_path / "o.docx").exists()


def test_workbook_and_json_give_the_same_report(cli, sample, tmp_path):
    book = SAMPLE_JSON.with_suffix(".xlsx")
    assert book.exists()
    src = Path(shutil.copy(book, tmp_path / book.name))
    before = src.read_bytes()
    r = cli("build", src)
    assert r.code == 0, r.out + r.err
    from_book = (tmp_path / DEFAULT_NAME).read_bytes()
    assert src.read_bytes() == before  # the input is never written to
    assert cli("build", sample, "-o", tmp_path / "from_json.docx").code == 0
    assert (tmp_path / "from_json.docx").read_bytes() == from_book


def test_missing_html_writer_writes_nothing(cli, sample, tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "gdr_gen.writers.html_writer", None)
    r = cli("build", sample, "--format", "docx,html", "-o", tmp_path / "报告.docx")
    assert r.code == 2 and "HTML" in r.err
    assert not (tmp_path / "报告.docx").exists()


def test_html_and_pdf_writers_get_one_stem(sample, tmp_path, monkeypatch):
    from dataclasses import replace

    from gdr_gen.writers import registry

    calls: list = []

    def fake(name):
        def render(doc, options):
            calls.append((name, options.fragment, doc.title))
            return f"<{name}>".encode()

        return render

    for name in ("html", "pdf"):
        spec = registry.WRITERS[name]
        monkeypatch.setitem(registry.WRITERS, name, replace(spec, render=fake(name), prepare=None))
    result = build_report(
        sample, output=tmp_path / "报告.docx", formats=("docx", "html", "pdf"), fragment=True
    )
    assert [p.name for p in result.written] == ["报告.docx", "报告.html", "报告.pdf"]
    title = "巫山县人民政府2022年政府信息公开工作年度报告"
    assert calls == [("html", True, title), ("pdf", True, title)]
    assert (tmp_path / "报告.pdf").read_bytes() == b"<pdf>"
    assert (tmp_path / "报告.docx").read_bytes()[:2] == b"PK"
    calls.clear()
    result = build_report(sample, output=tmp_path / "只要.pdf", formats=("pdf",))
    assert [p.name for p in result.written] == ["只要.pdf"]
    assert not (tmp_path / "只要.docx").exists()  # no Word file beside it


# ---------------------------------------------------------------- atomic output: all or nothing
def test_writer_that_fails_midway_leaves_the_old_file(tmp_path):
    target = tmp_path / "报告.docx"
    target.write_bytes(b"old report")

    def half_then_crash(path: Path) -> None:
        path.write_bytes(b"half of a new rep")
        raise OSError(28, "No space left on device")

    with pytest.raises(OutputError):
        write_atomic(target, half_then_crash)
    assert target.read_bytes() == b"old report"
    assert [p.name for p in tmp_path.iterdir()] == ["报告.docx"]  # no temporary file left


# ---------------------------------------------------------------- build: all or nothing
def test_locked_second_format_stops_the_build_before_the_first_is_written(cli, tmp_path):
    src = Path(shutil.copy(SAMPLE_JSON, tmp_path / "data.json"))
    out = tmp_path / "out"
    out.mkdir()
    (out / "报告.html").write_text("旧网页", encoding="utf-8")
    (out / ".~lock.报告.html#").write_text("x", encoding="utf-8")  # open in LibreOffice
    r = cli("build", src, "-o", out / "报告.docx", "--format", "docx,html")
    assert r.code == 2, r.out + r.err
    assert "报告.html" in r.err and "Traceback" not in r.err
    assert sorted(p.name for p in out.iterdir()) == [".~lock.报告.html#", "报告.html"]
    assert (out / "报告.html").read_text(encoding="utf-8") == "旧网页"


# ---------------------------------------------------------------- --strict refusal
def test_strict_refusal_names_strict_not_errors(cli, tmp_path):
    book = sample_book(tmp_path)  # 2 warnings, no error
    r = cli("build", book, "--strict", "-o", tmp_path / "r.docx")
    assert r.code == 1
    assert "--strict" in r.out and "改正上述错误" not in r.out
    assert not (tmp_path / "r.docx").exists()
