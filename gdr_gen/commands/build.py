"""``gdr-gen build``: check the data, then write the report (Word; HTML and PDF on request).

The checks run first. With errors (or warnings under ``strict``) nothing is written unless
``force``. Every output shares one stem: ``-o 报告.docx --format docx,html,pdf`` writes
报告.docx, 报告.html and 报告.pdf. Without ``-o`` the files go beside the input, named
``<机关全称><年度>年政府信息公开工作年度报告``.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..checks import Finding
from ..errors import GdrError, OutputError
from ..narrative import SENTENCE_NAMES, SentenceMode, SentenceOptions
from .check import CheckResult, check_file

FORMATS = ("docx", "html", "pdf")
_OUTPUT_SUFFIXES = {".docx", ".html", ".htm", ".pdf"}
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
    """``"docx,html"`` → ("docx", "html"); order of FORMATS, duplicates dropped."""
    wanted = {part.strip().lower() for part in text.replace("，", ",").split(",") if part.strip()}
    unknown = wanted - set(FORMATS)
    if unknown or not wanted:
        raise GdrError(
            f"不支持的输出格式：{'、'.join(sorted(unknown)) or '（空）'}",
            hint="可选 docx、html、pdf，多个用逗号分隔，例如 --format docx,pdf。",
        )
    return tuple(f for f in FORMATS if f in wanted)


def formats_for_output(output: str | Path | None) -> tuple[str, ...]:
    """Without --format, the output name decides: 报告.pdf → pdf, 报告.html → html, else docx."""
    suffix = Path(output).suffix.lower() if output is not None else ""
    if suffix in (".html", ".htm"):
        return ("html",)
    if suffix == ".pdf":
        return ("pdf",)
    return ("docx",)


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
    elif output.suffix.lower() in _OUTPUT_SUFFIXES:
        stem = output.with_suffix("")
    else:
        stem = output
    return {fmt: stem.with_name(f"{stem.name}.{fmt}") for fmt in formats}


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
    from ..document import build_document
    from ..ui import failed
    from ..writers.atomic import ensure_writable

    src = Path(input_path)
    result = check_file(src, previous=previous)
    problems = failed(result.findings, strict=strict)
    if problems and not force:
        return BuildResult(result, blocked=True)

    doc = build_document(result.report, sentences=sentences, template_dir=template_dir)
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

    # Resolve every writer before writing anything, so a missing one leaves no partial output.
    write_html = (
        _optional_writer("html_writer", "write_html", "HTML") if "html" in targets else None
    )
    convert = _optional_writer("pdf", "convert_docx_to_pdf", "PDF") if "pdf" in targets else None
    if convert is not None:
        _optional_writer("pdf", "require_soffice", "PDF")()  # no LibreOffice: write nothing

    from ..writers.docx_writer import render_docx

    tpl = Path(template) if template is not None else None
    written: list[Path] = []
    if "docx" in targets:
        written.append(render_docx(doc, targets["docx"], template=tpl))
    if write_html is not None:
        write_html(doc, targets["html"], fragment=fragment)
        written.append(targets["html"])
    if convert is not None:
        if "docx" in targets:
            convert(targets["docx"], targets["pdf"])
        else:
            with tempfile.TemporaryDirectory(prefix="gdr-gen-") as tmp:
                docx_path = render_docx(doc, Path(tmp) / "report.docx", template=tpl)
                convert(docx_path, targets["pdf"])
        written.append(targets["pdf"])
    return BuildResult(result, written, blocked=False, forced=problems)


def _optional_writer(module: str, name: str, label: str) -> Any:
    """A writer from another module, imported only when its format is asked for."""
    import importlib

    full = f"gdr_gen.writers.{module}"
    try:
        mod = importlib.import_module(full)
    except ModuleNotFoundError as exc:
        if exc.name != full:
            raise
        raise GdrError(f"此版本暂不支持生成 {label}") from None
    return getattr(mod, name)
