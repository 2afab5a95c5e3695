"""Read a published report from a PDF with a text layer (what Word, WPS and LibreOffice export).

PDFium (through pypdfium2, Apache-2.0/BSD; fast, in C) gives every character with its box
and the ruling lines of the tables. Tables are found from their visible lines (filled boxes,
such as the white one WPS paints behind each line of text, only add geometry inside a table
found that way); each cell's span comes from its box against the table's column and row boundaries, and each character goes into the cell whose
box holds it, so a number is never placed by its order in a text stream. Text outside the
tables becomes lines and then paragraphs (a paragraph starts with a first-line indent, after
a short line, or after a gap). A scanned PDF has no text layer: that is said plainly (no OCR).

Hostile files: the page count, characters per page and the size of every decompressed stream
are bounded; every Flate stream is test-inflated under a bound before PDFium sees the file
(a "PDF bomb" stops with a message instead of filling the memory).
"""

from __future__ import annotations

import re
import zlib
from pathlib import Path as FsPath
from typing import TYPE_CHECKING, Any

from ..errors import InputError
from ..records import record
from .published.blocks import MAX_TABLES, BlockDoc, Cell, Para, Table, clean_text

if TYPE_CHECKING:
    from . import LoadResult

MAX_BYTES = 60 * 1024 * 1024
MAX_PAGES = 80
MAX_CHARS_PER_PAGE = 40_000
MAX_STREAM_BYTES = 32 * 1024 * 1024
MAX_TOTAL_STREAM_BYTES = 256 * 1024 * 1024

_PAGE_NUMBER = re.compile(r"^[-—–－\s·]*(第\s*)?\d{1,3}(\s*页)?(\s*/\s*\d+)?[-—–－\s·]*$")
_HEADING_LINE = re.compile(
    r"^([一二三四五六七八九十]{1,2}、|[（(][一二三四五六七八九十]{1,3}[)）])"
)
_DIGITS = re.compile(r"^[\d,.]+$")
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”‘’]")


def sniff(head: bytes) -> bool:
    return b"%PDF-" in head[:1024]


def _check_streams(data: bytes, path: FsPath) -> None:
    """Refuse a "PDF bomb" before any PDF library inflates it: every Flate stream is test-
    inflated up to a bound (stops early, so a bomb costs milliseconds, not gigabytes)."""
    total = 0
    pos = 0
    while True:
        i = data.find(b"stream", pos)
        if i < 0:
            return
        start = i + 6
        if data[start : start + 2] == b"\r\n":
            start += 2
        elif data[start : start + 1] in (b"\n", b"\r"):
            start += 1
        else:
            pos = start
            continue
        end = data.find(b"endstream", start)
        if end < 0:
            return
        pos = end + 9
        d = zlib.decompressobj()
        try:
            out = d.decompress(data[start:end], MAX_STREAM_BYTES + 1)
        except zlib.error:
            continue  # not Flate (or encrypted): the PDF library decides
        total += len(out)
        if len(out) > MAX_STREAM_BYTES or d.unconsumed_tail or total > MAX_TOTAL_STREAM_BYTES:
            raise InputError(
                path, "PDF 中有解压后异常巨大的数据流（可能是恶意构造的文件），已停止读取"
            )


@record
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
            # justified lines stretch the gaps: only a wide gap between two letters is a
            # space the PDF did not write as a character (digits are never split)
            if gap > 1.0 * size and t[0].isascii() and t[0].isalpha() and out[-1][-1:].isalpha():
                out.append(" ")
        if out and out[-1] == " " and (_CJK.match(t[0]) or len(out) < 2):
            out.pop()
        out.append(t)
        prev = ch
    return "".join(out).strip()


def _lines(chars: list[dict[str, Any]], page: int) -> list[_Line]:
    # A character joins a line when their vertical bands overlap by half (fonts mixed on one
    # line have different ascents, so tops differ while the bands overlap).
    bands: list[tuple[float, float, list[dict[str, Any]]]] = []
    for ch in sorted(chars, key=lambda c: ((c["top"] + c["bottom"]) / 2, c["x0"])):
        top, bottom = ch["top"], ch["bottom"]
        height = max(bottom - top, 0.1)
        for band in reversed(bands[-4:]):
            overlap = min(bottom, band[1]) - max(top, band[0])
            if overlap >= 0.5 * min(height, band[1] - band[0]):
                band[2].append(ch)
                break
        else:
            bands.append((top, bottom, [ch]))
    rows = [b[2] for b in sorted(bands, key=lambda b: b[0])]
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


