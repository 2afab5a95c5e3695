"""Read a published report from plain text or Markdown (copied from a page, or converted by
another tool), where tables arrive flattened.

Table rows are recognised in three shapes: Markdown pipes (``| 38 | 1 | 0 |``), tab-separated
cells, and one cell per line (a label line followed by lines that hold only a number).
Paragraphs are separated by blank lines (or are single lines when the text has none);
``#`` headings mark headings. Page footers such as ``— 1 —`` are dropped.
"""

from __future__ import annotations

import re
from pathlib import Path as FsPath
from typing import TYPE_CHECKING

from ..errors import InputError
from .published.blocks import MAX_BLOCKS, MAX_TABLES, BlockDoc, Cell, Para, Table, clean_text
from .published.interpret import parse_value
from .text_decode import TextDecodeError, decode_bytes

if TYPE_CHECKING:
    from . import LoadResult

MAX_BYTES = 8 * 1024 * 1024
MAX_LINE = 20_000

_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_FOOTER = re.compile(r"^[-—–－\s]*\d{1,3}[-—–－\s]*$")
_HEADING = re.compile(r"^(#{1,6})\s*(.*?)\s*#*$")
_DATE_LINE = re.compile(r"^[（(]?\s*(19|20)\d\d\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*[)）]?$")


def sniff(head: bytes) -> bool:
    try:
        decode_bytes(head[:4000])
    except TextDecodeError:
        return False
    return b"\x00" not in head[:4000] or head[:2] in (b"\xff\xfe", b"\xfe\xff")


def _strip_md(text: str) -> str:
    return re.sub(r"\*\*|__|`", "", text)


def _is_number_line(line: str) -> bool:
    v = parse_value(line)
    return v is not None and v.number is not None


def parse_text(text: str, path: FsPath) -> BlockDoc:
    doc = BlockDoc(kind="文本文件")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    blank = sum(1 for line in lines if not line.strip())
    per_line = blank < max(3, len(lines) // 10)
    buf: list[str] = []
    table: Table | None = None

    def flush() -> None:
        if buf:
            t = clean_text("\n".join(buf))
            buf.clear()
            if t:
                doc.blocks.append(Para(t))

    def end_table() -> None:
        nonlocal table
        if table is not None and table.rows:
            caption = next((b.text for b in doc.blocks[-1:] if isinstance(b, Para)), "")
            table.caption = caption if len(caption) <= 40 else ""
            doc.blocks.append(table)
            if len(doc.tables()) > MAX_TABLES:
                raise InputError(path, "文本中的表格过多，不像是一份年报")
        table = None

    def add_row(cells: list[str]) -> None:
        nonlocal table
        if table is None:
            flush()
            table = Table()
        table.rows.append([Cell(clean_text(_strip_md(c))) for c in cells])

    i = 0
    while i < len(lines):
        raw = lines[i][:MAX_LINE]
        line = raw.strip()
        i += 1
        if len(doc.blocks) > MAX_BLOCKS:
            raise InputError(path, "文本内容过多，不像是一份年报")
        if line.startswith("|") and line.count("|") >= 2:
            if _SEPARATOR.match(line):
                continue
            add_row([c for c in line.strip("|").split("|")])
            continue
        if raw.count("\t") >= 1 and len([c for c in raw.split("\t") if c.strip()]) >= 2:
            add_row([c for c in raw.strip("\n").split("\t")])
            continue
        # one cell per line: a short label followed by lines holding only numbers
        if line and not _is_number_line(line) and len(line) <= 80 and "。" not in line:
            k = i
            numbers: list[str] = []
            while k < len(lines) and lines[k].strip() and _is_number_line(lines[k].strip()):
                numbers.append(lines[k].strip())
                k += 1
            if (numbers and not _FOOTER.match(numbers[0])) or len(numbers) >= 2:
                add_row([line, *numbers])
                i = k
                continue
        end_table()
        if not line:
            flush()
            continue
        if _FOOTER.match(line):
            continue
        m = _HEADING.match(line)
        if m:
            flush()
            t = clean_text(_strip_md(m.group(2)))
            if t:
                doc.blocks.append(Para(t, heading=len(m.group(1))))
            continue
        if per_line or _DATE_LINE.match(line):
            flush()
        buf.append(_strip_md(line))
        if _DATE_LINE.match(line):
            flush()
    end_table()
    flush()
    return doc


def read(path: FsPath, *, agency_kind: str | None = None) -> LoadResult:
    from . import check_input_file
    from .published.interpret import load_blocks

    data = check_input_file(path, max_bytes=MAX_BYTES)
    for sibling in ("html_reader", "pdf_reader", "docx_reader"):
        import importlib

        module = importlib.import_module(f".{sibling}", __package__)
        if module.sniff(data[:4096]):
            return module.read(path, agency_kind=agency_kind)
    try:
        text, _ = decode_bytes(data)
    except TextDecodeError as exc:
        raise InputError(
            path, str(exc), hint="请用记事本打开后“另存为”UTF-8 编码的文本文件再试。"
        ) from None
    head = text.lstrip()[:1]
    if head in ("{", "["):
        import json

        try:
            json.loads(text)
        except ValueError:
            pass
        else:
            raise InputError(
                path,
                "这是 JSON 数据，不是年报的文字",
                hint="JSON 数据文件请以 .json 为扩展名（例如改名为 数据.json）后再试。",
            )
    doc = parse_text(text, path)
    return load_blocks(doc, str(path), agency_kind=agency_kind)
