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
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

from ..formats import FormatSpec, ValuePath
from ..model import Report
from .engine import INFO, CheckContext, Finding, Severity, W, fmt, implements
from .figures import Sentence, Token, normalize, section_text, sentences, tokens

# ---------------------------------------------------------------- readings
TOTAL = 6  # index of 总计 in a 表三 row (after the 6 applicant columns)
APPEAL_TOTAL = 4


@dataclass(frozen=True)
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
@dataclass(frozen=True)
class Subject:
    """A subject the prose puts before a figure, and the table value(s) it quotes.

    The first reading is the meaning; a match with a later one is a warning naming it.
    ``weak``: the wording is loose (办理, 结转), so a mismatch is only a warning.
    ``context``: where the word 申请 must occur for the figure to be about applications
    ("sentence" before the figure, or anywhere in the "paragraph").
    """

    key: str
    rule: str
    name: str
    pattern: str
    readings: ReadingsFn
    family: str
    weak: bool = False
    context: str | None = None


S = Subject
# fmt: off
_NOT_NUM = r"[^\d，。；,;：:]"
SUBJECTS: tuple[Subject, ...] = (
    # NT-01: carry-over both ways (before the time-scope words: 上年 belongs to the subject)
    S("carried_over", "NT-01", "上年结转",
      r"(?:上年度?|上一年度?|去年)结转(?:至本年度?|到本年度?|的)?(?:政府信息公开)?(?:申请)?"
      r"|结转上(?:一)?年度?(?:的)?(?:申请)?",
      _one(_req("carried_over"), "表三「二、上年结转」总计"), "request", context="paragraph"),
    S("carried_forward", "NT-01", "结转下年度",
      r"结转(?:至|到|入)?下(?:一)?年度?(?:继续办理)?|顺延(?:至|到)下(?:一)?年度?|转入下(?:一)?年度?",
      _one(_req("carried_forward"), "表三「四、结转下年度」总计"), "request", context="paragraph"),
    # NT-03: outcomes
    S("granted_partial", "NT-03", "予以公开及部分公开",
      r"(?:予以公开|同意公开|全部公开)(?:和|及|与|、|或|以及)部分公开", _granted_partial, "outcome",
      context="paragraph"),
    S("partial", "NT-03", "部分公开", r"部分公开",
      _one(_req("partially_granted"), "表三「（二）部分公开」总计"), "outcome", context="paragraph"),
    S("granted", "NT-03", "予以公开", r"予以公开|同意公开|全部公开",
      _one(_req("granted"), "表三「（一）予以公开」总计"), "outcome", context="paragraph"),
    S("withheld", "NT-03", "不予公开", r"不予公开", _subgroup("（三）"), "outcome", context="paragraph"),
    S("not_held", "NT-03", "本机关不掌握相关政府信息",
      r"(?:本机关|本单位)?不掌握(?:相关)?(?:的)?(?:政府)?信息",
      _one(_req("unavailable_not_held"), "表三「（四）1.本机关不掌握相关政府信息」总计"), "outcome",
      context="paragraph"),
    S("unavailable", "NT-03", "无法提供", r"无法提供|不能提供", _subgroup("（四）"), "outcome",
      context="paragraph"),
    S("not_processed", "NT-03", "不予处理", r"不予处理", _subgroup("（五）"), "outcome",
      context="paragraph"),
    S("other_processing", "NT-03", "其他处理", r"(?:作)?其他(?:方式)?处理", _subgroup("（六）"), "outcome",
      context="paragraph"),
    # NT-02: applicants (only where the figure splits the new applications: see _applicant_ok)
    S("natural", "NT-02", "自然人", r"自然人(?:申请人?|提出(?:的)?申请)?", _applicant(range(0, 1), "自然人"),
      "applicant", context="paragraph"),
    S("legal", "NT-02", "法人或其他组织",
      r"法人(?:或|和|及|或者)?其他组织(?:申请人?|提出(?:的)?申请)?|法人(?:申请人?)?",
      _applicant(range(1, 6), "法人或其他组织五列之和"), "applicant", context="paragraph"),
    S("business", "NT-02", "商业企业", r"商业企业(?:申请)?", _applicant(range(1, 2), "商业企业"),
      "applicant", context="paragraph"),
    S("research", "NT-02", "科研机构", r"科研机构(?:申请)?", _applicant(range(2, 3), "科研机构"),
      "applicant", context="paragraph"),
    S("ngo", "NT-02", "社会公益组织", r"社会公益组织(?:申请)?", _applicant(range(3, 4), "社会公益组织"),
      "applicant", context="paragraph"),
    S("lawfirm", "NT-02", "法律服务机构", r"法律服务机构(?:申请)?",
      _applicant(range(4, 5), "法律服务机构"), "applicant", context="paragraph"),
    # NT-05: 表四 totals (outcomes are attributed with their group: see _APPEAL_OUTCOMES)
    S("after", "NT-05", "复议后起诉", r"复议后(?:提起)?(?:行政)?(?:诉讼|起诉)(?:案件)?",
      _appeal("litigation_after_reconsideration", name="表四「行政诉讼（复议后起诉）」总计"), "appeal"),
    S("direct", "NT-05", "未经复议直接起诉",
      r"(?:未经复议)?直接(?:提起)?(?:行政)?(?:诉讼|起诉)(?:案件)?",
      _appeal("litigation_direct", name="表四「行政诉讼（未经复议直接起诉）」总计"), "appeal"),
    S("reconsideration", "NT-05", "行政复议", r"行政复议(?:申请|案件)?",
      _appeal("reconsideration", name="表四「行政复议」总计"), "appeal"),
    S("litigation", "NT-05", "行政诉讼", r"行政诉讼(?:案件)?|行政应诉(?:案件)?",
      _appeal(*LITIGATION, name="表四「行政诉讼」直接起诉总计 + 复议后起诉总计"), "appeal"),
    # NT-07: 表二 decisions
    S("licensing", "NT-07", "行政许可", r"行政许可(?:决定|案件)?", _one(("proactive", "licensing")),
      "decision"),
    S("penalty", "NT-07", "行政处罚", r"行政处罚(?:决定|案件)?", _one(("proactive", "penalty")),
      "decision"),
    S("coercion", "NT-07", "行政强制", r"行政强制(?:措施|执行|决定|案件)?",
      _one(("proactive", "coercion")), "decision"),
    # NT-01: received and finished (after the outcomes: 收到申请中予以公开… is an outcome)
    S("new_explicit", "NT-01", "新收申请", rf"新收(?:到)?{_NOT_NUM}{{0,16}}?申请(?:件)?",
      lambda spec: _new(spec)[:1], "new"),
    S("new", "NT-01", "收到/受理申请",
      rf"(?:收到|受理|接收|接到|收悉){_NOT_NUM}{{0,20}}?(?:申请(?:件|总量|总数)?|依申请{_NOT_NUM}{{0,8}})",
      _new, "new"),
    S("done", "NT-01", "办结/答复申请",
      rf"(?:办结|答复|办理完毕|作出答复|予以答复)(?:{_NOT_NUM}{{0,12}}?申请)?(?:件)?", _done, "request",
      context="sentence"),
    S("handled", "NT-01", "办理申请", rf"(?:共|已|累计)?办理(?:{_NOT_NUM}{{0,12}}?申请)?(?:件)?",
      _done_weak, "request", weak=True, context="sentence"),
    S("carried_bare", "NT-01", "结转", r"结转", _carried_bare, "request", weak=True,
      context="paragraph"),
)
# fmt: on

