"""Sentences that quote the tables, rendered from Jinja templates in ``templates/sentences``.

Each figure is computed here from the report model, so a generated sentence can never
contradict its table. The templates hold only wording; an office may override any of them
by putting a file of the same name in its own folder (``template_dir``).

When a generated sentence is used ("auto", the default):
- ``requests`` (依申请公开 summary, before 表三): unless section 一 already quotes how many
  applications were received (e.g. "收到…申请39件").
- ``appeals`` (复议/诉讼 summary, before 表四): unless section 一 already speaks of
  行政复议 or 行政诉讼.
- ``fee`` (信息处理费 statement, end of 六): unless section 六 already mentions 信息处理费.
"on" always adds the sentence, "off" never does.
"""

from __future__ import annotations

import re
from dataclasses import field
from decimal import ROUND_HALF_UP, Decimal, localcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .errors import TemplateError, UnsafeTemplateError
from .model import Report
from .records import record

if TYPE_CHECKING:
    import jinja2

SentenceMode = Literal["auto", "on", "off"]
SENTENCE_NAMES = ("requests", "appeals", "fee")


@record(frozen=True)
class SentenceOptions:
    """Which generated sentences to write (auto, on, off), per topic."""

    requests: SentenceMode = "auto"
    appeals: SentenceMode = "auto"
    fee: SentenceMode = "auto"

    @classmethod
    def all(cls, mode: SentenceMode) -> SentenceOptions:
        return cls(mode, mode, mode)


def percent(part: int, whole: int) -> str:
    """``64.1%``: one decimal, rounded half up, as offices print it."""
    if whole == 0:
        return ""
    with localcontext() as ctx:  # exact for any size (the default 28 digits are not)
        ctx.prec = 30 + (abs(part).bit_length() + abs(whole).bit_length()) // 3
        value = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return f"{value}%"


_REGION = re.compile(r"(自治区|自治州|自治县|县|市|区|旗|州|盟|省)人民政府$")
_TOWNSHIP = re.compile(r"(镇|乡|街道)(人民政府|办事处)$")


def sentence_subject(report: Report) -> str:
    """Who the generated sentences speak of: a 人民政府's report covers its whole region
    (全县, 全市 …), a township's its own 镇/乡/街道, a department's 本机关."""
    agency = report.agency.strip()
    if report.agency_kind == "government":
        if m := _TOWNSHIP.search(agency):
            return "本" + m.group(1)
        if m := _REGION.search(agency):
            unit = m.group(1)
            return "全" + {"自治区": "区", "自治州": "州", "自治县": "县"}.get(unit, unit)
    return "本机关"


def money_text(amount: Decimal) -> str:
    return format(amount, "f")


@record
class RequestFigures:
    """The 表三 figures the request sentences quote."""

    received: int
    natural: int
    legal: int
    carried_over: int
    handled: int
    granted: int
    partial: int
    granted_total: int
    carried_forward: int
    natural_pct: str = ""
    granted_total_pct: str = ""
    other_outcomes: list[dict[str, Any]] = field(default_factory=list)


def request_figures(report: Report) -> RequestFigures:
    spec = report.spec
    req = report.requests
    new = req.row("new")
    groups: dict[str, list[str]] = {}
    for r in spec.result_rows:
        if r.subgroup:
            groups.setdefault(r.subgroup, []).append(r.key)
    others = []
    for subgroup, keys in groups.items():
        count = req.sum_rows(keys)
        if count:
            others.append({"name": re.sub(r"^（.）", "", subgroup), "count": count})
    handled = req.row("total").total
    granted = req.row("granted").total
    partial = req.row("partially_granted").total
    return RequestFigures(
        received=new.total,
        natural=new.values[0],
        legal=sum(new.values[1:]),
        carried_over=req.row("carried_over").total,
        handled=handled,
        granted=granted,
        partial=partial,
        granted_total=granted + partial,
        carried_forward=req.row("carried_forward").total,
        natural_pct=percent(new.values[0], new.total),
        granted_total_pct=percent(granted + partial, handled),
        other_outcomes=others,
    )


@record
class AppealFigures:
    """The 表四 figures the appeal sentences quote."""

    reconsideration: int
    litigation: int
    total: int
    pending: int
    details: list[str]


