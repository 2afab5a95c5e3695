"""Timings of reading published reports (issue 10; prints figures, not a test).

    python benchmarks/bench_import.py [--runs 7] [--python PY]

1. Whole process, medians of ``--runs`` fresh processes, interleaved:
   ``gdr-gen check 年报.html`` against ``gdr-gen check 工作簿.xlsx`` on the bundled sample
   (the page is what ``gdr-gen build`` writes from the same data).  Target ratio ≤ 1.5.
2. In process: importing a 10-page PDF (the sample with its prose repeated, built by
   ``gdr-gen build`` through LibreOffice; skipped without LibreOffice), and the real
   6-page ``tests/fixtures/published/huaian-shi-2024.pdf``.  Target < 1 s for 10 pages.

``--python`` runs the CLI with another interpreter, e.g. one from a regular
``pip install .`` in a temporary venv (the figures in the closing note were taken that way).
Every command first runs once unmeasured, so bytecode caches exist as after an install.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_inputs" / "巫山县2022.json"
WORKBOOK = ROOT / "sample_inputs" / "巫山县2022.xlsx"


def timed(
    rows: list[tuple[str, list[str]]], runs: int, env: dict[str, str], cwd: Path
) -> dict[str, float]:
    times: dict[str, list[float]] = {name: [] for name, _ in rows}
    for _name, cmd in rows:  # warm-up (bytecode caches)
        subprocess.run(cmd, cwd=cwd, env=env, capture_output=True)
    for _ in range(runs):
        for name, cmd in rows:
            start = time.perf_counter()
            subprocess.run(cmd, cwd=cwd, env=env, capture_output=True)
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(t) for name, t in times.items()}


def ten_page_pdf(tmp: Path) -> Path | None:
    from gdr_gen.writers.pdf import find_soffice

    if find_soffice() is None:
        return None
    data = json.loads(SAMPLE.read_text(encoding="utf-8"))
    for s in data["narrative"]["overview"]["sections"]:
        s["text"] = "\n".join([s["text"]] * 2)
    for s in data["narrative"]["problems"]["sections"]:
        s["text"] = "\n".join([s["text"]] * 3)
    src = tmp / "long.json"
    src.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = tmp / "long.pdf"
    subprocess.run(
        [sys.executable, "-m", "gdr_gen", "build", str(src), "-o", str(out)],
        cwd=ROOT,
        capture_output=True,
        check=True,
    )
    return out


def pages(path: Path) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        return len(pdf)
    finally:
        pdf.close()


def import_seconds(path: Path, runs: int) -> float:
    from gdr_gen.readers import load_report

    load_report(path)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        load_report(path)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--python", default=None, help="interpreter that has gdr-gen installed")
    args = parser.parse_args()
    runs = max(5, args.runs)
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        env = dict(os.environ, COLUMNS="120")
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        if args.python:
            py, cwd = args.python, tmp  # the installed package, not the checkout
        else:
            py, cwd = sys.executable, ROOT
            env["PYTHONPATH"] = str(ROOT)
            env["PYTHONPYCACHEPREFIX"] = str(tmp / "pycache")
        page = tmp / "年报.html"
        subprocess.run(
            [sys.executable, "-m", "gdr_gen", "build", str(SAMPLE), "-o", str(page)],
            cwd=ROOT,
            capture_output=True,
            check=True,
        )
        rows = [
            ("gdr-gen check 工作簿.xlsx", [py, "-m", "gdr_gen", "check", str(WORKBOOK)]),
            ("gdr-gen check 年报.html", [py, "-m", "gdr_gen", "check", str(page)]),
        ]
        t = timed(rows, runs, env, cwd)
        for name, sec in t.items():
            print(f"{name:32s} {sec * 1000:7.0f} ms (median of {runs})")
        ratio = t["gdr-gen check 年报.html"] / t["gdr-gen check 工作簿.xlsx"]
        print(f"ratio html/xlsx                  {ratio:7.2f}  (target ≤ 1.5)")
        print()
        long_pdf = ten_page_pdf(tmp)
        targets = [ROOT / "tests" / "fixtures" / "published" / "huaian-shi-2024.pdf"]
        if long_pdf is not None:
            targets.insert(0, long_pdf)
        else:
            print("（未找到 LibreOffice：跳过 10 页 PDF）")
        for path in targets:
            n = pages(path)
            sec = import_seconds(path, runs)
            print(
                f"import {path.name:28s} {n:3d} pages {sec * 1000:7.0f} ms"
                f"  ({sec / n * 10 * 1000:.0f} ms per 10 pages; target < 1000)"
            )


if __name__ == "__main__":
    main()
