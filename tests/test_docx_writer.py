"""The Word report read back with python-docx: cells, merges, headings, fonts, page setup."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from conftest import ROOT, SAMPLE_JSON, write_json
from docx.oxml.ns import qn
from docx.shared import Mm

from gdr_gen.document import build_document, value_text
from gdr_gen.formats import get_format
from gdr_gen.readers import load_report
from gdr_gen.sentences import SentenceOptions
from gdr_gen.writers.docx_writer import docx_bytes, render_docx

SPEC = get_format("2021")
HEADINGS = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
]


@pytest.fixture(scope="module")
def sample_report():
    return load_report(SAMPLE_JSON).report


@pytest.fixture(scope="module")
def sample_docx(sample_report, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("docx") / "report.docx"
    render_docx(build_document(sample_report), out)
    return out


@pytest.fixture(scope="module")
def word(sample_docx):
    return docx.Document(str(sample_docx))


def cell_text(table, r: int, c: int) -> str:
    return table.cell(r, c).text.replace("\n", "")


def test_three_tables_in_order(word):
    assert len(word.tables) == 3
    assert cell_text(word.tables[0], 0, 0) == "第二十条第（一）项"
    assert cell_text(word.tables[1], 3, 0) == "一、本年新收政府信息公开申请数量"
    assert cell_text(word.tables[2], 0, 0) == "行政复议"


def test_all_200_values_in_their_cells(word, sample_report):
    checked = 0
    for table, spec in zip(word.tables, SPEC.tables, strict=True):
        assert len(table.rows) == spec.n_rows
        for cell in spec.value_cells():
            assert cell.ref is not None
            expected = value_text(sample_report.value(cell.ref))
            assert cell_text(table, cell.row, cell.col) == expected, (spec.name, cell)
            assert expected != ""  # 0, never blank
            checked += 1
    assert checked == 200


def test_key_values_literally(word):
    t2, t3, t4 = word.tables
    assert [cell_text(t2, 3, c) for c in range(4)] == ["行政规范性文件", "9", "6", "60"]
    assert cell_text(t2, 6, 1) == "91093"
    assert cell_text(t2, 13, 0) == "行政事业性收费"
    assert cell_text(t2, 13, 1) == "3857.85"
    assert [cell_text(t3, 3, c) for c in range(3, 10)] == ["38", "1", "0", "0", "0", "0", "39"]
    assert cell_text(t3, 26, 1) == "（七）总计"
    assert cell_text(t3, 26, 9) == "39"
    assert cell_text(t3, 27, 0) == "四、结转下年度继续办理"
    assert [cell_text(t4, 3, c) for c in range(15)] == ["0"] * 15


def test_official_labels(word):
    t2, t3, t4 = word.tables
    assert cell_text(t2, 11, 0) == "第二十条第（八）项"
    assert cell_text(t2, 12, 1) == "本年收费金额（单位：万元）"
    assert cell_text(t3, 0, 0) == (
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    )
    assert cell_text(t3, 5, 0) == "三、本年度办理结果"
    assert cell_text(t3, 7, 1) == "（三）不予公开"
    assert cell_text(t3, 9, 2) == "3.危及“三安全一稳定”"
    assert cell_text(t3, 6, 1) == "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    assert cell_text(t4, 1, 5) == "未经复议直接起诉"
    assert cell_text(t4, 2, 14) == "总计"
    for spec, table in zip(SPEC.tables, word.tables, strict=True):
        for cell in spec.cells:
            if cell.text is not None:
                assert cell_text(table, cell.row, cell.col) == cell.text


def test_every_merge_of_the_official_layout(word):
    for spec, table in zip(SPEC.tables, word.tables, strict=True):
        anchors = {}
        for cell in spec.cells:
            tc = table.cell(cell.row, cell.col)._tc
            for r in range(cell.row, cell.row + cell.rowspan):
                for c in range(cell.col, cell.col + cell.colspan):
                    assert table.cell(r, c)._tc is tc, (spec.name, cell, r, c)
            anchors[id(tc)] = (tc, cell)  # keep tc alive so ids stay unique
        assert len(anchors) == len(spec.cells), spec.name  # no two cells merged wrongly


def _span(table, r: int, c: int) -> tuple[int, int]:
    """(rowspan, colspan) as written in the XML, counted independently of python-docx."""
    tc = table.cell(r, c)._tc
    colspan = tc.grid_span
    rowspan = 1
    if tc.vMerge == "restart":
        rows = table._tbl.tr_lst
        # grid column of this cell
        col = 0
        for other in rows[r].tc_lst:
            if other is tc:
                break
            col += other.grid_span
        for tr in rows[r + 1 :]:
            pos = 0
            found = None
            for other in tr.tc_lst:
                if pos == col:
                    found = other
                    break
                pos += other.grid_span
            if found is None or found.vMerge != "continue":
                break
            rowspan += 1
    return rowspan, colspan


def test_merges_literally(word):
    t2, t3, t4 = word.tables
    assert _span(t2, 0, 0) == (1, 4)
    assert _span(t2, 6, 1) == (1, 3)
    assert _span(t3, 0, 0) == (3, 3)
    assert _span(t3, 0, 3) == (1, 7)
    assert _span(t3, 1, 3) == (2, 1)  # 自然人
    assert _span(t3, 1, 4) == (1, 5)  # 法人或其他组织
    assert _span(t3, 5, 0) == (22, 1)  # 三、本年度办理结果
    assert _span(t3, 7, 1) == (8, 1)  # （三）不予公开
    assert _span(t3, 15, 1) == (3, 1)  # （四）无法提供
    assert _span(t3, 3, 0) == (1, 3)
    assert _span(t4, 0, 0) == (1, 5)
    assert _span(t4, 0, 5) == (1, 10)
    assert _span(t4, 1, 0) == (2, 1)
    assert _span(t4, 1, 10) == (1, 5)


def test_six_headings_in_order(word):
    h1 = [p.text for p in word.paragraphs if p.style.name == "Heading 1"]
    assert h1 == HEADINGS
    h2 = [p.text for p in word.paragraphs if p.style.name == "Heading 2"]
    assert h2[:2] == ["（一）提升主动公开质量", "（二）规范依申请公开办理"]
    assert "（二）改进情况" in h2


def test_title_and_preface(word):
    title = word.paragraphs[0]
    assert title.style.name == "Title"
    assert title.text == "巫山县人民政府\n2022年政府信息公开工作年度报告"
    preface = word.paragraphs[1]
    assert "统计期限为2022年1月1日至2022年12月31日" in preface.text


def test_prose_one_paragraph_per_line(tmp_path, sample_data):
    sample_data["narrative"]["other"]["intro"] = "第一段。\n\n第二段。\n第三段。"
    report = load_report(write_json(tmp_path / "d.json", sample_data)).report
    word = docx.Document(io.BytesIO(docx_bytes(build_document(report))))
    texts = [p.text for p in word.paragraphs]
    i = texts.index("六、其他需要报告的事项")
    assert texts[i + 1 : i + 4] == ["第一段。", "第二段。", "第三段。"]


def _east_asia(style) -> str | None:
    rpr = style.element.rPr
    return rpr.rFonts.get(qn("w:eastAsia")) if rpr is not None and rpr.rFonts is not None else None


def test_east_asia_fonts(word):
    styles = word.styles
    assert _east_asia(styles["Normal"]) == "仿宋_GB2312"
    assert _east_asia(styles["Title"]) == "方正小标宋简体"
    assert _east_asia(styles["Heading 1"]) == "黑体"
    assert _east_asia(styles["Heading 2"]) == "楷体_GB2312"
    assert _east_asia(styles["年报表格"]) == "仿宋_GB2312"
    assert _east_asia(styles["年报页码"]) == "宋体"
    assert styles["Title"].font.size.pt == 22
    assert styles["Normal"].font.size.pt == 16
    assert styles["Heading 1"].font.bold is False
    normal = styles["Normal"].paragraph_format
    assert normal.line_spacing.pt == 29  # fixed line spacing
    assert normal.first_line_indent.pt == 32  # two characters of 16 pt
    # every table cell paragraph uses the table style
    for table in word.tables:
        for row in table.rows:
            for cell in row.cells:
                assert cell.paragraphs[0].style.name.startswith("年报表格")


def test_page_setup(word):
    for section in word.sections:
        assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
        assert abs(section.top_margin - Mm(37)) < Mm(0.1)
        assert abs(section.bottom_margin - Mm(35)) < Mm(0.1)
        assert abs(section.left_margin - Mm(28)) < Mm(0.1)
        assert abs(section.right_margin - Mm(26)) < Mm(0.1)


def test_page_numbers_in_footer(word):
    assert word.settings.odd_and_even_pages_header_footer
    section = word.sections[0]
    for footer, align in ((section.footer, "right"), (section.even_page_footer, "left")):
        xml = footer._element.xml
        assert "PAGE" in "".join(t.text for t in footer._element.iter(qn("w:instrText")))
        p = footer.paragraphs[0]
        assert p.text == "— 1 —"
        assert f'w:jc w:val="{align}"' in xml


def test_tables_fit_page_repeat_headers_rows_do_not_split(word):
    width = round((210 - 28 - 26) * 1440 / 25.4)
    for spec, table in zip(SPEC.tables, word.tables, strict=True):
        tbl = table._tbl
        cols = [int(g.get(qn("w:w"))) for g in tbl.tblGrid.iter(qn("w:gridCol"))]
        assert len(cols) == spec.n_cols
        assert sum(cols) <= width + 1
        borders = tbl.tblPr.find(qn("w:tblBorders"))
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            assert borders.find(qn(f"w:{side}")).get(qn("w:val")) == "single"
        for i, tr in enumerate(tbl.tr_lst):
            trpr = tr.trPr
            assert trpr is not None and trpr.find(qn("w:cantSplit")) is not None
            assert (trpr.find(qn("w:tblHeader")) is not None) == (i < spec.header_rows)
    assert SPEC.table("requests").header_rows == 3


def test_byte_identical_and_fixed_properties(sample_report, tmp_path):
    doc = build_document(sample_report)
    a = render_docx(doc, tmp_path / "a.docx").read_bytes()
    b = render_docx(build_document(sample_report), tmp_path / "b.docx").read_bytes()
    assert a == b
    with zipfile.ZipFile(io.BytesIO(a)) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert z.namelist()[0] == "[Content_Types].xml"
    props = docx.Document(io.BytesIO(a)).core_properties
    assert props.created.year == 2023 and props.created.month == 1
    assert props.title == "巫山县人民政府2022年政府信息公开工作年度报告"
    assert props.last_modified_by == "gdr-gen"


def test_bundled_template_is_current():
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "make_report_template", ROOT / "templates" / "make_report_template.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.template_bytes() == (ROOT / "templates" / "report.docx").read_bytes(), (
        "run: python templates/make_report_template.py"
    )


def test_money_exactly_as_given(tmp_path, sample_data):
    sample_data["proactive"]["fees"] = "24252.311082"
    report = load_report(write_json(tmp_path / "d.json", sample_data)).report
    assert report.proactive.fees == Decimal("24252.311082")
    word = docx.Document(io.BytesIO(docx_bytes(build_document(report))))
    assert cell_text(word.tables[0], 13, 1) == "24252.311082"


def test_generated_sentences_quote_the_table(sample_report):
    doc = build_document(sample_report, sentences=SentenceOptions.all("on"))
    word = docx.Document(io.BytesIO(docx_bytes(doc)))
    generated = [p.text for p in word.paragraphs if p.style.name == "年报生成句"]
    assert len(generated) == 3
    requests, appeals, fee = generated
    assert "收到政府信息公开申请39件" in requests
    assert "自然人申请38件" in requests
    assert "予以公开及部分公开合计25件，占64.1%" in requests
    assert "未发生因政府信息公开引起的行政复议、行政诉讼" in appeals
    assert "未收取信息处理费" in fee
    texts = [p.text for p in word.paragraphs]
    # the summary sits in section 三, before 表三
    assert texts.index(requests) > texts.index(HEADINGS[2])
    assert texts.index(requests) < texts.index(HEADINGS[3])


def test_hostile_text_is_safe(tmp_path, sample_data):
    sample_data["agency"] = "A&B<县>人民政府"
    sample_data["narrative"]["other"]["intro"] = "含控制字符\x01与<标签>&符号。"
    report = load_report(write_json(tmp_path / "d.json", sample_data)).report
    word = docx.Document(io.BytesIO(docx_bytes(build_document(report))))
    texts = [p.text for p in word.paragraphs]
    assert "含控制字符与<标签>&符号。" in texts
    assert texts[0].replace("\n", "") == "A&B<县>人民政府2022年政府信息公开工作年度报告"


def test_signature_when_publish_date_given(tmp_path, sample_data):
    sample_data["publish_date"] = "2023-03-20"
    report = load_report(write_json(tmp_path / "d.json", sample_data)).report
    data = docx_bytes(build_document(report))
    word = docx.Document(io.BytesIO(data))
    last = [p for p in word.paragraphs if p.text][-2:]
    assert [p.text for p in last] == ["巫山县人民政府", "2023年3月20日"]
    assert all(p.style.name == "年报落款" for p in last)
    # GB/T 9704: date 2 characters from the right; its first character 2 characters right of
    # the 署名's first: 7-character 署名, 6.5-character date → 署名 3.5 characters in.
    agency_right, date_right = (p.paragraph_format.right_indent.pt for p in last)
    assert date_right == 32 and agency_right == 56
    assert last[0].paragraph_format.space_before.pt == 29  # one blank line below the text
    assert word.core_properties.created.date().isoformat() == "2023-03-20"