# What may stand between a subject and its figure.
_FILLER = (
    r"(?:\s|的|共|共计|合计|总计|累计|计|为|有|达|达到|了|件数|数量|总数|总量|案件|案|事项|申请|"
    r"均|各|情况|情形|信息|政府信息公开|依申请公开)*"
)
_SUBJECT_RES = [(s, re.compile(f"(?:{s.pattern}){_FILLER}$")) for s in SUBJECTS]
_BY_KEY = {s.key: s for s in SUBJECTS}

# 表四 outcomes: attributed to the group (行政复议 / 行政诉讼 …) last named before them.
_APPEAL_OUTCOMES: tuple[tuple[str, str, int], ...] = (
    ("维持", rf"(?:结果)?维持(?:原{_NOT_NUM}{{0,8}})?", 0),
    ("纠正", r"(?:结果)?纠正|被纠错|纠错", 1),
    ("其他结果", r"其他结果", 2),
    ("尚未审结", r"尚未审结|未审结|正在审理(?:中)?|审理中", 3),
)
_OUTCOME_RES = [(n, re.compile(f"(?:{p}){_FILLER}$"), i) for n, p, i in _APPEAL_OUTCOMES]
_GROUPS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    (
        r"复议后(?:提起)?(?:行政)?(?:诉讼|起诉)",
        ("litigation_after_reconsideration",),
        "行政诉讼（复议后起诉）",
    ),
    (
        r"直接(?:提起)?(?:行政)?(?:诉讼|起诉)",
        ("litigation_direct",),
        "行政诉讼（未经复议直接起诉）",
    ),
    (r"行政复议", ("reconsideration",), "行政复议"),
    (r"行政诉讼|行政应诉", LITIGATION, "行政诉讼"),
)
_GROUP_RE = re.compile("|".join(f"(?P<g{i}>{p})" for i, (p, _, _) in enumerate(_GROUPS)))

