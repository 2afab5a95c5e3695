"""``gdr-gen build``: check the data, then write the report (Word; HTML and PDF on request).

The checks run first. With errors (or warnings under ``strict``) nothing is written unless
``force``. Every output shares one stem: ``-o 报告.docx --format docx,html,pdf`` writes
报告.docx, 报告.html and 报告.pdf. Without ``-o`` the files go beside the input, named
``<机关全称><年度>年政府信息公开工作年度报告``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import GdrError, OutputError
from ..findings import Finding
from ..sentences import SENTENCE_NAMES, SentenceMode, SentenceOptions
from ..writers.registry import WRITERS, get_writer, output_suffixes, writer_for_suffix
from .check import CheckResult, check_file

_UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


@dataclass
class BuildResult:
    check: CheckResult
    written: list[Path] = field(default_factory=list)
    blocked: bool = False  # problems found and not forced: nothing was written
    forced: bool = False  # written although the checks failed

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


def output_paths(
    input_path: Path, title: str, output: Path | None, formats: tuple[str, ...]
) -> dict[str, Path]:
    """Where each format goes; all share one stem."""
    if output is None:
        stem = input_path.parent / safe_filename(title)
    elif output.is_dir():
        stem = output / safe_filename(title)
    elif output.suffix.lower() in output_suffixes():
        stem = output.with_suffix("")
    else:
        stem = output
    return {fmt: stem.with_name(f"{stem.name}{get_writer(fmt).suffix}") for fmt in formats}


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
    fragment: bool = False,
) -> BuildResult:
    """Check ``input_path`` and write the report in ``formats`` (see the module docstring).

    ``formats`` None: decided by the output's suffix (:func:`formats_for_output`).
    """
    if formats is None:
        formats = formats_for_output(output)
    from .. import api
    from ..ui import failed
    from ..writers.atomic import ensure_writable, write_bytes_atomic

    src = Path(input_path)
    result = check_file(src, previous=previous)
    problems = failed(result.findings, strict=strict)
    if problems and not force:
        return BuildResult(result, blocked=True)

    doc = api.build_document(result.report, sentences=sentences, template_dir=template_dir)
    targets = output_paths(
        src, result.report.title, Path(output) if output is not None else None, formats
    )
    inputs = [src] + ([Path(previous)] if previous is not None else [])
    if template is not None:
        inputs.append(Path(template))
    for target in targets.values():
        if any(_same_file(target, p) for p in inputs):
            raise OutputError(target, "这是输入文件，不能被覆盖", hint="请用 -o 指定另一个文件名。")
        ensure_writable(target)  # a report open in Word stops the build before anything is written

    # Every writer must be able to run, and every format is rendered, before any is written:
    # PDF without LibreOffice or a broken template leaves no partial output.
    for fmt in targets:
        get_writer(fmt).check_available()
    rendered = {fmt: api.render(doc, fmt, template=template, fragment=fragment) for fmt in targets}
    written = [write_bytes_atomic(targets[fmt], data) for fmt, data in rendered.items()]
    return BuildResult(result, written, blocked=False, forced=problems)
