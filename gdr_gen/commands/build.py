"""``gdr-gen build``: check the data, then write the report (Word; HTML and PDF on request).

The checks run first. With errors (or warnings under ``strict``) nothing is written unless
``force``. Every output shares one stem: ``-o 报告.docx --format docx,html,pdf`` writes
报告.docx, 报告.html and 报告.pdf. Without ``-o`` the files go beside the input, named
``<机关全称><年度>年政府信息公开工作年度报告``.
"""

from __future__ import annotations

import re
from dataclasses import field
from pathlib import Path

from ..errors import GdrError, OutputError
from ..findings import Finding
from ..records import record
from ..sentences import SENTENCE_NAMES, SentenceMode, SentenceOptions
from ..writers.registry import (
    WRITERS,
    RenderOptions,
    get_writer,
    output_suffixes,
    writer_for_suffix,
)
from .check import CheckResult, check_file

_UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


@record
class BuildResult:
    """What a build did: the check, the files written, and whether problems blocked it."""

    check: CheckResult
    written: list[Path] = field(default_factory=list)
    blocked: bool = False  # problems found and not forced: nothing was written
    forced: bool = False  # written although the checks failed
    notes: list[str] = field(default_factory=list)  # about the outputs (PDF fonts substituted)

    @property
    def findings(self) -> list[Finding]:
        return self.check.findings


def parse_formats(text: str) -> tuple[str, ...]:
    """``"docx,html"`` → ("docx", "html"); in the writers' order, duplicates dropped."""
    wanted = {part.strip().lower() for part in text.replace("，", ",").split(",") if part.strip()}
    unknown = wanted - set(WRITERS)
    if unknown or not wanted:
        raise GdrError(
            f"不支持的输出格式：{'、'.join(sorted(unknown)) or '（空）'}",
            hint=f"可选 {'、'.join(WRITERS)}，多个用逗号分隔，例如 --format docx,pdf。",
        )
    return tuple(f for f in WRITERS if f in wanted)


def formats_for_output(output: str | Path | None) -> tuple[str, ...]:
    """Without --format, the output name decides: 报告.pdf → pdf, 报告.html → html, else docx."""
    writer = writer_for_suffix(Path(output).suffix) if output is not None else None
    return (writer.name if writer is not None else "docx",)


def parse_sentences(text: str) -> SentenceOptions:
    """``auto`` / ``on`` / ``off`` for all, or per sentence: ``requests=off,fee=on``."""
    modes = ("auto", "on", "off")
    text = text.strip().lower()
    if text in modes:
        return SentenceOptions.all(text)  # type: ignore[arg-type]
    values: dict[str, SentenceMode] = {}
    for part in text.replace("，", ",").split(","):
        name, _, mode = part.partition("=")
        name, mode = name.strip(), mode.strip()
        if name not in SENTENCE_NAMES or mode not in modes:
            raise GdrError(
                f"--sentences 的值“{part.strip()}”无效",
                hint="写 auto、on 或 off；或分别指定，例如 requests=off,appeals=on,fee=auto。",
            )
        values[name] = mode  # type: ignore[assignment]
    return SentenceOptions(**values)


_MAX_NAME_CHARS = 150  # Windows paths stay short enough for Word
# Linux allows 255 bytes per name: room for ".docx" and Word's "~$"/LibreOffice's ".~lock.…#".
_MAX_NAME_BYTES = 200
_KEEP_END = 24  # a shortened name keeps its end: "…2022年政府信息公开工作年度报告"
_WINDOWS_DEVICES = re.compile(r"(CON|PRN|AUX|NUL|COM\d|LPT\d)(\..*)?", re.IGNORECASE)


def safe_filename(name: str) -> str:
    """A report title usable as one file name on Windows and Linux.

    The agency name comes from the input file, so no separator, ``..``, control character
    or device name survives: the result is always a plain name inside the chosen folder.
    A very long name is shortened in the middle (its year and 年度报告 end stay).
    """
    cleaned = _UNSAFE_NAME.sub("_", name).strip(" .")
    if _WINDOWS_DEVICES.fullmatch(cleaned):
        cleaned = "_" + cleaned
    if len(cleaned) > _MAX_NAME_CHARS or len(cleaned.encode("utf-8")) > _MAX_NAME_BYTES:
        tail = cleaned[-_KEEP_END:]
        head = cleaned[: _MAX_NAME_CHARS - _KEEP_END - 1]
        while head and len(f"{head}…{tail}".encode()) > _MAX_NAME_BYTES:
            head = head[:-1]
        cleaned = f"{head.rstrip(' .')}…{tail}"
    return cleaned or "政府信息公开工作年度报告"


