"""Broken templates: the message names the file, the line or paragraph, and the tag, in Chinese."""

from __future__ import annotations

import shutil

import docx
import pytest
from conftest import SAMPLE_JSON


@pytest.fixture
def sample(tmp_path):
    return shutil.copy(SAMPLE_JSON, tmp_path / "data.json")


def _sentence_error(cli, sample, tmp_path, text: str) -> str:
    folder = tmp_path / "sentences"
    folder.mkdir(exist_ok=True)
    (folder / "appeals.j2").write_text(text, encoding="utf-8")
    out = tmp_path / "o.docx"
    r = cli("build", sample, "-o", out, "--template-dir", folder, "--sentences", "on")
    assert r.code == 2
    assert not out.exists()
    assert "Unexpected" not in r.err and "unexpected" not in r.err
    return " ".join(r.err.split())


def test_unclosed_if_in_a_sentence_template(cli, sample, tmp_path):
    err = _sentence_error(cli, sample, tmp_path, "{{ year }}年\n{% if a.total %}有复议\n其余文字\n")
    assert "appeals.j2" in err
    assert "第 2 行" in err and "{% if a.total %}有复议" in err  # where the if opens
    assert "{% if %} 没有对应的 {% endif %}" in err


def test_unknown_attribute_in_a_sentence_template(cli, sample, tmp_path):
    err = _sentence_error(cli, sample, tmp_path, "{{ year }}年{{ a.nonexistent }}件。")
    assert "第 1 行" in err and "{{ a.nonexistent }}" in err
    assert "a.total" in err and "a.pending" in err  # what could have been meant


def test_half_closed_tag_in_a_sentence_template(cli, sample, tmp_path):
    err = _sentence_error(cli, sample, tmp_path, "共{{ a.total }件")
    assert "第 1 行" in err and "{{ a.total }件" in err and "花括号" in err


def test_unclosed_if_in_a_word_template_names_its_paragraph(cli, sample, tmp_path):
    tpl = docx.Document()
    tpl.add_paragraph("抬头")
    tpl.add_paragraph("{% if 日期 %}发布于{{ 日期 }}")
    tpl.add_paragraph("{{ 正文 }}")
    path = tmp_path / "office.docx"
    tpl.save(str(path))
    r = cli("build", sample, "--template", path, "-o", tmp_path / "o.docx")
    assert r.code == 2
    err = " ".join(r.err.split())
    assert "正文第 2 段" in err and "{% if 日期 %}发布于" in err
    assert "{% if %} 没有对应的 {% endif %}" in err


@pytest.mark.parametrize(
    ("agency", "kind", "subject"),
    [
        ("巫山县人民政府", "government", "全县"),
        ("淮安市人民政府", "government", "全市"),
        ("浦东新区人民政府", "government", "全区"),
        ("广西壮族自治区人民政府", "government", "全区"),
        ("大昌镇人民政府", "government", "本镇"),
        ("龙门街道办事处", "government", "本街道"),
        ("巫山县教育委员会", "department", "本机关"),
    ],
)
def test_generated_sentences_speak_of_the_region(agency: str, kind: str, subject: str) -> None:
    """A 人民政府's report covers its whole region: "全县…", not "本机关…"."""
    from gdr_gen.model import Report
    from gdr_gen.sentences import SentenceOptions, render_sentences

    report = Report.blank(agency, 2022, agency_kind=kind)  # type: ignore[arg-type]
    sentences = render_sentences(report, SentenceOptions.all("on"))
    for name in ("requests", "appeals", "fee"):
        assert sentences[name] is not None
        assert sentences[name].startswith(f"2022年，{subject}")
