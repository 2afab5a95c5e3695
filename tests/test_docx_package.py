"""Deterministic .docx packages: the bundled template's unchanged parts are copied in their
stored (deflated) form, which must give exactly the bytes deflating them again would give
(gdr_gen/writers/docx_package.py)."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
import zlib
from datetime import date
from pathlib import Path

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from test_import_roundtrip import reports

from gdr_gen import api
from gdr_gen.model import Report
from gdr_gen.writers.docx_package import COMPRESS_LEVEL, save_bytes

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "templates" / "report.docx"
SAMPLE = ROOT / "sample_inputs" / "巫山县2022.xlsx"


def _deflate(data: bytes) -> bytes:
    c = zlib.compressobj(COMPRESS_LEVEL, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def _stored(package: bytes) -> dict[str, bytes]:
    """Member name → its compressed bytes as stored in the zip."""
    out = {}
    with zipfile.ZipFile(io.BytesIO(package)) as z:
        for info in z.infolist():
            start = info.header_offset
            n, m = (
                int.from_bytes(package[start + 26 : start + 28], "little"),
                int.from_bytes(package[start + 28 : start + 30], "little"),
            )
            begin = start + 30 + n + m
            out[info.filename] = package[begin : begin + info.compress_size]
    return out


def test_bundled_template_is_deflated_as_the_writer_deflates() -> None:
    """What makes copying stored parts byte-identical to deflating them again."""
    data = TEMPLATE.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        contents = {name: z.read(name) for name in z.namelist()}
    stored = _stored(data)
    assert stored.keys() == contents.keys()
    for name, content in contents.items():
        assert stored[name] == _deflate(content), name


def _report() -> bytes:
    loaded = api.read(SAMPLE)
    return api.render(api.build_document(loaded.report), "docx")


def test_reused_parts_give_the_same_bytes_as_deflating_everything() -> None:
    word = docx.Document(io.BytesIO(_report()))
    again = save_bytes(word)  # nothing to reuse: every part deflated
    reused = save_bytes(word, reuse=TEMPLATE.read_bytes())
    assert reused == again
    with zipfile.ZipFile(io.BytesIO(reused)) as z:
        assert z.testzip() is None


def test_a_changed_part_is_deflated_again_not_copied() -> None:
    word = docx.Document(io.BytesIO(TEMPLATE.read_bytes()))
    word.styles["Normal"].font.size = docx.shared.Pt(11)  # styles.xml now differs
    out = save_bytes(word, reuse=TEMPLATE.read_bytes())
    assert out == save_bytes(word)
    with zipfile.ZipFile(io.BytesIO(out)) as z:
        assert z.testzip() is None
        old = zipfile.ZipFile(TEMPLATE).read("word/styles.xml")
        assert z.read("word/styles.xml") != old
    back = docx.Document(io.BytesIO(out))
    size = back.styles["Normal"].font.size
    assert size is not None and size.pt == 11


# --------------------------------------------------------------------------------------------
# The bundled template without python-docx (gdr_gen/writers/docx_bundled.py): the same bytes as
# the python-docx path, which is what an office's own template (here: the bundled file passed
# as --template) goes through.
def _both_paths(report: Report) -> tuple[bytes, bytes]:
    from gdr_gen.document import build_document
    from gdr_gen.writers.docx_template import default_template
    from gdr_gen.writers.docx_writer import _bundled, clean_text, docx_bytes

    doc = build_document(report)
    fast = _bundled(doc, title=clean_text(doc.title), agency=clean_text(doc.agency))
    assert fast is not None, "the bundled template should take the direct path"
    assert docx_bytes(doc) == fast
    return fast, docx_bytes(doc, template=default_template())


def test_bundled_path_gives_the_python_docx_bytes_on_the_sample() -> None:
    fast, slow = _both_paths(api.read(SAMPLE).report)
    assert fast == slow


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports())
def test_bundled_path_gives_the_python_docx_bytes(report: Report) -> None:
    fast, slow = _both_paths(report)
    assert fast == slow


@pytest.mark.parametrize(
    "agency",
    [
        "<某&某>\"局'",
        "控制\x01字符\x0b局",
        "超" * 300 + "局",
        "]]>局",
        "",
    ],
)
def test_bundled_path_on_hostile_names(agency: str) -> None:
    report = api.read(SAMPLE).report
    report.agency = agency
    fast, slow = _both_paths(report)
    assert fast == slow
    from gdr_gen.writers.docx_writer import clean_text

    back = docx.Document(io.BytesIO(fast))
    clean = clean_text(agency)  # XML cannot carry control characters
    assert back.core_properties.author == (clean if len(clean) <= 255 else clean[:254] + "…")


@pytest.mark.parametrize(
    "text",
    ["行一\r\n行二\r行三\n行四", "&<>\"'", "]]>", "", " ", "\t制表 ", "控制\x01\x0b字", "\ufffe"],
)
def test_bundled_path_on_hostile_paragraph_text(text: str) -> None:
    """Body text goes into the bundled template as text, not through a parser: line ends,
    escapes, empty runs and stripped characters come out as lxml gives them."""
    from gdr_gen.document import Paragraph, build_document
    from gdr_gen.writers.docx_template import default_template
    from gdr_gen.writers.docx_writer import _bundled, docx_bytes

    doc = build_document(api.read(SAMPLE).report)
    doc.preface = [Paragraph(text, "preface"), *doc.preface]
    doc.sections[0].blocks.insert(0, Paragraph(text))
    fast = _bundled(doc, title=doc.title, agency=doc.agency)
    assert fast is not None
    assert fast == docx_bytes(doc, template=default_template())
    back = docx.Document(io.BytesIO(fast))
    expected = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    expected = "".join(ch for ch in expected if ch not in "\x01\x0b\ufffe")
    assert back.paragraphs[1].text == expected


def test_template_parts_edited_as_text_are_in_lxml_form() -> None:
    """docx_bundled edits document.xml and core.xml as text and copies fontTable.xml: the
    template stores them exactly as lxml serialises them after parsing (what the python-docx
    path writes), and the font table already declares every 公文 face."""
    from docx.oxml.parser import parse_xml
    from lxml import etree

    from gdr_gen.writers.docx_style import FONT_DECLARATIONS

    with zipfile.ZipFile(TEMPLATE) as z:
        for name in ("word/document.xml", "word/fontTable.xml", "docProps/core.xml"):
            stored = z.read(name)
            again = etree.tostring(parse_xml(stored), encoding="UTF-8", standalone=True)
            assert again == stored, name
        fonts = z.read("word/fontTable.xml").decode()
    for f in FONT_DECLARATIONS:
        assert fonts.count(f'<w:font w:name="{f.name}">') == 1, f.name


@pytest.mark.parametrize("suffix", [".xlsx", ".json"])
def test_a_build_does_not_import_python_docx(suffix: str) -> None:
    """Writing into the bundled template needs neither python-docx nor an XML parser (the
    workbook reader checks the workbook's XML with lxml; the JSON reader does not)."""
    code = (
        "import sys, gdr_gen\n"
        f"r = gdr_gen.read({str(SAMPLE.with_suffix(suffix))!r})\n"
        "before = set(sys.modules)\n"
        "data = gdr_gen.render(gdr_gen.build_document(r), 'docx')\n"
        "assert data[:2] == b'PK'\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'docx'),"
        " sorted(m for m in set(sys.modules) - before if m.split('.')[0] == 'lxml'),"
        " sorted(m for m in sys.modules if m.split('.')[0] == 'lxml'))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    lxml_at_all = "[]" if suffix == ".json" else "['lxml', 'lxml._elementpath', 'lxml.etree']"
    assert done.stdout.strip() == f"[] [] {lxml_at_all}"


def test_a_template_not_laid_out_as_expected_goes_through_python_docx(monkeypatch) -> None:
    """A bundled template whose core properties lack an element (say, edited by hand): the
    direct path declines and python-docx writes the report, with the same content."""
    from gdr_gen.writers import docx_template, docx_writer
    from gdr_gen.writers.docx_bundled import NotPlain, bundled_docx_bytes

    data = TEMPLATE.read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = content.replace(b"<cp:revision>1</cp:revision>", b"")
            dst.writestr(info, content)
    edited = out.getvalue()
    with pytest.raises(NotPlain):
        bundled_docx_bytes(edited, "", title="t", author="a", when=date(2023, 1, 1))
    monkeypatch.setattr(docx_template, "default_template_bytes", lambda: edited)
    report = api.read(SAMPLE).report
    from gdr_gen.document import build_document

    doc = build_document(report)
    assert docx_writer._bundled(doc, title=doc.title, agency=doc.agency) is None
    result = docx_writer.docx_bytes(doc)
    back = docx.Document(io.BytesIO(result))
    assert back.core_properties.revision == 1
    assert back.paragraphs[0].text.replace("\n", "") == doc.title
