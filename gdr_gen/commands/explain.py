"""``gdr-gen explain "句子"``: what the prose checks read in one sentence, in Chinese.

For the domain expert who adds a phrasing to ``gdr_gen/checks/phrases``: which figures the
checker reads, what it attributes each to (subject, rule, table value), which figure-less
claims it recognises (未收取信息处理费, 均已审结 …), and — given a workbook or JSON — which
rules would fire if the sentence stood in that report's 第一部分 (or 第六部分, for the fee).
"""

from __future__ import annotations

import copy
import re
from dataclasses import field
from pathlib import Path

from ..checks import Finding
from ..model import Report, Subsection
from ..records import record

FIGURE_RULES = tuple(f"NT-0{i}" for i in range(1, 9))


@record
class FigureReading:
    figure: str  # as written
    subject: str
    rule: str
    readings: list[str]  # the table value(s) it is compared with, first = its meaning
    notes: list[str] = field(default_factory=list)


@record
class ClaimReading:
    text: str
    name: str
    rule: str


@record
class Explanation:
    sentence: str
    year: int
    figures: list[FigureReading] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # figures read but not compared
    claims: list[ClaimReading] = field(default_factory=list)
    data: str | None = None
    findings: list[Finding] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The explanation as plain text lines (no symbols outside GBK)."""
        out = [
            f"句子：{self.sentence}",
            f"按 {self.year} 年度报告理解（其他年份的数字不比较）。",
            "",
        ]
        if self.figures:
            out.append("读到并与表格比较的数字：")
            for i, f in enumerate(self.figures, start=1):
                out.append(f"  {i}. 【{f.figure}】主语“{f.subject}”，规则 {f.rule}")
                out.append(f"     对应：{f.readings[0]}")
                for alt in f.readings[1:]:
                    out.append(f"     另一种读法（相符时给警告）：{alt}")
                for note in f.notes:
                    out.append(f"     注意：{note}")
        else:
            out.append("没有读到与表格比较的数字。")
        if self.ignored:
            out.append("读到但不比较的数字：" + "、".join(self.ignored))
        if self.claims:
            out.append("读到的说法（没有数字，表格须与之相符）：")
            for c in self.claims:
                out.append(f"  “{c.text}”：{c.name}（规则 {c.rule}）")
        if self.data is not None:
            out.append("")
            if self.findings:
                out.append(f"对照 {self.data}，会给出：")
                for finding in self.findings:
                    out.append(f"  [{finding.severity.label}] {finding.rule} {finding.message}")
            else:
                out.append(f"对照 {self.data}：正文与表格相符，不会给出问题。")
        return out


def _year_of(sentence: str, default: int) -> int:
    m = re.search(r"(20\d{2})\s*年", sentence)
    return int(m.group(1)) if m else default


def explain(
    sentence: str, *, data: str | Path | None = None, year: int | None = None
) -> Explanation:
    """Explain how the prose checks read ``sentence`` (and what they say against ``data``)."""
    from ..checks.figures import Sentence, normalize, tokens
    from ..checks.prose import lexicon, quotes_in
    from ..checks.vocabulary import phrases

    loaded = None
    if data is not None:
        from ..readers import load_report

        loaded = load_report(data)
    report = loaded.report if loaded is not None else Report.blank(year=_year_of(sentence, 2023))
    if year is not None:
        report = copy.deepcopy(report)
        report.year = year
    text = sentence.strip()
    norm = normalize(text)
    sent = Sentence(text, norm, "narrative.overview.intro", "overview", norm)
    L = lexicon()
    result = Explanation(text, report.year)
    quotes = quotes_in(sent, report, L)
    for q in quotes:
        notes = []
        if q.scope:
            notes.append(f"句中限定了范围“{q.scope}”，与表格不同时只给警告")
        if q.weak:
            notes.append("说法不够明确，与表格不同时只给警告")
        if q.part:
            notes.append("可能只是合计中的一项，只有大于表格数值时才提示")
        result.figures.append(
            FigureReading(
                text[q.token.start : q.token.end],
                q.subject,
                q.rule,
                [r.name for r in q.readings],
                notes,
            )
        )
    for tok in tokens(norm):
        if tok.kind in ("count", "money") and not any(q.token == tok for q in quotes):
            result.ignored.append(text[tok.start : tok.end])
    claims = phrases()["claims"]
    for e in claims:
        if e.key in ("corrected_tail", "no_requests_not"):
            continue  # parts of other claims
        m = L.claims[e.key].search(norm)
        if m:
            result.claims.append(
                ClaimReading(
                    text[m.start() : m.end()], str(e.get("name", e.key)), str(e.get("rule", ""))
                )
            )
    if loaded is not None:
        result.data = str(data)
        result.findings = _findings_against(loaded, text, year)
    return result


def _findings_against(loaded: object, text: str, year: int | None) -> list[Finding]:
    """The figure rules' findings with ``text`` as the whole of 第一部分 (第六部分 for the fee)."""
    from ..readers import LoadResult

    assert isinstance(loaded, LoadResult)
    report = copy.deepcopy(loaded.report)
    if year is not None:
        report.year = year
    narrative = report.narrative
    about_fee = "信息处理费" in text or "收费" in text or "收取" in text
    key = "other" if about_fee else "overview"
    target = narrative.section(key)
    target.intro, target.sections = None, [Subsection(title="", text=text)]
    where = loaded.locator.field(f"narrative.{key}.sections[0].text")
    trial = copy.copy(loaded)
    trial.report = report
    return [
        f for f in trial.check(only=FIGURE_RULES) if f.rule in FIGURE_RULES and f.location == where
    ]
