"""The 2021 format definition against the official specification (国办公开办函〔2021〕30号).

The expected labels are written out literally (copied from the specification), so a typo in
the definition (a half-width parenthesis, straight quotes, "1、") fails here.
"""

from __future__ import annotations

import pytest

from gdr_gen.formats import TableSpec, get_format

SPEC = get_format("2021")


def _table(key: str) -> TableSpec:
    return SPEC.table(key)


def _labels(table: TableSpec) -> set[tuple[int, int, int, int, str]]:
    """Every label cell as (row, col, rowspan, colspan, text)."""
    return {
        (c.row, c.col, c.rowspan, c.colspan, c.text or "") for c in table.cells if c.ref is None
    }


def _values(table: TableSpec) -> dict[tuple[int, int], tuple[tuple[str | int, ...], int, int]]:
    return {(c.row, c.col): (c.ref, c.rowspan, c.colspan) for c in table.cells if c.ref is not None}


@pytest.mark.parametrize("key", ["proactive", "requests", "appeals"])
def test_grid_is_fully_covered_without_overlap(key: str) -> None:
    table = _table(key)
    seen: dict[tuple[int, int], object] = {}
    for cell in table.cells:
        assert cell.rowspan >= 1 and cell.colspan >= 1
        for r in range(cell.row, cell.row + cell.rowspan):
            for k in range(cell.col, cell.col + cell.colspan):
                assert 0 <= r < table.n_rows and 0 <= k < table.n_cols, (cell, table.name)
                assert (r, k) not in seen, f"{table.name}: {cell} overlaps {seen[(r, k)]}"
                seen[(r, k)] = cell
    assert len(seen) == table.n_rows * table.n_cols
    assert set(table.covered()) == set(seen)


def test_every_value_cell_has_text_or_ref_not_both() -> None:
    for table in SPEC.tables:
        for cell in table.cells:
            assert (cell.text is None) != (cell.ref is None), cell


def test_table_two_grid() -> None:
    t = _table("proactive")
    assert (t.name, t.n_cols, t.n_rows) == ("表二", 4, 14)
    assert _labels(t) == {
        (0, 0, 1, 4, "第二十条第（一）项"),
        (1, 0, 1, 1, "信息内容"),
        (1, 1, 1, 1, "本年制发件数"),
        (1, 2, 1, 1, "本年废止件数"),
        (1, 3, 1, 1, "现行有效件数"),
        (2, 0, 1, 1, "规章"),
        (3, 0, 1, 1, "行政规范性文件"),
        (4, 0, 1, 4, "第二十条第（五）项"),
        (5, 0, 1, 1, "信息内容"),
        (5, 1, 1, 3, "本年处理决定数量"),
        (6, 0, 1, 1, "行政许可"),
        (7, 0, 1, 4, "第二十条第（六）项"),
        (8, 0, 1, 1, "信息内容"),
        (8, 1, 1, 3, "本年处理决定数量"),
        (9, 0, 1, 1, "行政处罚"),
        (10, 0, 1, 1, "行政强制"),
        (11, 0, 1, 4, "第二十条第（八）项"),
        (12, 0, 1, 1, "信息内容"),
        (12, 1, 1, 3, "本年收费金额（单位：万元）"),
        (13, 0, 1, 1, "行政事业性收费"),
    }
    assert _values(t) == {
        (2, 1): (("proactive", "rules", "issued"), 1, 1),
        (2, 2): (("proactive", "rules", "repealed"), 1, 1),
        (2, 3): (("proactive", "rules", "in_force"), 1, 1),
        (3, 1): (("proactive", "normative_documents", "issued"), 1, 1),
        (3, 2): (("proactive", "normative_documents", "repealed"), 1, 1),
        (3, 3): (("proactive", "normative_documents", "in_force"), 1, 1),
        (6, 1): (("proactive", "licensing"), 1, 3),
        (9, 1): (("proactive", "penalty"), 1, 3),
        (10, 1): (("proactive", "coercion"), 1, 3),
        (13, 1): (("proactive", "fees"), 1, 3),
    }
    kinds = {c.ref: c.kind for c in t.value_cells()}
    assert kinds.pop(("proactive", "fees")) == "money"
    assert set(kinds.values()) == {"count"}


