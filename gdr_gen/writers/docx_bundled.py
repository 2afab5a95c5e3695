"""The report written into the bundled template with zipfile and string operations alone.

The bundled template is ours and fixed (``templates/report.docx``, written by
``templates/make_report_template.py``): its styles are the house styles, its font table
already declares the 公文 faces' Windows fallbacks, its body is empty but for the section
properties, and its XML parts are stored exactly as lxml serialises them. So the report needs
neither python-docx's object model nor an XML parser: the body is put in front of the section
properties, the document properties are set in their elements, and every other part is copied
as stored (not even deflated again). Importing python-docx and building its model cost a build
more than the whole rest of the writer, and importing lxml alone about 9 ms.

The bytes are exactly those of the python-docx path (``tests/test_docx_package.py`` compares
the two on the sample, on generated reports and on hostile names; it also checks that the
template's parts are in lxml's serialised form). Anything not laid out as expected raises
:class:`NotPlain` and the caller takes the python-docx path; an office's own template always
goes through python-docx and docxtpl (:mod:`.docx_template`).
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date

from . import docx_style as st
from .docx_package import PRODUCER, FixedZipWriter, fit_property, raw_members


class NotPlain(Exception):
    """The template is not as this module expects; the caller takes the python-docx path."""


_BODY_SECT = re.compile(rb"<w:sectPr\b.*?</w:sectPr>", re.S)
_ATTRS = re.compile(rb'([\w:]+)="([^"]*)"')


def _attrs(xml: bytes, tag: bytes) -> dict[bytes, bytes]:
    m = re.search(rb"<" + tag + rb"\b([^>]*)/?>", xml)
    return dict(_ATTRS.findall(m.group(1))) if m else {}


def text_width(document_xml: bytes) -> int:
    """Width of the text block of the template's last section, in twips (as
    ``docx_writer._text_width`` reads it through python-docx)."""
    body = document_xml.partition(b"<w:body>")[2]
    sects = _BODY_SECT.findall(body)
    if not sects:
        return st.text_width_twips()
    sect = sects[-1]
    size, mar = _attrs(sect, b"w:pgSz"), _attrs(sect, b"w:pgMar")
    try:
        page = int(size[b"w:w"]) if b"w:w" in size else None
        left = int(mar[b"w:left"]) if b"w:left" in mar else None
        right = int(mar[b"w:right"]) if b"w:right" in mar else None
    except ValueError:
        raise NotPlain from None
    if page is None or left is None or right is None:
        return st.text_width_twips()
    twips = page - left - right
    return twips if twips > 2000 else st.text_width_twips()


def _document(data: bytes, body_xml: str) -> bytes:
    """The template's document part with ``body_xml`` (already in lxml's serialised form,
    see ``docx_writer._BodyWriter``) before its section properties."""
    head, found, tail = data.partition(b"<w:body>")
    if not found or not tail.startswith(b"<w:sectPr") or tail.count(b"<w:sectPr") != 1:
        raise NotPlain  # the body holds more than the section properties
    if not tail.endswith(b"</w:sectPr></w:body></w:document>"):
        raise NotPlain
    return head + found + body_xml.encode("utf-8") + tail


def _fonts(data: bytes) -> bytes:
    """The font table, which in the bundled template already declares every 公文 face."""
    for f in st.FONT_DECLARATIONS:
        if f'<w:font w:name="{f.name}">'.encode() not in data:
            raise NotPlain
    return data


def _xml_text(text: str) -> str:
    """Element text as lxml serialises a value set through its API."""
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


def _set_text(xml: str, tag: str, text: str) -> str:
    """``<tag …>text</tag>`` in place of the one element ``tag`` (empty or not) of ``xml``."""
    pattern = re.compile(rf"<{tag}((?: [^>]*)?)(?:/>|>[^<]*</{tag}>)")
    found = pattern.findall(xml)
    if len(found) != 1:
        raise NotPlain  # python-docx would add a missing element in its own order
    return pattern.sub(lambda m: f"<{tag}{m.group(1)}>{_xml_text(text)}</{tag}>", xml)


def _core(data: bytes, *, title: str, author: str, when: date) -> bytes:
    xml = data.decode("utf-8")
    if "<cp:lastPrinted" in xml:
        raise NotPlain
    stamp = f"{when.year:04d}-{when.month:02d}-{when.day:02d}T00:00:00Z"
    for tag, value in (
        ("dc:title", fit_property(title)),
        ("dc:creator", fit_property(author)),
        ("cp:lastModifiedBy", PRODUCER),
        ("cp:revision", "1"),
    ):
        xml = _set_text(xml, tag, value)
    for tag in ("dcterms:created", "dcterms:modified"):
        # python-docx sets xsi:type on these; the template already has it, in place
        if (
            f'<{tag} xsi:type="dcterms:W3CDTF">' not in xml
            and f'<{tag} xsi:type="dcterms:W3CDTF"/>' not in xml
        ):
            raise NotPlain
        xml = _set_text(xml, tag, stamp)
    return xml.encode("utf-8")


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
