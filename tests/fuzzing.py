"""Hypothesis settings shared by the property and fuzz tests.

The README's test command must pass on every machine, every time, so by default every
property and fuzz test runs a fixed sequence of examples (``derandomize``) and neither reads
nor writes an example database. Random exploration is an explicit opt-in::

    GDR_GEN_FUZZ=explore python -m pytest -q tests/test_fuzz_workbook.py
    GDR_GEN_FUZZ=explore GDR_GEN_FUZZ_EXAMPLES=5000 python -m pytest -q tests/test_fuzz_*.py

(``--hypothesis-profile=explore`` gives random examples too, with the default counts.)
Exploring keeps failures in ``.hypothesis/`` and replays them on the next exploring run; a
failure found that way is fixed and kept as a committed regression example (``@example``, or
a fixture in ``tests/fixtures/`` and a test in ``tests/test_fuzz_regressions.py``).
"""

from __future__ import annotations

import os

from hypothesis import settings

EXPLORE = os.environ.get("GDR_GEN_FUZZ", "").strip().lower() == "explore"

settings.register_profile("fixed", derandomize=True, database=None, print_blob=True)
settings.register_profile("ci", settings.get_profile("fixed"))  # what .ci/run (CI=true) got
settings.register_profile("explore", derandomize=False, print_blob=True)


def load_profile() -> None:
    """The fixed profile unless GDR_GEN_FUZZ=explore (``--hypothesis-profile`` wins)."""
    settings.load_profile("explore" if EXPLORE else "fixed")


def examples(default: int) -> int:
    """A fuzz test's example count: ``default``, or GDR_GEN_FUZZ_EXAMPLES when exploring."""
    wanted = os.environ.get("GDR_GEN_FUZZ_EXAMPLES", "").strip()
    return int(wanted) if EXPLORE and wanted.isdigit() and int(wanted) > 0 else default
