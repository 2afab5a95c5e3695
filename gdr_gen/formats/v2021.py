"""The official 2021 format (国办公开办函〔2021〕30号), as data.

Labels are verbatim: full-width parentheses, curly quotes in “三安全一稳定”, item numbers
``1.`` with an ASCII full stop. The grids reproduce the official merges exactly.
"""

from __future__ import annotations

from .base import (
    CellRole,
    DocRowDef,
    FormatSpec,
    GridCell,
    RowDef,
    SectionSpec,
    TableSpec,
    ValueKind,
    ValuePath,
)

VERSION = "2021"

SECTIONS = (
    SectionSpec("一", "总体情况", narrative_key="overview"),
    SectionSpec("二", "主动公开政府信息情况", table_key="proactive"),
    SectionSpec("三", "收到和处理政府信息公开申请情况", table_key="requests"),
    SectionSpec("四", "政府信息公开行政复议、行政诉讼情况", table_key="appeals"),
    SectionSpec("五", "存在的主要问题及改进情况", narrative_key="problems"),
    SectionSpec("六", "其他需要报告的事项", narrative_key="other"),
)

# ---------------------------------------------------------------- 表二
DOC_ROWS = (DocRowDef("rules", "规章"), DocRowDef("normative_documents", "行政规范性文件"))
DOC_COLUMNS = (
    ("issued", "本年制发件数"),
    ("repealed", "本年废止件数"),
    ("in_force", "现行有效件数"),
)
DECISION_KEYS = (("licensing", "行政许可"), ("penalty", "行政处罚"), ("coercion", "行政强制"))
MONEY_KEYS = (("fees", "行政事业性收费"),)

_ITEM_HEADER = "信息内容"
_DECISIONS = "本年处理决定数量"
_labels = dict(DECISION_KEYS) | dict(MONEY_KEYS)

# (block title, column headers, rows of (label, value paths))
_PROACTIVE_BLOCKS: tuple[
    tuple[str, tuple[str, ...], tuple[tuple[str, tuple[ValuePath, ...]], ...]], ...
] = (
    (
        "第二十条第（一）项",
        tuple(label for _, label in DOC_COLUMNS),
        tuple((d.label, tuple(("proactive", d.key, k) for k, _ in DOC_COLUMNS)) for d in DOC_ROWS),
    ),
    ("第二十条第（五）项", (_DECISIONS,), ((_labels["licensing"], (("proactive", "licensing"),)),)),
    (
        "第二十条第（六）项",
        (_DECISIONS,),
        (
            (_labels["penalty"], (("proactive", "penalty"),)),
            (_labels["coercion"], (("proactive", "coercion"),)),
        ),
    ),
    (
        "第二十条第（八）项",
        ("本年收费金额（单位：万元）",),
        ((_labels["fees"], (("proactive", "fees"),)),),
    ),
)


def _proactive_grid() -> TableSpec:
    n_cols = 4
    cells: list[GridCell] = []
    r = 0
    for title, headers, rows in _PROACTIVE_BLOCKS:
        cells.append(GridCell(r, 0, title, colspan=n_cols, role="title"))
        r += 1
        cells.append(GridCell(r, 0, _ITEM_HEADER, role="header"))
        span = (n_cols - 1) // len(headers)
        for i, h in enumerate(headers):
            cells.append(GridCell(r, 1 + i * span, h, colspan=span, role="header"))
        r += 1
        for label, paths in rows:
            cells.append(GridCell(r, 0, label, role="label"))
            span = (n_cols - 1) // len(paths)
            for i, p in enumerate(paths):
                kind: ValueKind = "money" if p[1] in dict(MONEY_KEYS) else "count"
                cells.append(
                    GridCell(r, 1 + i * span, ref=p, colspan=span, role="value", kind=kind)
                )
            r += 1
    return TableSpec(
        key="proactive",
        name="表二",
        n_rows=r,
        n_cols=n_cols,
        header_rows=0,
        cells=tuple(cells),
        col_weights=(2.2, 1.6, 1.6, 1.6),
    )


