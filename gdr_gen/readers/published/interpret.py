"""One interpreter for every published report: blocks → JSON data format dict → Report.

What is read: agency, year and kind from the title; the publish date from the 落款 (or the
page's 发布时间); the preface; sections 一, 五, 六 with their （一）… subsections; the three
tables, row by row, matched against the labels of the one format definition after
normalising brackets, spaces, line breaks and known variants. What deviates from the format
is imported as printed and reported as a finding (rules IMP-01 … IMP-05, VAL-04); nothing is
guessed silently, and a value that cannot be placed is never shifted into another column.
"""

from __future__ import annotations

import re
from dataclasses import field
from decimal import Decimal, InvalidOperation
from difflib import SequenceMatcher
from typing import Any

from ...errors import InputError, NotAReportError
from ...findings import Finding, Severity, make_finding
from ...formats import FormatSpec, RowDef, ValuePath, get_format
from ...records import record
from .blocks import BlockDoc, Cell, Para, Table, clean_text, compact

FORMAT_2019_NAME = "国办公开办函〔2019〕60号"

# ---------------------------------------------------------------- label knowledge
# Variants real reports print for a label of the format (compact form → official label).
LABEL_VARIANTS = {
    "规范性文件": "行政规范性文件",
    "其他规范性文件": "行政规范性文件",
    "行政性规范文件": "行政规范性文件",
}
_CN_NUM = "一二三四五六七八九十"
_SECTION_KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("overview", ("总体情况",)),
    ("proactive", ("主动公开政府信息", "主动公开情况")),
    ("requests", ("收到和处理", "依申请公开", "处理政府信息公开申请")),
    ("appeals", ("行政复议", "行政诉讼")),
    ("problems", ("存在的主要问题", "问题及改进", "存在问题", "主要问题")),
    ("other", ("其他需要报告", "其他事项")),
)
_SECTION_ORDER = ("overview", "proactive", "requests", "appeals", "problems", "other")
_HEADING = re.compile(r"^#*\s*([一二三四五六七八])\s*[、.．]\s*(.{1,40})$")
_SUBHEADING = re.compile(r"^#*\s*[（(]\s*([一二三四五六七八九十]{1,3})\s*[)）]\s*(.*)$", re.S)
_DATE_ONLY = re.compile(r"^[（(]?((?:19|20)\d\d)年(\d{1,2})月(\d{1,2})日[)）]?$")
_PAGE_DATE = re.compile(
    r"(?:发布|公开|成文|印发)(?:时间|日期)\s*[:：]?\s*((?:19|20)\d\d)\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})"
)
_YEAR = re.compile(r"((?:19|20)\d\d)年度?")
_GOVERNMENT = re.compile(r"(人民政府|管委会|管理委员会|行政公署)$")
_RULEMAKING = re.compile(
    r"^(.{2,12}(省|自治区)人民政府|(北京|天津|上海|重庆)市人民政府|[^县区旗]{2,8}(市|自治州)人民政府)$"
)
_DASH = {"-", "—", "–", "－", "/", "／", "——", "\\", "无", "×"}
_NUMBER = re.compile(r"^[+]?\d[\d,，]*(?:\.\d+)?$")
_NUMBER_NOTE = re.compile(r"^(\d[\d,，]*(?:\.\d+)?)(件|个|项|万元|元)?[(（\[【](.+?)[)）\]】]?$")
_UNIT = re.compile(r"(件|个|项|万元|元)$")


def _cn_number(text: str) -> int:
    """一…九十九 as an int (for （十一）)."""
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + _CN_NUM.index(text[1]) + 1
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_CN_NUM.index(tens) + 1) * 10 + (_CN_NUM.index(ones) + 1 if ones else 0)
    return _CN_NUM.index(text) + 1