def _page_chars(page: Any, height: float) -> list[dict[str, Any]]:
    import pypdfium2.raw as raw

    textpage = page.get_textpage()
    chars: list[dict[str, Any]] = []
    try:
        n = textpage.count_chars()
        if n > MAX_CHARS_PER_PAGE:
            raise _TooManyChars(n)
        for i in range(n):
            if raw.FPDFText_IsGenerated(textpage.raw, i):
                continue
            code = raw.FPDFText_GetUnicode(textpage.raw, i)
            if code in (0, 0xFFFE, 0xFFFF) or code > 0x10FFFF or code in (10, 13):
                continue
            # x from the glyph's own box (the loose box of a rotated or vertical run can be
            # as wide as the line), y from the loose box (one baseline band per line)
            _, bottom, _, top = textpage.get_charbox(i, loose=True)
            left, _, right, _ = textpage.get_charbox(i)
            chars.append(
                {
                    "text": chr(code),
                    "x0": left,
                    "x1": right,
                    "top": height - top,
                    "bottom": height - bottom,
                    # the loose box is the font's line height (~1.2 em); FPDFText_GetFontSize
                    # answers in text space, unscaled
                    "size": (top - bottom) / 1.2 or 10,
                }
            )
    finally:
        textpage.close()
    return chars


class _TooManyChars(Exception):
    pass


Edge = tuple[float, float, float]  # horizontal: (y, x0, x1); vertical: (x, y0, y1)


Edges = tuple[list[Edge], list[Edge], list[Edge], list[Edge]]


def _page_edges(page: Any, height: float) -> Edges:
    """Axis-aligned line segments of every path on the page, top-down y: (horizontal,
    vertical) rules someone can see, then (horizontal, vertical) sides of unstroked filled
    areas (cell backgrounds, the white boxes WPS paints behind lines of text)."""
    import ctypes

    import pypdfium2.raw as raw

    hs: list[Edge] = []
    vs: list[Edge] = []
    weak_hs: list[Edge] = []
    weak_vs: list[Edge] = []
    x, y = ctypes.c_float(), ctypes.c_float()
    for obj in page.get_objects(max_depth=4, filter=[raw.FPDF_PAGEOBJ_PATH]):
        rule = _is_rule(obj)
        if rule is None:
            continue
        to_h, to_v = (hs, vs) if rule else (weak_hs, weak_vs)
        a, b, c, d, e, f = obj.get_matrix().get()
        n = raw.FPDFPath_CountSegments(obj.raw)
        if n > 2000:
            continue
        points: list[tuple[float, float]] = []
        start: tuple[float, float] | None = None
        for k in range(n):
            seg = raw.FPDFPath_GetPathSegment(obj.raw, k)
            raw.FPDFPathSegment_GetPoint(seg, x, y)
            px, py = a * x.value + c * y.value + e, b * x.value + d * y.value + f
            point = (px, height - py)
            kind = raw.FPDFPathSegment_GetType(seg)
            if kind == raw.FPDF_SEGMENT_MOVETO or not points:
                points = [point]
                start = point
            else:
                prev = points[-1]
                _add_edge(prev, point, to_h, to_v)
                points.append(point)
            if raw.FPDFPathSegment_GetClose(seg) and start is not None:
                _add_edge(points[-1], start, to_h, to_v)
        if len(hs) + len(vs) + len(weak_hs) + len(weak_vs) > 20_000:
            break
    # a filled thin rectangle is a rule too: its four sides collapse into one edge each way
    return hs, vs, weak_hs, weak_vs


def _is_rule(obj: Any) -> bool | None:
    """True for a path drawn as a line someone can see (stroked in a visible colour, or a thin
    filled bar: how Word exports table borders); False for an unstroked filled area (cell
    shading or background, the white box WPS paints behind every line of text); None for a
    path that draws nothing. Only the first kind makes a table: the filled areas may close a
    row inside a table found from its rules (a table split over pages often has no rule under
    its last row), but white boxes behind the prose above a table must not turn that prose
    into table rows."""
    import ctypes

    import pypdfium2.raw as raw

    fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
    if not raw.FPDFPath_GetDrawMode(obj.raw, ctypes.byref(fill_mode), ctypes.byref(stroke)):
        return True  # unknown: a rule, as before
    if stroke.value:  # a line, unless stroked in white or transparent
        return not _blank(raw.FPDFPageObj_GetStrokeColor, obj)
    if not fill_mode.value:
        return None
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    if not raw.FPDFPageObj_GetBounds(obj.raw, left, bottom, right, top):
        return True
    if min(right.value - left.value, top.value - bottom.value) > 2.0:
        return False  # a filled area, not a bar
    return not _blank(raw.FPDFPageObj_GetFillColor, obj)


