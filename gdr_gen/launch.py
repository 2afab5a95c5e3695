"""The console entry point (``gdr-gen``, ``python -m gdr_gen``): the CLI, started the way a
short-lived process should be.

Importing the CLI and its libraries (typer, click, rich) creates some hundred thousand objects
that live until the process ends. With the collector's default settings every 700 new objects
start a collection, and the older generations are scanned again and again over objects that
can never be garbage: about a tenth of a ``build`` (``benchmarks/bench_build.py``). So the
collector is paused while the CLI is imported, what was imported is frozen (moved out of the
collector's view for good, ``gc.freeze``), and collections resume with a larger first
generation (10,000 objects, as ``mypy`` does with 200,000). Cyclic garbage is still collected:
``merge`` and ``watch`` over hundreds of workbooks keep a steady memory footprint.
"""

from __future__ import annotations

import gc
from typing import NoReturn


def main(argv: list[str] | None = None) -> NoReturn:
    """Run ``gdr-gen`` (see :func:`gdr_gen.cli.main`)."""
    gc.disable()
    try:
        from .cli import main as cli_main
    finally:
        gc.freeze()
        gc.set_threshold(10_000, 10, 10)
        gc.enable()
    cli_main(argv)
