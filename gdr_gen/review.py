"""Reviewing a whole region: every unit's report in a folder checked, one view of the problems.

::

    from gdr_gen.review import review_folder

    result = review_folder("各单位2022/", previous="各单位2021/", jobs=2)
    for unit in result.units:
        print(unit.name, unit.verdict, unit.errors, unit.warnings)

Each file is read and checked in a worker process (:func:`gdr_gen.commands.batch.run_parallel`);
a worker never raises, so one unreadable file never stops the rest. Which files are reports
and which are skipped (lock files, other kinds, documents that are no report such as a
通知.docx) is decided by :mod:`gdr_gen.folders`, the same definition ``merge FOLDER`` uses;
the skipped files are listed with their reasons.

Previous-year pairing: the previous folder's reports are read first for their agency and
year only; each unit is then checked against the previous report of the *same body*
(:func:`same_body`: 淮安市洪泽区人民政府 and 洪泽区人民政府 are one body; 淮安市人民政府 is
another) one year earlier. A unit without one is named, not failed.

Views of the result (workbook, HTML page, JSON) are in :mod:`gdr_gen.commands.review`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import field
from pathlib import Path

from .errors import GdrError, InputError
from .findings import Finding, Severity
from .folders import SkippedFile, not_a_report, scan_folder
from .records import record

DEFAULT_JOBS = 2

# Verdicts, worst first (the review workbook sorts by this order).
UNREADABLE = "无法读取"
FAILED = "未通过"
WARNED = "有警告"
PASSED = "通过"
VERDICT_ORDER = (UNREADABLE, FAILED, WARNED, PASSED)

# Problems the review itself reports (not rules of one report).
RULE_UNREADABLE = "无法读取"
RULE_DUPLICATE = "重复上报"
REVIEW_GROUP = "审核"


# ---------------------------------------------------------------- agency names
# A leading higher-level place name: 江苏省, 淮安市, 洪泽区, 巫山县, 阿拉善盟 … (1–9 characters
# before the level word). 镇, 乡 and 街道 are bodies themselves and stay part of the name.
_PLACE = re.compile(
    r"(?:.{1,9}?(?:特别行政区|自治区|自治州|自治县|自治旗|地区|省|市|州|盟|县|区|旗))"
)
_NOISE = re.compile(r"[\s\u3000·•]")


def clean_agency(name: str) -> str:
    """The name as written, with width variants, spaces and brackets made uniform."""
    text = unicodedata.normalize("NFKC", name or "")
    text = _NOISE.sub("", text)
    return text.replace("(", "（").replace(")", "）")


def agency_parts(name: str) -> tuple[tuple[str, ...], str]:
    """(leading place names, the rest): 淮安市洪泽区人民政府 → (("淮安市", "洪泽区"), "人民政府").

    A place is split off only when something is left after it that is not itself just a
    level word, so 淮安市 alone stays a name (("", ) is never produced).
    """
    rest = clean_agency(name)
    places: list[str] = []
    while True:
        m = _PLACE.match(rest)
        if m is None or len(m.group(0)) >= len(rest):
            break
        after = rest[m.end() :]
        # "市场监督管理局" after 巫山县: 市 starts a word there, it is not a level word
        if after.startswith(("场", "政", "委", "级", "直", "属", "域")):
            break
        places.append(m.group(0))
        rest = after
    return tuple(places), rest


def agency_key(name: str) -> str:
    """A grouping key: the innermost place and the body (淮安市洪泽区X and 洪泽区X share it)."""
    places, body = agency_parts(name)
    return (places[-1] if places else "") + body


def same_body(a: str, b: str) -> bool:
    """Do two agency names name the same body?

    Yes when the body part is the same and one name's places are the end of the other's:
    洪泽区人民政府 = 淮安市洪泽区人民政府 = 江苏省淮安市洪泽区人民政府; but 淮安市人民政府 ≠
    洪泽区人民政府 (different innermost place) and 淮安市洪泽区X ≠ 宿迁市洪泽区X.
    """
    pa, ba = agency_parts(a)
    pb, bb = agency_parts(b)
    if ba != bb or not ba:
        return False
    short, long = (pa, pb) if len(pa) <= len(pb) else (pb, pa)
    if not short:
        return not long or len(long) <= 1  # 公安局 vs 巫山县公安局: one place at most
    return long[len(long) - len(short) :] == short


# ---------------------------------------------------------------- what the workers return
@record(frozen=True)
class PreviousEntry:
    """A previous-year report: where it is and whose it is (sent to every review worker)."""

    path: str
    agency: str
    year: int


@record(frozen=True)
class UnitReview:
    """One file's review (small and picklable)."""

    path: str
    agency: str | None = None
    year: int | None = None
    findings: tuple[Finding, ...] = ()
    figures: tuple[tuple[str, object], ...] = ()  # key figures (region.key_figures)
    previous: str | None = None  # the previous-year file it was checked against
    previous_note: str = ""  # why there is none
    unreadable: str = ""  # the reason, when the file could not be read
    not_report: str = ""  # the file is no report (a notice, a news page): skipped, and why

    @property
    def name(self) -> str:
        return Path(self.path).name

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.WARNING)

    @property
    def infos(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.INFO)

    def verdict(self, *, strict: bool = False) -> str:
        if self.unreadable:
            return UNREADABLE
        if self.errors or (strict and self.warnings):
            return FAILED
        return WARNED if self.warnings else PASSED

    @property
    def first_problem(self) -> Finding | None:
        for level in (Severity.ERROR, Severity.WARNING, Severity.INFO):
            for f in self.findings:
                if f.severity is level:
                    return f
        return None

    def sort_key(self, strict: bool = False) -> tuple[int, int, int, str]:
        """Worst first: unreadable, most errors, most warnings; then by file name."""
        rank = VERDICT_ORDER.index(self.verdict(strict=strict))
        return (rank, -self.errors, -self.warnings, self.name)


