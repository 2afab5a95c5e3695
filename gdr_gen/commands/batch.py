"""Folder builds: ``gdr-gen build FOLDER/`` builds every workbook in a folder, in parallel.

Each input is built by a worker function in its own process (``ProcessPoolExecutor``); a
worker never raises: it returns a small picklable :class:`ItemResult` (built, or refused
with the first finding / the error message), so one bad file never stops the rest. The
worker is a parameter, so the orchestration is tested with a fake one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from ..errors import GdrError, InputError
from ..records import record
from ..writers.registry import output_suffixes

if TYPE_CHECKING:
    from rich.console import Console

    from .build import BuildResult

DEFAULT_JOBS = 2
J = TypeVar("J")
R = TypeVar("R")


def is_office_temp(name: str) -> bool:
    """Lock and temporary files that Word/WPS/Excel/LibreOffice (or we) leave beside inputs."""
    return name.startswith(("~$", ".~lock.", ".gdr-")) or name.endswith("#")


def list_inputs(
    folder: Path, *, exclude: Iterable[Path] = (), published: bool = True
) -> list[Path]:
    """The reports directly in ``folder`` (every suffix a registered reader takes), by name.

    Office lock files (``~$x.xlsx``, ``.~lock.x.xlsx#``), hidden files and ``exclude``
    (e.g. the output file itself) are left out.
    """
    if not folder.exists():
        raise InputError(folder, "文件夹不存在")
    if not folder.is_dir():
        raise InputError(folder, "这不是文件夹")
    skip = {p.resolve() for p in exclude}
    try:
        entries = sorted(folder.iterdir(), key=lambda p: p.name)
    except OSError as exc:
        raise InputError(folder, f"无法列出文件夹内容（{exc.strerror or exc}）") from None
    from ..readers.registry import supported_suffixes

    suffixes = supported_suffixes(published=published)
    out = []
    for p in entries:
        name = p.name
        if name.startswith(".") or is_office_temp(name):
            continue
        if p.suffix.lower() not in suffixes or not p.is_file():
            continue
        if p.resolve() in skip:
            continue
        out.append(p)
    return out


@record(frozen=True)
class ItemResult:
    """What one worker reports back (small and picklable)."""

    path: str
    ok: bool  # a report was written
    outputs: tuple[str, ...] = ()
    problem: str = ""  # the first finding, or the error message
    warnings: int = 0
    forced: bool = False  # written with --force although the checks failed


@record
class BatchResult:
    items: list[ItemResult] = field(default_factory=list)

    @property
    def built(self) -> list[ItemResult]:
        return [i for i in self.items if i.ok]

    @property
    def failed(self) -> list[ItemResult]:
        return [i for i in self.items if not i.ok]

    @property
    def ok(self) -> bool:
        """Everything built, nothing forced past errors (exit 0)."""
        return all(i.ok and not i.forced for i in self.items)


@record(frozen=True)
class BuildJob:
    """One input and how to build it (picklable: sent to the worker process).

    ``options`` are ``build_report`` keyword arguments (formats, force, strict, template …).
    """

    input: str
    outdir: str | None = None
    options: tuple[tuple[str, Any], ...] = ()


Worker = Callable[[BuildJob], ItemResult]


def build_worker(job: BuildJob) -> ItemResult:
    """Build one report; every failure becomes an ItemResult, never an exception."""
    try:
        from .build import build_report

        options = dict(job.options)
        result = build_report(Path(job.input), output=job.outdir, **options)
    except GdrError as exc:
        return ItemResult(job.input, False, problem=exc.message)
    except Exception as exc:  # a bug must not stop the other files
        return ItemResult(job.input, False, problem=f"程序内部错误（{type(exc).__name__}: {exc}）")
    return item_from_build(job.input, result, strict=bool(options.get("strict")))


def item_from_build(path: str, result: BuildResult, *, strict: bool = False) -> ItemResult:
    """The small summary of a BuildResult that goes back to the parent process."""
    findings = result.findings
    errors = [f for f in findings if f.severity.value == "error"]
    warnings = [f for f in findings if f.severity.value == "warning"]
    first = errors[0] if errors else (warnings[0] if strict and warnings else None)
    problem = f"{first.rule} {first.location}：{first.message}" if first is not None else ""
    ok = not result.blocked and bool(result.written)
    if not ok and not problem:
        problem = "未生成报告"
    return ItemResult(
        path,
        ok,
        tuple(str(p) for p in result.written),
        problem,
        len(warnings),
        forced=result.forced,
    )


def run_batch(
    jobs: Sequence[BuildJob],
    *,
    worker: Worker = build_worker,
    processes: int = DEFAULT_JOBS,
    on_done: Callable[[ItemResult], None] | None = None,
) -> BatchResult:
    """Run ``worker`` over ``jobs`` in ``processes`` processes (1: in this process).

    Results come back in input order whatever the completion order; ``on_done`` is called
    as each finishes (for the progress bar).
    """
    items = run_parallel(jobs, worker, processes=processes, on_done=on_done, failed=_failed_build)
    return BatchResult(_flag_clashes(items))


def _failed_build(job: BuildJob, problem: str) -> ItemResult:
    return ItemResult(job.input, False, problem=problem)


def run_parallel(
    jobs: Sequence[J],
    worker: Callable[[J], R],
    *,
    processes: int = DEFAULT_JOBS,
    on_done: Callable[[R], None] | None = None,
    failed: Callable[[J, str], R],
) -> list[R]:
    """``worker`` over ``jobs`` in ``processes`` processes; results in input order.

    The worker and its jobs must be picklable (module-level function, small dataclasses).
    A worker that raises, or whose process dies, gives ``failed(job, message)`` for that
    job only: one bad input never stops the rest. Used by the folder build and the review.
    """
    results: dict[int, R] = {}

    def done(i: int, item: R) -> None:
        results[i] = item
        if on_done is not None:
            on_done(item)

    if processes <= 1 or len(jobs) <= 1:
        for i, job in enumerate(jobs):
            done(i, _safe(worker, job, failed))
    else:
        pending = list(range(len(jobs)))
        isolate = False
        while pending:
            # A worker process that dies (a crash in a C library) breaks the whole pool:
            # the unfinished jobs are retried in a fresh pool; when a round finishes none of
            # them, each remaining job runs in a pool of its own, so only the culprit fails.
            if isolate:
                for i in pending:
                    _pool_round(jobs, [i], worker, failed, 1, done, final=True)
                break
            left = _pool_round(jobs, pending, worker, failed, processes, done, final=False)
            isolate = len(left) == len(pending)
            pending = left
    return [results[i] for i in range(len(jobs))]


def _flag_clashes(items: list[ItemResult]) -> list[ItemResult]:
    """Two inputs of the same unit and year write the same report: say so, do not hide it."""
    owner: dict[str, str] = {}
    out = []
    for item in items:
        clash = next((owner[o] for o in item.outputs if o in owner), None)
        for o in item.outputs:
            owner.setdefault(o, item.path)
        if clash is not None:
            item = ItemResult(
                item.path,
                False,
                item.outputs,
                f"与 {Path(clash).name} 生成的报告同名（同一单位同一年度出现两次），"
                "两份报告互相覆盖；请删除多余的文件后重新生成",
                item.warnings,
            )
        out.append(item)
    return out


def pool_context() -> Any:
    """The multiprocessing context for worker pools. Not "fork": the progress bar runs a
    refresh thread, and forking a threaded process can deadlock. "forkserver" where
    available (Linux), the platform default ("spawn" on Windows and macOS) elsewhere."""
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else None)


def _pool_round(
    jobs: Sequence[J],
    indices: list[int],
    worker: Callable[[J], R],
    failed: Callable[[J, str], R],
    processes: int,
    done: Callable[[int, R], None],
    *,
    final: bool,
) -> list[int]:
    """Run ``jobs[indices]`` in one process pool; return the indices lost to a dead worker."""
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    ctx = pool_context()
    lost: list[int] = []
    workers = max(1, min(processes, len(indices)))
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        futures = {pool.submit(_safe, worker, jobs[i], failed): i for i in indices}
        for fut in as_completed(futures):
            i = futures[fut]
            try:
                item = fut.result()
            except BrokenProcessPool:
                if not final:
                    lost.append(i)
                    continue
                item = failed(jobs[i], "处理进程异常退出（程序崩溃）")
            done(i, item)
    return sorted(lost)


def _safe(worker: Callable[[J], R], job: J, failed: Callable[[J, str], R]) -> R:
    try:
        return worker(job)
    except Exception as exc:
        return failed(job, f"程序内部错误（{type(exc).__name__}: {exc}）")


def batch_jobs(
    folder: Path, *, outdir: Path | None = None, options: dict[str, Any] | None = None
) -> list[BuildJob]:
    """One job per input file of ``folder``; refuses an empty folder.

    Reports go to ``outdir`` (created) or, without it, beside each input.
    """
    inputs = list_inputs(folder, published=False)  # our own outputs are not inputs
    if not inputs:
        raise InputError(folder, "文件夹中没有填报工作簿（.xlsx）或 JSON 数据文件（.json）")
    if outdir is not None:
        if outdir.exists() and not outdir.is_dir():
            raise InputError(outdir, "输出位置不是文件夹")
        outdir.mkdir(parents=True, exist_ok=True)
    opts = tuple(sorted((options or {}).items()))
    return [BuildJob(str(p), str(outdir) if outdir is not None else None, opts) for p in inputs]


@contextmanager
def progress_bar(out: Console, description: str, total: int) -> Iterator[Callable[[], None]]:
    """A rich progress bar on ``out``; yields ``advance()``. Silent when not a terminal."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=out,
        transient=True,
        disable=not out.is_terminal,
    ) as bar:
        task = bar.add_task(description, total=total)
        yield lambda: bar.advance(task)


