"""Read the JSON data format (docs/data-format.md) with strict validation.

Anything wrong inside a syntactically valid file becomes a finding at its JSON path
(``requests.new[0]``), never an exception: unknown keys, missing keys, wrong types, rows of
the wrong length, fractional counts, unparsable money. A value that cannot be used is
replaced by 0 and its path is reported as invalid, so sums over it are not checked twice.
"""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ..errors import InputError, UnsupportedFormatError
from ..findings import Finding, Locator, Severity, make_finding
from ..formats import FORMATS, YEAR_PATH, FormatSpec, ValuePath, get_format, path_str
from ..model import (
    AGENCY_KINDS,
    MAX_COUNT,
    Appeals,
    CountRow,
    DocCounts,
    Narrative,
    NarrativeSection,
    Proactive,
    ProcessingFee,
    Report,
    Requests,
    Subsection,
)
from . import TITLE_NUMBER, LoadResult

MAX_JSON_BYTES = 20 * 1024 * 1024
TOP_KEYS = (
    "format",
    "agency",
    "year",
    "agency_kind",
    "rulemaking",
    "publish_date",
    "narrative",
    "proactive",
    "requests",
    "appeals",
    "processing_fee",
)
OPTIONAL_TOP = {"publish_date"}
NARRATIVE_KEYS = ("preface", "overview", "problems", "other")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SURROGATE = re.compile("[\ud800-\udfff]")
# Amounts beyond these are not money but hostile or broken input (and would make huge strings).
_MAX_MONEY_DIGITS = 18
_MAX_MONEY_DECIMALS = 30


class _Object(dict[str, Any]):
    """A decoded JSON object that remembers keys given more than once (json keeps the last)."""

    duplicates: tuple[str, ...] = ()


