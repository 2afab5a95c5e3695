"""Read a published report from a web page (saved "网页，全部" or "仅 HTML", or a CMS export).

The page is parsed with lxml's HTML parser (never with regular expressions) and walked
without recursion into paragraphs and tables (rowspan/colspan kept). Layout tables that
hold other tables are walked through as containers. The site's header, menus and footer
are marked as outside the article: the article is the smallest element holding the
report's section headings and its tables.
"""

from __future__ import annotations

import re
from pathlib import Path as FsPath
from typing import TYPE_CHECKING, Any

from ..errors import InputError
from .published.blocks import (
    MAX_BLOCKS,
    MAX_SPAN,
    MAX_TABLE_COLS,
    MAX_TABLE_ROWS,
    MAX_TABLES,
    BlockDoc,
    Cell,
    Para,
    Table,
    clean_text,
    compact,
)
from .text_decode import TextDecodeError, decode_bytes

if TYPE_CHECKING:
    from . import LoadResult

MAX_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 200

_SKIP = {"script", "style", "noscript", "head", "select", "option", "textarea", "template", "svg"}
_BLOCK = {
    "p", "div", "section", "article", "header", "footer", "nav", "aside", "main", "li", "ul",
    "ol", "dl", "dt", "dd", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "tr",
    "table", "form", "center", "address", "figure", "figcaption", "hr", "body",
}  # fmt: skip
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_DATE_META = ("pubdate", "publishdate", "articlepubdate", "firstpublishedtime", "publishtime")
_SECTION_MARK = re.compile(
    r"^[一二三四五六]、(总体情况|其他需要报告|存在的主要问题|.{0,8}存在的主要问题)"
)