# 表二 第二十条第（一）项: the verb before the subject picks the column.
_DOC_SUBJECTS = (
    ("normative_documents", "行政规范性文件", r"(?:行政)?规范性文件"),
    ("rules", "规章", r"规章(?!制度)"),
)
_DOC_RES = [(k, n, re.compile(f"(?:{p}){_FILLER}$")) for k, n, p in _DOC_SUBJECTS]
_DOC_VERBS = (
    ("in_force", r"现行有效|现有|有效", False),
    ("repealed", r"废止|宣布失效|失效|清理废止|予以废止", False),
    ("issued", r"制发|印发|出台|制定|新制发|新增|发布|新出台", False),
    ("issued", r"公开|主动公开", True),  # 公开…规范性文件: probably 制发, but loose
)
_DOC_VERB_RE = re.compile("|".join(f"(?P<v{i}>{p})" for i, (_, p, _) in enumerate(_DOC_VERBS)))
_DOC_BARE = re.compile(
    rf"^(?:并|另|其中|共|已)?(?:{'|'.join(p for _, p, _ in _DOC_VERBS[:3])}){_FILLER}$"
)

_FEE_RE = re.compile(rf"行政事业性收费(?:金额|收入)?{_FILLER}$")

# Words that make a figure about another time or a rough number: no finding.
_TIME = re.compile(
    r"上年|去年|上一年|前年|同比|环比|较上年|比上年|以来|历年|近[两三四五六七八九十\d]年|"
    r"增长|增加|减少|下降|提高|上升|分别|(?<!全年)(?<!本年)(?<!年内)(?<!年度)累计"
)
_APPROX = re.compile(r"(?:约|近|超过|超|逾|不足|不到|多达|将近|上千|上百|几)\s*$")
_YEAR = re.compile(r"(\d{4})\s*年")
_CLAUSE_CUT = re.compile(r"[，,；;：:]")
_NARROW_SCOPE = re.compile(
    r"本级|(?:县|市|区|州|省|镇|乡)政府(?:本级)?|政府办|办公室|(?:县|市|区)级|部分(?:单位|部门)|"
    r"乡镇|街道|镇街|(?:县|市|区)直|(?<![我本该全])部门|"
    r"[\u4e00-\u9fff]{1,8}(?:委员会|中心|街道办)"
)
_BUREAU = re.compile(r"([\u4e00-\u9fff]{1,8})局")


# The body deciding appeals against others (县政府作为复议机关办理…行政复议案件12件), not the
# appeals against it that 表四 counts.
_REVIEW_BODY = re.compile(r"复议机关|复议机构|行政复议委员会|行政复议局")
_REVIEW_VERB = re.compile(r"(?:办理|审理|受理|审结|承办|收到|接收)[^，,；;。]{0,12}$")
# 表二 counts decisions: applications, items of a list or accepted cases are other figures.
_DECISION_NOT = re.compile(r"受理|收到|接收|申请|事项|清单|目录|办件")


# 因信访举报投诉类申请不予处理12件: a reason names one item of the （五） sum, not all of it
# (but 因本机关不掌握等原因无法提供8件 names all of （四）).
_SUM_OUTCOMES = frozenset({"withheld", "unavailable", "not_processed", "other_processing"})
_REASON = re.compile(r"因|由于|属于|涉及|系")


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


def _as_review_body(sentence: str, prefix: str) -> bool:
    """Figures of the body as 复议机关: not what 表四 counts."""
    return bool(_REVIEW_BODY.search(sentence) or _REVIEW_VERB.search(prefix))


