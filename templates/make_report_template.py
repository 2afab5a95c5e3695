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
    from gdr_gen.writers.docx_style import apply_house_style

    doc = docx.Document()  # python-docx's own default package as the base
    body = doc.element.body
    for child in list(body):
        if not child.tag.endswith("}sectPr"):
            body.remove(child)
    apply_house_style(doc)
    fix_core_properties(doc, title="政府信息公开工作年度报告", author="", when=date(2021, 9, 26))
    props = doc.core_properties
    props.comments = "gdr-gen 默认 Word 模板（GB/T 9704-2012 版式）"
    props.subject = ""
    props.keywords = ""
    props.category = ""
    return save_bytes(doc)


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
