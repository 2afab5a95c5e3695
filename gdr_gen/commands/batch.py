"""Folder builds: ``gdr-gen build FOLDER/`` builds every workbook in a folder, in parallel.

Each input is built by a worker function in its own process (``ProcessPoolExecutor``); a
worker never raises: it returns a small picklable :class:`ItemResult` (built, or refused
with the first finding / the error message), so one bad file never stops the rest. The
worker is a parameter, so the orchestration is tested with a fake one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import GdrError, InputError

if TYPE_CHECKING:
    from rich.console import Console

INPUT_SUFFIXES = (".xlsx", ".xlsm", ".json")
DEFAULT_JOBS = 2


def is_office_temp(name: str) -> bool:
    """Lock and temporary files that Word/WPS/Excel/LibreOffice (or we) leave beside inputs."""
    return name.startswith(("~$", ".~lock.", ".gdr-")) or name.endswith("#")


def list_inputs(folder: Path, *, exclude: Iterable[Path] = ()) -> list[Path]:
    """The workbooks and JSON files directly in ``folder``, sorted by name.

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
    out = []
    for p in entries:
        name = p.name
        if name.startswith(".") or is_office_temp(name):
            continue
        if p.suffix.lower() not in INPUT_SUFFIXES or not p.is_file():
            continue
        if p.resolve() in skip:
            continue
        out.append(p)
    return out


@dataclass(frozen=True)
class ItemResult:
    """What one worker reports back (small and picklable)."""

    path: str
    ok: bool
    outputs: tuple[str, ...] = ()
    problem: str = ""  # the first finding, or the error message, when not ok
    warnings: int = 0


@dataclass
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
        return not self.failed


@dataclass(frozen=True)
class BuildJob:
    """One input and how to build it (picklable: sent to the worker process)."""

    input: str
    outdir: str | None
    formats: tuple[str, ...] = ("docx",)
    force: bool = False


Worker = Callable[[BuildJob], ItemResult]


def build_worker(job: BuildJob) -> ItemResult:
    """Build one report; every failure becomes an ItemResult, never an exception."""
    try:
        from .build import build_report  # the report builder (issue 4)

        output = None
        if job.outdir is not None:
            output = Path(job.outdir) / (Path(job.input).stem + ".docx")
        result = build_report(Path(job.input), output=output, formats=job.formats, force=job.force)
        return _item_from_build(job.input, result)
    except GdrError as exc:
        return ItemResult(job.input, False, problem=exc.message)
    except Exception as exc:  # a bug must not stop the other files
        return ItemResult(job.input, False, problem=f"程序内部错误（{type(exc).__name__}: {exc}）")


def _item_from_build(path: str, result: object) -> ItemResult:
    """Adapt a BuildResult (outputs, findings) to an ItemResult, tolerant of its shape."""
    outputs = tuple(str(p) for p in getattr(result, "outputs", ()) or ())
    findings = list(getattr(result, "findings", ()) or ())
    errors = [f for f in findings if getattr(f.severity, "value", "") == "error"]
    ok = bool(getattr(result, "ok", not errors)) and bool(outputs)
    problem = ""
    if not ok:
        first = errors[0] if errors else (findings[0] if findings else None)
        problem = f"{first.rule} {first.location}：{first.message}" if first else "未生成报告"
    warnings = sum(1 for f in findings if getattr(f.severity, "value", "") == "warning")
    return ItemResult(path, ok, outputs, problem, warnings)


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
    results: dict[int, ItemResult] = {}

    def done(i: int, item: ItemResult) -> None:
        results[i] = item
        if on_done is not None:
            on_done(item)

    if processes <= 1 or len(jobs) <= 1:
        for i, job in enumerate(jobs):
            done(i, _safe(worker, job))
    else:
        pending = list(range(len(jobs)))
        isolate = False
        while pending:
            # A worker process that dies (a crash in a C library) breaks the whole pool:
            # the unfinished jobs are retried in a fresh pool; when a round finishes none of
            # them, each remaining job runs in a pool of its own, so only the culprit fails.
            if isolate:
                for i in pending:
                    _pool_round(jobs, [i], worker, 1, done, final=True)
                break
            left = _pool_round(jobs, pending, worker, processes, done, final=False)
            isolate = len(left) == len(pending)
            pending = left
    return BatchResult([results[i] for i in range(len(jobs))])


def _pool_round(
    jobs: Sequence[BuildJob],
    indices: list[int],
    worker: Worker,
    processes: int,
    done: Callable[[int, ItemResult], None],
    *,
    final: bool,
) -> list[int]:
    """Run ``jobs[indices]`` in one process pool; return the indices lost to a dead worker."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    # Not "fork": the progress bar runs a refresh thread, and forking a threaded process
    # can deadlock. "forkserver" where available (Linux), the platform default elsewhere.
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else None)
    lost: list[int] = []
    workers = max(1, min(processes, len(indices)))
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        futures = {pool.submit(_safe, worker, jobs[i]): i for i in indices}
        for fut in as_completed(futures):
            i = futures[fut]
            try:
                item = fut.result()
            except BrokenProcessPool:
                if not final:
                    lost.append(i)
                    continue
                item = ItemResult(jobs[i].input, False, problem="处理进程异常退出（程序崩溃）")
            done(i, item)
    return sorted(lost)


def _safe(worker: Worker, job: BuildJob) -> ItemResult:
    try:
        return worker(job)
    except Exception as exc:
        return ItemResult(job.input, False, problem=f"程序内部错误（{type(exc).__name__}: {exc}）")


def batch_jobs(
    folder: Path,
    *,
    outdir: Path | None = None,
    formats: Sequence[str] = ("docx",),
    force: bool = False,
) -> list[BuildJob]:
    """One job per input file of ``folder``; refuses an empty folder."""
    inputs = list_inputs(folder)
    if not inputs:
        raise InputError(folder, "文件夹中没有填报工作簿（.xlsx）或 JSON 数据文件（.json）")
    if outdir is not None:
        if outdir.exists() and not outdir.is_dir():
            raise InputError(outdir, "输出位置不是文件夹")
        outdir.mkdir(parents=True, exist_ok=True)
    return [
        BuildJob(str(p), str(outdir) if outdir is not None else None, tuple(formats), force)
        for p in inputs
    ]


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
