"""Read a published report from a PDF with a text layer (what Word, WPS and LibreOffice export).

pdfplumber (MIT, on pdfminer.six) gives every character with its position and the ruling
lines of the tables. Tables are found from their lines; each cell's span comes from its box
against the table's column and row boundaries, and each character goes into the cell whose
box holds it, so a number is never placed by its order in a text stream. Text outside the
tables becomes lines and then paragraphs (a paragraph starts with a first-line indent, after
a short line, or after a gap). A scanned PDF has no text layer: that is said plainly (no OCR).

Hostile files: the page count, characters per page and the size of every decompressed stream
are bounded (a "PDF bomb" stops with a message instead of filling the memory).
"""

from __future__ import annotations

import contextlib
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path as FsPath
from typing import TYPE_CHECKING, Any

from ..errors import InputError
from .published.blocks import MAX_TABLES, BlockDoc, Cell, Para, Table, clean_text

if TYPE_CHECKING:
    from . import LoadResult

SUFFIXES: tuple[str, ...] = (".pdf",)
MAX_BYTES = 60 * 1024 * 1024
MAX_PAGES = 80
MAX_CHARS_PER_PAGE = 40_000
MAX_STREAM_BYTES = 32 * 1024 * 1024
MAX_TOTAL_STREAM_BYTES = 256 * 1024 * 1024

_PAGE_NUMBER = re.compile(r"^[-—–－\s·]*(第\s*)?\d{1,3}(\s*页)?(\s*/\s*\d+)?[-—–－\s·]*$")
_DIGITS = re.compile(r"^[\d,.]+$")
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”‘’]")


def sniff(head: bytes) -> bool:
    return b"%PDF-" in head[:1024]


class _StreamTooLarge(Exception):
    pass


class _BoundedZlib:
    """Stands in for the zlib module inside pdfminer: decompression stops at a size bound."""

    error = zlib.error

    tripped = False  # pdfplumber wraps exceptions: the class remembers the bound was hit

    def __init__(self) -> None:
        self.total = 0

    def decompressobj(self, *args: Any, **kwargs: Any) -> Any:
        return zlib.decompressobj(*args, **kwargs)

    def decompress(self, data: bytes, *args: Any, **kwargs: Any) -> bytes:
        d = zlib.decompressobj()
        out = d.decompress(data, MAX_STREAM_BYTES + 1)
        if len(out) > MAX_STREAM_BYTES or d.unconsumed_tail:
            _BoundedZlib.tripped = True
            raise _StreamTooLarge
        self.total += len(out)
        if self.total > MAX_TOTAL_STREAM_BYTES:
            _BoundedZlib.tripped = True
            raise _StreamTooLarge
        return out


@contextlib.contextmanager
def _bounded_decompression() -> Iterator[None]:
    import pdfminer.pdftypes as pdftypes

    saved = pdftypes.zlib
    _BoundedZlib.tripped = False
    pdftypes.zlib = _BoundedZlib()  # type: ignore[assignment]
    try:
        yield
    finally:
        pdftypes.zlib = saved


@dataclass
class _Line:
    page: int
    top: float
    bottom: float
    x0: float
    x1: float
    size: float
    text: str


def _chars_text(chars: list[dict[str, Any]]) -> str:
    """One line of characters in x order: spaces only between Latin letters or digits that
    stand apart (never the typographic gap between Chinese and a number)."""
    out: list[str] = []
    prev: dict[str, Any] | None = None
    for ch in sorted(chars, key=lambda c: c["x0"]):
        t = ch["text"]
        if not t.strip():
            if out and not _CJK.match(out[-1][-1:]):
                out.append(" ")
            prev = ch
            continue
        if prev is not None and out:
            gap = ch["x0"] - prev["x1"]
            size = ch.get("size") or 10
            if gap > 0.25 * size and not _CJK.match(t[0]) and not _CJK.match(out[-1][-1:]):
                out.append(" ")
        if out and out[-1] == " " and (_CJK.match(t[0]) or len(out) < 2):
            out.pop()
        out.append(t)
        prev = ch
    return "".join(out).strip()