# ---------------------------------------------------------------- the folder build command
def build_folder(
    folder: Path,
    *,
    output: Path | None = None,
    jobs: int = DEFAULT_JOBS,
    options: dict[str, Any] | None = None,
    out: Console | None = None,
    worker: Worker = build_worker,
) -> BatchResult:
    """``gdr-gen build FOLDER/``: every input built, a progress bar, a summary table."""
    from .. import ui

    opts = dict(options or {})
    if opts.get("previous") is not None:
        raise GdrError(
            "整个文件夹生成时不能使用 --previous（每个单位的上一年度数据不同）",
            hint="请对单个文件分别运行 gdr-gen build 文件 --previous 上年文件。",
        )
    opts.pop("previous", None)
    if opts.pop("agency_kind", None) is not None:
        raise GdrError(
            "整个文件夹生成时不能使用 --agency-kind（文件夹中只读取填报工作簿和 JSON，它们自己写明了机关类型）",
            hint="已发布的年报请逐个运行 gdr-gen build 文件 --agency-kind …。",
        )
    if output is not None and output.suffix.lower() in output_suffixes():
        raise GdrError(
            f"整个文件夹生成时，-o 应为输出文件夹，而不是文件（{output}）",
            hint="例如：gdr-gen build 各单位/ -o 各单位年报/",
        )
    if jobs < 1:
        raise GdrError("--jobs 应为不小于 1 的整数")
    job_list = batch_jobs(folder, outdir=output, options=opts)
    console = out or ui.console()
    err = ui.console(stderr=True)
    with progress_bar(err, "生成年度报告", total=len(job_list)) as advance:
        result = run_batch(job_list, worker=worker, processes=jobs, on_done=lambda _i: advance())
    print_batch(result, console)
    return result


def print_batch(result: BatchResult, out: Console) -> None:
    """The final summary: one row per input, then the counts."""
    from rich.markup import escape
    from rich.table import Table

    table = Table(title="生成结果", title_justify="left", show_lines=False)
    table.add_column("文件", overflow="fold")
    table.add_column("结果", no_wrap=True)
    table.add_column("报告 / 首个问题", overflow="fold")
    for item in result.items:
        name = escape(Path(item.path).name)
        if item.ok and item.forced:
            status = "[yellow]已生成（有错误）[/]"
            detail = escape(item.problem)
        elif item.ok:
            status = "[green]已生成[/]" + (f"（{item.warnings} 个警告）" if item.warnings else "")
            detail = escape("、".join(Path(o).name for o in item.outputs))
        else:
            status = "[bold red]未生成[/]"
            detail = escape(item.problem)
        table.add_row(name, status, detail)
    out.print(table)
    n, built = len(result.items), len(result.built)
    failed = n - built
    line = f"共 {n} 个文件：已生成 {built} 个"
    if failed:
        line += f"，[bold red]未生成 {failed} 个[/]（见上表，请改正后重新运行）"
    out.print(line, highlight=False)
