"""PDF from the Word report through headless LibreOffice.

Each conversion gets its own temporary LibreOffice profile: two soffice processes sharing
a profile do not both convert (the second exits, often with status 0 and no output).
The input is copied under a fixed name into the temporary folder, so odd file names
(spaces, a leading ``-``, non-ASCII) never reach the command line of soffice.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ExternalToolError, InputError
from .atomic import ensure_writable, write_atomic

if TYPE_CHECKING:
    from ..document import Document
    from .registry import RenderOptions

INSTALL_HINT = (
    "请先安装 LibreOffice（免费软件）：Debian/Ubuntu 运行 "
    "`sudo apt-get install libreoffice-writer-nogui`；Windows、macOS 请从 "
    "https://www.libreoffice.org/ 下载安装。安装后重新运行本命令；"
    "如果装在其他位置，可设置环境变量 GDR_GEN_SOFFICE 指向 soffice 程序。"
)

_CANDIDATES = (
    "/usr/bin/soffice",
    "/usr/local/bin/soffice",
    "/usr/lib/libreoffice/program/soffice",
    "/opt/libreoffice/program/soffice",
    "/snap/bin/libreoffice",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
)


def find_soffice() -> Path | None:
    """LibreOffice's soffice: $GDR_GEN_SOFFICE, then PATH, then the usual install places."""
    override = os.environ.get("GDR_GEN_SOFFICE")
    if override:
        p = Path(override)
        return p if p.is_file() else None
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return Path(found)
    candidates = list(_CANDIDATES)
    candidates.extend(str(p) for p in sorted(Path("/opt").glob("libreoffice*/program/soffice")))
    for c in candidates:
        if Path(c).is_file():
            return Path(c)
    return None


def require_soffice() -> Path:
    """soffice, or the Chinese "install LibreOffice" error (checked before any file is written)."""
    soffice = find_soffice()
    if soffice is None:
        raise ExternalToolError("生成 PDF 需要 LibreOffice，但本机没有找到。", hint=INSTALL_HINT)
    return soffice


def _kill(proc: subprocess.Popen[bytes]) -> None:
    """Stop soffice and the soffice.bin it started (its own process group on POSIX)."""
    if sys.platform != "win32":
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(ProcessLookupError):
        proc.kill()
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.communicate(timeout=10)


def _tail(output: bytes, lines: int = 5) -> str:
    text = output.decode("utf-8", errors="replace").strip()
    return "\n".join(text.splitlines()[-lines:])


def render(doc: Document, options: RenderOptions, *, timeout: float = 180) -> bytes:
    """The writer registry's entry (:mod:`.registry`): the Word report converted to PDF."""
    from .docx_writer import docx_bytes

    data = docx_bytes(doc, template=options.template)
    work = Path(tempfile.mkdtemp(prefix="gdr-pdf-"))
    try:
        source = work / "report.docx"
        source.write_bytes(data)
        return soffice_convert(source, work, timeout=timeout).read_bytes()
    finally:
        shutil.rmtree(work, ignore_errors=True)


# ---------------------------------------------------------------- font substitution
_BASE_FONT = re.compile(rb"/BaseFont\s*/([^\s/\[\]<>(){}%]+)")
_PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")


def pdf_font_names(pdf: bytes) -> list[str]:
    """The fonts a PDF uses (``/BaseFont`` names, subset prefix ``ABCDEF+`` removed)."""
    names = set()
    for raw in _BASE_FONT.findall(pdf):
        decoded = _PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), raw)
        name = decoded.decode("utf-8", errors="replace")
        names.add(re.sub(r"^[A-Z]{6}\+", "", name))
    return sorted(names)


def substituted_fonts(docx: bytes, pdf: bytes) -> list[str]:
    """The 公文 faces the Word report names that are not in the PDF: LibreOffice had to use
    another font because they are not installed here."""
    import io
    import zipfile

    from .docx_style import GONGWEN_FONTS

    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        xml = "".join(
            z.read(n).decode("utf-8", errors="replace")
            for n in ("word/styles.xml", "word/document.xml")
            if n in z.namelist()
        )
    used = [f for f in GONGWEN_FONTS if f'w:eastAsia="{f.name}"' in xml]
    in_pdf = " ".join(pdf_font_names(pdf)).lower()
    return [f.name for f in used if not any(n.lower() in in_pdf for n in f.pdf_names)]