# ---------------------------------------------------------------- 表三
APPLICANT_COLUMNS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
LEGAL_PERSON_GROUP = "法人或其他组织"
TOTAL = "总计"
RESULTS = "三、本年度办理结果"
_W = "（三）不予公开"
_U = "（四）无法提供"
_N = "（五）不予处理"
_O = "（六）其他处理"

_REQUEST_ROWS = (
    RowDef("new", "一、本年新收政府信息公开申请数量", short="一、本年新收"),
    RowDef("carried_over", "二、上年结转政府信息公开申请数量", short="二、上年结转"),
    RowDef("granted", "（一）予以公开", RESULTS, is_result=True),
    RowDef(
        "partially_granted",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        RESULTS,
        is_result=True,
        short="（二）部分公开",
    ),
    RowDef("withheld_state_secret", "1.属于国家秘密", RESULTS, _W, True),
    RowDef("withheld_law_prohibited", "2.其他法律行政法规禁止公开", RESULTS, _W, True),
    RowDef("withheld_security_stability", "3.危及“三安全一稳定”", RESULTS, _W, True),
    RowDef("withheld_third_party", "4.保护第三方合法权益", RESULTS, _W, True),
    RowDef("withheld_internal_affairs", "5.属于三类内部事务信息", RESULTS, _W, True),
    RowDef("withheld_process_info", "6.属于四类过程性信息", RESULTS, _W, True),
    RowDef("withheld_enforcement_files", "7.属于行政执法案卷", RESULTS, _W, True),
    RowDef("withheld_inquiry", "8.属于行政查询事项", RESULTS, _W, True),
    RowDef("unavailable_not_held", "1.本机关不掌握相关政府信息", RESULTS, _U, True),
    RowDef("unavailable_needs_compilation", "2.没有现成信息需要另行制作", RESULTS, _U, True),
    RowDef("unavailable_still_unclear", "3.补正后申请内容仍不明确", RESULTS, _U, True),
    RowDef("not_processed_petition", "1.信访举报投诉类申请", RESULTS, _N, True),
    RowDef("not_processed_repeated", "2.重复申请", RESULTS, _N, True),
    RowDef("not_processed_publication", "3.要求提供公开出版物", RESULTS, _N, True),
    RowDef("not_processed_excessive", "4.无正当理由大量反复申请", RESULTS, _N, True),
    RowDef(
        "not_processed_confirmation", "5.要求行政机关确认或重新出具已获取信息", RESULTS, _N, True
    ),
    RowDef(
        "other_no_correction",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        RESULTS,
        _O,
        True,
        short="（六）1.逾期不补正",
    ),
    RowDef(
        "other_fee_unpaid",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        RESULTS,
        _O,
        True,
        short="（六）2.逾期未缴费",
    ),
    RowDef("other_misc", "3.其他", RESULTS, _O, True),
    RowDef("total", "（七）总计", RESULTS, is_total=True),
    RowDef("carried_forward", "四、结转下年度继续办理", short="四、结转下年度"),
)
# Rows whose short name is derived: "（三）1.属于国家秘密"
REQUEST_ROWS: tuple[RowDef, ...] = tuple(
    r
    if r.short or not r.subgroup
    else RowDef(
        r.key, r.label, r.group, r.subgroup, r.is_result, r.is_total, r.subgroup[:3] + r.label
    )
    for r in _REQUEST_ROWS
)

REQUESTS_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
APPLICANTS = "申请人情况"


def _span_run(rows: tuple[RowDef, ...], i: int, attr: str) -> int:
    value = getattr(rows[i], attr)
    n = 1
    while i + n < len(rows) and getattr(rows[i + n], attr) == value:
        n += 1
    return n