@record
class ReviewResult:
    folder: str
    units: list[UnitReview] = field(default_factory=list)  # in file-name order
    skipped: list[SkippedFile] = field(default_factory=list)
    previous_folder: str | None = None
    strict: bool = False

    @property
    def readable(self) -> list[UnitReview]:
        return [u for u in self.units if not u.unreadable]

    @property
    def unreadable(self) -> list[UnitReview]:
        return [u for u in self.units if u.unreadable]

    def sorted_units(self) -> list[UnitReview]:
        return sorted(self.units, key=lambda u: u.sort_key(self.strict))

    def count(self, verdict: str) -> int:
        return sum(1 for u in self.units if u.verdict(strict=self.strict) == verdict)

    @property
    def without_previous(self) -> list[UnitReview]:
        if self.previous_folder is None:
            return []
        return [u for u in self.readable if u.previous is None]

    @property
    def exit_code(self) -> int:
        """0: no unit has an error (--strict: nor a warning); 1: some has; 2: nothing read."""
        from .errors import EXIT_FAILED, EXIT_OK, EXIT_PROBLEMS

        if not self.readable:
            return EXIT_FAILED
        bad = any(u.verdict(strict=self.strict) in (FAILED, UNREADABLE) for u in self.units)
        return EXIT_PROBLEMS if bad else EXIT_OK


# ---------------------------------------------------------------- the workers
@record(frozen=True)
class ReviewJob:
    path: str
    previous: tuple[PreviousEntry, ...] = ()
    use_previous: bool = False


def peek_worker(path: str) -> PreviousEntry | SkippedFile:
    """Read a previous-year report for its agency and year only."""
    from . import api

    try:
        loaded = api.read(Path(path))
    except GdrError as exc:
        return SkippedFile(path, _reason(exc))
    return PreviousEntry(path, loaded.report.agency, loaded.report.year)


def _peek_failed(path: str, problem: str) -> PreviousEntry | SkippedFile:
    return SkippedFile(path, problem)


def match_previous(
    agency: str, year: int, entries: Sequence[PreviousEntry]
) -> tuple[PreviousEntry | None, str]:
    """The previous-year report of the same body, or None and why."""
    candidates = [e for e in entries if same_body(agency, e.agency)]
    if not candidates:
        return None, "上一年度文件夹中没有该单位的报告"
    right_year = [e for e in candidates if e.year == year - 1]
    if not right_year:
        years = "、".join(sorted({str(e.year) for e in candidates}))
        return None, f"上一年度文件夹中该单位的报告是 {years} 年度的，不是 {year - 1} 年度"
    if len(right_year) > 1:
        exact = [e for e in right_year if clean_agency(e.agency) == clean_agency(agency)]
        if len(exact) == 1:
            return exact[0], ""
        names = "、".join(Path(e.path).name for e in right_year)
        return None, f"上一年度文件夹中有多份可能对应的报告（{names}），未做跨年度核对"
    return right_year[0], ""


def review_worker(job: ReviewJob) -> UnitReview:
    """Read and check one unit (against its previous-year report); never raises."""
    from . import api
    from .region import key_figures

    try:
        loaded = api.read(Path(job.path))
    except GdrError as exc:
        skip = not_a_report(exc)
        if skip is not None:
            return UnitReview(job.path, not_report=skip)
        return unreadable_unit(job, _reason(exc))
    report = loaded.report
    prev_entry, note = (None, "")
    previous = None
    if job.use_previous:
        prev_entry, note = match_previous(report.agency, report.year, job.previous)
        if prev_entry is not None:
            try:
                previous = api.read(Path(prev_entry.path))
            except GdrError as exc:  # it was readable a moment ago
                prev_entry, note = None, f"上一年度报告无法读取（{_reason(exc)}）"
    findings = api.check(loaded, previous=previous)
    return UnitReview(
        job.path,
        report.agency,
        report.year,
        tuple(findings),
        tuple(key_figures(report).items()),
        prev_entry.path if prev_entry is not None else None,
        note,
    )