def appeal_figures(report: Report) -> AppealFigures:
    spec = report.spec
    rows = report.appeals.rows
    outcomes = spec.appeal_outcomes
    pending_index = len(outcomes) - 1  # 尚未审结
    recon = rows["reconsideration"]
    litigation = [r for key, r in rows.items() if key != "reconsideration"]
    details = []
    for rdef in spec.appeal_rows:
        row = rows[rdef.key]
        if row.total == 0:
            continue
        parts = [f"{name}{n}件" for name, n in zip(outcomes, row.values, strict=True) if n]
        details.append(f"{rdef.display}{row.total}件中，" + "、".join(parts) + "。")
    return AppealFigures(
        reconsideration=recon.total,
        litigation=sum(r.total for r in litigation),
        total=sum(r.total for r in rows.values()),
        pending=sum(r.values[pending_index] for r in rows.values()),
        details=details,
    )


# ---------------------------------------------------------------- when to generate
_RECEIVED = re.compile(
    r"(收到|受理|新收)[^。；]{0,30}?申请[^。；]{0,6}?[0-9０-９一二三四五六七八九十两零百千]+[件个]"
)
_APPEALS = re.compile(r"行政复议|行政诉讼")
_FEE = re.compile(r"信息处理费")


def wanted(report: Report, options: SentenceOptions) -> dict[str, bool]:
    """Which generated sentences go into the report (see the module docstring)."""
    overview = report.narrative.overview.all_text()
    other = report.narrative.other.all_text()
    auto = {
        "requests": not _RECEIVED.search(overview),
        "appeals": not _APPEALS.search(overview),
        "fee": not _FEE.search(other),
    }
    out = {}
    for name in SENTENCE_NAMES:
        mode = getattr(options, name)
        out[name] = auto[name] if mode == "auto" else mode == "on"
    return out


# ---------------------------------------------------------------- rendering
class SentenceRenderer:
    """Jinja environment for sentence templates; an office folder overrides the bundled one."""

    def __init__(self, template_dir: str | Path | None = None) -> None:
        import jinja2

        from .resources import templates_dir

        search = [templates_dir() / "sentences"]
        if template_dir is not None:
            user = Path(template_dir)
            if not user.is_dir():
                raise TemplateError(f"模板文件夹 {user} 不存在")
            search.insert(0, user)
        self.env = sandboxed_environment(
            loader=jinja2.FileSystemLoader([str(p) for p in search], encoding="utf-8"),
            autoescape=False,  # plain text; each writer escapes for its own format
            keep_trailing_newline=False,
        )

    def render(self, name: str, **context: Any) -> str:
        import jinja2

        filename = f"{name}.j2"
        try:
            template = self.env.get_template(filename)
            text = template.render(**context)
        except jinja2.TemplateSyntaxError as exc:
            where = exc.filename or _template_file(self.env, filename)
            lines = _source_lines(self.env, filename)
            lineno = unclosed_block_line(lines, exc.message) or exc.lineno or 1
            raise TemplateError(
                f"句子模板 {where} {_line_ref(lines, lineno)}的标签写法有误："
                f"{jinja_syntax_message(exc.message)}",
                hint="变量写成 {{ year }}，语句写成 {% if … %}…{% endif %}，花括号成对出现。",
            ) from None
        except jinja2.UndefinedError as exc:
            lines = _source_lines(self.env, filename)
            name_ = undefined_name(exc.message)
            found, tag = find_tag(lines, name_)
            shown = f"的标签 {tag} " if tag else ""
            raise TemplateError(
                f"句子模板 {_template_file(self.env, filename)} {_line_ref(lines, found)}"
                f"{shown}使用了不存在的变量“{name_ or exc.message}”",
                hint=f"可用的变量：{_known_variables(context)}。",
            ) from None
        except jinja2.TemplateNotFound:
            raise TemplateError(f"找不到句子模板 {filename}") from None
        except jinja2.exceptions.SecurityError as exc:
            where = _template_file(self.env, filename)
            lines = _source_lines(self.env, filename)
            at_line = template_line(exc, where)
            attr = forbidden_attribute(exc)
            tag = pick_tag(
                lines[at_line - 1] if at_line and 0 < at_line <= len(lines) else "", attr
            )
            raise UnsafeTemplateError(
                f"句子模板 {where} {_line_ref(lines, at_line)}{forbidden_text(tag, attr)}",
                hint=f"{UNSAFE_HINT}可用的变量：{_known_variables(context)}。",
            ) from None
        except Exception as exc:  # a runtime error in the office's template (1/0, range too big)
            where = _template_file(self.env, filename)
            lines = _source_lines(self.env, filename)
            at_line = template_line(exc, where)
            raise TemplateError(
                f"句子模板 {where} {_line_ref(lines, at_line)}的标签无法处理："
                f"{type(exc).__name__}: {exc}"
            ) from None
        return " ".join(line.strip() for line in text.splitlines() if line.strip())


