"""Deterministic .docx packages: the bundled template's unchanged parts are copied in their
stored (deflated) form, which must give exactly the bytes deflating them again would give
(gdr_gen/writers/docx_package.py)."""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path

import docx

from gdr_gen import api
from gdr_gen.writers.docx_package import COMPRESS_LEVEL, save_bytes

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "templates" / "report.docx"
SAMPLE = ROOT / "sample_inputs" / "巫山县2022.xlsx"


def _deflate(data: bytes) -> bytes:
    c = zlib.compressobj(COMPRESS_LEVEL, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def _stored(package: bytes) -> dict[str, bytes]:
    """Member name → its compressed bytes as stored in the zip."""
    out = {}
    with zipfile.ZipFile(io.BytesIO(package)) as z:
        for info in z.infolist():
            start = info.header_offset
            n, m = (
                int.from_bytes(package[start + 26 : start + 28], "little"),
                int.from_bytes(package[start + 28 : start + 30], "little"),
            )
            begin = start + 30 + n + m
            out[info.filename] = package[begin : begin + info.compress_size]
    return out


def test_bundled_template_is_deflated_as_the_writer_deflates() -> None:
    """What makes copying stored parts byte-identical to deflating them again."""
    data = TEMPLATE.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        contents = {name: z.read(name) for name in z.namelist()}
    stored = _stored(data)
    assert stored.keys() == contents.keys()
    for name, content in contents.items():
        assert stored[name] == _deflate(content), name


def _report() -> bytes:
    loaded = api.read(SAMPLE)
    return api.render(api.build_document(loaded.report), "docx")


def test_reused_parts_give_the_same_bytes_as_deflating_everything() -> None:
    word = docx.Document(io.BytesIO(_report()))
    again = save_bytes(word)  # nothing to reuse: every part deflated
    reused = save_bytes(word, reuse=TEMPLATE.read_bytes())
    assert reused == again
    with zipfile.ZipFile(io.BytesIO(reused)) as z:
        assert z.testzip() is None


def test_a_changed_part_is_deflated_again_not_copied() -> None:
    word = docx.Document(io.BytesIO(TEMPLATE.read_bytes()))
    word.styles["Normal"].font.size = docx.shared.Pt(11)  # styles.xml now differs
    out = save_bytes(word, reuse=TEMPLATE.read_bytes())
    assert out == save_bytes(word)
    with zipfile.ZipFile(io.BytesIO(out)) as z:
        assert z.testzip() is None
        old = zipfile.ZipFile(TEMPLATE).read("word/styles.xml")
        assert z.read("word/styles.xml") != old
    back = docx.Document(io.BytesIO(out))
    size = back.styles["Normal"].font.size
    assert size is not None and size.pt == 11