def _requests_grid() -> TableSpec:
    n_cols = 10
    cells: list[GridCell] = [
        GridCell(0, 0, REQUESTS_NOTE, rowspan=3, colspan=3, role="header"),
        GridCell(0, 3, APPLICANTS, colspan=7, role="header"),
        GridCell(1, 3, APPLICANT_COLUMNS[0], rowspan=2, role="header"),
        GridCell(1, 4, LEGAL_PERSON_GROUP, colspan=5, role="header"),
        GridCell(1, 9, TOTAL, rowspan=2, role="header"),
    ]
    for i, name in enumerate(APPLICANT_COLUMNS[1:]):
        cells.append(GridCell(2, 4 + i, name, role="header"))
    header = 3
    rows = REQUEST_ROWS
    for i, row in enumerate(rows):
        r = header + i
        if row.group is None:
            cells.append(GridCell(r, 0, row.label, colspan=3))
        else:
            if i == 0 or rows[i - 1].group != row.group:
                cells.append(GridCell(r, 0, row.group, rowspan=_span_run(rows, i, "group")))
            if row.subgroup is None:
                cells.append(GridCell(r, 1, row.label, colspan=2))
            else:
                if rows[i - 1].subgroup != row.subgroup:
                    cells.append(
                        GridCell(r, 1, row.subgroup, rowspan=_span_run(rows, i, "subgroup"))
                    )
                cells.append(GridCell(r, 2, row.label))
        for k in range(len(APPLICANT_COLUMNS) + 1):
            computed = row.is_total or k == len(APPLICANT_COLUMNS)
            cells.append(
                GridCell(
                    r,
                    3 + k,
                    ref=("requests", row.key, k),
                    role="total" if computed else "value",
                )
            )
    return TableSpec(
        key="requests",
        name="表三",
        n_rows=header + len(rows),
        n_cols=n_cols,
        header_rows=header,
        cells=tuple(cells),
        col_weights=(1.0, 1.5, 4.4, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8),
    )


# ---------------------------------------------------------------- 表四
APPEAL_OUTCOMES = ("结果维持", "结果纠正", "其他结果", "尚未审结")
APPEAL_ROWS = (
    RowDef("reconsideration", "行政复议"),
    RowDef(
        "litigation_direct", "未经复议直接起诉", "行政诉讼", short="行政诉讼（未经复议直接起诉）"
    ),
    RowDef(
        "litigation_after_reconsideration", "复议后起诉", "行政诉讼", short="行政诉讼（复议后起诉）"
    ),
)


def _appeals_grid() -> TableSpec:
    width = len(APPEAL_OUTCOMES) + 1
    cells: list[GridCell] = []
    col = 0
    data_row = 3
    for i, row in enumerate(APPEAL_ROWS):
        if row.group is None:
            cells.append(GridCell(0, col, row.label, colspan=width, role="header"))
            for k, name in enumerate((*APPEAL_OUTCOMES, TOTAL)):
                cells.append(GridCell(1, col + k, name, rowspan=2, role="header"))
        else:
            if APPEAL_ROWS[i - 1].group != row.group:
                n = _span_run(APPEAL_ROWS, i, "group")
                cells.append(GridCell(0, col, row.group, colspan=width * n, role="header"))
            cells.append(GridCell(1, col, row.label, colspan=width, role="header"))
            for k, name in enumerate((*APPEAL_OUTCOMES, TOTAL)):
                cells.append(GridCell(2, col + k, name, role="header"))
        for k in range(width):
            role: CellRole = "total" if k == width - 1 else "value"
            cells.append(GridCell(data_row, col + k, ref=("appeals", row.key, k), role=role))
        col += width
    return TableSpec(
        key="appeals",
        name="表四",
        n_rows=data_row + 1,
        n_cols=col,
        header_rows=data_row,
        cells=tuple(cells),
        col_weights=(1.0,) * col,
    )


FORMAT_2021 = FormatSpec(
    version=VERSION,
    name="国办公开办函〔2021〕30号",
    sections=SECTIONS,
    tables=(_proactive_grid(), _requests_grid(), _appeals_grid()),
    applicant_columns=APPLICANT_COLUMNS,
    request_rows=REQUEST_ROWS,
    appeal_outcomes=APPEAL_OUTCOMES,
    appeal_rows=APPEAL_ROWS,
    doc_rows=DOC_ROWS,
    doc_columns=DOC_COLUMNS,
    decision_keys=DECISION_KEYS,
    money_keys=MONEY_KEYS,
    extras={
        "legal_person_group": LEGAL_PERSON_GROUP,
        "results_group": RESULTS,
        "title_suffix": "年政府信息公开工作年度报告",
    },
)
