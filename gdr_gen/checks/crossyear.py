"""Checks against last year's report (XY-01 … XY-05, T4-05), given with ``--previous``.

Last year's figures are read from its own file; its locator names its cells in messages.
When the file given as last year is not the year before, one warning says so and the
other cross-year rules stay silent (their comparisons would mean nothing).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator

from ..formats import ValuePath
from ..model import Report
from ..records import record
from .engine import INFO, CheckContext, Finding, Locator, W, implements
from .figures import normalize, split_sentences
from .figures import sentences as prose_sentences

TOTAL = 6
FORMAT_CHANGE_YEAR = 2021  # first statistical year reported in the 2021 format


def _prev(ctx: CheckContext) -> Report:
    assert ctx.previous is not None
    return ctx.previous


def _prev_loc(ctx: CheckContext) -> Locator:
    return ctx.previous_locator or Locator()


def _year_ok(ctx: CheckContext) -> bool:
    return _prev(ctx).year == ctx.report.year - 1


def _prev_cell(ctx: CheckContext, path: ValuePath) -> str:
    return f"上年 {_prev_loc(ctx).cell(path)}"


@implements("XY-01", needs={"previous", "year"})
def carry_over(ctx: CheckContext) -> Iterator[Finding]:
    prev = _prev(ctx)
    if not _year_ok(ctx):
        yield ctx.finding(
            "XY-01",
            ctx.locator.field("year"),
            f"作为上年报告提供的文件是 {prev.year} 年度的，本报告是 {ctx.report.year} 年度：跨年度核对需要 "
            f"{ctx.report.year - 1} 年度的报告，已跳过跨年度规则",
            severity=W,
        )
        return
    spec = ctx.spec
    for col, colname in enumerate(spec.request_columns):
        here: ValuePath = ("requests", "carried_over", col)
        there: ValuePath = ("requests", "carried_forward", col)
        if not ctx.usable([here]):
            continue
        a, b = ctx.v(here), prev.value(there)
        if a != b:
            yield ctx.finding(
                "XY-01",
                f"{ctx.locator.cell(here)} ≠ {_prev_cell(ctx, there)}",
                f"表三「二、上年结转」{colname} 为 {a}，上年报告「四、结转下年度」{colname} 为 {b}"
                f"（{_prev_cell(ctx, there)}），相差 {abs(a - b)}：上年结转的申请应与上年报告一致",
                paths=[here],
            )


def _format_changed(ctx: CheckContext) -> bool:
    prev = _prev(ctx)
    return prev.format != ctx.report.format or (prev.year < FORMAT_CHANGE_YEAR <= ctx.report.year)


@implements("XY-05", needs={"previous", "year"})
def format_change(ctx: CheckContext) -> Iterator[Finding]:
    if _year_ok(ctx) and _format_changed(ctx):
        prev = _prev(ctx)
        yield ctx.finding(
            "XY-05",
            ctx.locator.field("format"),
            f"上年（{prev.year} 年）报告按旧格式编制（表二的统计项不同），"
            "不核对现行有效件数的跨年度衔接（XY-02）",
        )


def _explains_decrease(report: Report, doc_label: str) -> str | None:
    """A sentence reporting a 清理 or re-count of these documents in the report year.

    Only such a sentence explains a *decrease* of 现行有效 (an increase is never explained
    by a clean-up); a generic "及时清理失效文件", a plan (下一步将清理…) or a sentence about
    another year explains nothing. The words are in ``checks/phrases/recount.toml``.
    """
    from .vocabulary import phrases

    p = phrases()["recount"]
    recount, plan = p["recount"].regex, p["plan"].regex
    subject = "规章" if doc_label == "规章" else "规范性文件"
    for s in prose_sentences(report):
        if s.section == "problems":
            continue  # 第五部分 is about problems and plans
        text = s.norm
        if not recount.search(text) or subject not in text or plan.search(text):
            continue
        if any(int(y) != report.year for y in re.findall(r"(\d{4})\s*年", text)):
            continue
        return s.text.strip()
    return None


@implements("XY-02", needs={"previous", "year"})
def in_force_chain(ctx: CheckContext) -> Iterator[Finding]:
    if not _year_ok(ctx) or _format_changed(ctx):
        return
    prev = _prev(ctx)
    for d in ctx.spec.doc_rows:
        paths: list[ValuePath] = [
            ("proactive", d.key, k) for k in ("issued", "repealed", "in_force")
        ]
        if not ctx.usable(paths):
            continue
        issued, repealed, in_force = (int(ctx.v(p)) for p in paths)
        last = int(prev.value(("proactive", d.key, "in_force")))
        expected = last + issued - repealed
        if in_force == expected:
            continue
        message = (
            f"表二「{d.label}」现行有效件数为 {in_force}，按上年现行有效 {last}"
            f"（{_prev_cell(ctx, ('proactive', d.key, 'in_force'))}）+ 本年制发 {issued} − 本年废止 "
            f"{repealed} 应为 {expected}，相差 {abs(in_force - expected)}"
        )
        explained = _explains_decrease(ctx.report, d.label) if in_force < expected else None
        if explained is not None:
            yield ctx.finding(
                "XY-02", ctx.locator.cell(paths[2]),
                f"{message}；正文说明了清理或重新统计（“{explained[:60]}”），请确认减少的件数与说明一致",
                severity=INFO, paths=paths,
            )  # fmt: skip
            continue
        hint = (
            "；清理只能解释减少，不能解释增加，请核对本年制发件数和上年现行有效件数"
            if in_force > expected
            else "；如有清理或重新统计，请在正文中说明（写明本年对规范性文件的清理）"
        )
        yield ctx.finding("XY-02", ctx.locator.cell(paths[2]), message + hint, paths=paths)


# ---------------------------------------------------------------- similarity (XY-03, XY-04)
_YEARS = re.compile(r"\d{4}(?=\s*年)")
_SPACE = re.compile(r"\s+")
MIN_SENTENCE = 8  # shorter sentences ("一是强化组织领导。") are not evidence of copying
NEAR_COPY = 0.9
COPY_THRESHOLD = 0.5


def _key(sentence: str) -> str:
    """A sentence without years, blanks and final punctuation: copies with the year changed match."""
    s = _YEARS.sub("YYYY", normalize(sentence))
    return _SPACE.sub("", s).rstrip("。；;！!？?")


@record
class _Para:
    """A paragraph of section 五 with where it came from, for the copied-text check."""

    where: str
    text: str
    chars: int = 0
    repeated: int = 0


def _paragraphs(report: Report, sections: tuple[str, ...]) -> list[tuple[str, str]]:
    out = []
    n = report.narrative
    for key in sections:
        sec = n.section(key)
        parts = [(f"narrative.{key}.intro", sec.intro or "")]
        parts += [
            (f"narrative.{key}.sections[{i}].text", s.text) for i, s in enumerate(sec.sections)
        ]
        for where, text in parts:
            for para in text.replace("\r\n", "\n").split("\n"):
                if para.strip():
                    out.append((where, para.strip()))
    return out


class _Matcher:
    """Is a sentence found (exactly or nearly) among last year's sentences?"""

    def __init__(self, report: Report, sections: tuple[str, ...]) -> None:
        keys = [_key(s) for _, p in _paragraphs(report, sections) for _, s in split_sentences(p)]
        self.exact = {k for k in keys if len(k) >= MIN_SENTENCE}
        self.keys = sorted(self.exact, key=len)

    def found(self, key: str) -> bool:
        if len(key) < MIN_SENTENCE:
            return False
        if key in self.exact:
            return True
        lo, hi = len(key) * 0.8, len(key) * 1.25
        sm = difflib.SequenceMatcher(autojunk=False)
        sm.set_seq2(key)
        for other in self.keys:
            if not lo <= len(other) <= hi:
                continue
            sm.set_seq1(other)
            if (
                sm.real_quick_ratio() >= NEAR_COPY
                and sm.quick_ratio() >= NEAR_COPY
                and sm.ratio() >= NEAR_COPY
            ):
                return True
        return False