def _blank(get_colour: Any, obj: Any) -> bool:
    """Is the colour read by ``get_colour`` white or transparent (draws nothing visible)?"""
    import ctypes

    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    if not get_colour(obj.raw, r, g, b, a):
        return False
    return a.value == 0 or min(r.value, g.value, b.value) >= 240


def _add_edge(
    p: tuple[float, float], q: tuple[float, float], hs: list[Edge], vs: list[Edge]
) -> None:
    if abs(p[1] - q[1]) <= 1.0 and abs(p[0] - q[0]) > 1.0:
        hs.append(((p[1] + q[1]) / 2, min(p[0], q[0]), max(p[0], q[0])))
    elif abs(p[0] - q[0]) <= 1.0 and abs(p[1] - q[1]) > 1.0:
        vs.append(((p[0] + q[0]) / 2, min(p[1], q[1]), max(p[1], q[1])))


def _snap(values: list[float], tol: float = 2.5) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > tol:
            out.append(v)
    return out


def _covered(edges: list[Edge], pos: float, lo: float, hi: float, tol: float = 2.5) -> bool:
    """Is the stretch lo..hi at ``pos`` drawn by the edges (allowing small gaps)?"""
    mid = (lo + hi) / 2
    return any(abs(e[0] - pos) <= tol and e[1] - tol <= mid <= e[2] + tol for e in edges)