def _object_pairs(pairs: list[tuple[str, Any]]) -> _Object:
    obj = _Object(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        duplicates: list[str] = []
        for key, _ in pairs:
            if key in seen:
                duplicates.append(key)
            seen.add(key)
        obj.duplicates = tuple(dict.fromkeys(duplicates))
    return obj


class _Missing:
    """Stands for a top-level object the file left out (already reported once)."""


_MISSING: Any = _Missing()


def _big(value: int) -> str:
    """A huge count for a message: its first digits, not all of them."""
    if value.bit_length() > 10_000:  # str() refuses more than 4300 digits
        return "一个上千位的数"
    text = str(value)
    return text if len(text) <= 24 else text[:23] + "…"


def _type_name(value: Any) -> str:
    if value is None:
        return "空值 null"
    if isinstance(value, bool):
        return "布尔值"
    if isinstance(value, int):
        return "整数"
    if isinstance(value, Decimal):
        return "小数"
    if isinstance(value, str):
        return "文本"
    if isinstance(value, list):
        return "列表"
    if isinstance(value, dict):
        return "对象"
    return type(value).__name__


def parse_money(value: Any) -> Decimal | None:
    """A decimal from a JSON string or number, without binary rounding; None if not one."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | Decimal):
        d = Decimal(value)
    elif isinstance(value, str):
        try:
            d = Decimal(value.strip().replace(",", ""))
        except InvalidOperation:
            return None
    else:
        return None
    if not d.is_finite() or d.adjusted() >= _MAX_MONEY_DIGITS:
        return None
    exponent = d.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -_MAX_MONEY_DECIMALS:
        return None
    return d


class _Validator:
    def __init__(self, spec: FormatSpec) -> None:
        self.spec = spec
        self.findings: list[Finding] = []
        self.invalid: set[ValuePath] = set()

    def data_error(self, where: str, message: str) -> None:
        self.findings.append(make_finding("DATA-01", where or "（顶层）", message))

    def keys(
        self,
        obj: Any,
        where: str,
        required: tuple[str, ...],
        optional: tuple[str, ...] = (),
    ) -> dict[str, Any] | None:
        if obj is _MISSING:
            return None
        if not isinstance(obj, dict):
            self.data_error(where, f"{where or '顶层'} 应为对象，实际是{_type_name(obj)}")
            return None
        for key in getattr(obj, "duplicates", ()):
            self.data_error(
                _join(where, key), f"字段 “{key}” 出现了不止一次，只有最后一次的值会被使用"
            )
        for key in obj:
            if key not in required and key not in optional:
                allowed = "、".join((*required, *optional))
                self.data_error(
                    _join(where, key), f"未知字段 “{key}”（可用字段：{allowed}）；请检查拼写"
                )
        for key in required:
            if key not in obj:
                self.data_error(_join(where, key), f"缺少字段 “{key}”")
        return obj

    def count(self, value: Any, path: ValuePath, *, rule: str = "VAL-01") -> int:
        where = path_str(path)
        if isinstance(value, int) and not isinstance(value, bool):
            if abs(value) <= MAX_COUNT:
                return value
            reason = f"{_big(value)} 数值大得不合理（超过 {MAX_COUNT:,}），请核对"
        elif isinstance(value, Decimal) and value.is_finite():
            reason = f"{value} 不是整数，件数应为整数"
        elif isinstance(value, str):
            reason = f"“{value}”是文本，件数应为整数"
        else:
            reason = f"应为整数，实际是{_type_name(value)}"
        label = self.spec.label_of(path)
        self.findings.append(make_finding(rule, where, f"{label}：{reason}", paths=[path]))
        self.invalid.add(path)
        return 0

    def money(self, value: Any, path: ValuePath, what: str) -> Decimal:
        parsed = parse_money(value)
        if parsed is None:
            self.findings.append(
                make_finding(
                    "VAL-02",
                    path_str(path),
                    f'{what}“{value}”不是有效的金额，应为数字（如 "3857.85"）',
                    paths=[path],
                )
            )
            self.invalid.add(path)
            return Decimal("0")
        return parsed

    def text(self, value: Any, where: str, *, nullable: bool = True) -> str | None:
        if value is None and nullable:
            return None
        if isinstance(value, str):
            return value
        self.data_error(where, f"{where} 应为文本，实际是{_type_name(value)}")
        return None

    # ---- sections
    def narrative_section(self, obj: Any, where: str) -> NarrativeSection:
        d = self.keys(obj, where, (), ("intro", "sections"))
        if d is None:
            return NarrativeSection()
        intro = self.text(d.get("intro"), _join(where, "intro"))
        sections: list[Subsection] = []
        raw = d.get("sections", [])
        if not isinstance(raw, list):
            self.data_error(_join(where, "sections"), "sections 应为列表")
            raw = []
        for i, item in enumerate(raw):
            sw = f"{_join(where, 'sections')}[{i}]"
            s = self.keys(item, sw, ("title", "text"))
            if s is None:
                continue
            # A missing title/text is already reported by keys(); do not add a type error.
            title = (
                self.text(s["title"], _join(sw, "title"), nullable=False) if "title" in s else ""
            )
            text = self.text(s["text"], _join(sw, "text"), nullable=False) if "text" in s else ""
            if isinstance(title, str) and not title.strip() and "title" in s:
                self.data_error(
                    _join(sw, "title"), "小标题为空：报告会印出一个只有编号的标题，请填写小标题"
                )
            elif isinstance(title, str) and TITLE_NUMBER.match(title):
                self.findings.append(
                    make_finding(
                        "DATA-01",
                        _join(sw, "title"),
                        f"小标题“{title}”自带编号；报告会自动编号（（一）（二）…），"
                        "请去掉编号，否则编号会印两遍",
                        severity=Severity.WARNING,
                    )
                )
            sections.append(Subsection(title or "", text or ""))
        return NarrativeSection(intro, sections)

    def narrative(self, obj: Any) -> Narrative:
        d = self.keys(obj, "narrative", ("overview", "problems", "other"), ("preface",))
        if d is None:
            return Narrative()
        return Narrative(
            preface=self.text(d.get("preface"), "narrative.preface"),
            overview=self.narrative_section(d.get("overview", {}), "narrative.overview"),
            problems=self.narrative_section(d.get("problems", {}), "narrative.problems"),
            other=self.narrative_section(d.get("other", {}), "narrative.other"),
        )

    def proactive(self, obj: Any) -> Proactive:
        spec = self.spec
        doc_keys = tuple(d.key for d in spec.doc_rows)
        scalar_keys = tuple(k for k, _ in spec.decision_keys)
        money_keys = tuple(k for k, _ in spec.money_keys)
        d = self.keys(obj, "proactive", (*doc_keys, *scalar_keys, *money_keys)) or {}
        docs: dict[str, DocCounts] = {}
        col_keys = tuple(k for k, _ in spec.doc_columns)
        for key in doc_keys:
            where = f"proactive.{key}"
            row = (self.keys(d[key], where, col_keys) or {}) if key in d else {}
            values = {}
            for col in col_keys:
                path: ValuePath = ("proactive", key, col)
                if col in row:
                    values[col] = self.count(row[col], path)
                else:
                    self.invalid.add(path)
                    values[col] = 0
            docs[key] = DocCounts(**values)
        decisions: dict[str, int] = {}
        for key in scalar_keys:
            path = ("proactive", key)
            if key in d:
                decisions[key] = self.count(d[key], path)
            else:
                self.invalid.add(path)
                decisions[key] = 0
        money: dict[str, Decimal] = {}
        for key, label in spec.money_keys:
            path = ("proactive", key)
            if key in d:
                money[key] = self.money(d[key], path, f"表二「{label}」")
            else:
                self.invalid.add(path)
                money[key] = Decimal("0")
        return Proactive(docs, decisions, money)

    def count_row(self, raw: Any, head: str, key: str, width: int) -> CountRow:
        where = f"{head}.{key}"
        if not isinstance(raw, list):
            self.data_error(where, f"{where} 应为 {width} 或 {width + 1} 个整数的列表")
            self.invalid.update((head, key, i) for i in range(width + 1))
            return CountRow([0] * width)
        if len(raw) not in (width, width + 1):
            self.data_error(
                where,
                f"{where} 有 {len(raw)} 个数，应为 {width} 个（不含总计）或 {width + 1} 个（含总计）",
            )
            self.invalid.update((head, key, i) for i in range(width + 1))
            return CountRow([0] * width)
        values = [self.count(v, (head, key, i)) for i, v in enumerate(raw[:width])]
        total = self.count(raw[width], (head, key, width)) if len(raw) > width else None
        return CountRow(values, total)

    def requests(self, obj: Any) -> Requests:
        spec = self.spec
        width = len(spec.applicant_columns)
        keys = tuple(r.key for r in spec.request_rows if not r.is_total)
        total_key = next(r.key for r in spec.request_rows if r.is_total)
        d = self.keys(obj, "requests", keys, (total_key,)) or {}
        rows: dict[str, CountRow] = {}
        for key in keys:
            if key in d:
                rows[key] = self.count_row(d[key], "requests", key, width)
            else:
                self.invalid.update(("requests", key, i) for i in range(width + 1))
                rows[key] = CountRow([0] * width)
        declared = (
            self.count_row(d[total_key], "requests", total_key, width) if total_key in d else None
        )
        return Requests(rows, declared, tuple(r.key for r in spec.result_rows))

    def appeals(self, obj: Any) -> Appeals:
        width = len(self.spec.appeal_outcomes)
        keys = tuple(r.key for r in self.spec.appeal_rows)
        d = self.keys(obj, "appeals", keys) or {}
        rows: dict[str, CountRow] = {}
        for key in keys:
            if key in d:
                rows[key] = self.count_row(d[key], "appeals", key, width)
            else:
                self.invalid.update(("appeals", key, i) for i in range(width + 1))
                rows[key] = CountRow([0] * width)
        return Appeals(rows)

    def processing_fee(self, obj: Any) -> ProcessingFee:
        d = self.keys(obj, "processing_fee", ("cases", "amount_yuan"))
        if d is None:
            return ProcessingFee()
        cases_raw = d.get("cases")
        cases: int | None
        if cases_raw is None:
            cases = None
        elif isinstance(cases_raw, int) and not isinstance(cases_raw, bool):
            cases = cases_raw
            if abs(cases_raw) > MAX_COUNT:
                self.findings.append(
                    make_finding(
                        "VAL-01",
                        "processing_fee.cases",
                        f"信息处理费收费件数 {_big(cases_raw)} 数值大得不合理"
                        f"（超过 {MAX_COUNT:,}），请核对",
                    )
                )
                cases = 0
        else:
            self.findings.append(
                make_finding(
                    "VAL-01",
                    "processing_fee.cases",
                    f"信息处理费收费件数应为整数或 null，实际是{_type_name(cases_raw)}",
                )
            )
            cases = 0
        amount = parse_money(d.get("amount_yuan", "0"))
        if amount is None:
            self.findings.append(
                make_finding(
                    "VAL-02",
                    "processing_fee.amount_yuan",
                    f"信息处理费金额“{d.get('amount_yuan')}”不是有效的金额（单位：元）",
                )
            )
            amount = Decimal("0")
        return ProcessingFee(cases, amount)


def _scrub_surrogates(data: Any) -> list[str]:
    """Replace, in place, lone surrogates (a ``"\\ud800"`` escape: valid JSON, but no file or
    screen can show it) by U+FFFD in every key and string; return where they were."""
    found: list[str] = []

    def clean(value: Any, where: str) -> Any:
        if isinstance(value, str) and _SURROGATE.search(value):
            value = _SURROGATE.sub("\ufffd", value)
            found.append(where)
        return value

    stack: list[tuple[Any, str]] = [(data, "")]
    while stack:  # iterative: the nesting may be as deep as the JSON parser allows
        node, where = stack.pop()
        if isinstance(node, dict):
            items = list(node.items())
            if any(isinstance(k, str) and _SURROGATE.search(k) for k, _ in items):
                node.clear()
                for k, v in items:
                    if isinstance(k, str) and _SURROGATE.search(k):
                        k = _SURROGATE.sub("\ufffd", k)
                        found.append(_join(where, k))
                    node[k] = v
            for k, v in node.items():
                node[k] = clean(v, _join(where, k))
                stack.append((node[k], _join(where, k)))
        elif isinstance(node, list):
            for i, v in enumerate(node):
                node[i] = clean(v, f"{where}[{i}]")
                stack.append((node[i], f"{where}[{i}]"))
    return found


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def report_from_data(data: Any, source: str = "") -> LoadResult:
    """Validate a decoded JSON object and build the report; problems become findings."""
    if not isinstance(data, dict):
        raise InputError(source or "数据", f"顶层应为 JSON 对象，实际是{_type_name(data)}")
    pre: list[Finding] = [
        make_finding(
            "DATA-01",
            where,
            "含有无效的字符（单独的 UTF-16 代理项，如 \\ud800），无法显示或保存，"
            "已替换为 �；请改正这段文字",
        )
        for where in sorted(set(_scrub_surrogates(data)))
    ]
    version = data.get("format", None)
    if version is None:
        version = get_format().version  # the missing key itself is reported with the others
    if isinstance(version, int) and not isinstance(version, bool) and str(version) in FORMATS:
        pre.append(make_finding("DATA-01", "format", f'format 应为文本 "{version}"，而不是数字'))
        version = str(version)
    if not isinstance(version, str):
        raise UnsupportedFormatError(version, sorted(FORMATS))
    spec = get_format(version)  # an unknown version cannot be read at all: exit 2
    v = _Validator(spec)
    v.findings.extend(pre)
    d = v.keys(data, "", tuple(k for k in TOP_KEYS if k not in OPTIONAL_TOP), tuple(OPTIONAL_TOP))
    assert d is not None

    raw_agency = d.get("agency", "")
    agency = v.text(raw_agency, "agency", nullable=False) or ""
    if isinstance(raw_agency, str) and "agency" in d and not agency.strip():
        v.data_error("agency", "机关全称不能为空")
    year_raw = d.get("year", 2000)
    year = 2000
    if isinstance(year_raw, int) and not isinstance(year_raw, bool) and 2000 <= year_raw <= 2100:
        year = year_raw
    else:
        v.invalid.add(YEAR_PATH)  # the stand-in 2000 must not be compared with anything
        if "year" in d:
            v.data_error("year", f"年度应为 2000–2100 之间的整数，实际是 {year_raw!r}")
    kind: Any = d.get("agency_kind", "government")
    if not isinstance(kind, str) or kind not in AGENCY_KINDS:
        v.data_error(
            "agency_kind",
            f'机关类型应为 "government"（人民政府）或 "department"（政府部门），实际是 {kind!r}',
        )
        kind = "government"
    rulemaking = d.get("rulemaking", False)
    if not isinstance(rulemaking, bool):
        v.data_error("rulemaking", f"是否有规章制定权应为 true 或 false，实际是 {rulemaking!r}")
        rulemaking = False
    publish_date = None
    raw_date = d.get("publish_date")
    if raw_date is not None:
        try:
            if not isinstance(raw_date, str) or not _DATE.match(raw_date):
                raise ValueError
            publish_date = date.fromisoformat(raw_date)
        except ValueError:
            v.data_error(
                "publish_date", f"发布日期应为 YYYY-MM-DD 格式或 null，实际是 {raw_date!r}"
            )

    report = Report(
        format=spec.version,
        agency=agency,
        year=year,
        agency_kind=kind,
        rulemaking=rulemaking,
        publish_date=publish_date,
        narrative=v.narrative(d.get("narrative", _MISSING)),
        proactive=v.proactive(d.get("proactive", _MISSING)),
        requests=v.requests(d.get("requests", _MISSING)),
        appeals=v.appeals(d.get("appeals", _MISSING)),
        processing_fee=v.processing_fee(d.get("processing_fee", _MISSING)),
    )
    return LoadResult(report, v.findings, v.invalid, Locator(source), source)


_JSON_ERRORS = {
    "Expecting value": "此处缺少一个值",
    "Expecting property name enclosed in double quotes": "字段名应放在英文双引号中",
    "Expecting ',' delimiter": "缺少英文逗号",
    "Expecting ':' delimiter": "缺少英文冒号",
    "Unterminated string starting at": "字符串缺少结尾的双引号",
    "Invalid control character at": "字符串中有不允许的控制字符",
    "Invalid \\escape": "无效的转义符",
    "Extra data": "数据结束后还有多余内容",
}


def _json_error(msg: str) -> str:
    return _JSON_ERRORS.get(msg, msg)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"不允许的数值 {name}")


def read_json(path: str | Path) -> LoadResult:
    """Read a JSON data file. Unreadable files raise InputError (exit 2)."""
    p = Path(path)
    from . import check_input_file
    from .text_decode import decode_text

    raw = check_input_file(p, max_bytes=MAX_JSON_BYTES)
    text = decode_text(raw, source=str(p))  # UTF-8 (BOM or not), UTF-16 with BOM, GBK
    try:
        data = json.loads(
            text,
            parse_float=Decimal,
            parse_constant=_reject_constant,
            object_pairs_hook=_object_pairs,
        )
    except json.JSONDecodeError as exc:
        raise InputError(
            p, f"JSON 格式错误（第 {exc.lineno} 行第 {exc.colno} 列）：{_json_error(exc.msg)}"
        ) from None
    except (ValueError, RecursionError) as exc:
        raise InputError(p, f"JSON 内容无法解析：{exc}") from None
    try:
        return report_from_data(data, str(p))
    except UnsupportedFormatError as exc:
        raise InputError(p, exc.message) from None