def _narrow_scope(prefix: str) -> str | None:
    """A word limiting the figure to part of the body (县政府, 本级, 某某局): the table may differ."""
    m = _NARROW_SCOPE.search(prefix)
    if m:
        return m.group(0)
    for b in _BUREAU.finditer(prefix):
        if b.group(1)[-1] not in "我本全该":
            return b.group(0)
    return None


# ---------------------------------------------------------------- quotes
@dataclass
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
    matched_alt: bool = False
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


def _group_before(text: str) -> tuple[tuple[str, ...], str] | None:
    last = None
    for m in _GROUP_RE.finditer(text):
        last = m
    if last is None:
        return None
    for i, (_, keys, name) in enumerate(_GROUPS):
        if last.group(f"g{i}"):
            return keys, name
    return None


def _skip_for_time(prefix: str, year: int) -> bool:
    if _TIME.search(prefix):
        return True
    return any(int(y) != year for y in _YEAR.findall(prefix))


def quotes_in(sent: Sentence, report: Report) -> list[Quote]:
    """The figures of one sentence that can be attributed to a table value."""
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
        if _APPROX.search(left):
            continue
        q = _attribute(sent, report, spec, tok, left, text[: tok.start], out)
        if q is None:
            continue
        clause_start = max((m.end() for m in _CLAUSE_CUT.finditer(text, 0, tok.start)), default=0)
        whole_prefix = text[clause_start : tok.start - len(left)] + q.extra.get("prefix", "")
        if _skip_for_time(whole_prefix, report.year):
            continue
        out.append(q)
    return out


def _attribute(
    sent: Sentence,
    report: Report,
    spec: FormatSpec,
    tok: Token,
    left: str,
    sentence_left: str,
    earlier: list[Quote],
) -> Quote | None:
    if tok.kind == "money":
        m = _FEE_RE.search(left)
        if not m:
            return None
        path: ValuePath = ("proactive", "fees")
        return Quote(
            sent, tok, "NT-07", "行政事业性收费", "fees", "decision",
            (Reading(spec.label_of(path) + "（万元）", (path,)),),
            scope=_narrow_scope(left[: m.start()]), extra={"prefix": left[: m.start()]},
        )  # fmt: skip
    # 表四 outcomes, within the group named before them
    for name, rx, idx in _OUTCOME_RES:
        m = rx.search(left)
        if m:
            group = _group_before(sentence_left[: len(sentence_left) - len(left) + m.start()])
            if group is None or _as_review_body(sent.norm, ""):
                return None
            keys, gname = group
            paths = tuple(("appeals", k, idx) for k in keys)
            label = f"表四「{gname}」{spec.appeal_outcomes[idx]}"
            return Quote(
                sent, tok, "NT-05", f"{gname}{name}", f"appeal_{idx}", "appeal_outcome",
                (Reading(label, paths),), extra={"prefix": left[: m.start()]},
            )  # fmt: skip
    # 表二 documents: subject + the verb before it
    for key, dname, rx in _DOC_RES:
        m = rx.search(left)
        if m:
            return _doc_quote(sent, spec, tok, key, dname, left, m.start())
    m_bare = _DOC_BARE.search(left)
    if m_bare:
        prior = next((q for q in reversed(earlier) if q.family == "doc"), None)
        if prior is not None:
            return _doc_quote(
                sent, spec, tok, prior.extra["doc"], prior.extra["doc_name"], left, 0, True
            )
        named = _doc_named_before(sentence_left[: len(sentence_left) - len(left)])
        if named is not None:
            return _doc_quote(sent, spec, tok, named[0], named[1], left, 0, True)
    for s, rx in _SUBJECT_RES:
        m = rx.search(left)
        if not m:
            continue
        if not _request_context(s, sent, sentence_left):
            return None
        if s.family == "appeal" and (
            "公开" not in sent.norm or _as_review_body(sent.norm, left[: m.start()])
        ):
            return None  # 办理行政复议案件3件: the body as 复议机关, not table 四
        if s.family == "decision" and _DECISION_NOT.search(left):
            return None  # 受理行政许可申请5200件: applications, not the 表二 decisions
        if s.family == "applicant" and not _applicant_ok(earlier, sentence_left):
            return None
        prefix = left[: m.start()]
        if s.family == "new" and re.search(r"其中|包括|含", prefix):
            return None  # 其中收到上级转办申请3件: a part of the total
        return Quote(
            sent, tok, s.rule, s.name, s.key, s.family, s.readings(spec), weak=s.weak,
            scope=_narrow_scope(prefix), extra={"prefix": prefix},
            part=(s.key in _SUM_OUTCOMES and bool(_REASON.search(prefix)) and "等" not in prefix)
            or _after_qizhong(s.key, earlier, sentence_left),
        )  # fmt: skip
    # 103件顺延到下年度: the subject after the figure
    after = sent.norm[tok.end : tok.end + 16]
    if re.match(r"^[^\d，。；,;]{0,4}?(?:顺延|结转|转入)(?:至|到)?下(?:一)?年", after):
        s = _BY_KEY["carried_forward"]
        if _request_context(s, sent, sentence_left):
            return Quote(sent, tok, s.rule, s.name, s.key, s.family, s.readings(spec),
                         extra={"prefix": left})  # fmt: skip
    return None


