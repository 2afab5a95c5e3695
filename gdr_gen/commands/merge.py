"""``gdr-gen merge``: add up the units' reports into a region report.

A unit is any report gdr-gen reads: a workbook, JSON data, or a published report (web page,
Word, PDF, text). A folder is read the way ``check FOLDER`` reads it (:mod:`gdr_gen.folders`):
lock files, other kinds of file and documents that are no report (a 通知.docx, a 说明.txt)
are skipped and listed with their reasons; a published report that repeats a merged unit
exactly (the same body, year and table values: the report built from that unit's workbook)
is skipped too, so it is not counted twice. Files named one by one stay strict: one that
cannot be read, or is no report, refuses the merge as before.

Units are read one at a time and dropped after their values are added (see
:mod:`gdr_gen.region`), so memory stays flat for hundreds of units. Workbooks are read with
the fast python-calamine value source when it is installed (same results as openpyxl).

With ``jobs`` > 1 and at least :data:`PARALLEL_MIN_UNITS` files, worker processes read and
check the units (:func:`read_unit`) while this process adds them up, in input order, as they
arrive: the same result as reading them here one by one (sums, unit order, duplicates and
copies are decided here, in order), in about half the time on two cores.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING

from .. import api
from ..errors import GdrError, InputError, OutputError, OutputExistsError
from ..folders import SkippedFile, is_published, not_a_report, scan_folder
from ..model import AgencyKind
from ..readers import LoadResult
from ..records import record
from ..region import (
    MergeRefusedError,
    MergeResult,
    RefusedUnit,
    RegionAccumulator,
    merge_rules,
    unit_name,
)

if TYPE_CHECKING:
    from rich.console import Console

    from ..findings import Finding

OUTPUT_SUFFIXES = (".xlsx", ".json")


@record
class UnitInputs:
    """The files to read, in reading order, and what the folders held besides reports."""

    files: list[Path]
    found: set[Path] = field(default_factory=set)  # found in a folder (not named one by one)
    skipped: list[SkippedFile] = field(default_factory=list)
    where: str = ""  # the arguments, for messages

    def __len__(self) -> int:
        return len(self.files)


def expand_inputs(args: Sequence[Path] | UnitInputs, *, exclude: Sequence[Path] = ()) -> UnitInputs:
    """Files as given; folders expanded to their reports (:func:`gdr_gen.folders.scan_folder`).

    Within a folder, workbooks and JSON files come first, then published reports (each in
    name order): a published report that repeats a unit's data is then known as a copy.
    """
    if isinstance(args, UnitInputs):
        return args
    out = UnitInputs([], where="、".join(str(a) for a in args))
    skip = {p.resolve() for p in exclude}
    for arg in args:
        if arg.is_dir():
            found, skipped = scan_folder(arg, exclude=exclude)
            data = [p for p in found if not is_published(p)]
            out.files += data + [p for p in found if p not in data]
            out.found.update(found)
            out.skipped += skipped
        elif arg.resolve() not in skip:
            out.files.append(arg)
    if not out.files:
        raise InputError(
            out.where or "（未指定）",
            "没有找到单位的年报或填报工作簿",
            hint=_skipped_hint(out.skipped)
            + "请指定各单位的文件（工作簿、JSON，或已发布的网页、Word、PDF、文本），或存放它们的文件夹。",
        )
    return out


def _skipped_hint(skipped: Sequence[SkippedFile], limit: int = 10) -> str:
    if not skipped:
        return ""
    shown = "；".join(f"{s.name}：{s.reason}" for s in skipped[:limit])
    more = f"等 {len(skipped)} 个" if len(skipped) > limit else ""
    return f"已跳过{more}：{shown}。"


@record
class MergeFilesResult:
    merge: MergeResult
    output: Path
    inputs: int


def check_output(output: str | Path, *, force: bool) -> None:
    from .build import is_folder_argument

    if is_folder_argument(output) or Path(output).is_dir():
        raise OutputError(
            output,
            "这是一个文件夹；汇总结果需要一个文件名",
            hint="例如：-o 汇总/全县汇总.xlsx（工作簿）或 -o 全县汇总.json。",
        )
    output = Path(output)
    suffix = output.suffix.lower()
    if suffix not in OUTPUT_SUFFIXES:
        raise OutputError(
            output,
            f"不支持的输出类型“{output.suffix or '无扩展名'}”",
            hint="汇总结果请保存为工作簿（.xlsx）或 JSON 数据文件（.json）。",
        )
    if output.is_dir():
        raise OutputError(
            output, "这是一个文件夹，不是文件", hint="请用 -o 给出文件名，例如 -o 汇总.xlsx。"
        )
    if output.exists() and not force:
        raise OutputExistsError(output)


# Fewer units than this are read in this process: starting worker processes (a new
# interpreter importing the readers and checks, 0.3-0.5 s on Windows) would cost more than
# the reading they share.
PARALLEL_MIN_UNITS = 32


@record
class UnitRead:
    """One unit file as read and checked for the merge (by a worker process or this one)."""

    path: Path
    loaded: LoadResult | None = None
    findings: list[Finding] | None = None  # the merge rules' findings on ``loaded``
    error: str | None = None  # why the file could not be read (as the user sees it)
    not_report: str | None = None  # why the file is no unit's report (a folder skips it)


def read_unit(
    path: Path, rules: Sequence[str], reader: Callable[[Path], LoadResult] = api.read
) -> UnitRead:
    """Read ``path`` and run the merge ``rules`` on it; a reading error is returned, not
    raised (:func:`merge_files` decides whether it skips, refuses or stops)."""
    try:
        loaded = reader(path)
    except GdrError as exc:
        error = f"无法读取：{exc.reason}" if isinstance(exc, InputError) else exc.message
        return UnitRead(path, error=error, not_report=not_a_report(exc))
    return UnitRead(path, loaded, loaded.check(only=rules))


def _read_unit_job(job: tuple[Path, tuple[str, ...]]) -> UnitRead:
    return read_unit(*job)


def read_units(
    paths: Sequence[Path],
    *,
    jobs: int = 1,
    reader: Callable[[Path], LoadResult] = api.read,
) -> Iterator[UnitRead]:
    """Each of ``paths`` read and checked, in order; in ``jobs`` worker processes when there
    are enough of them (see the module docstring). Results are handed on as they arrive, so
    only the units read ahead of the one being added are held at a time."""
    rules = tuple(merge_rules())
    if jobs <= 1 or len(paths) < PARALLEL_MIN_UNITS or reader is not api.read:
        for path in paths:
            yield read_unit(path, rules, reader)
        return
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    from .batch import pool_context, run_parallel

    handed = 0
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=pool_context())
    try:
        for item in pool.map(_read_unit_job, [(p, rules) for p in paths], chunksize=4):
            handed += 1
            yield item
        return
    except BrokenProcessPool:
        pass  # a worker died (a crash in a C library); see below
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    # The rest in fresh pools that set the culprit apart (batch.run_parallel): only the file
    # that brings its process down fails, as it would if read here.
    rest = [(p, rules) for p in paths[handed:]]
    yield from run_parallel(
        rest,
        _read_unit_job,
        processes=jobs,
        failed=_unreadable,
    )


def _unreadable(job: tuple[Path, tuple[str, ...]], why: str) -> UnitRead:
    return UnitRead(job[0], error=f"无法读取：{why}")


def merge_files(
    inputs: Sequence[Path] | UnitInputs,
    *,
    output: Path,
    agency: str,
    year: int | None = None,
    agency_kind: AgencyKind = "government",
    force: bool = False,
    skip_invalid: bool = False,
    on_unit: Callable[[Path], None] | None = None,
    reader: Callable[[Path], LoadResult] = api.read,
    jobs: int = 1,
) -> MergeFilesResult:
    """Merge the units in ``inputs`` (files or folders) and write the region to ``output``.

    Nothing is written when the merge is refused (see :mod:`gdr_gen.region`). ``jobs``:
    worker processes reading the units (see :func:`read_units`).
    """
    if jobs < 1:
        raise GdrError("--jobs 应为不小于 1 的整数")
    if not agency.strip():
        raise GdrError("请用 --agency 给出汇总机关的全称，例如：--agency 巫山县人民政府")
    check_output(output, force=force)
    units = expand_inputs(inputs, exclude=[output])
    acc = RegionAccumulator(agency=agency.strip(), year=year, agency_kind=agency_kind)
    acc.skipped.extend(units.skipped)
    for read in read_units(units.files, jobs=jobs, reader=reader):
        path = read.path
        in_folder = path in units.found
        if read.loaded is None:
            if in_folder and read.not_report is not None:
                acc.skip(str(path), read.not_report)
            else:
                acc.refuse(str(path), read.error or "无法读取")
        else:
            loaded = read.loaded
            copy = acc.copy_of(loaded) if in_folder and is_published(path) else None
            if copy is not None:
                acc.skip(
                    str(path),
                    f"与 {copy} 是同一单位、同一年度、表格数据相同的年报（多为由它生成的文档），"
                    f"已按 {copy} 汇总，未重复计入",
                )
            else:
                acc.add(loaded, str(path), findings=read.findings)
            del loaded
        del read
        if on_unit is not None:
            on_unit(path)
    acc.skipped.sort(key=lambda s: (str(Path(s.path).parent), s.name))
    if not acc.units and not acc.refused:
        raise InputError(
            units.where or "各单位文件夹",
            "没有找到单位的年报：文件夹中的文件都不是年报",
            hint=_skipped_hint(acc.skipped),
        )
    try:
        result = acc.result(skip_invalid=skip_invalid)
    except MergeRefusedError as exc:
        exc.skipped = list(acc.skipped)
        raise
    write_region(result, output, force=force)
    return MergeFilesResult(result, output, len(units.files))


def write_region(result: MergeResult, output: Path, *, force: bool = False) -> Path:
    """Write the region report: a workbook with the unit summary sheet, or JSON data."""
    if output.exists() and not force:
        raise OutputExistsError(output)
    if output.suffix.lower() == ".json":
        from ..writers.json_writer import write_json

        return write_json(result.report, output)
    from .region_workbook import write_region_workbook

    return write_region_workbook(result, output)


# ---------------------------------------------------------------- terminal output
def print_skipped(skipped: Sequence[SkippedFile], out: Console) -> None:
    """The folders' files that were not merged because they are no unit's report."""
    from rich.text import Text

    if not skipped:
        return
    out.print(f"已跳过 {len(skipped)} 个文件（不是单位的年报）：", highlight=False)
    for s in skipped:
        out.print(Text(f"  {s.name}：{s.reason}"), highlight=False)


def print_notes(res: MergeResult, out: Console) -> None:
    """What the readers said was unusual about merged units (blank cells read as 0 …)."""
    from rich.text import Text

    from .. import ui

    noted = [u for u in res.units if u.notes]
    if not noted:
        return
    out.print(f"以下 {len(noted)} 个单位已汇总，读取时有需要注意的情况：", highlight=False)
    for unit in noted:
        out.print(Text(f"  {unit_name(unit.source, unit.agency)}："), highlight=False)
        for f in unit.notes:
            where = ui.short_location(f.location)
            out.print(
                Text(f"    {f.rule} {f.severity.label} {where}：{f.message}"), highlight=False
            )


def print_refused(refused: Sequence[RefusedUnit], out: Console) -> None:
    """Each refused unit with its findings (or why it could not be read)."""
    from .. import ui

    for unit in refused:
        name = unit_name(unit.source, unit.agency)
        out.print(f"[bold red]✗[/] {_esc(name)}：{_esc(unit.reason)}", highlight=False)
        if unit.findings:
            ui.print_findings(unit.findings, out, title_prefix=f"{name} ")


def print_merged(res: MergeFilesResult, out: Console) -> None:
    from .. import ui

    m = res.merge
    print_skipped(m.skipped, out)
    print_notes(m, out)
    if m.refused:
        out.print(f"[yellow]以下 {len(m.refused)} 个单位未汇总（--skip-invalid）：[/]")
        for unit in m.refused:
            out.print(
                f"  - {_esc(unit_name(unit.source, unit.agency))}：{_esc(unit.first_problem)}",
                highlight=False,
            )
    if m.findings:
        ui.print_findings(m.findings, out, title_prefix="汇总结果 ")
    out.print(
        f"✓ 已汇总 {len(m.units)} 个单位 → {_esc(str(res.output))}"
        + ("（正文部分请汇总机关自行撰写）" if res.output.suffix.lower() == ".xlsx" else ""),
        highlight=False,
    )


def _esc(text: str) -> str:
    from rich.markup import escape

    return escape(text)
