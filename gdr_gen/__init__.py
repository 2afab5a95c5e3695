"""gdr-gen: 政府信息公开工作年度报告 from a structured workbook.

The Python API (``docs/python-api.md``; heavy modules load on first use)::

    import gdr_gen

    loaded = gdr_gen.read("巫山县2022.xlsx")       # a path, bytes, or a dict (JSON data format)
    findings = gdr_gen.check(loaded)
    document = gdr_gen.build_document(loaded)
    docx = gdr_gen.render(document, "docx")         # bytes; also "html", "pdf"
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

_LAZY = {
    # reading, checking, writing
    "read": ("gdr_gen.api", "read"),
    "check": ("gdr_gen.api", "check"),
    "build_document": ("gdr_gen.api", "build_document"),
    "render": ("gdr_gen.api", "render"),
    # the model and what the checks return
    "LoadResult": ("gdr_gen.readers", "LoadResult"),
    "Report": ("gdr_gen.model", "Report"),
    "Document": ("gdr_gen.document", "Document"),
    "Finding": ("gdr_gen.findings", "Finding"),
    "Severity": ("gdr_gen.findings", "Severity"),
    "SentenceOptions": ("gdr_gen.sentences", "SentenceOptions"),
    "get_format": ("gdr_gen.formats", "get_format"),
    # extending: one registration per reader or writer
    "ReaderSpec": ("gdr_gen.readers.registry", "ReaderSpec"),
    "register_reader": ("gdr_gen.readers.registry", "register_reader"),
    "WriterSpec": ("gdr_gen.writers.registry", "WriterSpec"),
    "RenderOptions": ("gdr_gen.writers.registry", "RenderOptions"),
    "register_writer": ("gdr_gen.writers.registry", "register_writer"),
    # errors
    "GdrError": ("gdr_gen.errors", "GdrError"),
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(name)


__all__ = ["__version__", *_LAZY]