def _reason(exc: GdrError) -> str:
    """Why a file cannot be read, without its path (the review names the file already)."""
    reason = exc.reason if isinstance(exc, InputError) else exc.message
    return f"{reason}（{exc.hint}）" if exc.hint else reason


def unreadable_unit(job: ReviewJob, reason: str) -> UnitReview:
    finding = Finding(RULE_UNREADABLE, Severity.ERROR, Path(job.path).name, reason, REVIEW_GROUP)
    return UnitReview(job.path, findings=(finding,), unreadable=reason)


# ---------------------------------------------------------------- the review
def review_folder(
    folder: str | Path,
    *,
    previous: str | Path | None = None,
    jobs: int = DEFAULT_JOBS,
    strict: bool = False,
    exclude: Iterable[Path] = (),
    on_start: Callable[[str, int], None] | None = None,
    on_done: Callable[[], None] | None = None,
) -> ReviewResult:
    """Read and check every report in ``folder`` (see the module docstring).

    ``on_start(description, total)`` and ``on_done()`` drive a progress bar.
    """
    from .commands.batch import run_parallel

    if jobs < 1:
        raise GdrError("--jobs 应为不小于 1 的整数")
    folder = Path(folder)
    exclude = list(exclude)
    inputs, skipped = scan_folder(folder, exclude=exclude)
    if not inputs:
        raise InputError(folder, "文件夹中没有可以读取的年报文件", hint=_kinds_hint())
    entries: list[PreviousEntry] = []
    if previous is not None:
        prev_inputs, _ = scan_folder(Path(previous), exclude=exclude)
        if on_start is not None:
            on_start("读取上一年度报告", len(prev_inputs))
        peeked = run_parallel(
            [str(p) for p in prev_inputs],
            peek_worker,
            processes=jobs,
            on_done=(lambda _r: on_done()) if on_done is not None else None,
            failed=_peek_failed,
        )
        entries = [e for e in peeked if isinstance(e, PreviousEntry)]
    review_jobs = [ReviewJob(str(p), tuple(entries), previous is not None) for p in inputs]
    if on_start is not None:
        on_start("审核各单位年报", len(review_jobs))
    units = run_parallel(
        review_jobs,
        review_worker,
        processes=jobs,
        on_done=(lambda _r: on_done()) if on_done is not None else None,
        failed=unreadable_unit,
    )
    # documents that turned out not to be reports join the skipped files (in name order)
    skipped += [SkippedFile(u.path, u.not_report) for u in units if u.not_report]
    skipped.sort(key=lambda s: s.name)
    units = [u for u in units if not u.not_report]
    return ReviewResult(
        str(folder),
        flag_duplicates(units),
        skipped,
        str(previous) if previous is not None else None,
        strict,
    )


def flag_duplicates(units: list[UnitReview]) -> list[UnitReview]:
    """Two files of the same body and year: each gets an error naming the other."""
    groups: dict[tuple[str, int], list[int]] = {}
    for i, u in enumerate(units):
        if u.agency and u.year is not None:
            groups.setdefault((agency_key(u.agency), u.year), []).append(i)
    out = list(units)
    for idxs in groups.values():
        if len(idxs) < 2:
            continue
        # within a key group, only names that really are the same body
        for i in idxs:
            others = [
                units[j].name
                for j in idxs
                if j != i and same_body(units[i].agency or "", units[j].agency or "")
            ]
            if not others:
                continue
            u = units[i]
            finding = Finding(
                RULE_DUPLICATE,
                Severity.ERROR,
                u.name,
                f"与 {'、'.join(others)} 是同一单位（{u.agency}）同一年度（{u.year}）的报告："
                "每个单位每年只应有一份，请确认哪一份有效并删除其余",
                REVIEW_GROUP,
            )
            out[i] = UnitReview(
                u.path,
                u.agency,
                u.year,
                (finding, *u.findings),
                u.figures,
                u.previous,
                u.previous_note,
                u.unreadable,
            )
    return out


def _kinds_hint() -> str:
    from .readers.registry import READERS

    return "可以读取：" + "、".join(spec.label for spec in READERS.values()) + "。"


__all__ = [
    "PreviousEntry",
    "ReviewResult",
    "SkippedFile",
    "UnitReview",
    "agency_key",
    "agency_parts",
    "clean_agency",
    "match_previous",
    "review_folder",
    "same_body",
    "scan_folder",
]
