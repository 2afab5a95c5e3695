"""The workbook as a spreadsheet program sees it: LibreOffice recalculates every formula."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from conftest import SAMPLE_JSON
from helpers.libreoffice import recalc_xlsx

from gdr_gen.formats.workbook_layout import layout_for
from gdr_gen.model import Subsection
from gdr_gen.readers import load_report
from gdr_gen.readers.xlsx_reader import read_workbook
from gdr_gen.writers.json_writer import dumps
from gdr_gen.writers.xlsx_writer import write_workbook

pytestmark = pytest.mark.slow


def _rich_report():
    """The sample plus the awkward values: a date, 6-decimal and trailing-zero money,
    text that looks like a formula, several paragraphs in one cell."""
    r = load_report(SAMPLE_JSON).report
    r.publish_date = date(2023, 1, 20)
    r.proactive.money["fees"] = Decimal("24252.311082")
    r.processing_fee.cases = 2
    r.processing_fee.amount_yuan = Decimal("150.50")
    r.narrative.other.sections.append(Subsection("=不是公式", "第一段\n第二段"))
    r.requests.rows["carried_over"].values = [2, 0, 1, 0, 0, 0]
    r.requests.rows["carried_forward"].values = [1, 0, 1, 0, 0, 0]
    r.requests.rows["granted"].values[0] += 1
    r.appeals.rows["reconsideration"].values = [1, 2, 0, 1]
    for row in (*r.requests.rows.values(), *r.appeals.rows.values()):
        row.declared_total = None  # the totals as given no longer hold: recompute
    r.requests.declared_total = None
    return r


def test_formulas_recalculated_by_libreoffice_equal_the_model(tmp_path):
    report = _rich_report()
    (tmp_path / "in").mkdir()
    book = write_workbook(report, tmp_path / "in" / "book.xlsx")
    saved = recalc_xlsx(book, tmp_path / "lo")
    layout = layout_for(report.spec)
    values = openpyxl.load_workbook(saved, data_only=True)
    formulas = openpyxl.load_workbook(saved)
    checked = 0
    for ts in layout.tables:
        for gc in ts.table.value_cells():
            if gc.role != "total":
                continue
            assert gc.ref is not None
            ref = openpyxl.utils.get_column_letter(ts.origin_col + gc.col) + str(
                ts.origin_row + gc.row
            )
            assert str(formulas[ts.sheet][ref].value).startswith("=SUM(")
            assert values[ts.sheet][ref].value == report.computed(gc.ref), f"{ts.sheet}!{ref}"
            checked += 1
    assert checked == 25 + 6 + 3  # 总计 column of 表三, its （七） row, 表四's three 总计
    # the workbook LibreOffice saved reads back to the same data, without findings
    back = read_workbook(saved)
    assert back.findings == []
    assert dumps(back.report) == dumps(report)
