"""gdr-gen: 政府信息公开工作年度报告 from a structured workbook.

The library API (heavy modules load on first use)::

    from gdr_gen import load_report, run_checks, check_file
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

_LAZY = {
    "load_report": ("gdr_gen.readers", "load_report"),
    "LoadResult": ("gdr_gen.readers", "LoadResult"),
    "run_checks": ("gdr_gen.checks", "run_checks"),
    "check_file": ("gdr_gen.commands.check", "check_file"),
    "Report": ("gdr_gen.model", "Report"),
    "get_format": ("gdr_gen.formats", "get_format"),
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(name)


__all__ = ["__version__", *_LAZY]