# ---------------------------------------------------------------- the sandbox
UNSAFE_HINT = (
    "出于安全考虑，模板中的标签只能使用给定的变量，不能访问程序内部的属性、调用其方法或运行命令；"
    "这样的模板可能被人改动过，请勿使用来历不明的模板。未生成任何文件。"
)
_FORBIDDEN = re.compile(r"access to attribute '([^']+)'")


def sandboxed_environment(**options: Any) -> jinja2.Environment:
    """A Jinja environment for templates from other people (and our own): Jinja's immutable
    sandbox, undefined names are errors. Tags cannot reach ``__class__``/``__globals__``,
    private attributes, unsafe callables, or change lists and dicts."""
    import jinja2
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    return ImmutableSandboxedEnvironment(undefined=jinja2.StrictUndefined, **options)


def template_line(exc: BaseException, filename: str) -> int | None:
    """The 1-based template line a runtime error happened on (Jinja rewrites the traceback
    so its frames carry the template's file name and line)."""
    line = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == filename:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def forbidden_attribute(exc: BaseException) -> str:
    m = _FORBIDDEN.search(str(exc))
    return m.group(1) if m else ""


def pick_tag(line: str, name: str) -> str:
    """The tag of ``line`` that mentions ``name`` (else its first tag, else "")."""
    tags = _TAG.findall(line)
    return next((t for t in tags if name and name in t), tags[0] if tags else "")


def forbidden_text(tag: str, attr: str) -> str:
    shown = tag if len(tag) <= 300 else tag[:297] + "…"
    what = f"试图访问“{attr}”" if attr else "试图调用不安全的函数"
    return f"的标签 {shown} {what}，模板中不允许这样做" if shown else f"{what}，模板中不允许这样做"


# ---------------------------------------------------------------- Jinja messages in Chinese
_TAG = re.compile(r"\{[{%].*?[}%]\}")
_BLOCK = re.compile(r"\{%-?\s*(end)?(if|for|macro|block|filter|with|raw|call|set)\b")
_UNDEFINED_NAME = re.compile(r"'([^']+)' is undefined|has no attribute '([^']+)'")


def jinja_syntax_message(message: str | None) -> str:
    """Jinja's English syntax messages, in Chinese where we know them."""
    text = message or ""
    low = text.lower()
    if low.startswith("unexpected end of template"):
        m = re.search(r"innermost block that needs to be closed is '(\w+)'", text)
        block = m.group(1) if m else "if"
        return f"{{% {block} %}} 没有对应的 {{% end{block} %}}"
    m = re.match(r"unexpected '(.+)'", text)
    if m:
        what = {"end of print statement": "}}", "end of statement block": "%}"}.get(
            m.group(1), m.group(1)
        )
        return f"此处不应出现“{what}”（标签是否写完整、花括号是否成对？）"
    m = re.match(r"unexpected char '(.+?)'", text)
    if m:
        return f"不认识的字符“{m.group(1)}”"
    if "unknown tag" in low:
        m = re.search(r"unknown tag '(\w+)'", text)
        return f"不认识的标签“{m.group(1) if m else text}”"
    if "unexpected end of" in low or "expected token" in low:
        return f"标签没有写完整（{text}）"
    return text


def unclosed_block_line(lines: list[str], message: str | None) -> int | None:
    """For "unexpected end of template": the 1-based line of the innermost unclosed block."""
    if not (message or "").lower().startswith("unexpected end of template"):
        return None
    stack: list[int] = []
    for i, line in enumerate(lines, start=1):
        for m in _BLOCK.finditer(line):
            if m.group(2) == "set" and "=" in line[m.end() : line.find("%}", m.end())]:
                continue  # {% set x = … %} has no end tag
            if m.group(1):
                if stack:
                    stack.pop()
            else:
                stack.append(i)
    return stack[-1] if stack else None


