"""What an office worker does to the workbook, and what they are told (review of issue UX).

Each test edits a private copy of the sample workbook the way people do, then asserts on
the finding (rule, cell, words) or on the generated report.
"""

from __future__ import annotations

from pathlib import Path

from helpers.books import digest, edit, sample_book, set_cell

from gdr_gen.readers.xlsx_reader import read_workbook


def _findings(path: Path, rule: str | None = None) -> list:
    loaded = read_workbook(path)
    return [f for f in loaded.findings if rule is None or f.rule == rule]


# ---------------------------------------------------------------- counts typed as text
def test_leading_apostrophe_is_the_number(tmp_path):
    """A value pasted as '38 (the "keep as text" mark) is read as 38, like 38 or 38件."""
    book = set_cell(sample_book(tmp_path), "表三", "D6", "'38")
    loaded = read_workbook(book)
    assert [f for f in loaded.findings if f.rule.startswith("VAL")] == []
    assert loaded.report.requests.row("new").values[0] == 38
    book = set_cell(book, "表二", "B16", "'3857.85")
    assert str(read_workbook(book).report.proactive.money["fees"]) == "3857.85"


def test_text_number_under_a_recalculated_total_is_explained(tmp_path):
    """Excel/WPS/LibreOffice leave text out of SUM: the grey total shows 1, not 13. The
    finding says why (the text cell), as a warning: the report uses the recomputed 13."""
    from helpers.libreoffice import recalc_xlsx

    book = set_cell(sample_book(tmp_path), "表三", "D6", "12件")
    saved = recalc_xlsx(book, tmp_path / "lo")
    [f] = _findings(saved, "XL-01")
    assert f.location == "表三!J6"
    assert f.severity.value == "warning"
    assert "显示为 1" in f.message and "应为 13" in f.message
    assert "表三!D6" in f.message and "文本" in f.message
    assert "计算结果未更新" not in f.message


def test_text_number_in_a_result_row_is_reported_once_per_own_total(tmp_path):
    """Text in D8 shows in D29 (column total) and J8 (row total); J29 adds up totals that
    already show the gap, so it is not reported a third time."""
    from helpers.libreoffice import recalc_xlsx

    book = set_cell(sample_book(tmp_path), "表三", "D8", "17")
    saved = recalc_xlsx(book, tmp_path / "lo")
    found = _findings(saved, "XL-01")
    assert {f.location for f in found} == {"表三!D29", "表三!J8"}
    assert all(f.severity.value == "warning" and "表三!D8" in f.message for f in found)


def test_words_typed_over_a_total(tmp_path):
    book = set_cell(sample_book(tmp_path), "表三", "D29", "abc")
    [f] = _findings(book, "XL-01")
    assert f.location == "表三!D29"
    assert "改写为文字" in f.message and "改写为数字" not in f.message


# ---------------------------------------------------------------- subsections
def test_numbered_subsection_title_is_not_numbered_twice(tmp_path, cli):
    book = set_cell(sample_book(tmp_path), "一、总体情况", "B5", "（一）提升主动公开质量")
    book = set_cell(book, "一、总体情况", "B6", "二、规范依申请公开办理")
    sections = read_workbook(book).report.narrative.overview.sections
    assert [s.title for s in sections[:2]] == ["提升主动公开质量", "规范依申请公开办理"]
    out = tmp_path / "report.docx"
    r = cli("build", book, "-o", out)
    assert r.code == 0, r.out + r.err
    import docx

    headings = [p.text for p in docx.Document(str(out)).paragraphs if p.text.startswith("（")]
    assert "（一）提升主动公开质量" in headings
    assert "（二）规范依申请公开办理" in headings
    assert not any("（一）（一）" in h or "（二）二、" in h for h in headings)


def test_text_without_a_title_is_an_error_at_the_title_cell(tmp_path, cli):
    book = set_cell(sample_book(tmp_path), "一、总体情况", "C10", "没有小标题的一段。")
    before = digest(book)
    [f] = _findings(book, "DATA-01")
    assert f.location == "一、总体情况!B10"
    assert f.severity.value == "error"
    assert "没有小标题" in f.message and "Alt+Enter" in f.message
    r = cli("build", book, "-o", tmp_path / "r.docx")
    assert r.code == 1 and "一、总体情况!B10" in r.out
    assert not (tmp_path / "r.docx").exists()
    assert digest(book) == before


def test_title_without_text_is_a_warning_at_the_text_cell(tmp_path):
    book = set_cell(sample_book(tmp_path), "五、存在的主要问题及改进情况", "B7", "下一步打算")
    [f] = _findings(book, "DATA-01")
    assert f.location == "五、存在的主要问题及改进情况!C7"
    assert f.severity.value == "warning"
    assert "“下一步打算”下没有正文" in f.message


def test_a_number_alone_in_the_title_column_is_no_title(tmp_path):
    """People copy the numbering column: “（六）” alone with no text is an empty row."""

    def change(wb):
        wb["一、总体情况"]["B10"] = "（六）"

    book = edit(sample_book(tmp_path), change)
    loaded = read_workbook(book)
    assert len(loaded.report.narrative.overview.sections) == 5
    assert [f for f in loaded.findings if f.rule == "DATA-01"] == []
