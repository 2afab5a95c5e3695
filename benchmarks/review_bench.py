"""The region review: speed against single checks, and memory at two sizes. Prints figures.

    python benchmarks/review_bench.py [--units 200] [--small 50] [--singles 10] [--jobs 2]

1. ``gdr-gen check FOLDER --previous LAST_YEAR -o 审核结果.xlsx --jobs 2`` of N units
   (whole process, wall time) as a ratio to N single ``gdr-gen check FILE --previous FILE``
   processes (median of ``--singles`` runs × N). Target ≤ 0.15.
2. Peak memory (max RSS of the largest process: the main one or a worker) of the review for
   the small and the large N: flat if the review streams.

The region is the one the tests use (tests/review_units.py): JSON units, four workbooks,
20 broken units, last year's folder.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

# Runs a command and prints its wall time and the peak RSS of its process tree's largest
# member (RUSAGE_CHILDREN covers every waited-for descendant, the pool's workers included).
_MEASURE = """
import json, resource, subprocess, sys, time
t = time.perf_counter()
rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
wall = time.perf_counter() - t
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"rc": rc, "wall": wall, "rss_mb": rss / 1024}))
"""


def measure(args: list[str]) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", _MEASURE, *args], capture_output=True, text=True, check=True
    )
    result: dict[str, float] = json.loads(out.stdout)
    return result


def gdr(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "gdr_gen", *(str(a) for a in args)]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--units", type=int, default=200)
    ap.add_argument("--small", type=int, default=50)
    ap.add_argument("--singles", type=int, default=10)
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()

    from review_units import file_name, write_region

    with tempfile.TemporaryDirectory(prefix="gdr-review-bench-") as tmp:
        big = write_region(Path(tmp) / "big", args.units)
        small = write_region(Path(tmp) / "small", args.small)

        # single checks: a spread of units (JSON and workbook), each with its previous report
        picks = [i for i in range(0, args.units, max(1, args.units // args.singles))]
        singles = []
        for i in picks[: args.singles]:
            unit = big.folder / file_name(i)
            prev = big.previous / f"{i:03d}.json"
            cmd = gdr("check", unit) + (["--previous", str(prev)] if prev.exists() else [])
            singles.append(measure(cmd)["wall"])
        single = statistics.median(singles)

        runs = {}
        for name, region in (("small", small), ("big", big)):
            out = Path(tmp) / f"审核结果-{name}.xlsx"
            cmd = gdr(
                "check",
                region.folder,
                "--previous",
                region.previous,
                "-o",
                out,
                "--jobs",
                str(args.jobs),
            )
            runs[name] = measure(cmd)
            assert runs[name]["rc"] == 1, runs[name]  # the broken units fail the review
            assert out.exists()

    n = args.units
    ratio = runs["big"]["wall"] / (n * single)
    print(f"single check (whole process, median of {len(singles)}): {single:.3f} s")
    print(
        f"review of {n} units (--jobs {args.jobs}, with --previous, -o .xlsx): "
        f"{runs['big']['wall']:.2f} s = {runs['big']['wall'] / n * 1000:.0f} ms per unit"
    )
    print(f"ratio review / ({n} × single check): {ratio:.3f} (target ≤ 0.15)")
    print(
        f"peak RSS: {args.small} units {runs['small']['rss_mb']:.0f} MB, "
        f"{n} units {runs['big']['rss_mb']:.0f} MB "
        f"(review of {args.small} units took {runs['small']['wall']:.2f} s)"
    )


if __name__ == "__main__":
    main()