# Data rows of 表三, top to bottom: (JSON key, label cell text). Copied from the specification.
REQUEST_ROWS = [
    ("new", "一、本年新收政府信息公开申请数量"),
    ("carried_over", "二、上年结转政府信息公开申请数量"),
    ("granted", "（一）予以公开"),
    ("partially_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ("withheld_state_secret", "1.属于国家秘密"),
    ("withheld_law_prohibited", "2.其他法律行政法规禁止公开"),
    ("withheld_security_stability", "3.危及“三安全一稳定”"),
    ("withheld_third_party", "4.保护第三方合法权益"),
    ("withheld_internal_affairs", "5.属于三类内部事务信息"),
    ("withheld_process_info", "6.属于四类过程性信息"),
    ("withheld_enforcement_files", "7.属于行政执法案卷"),
    ("withheld_inquiry", "8.属于行政查询事项"),
    ("unavailable_not_held", "1.本机关不掌握相关政府信息"),
    ("unavailable_needs_compilation", "2.没有现成信息需要另行制作"),
    ("unavailable_still_unclear", "3.补正后申请内容仍不明确"),
    ("not_processed_petition", "1.信访举报投诉类申请"),
    ("not_processed_repeated", "2.重复申请"),
    ("not_processed_publication", "3.要求提供公开出版物"),
    ("not_processed_excessive", "4.无正当理由大量反复申请"),
    ("not_processed_confirmation", "5.要求行政机关确认或重新出具已获取信息"),
    (
        "other_no_correction",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    ),
    (
        "other_fee_unpaid",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    ),
    ("other_misc", "3.其他"),
    ("total", "（七）总计"),
    ("carried_forward", "四、结转下年度继续办理"),
]


def test_table_three_header() -> None:
    t = _table("requests")
    assert (t.name, t.n_cols, t.n_rows, t.header_rows) == ("表三", 10, 28, 3)
    header = {c for c in _labels(t) if c[0] < 3}
    assert header == {
        (0, 0, 3, 3, "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"),
        (0, 3, 1, 7, "申请人情况"),
        (1, 3, 2, 1, "自然人"),
        (1, 4, 1, 5, "法人或其他组织"),
        (1, 9, 2, 1, "总计"),
        (2, 4, 1, 1, "商业企业"),
        (2, 5, 1, 1, "科研机构"),
        (2, 6, 1, 1, "社会公益组织"),
        (2, 7, 1, 1, "法律服务机构"),
        (2, 8, 1, 1, "其他"),
    }


def test_table_three_body_labels_and_merges() -> None:
    t = _table("requests")
    body = {c for c in _labels(t) if c[0] >= 3}
    expected = {
        (3, 0, 1, 3, "一、本年新收政府信息公开申请数量"),
        (4, 0, 1, 3, "二、上年结转政府信息公开申请数量"),
        (5, 0, 22, 1, "三、本年度办理结果"),
        (5, 1, 1, 2, "（一）予以公开"),
        (6, 1, 1, 2, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
        (7, 1, 8, 1, "（三）不予公开"),
        (15, 1, 3, 1, "（四）无法提供"),
        (18, 1, 5, 1, "（五）不予处理"),
        (23, 1, 3, 1, "（六）其他处理"),
        (26, 1, 1, 2, "（七）总计"),
        (27, 0, 1, 3, "四、结转下年度继续办理"),
    }
    # The numbered items sit in column c2, one per row, rows 7-25.
    for i, (_key, label) in enumerate(REQUEST_ROWS):
        if label[0].isdigit():
            expected.add((3 + i, 2, 1, 1, label))
    assert body == expected


def test_table_three_value_cells() -> None:
    t = _table("requests")
    values = _values(t)
    assert len(values) == 175  # 25 data rows x 7 values
    for i, (key, _label) in enumerate(REQUEST_ROWS):
        for k in range(7):
            assert values[(3 + i, 3 + k)] == (("requests", key, k), 1, 1)
    # Computed cells: the 总计 column and the whole （七）总计 row.
    totals = {c.ref for c in t.value_cells() if c.role == "total"}
    assert totals == {("requests", key, 6) for key, _ in REQUEST_ROWS} | {
        ("requests", "total", k) for k in range(7)
    }


def test_request_row_definitions_match_the_data_format() -> None:
    assert [(r.key, r.label) for r in SPEC.request_rows] == REQUEST_ROWS
    assert [r.key for r in SPEC.result_rows] == [k for k, _ in REQUEST_ROWS[2:23]]
    assert SPEC.applicant_columns == (
        "自然人",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
    )


def test_table_four_grid() -> None:
    t = _table("appeals")
    assert (t.name, t.n_cols, t.n_rows, t.header_rows) == ("表四", 15, 4, 3)
    outcomes = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    expected = {
        (0, 0, 1, 5, "行政复议"),
        (0, 5, 1, 10, "行政诉讼"),
        (1, 5, 1, 5, "未经复议直接起诉"),
        (1, 10, 1, 5, "复议后起诉"),
    }
    expected |= {(1, k, 2, 1, name) for k, name in enumerate(outcomes)}
    expected |= {(2, 5 + k, 1, 1, name) for k, name in enumerate(outcomes)}
    expected |= {(2, 10 + k, 1, 1, name) for k, name in enumerate(outcomes)}
    assert _labels(t) == expected
    keys = ["reconsideration", "litigation_direct", "litigation_after_reconsideration"]
    assert _values(t) == {
        (3, 5 * i + k): (("appeals", key, k), 1, 1) for i, key in enumerate(keys) for k in range(5)
    }


def test_sections_verbatim() -> None:
    assert [s.heading for s in SPEC.sections] == [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]
    assert SPEC.name == "国办公开办函〔2021〕30号"


def test_label_of_names_cells_in_chinese() -> None:
    assert SPEC.label_of(("requests", "new", 0)) == "表三「一、本年新收」自然人"
    assert (
        SPEC.label_of(("requests", "withheld_state_secret", 6))
        == "表三「（三）1.属于国家秘密」总计"
    )
    assert SPEC.label_of(("appeals", "litigation_direct", 3)) == (
        "表四「行政诉讼（未经复议直接起诉）」尚未审结"
    )
    assert SPEC.label_of(("proactive", "rules", "in_force")) == "表二「规章」现行有效件数"
    assert SPEC.label_of(("proactive", "fees")) == "表二「行政事业性收费」"