def _doc_named_before(text: str) -> tuple[str, str] | None:
    """行政规范性文件方面，全年制发8件: the document kind named earlier in the sentence."""
    best: tuple[int, str, str] | None = None
    for key, dname, pattern in _DOC_SUBJECTS:
        for m in re.finditer(pattern, text):
            if best is None or m.start() > best[0]:
                best = (m.start(), key, dname)
    return (best[1], best[2]) if best else None


def _applicant_ok(earlier: list[Quote], sentence_left: str) -> bool:
    """自然人N件 splits the new applications only when it follows them (or nothing)."""
    prior = next((q for q in reversed(earlier) if q.family != "applicant"), None)
    if prior is None:
        return "结果" not in sentence_left and "办理" not in sentence_left.split("申请")[-1]
    return prior.family == "new"


def _doc_quote(
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
    for m in _DOC_VERB_RE.finditer(prefix):
        if _DOC_VERBS[_verb_index(m)][2]:
            loose_m = m
        else:
            strong = m
    best = strong or loose_m
    if best is None:
        return None
    i = _verb_index(best)
    col, _, loose = _DOC_VERBS[i]
    path: ValuePath = ("proactive", key, col)
    q = Quote(
        sent, tok, "NT-06", f"{dname}（{best.group(0)}）", f"doc_{key}_{col}", "doc",
        (Reading(spec.label_of(path), (path,)),), weak=loose,
        scope=_narrow_scope(prefix), extra={"prefix": prefix[: best.start()], "doc": key,
                                            "doc_name": dname},
    )  # fmt: skip
    return q


def _verb_index(m: re.Match[str]) -> int:
    return next(i for i in range(len(_DOC_VERBS)) if m.group(f"v{i}"))


def all_quotes(ctx: CheckContext) -> list[Quote]:
    out: list[Quote] = []
    for sent in sentences(ctx.report):
        out.extend(quotes_in(sent, ctx.report))
    return out


# ---------------------------------------------------------------- evaluating quotes
def _cells(ctx: CheckContext, r: Reading) -> str:
    return ctx.locator.cells(list(r.paths))


def _describe(ctx: CheckContext, r: Reading) -> str:
    return f"{r.name} = {fmt(r.value(ctx))}（{_cells(ctx, r)}）"


def evaluate(ctx: CheckContext, q: Quote, sentence_alt: bool = False) -> Finding | None:
    """Compare a quote with its readings; a finding when the table says otherwise."""
    paths = [p for r in q.readings for p in r.paths]
    if not ctx.usable(paths):
        return None
    n = q.value
    primary = q.readings[0]
    pv = primary.value(ctx)
    if n == pv or (q.part and n < pv):
        return None
    where = ctx.locator.field(q.sentence.where)
    marked = q.sentence.marked(q.token.start, q.token.end)
    head = f"正文“{marked}”中「{q.subject}」为 {q.shown}"
    for alt in q.readings[1:]:
        if alt.value(ctx) == n:
            q.matched_alt = True
            if sentence_alt and q.family == "applicant":
                return None  # the sentence's total already got the warning for this reading
            return ctx.finding(
                q.rule, where,
                f"{head}，与{primary.name}（{fmt(pv)}，{_cells(ctx, primary)}）不同，"
                f"但等于 {_describe(ctx, alt)}：正文按后一种口径统计，请确认"
                + ("（受理数可能计入了上年结转）" if "上年结转" in alt.name else ""),
                severity=W, paths=list(alt.paths),
            )  # fmt: skip
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
    return ctx.finding(q.rule, where, msg, severity=severity, paths=list(primary.paths))


def _rule_findings(ctx: CheckContext, rule: str) -> Iterator[Finding]:
    by_sentence: dict[int, list[Quote]] = {}
    for q in all_quotes(ctx):
        by_sentence.setdefault(id(q.sentence), []).append(q)
    for qs in by_sentence.values():
        parts = _breakdowns(ctx, qs)
        sentence_alt = False
        for q in qs:
            if id(q) in parts:
                continue
            f = evaluate(ctx, q, sentence_alt)
            if q.family == "new" and q.matched_alt:
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


# Claims without a figure that 表三「四、结转下年度」must bear out.
_NO_CARRY_FORWARD = re.compile(
    r"(?:无|没有|未有|不存在|无一)[^，。；,;\d]{0,6}?(?:结转|顺延|转入)(?:至|到|入)?下(?:一)?年度?"
)
_ALL_DONE = re.compile(
    r"(?:均|全部|均已|已全部|全部已|已经全部)(?:按期|按时|依法|在法定期限内|及时)?"
    r"(?:办结|办理完毕|办理完成)"
)


def _carry_forward_claims(ctx: CheckContext) -> Iterator[Finding]:
    path = _req("carried_forward")
    if not ctx.usable([path]) or not ctx.v(path):
        return
    value = ctx.v(path)
    for sent in sentences(ctx.report):
        text = sent.norm
        if "申请" not in sent.paragraph or _GROUP_RE.search(text):
            continue  # not about applications, or about 行政复议/诉讼 (NT-05)
        where = ctx.locator.field(sent.where)
        cell = ctx.locator.cell(path)
        m = _NO_CARRY_FORWARD.search(text)
        if m:
            yield ctx.finding(
                "NT-01", where,
                f"正文“{sent.marked(m.start(), m.end())}”，但表三「四、结转下年度继续办理」总计为 "
                f"{fmt(value)}（{cell}）",
                paths=[path],
            )  # fmt: skip
            continue
        m = _ALL_DONE.search(text)
        if not m:
            continue
        before = [q for q in quotes_in(sent, ctx.report) if q.token.end <= m.start()]
        if not before or before[-1].family != "new" or _TIME.search(text[: m.start()]):
            continue  # 上年结转申请34件，已全部办结: not this year's applications
        yield ctx.finding(
            "NT-01", where,
            f"正文“{sent.marked(m.start(), m.end())}”，但表三「四、结转下年度继续办理」总计为 "
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
    return _rule_findings(ctx, "NT-06")


@implements("NT-07")
def nt07(ctx: CheckContext) -> Iterator[Finding]:
    return _rule_findings(ctx, "NT-07")


# ---------------------------------------------------------------- NT-04 percentages
_PCT_LEAD = re.compile(
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
    for sent in sentences(ctx.report):
        qs = quotes_in(sent, ctx.report)
        if not qs:
            continue
        toks = tokens(sent.norm)
        for i, tok in enumerate(toks):
            if tok.kind != "percent" or i == 0:
                continue
            prev = toks[i - 1]
            q = next((q for q in qs if q.token == prev), None)
            if q is None or not _PCT_LEAD.match(sent.norm[prev.end : tok.start]):
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
    ctx: CheckContext, spec: FormatSpec, q: Quote, qs: list[Quote]
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
_ALL_CLOSED = re.compile(r"均已审结|全部审结|已全部审结|均已结案|全部结案|均审结|均已办结")
_ALL_UPHELD = re.compile(r"均获维持|均被维持|均维持|全部维持|均为维持|均予以维持|均获得维持")
# 涉及行政复议1起，维持原行政行为: a clause that is only the outcome, without a figure.
_BARE_UPHELD = re.compile(
    r"^\s*(?:目前|现已|已|经审理|经复议|审结后|复议结果|诉讼结果|结果|判决|决定|为|是|均|被|予以|获|\s)*"
    r"维持(?:了)?原(?:具体)?(?:行政)?(?:行为|决定|答复|处理)"
)
_NEG_WORDS = (
    r"(?:发生|出现|引起|产生|收到|涉及|有|存在|因|由|政府信息公开|信息公开|依申请公开|申请|方面|"
    r"相关|的|而|导致|引发|被提起|被申请|提起|此类|该类|任何|一起|一例|过|\s)*"
)
_NONE = re.compile(
    rf"(?:未|没有|无){_NEG_WORDS}(?P<groups>(?:行政复议|行政诉讼)(?:(?:和|与|及|、|或|以及)(?:行政复议|行政诉讼))?)"
    r"(?P<tail>[^，。；,;]*)"
)
_TAIL_NONE = re.compile(r"^(?:案件|事件|情况|情形|的情况|的情形|案|的|发生|\s)*[。！]?$")
_TAIL_CORRECTED = re.compile(r"纠错|纠正|败诉|被撤销")


def _appeal_groups(text: str) -> list[tuple[tuple[str, ...], str]]:
    out = []
    for m in _GROUP_RE.finditer(text):
        for i, (_, keys, name) in enumerate(_GROUPS):
            if m.group(f"g{i}") and (keys, name) not in out:
                out.append((keys, name))
    return out


@implements("NT-05")
def nt05(ctx: CheckContext) -> Iterator[Finding]:
    yield from _rule_findings(ctx, "NT-05")
    for sent in sentences(ctx.report):
        text = sent.norm
        if "公开" not in sent.paragraph or _REVIEW_BODY.search(text):
            continue  # not about disclosure, or about appeals this body decides
        pos = 0
        for clause in re.split(r"[，,；;]", text):
            start = text.find(clause, pos)
            pos = start + len(clause)
            yield from _claims(ctx, sent, clause, start, text[:start])


def _claims(
    ctx: CheckContext, sent: Sentence, clause: str, start: int, before: str
) -> Iterator[Finding]:
    where = ctx.locator.field(sent.where)
    counted = any(t.kind == "count" for t in tokens(clause))
    for rx, kind in ((_ALL_CLOSED, "closed"), (_ALL_UPHELD, "upheld"), (_BARE_UPHELD, "upheld")):
        m = rx.search(clause)
        if not m or (rx is _BARE_UPHELD and counted):
            continue
        groups = _appeal_groups(clause[: m.start()]) or _appeal_groups(before)[-1:]
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
    if tokens(clause) and any(t.kind == "count" for t in tokens(clause)):
        return
    for m in _NONE.finditer(clause):
        tail = m.group("tail")
        groups = _appeal_groups(m.group("groups"))
        if _TAIL_NONE.match(tail):
            outcome_idx = [APPEAL_TOTAL]
            claim = "没有"
        elif _TAIL_CORRECTED.search(tail):
            outcome_idx = [1]
            claim = "没有被纠错的"
        else:
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
_FEE_WORDS = re.compile(r"信息处理费|处理费|收费|收取费用|费用")
_FEE_NONE = re.compile(
    r"未收取|没有收取|未产生|未发生[^，。；]{0,6}收费|未发生收费|不收取|无收费|免费|均未收|零收费|"
    r"未曾收取|未向[^，。；]{0,10}收取|未(?:有)?(?:发生|产生)[^，。；]{0,8}(?:费用|处理费)|收取[^，。；]{0,10}(?<![\d.])0元"
)
_FEE_CONTEXT = re.compile(r"信息处理费|处理费")


def _fee_statements(ctx: CheckContext) -> Iterator[tuple[Sentence, str]]:
    for sent in sentences(ctx.report):
        if _FEE_CONTEXT.search(sent.norm) or (
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
        if "管理办法" in text and not _FEE_NONE.search(text) and not re.search(r"\d", text):
            continue  # names the Measures only: no outcome
        none = _FEE_NONE.search(text)
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
                and _FEE_CONTEXT.search(sentence_left)
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
        elif not _FEE_WORDS.search(other):
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


_ONLY_NONE = re.compile(
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
        elif key == "problems" and _ONLY_NONE.match(normalize(sec.all_text())):
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
    if _FEE_WORDS.search(other):
        return
    yield ctx.finding(
        "T3-07",
        ctx.locator.cell(path),
        f"{ctx.spec.label_of(path)} 为 {ctx.v(path)}（发出过收费通知），"
        "但第六部分没有提到信息处理费，请说明收费情况",
        paths=[path],
    )
