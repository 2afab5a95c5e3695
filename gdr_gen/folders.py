"""A folder of units: which files are candidate reports, and why the others are skipped.

One definition for every command that reads a whole folder of reports (``check FOLDER`` —
:mod:`gdr_gen.review` — and ``merge FOLDER`` — :mod:`gdr_gen.commands.merge`):

1. by name (:func:`scan_folder`): every suffix a registered reader takes is a candidate —
   workbooks, JSON and published reports (web pages, Word, PDF, text); Office/WPS lock files,
   annotated copies, hidden files, empty published files and other kinds are skipped;
2. by content (:func:`not_a_report`): a candidate that reads as a document but is not a
   report at all (a notice 通知.docx, a 说明.txt, a news page, a 公开指南) is skipped too.
   Any other failure (a damaged workbook, a scanned PDF) is *not* a skip: it may be a unit's
   report, so it is listed as unreadable.

Files named one by one on the command line are not scanned: a named file that cannot be read,
or is not a report, is an error as always.

``build FOLDER`` is deliberately different (:func:`gdr_gen.commands.batch.list_inputs` with
``published=False``): it writes web pages, Word and PDF files beside its inputs and must not
read them back as inputs.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .errors import GdrError, InputError, NotAReportError
from .records import record

LOCK_FILE = "Office/WPS 打开文件时生成的临时锁文件"


@record(frozen=True)
class SkippedFile:
    """A file of the folder that was not read as a unit's report, and why."""

    path: str
    reason: str

    @property
    def name(self) -> str:
        return Path(self.path).name


def scan_folder(
    folder: Path, *, exclude: Iterable[Path] = ()
) -> tuple[list[Path], list[SkippedFile]]:
    """The candidate report files directly in ``folder`` (by name) and what was skipped, why."""
    from .annotate import ANNOTATED_SUFFIX
    from .commands.batch import is_office_temp
    from .readers.registry import by_suffix

    if not folder.exists():
        raise InputError(folder, "文件夹不存在")
    if not folder.is_dir():
        raise InputError(folder, "这不是文件夹")
    try:
        entries = sorted(folder.iterdir(), key=lambda p: p.name)
    except OSError as exc:
        raise InputError(folder, f"无法列出文件夹内容（{exc.strerror or exc}）") from None
    skip = {p.resolve() for p in exclude}
    inputs: list[Path] = []
    skipped: list[SkippedFile] = []
    for p in entries:
        name = p.name
        if p.resolve() in skip:
            continue
        if p.is_dir():
            continue
        spec = by_suffix(p.suffix)
        if is_office_temp(name) or name.startswith("~$"):
            skipped.append(SkippedFile(str(p), LOCK_FILE))
        elif Path(name).stem.endswith(ANNOTATED_SUFFIX):
            skipped.append(SkippedFile(str(p), "gdr-gen 生成的标注副本，不是单位的年报"))
        elif name.startswith("."):
            skipped.append(SkippedFile(str(p), "隐藏文件"))
        elif spec is None:
            skipped.append(SkippedFile(str(p), f"不是年报文件（扩展名“{p.suffix or '无'}”）"))
        elif spec.published and _is_empty(p):
            # 新建文本文档.txt: a document nobody wrote (an empty workbook stays a unit's
            # damaged file and is listed as unreadable)
            skipped.append(SkippedFile(str(p), "空文件（0 字节）"))
        else:
            inputs.append(p)
    return inputs, skipped


def _is_empty(path: Path) -> bool:
    try:
        return path.stat().st_size == 0
    except OSError:
        return False  # the reader says what is wrong


def not_a_report(exc: GdrError) -> str | None:
    """Why a folder's file is skipped after reading it (it is no report), or None."""
    if isinstance(exc, NotAReportError):
        return exc.reason
    return None


def is_published(path: Path) -> bool:
    """Read by a published-report reader (web page, Word, PDF, text), by name."""
    from .readers.registry import by_suffix

    spec = by_suffix(path.suffix)
    return spec is not None and spec.published


__all__ = ["LOCK_FILE", "SkippedFile", "is_published", "not_a_report", "scan_folder"]