_KEEP_TAIL = 24  # "2022年政府信息公开工作年度报告" and the end of the agency's name
# The lock files Word (~$name) and LibreOffice (.~lock.name#) put beside the report must fit too
_LOCK_EXTRA = len(".~lock.#")


def fit_filename(name: str, folder: Path, suffixes: tuple[str, ...]) -> str:
    """``name`` shortened, if need be, so ``folder/name.suffix`` fits Windows' limits (the
    whole path within MAX_PATH, the name within 255 characters and, for Linux, 255 bytes).

    The middle of the name gives way, marked "…": the start of the agency's name and the
    end (its last words, the year, 政府信息公开工作年度报告) stay readable. The same name and
    folder always give the same result; nothing random is added.
    """
    from ..writers.atomic import MAX_NAME, MAX_PATH

    longest = max((len(s) for s in suffixes), default=len(".docx"))
    try:
        folder_chars = len(str(folder.absolute()))
    except OSError:
        folder_chars = len(str(folder))
    # MAX_PATH counts the terminating NUL; 1 for the separator before the name
    max_chars = min(MAX_PATH - 1 - folder_chars - 1 - longest, MAX_NAME - longest) - _LOCK_EXTRA
    max_bytes = MAX_NAME - longest - _LOCK_EXTRA

    def fits(text: str) -> bool:
        return len(text) <= max_chars and len(text.encode("utf-8")) <= max_bytes

    if fits(name):
        return name
    tail = name[-_KEEP_TAIL:]
    if not fits("…" + tail):  # a very deep folder: the end of the title is what is left
        while tail and not fits(tail):
            tail = tail[1:]
        return tail or "年报"
    head_len = 0
    while fits(name[: head_len + 1] + "…" + tail):
        head_len += 1
    return name[:head_len].rstrip(" .") + "…" + tail


# Suffixes people type by habit that gdr-gen cannot write: what to say instead of writing
# 报告.doc.docx. The formats it can write come from the writer registry.
_LEGACY_SUFFIXES = {
    **dict.fromkeys(
        (".doc", ".dot", ".dotx", ".wps", ".wpt", ".rtf", ".odt"),
        "Word 报告只能生成 .docx 格式（Word 2007 及以后、WPS 都能打开）；"
        "如需 {suffix} 格式，请在 Word 或 WPS 中打开 .docx 后“另存为”。",
    ),
    **dict.fromkeys(
        (".xls", ".xlsx", ".xlsm", ".et", ".csv"),
        "build 生成的是年度报告，不是表格；生成填报工作簿请用 gdr-gen init，"
        "导出数据请用 gdr-gen export。",
    ),
    **dict.fromkeys(
        (".mht", ".mhtml", ".shtml", ".txt"),
        "网页格式请用 .html（或 .htm）；纯文本不是可生成的格式。",
    ),
}
_LOOKS_LIKE_SUFFIX = re.compile(r"\.[A-Za-z][A-Za-z0-9]{0,4}")


def is_folder_argument(output: str | Path) -> bool:
    """``-o 新文件夹/`` (or ``\\``): a folder, whether or not it exists yet."""
    return isinstance(output, str) and output.endswith(("/", "\\"))


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:  # a name too long for the system: not a folder; ensure_writable says why
        return False


def output_stem(output: str | Path, *, explicit_formats: bool = False) -> Path | None:
    """The stem ``-o`` gives every format's file, or None when ``-o`` names a folder.

    A suffix of a format gdr-gen writes is dropped (报告.docx → 报告); a legacy or unknown
    file type (报告.doc, 报告.wps, 报告.abc) is refused with an explanation rather than
    doubled (报告.doc.docx). With an explicit ``--format`` a suffix-like ending stays part
    of the name only when it is not a known file type (报告.v2 → 报告.v2.docx).
    """
    if is_folder_argument(output):
        return None
    path = Path(output)
    if _is_dir(path):
        return None
    suffix = path.suffix.lower()
    if not suffix or writer_for_suffix(suffix) is not None:
        return path.with_suffix("") if suffix else path
    known = "、".join(sorted(output_suffixes()))
    if suffix in _LEGACY_SUFFIXES:
        raise OutputError(
            path,
            f"不能生成“{path.suffix}”格式的文件",
            hint=_LEGACY_SUFFIXES[suffix].format(suffix=path.suffix) + f"可生成的扩展名：{known}。",
        )
    if _LOOKS_LIKE_SUFFIX.fullmatch(path.suffix) and not explicit_formats:
        raise OutputError(
            path,
            f"不认识的扩展名“{path.suffix}”",
            hint=f"可生成的扩展名：{known}；例如 -o 年报.docx。"
            "如果点号是文件名的一部分，请同时用 --format 指定格式。",
        )
    return path


