"""Finding the figures that report prose quotes: numbers, units, sentences, where they are.

Offices write 39件, ３９件, 39 件, 三十九件, 两起, 占比97.4%, 380元, 3万余条. This module turns a
text into sentences and the sentences into :class:`Token` objects (a number with its unit and
its place in the sentence). Normalisation is one character for one character (full-width
digits → ASCII), so offsets found in the normalised text mark the original text too.
Attributing a figure to a table value is the business of ``prose.py``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Literal

from ..model import Report
from ..records import record

TokenKind = Literal["count", "money", "percent", "other"]

_FULL = "０１２３４５６７８９％．，"
_HALF = "0123456789%.,"
_TRANS = str.maketrans(_FULL + "\u3000", _HALF + " ")


def normalize(text: str) -> str:
    """Full-width digits, ％ and ． to ASCII; one character for one, so offsets still hold."""
    out = text.translate(_TRANS)
    assert len(out) == len(text)
    return out


# ---------------------------------------------------------------- Chinese numerals
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
_CN_DIGITS |= {"六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}


def parse_chinese_number(s: str) -> int | None:
    """三 → 3, 十二 → 12, 二十 → 20, 一百零五 → 105, 两千 → 2000, 三万二千 → 32000."""
    if not s:
        return None
    if "万" in s:
        head, _, tail = s.partition("万")
        h = parse_chinese_number(head) if head else 1
        t = parse_chinese_number(tail) if tail else 0
        if h is None or t is None:
            return None
        return h * 10000 + t
    total, digit = 0, None
    for ch in s:
        if ch in _CN_DIGITS:
            if digit is not None and digit != 0:
                return None  # 三四: not a number, an estimate ("三四件")
            digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            total += (1 if digit is None else digit) * _CN_UNITS[ch]
            digit = None
        else:
            return None
    if digit is not None:
        total += digit
    return total


# ---------------------------------------------------------------- tokens
@record(frozen=True)
class Token:
    """A number in a sentence: its kind, value, unit and offsets (into the sentence)."""

    kind: TokenKind
    start: int
    end: int
    value: Decimal
    unit: str
    decimals: int = 0  # digits after the point, as printed (percentages)

    @property
    def int_value(self) -> int:
        return int(self.value)


_ARABIC = r"\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:\.\d+)?"
_CN = r"[零〇一二两三四五六七八九十百千万]+"
_NUMBER = re.compile(rf"(?P<a>{_ARABIC})|(?P<c>{_CN})")
# After an Arabic number: what makes it a table-like figure or not.
_AFTER = re.compile(
    r"\s*(?:(?P<money>万元|元)|(?P<approx>[余多]|万|千|百|亿)|(?P<pct>%)|"
    r"(?P<other>件次|人次|个工作日|个月)|(?P<count>件|起|宗|个|份|次))"
)
_COUNT_GE = re.compile(r"[，。；、）)\s,;:：]|$|其中|均|全部")  # what may follow 个
_CN_BEFORE_BAD = set("每逐这那同任何哪第其唯单统之某")


def tokens(sentence: str) -> list[Token]:
    """All numbers of a (normalised) sentence, classified. "other" tokens are boundaries."""
    out: list[Token] = []
    for m in _NUMBER.finditer(sentence):
        start, end = m.start(), m.end()
        before = sentence[start - 1] if start else ""
        if m.group("c") is not None:
            tok = _chinese_token(sentence, m)
            if tok:
                out.append(tok)
            continue
        raw = m.group("a")
        after = _AFTER.match(sentence, end)
        value = Decimal(raw.replace(",", ""))
        decimals = len(raw.split(".", 1)[1]) if "." in raw else 0
        if before in "第〔[" or sentence[end : end + 1] in "年月日号〕]":
            out.append(Token("other", start, end, value, ""))
            continue
        if after is None:
            if sentence[end : end + 1] == "条" and (
                re.search(
                    r"申请(?:公开)?(?:政府)?(?:信息|事项)?(?:数量|数)?(?:共计|共|为|合计)?$",
                    sentence[:start].rstrip(),
                )
                or re.match(r"(?:政府信息公开|信息公开|依申请公开)?申请", sentence[end + 1 :])
            ):
                # 受理政府信息公开申请0条: applications counted in 条
                out.append(Token("count", start, end + 1, value, "条"))
                continue
            out.append(Token("other", start, end, value, ""))
            continue
        kind: TokenKind = "other"
        unit = after.group(0).strip()
        if after.group("pct"):
            kind = "percent"
        elif after.group("money"):
            kind = "money"
        elif after.group("count") and decimals == 0:
            kind = "count"
            if unit == "个" and not _COUNT_GE.match(sentence, after.end()):
                kind = "other"  # 54个单位, 24个领域: things, not cases
        out.append(Token(kind, start, after.end(), value, unit, decimals))
    return out


def _chinese_token(sentence: str, m: re.Match[str]) -> Token | None:
    """三件, 两起, 十二件: counts written in Chinese. Only before 件/起 (not 一起 = together)."""
    text = m.group("c")
    end = m.end()
    unit = sentence[end : end + 1]
    if unit not in ("件", "起") or sentence[end : end + 2] == "件次":
        return None
    if text in ("零", "〇") or (unit == "起" and text == "一"):
        return None
    start = m.start()
    if start and sentence[start - 1] in _CN_BEFORE_BAD:
        return None
    value = parse_chinese_number(text)
    if value is None:
        return None
    return Token("count", start, end + 1, Decimal(value), unit)


# ---------------------------------------------------------------- sentences
_SENTENCE_END = re.compile(r"[^。！？!?\n]*(?:[。！？!?]+|\n|$)")


@record(frozen=True)
class Sentence:
    """One sentence of the prose, with where it lives in the report data."""

    text: str  # as written
    norm: str  # normalised (same length)
    where: str  # narrative.overview.sections[1].text
    section: str  # preface | overview | problems | other
    paragraph: str  # the whole paragraph (normalised), for context

    def marked(self, start: int, end: int, width: int = 40) -> str:
        """The sentence with text[start:end] marked 【…】, cut to ``width`` characters each side."""
        left = self.text[:start].lstrip()
        right = self.text[end:].rstrip()
        if len(left) > width:
            left = "…" + left[-width:]
        if len(right) > width:
            right = right[:width] + "…"
        return f"{left}【{self.text[start:end]}】{right}"


def split_sentences(text: str) -> Iterator[tuple[int, str]]:
    """(offset, sentence) for each sentence of a text, split at 。！？ and line ends."""
    for m in _SENTENCE_END.finditer(text):
        s = m.group(0)
        if s.strip():
            yield m.start(), s


def text_sources(report: Report) -> Iterator[tuple[str, str, str]]:
    """(where, section key, text) for every piece of prose in the report."""
    n = report.narrative
    if n.preface:
        yield "narrative.preface", "preface", n.preface
    for key in ("overview", "problems", "other"):
        sec = n.section(key)
        if sec.intro:
            yield f"narrative.{key}.intro", key, sec.intro
        for i, sub in enumerate(sec.sections):
            if sub.title:
                yield f"narrative.{key}.sections[{i}].title", key, sub.title
            if sub.text:
                yield f"narrative.{key}.sections[{i}].text", key, sub.text


def sentences(report: Report, *, sections: tuple[str, ...] | None = None) -> Iterator[Sentence]:
    """Every sentence of the prose (titles excluded), optionally of some sections only."""
    for where, key, text in text_sources(report):
        if where.endswith(".title") or (sections is not None and key not in sections):
            continue
        for para in text.replace("\r\n", "\n").split("\n"):
            if not para.strip():
                continue
            npara = normalize(para)
            for _, s in split_sentences(para):
                yield Sentence(s, normalize(s), where, key, npara)


def section_text(report: Report, key: str) -> str:
    """All text of a narrative section (titles included), normalised."""
    if key == "preface":
        return normalize(report.narrative.preface or "")
    return normalize(report.narrative.section(key).all_text())


def all_text(report: Report) -> str:
    return "\n".join(normalize(t) for _, _, t in text_sources(report))
