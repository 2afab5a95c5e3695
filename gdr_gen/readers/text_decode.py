"""Text files as Chinese Windows PCs and websites save them: UTF-8 (with or without BOM),
UTF-16/32 with BOM (Notepad's "Unicode", PowerShell 5.1's ``>``), UTF-16 without BOM, a
declared charset (an HTML meta charset), and GB18030/GBK (Notepad's "ANSI" on a Chinese PC).

Detection is safe rather than clever: a byte-order mark decides; otherwise strict UTF-8;
otherwise the declared encoding; otherwise strict GB18030, accepted only when the result reads
like Chinese text (no control characters, and most non-ASCII characters in the common GB2312
set). Anything else is refused with a Chinese message instead of being read as nonsense.
One module for every reader: JSON data files, published web pages and text.
"""

from __future__ import annotations

import codecs
import re

from ..errors import InputError

SAVE_AS_UTF8_HINT = (
    "请把文件另存为 UTF-8 编码后再试：用记事本打开该文件，点“文件”→“另存为”，"
    "在下方“编码”中选“UTF-8”，保存；或用 WPS 打开，点“文件”→“另存为”，"
    "文件类型选“纯文本”，在“文件转换”窗口中选“其他编码”→“Unicode (UTF-8)”。"
)

_BOMS = (  # longest first: the UTF-32 LE mark starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Chinese Windows names for what is, in practice, GB18030 (a superset of GBK and GB2312).
_GB_ALIASES = {"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "ms936", "windows-936", "euc-cn"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ue000-\uf8ff]")
# Share of the non-ASCII characters that must be in GB2312 (the 6,763 common hanzi plus
# punctuation) for a GB18030 reading to count as Chinese text.
_COMMON_SHARE = 0.9
_SAMPLE = 200_000  # characters looked at: enough to judge, bounded for a 50 MB page


class TextDecodeError(ValueError):
    """The bytes are not text in any encoding we accept; ``str(exc)`` is a Chinese reason."""


def normalise_encoding_name(name: str | None) -> str | None:
    """A Python codec name for a declared charset, or None when unknown."""
    if not name:
        return None
    n = name.strip().strip("\"'").lower()
    if n in _GB_ALIASES:
        return "gb18030"
    try:
        return codecs.lookup(n).name
    except LookupError:
        return None


def _looks_like_text(text: str) -> bool:
    sample = text[:_SAMPLE]
    return len(_CONTROL.findall(sample)) <= max(2, len(sample) // 1000)


def _common(ch: str) -> bool:
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _looks_like_chinese_text(text: str) -> bool:
    if not _looks_like_text(text):
        return False
    wide = [ch for ch in text[:_SAMPLE] if ord(ch) > 0x7F]
    return sum(map(_common, wide)) >= _COMMON_SHARE * len(wide)


def decode_bytes(data: bytes, *, declared: str | None = None) -> tuple[str, str]:
    """Return (text, encoding used). Raise TextDecodeError with a Chinese reason."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding), encoding
            except UnicodeDecodeError:
                name = encoding.upper()[:6].rstrip("-")
                raise TextDecodeError(f"文件开头标明为 {name} 编码，但内容已损坏") from None
    # UTF-16 without a BOM: every other byte of ASCII text is NUL.
    head = data[:4000]
    if len(head) >= 4 and head.count(0) > len(head) // 3:
        guess = "utf-16-le" if head[1::2].count(0) > head[0::2].count(0) else "utf-16-be"
        try:
            text = data.decode(guess)
            if _looks_like_text(text):
                return text, guess
        except UnicodeDecodeError:
            pass
        raise TextDecodeError("文件含有大量空字节，不像是文本文件")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    codec = normalise_encoding_name(declared)
    if codec and codec not in ("utf-8", "gb18030"):
        try:
            text = data.decode(codec)
            if _looks_like_text(text):
                return text, codec
        except (UnicodeDecodeError, LookupError):
            pass
    try:
        text = data.decode("gb18030")
        if _looks_like_chinese_text(text):
            return text, "gb18030"
    except UnicodeDecodeError:
        pass
    raise TextDecodeError(
        "不是可识别的文本编码（支持 UTF-8、UTF-16 和 GBK/GB18030"
        + (f"，也不是声明的 {declared}" if codec and codec not in ("utf-8", "gb18030") else "")
        + "）"
    )


def decode_text(data: bytes, *, source: str) -> str:
    """The text in ``data`` (a file's bytes), or InputError naming ``source`` with a hint."""
    try:
        return decode_bytes(data)[0]
    except TextDecodeError as exc:
        raise InputError(source, str(exc), hint=SAVE_AS_UTF8_HINT) from None