def _lines(chars: list[dict[str, Any]], page: int) -> list[_Line]:
    rows: list[list[dict[str, Any]]] = []
    for ch in sorted(chars, key=lambda c: (round(c["top"], 1), c["x0"])):
        size = ch.get("size") or 10
        if rows:
            last = rows[-1]
            if abs(ch["top"] - last[0]["top"]) <= 0.45 * size:
                last.append(ch)
                continue
        rows.append([ch])
    out = []
    for r in rows:
        text = _chars_text(r)
        if not text:
            continue
        sizes = sorted(c.get("size") or 10 for c in r)
        out.append(
            _Line(
                page,
                min(c["top"] for c in r),
                max(c["bottom"] for c in r),
                min(c["x0"] for c in r if c["text"].strip()),
                max(c["x1"] for c in r if c["text"].strip()),
                sizes[len(sizes) // 2],
                text,
            )
        )
    return out


def _cell_text(chars: list[dict[str, Any]]) -> str:
    lines = [line.text for line in _lines(chars, 0)]
    if len(lines) > 1 and all(_DIGITS.match(t) for t in lines):
        return "".join(lines)  # a long number wrapped in a narrow column
    return clean_text("\n".join(lines))


def _inside(ch: dict[str, Any], box: tuple[float, float, float, float]) -> bool:
    x = (ch["x0"] + ch["x1"]) / 2
    y = (ch["top"] + ch["bottom"]) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _boundaries(values: list[float], tol: float = 2.0) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > tol:
            out.append(v)
    return out


def _index(bounds: list[float], v: float, tol: float = 2.0) -> int:
    for i, b in enumerate(bounds):
        if abs(b - v) <= tol:
            return i
    return min(range(len(bounds)), key=lambda i: abs(bounds[i] - v))


def _table(cells: list[tuple[float, float, float, float]], chars: list[dict[str, Any]]) -> Table:
    xs = _boundaries([c[0] for c in cells] + [c[2] for c in cells])
    ys = _boundaries([c[1] for c in cells] + [c[3] for c in cells])
    by_row: dict[int, list[tuple[int, Cell]]] = {}
    buckets: list[list[dict[str, Any]]] = [[] for _ in cells]
    for ch in chars:
        for k, box in enumerate(cells):
            if _inside(ch, box):
                buckets[k].append(ch)
                break
    for k, box in enumerate(cells):
        c0, c1 = _index(xs, box[0]), _index(xs, box[2])
        r0, r1 = _index(ys, box[1]), _index(ys, box[3])
        cell = Cell(_cell_text(buckets[k]), max(1, r1 - r0), max(1, c1 - c0))
        by_row.setdefault(r0, []).append((c0, cell))
    rows = [
        [c for _, c in sorted(by_row.get(r, []), key=lambda t: t[0])] for r in range(len(ys) - 1)
    ]
    return Table([r for r in rows if r] if any(rows) else [])


def parse_pdf(path: FsPath) -> BlockDoc:
    import pdfplumber

    doc = BlockDoc(kind="PDF 文件")
    items: list[tuple[int, float, Any]] = []
    n_chars = 0
    n_tables = 0
    try:
        with _bounded_decompression(), pdfplumber.open(path) as pdf:
            info = pdf.metadata or {}
            title = info.get("Title")
            if isinstance(title, str):
                doc.page_title = title
            if len(pdf.pages) > MAX_PAGES:
                raise InputError(
                    path, f"PDF 有 {len(pdf.pages)} 页，不像是一份年报（年报通常不超过 20 页）"
                )
            for pno, page in enumerate(pdf.pages):
                chars = [c for c in page.chars if c.get("text")]
                if len(chars) > MAX_CHARS_PER_PAGE:
                    raise InputError(
                        path, f"PDF 第 {pno + 1} 页的文字多达 {len(chars)} 个，不像是年报"
                    )
                n_chars += len(chars)
                tables = []
                if page.edges:
                    for t in page.find_tables():
                        xs = _boundaries([c[0] for c in t.cells] + [c[2] for c in t.cells])
                        if len(xs) >= 3:  # one column is a frame around text, not a table
                            tables.append(t)
                rest = chars
                for t in tables:
                    n_tables += 1
                    if n_tables > MAX_TABLES:
                        raise InputError(path, "PDF 中的表格过多，不像是一份年报")
                    box = t.bbox
                    inside = [c for c in rest if _inside(c, box)]
                    rest = [c for c in rest if not _inside(c, box)]
                    items.append((pno, box[1], _table(list(t.cells), inside)))
                for line in _lines(rest, pno):
                    items.append((pno, line.top, line))
    except InputError:
        raise
    except Exception as exc:  # pdfminer raises many kinds on broken files
        if _BoundedZlib.tripped or isinstance(exc, _StreamTooLarge):
            raise InputError(
                path, "PDF 中有解压后异常巨大的数据流（可能是恶意构造的文件），已停止读取"
            ) from None
        text = f"{type(exc).__name__} {exc}"
        if "Password" in text or "Encrypt" in text:
            raise InputError(
                path, "PDF 有密码保护，无法读取", hint="请先在 PDF 阅读器中去掉密码再试。"
            ) from None
        raise InputError(path, f"PDF 文件已损坏或无法解析（{type(exc).__name__}）") from None
    if n_chars == 0:
        raise InputError(
            path,
            "这个 PDF 没有文字层（可能是扫描件或图片），无法读取其中的文字和数字",
            hint="gdr-gen 不做文字识别（OCR）。请使用网站上的网页版或 Word 版年报，"
            "或向发布单位索取 Word / 可复制文字的 PDF。",
        )
    items.sort(key=lambda t: (t[0], t[1]))
    _paragraphs(items, doc)
    return doc


def _paragraphs(items: list[tuple[int, float, Any]], doc: BlockDoc) -> None:
    lines = [it[2] for it in items if isinstance(it[2], _Line)]
    if lines:
        xs = sorted(round(line.x0) for line in lines)
        left = float(max(set(xs), key=xs.count))
        right = max(line.x1 for line in lines)
    else:
        left, right = 0.0, 0.0
    buf: list[str] = []
    prev: _Line | None = None

    def flush() -> None:
        text = clean_text("\n".join(buf))
        buf.clear()
        if text:
            doc.blocks.append(Para(text))

    for _, _, item in items:
        if isinstance(item, Table):
            flush()
            prev = None
            caption = next((b.text for b in doc.blocks[-1:] if isinstance(b, Para)), "")
            item.caption = caption if len(caption) <= 40 else ""
            doc.blocks.append(item)
            continue
        line: _Line = item
        if _PAGE_NUMBER.match(line.text):
            continue
        size = line.size
        starts = (
            prev is None
            or line.x0 > left + 0.9 * size
            or prev.x1 < right - 1.5 * size
            or (line.page == prev.page and line.top - prev.bottom > 1.5 * size)
            or abs(line.size - prev.size) > 1.5
        )
        if starts:
            flush()
        buf.append(line.text)
        prev = line
    flush()


def read(path: FsPath, *, agency_kind: str | None = None) -> LoadResult:
    from . import check_input_file
    from .published.interpret import load_blocks

    data = check_input_file(path, max_bytes=MAX_BYTES)
    if not sniff(data[:1024]):
        raise InputError(path, "不是 PDF 文件（文件开头没有 %PDF 标记）")
    del data
    doc = parse_pdf(path)
    return load_blocks(doc, str(path), agency_kind=agency_kind)
