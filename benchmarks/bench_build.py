"""Whole-process timings of ``gdr-gen build`` and ``gdr-gen --help`` (prints figures; not a test).

    python benchmarks/bench_build.py [--runs 7] [INPUT]

Each command runs ``--runs`` times as a fresh process; the median is compared with a
baseline measured in the same run:

- build:  ``python -c "import docx, openpyxl, jinja2"``   target ratio ≤ 1.3
- --help: ``python -c "import typer"``                    target ratio ≤ 1.5

The CLI is run as ``python -m gdr_gen`` from the repository root (the same code the
installed ``gdr-gen`` script runs). Every command first runs once unmeasured with bytecode
writing on (into a temporary PYTHONPYCACHEPREFIX), because an installed package has its
``.pyc`` files (pip compiles them) just as the baseline libraries do; without this, an
environment with PYTHONDONTWRITEBYTECODE=1 recompiles gdr_gen's ~30 modules on every run
(about 40 ms here) and the comparison would be unfair to one side only.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(rows: list[tuple[str, list[str]]], runs: int, env: dict[str, str]) -> dict[str, float]:
    """Median seconds per command; rounds interleave the commands so load drifts hit all."""
    times: dict[str, list[float]] = {name: [] for name, _ in rows}
    for _ in range(runs):
        for name, cmd in rows:
            start = time.perf_counter()
            subprocess.run(cmd, check=True, cwd=ROOT, env=env, capture_output=True)
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(t) for name, t in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("input", nargs="?", default=str(ROOT / "sample_inputs" / "巫山县2022.xlsx"))
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    runs = max(5, args.runs)
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, PYTHONPATH=str(ROOT), COLUMNS="120")
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        out = str(Path(tmp) / "report.docx")
        rows = [
            ("import docx, openpyxl, jinja2", [py, "-c", "import docx, openpyxl, jinja2"]),
            ("gdr-gen build", [py, "-m", "gdr_gen", "build", args.input, "-o", out]),
            ("import typer", [py, "-c", "import typer"]),
            ("gdr-gen --help", [py, "-m", "gdr_gen", "--help"]),
        ]
        for _, cmd in rows:  # warm-up: file caches and bytecode, not measured
            subprocess.run(cmd, check=True, cwd=ROOT, env=env, capture_output=True)
        medians = timed(rows, runs, env)

    print(f"input: {args.input}   runs per command: {runs} (median, whole process)")
    for name, secs in medians.items():
        print(f"  {name:<32} {secs * 1000:8.1f} ms")
    build = medians["gdr-gen build"] / medians["import docx, openpyxl, jinja2"]
    helpr = medians["gdr-gen --help"] / medians["import typer"]
    print(f"build / import baseline = {build:.2f}   (target <= 1.3)")
    print(f"--help / import typer   = {helpr:.2f}   (target <= 1.5)")


if __name__ == "__main__":
    main()
