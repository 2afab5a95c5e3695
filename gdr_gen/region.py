"""Region-wide reports: add up the units' reports (departments, townships, districts).

A county government's report covers every body in the county. The county office collects
the units' workbooks (or JSON files) and adds them up; :class:`RegionAccumulator` does it
one unit at a time and keeps only running sums and one summary row per unit, so memory
stays flat however many units there are.

What is summed: every *input* value cell of 表二, 表三 and 表四, found by walking the format
definition (``TableSpec.value_cells`` with role ``"value"``); the 总计 column and the
（七）总计 row are computed from those sums, as for any report. 表二's 现行有效件数 is
summed too (the region office may correct it). 信息处理费: the amounts are summed; the
number of cases is ``None`` (not recorded) as soon as one unit did not record it, because
a partial count printed as the region's count would be wrong.

Which checks decide whether a unit may be merged: the data and table rules (groups 数据,
表二, 表三, 表四), i.e. the rules about the numbers that are merged. Prose, basic-information
and cross-year rules are not run on units: the merge takes no prose from them.

Refusals: a unit with error-level findings is refused (listed with its findings; with
``skip_invalid`` the others are merged and the refused ones are named). The same unit
twice (the same body — :func:`gdr_gen.review.same_body`: 巫山县公安局 and 重庆市巫山县公安局
are one — and year), units of several years, or of several format versions make the whole
merge fail with :class:`MergeConflictError`: there is no safe way to choose between them.
What the reader said was unusual about a merged unit's numbers (a count printed with a note,
the old 表三 layout, a label variant: its own findings below error level in the groups above)
is kept with the unit (:attr:`UnitSummary.notes`) and shown with the merge; what it said
about the prose or the publish date is not, as the merge takes neither.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import field
from decimal import Decimal
from pathlib import Path

from .checks import CATALOGUE, Finding, Severity, run_checks
from .errors import ProblemsFound
from .folders import SkippedFile
from .formats import FormatSpec, ValuePath
from .model import AgencyKind, Number, Report
from .readers import LoadResult
from .records import record

# Catalogue groups whose rules decide whether a unit's numbers may be merged.
MERGE_RULE_GROUPS = ("数据", "表二", "表三", "表四")


def merge_rules() -> list[str]:
    """IDs of the rules run on each unit (and on the region) during a merge."""
    return [rid for rid, info in CATALOGUE.items() if info.group in MERGE_RULE_GROUPS]


def input_paths(spec: FormatSpec) -> list[tuple[ValuePath, str]]:
    """Every value cell a person fills in (not the computed totals), with its kind."""
    out: list[tuple[ValuePath, str]] = []
    for table in spec.tables:
        for cell in table.value_cells():
            if cell.role == "value":
                assert cell.ref is not None
                out.append((cell.ref, cell.kind))
    return out


# ---------------------------------------------------------------- the unit summary
@record(frozen=True)
class SummaryColumn:
    """A column of the unit summary: header text (from the format) and value kind."""

    key: str
    header: str
    kind: str  # "text" | "count" | "money" | "yuan"


def summary_columns(spec: FormatSpec) -> list[SummaryColumn]:
    """Columns of the unit summary sheet, derived from the format definition.

    The unit's key figures (:func:`key_figure_columns`) are a selection of these columns.
    """
    cols = [SummaryColumn("agency", "单位", "text"), SummaryColumn("source", "文件", "text")]
    total = spec.total_label
    for row in spec.request_rows:
        if row.is_result:
            continue  # the 21 result rows are summed in （七）总计
        name = row.display
        if row.is_total and row.group:
            name = f"{row.group[:2]}{row.display}"  # 三、（七）总计
        cols.append(SummaryColumn(f"requests.{row.key}", f"表三{name}（{total}）", "count"))
    for group, _keys in appeal_groups(spec):
        cols.append(SummaryColumn(f"appeals.{group}", f"表四{group}（{total}）", "count"))
    columns = dict(spec.doc_columns)
    rows = {d.key: d.label for d in spec.doc_rows}
    for doc, column in KEY_DOCS:
        if doc in rows and column in columns:
            header = f"表二{rows[doc]}{columns[column]}"
            cols.append(SummaryColumn(f"proactive.docs.{doc}.{column}", header, "count"))
    for key, label in spec.money_keys:
        cols.append(SummaryColumn(f"proactive.{key}", f"{label}（{spec.money_unit}）", "money"))
    cols.append(SummaryColumn("processing_fee.cases", "信息处理费件数", "count"))
    cols.append(SummaryColumn("processing_fee.amount_yuan", "信息处理费金额（元）", "yuan"))
    cols.append(SummaryColumn("warnings", "警告数", "count"))
    return cols


# ---- a unit's key figures: ONE definition, shown by the review (gdr-gen check FOLDER) and
# as columns of the merge's 各单位汇总 sheet. 申请 新收 / 办结 (（七）总计) / 结转下年度,
# 行政复议, 行政诉讼, 行政规范性文件 现行有效.
KEY_REQUEST_ROWS = ("new", "total", "carried_forward")
KEY_DOCS = (("normative_documents", "in_force"),)


def key_figure_columns(spec: FormatSpec) -> list[SummaryColumn]:
    """The key-figure columns (headers from the format), in summary-sheet order."""
    keys = {f"requests.{k}" for k in KEY_REQUEST_ROWS}
    keys |= {f"appeals.{group}" for group, _ in appeal_groups(spec)}
    keys |= {f"proactive.docs.{doc}.{column}" for doc, column in KEY_DOCS}
    return [c for c in summary_columns(spec) if c.key in keys]


def key_figures(report: Report) -> dict[str, object]:
    """A unit's key figures, keyed like :func:`key_figure_columns`."""
    return {c.key: unit_value(report, c.key) for c in key_figure_columns(report.spec)}


