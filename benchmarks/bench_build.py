"""Whole-process timings of gdr-gen on a regular install (prints figures; not a test).

    python benchmarks/bench_build.py [--runs 11] [--units 300] [INPUT]

Installs this checkout into a fresh virtual environment (``python -m venv`` + ``pip install .``
from the configured package index / wheel cache: see ``regular_install.py``), so gdr_gen and
the baseline libraries are run exactly as a user has them, compiled ``.pyc`` files included.
Then every command below runs ``--runs`` times as a fresh process, the commands interleaved
round by round so that load from other processes hits all of them alike:

====================================  =================================================  ======
command                               baseline                                           target
====================================  =================================================  ======
``gdr-gen build INPUT -o X.docx``     ``python -c "import docx, openpyxl, jinja2"``      ≤ 1.2
``gdr-gen --help``                    ``python -c "import typer"``                       ≤ 1.2
``gdr-gen check INPUT``               ``python -c "import docx, openpyxl, jinja2"``      ≤ 1.0
``gdr-gen merge`` of N unit files     openpyxl ``load_workbook(read_only=True)`` of the  ≤ 0.6
(default -j 2; also -j 1)             same files, every row of every sheet read (the
                                      least a merge through openpyxl would do), one
                                      process
====================================  =================================================  ======

Printed: per command the median wall time, the spread (quartiles, min–max) and the median
CPU time (user + system of the child); per pair the ratio of medians and the median of the
per-round ratios with its range (each round runs both commands back to back).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from regular_install import ROOT, clean_env, regular_install

READ_ALL = """
import sys
from pathlib import Path
import openpyxl
for f in sorted(Path(sys.argv[1]).glob("*.xlsx")):
    wb = openpyxl.load_workbook(f, read_only=True)
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            pass
    wb.close()
"""


def run_rounds(
    rows: list[tuple[str, list[str]]], runs: int, cwd: Path, env: dict[str, str]
) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Wall and CPU seconds per command and round; the rounds interleave the commands."""
    wall: dict[str, list[float]] = {name: [] for name, _ in rows}
    cpu: dict[str, list[float]] = {name: [] for name, _ in rows}
    for i in range(runs):
        for name, cmd in rows:
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True)
            wall[name].append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu[name].append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
            if done.returncode not in (0, 1):  # 1: findings reported, still a full run
                sys.exit(f"{name} failed ({done.returncode}):\n{done.stderr.decode()[-2000:]}")
        print(f"  round {i + 1}/{runs} done  (load average {os.getloadavg()[0]:.2f})", flush=True)
    return wall, cpu


def spread(values: list[float]) -> str:
    q = statistics.quantiles(values, n=4)
    return (
        f"[{q[0] * 1000:.0f}–{q[2] * 1000:.0f}; {min(values) * 1000:.0f}–{max(values) * 1000:.0f}]"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("input", nargs="?", default=str(ROOT / "sample_inputs" / "巫山县2022.xlsx"))
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--units", type=int, default=300, help="units in the merge (0: skip)")
    args = parser.parse_args()
    runs = max(11, args.runs)
    source = Path(args.input).resolve()

    with tempfile.TemporaryDirectory(prefix="gdr-bench-") as tmp_name:
        tmp = Path(tmp_name)
        python, gdr = regular_install(tmp)
        py, exe = str(python), str(gdr)
        rows = [
            ("import docx, openpyxl, jinja2", [py, "-c", "import docx, openpyxl, jinja2"]),
            ("gdr-gen build", [exe, "build", str(source), "-o", str(tmp / "X.docx")]),
            ("import typer", [py, "-c", "import typer"]),
            ("gdr-gen --help", [exe, "--help"]),
            ("gdr-gen check", [exe, "check", str(source)]),
        ]
        if args.units:
            from region_bench import generate

            t = time.perf_counter()
            generate(tmp / "units", args.units)
            print(f"generated {args.units} unit workbooks ({time.perf_counter() - t:.0f} s)")
            rows += [
                (f"openpyxl read-only, {args.units} files", [py, "-c", READ_ALL, str(tmp / "units")]),
                (
                    f"gdr-gen merge, {args.units} units",
                    [exe, "merge", str(tmp / "units"), "-o", str(tmp / "region.xlsx"),
                     "--agency", "巫山县人民政府", "--year", "2022", "--force"],
                ),
                (
                    f"gdr-gen merge -j 1, {args.units} units",
                    [exe, "merge", str(tmp / "units"), "-o", str(tmp / "region1.xlsx"),
                     "--agency", "巫山县人民政府", "--year", "2022", "--force", "-j", "1"],
                ),
            ]  # fmt: skip
        env = clean_env(COLUMNS="120")
        for _, cmd in rows:  # warm-up: file caches, not measured
            subprocess.run(cmd, cwd=tmp, env=env, capture_output=True)
        started = time.strftime("%H:%M:%S", time.gmtime())
        wall, cpu = run_rounds(rows, runs, tmp, env)

    print(f"\ninput: {source.name}   {runs} interleaved rounds from {started} UTC, "
          f"load average now {', '.join(f'{x:.2f}' for x in os.getloadavg())}")  # fmt: skip
    print(f"{'command':<38} {'median':>8}  {'[quartiles; min–max] ms':<26} {'CPU':>7}")
    for name in wall:
        med = statistics.median(wall[name]) * 1000
        cpu_med = statistics.median(cpu[name]) * 1000
        print(f"  {name:<36} {med:8.1f}  {spread(wall[name]):<26} {cpu_med:7.1f}")

    floor = "import docx, openpyxl, jinja2"
    pairs = [
        ("gdr-gen build", floor, 1.2),
        ("gdr-gen --help", "import typer", 1.2),
        ("gdr-gen check", floor, 1.0),
    ]
    if args.units:
        merge, base = (
            f"gdr-gen merge, {args.units} units",
            f"openpyxl read-only, {args.units} files",
        )
        pairs.append((merge, base, 0.6))
        pairs.append((f"gdr-gen merge -j 1, {args.units} units", base, 0.6))
    print(f"\n{'ratio':<56} {'medians':>7} {'per round (range)':>22} {'CPU':>6}  target")
    for cmd, base, target in pairs:
        ratio = statistics.median(wall[cmd]) / statistics.median(wall[base])
        rounds = [a / b for a, b in zip(wall[cmd], wall[base], strict=True)]
        cpu_ratio = statistics.median(cpu[cmd]) / statistics.median(cpu[base])
        verdict = "ok" if ratio <= target else "MISSED"
        print(
            f"  {cmd + ' / ' + base:<54} {ratio:7.2f} {statistics.median(rounds):8.2f} "
            f"({min(rounds):.2f}–{max(rounds):.2f}) {cpu_ratio:6.2f}  <= {target}  {verdict}"
        )
    if args.units:
        per_unit = statistics.median(wall[merge]) / args.units * 1000
        one = statistics.median(wall[f"gdr-gen merge -j 1, {args.units} units"]) / args.units
        print(f"\nmerge: {per_unit:.1f} ms per unit with the default 2 worker processes, "
              f"{one * 1000:.1f} ms in one process (-j 1); whole process (target <= 5)")  # fmt: skip


if __name__ == "__main__":
    main()
