"""The Python API: what the command line does, as functions over the one report model.

::

    import gdr_gen

    loaded = gdr_gen.read("巫山县2022.xlsx")        # or a .json path, bytes, or a dict
    findings = gdr_gen.check(loaded)                  # every rule; [] when all is well
    document = gdr_gen.build_document(loaded.report)  # headings, paragraphs, tables
    data = gdr_gen.render(document, "docx")           # bytes: "docx", "html", "pdf"

Each CLI command is a few lines over these (``gdr_gen.commands``). Readers and writers are
looked up by name in :mod:`gdr_gen.readers.registry` and :mod:`gdr_gen.writers.registry`;
see ``docs/python-api.md`` for examples.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import GdrError, InputError

if TYPE_CHECKING:
    from .document import Document
    from .findings import Finding
    from .model import Report
    from .readers import LoadResult
    from .sentences import SentenceOptions

Source = str | Path | bytes | Mapping[str, Any]


def read(
    source: Source, *, kind: str | None = None, name: str = "", agency_kind: str | None = None
) -> LoadResult:
    """Read a report from a file path, the bytes of a file, or a dict in the JSON data format.

    ``kind`` names a reader (``"xlsx"``, ``"json"`` …) where the content alone should not
    decide; bytes without ``kind`` are recognised by their content. ``name`` is how messages
    refer to bytes or a dict (default ``数据``). ``agency_kind`` (``"government"`` or
    ``"department"``) overrides what a published report's title suggests. The result carries the reader's own findings
    (bad values at their cells); :func:`check` adds every rule's.
    """
    from .readers import load_report
    from .readers.registry import READERS, reader_for

    if isinstance(source, Mapping):
        from .readers.json_reader import report_from_data

        return report_from_data(dict(source), name or "数据")
    if isinstance(source, str | Path):
        path = Path(source)
        if kind is None:
            return load_report(path, agency_kind=agency_kind)
        spec = _reader(kind, READERS)
        if agency_kind is not None and spec.published:
            return spec.loader()(path, agency_kind=agency_kind)
        return spec.loader()(path)
    if isinstance(source, bytes | bytearray):
        label = name or "数据"
        data = bytes(source)
        if not data:
            raise InputError(label, "内容是空的（0 字节）")
        spec = (
            _reader(kind, READERS)
            if kind is not None
            else reader_for(Path(label), head=data[:65536])
        )
        # Readers read files (zip containers, encodings, size limits live there); bytes go
        # through a private temporary file carrying the reader's suffix.
        with tempfile.TemporaryDirectory(prefix="gdr-read-") as tmp:
            stem = Path(label).stem or "report"
            path = Path(tmp) / f"{stem}{spec.suffixes[0]}"
            path.write_bytes(data)
            loaded = spec.loader()(path)
        loaded.source = label
        return loaded
    raise TypeError(f"read() takes a path, bytes or a dict, not {type(source).__name__}")


def _reader(kind: str, readers: Mapping[str, Any]) -> Any:
    try:
        return readers[kind]
    except KeyError:
        raise GdrError(f"没有名为“{kind}”的读取器；可选：{'、'.join(readers)}") from None


def check(
    report: LoadResult | Report,
    *,
    previous: LoadResult | Report | None = None,
    only: Iterable[str] | None = None,
) -> list[Finding]:
    """Run every rule (or ``only`` these rule IDs); findings sorted for display.

    Given a :class:`LoadResult`, the reader's findings are included and locations are named
    the way that input names them (``表三!D6`` for a workbook); given a bare ``Report``,
    locations are JSON paths (``requests.new[0]``).
    """
    from .readers import LoadResult

    loaded = report if isinstance(report, LoadResult) else LoadResult(report)
    prev = previous
    if prev is not None and not isinstance(prev, LoadResult):
        prev = LoadResult(prev)
    return loaded.check(previous=prev, only=only)


def build_document(
    report: LoadResult | Report,
    *,
    sentences: SentenceOptions | None = None,
    template_dir: str | Path | None = None,
) -> Document:
    """The report as a document tree (title, sections with headings, paragraphs and tables),
    shared by every writer. ``sentences`` controls the generated sentences that quote table
    figures; ``template_dir`` replaces their Jinja templates (rendered in a sandbox)."""
    from .document import build_document as _build
    from .readers import LoadResult

    if isinstance(report, LoadResult):
        report = report.report
    return _build(report, sentences=sentences, template_dir=template_dir)


def render(
    document: Document,
    fmt: str = "docx",
    *,
    template: str | Path | None = None,
    fragment: bool = False,
) -> bytes:
    """The document in an output format registered in :mod:`gdr_gen.writers.registry`.

    ``template``: an office's own Word template (docx and pdf). ``fragment``: HTML body only.
    Same document and options → the same bytes (PDF aside: LibreOffice stamps the time).
    """
    from .writers.registry import RenderOptions, get_writer

    writer = get_writer(fmt)
    writer.check_available()
    options = RenderOptions(Path(template) if template is not None else None, fragment)
    return writer.renderer()(document, options)


__all__ = ["build_document", "check", "read", "render"]
