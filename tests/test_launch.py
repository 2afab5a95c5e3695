"""The console entry point (gdr_gen/launch.py): the CLI runs with the collector on, the
start-up objects frozen and a larger first generation; ``gdr-gen`` and ``python -m gdr_gen``
both start there (issue 14)."""

from __future__ import annotations

import ast
import subprocess
import sys

from conftest import ROOT

PROBE = """
import gc
import gdr_gen.cli as cli
seen = {}
def fake_main(argv=None):
    seen.update(enabled=gc.isenabled(), threshold=gc.get_threshold(),
                frozen=gc.get_freeze_count(), argv=argv)
    raise SystemExit(0)
cli.main = fake_main
from gdr_gen.launch import main
try:
    main(["check", "x.xlsx"])
except SystemExit:
    print(seen)
"""


def test_cli_runs_with_the_collector_on_and_the_start_up_frozen():
    out = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout
    seen = ast.literal_eval(out)  # the dict the probe printed
    assert seen["enabled"] is True
    assert seen["threshold"] == (10_000, 10, 10)
    assert seen["frozen"] > 10_000  # typer, click and gdr_gen.cli's objects
    assert seen["argv"] == ["check", "x.xlsx"]


def test_entry_points_start_in_launch():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'gdr-gen = "gdr_gen.launch:main"' in text
    main = (ROOT / "gdr_gen" / "__main__.py").read_text(encoding="utf-8")
    assert "from .launch import main" in main
    done = subprocess.run(
        [sys.executable, "-m", "gdr_gen", "--help"], capture_output=True, text=True, cwd=ROOT
    )
    assert done.returncode == 0 and "gdr-gen" in done.stdout and "build" in done.stdout