def _repeats(
    report: Report, previous: Report, sections: tuple[str, ...]
) -> tuple[list[_Para], list[str]]:
    """This year's paragraphs with how many characters repeat last year's, and the repeated sentences."""
    matcher = _Matcher(previous, sections)
    paras: list[_Para] = []
    repeated: list[str] = []
    for where, para in _paragraphs(report, sections):
        p = _Para(where, para)
        for _, s in split_sentences(para):
            k = _key(s)
            p.chars += len(k)
            if matcher.found(k):
                p.repeated += len(k)
                repeated.append(s.strip())
        paras.append(p)
    return paras, repeated


def _cut(text: str, n: int = 30) -> str:
    return text if len(text) <= n else text[:n] + "…"


_PROSE = ("overview", "problems", "other")


@implements("XY-04", needs={"previous", "year"})
def copied_prose(ctx: CheckContext) -> Iterator[Finding]:
    if not _year_ok(ctx):
        return
    paras, repeated = _repeats(ctx.report, _prev(ctx), _PROSE)
    total = sum(p.chars for p in paras)
    same = sum(p.repeated for p in paras)
    if not total or same / total <= COPY_THRESHOLD:
        return
    top = sorted((p for p in paras if p.repeated), key=lambda p: (-p.repeated, p.where))[:3]
    loc = ctx.locator
    shown = "；".join(
        f"「{_cut(p.text)}」（{p.repeated * 100 // max(p.chars, 1)}% 相同，{loc.field(p.where)}）"
        for p in top
    )
    # where: the sections (their sheets, for a workbook) that repeat last year's text
    sections = dict.fromkeys(".".join(p.where.split(".")[:2]) for p in paras if p.repeated)
    yield ctx.finding(
        "XY-04",
        "、".join(loc.field(k) for k in sections),
        f"本年正文有 {same * 100 / total:.0f}%（{same}/{total} 字，{len(repeated)} 句）与上年报告相同或几乎相同"
        f"（超过 {COPY_THRESHOLD:.0%}，年份不同也算）；重复最多的段落：{shown}。"
        "年报内容雷同是考核扣分和追责的情形，请按本年实际情况重写",
    )


