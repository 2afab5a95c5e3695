"""Deterministic .docx packages: the same content always gives the same bytes.

python-docx writes the zip with the current time on every member and (unless told) fresh
document-property dates; :func:`normalize_zip` rewrites the package with fixed member
timestamps, attributes and order, and :func:`fix_core_properties` pins the properties.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, timezone
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
PRODUCER = "gdr-gen"


def normalize_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed timestamps/attributes; ``[Content_Types].xml`` first."""
    src = zipfile.ZipFile(io.BytesIO(data))
    names = src.namelist()
    first = "[Content_Types].xml"
    order = ([first] if first in names else []) + [n for n in names if n != first]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            dst.writestr(info, src.read(name), compresslevel=6)
    return out.getvalue()


def fix_core_properties(doc: DocxDocument, *, title: str, author: str, when: date) -> None:
    """Document properties that depend only on the report, never on the clock."""
    props = doc.core_properties
    stamp = datetime(when.year, when.month, when.day, tzinfo=timezone.utc).replace(tzinfo=None)
    props.title = title
    props.author = author
    props.last_modified_by = PRODUCER
    props.revision = 1
    props.created = stamp
    props.modified = stamp
    if props.last_printed is not None:  # an office template printed once
        props.last_printed = stamp


def save_bytes(doc: DocxDocument) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return normalize_zip(buf.getvalue())
