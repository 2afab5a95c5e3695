"""The report written into the bundled template with lxml and zipfile alone.

The bundled template is ours and fixed (``templates/report.docx``, written by
``templates/make_report_template.py``): its styles are the house styles, its body is empty
but for the section properties, and its parts need no python-docx object model. Importing
python-docx and building that model costs a build more than the whole rest of the writer, so
for the bundled template the report's body, the font table and the document properties are
put into the package directly. The bytes are exactly those of the python-docx path (same
parser settings, same serialisation, same zip members; ``tests/test_docx_package.py``
compares the two on the sample and on generated reports); an office's own template always
goes through python-docx and docxtpl (:mod:`.docx_template`).
"""

from __future__ import annotations

import io
import zipfile
from datetime import date
from typing import Any

from . import docx_style as st
from .docx_package import PRODUCER, FixedZipWriter, fit_property, raw_members

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NS = {
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}


class NotPlain(Exception):
    """The template is not as this module expects; the caller takes the python-docx path."""


def _parser() -> Any:
    from lxml import etree

    # python-docx's own parser settings (docx.oxml.parser.oxml_parser), so the serialised
    # parts come out byte for byte as its writer would give them
    return etree.XMLParser(remove_blank_text=True, resolve_entities=False)


def _serialize(root: Any) -> bytes:
    from lxml import etree

    return etree.tostring(root, encoding="UTF-8", standalone=True)


def _w(name: str) -> str:
    return f"{{{W_NS}}}{name}"


def text_width(document_xml: bytes) -> int:
    """Width of the text block of the template's last section, in twips (as
    ``docx_writer._text_width`` reads it through python-docx)."""
    from lxml import etree

    root = etree.fromstring(document_xml, _parser())
    sect = root.find(f"{_w('body')}/{_w('sectPr')}")
    if sect is None:
        return st.text_width_twips()
    size, mar = sect.find(_w("pgSz")), sect.find(_w("pgMar"))
    try:
        page = int(size.get(_w("w"))) if size is not None else None
        left = int(mar.get(_w("left"))) if mar is not None else None
        right = int(mar.get(_w("right"))) if mar is not None else None
    except (TypeError, ValueError):
        raise NotPlain from None
    if page is None or left is None or right is None:
        return st.text_width_twips()
    twips = page - left - right
    return twips if twips > 2000 else st.text_width_twips()


def _document(data: bytes, body_xml: str) -> bytes:
    from lxml import etree

    parser = _parser()
    root = etree.fromstring(data, parser)
    body = root.find(_w("body"))
    if body is None:
        raise NotPlain
    sect = body.find(_w("sectPr"))
    for child in list(body):
        if child is not sect:
            body.remove(child)
    elements = etree.fromstring(f'<w:body xmlns:w="{W_NS}">{body_xml}</w:body>'.encode(), parser)
    for e in list(elements):
        if sect is not None:
            sect.addprevious(e)
        else:
            body.append(e)
    return _serialize(root)


def _fonts(data: bytes) -> bytes:
    from lxml import etree

    root = etree.fromstring(data, _parser())
    ours = {f.name for f in st.FONT_DECLARATIONS}
    for old in root.findall(_w("font")):
        if old.get(_w("name")) in ours:
            root.remove(old)
    for f in st.FONT_DECLARATIONS:
        font = etree.SubElement(root, _w("font"), {_w("name"): f.name})
        for tag, attrs in f.children():
            etree.SubElement(font, _w(tag), {_w(k): v for k, v in attrs.items()})
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _core(data: bytes, *, title: str, author: str, when: date) -> bytes:
    from lxml import etree

    root = etree.fromstring(data, _parser())

    def child(prefix: str, name: str) -> Any:
        e = root.find(f"{{{_NS[prefix]}}}{name}")
        if e is None:  # python-docx would insert it in its own order: not ours to imitate
            raise NotPlain
        return e

    child("dc", "title").text = fit_property(title)
    child("dc", "creator").text = fit_property(author)
    child("cp", "lastModifiedBy").text = PRODUCER
    child("cp", "revision").text = "1"
    stamp = f"{when.year:04d}-{when.month:02d}-{when.day:02d}T00:00:00Z"
    for name in ("created", "modified"):
        e = child("dcterms", name)
        e.text = stamp
        e.set(f"{{{_NS['xsi']}}}type", "dcterms:W3CDTF")
    if root.find(f"{{{_NS['cp']}}}lastPrinted") is not None:
        raise NotPlain
    return _serialize(root)


def bundled_docx_bytes(
    template: bytes, body_xml: str, *, title: str, author: str, when: date
) -> bytes:
    """The bundled ``template`` package with ``body_xml`` as its body (see the module text).

    Raises :class:`NotPlain` when the template is not laid out as expected."""
    with zipfile.ZipFile(io.BytesIO(template)) as z:
        names = z.namelist()
        needed = ("word/document.xml", "word/fontTable.xml", "docProps/core.xml")
        if any(n not in names for n in needed):
            raise NotPlain
        changed = {
            "word/document.xml": _document(z.read("word/document.xml"), body_xml),
            "word/fontTable.xml": _fonts(z.read("word/fontTable.xml")),
            "docProps/core.xml": _core(
                z.read("docProps/core.xml"), title=title, author=author, when=when
            ),
        }
        buf = io.BytesIO()
        writer = FixedZipWriter(buf, raw_members(template))
        for name in names:
            blob = changed.get(name)
            writer.write_member(name, z.read(name) if blob is None else blob)
        writer.close()
    return buf.getvalue()
