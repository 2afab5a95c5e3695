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


def _fit(text: str, limit: int = 255) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def fix_core_properties(doc: DocxDocument, *, title: str, author: str, when: date) -> None:
    """Document properties that depend only on the report, never on the clock."""
    props = doc.core_properties
    stamp = datetime(when.year, when.month, when.day, tzinfo=timezone.utc).replace(tzinfo=None)
    # Word's core properties hold at most 255 characters (python-docx raises beyond that): a
    # 300-character agency name is the user's problem to fix, not a crash
    props.title = _fit(title)
    props.author = _fit(author)
    props.last_modified_by = PRODUCER
    props.revision = 1
    props.created = stamp
    props.modified = stamp
    if props.last_printed is not None:  # an office template printed once
        props.last_printed = stamp


class _FixedZipWriter:
    """python-docx's physical-package writer interface, with fixed member metadata."""

    def __init__(self, buf: io.BytesIO) -> None:
        self._zip = zipfile.ZipFile(buf, "w")

    def write(self, pack_uri: object, blob: bytes) -> None:
        info = zipfile.ZipInfo(pack_uri.membername, date_time=ZIP_EPOCH)  # type: ignore[attr-defined]
        info.compress_type = zipfile.ZIP_DEFLATED
        info.create_system = 0
        info.external_attr = 0
        self._zip.writestr(info, blob, compresslevel=6)

    def close(self) -> None:
        self._zip.close()


def save_bytes(doc: DocxDocument) -> bytes:
    """The package as deterministic bytes, compressed once.

    Uses python-docx's package writer with our own zip member writer; should that internal
    API change, falls back to saving normally and rewriting the zip.
    """
    try:
        from docx.opc.pkgwriter import PackageWriter

        package = doc.part.package
        for part in package.parts:
            part.before_marshal()
        buf = io.BytesIO()
        writer = _FixedZipWriter(buf)
        PackageWriter._write_content_types_stream(writer, package.parts)
        PackageWriter._write_pkg_rels(writer, package.rels)
        PackageWriter._write_parts(writer, package.parts)  # type: ignore[arg-type]
        writer.close()
        return buf.getvalue()
    except (ImportError, AttributeError):  # pragma: no cover - python-docx internals moved
        buf = io.BytesIO()
        doc.save(buf)
        return normalize_zip(buf.getvalue())