def output_paths(
    input_path: Path,
    title: str,
    output: str | Path | None,
    formats: tuple[str, ...],
    *,
    explicit_formats: bool = False,
) -> dict[str, Path]:
    """Where each format goes; all share one stem (see :func:`output_stem`)."""
    suffixes = tuple(get_writer(fmt).suffix for fmt in formats)
    stem = output_stem(output, explicit_formats=explicit_formats) if output is not None else None
    if stem is None:
        folder = input_path.parent if output is None else Path(str(output).rstrip("/\\") or "/")
        stem = folder / fit_filename(safe_filename(title), folder, suffixes)
    return {fmt: stem.with_name(f"{stem.name}{get_writer(fmt).suffix}") for fmt in formats}


def prepare_folder(output: str | Path | None) -> None:
    """Create the folder ``-o 新文件夹/`` names (one level), or say why it cannot be."""
    if output is None or not is_folder_argument(output):
        return
    folder = Path(str(output).rstrip("/\\") or "/")
    if folder.is_dir():
        return
    if folder.exists():
        raise OutputError(folder, "这是一个文件，不是文件夹", hint="请另选输出文件夹的名称。")
    if not folder.parent.is_dir():
        raise OutputError(
            folder,
            f"上级文件夹 {folder.parent} 不存在",
            hint="gdr-gen 只新建最后一级文件夹；请先建好上级文件夹，或检查路径是否写错。",
        )
    from ..writers.atomic import describe_os_error

    try:
        folder.mkdir()
    except FileExistsError:
        pass
    except OSError as exc:
        raise describe_os_error(folder, exc) from None


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def build_report(
    input_path: str | Path,
    *,
    output: str | Path | None = None,
    formats: tuple[str, ...] | None = None,
    force: bool = False,
    strict: bool = False,
    previous: str | Path | None = None,
    template: str | Path | None = None,
    template_dir: str | Path | None = None,
    sentences: SentenceOptions | None = None,
    agency_kind: str | None = None,
    fragment: bool = False,
) -> BuildResult:
    """Check ``input_path`` and write the report in ``formats`` (see the module docstring).

    ``formats`` None: decided by the output's suffix (:func:`formats_for_output`).
    """
    explicit_formats = formats is not None
    if formats is None:
        formats = formats_for_output(output)
    from .. import api
    from ..ui import failed
    from ..writers.atomic import ensure_writable, write_bytes_atomic

    src = Path(input_path)
    result = check_file(src, previous=previous, agency_kind=agency_kind)
    problems = failed(result.findings, strict=strict)
    if problems and not force:
        return BuildResult(result, blocked=True)

    targets = output_paths(
        src, result.report.title, output, formats, explicit_formats=explicit_formats
    )
    doc = api.build_document(result.report, sentences=sentences, template_dir=template_dir)
    inputs = [src] + ([Path(previous)] if previous is not None else [])
    if template is not None:
        inputs.append(Path(template))
    for target in targets.values():
        if any(_same_file(target, p) for p in inputs):
            raise OutputError(target, "这是输入文件，不能被覆盖", hint="请用 -o 指定另一个文件名。")
        if not (is_folder_argument(output or "") and not target.parent.exists()):
            ensure_writable(target)  # a report open in Word stops the build before any writing

    # Every writer must be able to run, and every format is rendered, before any is written:
    # PDF without LibreOffice or a broken template leaves no partial output.
    for fmt in targets:
        get_writer(fmt).check_available()
    rendered = {fmt: api.render(doc, fmt, template=template, fragment=fragment) for fmt in targets}
    prepare_folder(output)
    written = [write_bytes_atomic(targets[fmt], data) for fmt, data in rendered.items()]
    options = RenderOptions(Path(template) if template is not None else None, fragment)
    notes = [
        n for fmt, data in rendered.items() for n in get_writer(fmt).notes_for(doc, options, data)
    ]
    return BuildResult(result, written, blocked=False, forced=problems, notes=notes)
