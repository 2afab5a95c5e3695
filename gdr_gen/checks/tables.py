"""Rules that need only this year's tables (VAL, T2, T3, T4)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from ..formats import ValuePath
from .engine import CheckContext, Finding, Term, W, compare, fmt, implements

# A fee in 万元 above this looks like 元 were typed (100 亿元 of 行政事业性收费 in one year).
FEE_LOOKS_LIKE_YUAN = Decimal("1000000")
MAX_FEE_DECIMALS = 6


def _count_paths(ctx: CheckContext) -> Iterator[ValuePath]:
    """Every count the input gave: plain values and the 总计 cells that were declared."""
    for table in ctx.spec.tables:
        for cell in table.value_cells():
            assert cell.ref is not None
            if cell.kind == "count" and (cell.role == "value" or _declared(ctx, cell.ref)):
                yield cell.ref


def _declared(ctx: CheckContext, path: ValuePath) -> bool:
    """A 总计 cell whose value the input gave (not computed from its parts)."""
    head, key = path[0], str(path[1])
    requests = ctx.report.requests
    if head == "requests" and key == "total" and requests.declared_total is None:
        return False
    row = requests.row(key) if head == "requests" else ctx.report.appeals.row(key)
    return int(path[2]) < len(row.values) or row.declared_total is not None


def unusable_values(ctx: CheckContext) -> set[ValuePath]:
    """Values no rule may sum: negative counts (VAL-01) and negative amounts (VAL-02).

    ``run_checks`` adds them to ``ctx.invalid`` before any rule runs, so whether the T3 rules
    compare a column does not depend on whether VAL-01 ran first (or at all: ``only=``)."""
    out = {p for p in _count_paths(ctx) if p not in ctx.invalid and ctx.v(p) < 0}
    for key, _ in ctx.spec.money_keys:
        path: ValuePath = ("proactive", key)
        if path not in ctx.invalid and ctx.report.proactive.money[key] < 0:
            out.add(path)
    return out


@implements("VAL-01")
def negative_counts(ctx: CheckContext) -> Iterator[Finding]:
    """Type errors are found by the readers; here: counts below zero (also via the API)."""
    for path in _count_paths(ctx):
        value = ctx.v(path)
        if value < 0:
            yield ctx.finding(
                "VAL-01",
                ctx.locator.cell(path),
                f"{ctx.spec.label_of(path)} 为 {fmt(value)}，件数不能为负数",
                paths=[path],
            )
    cases = ctx.report.processing_fee.cases
    if cases is not None and cases < 0:
        yield ctx.finding(
            "VAL-01",
            ctx.locator.field("processing_fee.cases"),
            f"信息处理费收费件数为 {cases}，不能为负数",
        )


@implements("VAL-02")
def fee_amount(ctx: CheckContext) -> Iterator[Finding]:
    for key, label in ctx.spec.money_keys:
        path: ValuePath = ("proactive", key)
        amount = ctx.report.proactive.money[key]
        if path in ctx.invalid and amount >= 0:
            continue  # unreadable (the reader said so); a negative amount is reported here
        where = ctx.locator.cell(path)
        unit = ctx.spec.money_unit
        if amount < 0:
            yield ctx.finding(
                "VAL-02", where, f"表二「{label}」为 {fmt(amount)}，金额不能为负数", paths=[path]
            )
            continue
        # Trailing zeros add no precision: 3857.8500000 has 2 decimals.
        exponent = amount.normalize().as_tuple().exponent
        if isinstance(exponent, int) and -exponent > MAX_FEE_DECIMALS:
            yield ctx.finding(
                "VAL-02",
                where,
                f"表二「{label}」为 {fmt(amount)}{unit}，小数超过 {MAX_FEE_DECIMALS} 位（精确到 0.01 元），"
                "请确认单位",
                severity=W,
                paths=[path],
            )
        if amount > FEE_LOOKS_LIKE_YUAN:
            yield ctx.finding(
                "VAL-02",
                where,
                f"表二「{label}」为 {fmt(amount)}{unit}（即 {fmt(amount / 10000)} 亿元），"
                f"疑似按元填写；本栏单位是{unit}",
                severity=W,
                paths=[path],
            )
    fee = ctx.report.processing_fee.amount_yuan
    if fee < 0:
        yield ctx.finding(
            "VAL-02",
            ctx.locator.field("processing_fee.amount_yuan"),
            f"信息处理费金额为 {fmt(fee)} 元，不能为负数",
        )


@implements("VAL-03")
def rules_row_without_power(ctx: CheckContext) -> Iterator[Finding]:
    if ctx.report.rulemaking:
        return
    for key, col in ctx.spec.doc_columns:
        path: ValuePath = ("proactive", "rules", key)
        value = ctx.v(path)
        if path not in ctx.invalid and value != 0:
            yield ctx.finding(
                "VAL-03",
                ctx.locator.cell(path),
                f"表二「规章」{col} 为 {value}，但本机关没有规章制定权（基本信息：是否有规章制定权 = 否），"
                "应为 0；如确有规章制定权，请在基本信息中改为“是”",
                paths=[path],
            )


@implements("T2-01")
def in_force_chain(ctx: CheckContext) -> Iterator[Finding]:
    for d in ctx.spec.doc_rows:
        issued: ValuePath = ("proactive", d.key, "issued")
        repealed: ValuePath = ("proactive", d.key, "repealed")
        in_force: ValuePath = ("proactive", d.key, "in_force")
        if not ctx.usable([issued, repealed, in_force]):
            continue
        net = ctx.v(issued) - ctx.v(repealed)
        have = ctx.v(in_force)
        if have < net:
            yield ctx.finding(
                "T2-01",
                f"{ctx.locator.cell(in_force)} < {ctx.locator.cell(issued)} − {ctx.locator.cell(repealed)}",
                f"表二「{d.label}」：现行有效件数({have}) 小于 本年制发({ctx.v(issued)}) − "
                f"本年废止({ctx.v(repealed)}) = {net}，相差 {net - have}",
                paths=[in_force, issued, repealed],
            )


def _request_term(ctx: CheckContext, key: str, col: int) -> Term:
    return Term(ctx.spec.request_row(key).display, (("requests", key, col),))


def _column_subject(ctx: CheckContext, col: int) -> str:
    return f"表三「{ctx.spec.request_columns[col]}」列"


@implements("T3-01")
def balance(ctx: CheckContext) -> Iterator[Finding]:
    for col in range(len(ctx.spec.request_columns)):
        f = compare(
            ctx,
            "T3-01",
            _column_subject(ctx, col),
            [_request_term(ctx, "new", col), _request_term(ctx, "carried_over", col)],
            [_request_term(ctx, "total", col), _request_term(ctx, "carried_forward", col)],
        )
        if f:
            yield f


@implements("T3-02")
def results_total(ctx: CheckContext) -> Iterator[Finding]:
    if ctx.report.requests.declared_total is None:
        return  # （七）总计 was not given: it is computed, nothing to compare
    for col in range(len(ctx.spec.request_columns)):
        results = Term(
            "（一）至（六）各项之和",
            tuple(("requests", r.key, col) for r in ctx.spec.result_rows),
        )
        f = compare(
            ctx, "T3-02", _column_subject(ctx, col), [_request_term(ctx, "total", col)], [results]
        )
        if f:
            yield f


@implements("T3-03")
def row_totals(ctx: CheckContext) -> Iterator[Finding]:
    n = len(ctx.spec.applicant_columns)
    for row in ctx.spec.request_rows:
        data = ctx.report.requests.row(row.key)
        if data.declared_total is None:
            continue
        parts = Term(
            f"{ctx.spec.applicant_columns[0]}至{ctx.spec.applicant_columns[-1]}六列之和",
            tuple(("requests", row.key, i) for i in range(n)),
        )
        f = compare(
            ctx,
            "T3-03",
            f"表三「{row.display}」行",
            [Term("总计", (("requests", row.key, n),))],
            [parts],
        )
        if f:
            yield f


@implements("T3-05")
def carry_forward_bound(ctx: CheckContext) -> Iterator[Finding]:
    for col in range(len(ctx.spec.request_columns)):
        f = compare(
            ctx,
            "T3-05",
            _column_subject(ctx, col),
            [_request_term(ctx, "carried_forward", col)],
            [_request_term(ctx, "new", col), _request_term(ctx, "carried_over", col)],
            op="≤",
        )
        if f:
            yield f


@implements("T3-06")
def carry_forward_vs_new(ctx: CheckContext) -> Iterator[Finding]:
    for col in range(len(ctx.spec.request_columns)):
        forward, new, over = (
            ("requests", k, col) for k in ("carried_forward", "new", "carried_over")
        )
        if ctx.usable([forward, new, over]) and ctx.v(forward) > ctx.v(new) + ctx.v(over):
            continue  # T3-05 (an error) already reports this column
        f = compare(
            ctx,
            "T3-06",
            _column_subject(ctx, col) + "（上年结转的申请应在本年办结）",
            [_request_term(ctx, "carried_forward", col)],
            [_request_term(ctx, "new", col)],
            op="≤",
        )
        if f:
            yield f


def _appeal_total(ctx: CheckContext, rule_id: str, key: str) -> Iterator[Finding]:
    row = ctx.spec.appeal_row(key)
    data = ctx.report.appeals.row(key)
    if data.declared_total is None:
        return
    n = len(ctx.spec.appeal_outcomes)
    parts = [Term(name, (("appeals", key, i),)) for i, name in enumerate(ctx.spec.appeal_outcomes)]
    f = compare(
        ctx, rule_id, f"表四「{row.display}」", [Term("总计", (("appeals", key, n),))], parts
    )
    if f:
        yield f


@implements("T4-01")
def reconsideration_total(ctx: CheckContext) -> Iterator[Finding]:
    return _appeal_total(ctx, "T4-01", "reconsideration")


@implements("T4-02")
def direct_litigation_total(ctx: CheckContext) -> Iterator[Finding]:
    return _appeal_total(ctx, "T4-02", "litigation_direct")


@implements("T4-03")
def litigation_after_total(ctx: CheckContext) -> Iterator[Finding]:
    return _appeal_total(ctx, "T4-03", "litigation_after_reconsideration")