def _tables(
    hs: list[Edge],
    vs: list[Edge],
    weak_hs: list[Edge] | None = None,
    weak_vs: list[Edge] | None = None,
) -> list[
    tuple[
        tuple[float, float, float, float],
        list[tuple[float, float, float, float, int, int, int, int]],
    ]
]:
    """Tables as (bbox, cells); a cell is (x0, top, x1, bottom, row, col, rowspan, colspan).

    Rules that touch form one table; its grid comes from the distinct rule positions, and
    grid units with no rule between them are one merged cell. Sides of filled areas (``weak_*``)
    count only inside the box of a table found from its rules."""
    tol = 2.5
    edges: list[tuple[str, Edge]] = [("h", e) for e in hs] + [("v", e) for e in vs]
    parent = list(range(len(edges)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, (ki, ei) in enumerate(edges):
        if ki != "h":
            continue
        for j, (kj, ej) in enumerate(edges):
            if kj != "v":
                continue
            if ej[1] - tol <= ei[0] <= ej[2] + tol and ei[1] - tol <= ej[0] <= ei[2] + tol:
                parent[find(i)] = find(j)
    groups: dict[int, list[int]] = {}
    for i in range(len(edges)):
        groups.setdefault(find(i), []).append(i)
    out = []
    for members in groups.values():
        gh = [edges[i][1] for i in members if edges[i][0] == "h"]
        gv = [edges[i][1] for i in members if edges[i][0] == "v"]
        if len(gh) < 2 or len(gv) < 2:
            continue
        bx0 = min([e[1] for e in gh] + [e[0] for e in gv]) - tol
        bx1 = max([e[2] for e in gh] + [e[0] for e in gv]) + tol
        by0 = min([e[0] for e in gh] + [e[1] for e in gv]) - tol
        by1 = max([e[0] for e in gh] + [e[2] for e in gv]) + tol
        gh = gh + [e for e in weak_hs or () if by0 <= e[0] <= by1 and bx0 <= e[1] and e[2] <= bx1]
        gv = gv + [e for e in weak_vs or () if bx0 <= e[0] <= bx1 and by0 <= e[1] and e[2] <= by1]
        xs = _snap([e[0] for e in gv])
        ys = _snap([e[0] for e in gh])
        if len(xs) < 3 or len(ys) < 2:  # one column is a frame around text, not a table
            continue
        nr, nc = len(ys) - 1, len(xs) - 1
        if nr > 400 or nc > 60:
            continue
        owner = [[(r, c) for c in range(nc)] for r in range(nr)]

        def root(
            rc: tuple[int, int], owner: list[list[tuple[int, int]]] = owner
        ) -> tuple[int, int]:
            while owner[rc[0]][rc[1]] != rc:
                rc = owner[rc[0]][rc[1]]
            return rc

        for r in range(nr):
            for c in range(nc):
                if c + 1 < nc and not _covered(gv, xs[c + 1], ys[r], ys[r + 1]):
                    a, b = root((r, c)), root((r, c + 1))
                    if a != b:
                        owner[b[0]][b[1]] = a
                if r + 1 < nr and not _covered(gh, ys[r + 1], xs[c], xs[c + 1]):
                    a, b = root((r, c)), root((r + 1, c))
                    if a != b:
                        owner[b[0]][b[1]] = a
        regions: dict[tuple[int, int], list[tuple[int, int]]] = {}
        for r in range(nr):
            for c in range(nc):
                regions.setdefault(root((r, c)), []).append((r, c))
        cells = []
        for units in regions.values():
            r0 = min(u[0] for u in units)
            r1 = max(u[0] for u in units) + 1
            c0 = min(u[1] for u in units)
            c1 = max(u[1] for u in units) + 1
            cells.append((xs[c0], ys[r0], xs[c1], ys[r1], r0, c0, r1 - r0, c1 - c0))
        out.append(((xs[0], ys[0], xs[-1], ys[-1]), cells))
    return out


def _table(
    cells: list[tuple[float, float, float, float, int, int, int, int]], chars: list[dict[str, Any]]
) -> Table:
    buckets: list[list[dict[str, Any]]] = [[] for _ in cells]
    for ch in chars:
        for k, cell in enumerate(cells):
            if _inside(ch, cell[:4]):
                buckets[k].append(ch)
                break
    by_row: dict[int, list[tuple[int, Cell]]] = {}
    for k, (_, _, _, _, r, c, rs, cs) in enumerate(cells):
        by_row.setdefault(r, []).append((c, Cell(_cell_text(buckets[k]), rs, cs)))
    n = max(by_row) + 1 if by_row else 0
    return Table(
        [[cell for _, cell in sorted(by_row.get(r, []), key=lambda t: t[0])] for r in range(n)]
    )


def parse_pdf(path: FsPath, data: bytes | None = None) -> BlockDoc:
    import pypdfium2 as pdfium

    if data is None:
        data = path.read_bytes()
    _check_streams(data, path)
    doc = BlockDoc(kind="PDF 文件")
    items: list[tuple[int, float, Any]] = []
    n_chars = 0
    n_tables = 0
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise InputError(
                path, "PDF 有密码保护，无法读取", hint="请先在 PDF 阅读器中去掉密码再试。"
            ) from None
        raise InputError(path, f"PDF 文件已损坏或无法解析（{exc}）") from None
    try:
        title = pdf.get_metadata_dict().get("Title")
        if isinstance(title, str):
            doc.page_title = title
        if len(pdf) > MAX_PAGES:
            raise InputError(path, f"PDF 有 {len(pdf)} 页，不像是一份年报（年报通常不超过 20 页）")
        for pno in range(len(pdf)):
            page = pdf[pno]
            try:
                height = page.get_height()
                try:
                    chars = _page_chars(page, height)
                except _TooManyChars as exc:
                    raise InputError(
                        path, f"PDF 第 {pno + 1} 页的文字多达 {exc.args[0]} 个，不像是年报"
                    ) from None
                n_chars += len(chars)
                rest = chars
                if chars:
                    for box, cells in _tables(*_page_edges(page, height)):
                        n_tables += 1
                        if n_tables > MAX_TABLES:
                            raise InputError(path, "PDF 中的表格过多，不像是一份年报")
                        inside = [c for c in rest if _inside(c, box)]
                        rest = [c for c in rest if not _inside(c, box)]
                        items.append((pno, box[1], _table(cells, inside)))
                for line in _lines(rest, pno):
                    items.append((pno, line.top, line))
            finally:
                page.close()
    finally:
        pdf.close()
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
            # a heading set flush left (no first-line indent) after a full last line
            or (_HEADING_LINE.match(line.text) is not None and line.x1 < right - 1.5 * size)
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
    doc = parse_pdf(path, data)
    return load_blocks(doc, str(path), agency_kind=agency_kind)
