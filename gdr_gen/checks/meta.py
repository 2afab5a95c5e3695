"""Basic facts of the report (META-01 … META-03): deadline, report year, agency name.

Precision first: only places where a year or a name is plainly *the report's own* are
compared (the statistical-period sentence, "X YYYY年政府信息公开工作年度报告" in the opening
paragraph, the "YYYY年，…" that opens 总体情况). Prose that mentions last year ("针对2021年
…问题") is not a report year and is left alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from ..model import AGENCY_KINDS, Report
from .engine import CheckContext, Finding, implements
from .figures import normalize

# 条例第四十九条: a 政府部门 by 31 January, a 县级以上人民政府 by 31 March of the next year.
DEADLINES = {"department": (1, 31), "government": (3, 31)}


def deadline(report: Report) -> date:
    month, day = DEADLINES[report.agency_kind]
    return date(report.year + 1, month, day)


@implements("META-01", needs={"year"})
def publish_deadline(ctx: CheckContext) -> Iterator[Finding]:
    r = ctx.report
    if r.publish_date is None:
        return
    due = deadline(r)
    where = ctx.locator.field("publish_date")
    if r.publish_date > due:
        late = (r.publish_date - due).days
        yield ctx.finding(
            "META-01",
            where,
            f"发布日期 {r.publish_date.isoformat()} 晚于法定期限 {due.isoformat()}"
            f"（{AGENCY_KINDS[r.agency_kind]}应在次年 {due.month} 月 {due.day} 日前公布上一年度年报，"
            f"《条例》第四十九条），晚了 {late} 天",
        )
    elif r.publish_date <= date(r.year, 12, 31):
        yield ctx.finding(
            "META-01",
            where,
            f"发布日期 {r.publish_date.isoformat()} 在统计期限（{r.year} 年）结束之前，请检查日期或年度",
        )


_PERIOD = re.compile(
    r"统计(?:期限|时限|时间|区间|期间|周期)[^。\d]{0,6}?(?P<y1>\d{4})\s*年\s*1\s*月\s*1\s*日"
    r"(?:起)?\s*(?:至|到|—|－|-|~|～)\s*(?P<y2>\d{4})\s*年\s*12\s*月\s*31\s*日"
)
_TITLE_YEAR = re.compile(
    r"(?P<run>[\u4e00-\u9fff（）()]{0,40}?)(?P<y>\d{4})\s*年(?:度)?(?:政府信息公开|政务公开)(?:工作)?年(?:度)?报告"
)
# 对照2021年政府信息公开工作年度报告中存在的问题: another report (last year's), not this one.
_CITED_BEFORE = re.compile(
    r"对照|针对|根据|按照|参照|比照|依据|较|与|同|上年|上一年|去年|此前|往年"
)
_CITED_AFTER = re.compile(r"\s*(?:中|里|内|所|提出|指出|存在|反映|发现|的问题|以来|的?基础上)")


def _own_titles(preface: str) -> Iterator[re.Match[str]]:
    """The places where the opening paragraph names *this* report (现将…2022年…年度报告公布如下)."""
    for m in _TITLE_YEAR.finditer(preface):
        if _CITED_BEFORE.search(m.group("run")) or _CITED_AFTER.match(preface, m.end()):
            continue
        yield m


_OPENING_YEAR = re.compile(r"^\s*(?P<y>\d{4})\s*年(?:度)?\s*[，,]")


def _years(report: Report) -> Iterator[tuple[str, str, int]]:
    """(where, what, year) for each place that states the report year."""
    preface = normalize(report.narrative.preface or "")
    for m in _PERIOD.finditer(preface):
        for key in ("y1", "y2"):
            yield (
                "narrative.preface",
                f"统计期限“{m.group(0)}”",
                int(m.group(key)),
            )
    for m in _own_titles(preface):
        yield "narrative.preface", f"“{m.group(0)}”", int(m.group("y"))
    ov = report.narrative.overview
    first, where = ov.intro, "narrative.overview.intro"
    if not (first or "").strip() and ov.sections:
        first, where = ov.sections[0].text, "narrative.overview.sections[0].text"
    if first:
        opening = _OPENING_YEAR.match(normalize(first))
        if opening:
            yield where, f"总体情况开头“{first.strip()[:20]}…”", int(opening.group("y"))


@implements("META-02", needs={"year"})
def report_year(ctx: CheckContext) -> Iterator[Finding]:
    year = ctx.report.year
    seen: set[tuple[str, str]] = set()
    for where, what, y in _years(ctx.report):
        if y == year or (where, what) in seen:
            continue
        seen.add((where, what))
        yield ctx.finding(
            "META-02",
            ctx.locator.field(where),
            f"{what}中的年份是 {y} 年，报告年度是 {year} 年（{ctx.locator.field('year')}）",
        )


_LEAD_VERBS = re.compile(
    r"^.*(?:公布|发布|公开|现将|现把|编制|形成|提交|报送|印发|本报告为|以下是|是)"
)
_GOV = re.compile(r"(县|市|区|州|省|镇|乡|旗)政府")


def normalize_agency(name: str) -> str:
    name = re.sub(r"[\s（）()]", "", name)
    return _GOV.sub(r"\1人民政府", name)


# How an office names itself: 本机关, 我县, 我局, 本单位 …
_SELF = re.compile(
    r"^(?:本|我)(?:机关|单位|部门|县|市|区|州|省|旗|镇|乡|街道|局|委|办|厅|署|院|中心|政府|府)?$"
)
_LEVEL = "县市区州省旗镇乡"


def _is_short_form(m: str, a: str) -> bool:
    """沭阳县发改局 for 沭阳县发展和改革局: the characters in order, the place name kept."""
    it = iter(a)
    if not all(ch in it for ch in m):
        return False
    return m[:2] == a[:2] or m[0] in _LEVEL


def same_agency(mentioned: str, agency: str) -> bool:
    """A name is the agency's when one contains the other (巫山县 ⊂ 巫山县人民政府; the
    office of a government, 淮安市人民政府办公室, speaks for it), when it is a short form
    (沭阳县发改局), or when the office names itself (本机关, 我县)."""
    a, m = normalize_agency(agency), normalize_agency(mentioned)
    if not m or m in a or a in m or _SELF.match(m):
        return True
    return _is_short_form(m, a) or _is_short_form(re.sub(r"[\s（）()]", "", mentioned), a)


def _named_in_preface(report: Report) -> Iterator[str]:
    preface = normalize(report.narrative.preface or "")
    for m in _own_titles(preface):
        run = _LEAD_VERBS.sub("", m.group("run"))
        if len(run) >= 2:
            yield run


@implements("META-03")
def agency_name(ctx: CheckContext) -> Iterator[Finding]:
    agency = ctx.report.agency
    if not agency.strip():
        return
    for name in _named_in_preface(ctx.report):
        if not same_agency(name, agency):
            yield ctx.finding(
                "META-03",
                ctx.locator.field("narrative.preface"),
                f"开头段称本报告为“{name}”的年度报告，机关全称是“{agency}”"
                f"（{ctx.locator.field('agency')}）",
            )
    prev = ctx.previous
    if prev is not None and prev.agency.strip() and not same_agency(prev.agency, agency):
        yield ctx.finding(
            "META-03",
            ctx.locator.field("agency"),
            f"本年机关全称“{agency}”与上年报告的“{prev.agency}”不同；如机构更名属实可忽略，"
            "否则请检查是否选错了上年文件",
        )
