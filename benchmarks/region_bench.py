"""Region-wide figures: merge speed and memory, folder build speed. Prints figures only.

    python benchmarks/region_bench.py [--units 500] [--small 100] [--build 200] [--jobs 2]

1. ``gdr-gen merge`` of N unit workbooks (whole process, wall time) as a ratio to merely
   opening the same N files with ``openpyxl.load_workbook`` in this process (target ≤ 1.0).
2. Peak memory (max RSS) of ``gdr-gen merge`` for the small and the large N: flat if the
   merge streams.
3. ``gdr-gen build DIR --jobs 2`` of M workbooks: time per report as a ratio to one single
   ``gdr-gen build FILE`` process (target ≤ 0.25).
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


def gdr(*args: str) -> list[str]:
    return [sys.executable, "-m", "gdr_gen", *args]


def open_all_openpyxl(files: list[Path]) -> float:
    import openpyxl

    t = time.perf_counter()
    for f in files:
        wb = openpyxl.load_workbook(f)
        wb.close()
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--units", type=int, default=500)
    ap.add_argument("--small", type=int, default=100)
    ap.add_argument("--build", type=int, default=200)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--single-runs", type=int, default=5)
    a = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="gdr-region-bench-"))
    try:
        t = time.perf_counter()
        big = generate(tmp / "big", a.units)
        small_dir = tmp / "small"
        small_dir.mkdir()
        for f in big[: a.small]:
            shutil.copy(f, small_dir / f.name)
        print(f"generated {a.units} unit workbooks in {time.perf_counter() - t:.1f} s")

        # ---- merge vs openpyxl.load_workbook
        opened = open_all_openpyxl(big)
        wall, rss_big, rc = run_measured(
            gdr(
                "merge",
                str(tmp / "big"),
                "-o",
                str(tmp / "region.xlsx"),
                "--agency",
                "巫山县人民政府",
                "--year",
                "2022",
            )
        )
        assert rc == 0, "merge failed"
        print(f"\nmerge of {a.units} workbooks (whole gdr-gen process): {wall:.2f} s")
        print(f"openpyxl.load_workbook of the same {a.units} files (in-process): {opened:.2f} s")
        print(f"ratio merge / load_workbook = {wall / opened:.3f}   (target <= 1.0)")

        wall_s, rss_small, rc = run_measured(
            gdr(
                "merge",
                str(small_dir),
                "-o",
                str(tmp / "region_small.xlsx"),
                "--agency",
                "巫山县人民政府",
                "--year",
                "2022",
            )
        )
        assert rc == 0
        print(
            f"\npeak memory (max RSS) of merge: N={a.small}: {rss_small} MB "
            f"({wall_s:.2f} s); N={a.units}: {rss_big} MB "
            f"(growth {rss_big - rss_small:+d} MB for {a.units - a.small} more units)"
        )

        # ---- build: folder with --jobs vs single processes
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
        print(f"\nsingle `gdr-gen build FILE` process: {single:.2f} s (median of {a.single_runs})")
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
