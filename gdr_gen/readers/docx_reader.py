"""Read a published report from a Word document (.docx typed in Word or WPS, not only ours).

The package is read with lxml (no entity resolution, no network, size-bounded members):
body paragraphs in order (runs joined, so a number split across runs is one number), tables
with their merges (``w:gridSpan`` → colspan, ``w:vMerge`` → rowspan), content controls
walked through. Legacy .doc / .wps are converted to .docx by LibreOffice when it is
installed; otherwise the message says how to save as .docx.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import zipfile
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
)

if TYPE_CHECKING:
    from . import LoadResult

LEGACY_SUFFIXES = (".doc", ".wps")
MAX_BYTES = 60 * 1024 * 1024
MAX_XML_BYTES = 40 * 1024 * 1024
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HEADING_STYLE = re.compile(r"(?:heading|标题)\s*(\d)", re.I)
SAVE_AS_HINT = (
    "请在 Word 或 WPS 中打开该文件，用“另存为”保存为 Word 文档（*.docx）后再试；"
    "或安装 LibreOffice（免费软件），gdr-gen 会自动转换。"
)


def sniff(head: bytes) -> bool:
    return head.startswith(b"PK\x03\x04") and (b"word/" in head or b"[Content_Types]" in head)


def _member(z: zipfile.ZipFile, name: str, path: FsPath) -> bytes | None:
    try:
        info = z.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_XML_BYTES:
        raise InputError(path, f"Word 文档中的 {name} 解压后过大，不像是一份年报")
    with z.open(info) as f:
        data = f.read(MAX_XML_BYTES + 1)
    if len(data) > MAX_XML_BYTES:
        raise InputError(path, f"Word 文档中的 {name} 解压后过大，不像是一份年报")
    return data


def _xml(data: bytes, path: FsPath) -> Any:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        return etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise InputError(path, f"Word 文档内容已损坏（{exc}）") from None


def _text(el: Any) -> str:
    parts: list[str] = []
    for node in el.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}cr", f"{W}noBreakHyphen"):
        tag = node.tag
        if tag == f"{W}t":
            parts.append(node.text or "")
        elif tag == f"{W}tab":
            parts.append(" ")
        elif tag == f"{W}noBreakHyphen":
            parts.append("-")
        else:
            parts.append("\n")
    return "".join(parts)


def _val(el: Any, path: str) -> str | None:
    found = el.find(path)
    return None if found is None else found.get(f"{W}val")


def _table(tbl: Any, path: FsPath) -> Table:
    rows: list[list[Cell]] = []
    open_cells: dict[int, Cell] = {}  # grid column → the cell a vMerge continues
    for tr in tbl.iter(f"{W}tr"):
        if tr.getparent() is not tbl and tr.getparent().getparent() is not tbl:
            continue  # a row of a nested table
        row: list[Cell] = []
        col = 0
        before = _val(tr, f"{W}trPr/{W}gridBefore")
        if before and before.isdigit():
            col = min(int(before), MAX_SPAN)
        for tc in tr:
            if tc.tag != f"{W}tc":
                continue
            span_v = _val(tc, f"{W}tcPr/{W}gridSpan")
            span = max(1, min(int(span_v), MAX_SPAN)) if span_v and span_v.isdigit() else 1
            vmerge = tc.find(f"{W}tcPr/{W}vMerge")
            if vmerge is not None and vmerge.get(f"{W}val") in (None, "continue"):
                started = open_cells.get(col)
                if started is not None:
                    started.rowspan += 1
                    col += span
                    continue
            cell = Cell(clean_text(_text(tc)), 1, span)
            if vmerge is not None:
                open_cells[col] = cell
            else:
                open_cells.pop(col, None)
            row.append(cell)
            col += span
        if col > MAX_TABLE_COLS:
            raise InputError(path, "Word 文档中的表格列数过多，不像是年报表格")
        rows.append(row)
        if len(rows) > MAX_TABLE_ROWS:
            raise InputError(path, f"Word 文档中的表格超过 {MAX_TABLE_ROWS} 行，不像是年报表格")
    return Table(rows)


def parse_docx(path: FsPath) -> BlockDoc:
    try:
        z = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise InputError(
            path, "不是有效的 Word 文档（.docx 文件已损坏）", hint=SAVE_AS_HINT
        ) from None
    with z:
        data = _member(z, "word/document.xml", path)
        if data is None:
            raise InputError(path, "不是 Word 文档（压缩包中没有 word/document.xml）")
        styles_xml = _member(z, "word/styles.xml", path)
        core = _member(z, "docProps/core.xml", path)
    root = _xml(data, path)
    heading_of: dict[str, int] = {}
    if styles_xml is not None:
        for style in _xml(styles_xml, path).iter(f"{W}style"):
            sid = style.get(f"{W}styleId") or ""
            name = _val(style, f"{W}name") or ""
            m = _HEADING_STYLE.search(name) or _HEADING_STYLE.search(sid)
            if m:
                heading_of[sid] = int(m.group(1))
    doc = BlockDoc(kind="Word 文档")
    if core is not None:
        title = _xml(core, path).find("{http://purl.org/dc/elements/1.1/}title")
        if title is not None and title.text:
            doc.page_title = title.text
    body = root.find(f"{W}body")
    if body is None:
        raise InputError(path, "Word 文档没有正文")
    n_tables = 0
    stack = list(reversed(list(body)))
    while stack:
        el = stack.pop()
        if el.tag == f"{W}p":
            text = clean_text(_text(el), source_newlines=True)
            if text:
                style = _val(el, f"{W}pPr/{W}pStyle") or ""
                outline = _val(el, f"{W}pPr/{W}outlineLvl")
                level = heading_of.get(style, 0)
                if not level and outline and outline.isdigit() and int(outline) < 6:
                    level = int(outline) + 1
                doc.blocks.append(Para(text, heading=level))
        elif el.tag == f"{W}tbl":
            n_tables += 1
            if n_tables > MAX_TABLES:
                raise InputError(path, "Word 文档中的表格过多，不像是一份年报")
            table = _table(el, path)
            caption = next((b.text for b in doc.blocks[-1:] if isinstance(b, Para)), "")
            table.caption = caption if len(caption) <= 40 else ""
            doc.blocks.append(table)
        elif el.tag in (f"{W}sdt", f"{W}sdtContent", f"{W}customXml"):
            stack.extend(reversed(list(el)))
        if len(doc.blocks) > MAX_BLOCKS:
            raise InputError(path, "Word 文档内容过多，不像是一份年报")
    return doc


def _convert_legacy(path: FsPath, work: FsPath) -> FsPath:
    """.doc / .wps → .docx with headless LibreOffice (own profile, fixed file name)."""
    from ..errors import ExternalToolError
    from ..writers.pdf import find_soffice, soffice_convert

    if find_soffice() is None:
        raise InputError(
            path,
            f"这是旧版 Word / WPS 文件（{path.suffix}），需要先转换为 .docx，但本机没有安装 LibreOffice",
            hint=SAVE_AS_HINT,
        )
    source = work / f"report{path.suffix.lower()}"
    shutil.copyfile(path, source)
    try:
        return soffice_convert(
            source, work, timeout=120, name=path.name, to="docx:MS Word 2007 XML"
        )
    except ExternalToolError as exc:
        raise InputError(path, exc.message, hint=SAVE_AS_HINT) from None


def read(path: FsPath, *, agency_kind: str | None = None) -> LoadResult:
    from . import check_input_file
    from .published.interpret import load_blocks

    head = check_input_file(path, max_bytes=MAX_BYTES)[:2048]
    if head[:5] == b"%PDF-":
        from . import pdf_reader

        return pdf_reader.read(path, agency_kind=agency_kind)
    if not head.startswith(b"PK\x03\x04"):
        if path.suffix.lower() in LEGACY_SUFFIXES or head.startswith(b"\xd0\xcf\x11\xe0"):
            work = FsPath(tempfile.mkdtemp(prefix="gdr-doc-"))
            try:
                doc = parse_docx(_convert_legacy(path, work))
            finally:
                shutil.rmtree(work, ignore_errors=True)
            return load_blocks(doc, str(path), agency_kind=agency_kind)
        from . import html_reader

        if html_reader.sniff(head):  # a web page saved as .doc (common on government sites)
            return html_reader.read(path, agency_kind=agency_kind)
        raise InputError(path, "不是 Word 文档", hint=SAVE_AS_HINT)
    doc = parse_docx(path)
    return load_blocks(doc, str(path), agency_kind=agency_kind)