def undefined_name(message: str | None) -> str:
    m = _UNDEFINED_NAME.search(message or "")
    return (m.group(1) or m.group(2)) if m else ""


def find_tag(lines: list[str], name: str) -> tuple[int | None, str]:
    """The first line (1-based) and tag that mention ``name``."""
    if not name:
        return None, ""
    for i, line in enumerate(lines, start=1):
        for tag in _TAG.findall(line):
            if re.search(rf"(?<![\w.]){re.escape(name)}\b|\.{re.escape(name)}\b", tag):
                return i, tag
    return None, ""


def _line_ref(lines: list[str], lineno: int | None) -> str:
    if not lineno:
        return ""
    text = lines[lineno - 1].strip() if 0 < lineno <= len(lines) else ""
    shown = text if len(text) <= 60 else text[:57] + "…"
    return f"第 {lineno} 行（“{shown}”）" if shown else f"第 {lineno} 行"


def _known_variables(context: dict[str, Any]) -> str:
    import dataclasses

    names = []
    for key, value in context.items():
        if dataclasses.is_dataclass(value):
            fields = [f.name for f in dataclasses.fields(value)]
            names.append(f"{key}（{'、'.join(f'{key}.{f}' for f in fields)}）")
        elif isinstance(value, dict):
            names.append(f"{key}（{'、'.join(f'{key}.{f}' for f in value)}）")
        else:
            names.append(key)
    return "、".join(names)


def _source_lines(env: jinja2.Environment, name: str) -> list[str]:
    try:
        source = env.loader.get_source(env, name)[0] if env.loader else ""
    except Exception:
        return []
    return source.splitlines()


def _template_file(env: jinja2.Environment, name: str) -> str:
    try:
        source = env.loader.get_source(env, name) if env.loader else None
    except Exception:
        return name
    return str(source[1]) if source and source[1] else name


# The words the generated sentences use, from the phrase files the checks read
# (gdr_gen/checks/phrases/*.toml, each entry's `write`): what gdr-gen writes is what it accepts.
SENTENCE_WORDS: dict[str, tuple[str, str]] = {
    "received": ("subjects", "new"),
    "natural": ("subjects", "natural"),
    "legal": ("subjects", "legal"),
    "carried_over": ("subjects", "carried_over"),
    "handled": ("subjects", "handled"),
    "granted": ("subjects", "granted"),
    "partial": ("subjects", "partial"),
    "granted_total": ("subjects", "granted_partial"),
    "carried_forward": ("subjects", "carried_forward"),
    "reconsideration": ("subjects", "reconsideration"),
    "litigation": ("subjects", "litigation"),
    "no_requests": ("claims", "no_requests"),
    "all_done": ("claims", "all_done"),
    "no_carry_forward": ("claims", "no_carry_forward"),
    "no_appeals": ("claims", "no_appeals"),
    "all_closed": ("claims", "all_closed"),
    "fee_none": ("claims", "fee_none"),
}


def sentence_words() -> dict[str, str]:
    """The vocabulary of the sentence templates (``{{ words.fee_none }}`` …)."""
    from .checks.vocabulary import phrases

    p = phrases()
    return {name: p.write(file, key) for name, (file, key) in SENTENCE_WORDS.items()}


def render_sentences(
    report: Report,
    options: SentenceOptions | None = None,
    *,
    template_dir: str | Path | None = None,
    renderer: SentenceRenderer | None = None,
) -> dict[str, str | None]:
    """The generated sentences, keyed preface/requests/appeals/fee; None where switched off."""
    options = options or SentenceOptions()
    renderer = renderer or SentenceRenderer(template_dir)
    base = {
        "year": report.year,
        "agency": report.agency,
        "format_name": report.spec.name,
        "subject": sentence_subject(report),
        "words": sentence_words(),
    }
    use = wanted(report, options)
    fee = report.processing_fee
    out: dict[str, str | None] = {
        "preface": report.narrative.preface or renderer.render("preface", **base),
        "requests": renderer.render("requests", r=request_figures(report), **base)
        if use["requests"]
        else None,
        "appeals": renderer.render("appeals", a=appeal_figures(report), **base)
        if use["appeals"]
        else None,
        "fee": renderer.render(
            "fee",
            fee={"charged": fee.charged, "cases": fee.cases, "amount": money_text(fee.amount_yuan)},
            **base,
        )
        if use["fee"]
        else None,
    }
    return out
