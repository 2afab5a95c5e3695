"""Fonts on an ordinary PC (issue 11, failure 7).

Before the fix the report named 方正小标宋简体, 仿宋_GB2312, 楷体_GB2312 and 黑体 with no
fallbacks — Windows 10/11 ship neither the _GB2312 faces nor 方正小标宋, so Word/WPS
substituted something arbitrary — and ``--format pdf`` on a machine without them silently
produced a report entirely in one sans-serif font.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile

import docx
import pytest
from conftest import SAMPLE_JSON
from lxml import etree

from gdr_gen.writers.pdf import font_notes, pdf_font_names, substituted_fonts

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

# Each 公文 face → the face every Chinese Windows PC has that Word/WPS should use instead.
FALLBACKS = {
    "方正小标宋简体": "宋体",
    "仿宋_GB2312": "仿宋",
    "楷体_GB2312": "楷体",
    "黑体": "SimHei",
}


def font_table(docx_bytes: bytes) -> dict[str, dict[str, str]]:
    """word/fontTable.xml read back: font name → {child tag: w:val or attributes}."""
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as z:
        root = etree.fromstring(z.read("word/fontTable.xml"))
        rels = z.read("word/_rels/document.xml.rels").decode()
    assert "fontTable.xml" in rels  # the part is reachable, so Word and WPS read it
    table: dict[str, dict[str, str]] = {}
    for font in root.findall(f"{W}font"):
        entry = {}
        for child in font:
            tag = child.tag.replace(W, "")
            entry[tag] = child.get(f"{W}val") or " ".join(
                f"{k.replace(W, '')}={v}" for k, v in sorted(child.attrib.items())
            )
        table[font.get(f"{W}name")] = entry
    return table


def _build(cli, tmp_path, *extra) -> bytes:
    out = tmp_path / "报告.docx"
    r = cli("build", SAMPLE_JSON, "-o", out, *extra)
    assert r.code == 0, r.err
    return out.read_bytes()


def _styles_fonts(data: bytes) -> set[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        root = etree.fromstring(z.read("word/styles.xml"))
    return {e.get(f"{W}eastAsia") for e in root.iter(f"{W}rFonts") if e.get(f"{W}eastAsia")}


@pytest.mark.parametrize("template", [False, True])
def test_each_gongwen_face_declares_its_windows_fallback(cli, tmp_path, template):
    extra = []
    if template:  # an office's own template (python-docx's default: a plain Word file)
        tpl = tmp_path / "单位模板.docx"
        docx.Document().save(str(tpl))
        extra = ["--template", str(tpl)]
    data = _build(cli, tmp_path, *extra)
    table = font_table(data)
    used = _styles_fonts(data)
    for face, fallback in FALLBACKS.items():
        assert face in used or template, face  # the house styles name the face …
        entry = table[face]  # … and the font table says what to use without it
        assert entry["altName"] == fallback
        assert entry["charset"] == "86"  # GB2312
        assert entry["family"] in ("roman", "modern", "swiss", "auto")
        assert len(entry["panose1"]) == 20
        assert "csb0=" in entry["sig"]
    # the fallbacks are declared under the English names Word knows them by, too
    assert table["仿宋"]["altName"] == "FangSong"
    assert table["楷体"]["altName"] == "KaiTi"
    assert table["宋体"]["altName"] == "SimSun"


def test_font_table_is_valid_for_word(cli, tmp_path):
    """Children of w:font in the schema's order (Word refuses a file otherwise)."""
    order = ["altName", "panose1", "charset", "family", "notTrueType", "pitch", "sig"]
    with zipfile.ZipFile(io.BytesIO(_build(cli, tmp_path))) as z:
        root = etree.fromstring(z.read("word/fontTable.xml"))
    for font in root.findall(f"{W}font"):
        tags = [c.tag.replace(W, "") for c in font if c.tag.replace(W, "") in order]
        assert tags == sorted(tags, key=order.index), font.get(f"{W}name")
    names = [f.get(f"{W}name") for f in root.findall(f"{W}font")]
    assert len(names) == len(set(names))  # each font once


# ---------------------------------------------------------------- PDF: substitution warning
def _fake_pdf(*fonts: str) -> bytes:
    objs = b"".join(f"<< /Type /Font /BaseFont /{f} >>\n".encode() for f in fonts)
    return b"%PDF-1.6\n" + objs + b"%%EOF\n"


def test_pdf_font_names_strip_subset_prefix_and_decode_escapes():
    pdf = _fake_pdf("BAAAAA+NotoSansCJKjp-Regular", "CAAAAA+#E4#BB#BF#E5#AE#8B_GB2312")
    assert pdf_font_names(pdf) == ["NotoSansCJKjp-Regular", "仿宋_GB2312"]


def test_substitution_detected_and_named(cli, tmp_path):
    docx_bytes = _build(cli, tmp_path)
    exact = _fake_pdf(
        "AAAAAA+FZXiaoBiaoSong-B05S",
        "BAAAAA+FangSong_GB2312",
        "CAAAAA+KaiTi_GB2312",
        "DAAAAA+SimHei",
        "EAAAAA+TimesNewRomanPSMT",
    )
    assert substituted_fonts(docx_bytes, exact) == []
    assert font_notes(docx_bytes, exact) == []
    substituted = _fake_pdf("BAAAAA+NotoSansCJKjp-Regular", "CAAAAA+DejaVuSerif")
    assert substituted_fonts(docx_bytes, substituted) == list(FALLBACKS)
    (note,) = font_notes(docx_bytes, substituted)
    for face in FALLBACKS:
        assert face in note
    assert "NotoSansCJKjp-Regular" in note  # what was used instead


def _gongwen_fonts_installed() -> bool:
    if shutil.which("fc-list") is None:
        return False
    out = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True).stdout
    return "仿宋_GB2312" in out or "FangSong_GB2312" in out


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice")
@pytest.mark.skipif(_gongwen_fonts_installed(), reason="the 公文 fonts are installed here")
def test_pdf_built_without_gongwen_fonts_carries_the_warning(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "400")
    out = tmp_path / "报告.pdf"
    r = cli("build", SAMPLE_JSON, "-o", out)
    assert r.code == 0, r.err
    assert out.read_bytes().startswith(b"%PDF")
    assert "注意：PDF 中的字体" in r.out
    for face in FALLBACKS:
        assert face in r.out
    note = next(line for line in r.out.splitlines() if line.startswith("注意：PDF"))
    for used in pdf_font_names(out.read_bytes()):
        assert used in note
