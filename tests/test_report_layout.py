"""Table layout of the Word report read back: numbers never wrap, tables fill the text width
of whichever template is used, column headers break evenly."""

from __future__ import annotations

import io

import docx
from conftest import write_json
from docx.oxml.ns import qn
from docx.shared import Mm

from gdr_gen.document import build_document
from gdr_gen.readers import load_report
from gdr_gen.writers.docx_writer import docx_bytes, fit_widths


def _text_width(word) -> int:
    """The section's text width in twips (page width less the left and right margins)."""
    s = word.sections[-1]
    return round((s.page_width - s.left_margin - s.right_margin) / 635)


def _big_city(sample_data):
    """The sample scaled up like a large city's: 6-digit counts everywhere (sums still close)."""
    for key, row in sample_data["requests"].items():
        sample_data["requests"][key] = [v * 9973 for v in row]
    sample_data["appeals"] = {
        "reconsideration": [172936, 64832, 180314, 37481, 455563],
        "litigation_direct": [13169, 4052, 8104, 1013, 26338],
        "litigation_after_reconsideration": [112156, 1013, 1013, 6078, 120260],
    }
    sample_data["proactive"]["fees"] = "24252.311082"
    return sample_data


def _word(tmp_path, data, template=None):
    report = load_report(write_json(tmp_path / "d.json", data)).report
    return docx.Document(io.BytesIO(docx_bytes(build_document(report), template=template)))


def _grid(table) -> list[int]:
    return [int(g.get(qn("w:w"))) for g in table._tbl.tblGrid.findall(qn("w:gridCol"))]


def _cell_size_pt(cell, default: float) -> float:
    sz = cell._tc.find(f".//{qn('w:sz')}")
    return int(sz.get(qn("w:val"))) / 2 if sz is not None else default


def _cell_margin(table) -> int:
    mar = table._tbl.tblPr.find(qn("w:tblCellMar"))
    return int(mar.find(qn("w:left")).get(qn("w:w")))


def test_six_digit_numbers_stay_on_one_line(tmp_path, sample_data):
    word = _word(tmp_path, _big_city(sample_data))
    requests, appeals = word.tables[1], word.tables[2]
    assert requests.cell(3, 3).text == "378974"  # 38 × 9973: 一、本年新收 自然人
    assert requests.cell(3, 9).text == "388947"
    assert appeals.cell(3, 4).text == "455563"
    for table, default_pt in ((requests, 10.5), (appeals, 9.0)):
        grid = _grid(table)
        assert sum(grid) == _text_width(word)  # still exactly the text width
        assert abs(sum(grid) - round(156 * 1440 / 25.4)) <= 1  # 210 mm − 28 mm − 26 mm
        pad = 2 * _cell_margin(table)
        for row in table.rows:
            for c, cell in enumerate(row.cells):
                text = cell.text
                if not text.isdigit():
                    continue
                assert "\n" not in text
                size = _cell_size_pt(cell, default_pt)
                inner = grid[c] - pad
                # digits are half a character wide
                assert len(text) * size * 10 <= inner, (text, c, grid[c])


def test_small_numbers_keep_the_format_widths(tmp_path, sample_data):
    """The sample's tables (at most 4 digits in 表三) keep the format's proportions."""
    word = _word(tmp_path, sample_data)
    grid = _grid(word.tables[1])
    weights = (1.0, 1.5, 4.4, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8)
    expected = [int(_text_width(word) * w / sum(weights)) for w in weights]
    assert grid[:9] == expected[:9]
    # no size override on any run of the tables
    for table in word.tables:
        assert table._tbl.find(f".//{qn('w:r')}/{qn('w:rPr')}/{qn('w:sz')}") is None


def test_too_many_digits_shrink_the_table_text(tmp_path, sample_data):
    """Seven-digit counts in every 表四 column cannot fit at 小五: the text is made smaller
    instead of breaking the numbers."""
    row = [1234567, 1234567, 1234567, 1234567, 4938268]
    sample_data["appeals"] = {
        "reconsideration": row,
        "litigation_direct": row,
        "litigation_after_reconsideration": row,
    }
    word = _word(tmp_path, sample_data)
    appeals = word.tables[2]
    grid = _grid(appeals)
    pad = 2 * _cell_margin(appeals)
    size = _cell_size_pt(appeals.cell(3, 0), 9.0)
    assert size < 9.0
    for c in range(15):
        text = appeals.cell(3, c).text
        assert len(text) * size * 10 <= grid[c] - pad


def test_tables_fill_an_office_templates_text_width(tmp_path, sample_data):
    tpl = docx.Document()
    section = tpl.sections[0]
    section.left_margin = section.right_margin = Mm(20)
    section.page_width = Mm(210)
    tpl.add_paragraph("某某局文件")
    tpl.add_paragraph("{{ 正文 }}")
    path = tmp_path / "office.docx"
    tpl.save(str(path))
    word = _word(tmp_path, sample_data, template=path)
    width = round(170 * 1440 / 25.4)
    for table in word.tables:
        assert abs(sum(_grid(table)) - width) <= 1
        assert table._tbl.tblPr.find(qn("w:tblW")).get(qn("w:w")) == str(sum(_grid(table)))


def test_column_headers_break_evenly(tmp_path, sample_data):
    word = _word(tmp_path, _big_city(sample_data))
    appeals = word.tables[2]
    headers = {appeals.cell(1, c).text for c in range(4)} | {
        appeals.cell(2, c).text for c in range(5, 15)
    }
    # four-character headers in narrow columns: two lines of two, never 其他结 / 果
    assert headers <= {"结果\n维持", "结果\n纠正", "其他\n结果", "尚未\n审结", "总计"}, headers
    assert "其他\n结果" in headers


def test_fit_widths_takes_room_from_the_others():
    assert fit_widths([100, 100, 100], [0, 150, 0], [40, 40, 40]) == [75, 150, 75]
    assert fit_widths([100, 100, 100], [0, 0, 0], [40, 40, 40]) == [100, 100, 100]
    assert fit_widths([100, 100], [190, 0], [40, 40]) is None
    widths = fit_widths([101, 100, 100], [0, 150, 0], [40, 40, 40])
    assert widths is not None and sum(widths) == 301 and widths[1] == 150
