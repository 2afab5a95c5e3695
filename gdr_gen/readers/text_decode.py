"""Text files as Chinese Windows PCs save them: UTF-8 (with or without BOM), UTF-16 with BOM
(Notepad's "Unicode", PowerShell 5.1's ``>``), GB18030/GBK (Notepad's "ANSI" on a Chinese PC).

Detection is safe rather than clever: a byte-order mark decides; otherwise strict UTF-8;
otherwise strict GB18030, accepted only when the result reads like Chinese text (no control
characters, and most non-ASCII characters in the common GB2312 set), so a file in some other
encoding is refused with instructions instead of being read as nonsense.
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
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Share of the non-ASCII characters that must be in GB2312 (the 6,763 common hanzi plus
# punctuation) for a GB18030 reading to count as Chinese text.
_COMMON_SHARE = 0.9


def _common(ch: str) -> bool:
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _looks_like_chinese_text(text: str) -> bool:
    if _CONTROL.search(text):
        return False
    wide = [ch for ch in text if ord(ch) > 0x7F]
    return sum(map(_common, wide)) >= _COMMON_SHARE * len(wide)


def decode_text(data: bytes, *, source: str) -> str:
    """The text in ``data`` (a file's bytes), or InputError naming ``source`` with a hint."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError:
                raise InputError(
                    source,
                    f"文件开头标明为 {encoding.upper()[:6]} 编码，但内容已损坏",
                    hint=SAVE_AS_UTF8_HINT,
                ) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        text = None
    if text is not None and _looks_like_chinese_text(text):
        return text
    raise InputError(
        source,
        "不是可识别的文本编码（支持 UTF-8、UTF-16 和 GBK/GB18030）",
        hint=SAVE_AS_UTF8_HINT,
    )
