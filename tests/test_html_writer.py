"""The HTML report read back with a parser: tables, merges, text, escaping, determinism."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import SAMPLE_JSON, write_json
from html_tables import ParsedTable, parse_report

from gdr_gen.document import Document, TableBlock, build_document, value_text
from gdr_gen.formats import FORMATS
from gdr_gen.readers import load_report
from gdr_gen.writers.html_writer import render_html, write_html

SPEC = FORMATS["2021"]


def _doc(path: Path = SAMPLE_JSON) -> Document:
    return build_document(load_report(path).report)


@pytest.fixture(scope="module")
def sample_doc() -> Document:
    return _doc()


@pytest.fixture(scope="module")
def sample_html(sample_doc: Document) -> str:
    return render_html(sample_doc)


def _tables(doc: Document) -> list[TableBlock]:
    return [b for s in doc.sections for b in s.blocks if isinstance(b, TableBlock)]


def _table(html: str, key: str) -> ParsedTable:
    index = [t.key for t in SPEC.tables].index(key)
    return parse_report(html).tables[index]


def test_every_cell_value_and_merge_of_the_sample(sample_doc: Document, sample_html: str) -> None:
    report = load_report(SAMPLE_JSON).report
    parsed = parse_report(sample_html)
    assert [t.attrs.get("border") for t in parsed.tables] == ["1", "1", "1"]
    for block, table in zip(_tables(sample_doc), parsed.tables, strict=True):
        spec = block.spec
        grid = table.grid()
        assert len(table.rows) == spec.n_rows
        assert table.n_cols == spec.n_cols
        assert set(grid) == {(c.row, c.col) for c in spec.cells}, spec.name
        for cell in spec.cells:
            got = grid[(cell.row, cell.col)]
            want = value_text(report.value(cell.ref)) if cell.ref else cell.text
            assert got.text == want, (spec.name, cell)
            assert (got.rowspan, got.colspan) == (cell.rowspan, cell.colspan), (spec.name, cell)
            # each number (each cell text) is exactly one text node, no markup inside
            assert len(got.chunks) == 1 and not got.nested_tags, (spec.name, cell)
            # the header rows go to <thead> so browsers repeat them on printed pages
            section = table.sections[cell.row]
            assert section == ("thead" if cell.row < spec.header_rows else "tbody")
            assert got.tag == ("th" if cell.role in ("header", "title") else "td")


def test_official_labels_and_merges_literally(sample_html: str) -> None:
    t3 = _table(sample_html, "requests")
    grid = t3.grid()
    assert len(t3.rows) == 28 and t3.n_cols == 10
    note = grid[(0, 0)]
    assert note.text.startswith("（本列数据的勾稽关系为：")
    assert (note.rowspan, note.colspan) == (3, 3)
    results = grid[(5, 0)]
    assert results.text == "三、本年度办理结果"
    assert (results.rowspan, results.colspan) == (22, 1)
    assert grid[(0, 3)].text == "申请人情况" and grid[(0, 3)].colspan == 7
    assert grid[(1, 4)].text == "法人或其他组织" and grid[(1, 4)].colspan == 5
    assert grid[(7, 1)].text == "（三）不予公开" and grid[(7, 1)].rowspan == 8
    assert grid[(3, 0)].text == "一、本年新收政府信息公开申请数量"
    # 巫山县2022: 38 natural persons + 1 company = 39 new applications
    assert [grid[(3, k)].text for k in range(3, 10)] == ["38", "1", "0", "0", "0", "0", "39"]
    t2 = _table(sample_html, "proactive")
    g2 = t2.grid()
    assert g2[(0, 0)].text == "第二十条第（一）项" and g2[(0, 0)].colspan == 4
    assert [c.text for c in t2.rows[-1]] == ["行政事业性收费", "3857.85"]
    assert t2.rows[-1][1].colspan == 3
    t4 = _table(sample_html, "appeals")
    g4 = t4.grid()
    assert g4[(0, 0)].text == "行政复议" and g4[(0, 0)].colspan == 5
    assert g4[(0, 5)].text == "行政诉讼" and g4[(0, 5)].colspan == 10
    assert t4.n_cols == 15


def test_same_text_in_the_same_order_as_the_document(
    sample_doc: Document, sample_html: str
) -> None:
    expected = [sample_doc.title, *(p.text for p in sample_doc.preface)]
    for s in sample_doc.sections:
        expected.append(s.heading.text)
        for b in s.blocks:
            if isinstance(b, TableBlock):
                expected += [b.text(c) for c in sorted(b.spec.cells, key=lambda c: (c.row, c.col))]
            else:
                expected.append(b.text)
    expected += [p.text for p in sample_doc.signature]
    parsed = parse_report(sample_html)
    # <title> first, then the visible body
    assert parsed.texts[0] == sample_doc.title
    assert parsed.texts[1:] == expected
    kinds = [tag for tag, _ in parsed.element_text]
    assert kinds[:3] == ["title", "h1", "p"]
    headings = [text for tag, text in parsed.element_text if tag == "h2"]
    assert headings[0] == "一、总体情况"
    assert headings == [s.heading for s in SPEC.sections]
    assert ("h3", "（一）提升主动公开质量") in parsed.element_text


def test_page_is_self_contained_utf8_without_word_styles(sample_html: str) -> None:
    parsed = parse_report(sample_html)
    assert sample_html.startswith("<!DOCTYPE html>\n")
    assert '<meta charset="utf-8">' in sample_html
    assert not {"script", "link", "img", "iframe", "span", "font"} & set(parsed.tags)
    assert parsed.tags.count("style") == 1
    assert not any("mso-" in s for s in parsed.styles)
    assert "mso-" not in sample_html and 'class="Mso' not in sample_html
    assert "仿宋" in sample_html and "黑体" in sample_html and "@media print" in sample_html


def test_fragment_is_only_the_body(sample_doc: Document, sample_html: str) -> None:
    fragment = render_html(sample_doc, fragment=True)
    parsed = parse_report(fragment)
    assert not {"html", "head", "body", "title", "style", "meta"} & set(parsed.tags)
    assert parsed.tags[0] == "div"
    assert parsed.texts == parse_report(sample_html).texts[1:]  # all but <title>
    assert fragment.strip() in sample_html
    # styles that must survive a CMS editor are inline
    assert len(parse_report(fragment).tables) == 3
    assert all(
        "border:1px solid #000" in (c.attrs.get("style") or "") for c in parsed.tables[1].rows[0]
    )


def _hostile(sample_data: dict[str, Any]) -> dict[str, Any]:
    sample_data["agency"] = "某某县规划和自然资源局 & <测试>"
    n = sample_data["narrative"]
    n["overview"]["intro"] = "依据《条例》<第五十条> & 附件办理。"
    n["overview"]["sections"][0]["title"] = "<b>加粗</b>标题"
    n["other"]["intro"] = "<script>alert(1)</script> \"引号\" '单引号' &amp; 已转义"
    n["problems"]["sections"][0]["text"] = "<img src=x onerror=alert(1)>问题"
    return sample_data


def test_text_from_the_data_is_escaped(tmp_path: Path, sample_data: dict[str, Any]) -> None:
    path = write_json(tmp_path / "hostile.json", _hostile(sample_data))
    doc = _doc(path)
    for fragment in (False, True):
        html = render_html(doc, fragment=fragment)
        parsed = parse_report(html)
        assert "script" not in parsed.tags
        assert "img" not in parsed.tags
        assert "b" not in parsed.tags
        texts = parsed.texts
        assert "依据《条例》<第五十条> & 附件办理。" in texts
        assert "<script>alert(1)</script> \"引号\" '单引号' &amp; 已转义" in texts
        assert "<img src=x onerror=alert(1)>问题" in texts
        assert "（一）<b>加粗</b>标题" in texts
        assert any("某某县规划和自然资源局 & <测试>" in t for t in texts)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "&amp;amp; 已转义" in html


def test_control_characters_are_dropped(sample_doc: Document) -> None:
    from dataclasses import replace

    doc = replace(sample_doc, title="报告\x00\x0b标题")
    parsed = parse_report(render_html(doc))
    assert parsed.texts[0] == "报告标题"


def test_write_is_deterministic_and_atomic(tmp_path: Path, sample_doc: Document) -> None:
    a = write_html(sample_doc, tmp_path / "a.html")
    b = write_html(_doc(), tmp_path / "b.html")
    assert a.read_bytes() == b.read_bytes()
    assert a.read_bytes().decode("utf-8") == render_html(sample_doc)
    assert b"\r\n" not in a.read_bytes()
    frag = write_html(sample_doc, tmp_path / "f.html", fragment=True)
    assert (
        frag.read_bytes() == write_html(sample_doc, tmp_path / "g.html", fragment=True).read_bytes()
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.html", "b.html", "f.html", "g.html"]


def test_locked_target_is_left_alone(tmp_path: Path, sample_doc: Document) -> None:
    from gdr_gen.errors import FileLockedError

    target = tmp_path / "报告.html"
    target.write_text("旧内容", encoding="utf-8")
    (tmp_path / ".~lock.报告.html#").write_text("x", encoding="utf-8")
    with pytest.raises(FileLockedError):
        write_html(sample_doc, target)
    assert target.read_text(encoding="utf-8") == "旧内容"
