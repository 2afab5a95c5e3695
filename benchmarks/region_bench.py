"""Region-wide figures: merge speed and memory, folder build speed. Prints figures only.

    python benchmarks/region_bench.py [--sizes 300,1000] [--runs 3] [--build 200] [--jobs 2]
                                      [--in-place]

1. ``gdr-gen merge`` of N unit workbooks (whole process, wall time) for each N in --sizes,
   in one process (``--jobs 1``) and with --jobs worker processes (the command's default, 2):
   the cost per unit and the ratio to ``openpyxl.load_workbook(read_only=True)`` of the same
   files reading every row of every sheet, also in one whole process (the least a merge
   through openpyxl would do; target ≤ 0.6, ≤ 5 ms per unit). The two alternate, --runs
   times each; medians are printed with the range.
2. Peak memory (max RSS) of ``gdr-gen merge`` for each N: flat if the merge streams.
3. ``gdr-gen build DIR --jobs 2`` of M workbooks: time per report as a ratio to one single
   ``gdr-gen build FILE`` process (target ≤ 0.25); --build 0 skips it.

Commands run on a regular install in a fresh virtual environment (``regular_install.py``),
as in ``bench_build.py``; --in-place runs this checkout with the current interpreter instead.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def make_unit(i: int, year: int = 2022):  # type: ignore[no-untyped-def]
    """A consistent random unit (passes every table rule)."""
    from gdr_gen.model import Report

    rng = random.Random(i)
    r = Report.blank(f"巫山县第{i + 1:03d}单位", year, agency_kind="department")
    spec = r.spec
    results = [row.key for row in spec.result_rows]
    for col in range(len(spec.applicant_columns)):
        new, over = rng.randint(0, 40), rng.randint(0, 4)
        forward = rng.randint(0, new)
        r.requests.rows["new"].values[col] = new
        r.requests.rows["carried_over"].values[col] = over
        r.requests.rows["carried_forward"].values[col] = forward
        for _ in range(new + over - forward):
            r.requests.rows[rng.choice(results)].values[col] += 1
    for row in r.appeals.rows.values():
        row.values = [rng.randint(0, 3) for _ in row.values]
    nd = r.proactive.docs["normative_documents"]
    nd.issued = rng.randint(0, 20)
    nd.repealed = rng.randint(0, nd.issued)
    nd.in_force = nd.issued - nd.repealed + rng.randint(0, 80)
    for key in r.proactive.decisions:
        r.proactive.decisions[key] = rng.randint(0, 5000)
    r.proactive.money["fees"] = Decimal(rng.randint(0, 999999)) / 100
    r.narrative.overview.intro = "本单位认真贯彻落实《中华人民共和国政府信息公开条例》。"
    r.narrative.problems.intro = "存在的问题：公开的及时性有待提高。改进情况：加强培训。"
    r.narrative.other.intro = "本年度未收取信息处理费。"
    return r


def _write(args: tuple[int, str]) -> None:
    from gdr_gen.writers.xlsx_writer import write_workbook

    i, folder = args
    write_workbook(make_unit(i), Path(folder) / f"unit{i:04d}.xlsx")


def generate(folder: Path, n: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        list(pool.map(_write, [(i, str(folder)) for i in range(n)], chunksize=16))
    return sorted(folder.glob("*.xlsx"))


def run_measured(cmd: list[str]) -> tuple[float, int, int]:
    """(wall seconds, max RSS in MB, exit code) of ``cmd`` in its own child process."""
    probe = (
        "import resource, subprocess, sys, time;"
        "t = time.perf_counter();"
        "rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode;"
        "w = time.perf_counter() - t;"
        "print(w, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, rc)"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, *cmd], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout.split()
    return float(out[0]), int(out[1]) // 1024, int(out[2])


PYTHON = [sys.executable]
GDR = [sys.executable, "-m", "gdr_gen"]

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


def gdr(*args: str) -> list[str]:
    return [*GDR, *args]


def merge_figures(folder: Path, out: Path, runs: int, jobs: int) -> None:
    """Merge of every file in ``folder`` against openpyxl reading them all, alternating; the
    merge in one process (``-j 1``) and with ``jobs`` worker processes (the default is 2)."""
    n = len(list(folder.glob("*.xlsx")))
    variants = [1] + ([jobs] if jobs > 1 else [])
    merge_cmds = {
        j: gdr("merge", str(folder), "-o", str(out), "--agency", "巫山县人民政府",
               "--year", "2022", "--force", "--jobs", str(j))
        for j in variants
    }  # fmt: skip
    read_cmd = [*PYTHON, "-c", READ_ALL, str(folder)]
    merges: dict[int, list[float]] = {j: [] for j in variants}
    rss: dict[int, list[int]] = {j: [] for j in variants}
    reads: list[float] = []
    for _ in range(runs):
        for j, cmd in merge_cmds.items():
            wall, peak, rc = run_measured(cmd)
            assert rc == 0, "merge failed"
            merges[j].append(wall)
            rss[j].append(peak)
        wall, _, rc = run_measured(read_cmd)
        assert rc == 0, "openpyxl read failed"
        reads.append(wall)
    r = statistics.median(reads)
    print(f"\nN = {n}: openpyxl read-only, every row, same files: {r:.2f} s "
          f"(range {min(reads):.2f}–{max(reads):.2f}), {r / n * 1000:.1f} ms per file")  # fmt: skip
    for j in variants:
        m = statistics.median(merges[j])
        rounds = [a / b for a, b in zip(merges[j], reads, strict=True)]
        how = "one process" if j == 1 else f"{j} worker processes"
        print(f"  merge --jobs {j} ({how}): {m:.2f} s (range {min(merges[j]):.2f}–"
              f"{max(merges[j]):.2f}), {m / n * 1000:.1f} ms per unit (target <= 5); "
              f"max RSS {max(rss[j])} MB (largest process)")  # fmt: skip
        print(f"    ratio merge / openpyxl = {m / r:.2f} (per run {min(rounds):.2f}–"
              f"{max(rounds):.2f}; target <= 0.6)   load average {os.getloadavg()[0]:.2f}")  # fmt: skip


def main() -> None:
    global PYTHON, GDR
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", default="300,1000", help="numbers of units to merge")
    ap.add_argument("--runs", type=int, default=3, help="merge / openpyxl runs per size")
    ap.add_argument(
        "--build", type=int, default=200, help="workbooks in the folder build (0: skip)"
    )
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--single-runs", type=int, default=5)
    ap.add_argument("--in-place", action="store_true", help="run this checkout, no install")
    a = ap.parse_args()
    sizes = sorted(int(x) for x in a.sizes.split(",") if x.strip())

    tmp = Path(tempfile.mkdtemp(prefix="gdr-region-bench-"))
    try:
        if not a.in_place:
            from regular_install import regular_install

            python, script = regular_install(tmp)
            PYTHON, GDR = [str(python)], [str(script)]
        t = time.perf_counter()
        units = max([*sizes, a.build, a.single_runs])
        big = generate(tmp / "all", units)
        print(f"generated {units} unit workbooks in {time.perf_counter() - t:.1f} s")

        # ---- merge vs openpyxl read-only, at each size
        for n in sizes:
            folder = tmp / f"n{n}"
            folder.mkdir()
            for f in big[:n]:
                shutil.copy(f, folder / f.name)
            merge_figures(folder, tmp / f"region{n}.xlsx", a.runs, a.jobs)

        # ---- build: folder with --jobs vs single processes
        if a.build:
            build_dir = tmp / "build"
            build_dir.mkdir()
            for f in big[: a.build]:
                shutil.copy(f, build_dir / f.name)
            singles = []
            for i in range(a.single_runs):
                one = tmp / f"one{i}"
                one.mkdir()
                shutil.copy(big[i], one / big[i].name)
                w, _, rc = run_measured(gdr("build", str(one / big[i].name)))
                assert rc == 0, "single build failed"
                singles.append(w)
            single = statistics.median(singles)
            wall_b, rss_b, rc = run_measured(
                gdr("build", str(build_dir), "-o", str(tmp / "out"), "--jobs", str(a.jobs))
            )
            assert rc == 0, "folder build failed"
            n_out = len(list((tmp / "out").glob("*.docx")))
            per = wall_b / a.build
            print(
                f"\nsingle `gdr-gen build FILE` process: {single:.2f} s (median of {a.single_runs})"
            )
            print(
                f"`gdr-gen build DIR --jobs {a.jobs}` of {a.build} workbooks: {wall_b:.1f} s, "
                f"{n_out} reports, {per * 1000:.0f} ms per report, max RSS {rss_b} MB"
            )
            print(f"ratio per report / single process = {per / single:.3f}   (target <= 0.25)")
        print(f"\nmachine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
