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
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError

if TYPE_CHECKING:
    from . import LoadResult

LoadFunc = Callable[[Path], "LoadResult"]
SNIFF_BYTES = 64 * 1024  # enough for a zip's first entries or a page's <head>


@dataclass(frozen=True)
class ReaderSpec:
    """One reader: a short name, what users call it, its suffixes and how to call it."""

    name: str  # "xlsx", "json", …
    label: str  # 填报工作簿（.xlsx）: how messages name this kind of file
    suffixes: tuple[str, ...]  # lower case, with the dot
    load: str | LoadFunc  # "package.module:function" (imported on use) or the function
    sniff: Callable[[bytes], bool] | None = None  # the file's first bytes → "is it mine?"

    def loader(self) -> LoadFunc:
        if callable(self.load):
            return self.load
        module, _, func = self.load.partition(":")
        loaded: LoadFunc = getattr(importlib.import_module(module), func)
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


def supported_suffixes() -> set[str]:
    """Every suffix some reader takes: what a folder scan (merge, batch build) picks up."""
    return {s for spec in READERS.values() for s in spec.suffixes}


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
    if head and (named is None or (named.sniff is not None and not named.sniff(head))):
        for spec in READERS.values():
            if spec is not named and spec.sniff is not None and spec.sniff(head):
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
