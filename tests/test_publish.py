"""Publishing the sample: the PDF made from the Word report, and `build --format …`."""

from __future__ import annotations

import inspect
import re
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from conftest import SAMPLE_JSON
from html_tables import parse_report
from pdf_text import pdf_pages, squash
from test_pdf import needs_soffice

from gdr_gen.document import Document, TableBlock, build_document
from gdr_gen.readers import load_report

try:
    from gdr_gen.writers.docx_writer import render_docx
except ImportError:  # the Word writer lives on branch `word` until it is merged
    render_docx = None  # type: ignore[assignment]


def _build_supports_formats() -> bool:
    try:
        from gdr_gen.commands import build
    except ImportError:
        return False
    fn = getattr(build, "build_report", None)
    return fn is not None and "formats" in inspect.signature(fn).parameters


needs_word = pytest.mark.skipif(render_docx is None, reason="Word writer not yet merged")
needs_build = pytest.mark.skipif(
    not _build_supports_formats(), reason="build command not yet merged"
)

_W_T = re.compile(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>")


def docx_text(path: Path) -> str:
    """All text of the Word body in document order (w:t elements; merged cells once)."""
    import html

    with zipfile.ZipFile(path) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    return "".join(html.unescape(t) for t in _W_T.findall(xml))


@pytest.fixture(scope="module")
def sample_doc() -> Document:
    return build_document(load_report(SAMPLE_JSON).report)


@pytest.fixture(scope="module")
def sample_pdf(sample_doc: Document, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    from gdr_gen.writers.pdf import convert_docx_to_pdf

    if render_docx is None:
        pytest.skip("Word writer not yet merged")
    folder = tmp_path_factory.mktemp("pdf")
    docx = render_docx(sample_doc, folder / "报告.docx")
    return docx, convert_docx_to_pdf(docx, folder / "报告.pdf")


@pytest.mark.slow
@needs_soffice
@needs_word
def test_sample_pdf_has_the_text_of_the_docx(
    sample_doc: Document, sample_pdf: tuple[Path, Path]
) -> None:
    docx, pdf = sample_pdf
    pages = pdf_pages(pdf)
    whole = "".join(pages)
    word = squash(docx_text(docx))
    # the same characters, each as often (tables are read in another order by pdftotext)
    assert Counter(whole) == Counter(word)
    # the title, headings and prose in the same order
    prose = [sample_doc.title, *(p.text for p in sample_doc.preface)]
    for section in sample_doc.sections:
        prose.append(section.heading.text)
        prose += [b.text for b in section.blocks if not isinstance(b, TableBlock)]
    position = 0
    for text in prose:
        found = whole.find(squash(text), position)
        assert found >= 0, text
        position = found + len(squash(text))


@pytest.mark.slow
@needs_soffice
@needs_word
def test_sample_pdf_keeps_each_table_on_one_page(
    sample_doc: Document, sample_pdf: tuple[Path, Path]
) -> None:
    pages = [Counter(p) for p in pdf_pages(sample_pdf[1])]
    for block in (b for s in sample_doc.sections for b in s.blocks if isinstance(b, TableBlock)):
        # every character of every cell (labels and numbers) on one page; pdftotext reads
        # wrapped cells in an order of its own, so the text is compared as a multiset
        need = Counter(squash("".join(block.text(c) for c in block.spec.cells)))
        on = [i + 1 for i, page in enumerate(pages) if not need - page]
        assert len(on) == 1, f"{block.spec.name} is not printed whole on one page"


# ---------------------------------------------------------------- build --format


@needs_build
def test_build_html_only(cli, tmp_path: Path) -> None:
    out = tmp_path / "报告.html"
    r = cli("build", SAMPLE_JSON, "-o", out, "--format", "html")
    assert r.code == 0, r.out + r.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["报告.html"]
    parsed = parse_report(out.read_text(encoding="utf-8"))
    assert parsed.texts[0] == "巫山县人民政府2022年政府信息公开工作年度报告"
    assert len(parsed.tables) == 3


@needs_build
def test_build_fragment(cli, tmp_path: Path) -> None:
    out = tmp_path / "正文.html"
    r = cli("build", SAMPLE_JSON, "-o", out, "--format", "html", "--fragment")
    assert r.code == 0, r.out + r.err
    parsed = parse_report(out.read_text(encoding="utf-8"))
    assert not {"html", "head", "body", "style"} & set(parsed.tags)
    assert parsed.tags[0] == "div" and len(parsed.tables) == 3


@pytest.mark.slow
@needs_soffice
@needs_build
def test_build_all_three_formats_share_one_stem(cli, tmp_path: Path) -> None:
    out = tmp_path / "报告.docx"
    r = cli("build", SAMPLE_JSON, "-o", out, "--format", "docx,html,pdf")
    assert r.code == 0, r.out + r.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["报告.docx", "报告.html", "报告.pdf"]
    assert (tmp_path / "报告.pdf").read_bytes().startswith(b"%PDF-")
    html = parse_report((tmp_path / "报告.html").read_text(encoding="utf-8"))
    pdf = "".join(pdf_pages(tmp_path / "报告.pdf"))
    assert Counter(pdf) == Counter(squash(docx_text(out)))
    assert Counter("".join(squash(t) for t in html.texts[1:])) == Counter(pdf)


@needs_build
def test_build_default_is_docx_only(cli, tmp_path: Path) -> None:
    out = tmp_path / "报告.docx"
    r = cli("build", SAMPLE_JSON, "-o", out)
    assert r.code == 0, r.out + r.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["报告.docx"]


@needs_build
def test_build_unknown_format_is_refused(cli, tmp_path: Path) -> None:
    r = cli("build", SAMPLE_JSON, "-o", tmp_path / "报告.docx", "--format", "docx,odt")
    assert r.code == 2
    assert "odt" in r.err and "Traceback" not in r.err
    assert list(tmp_path.iterdir()) == []


@needs_build
def test_build_pdf_without_libreoffice_says_how_to_install(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GDR_GEN_SOFFICE", str(tmp_path / "no-soffice"))
    r = cli("build", SAMPLE_JSON, "-o", tmp_path / "报告.pdf", "--format", "pdf")
    assert r.code == 2
    assert "LibreOffice" in r.err and "apt-get install libreoffice-writer-nogui" in r.err
    assert "Traceback" not in r.err
    assert not (tmp_path / "报告.pdf").exists()


@needs_build
def test_build_all_formats_without_libreoffice_writes_nothing(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No half-done set of files: LibreOffice is looked for before the docx and HTML are written."""
    monkeypatch.setenv("GDR_GEN_SOFFICE", str(tmp_path / "no-soffice"))
    r = cli("build", SAMPLE_JSON, "-o", tmp_path / "报告.docx", "--format", "docx,html,pdf")
    assert r.code == 2
    assert "LibreOffice" in r.err
    assert sorted(p.name for p in tmp_path.iterdir()) == []


@needs_build
def test_output_suffix_decides_the_format_without_format_option(cli, tmp_path: Path) -> None:
    """`-o 报告.html` alone writes the web page, not a Word file named 报告.docx."""
    r = cli("build", SAMPLE_JSON, "-o", tmp_path / "报告.html")
    assert r.code == 0, r.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["报告.html"]
    r = cli("build", SAMPLE_JSON, "-o", tmp_path / "报告")
    assert r.code == 0, r.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["报告.docx", "报告.html"]
