"""Write templates/report.docx, the bundled Word template (house style per GB/T 9704).

Run from the repository root after changing gdr_gen/writers/docx_style.py:

    python templates/make_report_template.py

The output is deterministic; tests/test_docx_writer.py checks the committed file is current.
Offices can open report.docx in Word, change styles / page setup / footer, save it under
another name and pass it with ``gdr-gen build --template``.
"""

from __future__ import annotations

import io
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def template_bytes() -> bytes:
    import docx

    from gdr_gen.writers.docx_package import fix_core_properties, save_bytes
    from gdr_gen.writers.docx_style import apply_house_style, declare_fonts

    doc = docx.Document()  # python-docx's own default package as the base
    body = doc.element.body
    for child in list(body):
        if not child.tag.endswith("}sectPr"):
            body.remove(child)
    ids = apply_house_style(doc)
    slim_package(doc, set(ids.values()))
    fix_core_properties(doc, title="政府信息公开工作年度报告", author="", when=date(2021, 9, 26))
    props = doc.core_properties
    props.comments = "gdr-gen 默认 Word 模板（GB/T 9704-2012 版式）"
    props.subject = ""
    props.keywords = ""
    props.category = ""
    declare_fonts(doc)  # the 公文 faces' Windows fallbacks, as every report carries them
    return canonical_parts(save_bytes(doc))


# The parts gdr_gen/writers/docx_bundled.py edits as text (or checks and copies): stored as
# lxml serialises them after parsing them with python-docx's parser (empty elements closed,
# no indentation), which is what the python-docx path writes for them.
TEXT_EDITED_PARTS = ("word/document.xml", "word/fontTable.xml", "docProps/core.xml")


def canonical_parts(package: bytes) -> bytes:
    import zipfile

    from docx.oxml.parser import parse_xml
    from lxml import etree

    from gdr_gen.writers.docx_package import FixedZipWriter

    out = io.BytesIO()
    writer = FixedZipWriter(out)
    with zipfile.ZipFile(io.BytesIO(package)) as z:
        for name in z.namelist():
            blob = z.read(name)
            if name in TEXT_EDITED_PARTS:
                blob = etree.tostring(parse_xml(blob), encoding="UTF-8", standalone=True)
            writer.write_member(name, blob)
    writer.close()
    return out.getvalue()


# Parts of python-docx's default package a report never uses: Word 2010's copy of every style
# (word/stylesWithEffects.xml, 438 KB), list numbering for the list styles (the report has
# no lists), a bibliography stub (customXml) and a thumbnail of an empty page (which
# Windows Explorer would show as the report's preview).
DROPPED_RELTYPES = (
    "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects",
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml",
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering",
    "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail",
)


def slim_package(doc: object, house_style_ids: set[str]) -> None:
    """Keep only what the report uses, so every build parses and writes a small template.

    styles.xml keeps the default styles, the house styles and every style they are based
    on or link to; the latent-style exceptions (Word's list of the ~370 built-in styles it
    offers in its gallery) go, and Word adds a built-in style again when an office uses one.
    """
    from docx.oxml.ns import qn

    package = doc.part.package  # type: ignore[attr-defined]
    for owner in (package, doc.part):  # type: ignore[attr-defined]
        for rid, rel in list(owner.rels.items()):
            if rel.reltype in DROPPED_RELTYPES:
                owner.rels.pop(rid)

    styles = doc.styles.element  # type: ignore[attr-defined]
    latent = styles.find(qn("w:latentStyles"))
    if latent is not None:
        styles.remove(latent)
    by_id = {s.get(qn("w:styleId")): s for s in styles.findall(qn("w:style"))}
    wanted = [
        sid for sid, s in by_id.items() if s.get(qn("w:default")) == "1" or sid in house_style_ids
    ]
    for part in (doc.part, *(rel.target_part for rel in doc.part.rels.values())):  # type: ignore[attr-defined]
        element = getattr(part, "element", None)
        if element is None or element is styles:
            continue
        for tag in ("w:pStyle", "w:rStyle", "w:tblStyle"):
            wanted += [e.get(qn("w:val")) for e in element.iter(qn(tag))]
    keep: set[str] = set()
    while wanted:
        sid = wanted.pop()
        if sid in keep or sid not in by_id:
            continue
        keep.add(sid)
        for tag in ("w:basedOn", "w:next", "w:link"):
            ref = by_id[sid].find(qn(tag))
            if ref is not None:
                wanted.append(ref.get(qn("w:val")))
    for sid, s in by_id.items():
        if sid not in keep:
            styles.remove(s)


def main() -> None:
    out = ROOT / "templates" / "report.docx"
    data = template_bytes()
    out.write_bytes(data)
    # sanity: python-docx can open what we wrote
    import docx

    docx.Document(io.BytesIO(data))
    print(f"wrote {out} ({len(data)} bytes)")


if __name__ == "__main__":
    main()