def appeal_groups(spec: FormatSpec) -> list[tuple[str, tuple[str, ...]]]:
    """表四's rows grouped as printed: 行政复议; 行政诉讼 (its two kinds together)."""
    groups: dict[str, list[str]] = {}
    for row in spec.appeal_rows:
        groups.setdefault(row.group or row.label, []).append(row.key)
    return [(name, tuple(keys)) for name, keys in groups.items()]


def unit_value(report: Report, key: str) -> object:
    """The value of one summary column (``requests.new``, ``appeals.行政复议`` …)."""
    head, _, rest = key.partition(".")
    if head == "requests":
        return report.requests.row(rest).computed_total
    if head == "appeals":
        keys = dict(appeal_groups(report.spec))[rest]
        return sum(report.appeals.row(k).computed_total for k in keys)
    if head == "proactive" and rest.startswith("docs."):
        _, doc, column = rest.split(".")
        value: object = getattr(report.proactive.docs[doc], column)
        return value
    if head == "proactive":
        return report.proactive.money[rest]
    if key == "processing_fee.cases":
        return report.processing_fee.cases
    if key == "processing_fee.amount_yuan":
        return report.processing_fee.amount_yuan
    raise KeyError(key)


def summary_values(report: Report, *, source: str, warnings: int) -> dict[str, object]:
    """One unit's (or the region's) main totals, keyed like :func:`summary_columns`."""
    values: dict[str, object] = {"agency": report.agency, "source": source}
    for col in summary_columns(report.spec):
        if col.key not in ("agency", "source", "warnings"):
            values[col.key] = unit_value(report, col.key)
    values["warnings"] = warnings
    return values


@record
class UnitSummary:
    """One merged unit: where it came from and its main totals (for the summary sheet)."""

    source: str
    agency: str
    year: int
    values: dict[str, object]
    # what the reader said was unusual about the numbers (below error level): shown
    notes: tuple[Finding, ...] = ()


@record
class RefusedUnit:
    """A unit left out: unreadable, or with error-level findings (kept for the listing)."""

    source: str
    agency: str | None
    reason: str
    findings: list[Finding] = field(default_factory=list)

    @property
    def first_problem(self) -> str:
        if self.findings:
            f = self.findings[0]
            return f"{f.rule} {f.location}：{f.message}"
        return self.reason


@record
class MergeResult:
    report: Report
    units: list[UnitSummary]
    refused: list[RefusedUnit]
    findings: list[Finding]  # the region's own check results
    region_summary: dict[str, object]
    # files of the units' folders that are no unit's report (lock files, notices, copies)
    skipped: list[SkippedFile] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.refused


class MergeConflictError(ProblemsFound):
    """The units cannot be merged at all: the same unit twice, mixed years or versions."""


class MergeRefusedError(ProblemsFound):
    """Some units failed their checks and ``skip_invalid`` was not given.

    Carries the refused units so the CLI can list their findings before the message.
    """

    def __init__(self, refused: list[RefusedUnit], merged: int) -> None:
        names = "、".join(unit_name(r.source, r.agency) for r in refused[:5])
        more = f"等 {len(refused)} 个单位" if len(refused) > 5 else ""
        why = "未通过检查" if all(r.findings for r in refused) else "未通过检查或无法读取"
        super().__init__(
            f"{names}{more}{why}，未生成汇总（其余 {merged} 个单位正常）",
            hint="请先改正上列问题；如需先汇总其余单位，请加上 --skip-invalid。",
        )
        self.refused = refused
        self.skipped: list[SkippedFile] = []  # set by the caller that scanned the folders