def sniff(head: bytes) -> bool:
    h = head[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return h.startswith((b"<!doctype html", b"<html", b"<head", b"<meta", b"<table", b"<div")) or (
        b"<html" in h and b"<body" in h
    )


def _int(value: str | None) -> int:
    try:
        return max(1, min(int((value or "1").strip().rstrip(";")), MAX_SPAN))
    except ValueError:
        return 1


def _text(el: Any) -> str:
    parts: list[str] = []
    for node in el.iter():
        if node.tag in _SKIP:
            continue
        if node.tag == "br":
            parts.append("\n")
        if node is not el and node.tag in ("p", "div", "li") and parts:
            parts.append("\n")
        if node.text and node.tag not in _SKIP:
            parts.append(node.text)
        if node is not el and node.tail:
            parts.append(node.tail)
    return "".join(parts)


def _cell_text(td: Any) -> str:
    # Text inside a cell: Word-pasted <p>/<span> runs join; line breaks inside a label vanish.
    text = "".join(t for t in td.itertext() if isinstance(t, str))
    return clean_text(text)


def _table(el: Any, path: FsPath) -> Table:
    rows: list[list[Cell]] = []
    for tr in el.iter("tr"):
        cells = [
            Cell(_cell_text(td), _int(td.get("rowspan")), _int(td.get("colspan")))
            for td in tr
            if isinstance(td.tag, str) and td.tag in ("td", "th")
        ]
        if len(cells) > MAX_TABLE_COLS:
            raise InputError(path, f"网页中的表格有一行多达 {len(cells)} 格，不像是年报表格")
        rows.append(cells)
        if len(rows) > MAX_TABLE_ROWS:
            raise InputError(path, f"网页中的表格超过 {MAX_TABLE_ROWS} 行，不像是年报表格")
    return Table(rows)


def _article(root: Any) -> Any | None:
    """The smallest element holding the report's section headings and its tables."""
    marks: list[Any] = []
    for el in root.iter("p", "div", "h1", "h2", "h3", "h4", "span", "strong", "b", "td", "font"):
        text = el.text_content() if len(el) < 20 else ""
        if text and len(text) < 80 and _SECTION_MARK.match(compact(text)):
            marks.append(el)
    for t in root.iter("table"):
        if t.find(".//table") is None and "本年新收" in compact(t.text_content()[:20000]):
            marks.append(t)
    if len(marks) < 2:
        return None
    common = [*list(marks[0].iterancestors())[::-1], marks[0]]
    for m in marks[1:]:
        chain = {*m.iterancestors(), m}
        while common and common[-1] not in chain:
            common.pop()
    return common[-1] if common else None


def parse_html(data: bytes, path: FsPath) -> BlockDoc:
    from lxml import etree
    from lxml import html as lhtml

    head = data[:4096]
    m = _META_CHARSET.search(head)
    try:
        text, _ = decode_bytes(data, declared=m.group(1).decode("ascii") if m else None)
    except TextDecodeError as exc:
        raise InputError(
            path, str(exc), hint="请在浏览器中打开该网页，另存为“网页，仅 HTML”后再试。"
        ) from None
    parser = lhtml.HTMLParser(recover=True, no_network=True, remove_comments=True)
    try:
        root = lhtml.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise InputError(path, f"网页无法解析（{exc}）") from None

    doc = BlockDoc(kind="网页")
    title_el = root.find(".//title")
    if title_el is not None:
        doc.page_title = clean_text(title_el.text_content())
    for meta in root.iter("meta"):
        name = (meta.get("name") or "").lower()
        if name == "articletitle" and meta.get("content"):
            doc.page_title = clean_text(meta.get("content") or "")
        if name in _DATE_META and meta.get("content"):
            doc.page_date = f"发布时间：{meta.get('content')}"
    body = root.find(".//body")
    if body is None:
        body = root
    article = _article(body)

    buf: list[str] = []
    inside = 0 if article is not None else 1
    heading_stack: list[int] = []
    depth = 0

    def flush() -> None:
        t = clean_text("".join(buf))
        buf.clear()
        if t:
            level = heading_stack[-1] if heading_stack else 0
            doc.blocks.append(Para(t, heading=level, outside=inside == 0))
            if len(doc.blocks) > MAX_BLOCKS:
                raise InputError(path, "网页内容过多，不像是一份年报")

    walker = etree.iterwalk(body, events=("start", "end"))
    n_tables = 0
    for event, el in walker:
        tag = el.tag if isinstance(el.tag, str) else ""
        if event == "start":
            depth += 1
            if depth > MAX_DEPTH:
                raise InputError(
                    path, f"网页的标签嵌套超过 {MAX_DEPTH} 层，不像是一份正常的年报网页"
                )
            if el is article:
                flush()
                inside += 1
            if tag in _SKIP:
                walker.skip_subtree()
                continue
            if tag in _BLOCK or tag == "br":
                flush()
            if tag and tag[0] == "h" and tag[1:].isdigit() and len(tag) == 2:
                heading_stack.append(int(tag[1]))
            if tag == "table" and el.find(".//table") is None:
                n_tables += 1
                if n_tables > MAX_TABLES:
                    raise InputError(path, f"网页中有 {n_tables} 张以上的表格，不像是一份年报")
                table = _table(el, path)
                caption = next(
                    (b.text for b in reversed(doc.blocks[-1:]) if isinstance(b, Para)), ""
                )
                table.caption = caption if len(caption) <= 40 else ""
                table.outside = inside == 0
                doc.blocks.append(table)
                walker.skip_subtree()
                continue
            if el.text:
                buf.append(el.text)
        else:
            depth -= 1
            if tag and tag[0] == "h" and tag[1:].isdigit() and len(tag) == 2:
                flush()
                if heading_stack:
                    heading_stack.pop()
            elif tag in _BLOCK:
                flush()
            if el is article:
                flush()
                inside -= 1
            if el.tail and el is not body:
                buf.append(el.tail)
    flush()
    return doc


def read(path: FsPath, *, agency_kind: str | None = None) -> LoadResult:
    from . import check_input_file
    from .published.interpret import load_blocks

    data = check_input_file(path, max_bytes=MAX_BYTES)
    if data.startswith(b"PK\x03\x04"):
        from . import docx_reader

        return docx_reader.read(path, agency_kind=agency_kind)
    if data.lstrip()[:5] == b"%PDF-":
        from . import pdf_reader

        return pdf_reader.read(path, agency_kind=agency_kind)
    doc = parse_html(data, path)
    return load_blocks(doc, str(path), agency_kind=agency_kind)
