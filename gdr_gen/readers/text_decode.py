"""Decode text files people actually have: UTF-8 (with or without BOM), UTF-16 with BOM
(Windows Notepad "Unicode"), and GB18030/GBK (Chinese Windows "ANSI").

Detection is deliberately conservative: byte-order marks first, then strict UTF-8, then a
declared encoding (an HTML meta charset), then strict GB18030 accepted only when the result
looks like text. Anything else is refused with a Chinese message rather than shown as
mojibake.
"""

from __future__ import annotations

import codecs
import re

# Chinese Windows names for what is, in practice, GB18030 (a superset of GBK and GB2312).
_GB_ALIASES = {"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "ms936", "windows-936", "euc-cn"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ue000-\uf8ff]")


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
    if not text:
        return True
    bad = len(_CONTROL.findall(text[:200_000]))
    return bad <= max(2, len(text[:200_000]) // 1000)


def decode_bytes(data: bytes, *, declared: str | None = None) -> tuple[str, str]:
    """Return (text, encoding used). Raise TextDecodeError with a Chinese reason."""
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            raise TextDecodeError("文件以 UTF-8 标记开头，但内容不是有效的 UTF-8") from None
    for bom, utf16 in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            try:
                return data[2:].decode(utf16), "utf-16"
            except UnicodeDecodeError:
                raise TextDecodeError("文件以 UTF-16 标记开头，但内容不是有效的 UTF-16") from None
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
    tried: list[str] = []
    codec: str | None = normalise_encoding_name(declared)
    if codec and codec not in ("utf-8", "gb18030"):
        tried.append(codec)
        try:
            text = data.decode(codec)
            if _looks_like_text(text):
                return text, codec
        except (UnicodeDecodeError, LookupError):
            pass
    try:
        text = data.decode("gb18030")
        if _looks_like_text(text):
            return text, "gb18030"
    except UnicodeDecodeError:
        pass
    raise TextDecodeError(
        "无法识别文件的文字编码（不是 UTF-8、UTF-16，也不是 GBK/GB18030"
        + (f"，也不是声明的 {declared}" if tried else "")
        + "）"
    )
