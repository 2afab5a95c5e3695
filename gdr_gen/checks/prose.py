"""Prose against the tables (NT-01 … NT-10) and T3-07.

The prose quotes figures next to their subjects: 收到申请39件, 自然人申请38件, 予以公开及部分公开
25件，占64.1%, 行政复议1起, 现行有效规范性文件60件. A figure is *attributed* when the text
just before it (its clause, up to the previous number) ends with a known subject; the subject
table :data:`SUBJECTS` says which table value it quotes. Precision comes before recall: a
figure that cannot be attributed with confidence gives no finding; where a sentence can be
read two ways (a 受理 figure equal to 一+二 rather than 一) the finding is a warning that
names the reading that matched.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import field
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

from ..formats import FormatSpec, ValuePath
from ..model import Report
from ..records import record
from .engine import INFO, CheckContext, Finding, Severity, W, fmt, implements
from .figures import Sentence, Token, normalize, section_text, sentences, tokens
from .vocabulary import PhraseError, Phrases, phrases

# ---------------------------------------------------------------- readings
TOTAL = 6  # index of 总计 in a 表三 row (after the 6 applicant columns)
APPEAL_TOTAL = 4


@record(frozen=True)
class Reading:
    """One way to read a quoted figure: a named sum of table cells."""

    name: str
    paths: tuple[ValuePath, ...]

    def value(self, ctx: CheckContext) -> int | Decimal:
        total: int | Decimal = 0
        for p in self.paths:
            total += ctx.v(p)
        return total


def _req(key: str, col: int = TOTAL) -> ValuePath:
    return ("requests", key, col)


def _rows(spec: FormatSpec, name: str, keys: tuple[str, ...], col: int = TOTAL) -> Reading:
    return Reading(name, tuple(_req(k, col) for k in keys))


def _subgroup_keys(spec: FormatSpec, subgroup_prefix: str) -> tuple[str, ...]:
    return tuple(r.key for r in spec.result_rows if (r.subgroup or "").startswith(subgroup_prefix))


def _cols(key: str, cols: range) -> tuple[ValuePath, ...]:
    return tuple(_req(key, c) for c in cols)


ReadingsFn = Callable[[FormatSpec], tuple[Reading, ...]]

_NEW = "表三「一、本年新收」总计"
_NEW_CO = "表三「一、本年新收」+「二、上年结转」总计"


def _new(spec: FormatSpec) -> tuple[Reading, ...]:
    return (
        Reading(_NEW, (_req("new"),)),
        Reading(_NEW_CO, (_req("new"), _req("carried_over"))),
    )


def _applicant(cols: range, label: str) -> ReadingsFn:
    def fn(spec: FormatSpec) -> tuple[Reading, ...]:
        return (
            Reading(f"表三「一、本年新收」{label}", _cols("new", cols)),
            Reading(
                f"表三「一、本年新收」+「二、上年结转」{label}",
                _cols("new", cols) + _cols("carried_over", cols),
            ),
        )

    return fn


def _one(path: ValuePath, name: str | None = None) -> ReadingsFn:
    def fn(spec: FormatSpec) -> tuple[Reading, ...]:
        return (Reading(name or spec.label_of(path), (path,)),)

    return fn


def _subgroup(prefix: str) -> ReadingsFn:
    def fn(spec: FormatSpec) -> tuple[Reading, ...]:
        keys = _subgroup_keys(spec, prefix)
        sub = next(r.subgroup for r in spec.result_rows if (r.subgroup or "").startswith(prefix))
        return (_rows(spec, f"表三「{sub}」各项总计之和", keys),)

    return fn


def _granted_partial(spec: FormatSpec) -> tuple[Reading, ...]:
    return (
        _rows(
            spec, "表三「（一）予以公开」+「（二）部分公开」总计", ("granted", "partially_granted")
        ),
    )


def _done(spec: FormatSpec) -> tuple[Reading, ...]:
    return (Reading("表三「（七）总计」总计", (_req("total"),)),)


def _done_weak(spec: FormatSpec) -> tuple[Reading, ...]:
    return (*_done(spec), *_new(spec))


def _carried_bare(spec: FormatSpec) -> tuple[Reading, ...]:
    return (
        Reading("表三「四、结转下年度」总计", (_req("carried_forward"),)),
        Reading("表三「二、上年结转」总计", (_req("carried_over"),)),
    )


def _appeal(*keys: str, name: str) -> ReadingsFn:
    def fn(spec: FormatSpec) -> tuple[Reading, ...]:
        return (Reading(name, tuple(("appeals", k, APPEAL_TOTAL) for k in keys)),)

    return fn


LITIGATION = ("litigation_direct", "litigation_after_reconsideration")


# ---------------------------------------------------------------- subjects
@record(frozen=True)
class Subject:
    """A subject the prose puts before a figure, and the table value(s) it quotes.

    Read from ``phrases/subjects.toml``. The first reading is the meaning; a match with a
    later one is a warning naming it. ``weak``: the wording is loose (办理, 结转), so a
    mismatch is only a warning. ``context``: where the word 申请 must occur for the figure
    to be about applications ("sentence" before the figure, or anywhere in the "paragraph").
    """

    key: str
    rule: str
    name: str
    pattern: str
    readings: ReadingsFn
    family: str
    weak: bool = False
    context: str | None = None


LITIGATION = ("litigation_direct", "litigation_after_reconsideration")

# The table values a subject of subjects.toml can quote (its `readings`).
READINGS: dict[str, ReadingsFn] = {
    "carried_over": _one(_req("carried_over"), "表三「二、上年结转」总计"),
    "carried_forward": _one(_req("carried_forward"), "表三「四、结转下年度」总计"),
    "granted_partial": _granted_partial,
    "partial": _one(_req("partially_granted"), "表三「（二）部分公开」总计"),
    "granted": _one(_req("granted"), "表三「（一）予以公开」总计"),
    "withheld": _subgroup("（三）"),
    "not_held": _one(_req("unavailable_not_held"), "表三「（四）1.本机关不掌握相关政府信息」总计"),
    "unavailable": _subgroup("（四）"),
    "not_processed": _subgroup("（五）"),
    "other_processing": _subgroup("（六）"),
    "natural": _applicant(range(0, 1), "自然人"),
    "legal": _applicant(range(1, 6), "法人或其他组织五列之和"),
    "business": _applicant(range(1, 2), "商业企业"),
    "research": _applicant(range(2, 3), "科研机构"),
    "ngo": _applicant(range(3, 4), "社会公益组织"),
    "lawfirm": _applicant(range(4, 5), "法律服务机构"),
    "after": _appeal("litigation_after_reconsideration", name="表四「行政诉讼（复议后起诉）」总计"),
    "direct": _appeal("litigation_direct", name="表四「行政诉讼（未经复议直接起诉）」总计"),
    "reconsideration": _appeal("reconsideration", name="表四「行政复议」总计"),
    "litigation": _appeal(*LITIGATION, name="表四「行政诉讼」直接起诉总计 + 复议后起诉总计"),
    "licensing": _one(("proactive", "licensing")),
    "penalty": _one(("proactive", "penalty")),
    "coercion": _one(("proactive", "coercion")),
    "new_only": lambda spec: _new(spec)[:1],
    "new": _new,
    "done": _done,
    "handled": _done_weak,
    "carried_bare": _carried_bare,
}


class Lexicon:
    """The phrase files compiled for the prose rules (built once per :class:`Phrases`)."""

    def __init__(self, p: Phrases) -> None:
        fillers = p["fillers"]
        # What may stand between a subject and its figure is matched once per clause
        # (:meth:`tail_search`), not compiled into each of the ~40 subject patterns.
        self._filler_run = re.compile(f"(?:{fillers.alternation()})*")
        plain = all(pat == r"\s" for e in fillers.entries for pat in e.patterns)
        # with only words (and whitespace) a run of fillers holds only their characters
        self._filler_chars = (
            frozenset("".join(w for e in fillers.entries for w in e.words)) if plain else None
        )
        self._tails: dict[str, tuple[int, ...]] = {}
        self.subjects: list[tuple[Subject, re.Pattern[str]]] = []
        for e in p["subjects"]:
            if e.get("readings") not in READINGS:
                raise PhraseError(
                    f"phrases/subjects.toml: {e.key}: unknown readings {e.get('readings')!r}"
                )
            s = Subject(
                e.key, e.get("rule"), e.get("name", e.key), e.pattern, READINGS[e.get("readings")],
                e.get("family"), bool(e.get("weak", False)), e.get("context"),
            )  # fmt: skip
            self.subjects.append((s, re.compile(f"(?:{s.pattern})$")))
        self.by_key = {s.key: s for s, _ in self.subjects}
        ap = p["appeals"]
        self.outcomes = [
            (e.get("name"), re.compile(f"(?:{e.pattern})$"), int(e.get("column")))
            for e in ap
            if e.get("kind") == "outcome"
        ]
        self.groups = [
            (e.pattern, tuple(e.get("rows")), str(e.get("name")))
            for e in ap
            if e.get("kind") == "group"
        ]
        self.group_re = re.compile(
            "|".join(f"(?P<g{i}>{pat})" for i, (pat, _, _) in enumerate(self.groups))
        )
        docs = p["documents"]
        self.doc_subjects = [
            (str(e.get("row")), str(e.get("name")), e.pattern)
            for e in docs
            if e.get("kind") == "subject"
        ]
        self.doc_res = [(k, n, re.compile(f"(?:{pat})$")) for k, n, pat in self.doc_subjects]
        self.doc_verbs = [
            (str(e.get("column")), e.pattern, bool(e.get("loose", False)))
            for e in docs
            if e.get("kind") == "verb"
        ]
        self.doc_verb_re = re.compile(
            "|".join(f"(?P<v{i}>{pat})" for i, (_, pat, _) in enumerate(self.doc_verbs))
        )
        strong = "|".join(pat for _, pat, loose in self.doc_verbs if not loose)
        self.doc_bare = re.compile(rf"^[、（(]?(?:并|另|其中|共|已|含|包括|继续)?(?:{strong})$")
        self.fee_re = re.compile(r"行政事业性收费(?:金额|收入)?$")
        self.time = p["time"]["other_time"].regex
        self.approx = re.compile(rf"(?:{p['approximators'].alternation()})\s*$")
        self.narrow_scope = p["scope"]["narrow_scope"].regex
        ex = p["exclusions"]
        self.review_body = ex["review_body"].regex
        self.review_verb = ex["review_verb"].regex
        self.decision_not = ex["decision_not"].regex
        self.reason = ex["reason"].regex
        self.part = ex["part"].regex
        self.channel = ex["channel"].regex
        self.channel_in_subject = ex["channel_in_subject"].regex
        c = p["claims"]
        self.claims = {e.key: e.regex for e in c}
        self.order = {e.key: e.regex for e in p["order"]}

    def _tail_ends(self, left: str) -> tuple[int, ...]:
        """Positions ``j`` (from the right) where ``left[j:]`` is a run of fillers."""
        ends = self._tails.get(left)
        if ends is None:
            found = []
            chars = self._filler_chars
            for j in range(len(left), -1, -1):
                if self._filler_run.fullmatch(left, j):
                    found.append(j)
                if j and chars is not None:
                    ch = left[j - 1]
                    if ch not in chars and not ch.isspace():
                        break  # no run of fillers reaches across this character
            ends = tuple(found)
            if len(self._tails) > 4096:
                self._tails.clear()
            self._tails[left] = ends
        return ends

    def tail_search(self, rx: re.Pattern[str], left: str) -> TailMatch | None:
        """``rx`` (a pattern ending in ``$``) matched so that only fillers follow it.

        The same match as searching ``(?:pattern)(?:fillers)*$`` in ``left``: the leftmost
        start over every end the fillers allow; the match reaches to the end of ``left``."""
        best = None
        for j in self._tail_ends(left):
            m = rx.search(left, 0, j)
            if m is not None and (best is None or m.start() < best):
                best = m.start()
        return None if best is None else TailMatch(best, len(left))


class TailMatch:
    """Where a subject found by :meth:`Lexicon.tail_search` starts and its match ends
    (the two methods of ``re.Match`` the callers use)."""

    __slots__ = ("_end", "_start")

    def __init__(self, start: int, end: int) -> None:
        self._start, self._end = start, end

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._end


def lexicon(p: Phrases | None = None) -> Lexicon:
    """The compiled phrase knowledge (compiled on first use, once per phrase folder)."""
    p = p or phrases()
    lex = p.__dict__.get("_lexicon")
    if lex is None:
        lex = Lexicon(p)
        p.__dict__["_lexicon"] = lex
    return lex


_BUREAU = re.compile(r"([\u4e00-\u9fff]{1,8})局")
_YEAR = re.compile(r"(\d{4})\s*年")
_CLAUSE_CUT = re.compile(r"[，,；;：:]")

# 因信访举报投诉类申请不予处理12件: a reason names one item of the （五） sum, not all of it
# (but 因本机关不掌握等原因无法提供8件 names all of （四）).
_SUM_OUTCOMES = frozenset({"withheld", "unavailable", "not_processed", "other_processing"})


_COUNT_KEYS = {"new": "new", "new_explicit": "new", "done": "done", "handled": "done"}


def _after_qizhong(key: str, earlier: list[Quote], sentence_left: str) -> bool:
    """收到申请39件，其中网上申请25件，当面受理申请4件: after 其中, figures of the same subject
    are parts of the total quoted before it (or of the previous sentence's: 其中，…)."""
    group = _COUNT_KEYS.get(key)
    if group is None:
        return False
    prior = next((q for q in reversed(earlier) if _COUNT_KEYS.get(q.key) == group), None)
    if prior is None:
        return sentence_left.lstrip().startswith("其中")
    return "其中" in sentence_left[prior.token.end :]


def _as_review_body(L: Lexicon, sentence: str, prefix: str) -> bool:
    """Figures of the body as 复议机关: not what 表四 counts (but 收到因政府信息公开申请引起的
    行政复议1件 is an appeal against this body)."""
    if L.review_body.search(sentence):
        return True
    m = L.review_verb.search(prefix)
    return m is not None and not re.search(r"因|引起|引发|被", m.group(0))


def _narrow_scope(L: Lexicon, prefix: str) -> str | None:
    """A word limiting the figure to part of the body (县政府, 本级, 某某局): the table may differ."""
    m = L.narrow_scope.search(prefix)
    if m:
        return m.group(0)
    for b in _BUREAU.finditer(prefix):
        if b.group(1)[-1] not in "我本全该":
            return b.group(0)
    return None


# ---------------------------------------------------------------- quotes
@record
class Quote:
    """A figure of the prose attributed to a subject (and through it to table cells)."""

    sentence: Sentence
    token: Token
    rule: str
    subject: str  # how the prose names it, for messages
    key: str
    family: str
    readings: tuple[Reading, ...]
    weak: bool = False
    scope: str | None = None
    note: str = ""
    part: bool = False  # may be one item of its sum: only a figure above the sum is wrong
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def value(self) -> int | Decimal:
        """The figure in the table's unit: money in 万元 (a prose 380元 is 0.038 万元)."""
        if self.token.kind != "money":
            return self.token.int_value
        if self.token.unit == "元":
            return (self.token.value / 10000).normalize()
        return self.token.value

    @property
    def shown(self) -> str:
        """The figure as the message states it: 3857.85, or 3857.85 元（= 0.385785 万元）."""
        if self.token.kind == "money" and self.token.unit == "元":
            return f"{fmt(self.token.value)} 元（= {fmt(self.value)} 万元）"
        return fmt(self.value)


def _request_context(s: Subject, sent: Sentence, left_of_token: str) -> bool:
    if s.context == "sentence":
        return "申请" in left_of_token
    if s.context == "paragraph":
        return "申请" in sent.paragraph
    return True


def _group_before(L: Lexicon, text: str) -> tuple[tuple[str, ...], str] | None:
    last = None
    for m in L.group_re.finditer(text):
        last = m
    if last is None:
        return None
    for i, (_, keys, name) in enumerate(L.groups):
        if last.group(f"g{i}"):
            return keys, name
    return None


def _skip_for_time(L: Lexicon, prefix: str, year: int, sentence_left: str = "") -> bool:
    """A figure of another time or a change. 累计 alone is this year's total when the
    sentence first names the year and quotes nothing before it (2024年，我街道累计收到…6件;
    but 2022年新增…9件，累计公开…217件 is a running total). ``sentence_left`` is "" otherwise."""
    words = {
        m.group(0)
        for m in L.time.finditer(prefix)
        if not (m.group(0) == "以来" and re.search(rf"{year}\s*年$", prefix[: m.start()]))
    }  # 2024年以来 in the 2024 report: this year
    if words == {"累计"} and re.search(rf"{year}\s*年|全年|本年|今年", sentence_left):
        words = set()
    if words:
        return True
    return any(int(y) != year for y in _YEAR.findall(prefix))


def quotes_in(sent: Sentence, report: Report, L: Lexicon | None = None) -> list[Quote]:
    """The figures of one sentence that can be attributed to a table value."""
    L = L or lexicon()
    spec = report.spec
    text = sent.norm
    toks = tokens(text)
    out: list[Quote] = []
    prev_end = 0
    for tok in toks:
        left_full = text[prev_end : tok.start]
        prev_end = tok.end
        if tok.kind not in ("count", "money"):
            continue
        cut = max((m.end() for m in _CLAUSE_CUT.finditer(left_full)), default=0)
        left = left_full[cut:]
        if L.approx.search(left):
            continue
        q = _attribute(L, sent, report, spec, tok, left, text[: tok.start], out)
        if q is None:
            continue
        clause_start = max((m.end() for m in _CLAUSE_CUT.finditer(text, 0, tok.start)), default=0)
        whole_prefix = text[clause_start : tok.start - len(left)] + q.extra.get("prefix", "")
        if _skip_for_time(L, whole_prefix, report.year, "" if out else text[:clause_start]):
            continue
        out.append(q)
    return out


def _attribute(
    L: Lexicon,
    sent: Sentence,
    report: Report,
    spec: FormatSpec,
    tok: Token,
    left: str,
    sentence_left: str,
    earlier: list[Quote],
) -> Quote | None:
    if tok.kind == "money":
        m = L.tail_search(L.fee_re, left)
        if not m:
            return None
        path: ValuePath = ("proactive", "fees")
        return Quote(
            sent, tok, "NT-07", "行政事业性收费", "fees", "decision",
            (Reading(spec.label_of(path) + "（万元）", (path,)),),
            scope=_narrow_scope(L, left[: m.start()]), extra={"prefix": left[: m.start()]},
        )  # fmt: skip
    # 表四 outcomes, within the group named before them
    for name, rx, idx in L.outcomes:
        m = L.tail_search(rx, left)
        if m:
            group = _group_before(L, sentence_left[: len(sentence_left) - len(left) + m.start()])
            if group is None or _as_review_body(L, sent.norm, ""):
                return None
            keys, gname = group
            paths = tuple(("appeals", k, idx) for k in keys)
            label = f"表四「{gname}」{spec.appeal_outcomes[idx]}"
            return Quote(
                sent, tok, "NT-05", f"{gname}{name}", f"appeal_{idx}", "appeal_outcome",
                (Reading(label, paths),), extra={"prefix": left[: m.start()]},
            )  # fmt: skip
    # 表二 documents: subject + the verb before it
    for key, dname, rx in L.doc_res:
        m = L.tail_search(rx, left)
        if m:
            return _doc_quote(L, sent, spec, tok, key, dname, left, m.start())
    m_bare = L.tail_search(L.doc_bare, left)
    if m_bare:
        prior = next((q for q in reversed(earlier) if q.family == "doc"), None)
        if prior is not None:
            return _doc_quote(
                L, sent, spec, tok, prior.extra["doc"], prior.extra["doc_name"], left, 0, True
            )
        named = _doc_named_before(L, sentence_left[: len(sentence_left) - len(left)])
        if named is not None:
            return _doc_quote(L, sent, spec, tok, named[0], named[1], left, 0, True)
    for s, rx in L.subjects:
        m = L.tail_search(rx, left)
        if not m:
            continue
        if not _request_context(s, sent, sentence_left):
            return None
        if s.family == "appeal" and _as_review_body(L, sent.norm, left[: m.start()]):
            return None  # 办理行政复议案件3件: the body as 复议机关, not table 四
        # 全年行政复议案件1起 without 公开 in the sentence: probably about disclosure (the
        # report's subject), but it may be the body's appeals in general: only a warning.
        unsure_topic = s.family == "appeal" and "公开" not in sent.norm
        if s.family == "decision" and L.decision_not.search(left):
            return None  # 受理行政许可申请5200件: applications, not the 表二 decisions
        if s.family == "applicant" and not _applicant_ok(earlier, sentence_left):
            return None
        # 办理申请7件，其中自然人6件: the split of the handled applications, probably the new ones
        after_handled = s.family == "applicant" and _prior_key(earlier) == "handled"
        prefix = left[: m.start()]
        readings = s.readings(spec)
        if s.family == "new" and re.match(
            r"\s*[（(]含上(?:一)?年(?:度)?结转", sent.norm[tok.end :]
        ):
            readings = readings[1:] + readings[:1]  # 57件（含上年结转件1件）: 一 + 二 is meant
        if s.family == "new" and (
            L.part.search(prefix)
            or L.channel.search(prefix)
            or L.channel_in_subject.search(left[: m.end()])
        ):
            return None  # 其中收到上级转办申请3件, 受理申请中网上申请30件: a part of the total
        return Quote(
            sent, tok, s.rule, s.name, s.key, s.family, readings,
            weak=s.weak or after_handled or unsure_topic,
            scope=_narrow_scope(L, prefix), extra={"prefix": prefix},
            part=(s.key in _SUM_OUTCOMES and bool(L.reason.search(prefix)) and "等" not in prefix)
            or _after_qizhong(s.key, earlier, sentence_left),
        )  # fmt: skip
    after = sent.norm[tok.end : tok.end + 24]
    # the subject after the figure (checks/phrases/order.toml): 103件顺延到下年度
    if L.order["carried_after"].match(after):
        s = L.by_key["carried_forward"]
        if _request_context(s, sent, sentence_left):
            return Quote(sent, tok, s.rule, s.name, s.key, s.family, s.readings(spec),
                         extra={"prefix": left})  # fmt: skip
    # 共受理12件政府信息公开申请
    if L.order["request_verb_before"].search(left) and L.order["request_after"].match(after):
        s = L.by_key["new"]
        prefix = left
        if L.part.search(prefix) or L.channel.search(prefix):
            return None
        return Quote(
            sent, tok, s.rule, s.name, s.key, s.family, s.readings(spec),
            scope=_narrow_scope(L, prefix), extra={"prefix": prefix},
        )  # fmt: skip
    # 发生1起因政府信息公开引起的行政复议案件
    m_app = L.order["appeal_after"].match(after)
    if m_app and "公开" in sent.norm and not _as_review_body(L, sent.norm, left):
        group = _group_before(L, m_app.group(0))
        if group is not None and not L.order["appeal_outcome_before"].search(left):
            keys, gname = group
            key = next(
                (s.key for s in L.by_key.values() if s.family == "appeal" and s.name == gname),
                "reconsideration" if keys == ("reconsideration",) else "litigation",
            )
            s = L.by_key[key]
            return Quote(sent, tok, s.rule, s.name, s.key, s.family, s.readings(spec),
                         extra={"prefix": left})  # fmt: skip
    return None


def _doc_named_before(L: Lexicon, text: str) -> tuple[str, str] | None:
    """行政规范性文件方面，全年制发8件: the document kind named earlier in the sentence."""
    best: tuple[int, str, str] | None = None
    for key, dname, pattern in L.doc_subjects:
        for m in re.finditer(pattern, text):
            if best is None or m.start() > best[0]:
                best = (m.start(), key, dname)
    return (best[1], best[2]) if best else None


def _applicant_ok(earlier: list[Quote], sentence_left: str) -> bool:
    """自然人N件 splits the new applications only when it follows them (or nothing)."""
    prior = next((q for q in reversed(earlier) if q.family != "applicant"), None)
    if prior is None:
        return "结果" not in sentence_left and "办理" not in sentence_left.split("申请")[-1]
    return prior.family == "new" or prior.key == "handled"


def _prior_key(earlier: list[Quote]) -> str | None:
    prior = next((q for q in reversed(earlier) if q.family != "applicant"), None)
    return prior.key if prior else None


def _doc_quote(
    L: Lexicon,
    sent: Sentence,
    spec: FormatSpec,
    tok: Token,
    key: str,
    dname: str,
    left: str,
    subject_start: int,
    inherited: bool = False,
) -> Quote | None:
    prefix = left[:subject_start] if not inherited else left
    strong, loose_m = None, None
    for m in L.doc_verb_re.finditer(prefix):
        if L.doc_verbs[_verb_index(L, m)][2]:
            loose_m = m
        else:
            strong = m
    best = strong or loose_m
    if best is None:
        return None
    i = _verb_index(L, best)
    col, _, loose = L.doc_verbs[i]
    if loose and re.match(r"^\s*[（(](?:含|其中|包括)", sent.norm[tok.end :]):
        return None  # 主动公开规章13件（含新制定5件…）: the parts say what was issued
    path: ValuePath = ("proactive", key, col)
    return Quote(
        sent, tok, "NT-06", f"{dname}（{best.group(0)}）", f"doc_{key}_{col}", "doc",
        (Reading(spec.label_of(path), (path,)),), weak=loose,
        scope=_narrow_scope(L, prefix), extra={"prefix": prefix[: best.start()], "doc": key,
                                               "doc_name": dname},
    )  # fmt: skip


def _verb_index(L: Lexicon, m: re.Match[str]) -> int:
    return next(i for i in range(len(L.doc_verbs)) if m.group(f"v{i}"))


# ---------------------------------------------------------------- the analysis of a report
@record(frozen=True)
class ProseAnalysis:
    """Every sentence of the report's prose and the figures attributed in it: computed once per
    report (``analysis(ctx)``) and read by every rule."""

    sentences: tuple[Sentence, ...]
    quotes: tuple[tuple[Quote, ...], ...]  # per sentence

    def quotes_of(self, sent: Sentence) -> tuple[Quote, ...]:
        for s, qs in zip(self.sentences, self.quotes, strict=True):
            if s is sent:
                return qs
        return ()

    def all_quotes(self) -> list[Quote]:
        return [q for qs in self.quotes for q in qs]


def analyse(report: Report, L: Lexicon | None = None) -> ProseAnalysis:
    L = L or lexicon()
    sents = tuple(sentences(report))
    return ProseAnalysis(sents, tuple(tuple(quotes_in(s, report, L)) for s in sents))


def analysis(ctx: CheckContext) -> ProseAnalysis:
    """The report's prose analysis, computed on first use and shared by every rule."""
    return ctx.shared("prose", lambda: analyse(ctx.report))


def all_quotes(ctx: CheckContext) -> list[Quote]:
    return analysis(ctx).all_quotes()


def attributed_keys(sentence: str, p: Phrases | None = None) -> set[str]:
    """The subjects the figures of one sentence are attributed to (phrase-file examples).
    The report year is the sentence's first year (2023 when it names none)."""
    years = _YEAR.findall(normalize(sentence))
    report = Report.blank(year=int(years[0]) if years else 2023)
    L = lexicon(p)
    norm = normalize(sentence)
    sent = Sentence(sentence, norm, "narrative.overview.intro", "overview", norm)
    return {q.key for q in quotes_in(sent, report, L)}


# ---------------------------------------------------------------- evaluating quotes
def _cells(ctx: CheckContext, r: Reading) -> str:
    return ctx.locator.cells(list(r.paths))


def _describe(ctx: CheckContext, r: Reading) -> str:
    return f"{r.name} = {fmt(r.value(ctx))}（{_cells(ctx, r)}）"


def evaluate(
    ctx: CheckContext, q: Quote, sentence_alt: bool = False
) -> tuple[Finding | None, bool]:
    """Compare a quote with its readings: (a finding when the table says otherwise, whether
    the figure matched a later reading). Nothing is written to the quote: rules share it."""
    paths = [p for r in q.readings for p in r.paths]
    if not ctx.usable(paths):
        return None, False
    n = q.value
    primary = q.readings[0]
    pv = primary.value(ctx)
    if n == pv or (q.part and n < pv):
        return None, False
    where = ctx.locator.field(q.sentence.where)
    marked = q.sentence.marked(q.token.start, q.token.end)
    head = f"正文“{marked}”中「{q.subject}」为 {q.shown}"
    for alt in q.readings[1:]:
        if alt.value(ctx) == n:
            if sentence_alt and q.family == "applicant":
                return None, True  # the sentence's total already got the warning for this reading
            return ctx.finding(
                q.rule, where,
                f"{head}，与{primary.name}（{fmt(pv)}，{_cells(ctx, primary)}）不同，"
                f"但等于 {_describe(ctx, alt)}：正文按后一种口径统计，请确认"
                + ("（受理数可能计入了上年结转）" if "上年结转" in alt.name else ""),
                severity=W, paths=list(alt.paths),
            ), True  # fmt: skip
    diff = n - pv
    sign = "多" if diff > 0 else "少"
    msg = f"{head}，表格中 {_describe(ctx, primary)}，正文{sign} {fmt(diff if diff > 0 else -diff)}"
    severity: Severity | None = None
    if q.scope:
        msg += f"；句中限定了范围“{q.scope}”，统计口径可能与表格不同，请确认"
        severity = W
    elif q.weak:
        msg += "；这句话的说法不够明确，请确认所指"
        severity = W
    return ctx.finding(q.rule, where, msg, severity=severity, paths=list(primary.paths)), False


def _rule_findings(ctx: CheckContext, rule: str) -> Iterator[Finding]:
    for qs in analysis(ctx).quotes:
        parts = _breakdowns(ctx, list(qs))
        sentence_alt = False
        for q in qs:
            if id(q) in parts:
                continue
            f, matched_alt = evaluate(ctx, q, sentence_alt)
            if q.family == "new" and matched_alt:
                sentence_alt = True
            if f is not None and q.rule == rule:
                yield f


def _breakdowns(ctx: CheckContext, qs: list[Quote]) -> set[int]:
    """Quotes of one subject that split its total within a sentence.

    县级部门收到申请29件，乡镇（街道）收到申请10件: neither figure is the table's 39, together
    they are. Such parts give no finding (ids of the quotes returned).
    """
    by_key: dict[str, list[Quote]] = {}
    for q in qs:
        by_key.setdefault(q.key, []).append(q)
    out: set[int] = set()
    for group in by_key.values():
        if len(group) < 2 or len({q.value for q in group}) < 2:
            continue
        primary = group[0].readings[0]
        if not ctx.usable(primary.paths):
            continue
        if sum(q.value for q in group) == primary.value(ctx):
            out.update(id(q) for q in group)
    return out


@implements("NT-01")
def nt01(ctx: CheckContext) -> Iterator[Finding]:
    yield from _rule_findings(ctx, "NT-01")
    yield from _carry_forward_claims(ctx)


def _carry_forward_claims(ctx: CheckContext) -> Iterator[Finding]:
    """Claims without a figure that 表三 must bear out: 未收到申请 (一 = 0), 无结转下年度 and
    均已办结 (四 = 0)."""
    L = lexicon()
    new_path, path = _req("new"), _req("carried_forward")
    pa = analysis(ctx)
    if ctx.usable([new_path]) and ctx.v(new_path):
        for sent in pa.sentences:
            for mr in L.claims["no_requests"].finditer(sent.norm):
                clause_start = max(
                    (c.end() for c in _CLAUSE_CUT.finditer(sent.norm, 0, mr.start())), default=0
                )
                clause_end = next(
                    (c.start() for c in _CLAUSE_CUT.finditer(sent.norm, mr.end())), len(sent.norm)
                )
                if L.claims["no_requests_not"].search(
                    sent.norm[mr.start() : clause_end]
                ) or _skip_for_time(L, sent.norm[clause_start : mr.start()], ctx.report.year):
                    continue  # 未收到行政许可申请; 上年未收到申请
                yield ctx.finding(
                    "NT-01", ctx.locator.field(sent.where),
                    f"正文“{sent.marked(mr.start(), mr.end())}”（即没有收到申请），但表三「一、本年新收」"
                    f"总计为 {fmt(ctx.v(new_path))}（{ctx.locator.cell(new_path)}）",
                    paths=[new_path],
                )  # fmt: skip
                break
    over: ValuePath = _req("carried_over")
    if ctx.usable([over]) and ctx.v(over):
        for sent in pa.sentences:
            mo = L.claims["no_carried_over"].search(sent.norm)
            if mo and not _skip_for_time(L, sent.norm[: mo.start()], ctx.report.year):
                yield ctx.finding(
                    "NT-01", ctx.locator.field(sent.where),
                    f"正文“{sent.marked(mo.start(), mo.end())}”，但表三「二、上年结转」总计为 "
                    f"{fmt(ctx.v(over))}（{ctx.locator.cell(over)}）",
                    paths=[over],
                )  # fmt: skip
                break
    if not ctx.usable([path]) or not ctx.v(path):
        return
    value = ctx.v(path)
    for sent, qs in zip(pa.sentences, pa.quotes, strict=True):
        text = sent.norm
        if "申请" not in sent.paragraph or L.group_re.search(text):
            continue  # not about applications, or about 行政复议/诉讼 (NT-05)
        where = ctx.locator.field(sent.where)
        cell = ctx.locator.cell(path)
        m = L.claims["no_carry_forward"].search(text)
        if m:
            yield ctx.finding(
                "NT-01", where,
                f"正文“{sent.marked(m.start(), m.end())}”，但表三「四、结转下年度继续办理」总计为 "
                f"{fmt(value)}（{cell}）",
                paths=[path],
            )  # fmt: skip
            continue
        done = L.claims["all_done"].search(text)
        if not done:
            continue
        before = [q for q in qs if q.token.end <= done.start()]
        if _skip_for_time(L, text[: done.start()], ctx.report.year, "" if before else text):
            continue  # 上年结转申请34件，已全部办结: not this year's applications
        if before and before[-1].family != "new" and before[-1].key != "handled":
            continue
        if not before and not re.search(r"(?:上述|以上|所有|全部|各类)?申请", text[: done.start()]):
            continue  # 共办理12345热线47件，已全部办结: not the applications
        yield ctx.finding(
            "NT-01", where,
            f"正文“{sent.marked(done.start(), done.end())}”，但表三「四、结转下年度继续办理」总计为 "
            f"{fmt(value)}（{cell}）：有申请结转到下年度办理，不能说全部办结，请确认",
            severity=W, paths=[path],
        )  # fmt: skip


@implements("NT-02")
def nt02(ctx: CheckContext) -> Iterator[Finding]:
    return _rule_findings(ctx, "NT-02")


@implements("NT-03")
def nt03(ctx: CheckContext) -> Iterator[Finding]:
    return _rule_findings(ctx, "NT-03")


@implements("NT-06")
def nt06(ctx: CheckContext) -> Iterator[Finding]:
    yield from _rule_findings(ctx, "NT-06")
    path: ValuePath = ("proactive", "normative_documents", "issued")
    if not ctx.usable([path]) or not ctx.v(path):
        return
    L = lexicon()
    for sent in analysis(ctx).sentences:
        m = L.claims["no_docs_issued"].search(sent.norm)
        if m and not L.time.search(sent.norm[: m.start()]):
            yield ctx.finding(
                "NT-06", ctx.locator.field(sent.where),
                f"正文“{sent.marked(m.start(), m.end())}”，但{ctx.spec.label_of(path)} 为 "
                f"{fmt(ctx.v(path))}（{ctx.locator.cell(path)}）",
                paths=[path],
            )  # fmt: skip
            return


@implements("NT-07")
def nt07(ctx: CheckContext) -> Iterator[Finding]:
    return _rule_findings(ctx, "NT-07")


# ---------------------------------------------------------------- NT-04 percentages
_PCT_LEAD = (
    r"^[\s，,（(]*(?:约占|占比为?|占到|占|比例为|比重为)(?:总数|申请总数|全部申请|收到申请|总量|本年)?"
    r"(?:数)?(?:的)?\s*$"
)


def _pct_match(n: int | Decimal, d: int | Decimal, p: Decimal, decimals: int) -> str | None:
    if not d:
        return None
    exact = Decimal(n) * 100 / Decimal(d)
    q = Decimal(1).scaleb(-decimals)
    if p in (exact.quantize(q, ROUND_HALF_UP), exact.quantize(q, ROUND_HALF_EVEN)):
        return "round"
    if exact.quantize(q, ROUND_DOWN) == p:
        return "trunc"
    return None


@implements("NT-04")
def nt04(ctx: CheckContext) -> Iterator[Finding]:
    spec = ctx.spec
    pa = analysis(ctx)
    for sent, qs in zip(pa.sentences, pa.quotes, strict=True):
        if not qs:
            continue
        toks = tokens(sent.norm)
        for i, tok in enumerate(toks):
            if tok.kind != "percent" or i == 0:
                continue
            prev = toks[i - 1]
            q = next((q for q in qs if q.token == prev), None)
            if q is None or not re.match(_PCT_LEAD, sent.norm[prev.end : tok.start]):
                continue
            dens = _denominators(ctx, spec, q, qs)
            if not dens:
                continue
            matches = [
                (name, d, _pct_match(q.value, d, tok.value, tok.decimals)) for name, d in dens
            ]
            if any(m == "round" for _, _, m in matches):
                continue
            marked = sent.marked(prev.start, tok.end)
            where = ctx.locator.field(sent.where)
            trunc = next(((name, d) for name, d, m in matches if m == "trunc"), None)
            if trunc is not None:
                name, d = trunc
                exact = Decimal(q.value) * 100 / Decimal(d)
                yield ctx.finding(
                    "NT-04", where,
                    f"正文“{marked}”：{fmt(q.value)} ÷ {name} {fmt(d)} = {exact:.4f}%，"
                    f"四舍五入应为 {exact.quantize(Decimal(1).scaleb(-tok.decimals), ROUND_HALF_UP)}%，"
                    f"正文写作 {tok.value}%（截去而非四舍五入）",
                    severity=W,
                )  # fmt: skip
                continue
            name, d = dens[0]
            exact = Decimal(q.value) * 100 / Decimal(d) if d else Decimal(0)
            yield ctx.finding(
                "NT-04", where,
                f"正文“{marked}”：{fmt(q.value)} ÷ {name} {fmt(d)} = "
                f"{exact.quantize(Decimal(1).scaleb(-tok.decimals), ROUND_HALF_UP)}%，"
                f"正文写作 {tok.value}%；换用其他分母（"
                + "、".join(f"{n2} {fmt(d2)}" for n2, d2 in dens[1:]) + "）也对不上",
            )  # fmt: skip


def _denominators(
    ctx: CheckContext, spec: FormatSpec, q: Quote, qs: tuple[Quote, ...]
) -> list[tuple[str, int | Decimal]]:
    out: list[tuple[str, int | Decimal]] = []
    if q.family in ("applicant", "outcome", "request", "new"):
        for other in qs:
            if other.key in ("new", "new_explicit", "done", "handled") and other is not q:
                out.append((f"正文的{other.subject}数", other.value))
        for r in (*_new(spec), *_done(spec)):
            if ctx.usable(r.paths):
                out.append((r.name, r.value(ctx)))
    elif q.family == "appeal_outcome":
        for other in qs:
            if other.family == "appeal" and other is not q:
                out.append((f"正文的{other.subject}数", other.value))
    return [(n, d) for n, d in out if d]


# ---------------------------------------------------------------- NT-05 appeals and claims
def _appeal_groups(L: Lexicon, text: str) -> list[tuple[tuple[str, ...], str]]:
    out = []
    for m in L.group_re.finditer(text):
        for i, (_, keys, name) in enumerate(L.groups):
            if m.group(f"g{i}") and (keys, name) not in out:
                out.append((keys, name))
    if re.search(r"(?<!行政)复议", text) and not any("reconsideration" in k for k, _ in out):
        out.insert(0, (("reconsideration",), "行政复议"))  # 相关复议、诉讼案件
    if re.search(r"(?<!行政)诉讼", text) and not any("litigation_direct" in k for k, _ in out):
        out.append((LITIGATION, "行政诉讼"))  # 行政复议、诉讼案件
    return out


@implements("NT-05")
def nt05(ctx: CheckContext) -> Iterator[Finding]:
    yield from _rule_findings(ctx, "NT-05")
    L = lexicon()
    pa = analysis(ctx)
    for sent, qs in zip(pa.sentences, pa.quotes, strict=True):
        text = sent.norm
        if L.review_body.search(text):
            continue  # about appeals this body decides
        # Outcome claims (均已审结 …) need a paragraph about disclosure; "no appeals" in an
        # annual report on disclosure means none about disclosure (年度无行政复议、行政诉讼的情况发生).
        about = "公开" in sent.paragraph
        pos = 0
        for clause in re.split(r"[，,；;]", text):
            start = text.find(clause, pos)
            pos = start + len(clause)
            yield from _claims(ctx, L, sent, qs, clause, start, text[:start], about)


def _claims(
    ctx: CheckContext,
    L: Lexicon,
    sent: Sentence,
    qs: tuple[Quote, ...],
    clause: str,
    start: int,
    before: str,
    about: bool,
) -> Iterator[Finding]:
    where = ctx.locator.field(sent.where)
    counted = any(t.kind == "count" for t in tokens(clause))
    c = L.claims
    checks = ((c["all_closed"], "closed"), (c["closed_here"], "closed_here"),
              (c["all_upheld"], "upheld"), (c["bare_upheld"], "upheld"),
              (c["all_pending"], "pending"))  # fmt: skip
    for rx, kind in checks if about else ():
        m = rx.search(clause)
        if not m or (rx is c["bare_upheld"] and counted):
            continue
        if kind == "closed_here":
            if c["all_closed"].search(clause):
                continue  # 均已审结: read above
            groups = _appeal_groups(L, clause[: m.start()])
            kind = "closed"
        else:
            groups = _appeal_groups(L, clause[: m.start()]) or _appeal_groups(L, before)[-1:]
        for keys, name in groups:
            paths = [("appeals", k, i) for k in keys for i in range(4)]
            if not ctx.usable(paths):
                continue
            pending = sum(int(ctx.v(("appeals", k, 3))) for k in keys)
            marked = sent.marked(start + m.start(), start + m.end())
            if kind == "closed" and pending:
                yield ctx.finding(
                    "NT-05", where,
                    f"正文“{marked}”，但表四「{name}」尚未审结 为 {pending}"
                    f"（{ctx.locator.cells([('appeals', k, 3) for k in keys])}）",
                    paths=[("appeals", k, 3) for k in keys],
                )  # fmt: skip
            if kind == "pending":
                # 行政复议1起，正在办理中: the figure just quoted is all pending
                quoted = next(
                    (q for q in reversed(qs) if q.family == "appeal" and q.token.end <= start),
                    None,
                )
                total = sum(int(ctx.v(("appeals", k, 4))) for k in keys)
                if quoted is not None and quoted.value == total and pending != total:
                    yield ctx.finding(
                        "NT-05", where,
                        f"正文“{marked}”（即{name}{fmt(quoted.value)}件尚未审结），但表四「{name}」"
                        f"尚未审结 为 {pending}（{ctx.locator.cells([('appeals', k, 3) for k in keys])}）",
                        paths=[("appeals", k, 3) for k in keys],
                    )  # fmt: skip
            if kind == "upheld":
                other = {
                    ctx.spec.appeal_outcomes[i]: sum(int(ctx.v(("appeals", k, i))) for k in keys)
                    for i in (1, 2, 3)
                }
                bad = {k: v for k, v in other.items() if v}
                if bad:
                    detail = "、".join(f"{k} {v}" for k, v in bad.items())
                    yield ctx.finding(
                        "NT-05", where,
                        f"正文“{marked}”，但表四「{name}」有 {detail}"
                        f"（{ctx.locator.cells([('appeals', k, i) for k in keys for i in (1, 2, 3)])}）",
                        paths=paths,
                    )  # fmt: skip
    # 收到申请2件没有因政府信息公开申请行政复议…: a claim after the last figure of its clause
    tail_from = max((t.end for t in tokens(clause) if t.kind == "count"), default=0)
    for m in c["no_appeals"].finditer(clause, tail_from):
        tail = m.group("tail")
        groups = _appeal_groups(L, m.group("groups"))
        if c["corrected_tail"].search(tail):
            outcome_idx = [1]
            claim = "没有被纠错的"
        elif re.search(r"直接|起诉|胜诉", tail):
            continue
        else:
            outcome_idx = [APPEAL_TOTAL]
            claim = "没有"
        if L.time.search(clause[: m.start()]):
            continue
        for keys, name in groups:
            for idx in outcome_idx:
                paths = [("appeals", k, idx) for k in keys]
                if not ctx.usable(paths):
                    continue
                value = sum(int(ctx.v(p)) for p in paths)
                if value:
                    marked = sent.marked(start + m.start(), start + m.end())
                    col = ctx.spec.appeal_columns[idx]
                    yield ctx.finding(
                        "NT-05", where,
                        f"正文“{marked}”（即{claim}{name}），但表四「{name}」{col} 为 {value}"
                        f"（{ctx.locator.cells(paths)}）",
                        paths=paths,
                    )  # fmt: skip


# ---------------------------------------------------------------- NT-08 信息处理费
_FEE_WORDS = r"信息处理费|处理费|收费|收取费用|费用"  # (re caches compiled patterns)
_FEE_CONTEXT = r"信息处理费|处理费"


def _fee_statements(ctx: CheckContext) -> Iterator[tuple[Sentence, str]]:
    for sent in sentences(ctx.report):
        if re.search(_FEE_CONTEXT, sent.norm) or (
            sent.section == "other" and re.search(r"收费|收取", sent.norm)
        ):
            yield sent, sent.norm


@implements("NT-08")
def nt08(ctx: CheckContext) -> Iterator[Finding]:
    fee = ctx.report.processing_fee
    where_other = ctx.locator.field("narrative.other")
    stated = False
    for sent, text in _fee_statements(ctx):
        where = ctx.locator.field(sent.where)
        if (
            "管理办法" in text
            and not lexicon().claims["fee_none"].search(text)
            and not re.search(r"\d", text)
        ):
            continue  # names the Measures only: no outcome
        none = lexicon().claims["fee_none"].search(text)
        if none:
            stated = True
            if fee.charged:
                yield ctx.finding(
                    "NT-08", where,
                    f"正文“{sent.marked(none.start(), none.end())}”，但数据中信息处理费为 "
                    f"{fee.cases if fee.cases is not None else '（件数未填）'} 件、{fmt(fee.amount_yuan)} 元"
                    f"（{ctx.locator.field('processing_fee')}）",
                )  # fmt: skip
            continue
        toks = tokens(text)
        prev_end = 0
        for tok in toks:
            left = text[prev_end : tok.start]
            prev_end = tok.end
            sentence_left = text[: tok.start]
            if "其中" in sentence_left:
                break  # 其中民政局1件，收取380元: a breakdown
            if (
                tok.kind == "money"
                and re.search(_FEE_CONTEXT, sentence_left)
                and "行政事业性" not in left
            ):
                stated = True
                yuan = tok.value * (10000 if tok.unit == "万元" else 1)
                if yuan != fee.amount_yuan:
                    yield ctx.finding(
                        "NT-08", where,
                        f"正文“{sent.marked(tok.start, tok.end)}”中信息处理费为 {fmt(yuan)} 元，"
                        f"数据中为 {fmt(fee.amount_yuan)} 元（{ctx.locator.field('processing_fee.amount_yuan')}）",
                    )  # fmt: skip
            elif (
                tok.kind == "count"
                and re.search(r"收取|收费|处理费", left)
                and fee.cases is not None
                and tok.int_value != fee.cases
            ):
                yield ctx.finding(
                    "NT-08", where,
                    f"正文“{sent.marked(tok.start, tok.end)}”中收取信息处理费 {tok.int_value} 件，"
                    f"数据中为 {fee.cases} 件（{ctx.locator.field('processing_fee.cases')}）",
                )  # fmt: skip
    if not stated:
        other = section_text(ctx.report, "other")
        if "信息处理费" not in other:
            # `build` adds the generated 信息处理费 statement (sentences.py, mode "auto")
            # when section 六 does not mention the fee at all: a hint, not a problem.
            yield ctx.finding(
                "NT-08",
                where_other,
                "第六部分没有说明信息处理费收取情况；生成报告时将自动加上一句"
                f"（{'收取' if fee.charged else '未收取'}信息处理费的说明，数字取自数据）。"
                "如不希望自动生成，请在第六部分自行写明",
                severity=INFO,
            )
        elif fee.charged:
            yield ctx.finding(
                "NT-08", where_other,
                f"数据中收取了信息处理费（{fee.cases if fee.cases is not None else '件数未填'}"
                f"{'' if fee.cases is None else ' 件'}、{fmt(fee.amount_yuan)} 元），"
                "但第六部分没有写明收费件数和金额",
            )  # fmt: skip
        elif not re.search(_FEE_WORDS, other):
            yield ctx.finding(
                "NT-08",
                where_other,
                "第六部分没有说明信息处理费收取情况（未收取的，应写明“未收取信息处理费”）",
            )
        else:
            yield ctx.finding(
                "NT-08",
                where_other,
                "第六部分提到了收费，但没有写明信息处理费的收取结果（如“未收取信息处理费”）",
                severity=W,
            )


# ---------------------------------------------------------------- NT-09, NT-10
_ASPECTS: tuple[tuple[str, str], ...] = (
    ("主动公开", r"主动公开"),
    ("依申请公开", r"依申请|公开申请|申请公开"),
    ("政府信息管理", r"信息管理|管理|审查|审核|公开属性"),
    ("政府信息公开平台建设", r"平台|网站|新媒体|专区|公报|专栏"),
    ("监督保障", r"监督|保障|考核|培训|督查|问责"),
)
_GOV_ASPECTS: tuple[tuple[str, str], ...] = (
    ("工作考核", r"考核|考评"),
    ("社会评议", r"评议|评价|测评|满意度"),
    ("责任追究结果", r"责任追究|追责|问责"),
)


@implements("NT-09")
def nt09(ctx: CheckContext) -> Iterator[Finding]:
    overview = ctx.report.narrative.overview
    text = normalize(overview.all_text())
    if not text.strip():
        return  # an empty 一 is an NT-10 error already
    aspects = list(_ASPECTS)
    if ctx.report.agency_kind == "government":
        aspects += list(_GOV_ASPECTS)
    missing = [name for name, rx in aspects if not re.search(rx, text)]
    if missing:
        who = "人民政府的" if ctx.report.agency_kind == "government" else ""
        yield ctx.finding(
            "NT-09",
            ctx.locator.field("narrative.overview"),
            f"{who}第一部分“总体情况”没有提到：{'、'.join(missing)}"
            "（国办公开办函〔2021〕30号要求总体情况涵盖主动公开、依申请公开、政府信息管理、"
            "平台建设、监督保障"
            + ("，人民政府还应报告工作考核、社会评议和责任追究结果情况" if who else "")
            + "）",
        )


_ONLY_NONE = (
    r"^[\s（）()一二三四五六、.，。:：]*(?:无|没有|暂无|无。|无其他需要报告的事项)[\s。.]*$"
)


@implements("NT-10")
def nt10(ctx: CheckContext) -> Iterator[Finding]:
    n = ctx.report.narrative
    for spec_sec in ctx.spec.sections:
        key = spec_sec.narrative_key
        if key is None:  # a table section
            continue
        sec = n.section(key)
        where = ctx.locator.field(f"narrative.{key}")
        if sec.is_empty():
            yield ctx.finding("NT-10", where, f"第{spec_sec.number}部分“{spec_sec.title}”为空")
        elif key == "problems" and re.match(_ONLY_NONE, normalize(sec.all_text())):
            yield ctx.finding(
                "NT-10",
                where,
                f"第{spec_sec.number}部分“{spec_sec.title}”只写了“{sec.all_text().strip()}”，"
                "应写明存在的问题和改进情况",
            )


# ---------------------------------------------------------------- T3-07
@implements("T3-07")
def fee_unpaid_not_reported(ctx: CheckContext) -> Iterator[Finding]:
    path = _req("other_fee_unpaid")
    if not ctx.usable([path]) or ctx.v(path) <= 0:
        return
    other = section_text(ctx.report, "other")
    if re.search(_FEE_WORDS, other):
        return
    yield ctx.finding(
        "T3-07",
        ctx.locator.cell(path),
        f"{ctx.spec.label_of(path)} 为 {ctx.v(path)}（发出过收费通知），"
        "但第六部分没有提到信息处理费，请说明收费情况",
        paths=[path],
    )
