"""Deterministic .docx packages: the same content always gives the same bytes.

python-docx writes the zip with the current time on every member and (unless told) fresh
document-property dates; :func:`normalize_zip` rewrites the package with fixed member
timestamps, attributes and order, and :func:`fix_core_properties` pins the properties.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from datetime import date, datetime, timezone
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
PRODUCER = "gdr-gen"
COMPRESS_LEVEL = 6


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
            dst.writestr(info, src.read(name), compresslevel=COMPRESS_LEVEL)
    return out.getvalue()


def fit_property(text: str, limit: int = 255) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def fix_core_properties(doc: DocxDocument, *, title: str, author: str, when: date) -> None:
    """Document properties that depend only on the report, never on the clock."""
    props = doc.core_properties
    stamp = datetime(when.year, when.month, when.day, tzinfo=timezone.utc).replace(tzinfo=None)
    # Word's core properties hold at most 255 characters (python-docx raises beyond that): a
    # 300-character agency name is the user's problem to fix, not a crash
    props.title = fit_property(title)
    props.author = fit_property(author)
    props.last_modified_by = PRODUCER
    props.revision = 1
    props.created = stamp
    props.modified = stamp
    if props.last_printed is not None:  # an office template printed once
        props.last_printed = stamp


class _Precompressed:
    """Stands in for zipfile's deflater: hands over bytes already deflated."""

    def __init__(self, raw: bytes) -> None:
        self._raw = raw

    def compress(self, data: bytes) -> bytes:
        raw, self._raw = self._raw, b""
        return raw

    def flush(self) -> bytes:
        return b""


def raw_members(package: bytes) -> dict[str, tuple[zipfile.ZipInfo, bytes]]:
    """Each deflated member of a zip: its entry and its compressed bytes, as stored."""
    out: dict[str, tuple[zipfile.ZipInfo, bytes]] = {}
    with zipfile.ZipFile(io.BytesIO(package)) as z:
        for info in z.infolist():
            if info.compress_type != zipfile.ZIP_DEFLATED or info.flag_bits & 0x1:
                continue
            start = info.header_offset
            header = package[start : start + 30]
            if len(header) < 30 or header[:4] != b"PK\x03\x04":
                continue
            name_len, extra_len = struct.unpack("<HH", header[26:30])
            begin = start + 30 + name_len + extra_len
            out[info.filename] = (info, package[begin : begin + info.compress_size])
    return out


class FixedZipWriter:
    """python-docx's physical-package writer interface, with fixed member metadata.

    ``reuse`` maps member names to (entry, deflated bytes) of a package written by this
    module (the bundled template): a part whose content is unchanged (same size and
    CRC-32) is copied in its stored deflated form instead of being deflated again. That
    gives the same bytes, because the template was deflated here with the same settings
    (tests/test_docx_package.py checks this), and saves deflating the template's parts
    (theme, styles, settings) on every build.
    """

    def __init__(
        self, buf: io.BytesIO, reuse: dict[str, tuple[zipfile.ZipInfo, bytes]] | None = None
    ) -> None:
        self._zip = zipfile.ZipFile(buf, "w")
        self._reuse = reuse or {}

    def write(self, pack_uri: object, blob: bytes) -> None:
        self.write_member(pack_uri.membername, blob)  # type: ignore[attr-defined]

    def write_member(self, name: str, blob: bytes) -> None:
        info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.create_system = 0
        info.external_attr = 0
        stored = self._reuse.get(name)
        if (
            stored is not None
            and stored[0].file_size == len(blob)
            and zlib.crc32(blob) == stored[0].CRC
        ):
            # what ZipFile.writestr does, with the deflater handing over the stored bytes
            info._compresslevel = COMPRESS_LEVEL  # type: ignore[attr-defined]
            info.file_size = len(blob)
            with self._zip.open(info, "w") as dest:
                if hasattr(dest, "_compressor"):
                    dest._compressor = _Precompressed(stored[1])
                dest.write(blob)
            return
        self._zip.writestr(info, blob, compresslevel=COMPRESS_LEVEL)

    def close(self) -> None:
        self._zip.close()


def save_bytes(doc: DocxDocument, *, reuse: bytes | None = None) -> bytes:
    """The package as deterministic bytes, compressed once.

    ``reuse``: the package ``doc`` was opened from, when written by this function (the
    bundled template); parts left unchanged are copied without deflating them again.
    Uses python-docx's package writer with our own zip member writer; should that internal
    API change, falls back to saving normally and rewriting the zip.
    """
    try:
        from docx.opc.pkgwriter import PackageWriter

        package = doc.part.package
        for part in package.parts:
            part.before_marshal()
        buf = io.BytesIO()
        writer = FixedZipWriter(buf, raw_members(reuse) if reuse is not None else None)
        PackageWriter._write_content_types_stream(writer, package.parts)
        PackageWriter._write_pkg_rels(writer, package.rels)
        PackageWriter._write_parts(writer, package.parts)  # type: ignore[arg-type]
        writer.close()
        return buf.getvalue()
    except (ImportError, AttributeError):  # pragma: no cover - python-docx internals moved
        buf = io.BytesIO()
        doc.save(buf)
        return normalize_zip(buf.getvalue())