class NothingToMergeError(ProblemsFound):
    """No unit is left to merge (every one was refused or skipped)."""


def unit_name(source: str, agency: str | None) -> str:
    name = Path(source).name if source else ""
    if agency and name:
        return f"{agency}（{name}）"
    return agency or name or "（未命名单位）"


# ---------------------------------------------------------------- the accumulator
@record
class _Seen:
    """A unit already met: its agency, file name and (once merged) its input values."""

    agency: str
    name: str
    values: tuple[Number, ...] | None = None


class RegionAccumulator:
    """Adds units one at a time; keeps only running sums and one summary row per unit."""

    def __init__(
        self,
        *,
        agency: str,
        year: int | None = None,
        agency_kind: AgencyKind = "government",
    ) -> None:
        self.agency = agency
        self.year = year
        self.version: str | None = None
        self.agency_kind: AgencyKind = agency_kind
        self.units: list[UnitSummary] = []
        self.refused: list[RefusedUnit] = []
        self.rulemaking = False
        self._sums: dict[ValuePath, Number] | None = None
        self._paths: list[tuple[ValuePath, str]] = []
        self.skipped: list[SkippedFile] = []
        # (agency_key, year) → the units of that key seen so far (merged or refused)
        self._seen: dict[tuple[str, int], list[_Seen]] = {}
        self._years: dict[int, list[str]] = {}
        self._versions: dict[str, list[str]] = {}
        self._duplicates: list[str] = []
        self._cases_unknown = False
        self._cases = 0
        self._amount_yuan = Decimal("0")
        self._rules = merge_rules()

    # ---- adding
    def refuse(self, source: str, reason: str, agency: str | None = None) -> RefusedUnit:
        """Record a unit that could not even be read."""
        unit = RefusedUnit(source, agency, reason)
        self.refused.append(unit)
        return unit

    def skip(self, source: str, reason: str) -> SkippedFile:
        """Record a file of a units' folder that is no unit's report (listed, not merged)."""
        skipped = SkippedFile(source, reason)
        self.skipped.append(skipped)
        return skipped

    def _same_unit(self, report: Report) -> list[_Seen]:
        from .review import agency_key, same_body

        agency = report.agency.strip()
        if not agency:
            return []
        seen = self._seen.get((agency_key(agency), report.year), [])
        return [entry for entry in seen if same_body(entry.agency, agency)]

    def copy_of(self, loaded: LoadResult) -> str | None:
        """The file name of a merged unit this report repeats exactly (same body, year and
        table values: a published report made from that unit's workbook), or None."""
        report = loaded.report
        if not self._paths or report.format != self.version:
            return None
        values = self._values(report)
        for entry in self._same_unit(report):
            if entry.values == values:
                return entry.name
        return None

    def _values(self, report: Report) -> tuple[Number, ...]:
        return tuple(report.value(path) for path, _kind in self._paths)

    def add(
        self,
        loaded: LoadResult,
        source: str | None = None,
        *,
        findings: list[Finding] | None = None,
    ) -> UnitSummary | RefusedUnit:
        """Check one unit and, when it has no error, add its values to the sums.

        ``findings``: the merge rules' findings on ``loaded`` when they were already found
        (a worker process read and checked the unit, :func:`read_unit`)."""
        from .review import agency_key

        report = loaded.report
        src = source if source is not None else loaded.source
        name = unit_name(src, report.agency)
        self._years.setdefault(report.year, []).append(name)
        self._versions.setdefault(report.format, []).append(name)
        same = self._same_unit(report)
        if same:
            self._duplicates.append(
                f"「{report.agency}」{report.year} 年出现两次：{same[0].name} 与 {Path(src).name}"
            )
        seen = _Seen(report.agency.strip(), Path(src).name)
        if seen.agency:
            self._seen.setdefault((agency_key(seen.agency), report.year), []).append(seen)
        if findings is None:
            findings = loaded.check(only=self._rules)
        errors = [f for f in findings if f.severity is Severity.ERROR]
        if errors:
            refused = RefusedUnit(src, report.agency, "未通过检查", errors)
            self.refused.append(refused)
            return refused
        if self._sums is None:
            self._start(report.spec)
        assert self._sums is not None
        if report.format != self.version:
            return RefusedUnit(src, report.agency, "格式版本不一致")  # a conflict: see result()
        seen.values = self._values(report)
        for (path, _kind), value in zip(self._paths, seen.values, strict=True):
            self._sums[path] += value
        fee = report.processing_fee
        if fee.cases is None:
            self._cases_unknown = True
        else:
            self._cases += fee.cases
        self._amount_yuan += fee.amount_yuan
        self.rulemaking = self.rulemaking or report.rulemaking
        warnings = sum(1 for f in findings if f.severity is Severity.WARNING)
        unit = UnitSummary(
            src,
            report.agency,
            report.year,
            summary_values(report, source=Path(src).name, warnings=warnings),
            tuple(
                f
                for f in loaded.findings
                if f.severity is not Severity.ERROR and f.group in MERGE_RULE_GROUPS
            ),
        )
        self.units.append(unit)
        return unit

    def _start(self, spec: FormatSpec) -> None:
        self.version = spec.version
        self._paths = input_paths(spec)
        self._sums = {path: (Decimal("0") if kind == "money" else 0) for path, kind in self._paths}

    # ---- result
    def conflicts(self) -> list[str]:
        """Chinese descriptions of what makes the merge impossible (empty: none)."""
        out = list(self._duplicates)
        years = dict(self._years)
        if self.year is not None:
            wrong = {y: names for y, names in years.items() if y != self.year}
            for y, names in sorted(wrong.items()):
                out.append(
                    f"{_names(names)}是 {y} 年的数据，汇总年度是 {self.year} 年（年度不一致）"
                )
        elif len(years) > 1:
            parts = [f"{y} 年：{_names(n)}" for y, n in sorted(years.items())]
            out.append("各单位的年度不一致（" + "；".join(parts) + "）")
        if len(self._versions) > 1:
            parts = [f"{v} 版：{_names(n)}" for v, n in sorted(self._versions.items())]
            out.append("各单位使用的报告格式版本不一致（" + "；".join(parts) + "）")
        return out

    def result(self, *, skip_invalid: bool = False) -> MergeResult:
        """The region report; raises when the merge must be refused."""
        conflicts = self.conflicts()
        if conflicts:
            raise MergeConflictError(
                "无法汇总：" + "；".join(conflicts),
                hint="每个单位每个年度只能提供一份文件，且年度和格式版本须一致；请整理后重新运行。",
            )
        if self.refused and not skip_invalid:
            raise MergeRefusedError(self.refused, len(self.units))
        if not self.units:
            raise NothingToMergeError(
                "没有可以汇总的单位" + ("（全部未通过检查）" if self.refused else "")
            )
        year = self.year if self.year is not None else self.units[0].year
        assert self._sums is not None
        region = Report.from_values(
            self._sums,
            agency=self.agency,
            year=year,
            version=self.version,
            agency_kind=self.agency_kind,
            rulemaking=self.rulemaking,
        )
        region.processing_fee.cases = None if self._cases_unknown else self._cases
        region.processing_fee.amount_yuan = self._amount_yuan
        findings = run_checks(region, only=self._rules)
        warnings = sum(1 for f in findings if f.severity is Severity.WARNING)
        summary = summary_values(region, source="", warnings=warnings)
        summary["agency"] = f"合计（{len(self.units)} 个单位）"
        return MergeResult(region, self.units, self.refused, findings, summary, self.skipped)


def _names(names: list[str], limit: int = 3) -> str:
    shown = "、".join(names[:limit])
    return shown + (f"等 {len(names)} 个" if len(names) > limit else "")


def merge_reports(
    units: Iterable[LoadResult],
    *,
    agency: str,
    year: int | None = None,
    agency_kind: AgencyKind = "government",
    skip_invalid: bool = False,
) -> MergeResult:
    """Sum the units' reports into one region report (see the module docstring).

    ``units`` may be a generator: each unit is checked, added and dropped before the next.
    """
    acc = RegionAccumulator(agency=agency, year=year, agency_kind=agency_kind)
    for loaded in units:
        acc.add(loaded)
    return acc.result(skip_invalid=skip_invalid)


__all__ = [
    "MERGE_RULE_GROUPS",
    "MergeConflictError",
    "MergeRefusedError",
    "MergeResult",
    "NothingToMergeError",
    "RefusedUnit",
    "RegionAccumulator",
    "SummaryColumn",
    "UnitSummary",
    "input_paths",
    "key_figure_columns",
    "key_figures",
    "merge_reports",
    "merge_rules",
    "summary_columns",
    "summary_values",
    "unit_name",
    "unit_value",
]