def font_notes(docx: bytes, pdf: bytes) -> list[str]:
    """What to tell the user about the fonts of a PDF made from ``docx`` (empty: exact)."""
    missing = substituted_fonts(docx, pdf)
    if not missing:
        return []
    used = "、".join(pdf_font_names(pdf)) or "其他字体"
    return [
        f"PDF 中的字体 {'、'.join(missing)} 本机没有安装，LibreOffice 用 {used} 代替，"
        "版式与印发稿会有差别。安装这些字体（方正小标宋简体、仿宋_GB2312、楷体_GB2312、黑体）"
        "后重新生成即可；或在装有这些字体的电脑上用 Word/WPS 打开 .docx “另存为 PDF”。"
    ]


def notes(doc: Document, options: RenderOptions, pdf: bytes) -> list[str]:
    """The writer registry's ``notes`` entry: font substitutions in a rendered PDF."""
    from .docx_writer import docx_bytes

    return font_notes(docx_bytes(doc, template=options.template), pdf)


def convert_docx_to_pdf(docx: Path, pdf: Path, *, timeout: float = 180) -> Path:
    """Convert ``docx`` to ``pdf`` with headless LibreOffice; the PDF is written atomically."""
    docx, pdf = Path(docx), Path(pdf)
    if not docx.is_file():
        raise InputError(docx, "文件不存在")
    ensure_writable(pdf)  # fail before a long conversion if the PDF is open elsewhere
    work = Path(tempfile.mkdtemp(prefix="gdr-pdf-"))
    try:
        source = work / "report.docx"
        shutil.copyfile(docx, source)
        produced = soffice_convert(source, work, timeout=timeout, name=docx.name)

        def copy(tmp: Path) -> None:
            shutil.copyfile(produced, tmp)

        return write_atomic(pdf, copy)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def soffice_convert(
    source: Path, work: Path, *, timeout: float, name: str | None = None, to: str = "pdf"
) -> Path:
    """Run LibreOffice on ``source`` inside ``work`` (a private profile); the file it made.

    ``to`` is LibreOffice's target (``pdf``; ``docx:MS Word 2007 XML`` for the reader of old
    .doc/.wps files). Failures are ExternalToolErrors in Chinese.
    """
    soffice = require_soffice()
    name = name or source.name
    profile, outdir = work / "profile", work / "out"
    outdir.mkdir()
    cmd = [
        str(soffice),
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--nolockcheck",
        "--nodefault",
        "--nologo",
        "--convert-to",
        to,
        "--outdir",
        str(outdir),
        str(source),
    ]
    try:
        proc = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            cwd=work,
            start_new_session=sys.platform != "win32",
        )
    except OSError as exc:
        raise ExternalToolError(
            f"无法启动 LibreOffice（{soffice}）：{exc.strerror or exc}", hint=INSTALL_HINT
        ) from None
    try:
        output, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(proc)
        raise ExternalToolError(
            f"LibreOffice 转换 {name} 超过 {timeout:g} 秒仍未完成，已停止。",
            hint="请确认文件能用 Word 或 WPS 正常打开，稍后重试；也可以在 Word 或 WPS 中“另存为 PDF”。",
        ) from None
    produced = outdir / f"{source.stem}.{to.partition(':')[0]}"
    if proc.returncode != 0 or not produced.is_file() or produced.stat().st_size == 0:
        detail = _tail(output)
        raise ExternalToolError(
            f"LibreOffice 未能把 {name} 转换为 {to.partition(':')[0].upper()}（退出码 {proc.returncode}）。"
            + (f"\nLibreOffice 的输出：{detail}" if detail else ""),
            hint="请确认文件能用 Word 或 WPS 正常打开；也可以在 Word 或 WPS 中“另存为 PDF”。",
        )
    return produced
