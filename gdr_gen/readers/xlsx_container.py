"""Look at a would-be workbook before any spreadsheet library does.

Input files are hostile: a renamed .xls/.csv/.docx, a password-protected (encrypted)
workbook, a zip bomb or an XML entity bomb must be refused quickly with a message saying
what the file really is, before openpyxl parses anything.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path

from ..errors import InputError

MAX_BOOK_BYTES = 50 * 1024 * 1024  # the file on disk
MAX_UNCOMPRESSED = 100 * 1024 * 1024  # all members together, as declared in the zip
MAX_MEMBERS = 2000
MAX_RATIO = 100  # uncompressed/compressed, for members above RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024
PROLOG_BYTES = 4096  # a DTD must come before the root element

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
REFILL_HINT = "请在 Excel 或 WPS 中打开它，另存为“Excel 工作簿（*.xlsx）”后再试。"


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


def _describe_ole(data: bytes) -> tuple[str, str | None]:
    """What an OLE2 compound file (old Office, or an encrypted OOXML package) is."""
    if _utf16("EncryptedPackage") in data or _utf16("EncryptionInfo") in data:
        return (
            "工作簿设置了打开密码（文件已加密），程序无法读取",
            "请在 Excel 或 WPS 中打开，取消“用密码进行加密”后另存，再试。"
            "（工作表保护不影响读取，只有打开密码不行。）",
        )
    if _utf16("WordDocument") in data:
        return "这是 Word 97-2003 文档（.doc），不是 Excel 工作簿", None
    if _utf16("Workbook") in data or _utf16("Book") in data:
        return "这是 Excel 97-2003 工作簿（.xls），只是扩展名被改成了 .xlsx", REFILL_HINT
    if _utf16("PowerPoint Document") in data:
        return "这是 PowerPoint 97-2003 演示文稿（.ppt），不是 Excel 工作簿", None
    return "这是旧版 Office 格式的文件，不是 .xlsx 工作簿", REFILL_HINT


def _describe_other(data: bytes) -> tuple[str, str | None]:
    head = data[:4096]
    if head.startswith(b"%PDF"):
        return "这是 PDF 文件，不是 Excel 工作簿", None
    if head.startswith((b"\x1f\x8b", b"Rar!", b"7z\xbc\xaf")):
        return "这是压缩包，不是 Excel 工作簿", None
    text = None
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = head.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    if text is not None and "\x00" not in text:
        stripped = text.lstrip().lower()
        if stripped.startswith(("<!doctype html", "<html", "<table", "<?xml", "<")):
            return (
                "这是网页（HTML）或 XML 文本，不是 Excel 工作簿（有的系统导出的“Excel”其实是网页）",
                REFILL_HINT,
            )
        if stripped.startswith(("{", "[")):
            return "这是 JSON 文本，扩展名却是 .xlsx", "JSON 数据文件请使用 .json 扩展名。"
        if "," in text or "\t" in text:
            return "这是文本文件（CSV 或制表符分隔），不是 Excel 工作簿", REFILL_HINT
        return "这是文本文件，不是 Excel 工作簿", None
    return "不是 Excel 工作簿（.xlsx）：文件内容无法识别，可能已损坏", None


def _describe_zip_members(names: set[str]) -> tuple[str, str | None] | None:
    """None when the package looks like a workbook; else what it is."""
    if "xl/workbook.xml" in names:
        return None
    if "word/document.xml" in names:
        return "这是 Word 文档（.docx），只是扩展名被改成了 .xlsx", None
    if "ppt/presentation.xml" in names:
        return "这是 PowerPoint 演示文稿（.pptx），不是 Excel 工作簿", None
    if "mimetype" in names and "content.xml" in names:
        return "这是 OpenDocument 文件（如 .ods 表格），不是 .xlsx 工作簿", REFILL_HINT
    if "[Content_Types].xml" in names:
        return "这是 Office 文件，但其中没有工作簿（缺少 xl/workbook.xml），文件可能已损坏", None
    return "这是普通压缩包（zip），不是 Excel 工作簿", None


def check_container(path: Path, data: bytes) -> None:
    """Raise InputError unless ``data`` is a plausible, safely sized .xlsx package."""
    if data.startswith(OLE_MAGIC):
        reason, hint = _describe_ole(data)
        raise InputError(path, reason, hint=hint)
    if not data.startswith(ZIP_MAGICS):
        reason, hint = _describe_other(data)
        raise InputError(path, reason, hint=hint)
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError, NotImplementedError):
        # NotImplementedError: a damaged header claims a zip version Python cannot read
        raise InputError(
            path, "文件已损坏：不是完整的 .xlsx（zip）文件", hint="可能是下载或复制不完整。"
        ) from None
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_MEMBERS:
            raise InputError(path, f"压缩包内有 {len(infos)} 个部件，不像是填报工作簿，已拒绝读取")
        total = 0
        for info in infos:
            total += info.file_size
            if info.file_size > RATIO_FLOOR and (
                info.compress_size == 0 or info.file_size / info.compress_size > MAX_RATIO
            ):
                raise InputError(
                    path,
                    f"工作簿中的 {info.filename} 解压后异常膨胀（{info.compress_size} 字节 → "
                    f"{info.file_size} 字节），疑似“压缩炸弹”，已拒绝读取",
                )
        if total > MAX_UNCOMPRESSED:
            raise InputError(
                path,
                f"工作簿解压后共 {total // 1024 // 1024} MB，远大于填报工作簿，"
                "疑似“压缩炸弹”，已拒绝读取",
            )
        described = _describe_zip_members({i.filename for i in infos})
        if described is not None:
            raise InputError(path, described[0], hint=described[1])
        for info in infos:
            if not info.filename.endswith((".xml", ".rels", ".vml")):
                continue
            try:
                with zf.open(info) as fh:
                    prolog = fh.read(PROLOG_BYTES)
            except (
                zipfile.BadZipFile,
                OSError,
                EOFError,
                ValueError,
                RuntimeError,
                NotImplementedError,
                zlib.error,
            ) as exc:
                # RuntimeError: an encrypted zip member; NotImplementedError: an unknown
                # compression method; zlib.error: damaged compressed data
                raise InputError(
                    path, f"文件已损坏：无法解压其中的 {info.filename}（{exc}）"
                ) from None
            lowered = prolog.lower().replace(b"\x00", b"")
            if b"<!doctype" in lowered or b"<!entity" in lowered:
                raise InputError(
                    path,
                    f"工作簿中的 {info.filename} 含有 XML 实体定义（DTD），正常的工作簿不会有，"
                    "疑似恶意构造的文件，已拒绝读取",
                )
