"""The readers, one entry each: which files a reader takes and how to recognise them.

Every reader turns a file into a :class:`~gdr_gen.readers.LoadResult` around the one report
model. A new input kind is one module with a ``read(path) -> LoadResult`` function and one
:func:`register_reader` call (here, or in a plug-in). The reader module is imported only when a
file of its kind is read, so registering costs nothing at start-up.

Choosing a reader: the file's suffix names a reader; its first bytes confirm it. When the
suffix lies (a web page saved as ``.xls``, a Word file named ``.xlsx``) the reader whose
``sniff`` recognises the content is used instead; when nothing recognises it, the suffix's
reader reads it and says precisely what is wrong.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError
from ..records import record

if TYPE_CHECKING:
    from . import LoadResult

LoadFunc = Callable[[Path], "LoadResult"]
SNIFF_BYTES = 64 * 1024  # enough for a zip's first entries or a page's <head>


@record(frozen=True)
class ReaderSpec:
    """One reader: a short name, what users call it, its suffixes and how to call it."""

    name: str  # "xlsx", "json", …
    label: str  # 填报工作簿（.xlsx）: how messages name this kind of file
    suffixes: tuple[str, ...]  # lower case, with the dot
    load: str | LoadFunc  # "package.module:function" (imported on use) or the function
    # the file's first bytes → "is it mine?" (a function, or "module:function" imported on use);
    # None: chosen by suffix only (plain text matches almost anything)
    sniff: str | Callable[[bytes], bool] | None = None
    published: bool = False  # a published report: the title decides the agency kind

    def loader(self) -> LoadFunc:
        loaded: LoadFunc = _resolve(self.load)  # type: ignore[assignment]
        return loaded

    def recognises(self, head: bytes) -> bool:
        return self.sniff is not None and bool(_resolve(self.sniff)(head))


def _resolve(target: str | Callable[..., object]) -> Callable[..., object]:
    if callable(target):
        return target
    module, _, func = target.partition(":")
    loaded: Callable[..., object] = getattr(importlib.import_module(module), func)
    return loaded


READERS: dict[str, ReaderSpec] = {}

# Spreadsheets and documents gdr-gen does not read, and how to turn them into one it does.
SAVE_AS_HINTS: dict[str, str] = {
    **dict.fromkeys(
        (".xls", ".et", ".ods", ".csv", ".xlsb", ".numbers"),
        "请在 Excel、WPS 或 LibreOffice 中用“另存为”保存为 Excel 工作簿（*.xlsx）后再试；"
        "填报工作簿请用 gdr-gen init 生成。",
    ),
}


def register_reader(spec: ReaderSpec) -> ReaderSpec:
    """Add (or replace, by name) a reader. Returns ``spec`` so it can be kept."""
    READERS[spec.name] = spec
    return spec


def unregister_reader(name: str) -> None:
    READERS.pop(name, None)


def supported_suffixes(*, published: bool = True) -> set[str]:
    """Every suffix some reader takes: what a folder scan (merge, review) picks up.

    ``published=False`` leaves out published reports (web pages, Word, PDF, text): a folder
    build writes those formats itself, beside its inputs, and must not read them back.
    """
    return {
        s for spec in READERS.values() if published or not spec.published for s in spec.suffixes
    }


def by_suffix(suffix: str) -> ReaderSpec | None:
    suffix = suffix.lower()
    for spec in READERS.values():
        if suffix in spec.suffixes:
            return spec
    return None


def reader_for(path: Path, head: bytes | None = None) -> ReaderSpec:
    """The reader for ``path``: by suffix, corrected by content where the suffix lies."""
    named = by_suffix(path.suffix)
    if head is None:
        head = _head(path)
    # the suffix's reader confirms the content; a reader that cannot (plain text takes
    # anything) gives way to one that recognises it (JSON saved as 导出.txt by PowerShell)
    if head and (named is None or not named.recognises(head)):
        for spec in READERS.values():
            if spec is not named and spec.recognises(head):
                return spec
    if named is not None:
        return named
    if not path.exists():
        raise InputError(path, "文件不存在", hint="请检查文件名和所在文件夹。")
    kinds = "、".join(spec.label for spec in READERS.values())
    hint = SAVE_AS_HINTS.get(path.suffix.lower(), f"请提供{kinds}。")
    raise InputError(path, f"不支持的文件类型“{path.suffix or '无扩展名'}”", hint=hint)


def _head(path: Path) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read(SNIFF_BYTES)
    except OSError:
        return b""  # the reader itself reports a missing or unreadable file


# ---------------------------------------------------------------- the built-in readers
def _is_json(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with BOM (PowerShell 5.1's >)
        order = "utf-16-le" if head.startswith(b"\xff\xfe") else "utf-16-be"
        return head[2:].decode(order, errors="ignore").lstrip().startswith("{")
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    return text.startswith(b"{")


def _is_workbook(head: bytes) -> bool:
    # a zip whose first entries (local headers carry the names) include the workbook part
    return head.startswith(b"PK\x03\x04") and b"xl/" in head


register_reader(
    ReaderSpec(
        "json",
        "JSON 数据文件（.json）",
        (".json",),
        "gdr_gen.readers.json_reader:read_json",
        _is_json,
    )
)
# python-calamine reads the values (about 5x faster than openpyxl); unusual files fall back to
# openpyxl inside. tests/test_calamine_source.py proves both give identical results.
register_reader(
    ReaderSpec(
        "xlsx",
        "填报工作簿（.xlsx）",
        (".xlsx", ".xlsm"),
        "gdr_gen.readers.calamine_source:read_workbook_fast",
        _is_workbook,
    )
)
# Published reports (issue 10): web pages, Word, PDF and text, as offices publish them. Each
# front end turns its file into blocks; one interpreter (readers/published/) reads the report.
# Suffixes live here only (the reader modules are not imported until a file is read).
for _name, _label, _suffixes in (
    ("html", "网页（.html）", (".html", ".htm", ".shtml", ".xhtml")),
    ("docx", "Word 文档（.docx）", (".docx", ".docm", ".doc", ".wps", ".dotx")),
    ("pdf", "PDF 文件（.pdf）", (".pdf",)),
    ("text", "文本（.txt/.md）", (".txt", ".md", ".markdown", ".text")),
):
    _module = f"gdr_gen.readers.{_name}_reader"
    register_reader(
        ReaderSpec(
            _name,
            _label,
            _suffixes,
            f"{_module}:read",
            None if _name == "text" else f"{_module}:sniff",
            published=True,
        )
    )