_FIXED = re.compile(
    r"整改|改进|针对|落实|已(?:经)?(?:完成|解决|建立|开展|制定|实现)|上年|去年|上一年|"
    r"\d{4}\s*年(?:度)?(?:存在|发现|提出|指出)"
)


@implements("XY-03", needs={"previous", "year"})
def problems_followed_up(ctx: CheckContext) -> Iterator[Finding]:
    if not _year_ok(ctx):
        return
    sec = ctx.report.narrative.problems
    if sec.is_empty():
        return  # NT-10
    where = ctx.locator.field("narrative.problems")
    body = normalize("\n".join([sec.intro or "", *(s.text for s in sec.sections)]))
    if not _FIXED.search(body):
        yield ctx.finding(
            "XY-03",
            where,
            "第五部分没有报告上年问题的整改情况（应写明上年报告所列问题的改进措施和效果）",
        )
    _, repeated = _repeats(ctx.report, _prev(ctx), ("problems",))
    long = [s for s in repeated if len(_key(s)) >= 15]
    if long:
        shown = "；".join(f"「{_cut(s, 40)}」" for s in long[:3])
        yield ctx.finding(
            "XY-03",
            where,
            f"第五部分有 {len(long)} 句与上年报告第五部分相同（年份除外）：{shown}"
            "；问题和改进措施应按本年实际情况写",
        )


@implements("T4-05", needs={"previous", "year"})
def suits_after_reconsideration(ctx: CheckContext) -> Iterator[Finding]:
    if not _year_ok(ctx):
        return
    after: ValuePath = ("appeals", "litigation_after_reconsideration", 4)
    recon: ValuePath = ("appeals", "reconsideration", 4)
    pending: ValuePath = ("appeals", "reconsideration", 3)
    if not ctx.usable([after, recon]):
        return
    a, r = int(ctx.v(after)), int(ctx.v(recon))
    p = int(_prev(ctx).value(pending))
    if a > r + p:
        yield ctx.finding(
            "T4-05",
            ctx.locator.cell(after),
            f"表四「行政诉讼（复议后起诉）」总计 {a} 大于 本年行政复议总计 {r} + 上年行政复议尚未审结 {p}"
            f"（{_prev_cell(ctx, pending)}）= {r + p}：可能把本机关作为复议机关的共同被告案件计入了，"
            "按国办公开办函〔2016〕201号，此类案件不计入",
            paths=[after, recon],
        )