def _ratio(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def _strip_number(label: str) -> str:
    return re.sub(r"^(\d+\.|\([一二三四五六七八九十]+\)|[一二三四五六七八九十]+、)", "", label)


# ---------------------------------------------------------------- values
@record
class Value:
    text: str  # the cell as printed
    number: str | None  # the digits read, None when blank
    note: str | None = None  # a note printed in the cell: 22（其中修订16件）
    unit: str | None = None
    bad: bool = False  # text where a number belongs (十七, 见附件): not readable


def parse_value(text: str) -> Value | None:
    """A value cell: a number (full-width digits, thousands separators, a unit), a blank or
    dash, or a number with a note. None when the cell is not a value at all (a label)."""
    t = compact(text)
    if t in ("", *_DASH):
        return Value(text, None)
    m = _NUMBER_NOTE.match(t)
    if m and not _NUMBER.match(t):
        number = m.group(1).replace(",", "").replace("，", "")
        return Value(text, number, note=m.group(3), unit=m.group(2))
    unit = None
    if u := _UNIT.search(t):
        unit = u.group(1)
        t = t[: u.start()]
    if _NUMBER.match(t):
        return Value(text, t.replace(",", "").replace("，", ""), unit=unit)
    return None


# ---------------------------------------------------------------- row model
@record
class Row:
    labels: list[str]
    values: list[Value]
    table: Table
    index: int

    @property
    def label(self) -> str:
        return " ".join(x for x in dict.fromkeys(self.labels) if x)


def table_rows(table: Table) -> list[Row]:
    """Each printed row as (label cells, trailing value cells), merged cells counted once."""
    out: list[Row] = []
    for i, line in enumerate(table.grid()):
        cells: list[Cell] = []
        for c in line:
            if c is not None and (not cells or cells[-1] is not c):
                cells.append(c)
        values: list[Value] = []
        k = len(cells)
        while k > 0:
            v = parse_value(cells[k - 1].text)
            if v is None:
                break
            values.insert(0, v)
            k -= 1
        labels = [clean_text(c.text) for c in cells[:k]]
        out.append(Row(labels, values, table, i))
    return out


@record
class Placed:
    path: ValuePath
    value: Value


@record
class _TableState:
    name: str
    blanks: list[str] = field(default_factory=list)
    found: set[str] = field(default_factory=set)


class Interpreter:
    def __init__(self, doc: BlockDoc, source: str, spec: FormatSpec | None = None) -> None:
        self.doc = doc
        self.source = source
        self.spec = spec or get_format()
        self.findings: list[Finding] = []
        self.invalid: set[ValuePath] = set()
        self.values: dict[ValuePath, Any] = {}
        self.state = {
            k: _TableState(n)
            for k, n in (("proactive", "表二"), ("requests", "表三"), ("appeals", "表四"))
        }

    # ---- findings
    def add(
        self,
        rule: str,
        where: str,
        message: str,
        *,
        paths: tuple[ValuePath, ...] = (),
        severity: Severity | None = None,
        group: str | None = None,
    ) -> None:
        self.findings.append(
            make_finding(rule, where, message, paths=paths, severity=severity, group=group)
        )

    # ---- top level
    def run(self, agency_kind: str | None = None) -> dict[str, Any]:
        body = [b for b in self.doc.blocks if not b.outside]
        title_i, agency, year = self._title(body)
        tables = [b for b in body if isinstance(b, Table)]
        self._check_2019(tables, year)
        headings = self._headings(body)
        self._read_tables(tables)
        matched_rows = sum(len(s.found) for s in self.state.values())
        if title_i is None and matched_rows < 5:
            raise self._not_report()
        if matched_rows < 5 and len(headings) < 3:
            raise self._not_report()
        kind = agency_kind or ("government" if _GOVERNMENT.search(agency) else "department")
        publish_date, end = self._publish_date(body, headings)
        narrative = self._narrative(body, title_i, headings, end)
        data: dict[str, Any] = {
            "format": self.spec.version,
            "agency": agency,
            "year": year,
            "agency_kind": kind,
            "rulemaking": kind == "government" and bool(_RULEMAKING.match(agency)),
            "publish_date": publish_date,
            "narrative": narrative,
            **self._table_data(),
            "processing_fee": self._processing_fee(narrative["other"]),
        }
        return data

    def _not_report(self) -> NotAReportError:
        firsts = [p.text for p in self.doc.paragraphs()[:8] if p.text.strip()]
        title = next(
            (t for t in [self.doc.page_title, *firsts] if "指南" in compact(t)),
            self.doc.page_title or (firsts[0] if firsts else ""),
        )
        shown = f"（标题：{title[:60]}）" if title else ""
        what = "政府信息公开指南" if "指南" in compact(title) else "政府信息公开工作年度报告"
        reason = (
            f"这是一份{what}，不是政府信息公开工作年度报告{shown}"
            if what != "政府信息公开工作年度报告"
            else f"这个{self.doc.kind or '文件'}不像是政府信息公开工作年度报告{shown}：没有找到年报标题和统计表格"
        )
        return NotAReportError(
            self.source,
            reason,
            hint="请选择年报本身（网页、Word、PDF 或文本），其中应有“……年政府信息公开工作年度报告”标题和表二、表三、表四。",
        )

    # ---- title, agency, year
    def _title(self, body: list[Any]) -> tuple[int | None, str, int]:
        paras = [(i, b) for i, b in enumerate(body) if isinstance(b, Para)]
        for n, (i, p) in enumerate(paras[:40]):
            t = compact(p.text).lstrip("#")
            parsed = _parse_title(t)
            if (parsed is None or not parsed[0]) and n > 0:
                prev = compact(paras[n - 1][1].text).lstrip("#")
                if len(prev) <= 40 and "。" not in prev:
                    parsed = _parse_title(prev + t)
            if parsed is not None and parsed[0]:
                return i, parsed[0], parsed[1]
        for text in [
            *(p.text for p in self.doc.paragraphs() if p.outside),
            self.doc.page_title,
        ]:
            parsed = _parse_title(compact(text))
            if parsed is not None and parsed[0]:
                return None, parsed[0], parsed[1]
        title = self.doc.page_title
        if "指南" in compact(title) or any(
            "政府信息公开指南" in compact(p.text) for p in self.doc.paragraphs()[:30]
        ):
            raise self._not_report()
        # A report without a recognisable title: the tables may still be readable.
        self.add(
            "IMP-05",
            "标题",
            "没有找到“××机关××××年政府信息公开工作年度报告”这样的标题，无法确定机关名称和年度",
            severity=Severity.ERROR,
        )
        self.invalid.add(("year",))
        return None, "", 2000

    def _check_2019(self, tables: list[Table], year: int) -> None:
        old_headers = ("本年新制作数量", "对外公开总数量", "本年新公开数量")
        header_2019 = any(
            any(h in compact(c.text) for h in old_headers)
            for t in tables
            for row in t.rows
            for c in row
        )
        if header_2019 or 2000 < year <= 2020:
            raise InputError(
                self.source,
                f"这是按 2019 年格式（{FORMAT_2019_NAME}）编写的年报"
                + (f"（{year} 年度）" if year > 2000 else "")
                + f"；gdr-gen 目前只能读取 2021 年格式（{self.spec.name}）的年报",
                hint="2019 年格式的表二、表三（六）与现行格式不同，无法直接比较；"
                "跨越 2020→2021 格式变更时，现行有效件数的衔接（XY-02）本来也不适用（XY-05）。",
            )

    # ---- sections
    def _headings(self, body: list[Any]) -> dict[str, int]:
        found: dict[str, int] = {}
        last = -1
        for i, b in enumerate(body):
            if not isinstance(b, Para):
                continue
            t = compact(b.text)
            m = _HEADING.match(t)
            if not m:
                continue
            title = m.group(2)
            for key, words in _SECTION_KEYWORDS:
                if any(w in title for w in words):
                    pos = _SECTION_ORDER.index(key)
                    if key not in found and pos > last:
                        found[key] = i
                        last = pos
                    break
        return found

    def _publish_date(self, body: list[Any], headings: dict[str, int]) -> tuple[str | None, int]:
        """The 落款 date (or the page's 发布时间) and where the report body ends."""
        end = len(body)
        start = headings.get("other", headings.get("problems", 0))
        for i in range(len(body) - 1, start, -1):
            b = body[i]
            if isinstance(b, Para) and (m := _DATE_ONLY.match(compact(b.text))):
                end = i
                if i > 0 and isinstance(body[i - 1], Para) and _is_signature(body[i - 1].text):
                    end = i - 1
                return _iso(m), end
            if isinstance(b, Para) and len(compact(b.text)) > 60:
                break  # real prose: the report has no 落款 date at its end
        first = min(headings.values(), default=len(body))
        for b in body[:first]:
            if isinstance(b, Para) and (m := _DATE_ONLY.match(compact(b.text))):
                return _iso(m), end
        for text in [self.doc.page_date, *(p.text for p in self.doc.paragraphs())]:
            if text and (m2 := _PAGE_DATE.search(text)):
                return _iso(m2), end
        self.add(
            "IMP-05",
            "publish_date",
            "没有找到落款日期或网页的发布时间，发布日期按未知处理（不检查是否逾期）",
            severity=Severity.INFO,
            group="基本信息",
        )
        return None, end

    def _narrative(
        self, body: list[Any], title_i: int | None, headings: dict[str, int], end: int
    ) -> dict[str, Any]:
        bounds = sorted(headings.values())
        first = bounds[0] if bounds else end
        start = (title_i + 1) if title_i is not None else 0
        preface = [
            b.text
            for b in body[start:first]
            if isinstance(b, Para) and b.text.strip() and not _is_meta_line(b.text)
        ]
        out: dict[str, Any] = {"preface": "\n".join(preface) or None}
        for key in ("overview", "problems", "other"):
            if key not in headings:
                self.add(
                    "IMP-05",
                    f"narrative.{key}",
                    f"没有找到第{'一五六'[('overview', 'problems', 'other').index(key)]}部分的标题"
                    f"（{self._section_heading(key)}），这一部分按空白读取",
                    severity=Severity.WARNING,
                    group="正文",
                )
                out[key] = {"intro": None, "sections": []}
                continue
            i = headings[key]
            stop = min([j for j in bounds if j > i] + [end])
            paras = [b for b in body[i + 1 : stop] if isinstance(b, Para) and b.text.strip()]
            out[key] = _narrative_section(paras)
        return out

    def _section_heading(self, key: str) -> str:
        for s in self.spec.sections:
            if s.narrative_key == key or s.table_key == key:
                return s.heading
        return key

    # ---- tables
    def _read_tables(self, tables: list[Table]) -> None:
        for table in tables:
            rows = table_rows(table)
            placed_any = False
            unplaced: list[Row] = []
            for row in rows:
                if not row.values or (all(v.number is None for v in row.values) and not row.labels):
                    continue
                if not row.labels and not any(v.number for v in row.values):
                    continue
                if self._place(row) or self._place_with_bad_cells(row):
                    placed_any = True
                elif (row.values and any(v.number is not None for v in row.values)) or row.labels:
                    unplaced.append(row)
            if placed_any:
                for row in unplaced:
                    if not row.values:
                        continue
                    self._unplaceable(row, "这一行的标签与正式格式的任何一行都对不上")

    def _place_with_bad_cells(self, row: Row) -> bool:
        """A row whose label is followed by text where numbers belong (十七, 见附件): the
        row is identified without those cells, and they are reported at their column."""
        for k in (1, 2):
            if len(row.labels) <= k or not row.values:
                continue
            bad = [Value(text, None, bad=True) for text in row.labels[-k:]]
            trial = Row(row.labels[:-k], bad + row.values, row.table, row.index)
            if self._place(trial):
                return True
        return False

    def _unplaceable(self, row: Row, why: str, name: str | None = None) -> None:
        shown = " | ".join(v.text.strip() or "（空）" for v in row.values)
        label = row.label or "（无标签）"
        self.add(
            "IMP-03",
            f"{name or self._table_name(row)}「{label}」",
            f"{name or self._table_name(row)}中的一行无法对应到正式格式：「{label}」，数值 {shown}；{why}。"
            "这一行未读取（不会把数字错位读入其他列），请核对原表",
            severity=Severity.ERROR,
            group=name or self._table_name(row),
        )

    def _table_name(self, row: Row) -> str:
        text = compact(" ".join(c.text for r in row.table.rows for c in r))
        if "行政许可" in text or "第二十条" in text:
            return "表二"
        if "复议" in text and "诉讼" in text and "予以公开" not in text:
            return "表四"
        return "表三"

    def _place(self, row: Row) -> bool:
        if not row.labels:
            return self._place_appeals(row)
        last = compact(row.labels[-1])
        joined = compact("".join(row.labels))
        # 表二
        name = LABEL_VARIANTS.get(last, last)
        for d in self.spec.doc_rows:
            if name == d.label:
                self._variant(row, last, d.label, "表二")
                paths: tuple[ValuePath, ...] = tuple(
                    ("proactive", d.key, k) for k, _ in self.spec.doc_columns
                )
                return self._put(row, paths, "proactive", d.key, d.label)
        for key, label in (*self.spec.decision_keys, *self.spec.money_keys):
            if name == label:
                return self._put(row, (("proactive", key),), "proactive", key, label)
        # 表四 in rows (a vertical layout or a table split per kind)
        for arow in self.spec.appeal_rows:
            if last in (arow.label, compact(arow.display)):
                width = len(self.spec.appeal_outcomes) + 1
                paths = tuple(("appeals", arow.key, k) for k in range(width))
                return self._put(row, paths, "appeals", arow.key, arow.display)
        # 表三
        rowdef, old_other = self._match_request(row.labels, last, joined)
        if rowdef is None:
            return False
        if old_other:
            self.add(
                "IMP-02",
                f"表三「{row.label}」",
                "表三使用旧版（2019 年格式）的单行“（六）其他处理”，没有 1、2、3 三个分项；"
                "这一行的数字已按“3.其他”读取，“1.逾期不补正”“2.逾期未缴费”按 0 读取",
                severity=Severity.WARNING,
                group="表三",
            )
        printed = compact(row.labels[-1])
        if not old_other and _strip_number(compact(rowdef.label)) not in printed:
            self._variant(row, row.labels[-1], rowdef.label, "表三")
        width = len(self.spec.applicant_columns) + 1
        paths = tuple(("requests", rowdef.key, k) for k in range(width))
        return self._put(row, paths, "requests", rowdef.key, rowdef.display)

    def _variant(self, row: Row, printed: str, official: str, table: str) -> None:
        if printed != official:
            self.add(
                "IMP-04",
                f"{table}「{printed}」",
                f"{table}的行标签“{printed}”与正式格式不同，已按“{official}”读取",
                severity=Severity.INFO,
                group=table,
            )

    def _match_request(
        self, labels: list[str], last: str, joined: str
    ) -> tuple[RowDef | None, bool]:
        spec = self.spec
        rows = spec.request_rows
        if "本年新收" in joined:
            return spec.request_row("new"), False
        if "上年结转" in joined:
            return spec.request_row("carried_over"), False
        if "结转下年度" in joined or "下年度继续" in joined:
            return spec.request_row("carried_forward"), False
        if "(七)" in last or last in ("总计", "合计") or last.endswith("(七)总计"):
            return spec.request_row("total"), False
        item = re.match(r"^(\d+)\.", last)
        if not item:
            body = _strip_number(last)
            if body.startswith("予以公开"):
                return spec.request_row("granted"), False
            if body.startswith("部分公开"):
                return spec.request_row("partially_granted"), False
            if ("其他处理" in body or body in ("其他", "其它")) and "(六)" in joined + last:
                return spec.request_row("other_misc"), True
            if "其他处理" in body:
                return spec.request_row("other_misc"), True
        sub = None
        for m in re.finditer(r"\(([三四五六])\)", joined):
            sub = m.group(1)
        if sub is None:
            for word, s in (
                ("不予公开", "三"),
                ("无法提供", "四"),
                ("不予处理", "五"),
                ("其他处理", "六"),
            ):
                if word in joined[: len(joined) - len(last)] if len(labels) > 1 else False:
                    sub = s
        candidates = [r for r in rows if r.is_result and r.subgroup]
        if sub is not None:
            candidates = [r for r in candidates if r.subgroup and f"（{sub}）" in r.subgroup]
        if item:
            numbered = [r for r in candidates if r.label.startswith(f"{item.group(1)}.")]
            if numbered:
                best = max(numbered, key=lambda r: _ratio(compact(r.label), last))
                if _ratio(compact(best.label), last) >= 0.45:
                    return best, False
            return None, False
        body = _strip_number(last)
        best_score, best_row = 0.0, None
        for r in candidates:
            score = _ratio(_strip_number(compact(r.label)), body)
            if score > best_score:
                best_score, best_row = score, r
        if best_row is not None and best_score >= 0.75:
            return best_row, False
        return None, False

    def _place_appeals(self, row: Row) -> bool:
        n = len(self.spec.appeal_outcomes) + 1
        text = compact(row.table.caption + " ".join(c.text for r in row.table.rows for c in r))
        if "复议" not in text and "诉讼" not in text:
            return False
        keys = [r.key for r in self.spec.appeal_rows]
        if len(row.values) == n * len(keys):
            ok = True
            for j, akey in enumerate(keys):
                apaths: tuple[ValuePath, ...] = tuple(("appeals", akey, k) for k in range(n))
                sub = Row([], row.values[j * n : (j + 1) * n], row.table, row.index)
                shown = self.spec.appeal_row(akey).display
                ok = self._put(sub, apaths, "appeals", akey, shown) and ok
            return ok
        if len(row.values) == n:
            caption = compact(row.table.caption)
            key: str | None = None
            if "复议后" in caption:
                key = "litigation_after_reconsideration"
            elif "未经复议" in caption or "直接起诉" in caption:
                key = "litigation_direct"
            elif "行政复议" in caption:
                key = "reconsideration"
            if key is not None:
                paths = tuple(("appeals", key, k) for k in range(n))
                return self._put(row, paths, "appeals", key, self.spec.appeal_row(key).display)
        self._unplaceable(
            row,
            f"表四的数据行应有 {n * len(keys)} 个数（行政复议、直接起诉、复议后起诉各 {n} 个）",
            "表四",
        )
        return True  # reported; the table is a 表四

    def _put(
        self, row: Row, paths: tuple[ValuePath, ...], table: str, key: str, label: str
    ) -> bool:
        state = self.state[table]
        name = state.name
        values = row.values
        width = len(paths)
        while len(values) > width and values[0].number is None:
            values = values[1:]  # an empty label cell (the old 表三's unused item column)
        while len(values) > width and values[-1].number is None:
            values = values[:-1]  # an empty cell after the row (a trailing pipe in text)
        if table in ("requests", "appeals") and len(values) == width - 1:
            paths = paths[:-1]  # no 总计 printed: the data format computes it
        elif len(values) != width:
            self._unplaceable(
                row,
                f"“{label}”一行应有 {width} 个数，实际有 {len(values)} 个",
                name,
            )
            for p in paths:
                self.invalid.add(p)
            state.found.add(key)
            return True
        if key in state.found:
            self._unplaceable(row, f"“{label}”一行出现了不止一次，只读取第一次", name)
            return True
        state.found.add(key)
        for p, v in zip(paths, values, strict=True):
            self._store(p, v, name, label, row)
        return True

    def _store(self, path: ValuePath, v: Value, table: str, label: str, row: Row) -> None:
        col = self._column_name(path)
        if v.bad:
            self.add(
                "IMP-03",
                f"{table}「{label}」{col}",
                f"{table}「{label}」{col}印的是“{v.text.strip()}”，不是数字，无法读取；"
                "这一格按无效处理（相关合计不检查），同行其他各列照常读取，请核对原表",
                paths=(path,),
                severity=Severity.ERROR,
                group=table,
            )
            self.invalid.add(path)
            self.values[path] = "0" if path[-1] == "fees" else 0
            return
        if v.number is None:
            self.values[path] = "0" if path[-1] == "fees" else 0
            self.state[str(path[0])].blanks.append(f"「{label}」{col}")
            return
        if v.note:
            self.add(
                "IMP-01",
                f"{table}「{label}」{col}",
                f"{table}「{label}」{col}印的是“{v.text.strip()}”：按 {v.number} 读取，"
                f"格中的注释“{v.note}”未计入数据，请核对",
                paths=(path,),
                severity=Severity.WARNING,
                group=table,
            )
        if path[-1] == "fees" or path[1] == "fees":
            try:
                amount = Decimal(v.number)
            except InvalidOperation:
                amount = Decimal("0")
                self.invalid.add(path)
            if v.unit == "元":
                amount = amount / 10000
            self.values[path] = format(amount, "f")
            return
        if "." in v.number:
            self._unplaceable(row, f"{col}的“{v.text.strip()}”不是整数", table)
            self.invalid.add(path)
            self.values[path] = 0
            return
        self.values[path] = int(v.number)

    def _column_name(self, path: ValuePath) -> str:
        if path[0] == "requests":
            return self.spec.request_columns[int(path[2])]
        if path[0] == "appeals":
            return self.spec.appeal_columns[int(path[2])]
        if len(path) == 3:
            return dict(self.spec.doc_columns)[str(path[2])]
        return ""

    def _table_data(self) -> dict[str, Any]:
        spec = self.spec
        for st in self.state.values():
            if st.blanks:
                shown = "、".join(st.blanks[:5]) + ("等" if len(st.blanks) > 5 else "")
                self.add(
                    "VAL-04",
                    f"{st.name} 等 {len(st.blanks)} 格" if len(st.blanks) > 1 else st.name,
                    f"{st.name}有 {len(st.blanks)} 个空白格（{shown}），已按 0 读取；"
                    "正式年报中没有的数据应填 0，不应留空",
                    group=st.name,
                )

        def get(path: ValuePath, default: Any = 0) -> Any:
            if path in self.values:
                return self.values[path]
            self.invalid.add(path)
            return default

        self._missing_rows()
        proactive: dict[str, Any] = {}
        for d in spec.doc_rows:
            proactive[d.key] = {k: get(("proactive", d.key, k)) for k, _ in spec.doc_columns}
        for key, _ in spec.decision_keys:
            proactive[key] = get(("proactive", key))
        for key, _ in spec.money_keys:
            proactive[key] = get(("proactive", key), "0")
        width = len(spec.applicant_columns)
        requests: dict[str, Any] = {}
        for r in spec.request_rows:
            vals = [get(("requests", r.key, k)) for k in range(width)]
            total = ("requests", r.key, width)
            if r.is_total:
                if total in self.values or any(
                    ("requests", r.key, k) in self.values for k in range(width)
                ):
                    requests[r.key] = [*vals, self.values.get(total, sum(vals))]
                continue
            requests[r.key] = [*vals, self.values[total]] if total in self.values else vals
        appeals: dict[str, Any] = {}
        n = len(spec.appeal_outcomes)
        for a in spec.appeal_rows:
            vals = [get(("appeals", a.key, k)) for k in range(n)]
            total = ("appeals", a.key, n)
            appeals[a.key] = [*vals, self.values[total]] if total in self.values else vals
        return {"proactive": proactive, "requests": requests, "appeals": appeals}

    def _missing_rows(self) -> None:
        spec = self.spec
        expected: dict[str, list[tuple[str, str]]] = {
            "proactive": [(d.key, d.label) for d in spec.doc_rows]
            + list(spec.decision_keys)
            + list(spec.money_keys),
            "requests": [(r.key, r.display) for r in spec.request_rows],
            "appeals": [(r.key, r.display) for r in spec.appeal_rows],
        }
        old_layout = any(f.rule == "IMP-02" for f in self.findings)
        for table, rows in expected.items():
            st = self.state[table]
            if not st.found:
                self.add(
                    "IMP-03",
                    st.name,
                    f"没有找到{st.name}（或其中没有一行能对应到正式格式），{st.name}的数据未读取",
                    severity=Severity.ERROR,
                    group=st.name,
                )
                continue
            missing = [label for key, label in rows if key not in st.found]
            if table == "requests":
                optional = {"（七）总计"}
                if old_layout:
                    optional |= {
                        spec.request_row("other_no_correction").display,
                        spec.request_row("other_fee_unpaid").display,
                    }
                missing = [m for m in missing if m not in optional]
                if old_layout:
                    for key in ("other_no_correction", "other_fee_unpaid"):
                        for k in range(len(spec.applicant_columns)):
                            self.values.setdefault(("requests", key, k), 0)
            if missing:
                self.add(
                    "IMP-03",
                    st.name,
                    f"{st.name}中没有找到这些行：{'、'.join(missing)}；它们的数据未读取",
                    severity=Severity.ERROR,
                    group=st.name,
                )

    # ---- 信息处理费 (section 六)
    def _processing_fee(self, other: dict[str, Any]) -> dict[str, Any]:
        text = compact(
            "\n".join(
                [other.get("intro") or ""]
                + [f"{s['title']}\n{s['text']}" for s in other.get("sections", [])]
            )
        )
        return parse_processing_fee(text)


def parse_processing_fee(text: str) -> dict[str, Any]:
    """信息处理费 as section 六 states it; both 0 when it says none was charged (or nothing)."""
    if re.search(
        r"未(?:收取|收|产生)[^。；]{0,12}信息处理费|信息处理费(?:为|共计|合计)?0(?:\.0+)?元|不收取[^。；]{0,6}信息处理费",
        text,
    ):
        return {"cases": 0, "amount_yuan": "0"}
    m = re.search(
        r"对(\d+)件[^。；]{0,10}收取[^。；]{0,6}信息处理费[^。；\d]{0,8}([\d.,]+)(万)?元", text
    )
    if m:
        return {"cases": int(m.group(1)), "amount_yuan": _yuan(m.group(2), m.group(3))}
    m = re.search(r"收取[^。；]{0,15}信息处理费[^。；\d]{0,10}([\d.,]+)(万)?元", text)
    if m:
        return {"cases": None, "amount_yuan": _yuan(m.group(1), m.group(2))}
    return {"cases": 0, "amount_yuan": "0"}


def _yuan(number: str, wan: str | None) -> str:
    try:
        d = Decimal(number.replace(",", ""))
    except InvalidOperation:
        return "0"
    return format(d * 10000 if wan else d, "f")


def _parse_title(t: str) -> tuple[str, int] | None:
    m = _YEAR.search(t)
    if not m:
        return None
    pre, post = t[: m.start()], t[m.end() :]
    if "政府信息公开" not in post or not ("报告" in post or "年报" in post) or len(t) > 80:
        return None
    agency = pre
    if not agency:
        agency = post[: post.index("政府信息公开")]
    agency = re.sub(r"^(关于|标题[:：])", "", agency)
    return agency.strip(" -_|:："), int(m.group(1))


def _is_signature(text: str) -> bool:
    t = compact(text)
    return 0 < len(t) <= 40 and "。" not in t and "，" not in t


def _is_meta_line(text: str) -> bool:
    """A date or an agency-only line under the title (not preface prose)."""
    t = compact(text)
    return bool(_DATE_ONLY.match(t)) or (len(t) <= 30 and "。" not in t and "，" not in t)


def _iso(m: re.Match[str]) -> str | None:
    y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


def _narrative_section(paras: list[Para]) -> dict[str, Any]:
    intro: list[str] = []
    sections: list[dict[str, Any]] = []
    for p in paras:
        text = p.text.strip()
        m = _SUBHEADING.match(text)
        if m and _cn_number(m.group(1)) == len(sections) + 1:
            title, rest = _split_title(m.group(2).strip(), heading=p.heading > 0)
            sections.append({"title": title, "text": [rest] if rest else []})
            continue
        if sections:
            sections[-1]["text"].append(text)
        else:
            intro.append(text)
    return {
        "intro": "\n".join(intro) or None,
        "sections": [{"title": s["title"], "text": "\n".join(s["text"])} for s in sections],
    }


def _split_title(rest: str, *, heading: bool) -> tuple[str, str]:
    """（一）主动公开情况。2024年… → (主动公开情况, 2024年…); a heading line is all title."""
    if heading:
        return rest.rstrip("。"), ""
    for mark in ("。", "：", ":"):
        i = rest.find(mark)
        if 0 < i <= 40 and i < len(rest) - 1:
            return rest[:i], rest[i + 1 :].strip()
    if len(rest) <= 60:
        return rest.rstrip("。"), ""
    return rest[:0], rest


def load_blocks(
    doc: BlockDoc, source: str, *, agency_kind: str | None = None
) -> Any:  # LoadResult (imported late: readers/__init__ imports the front ends lazily)
    """Interpret a front end's blocks and build the report the one existing way."""
    from ..json_reader import report_from_data

    interp = Interpreter(doc, source)
    data = interp.run(agency_kind)
    result = report_from_data(data, source)
    _drop_generated(result.report)
    result.findings.extend(interp.findings)
    result.invalid |= interp.invalid
    return result


def _drop_generated(report: Any) -> None:
    """A report gdr-gen built carries its standard preface and 信息处理费 sentence, which it
    generates again from the data: read back, they are data-derived, not prose."""
    from ...sentences import SentenceRenderer, render_sentences

    try:
        renderer = SentenceRenderer()
        narrative = report.narrative
        preface = narrative.preface
        narrative.preface = None
        standard = render_sentences(report, renderer=renderer)["preface"]
        if preface is not None and compact(preface) != compact(standard or ""):
            narrative.preface = preface
        other = narrative.other
        target = other.sections[-1] if other.sections else None
        lines = (target.text if target else other.intro or "").split("\n")
        if lines and lines[-1].strip():
            last = lines.pop()
            if target:
                target.text = "\n".join(lines)
            else:
                other.intro = "\n".join(lines) or None
            fee = render_sentences(report, renderer=renderer)["fee"]
            if fee is None or compact(fee) != compact(last):
                lines.append(last)
                if target:
                    target.text = "\n".join(lines)
                else:
                    other.intro = "\n".join(lines) or None
    except Exception:  # a template problem must not stop reading a report
        return
