"""Print how long writing and reading the fill-in workbook takes, and how fast bombs are refused.

Run from the repository root:  python benchmarks/bench_workbook.py
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gdr_gen.errors import InputError  # noqa: E402
from gdr_gen.readers import load_report  # noqa: E402
from gdr_gen.readers.xlsx_reader import read_workbook  # noqa: E402
from gdr_gen.writers.xlsx_writer import workbook_bytes  # noqa: E402


def timed(label: str, n: int, func) -> None:
    start = time.perf_counter()
    for _ in range(n):
        func()
    per = (time.perf_counter() - start) / n
    print(f"{label:<40} {per * 1000:8.1f} ms")


def main() -> None:
    report = load_report(ROOT / "sample_inputs" / "巫山县2022.json").report
    with tempfile.TemporaryDirectory() as tmp:
        book = Path(tmp) / "book.xlsx"
        book.write_bytes(workbook_bytes(report))
        timed("write workbook (bytes)", 10, lambda: workbook_bytes(report))
        timed("read + verify workbook", 10, lambda: read_workbook(book))
        bomb = Path(tmp) / "bomb.xlsx"
        with zipfile.ZipFile(book) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
            for name in src.namelist():
                z.writestr(name, src.read(name))
            with z.open("xl/media/pad.bin", "w", force_zip64=True) as fh:
                chunk = b"\0" * (16 * 1024 * 1024)
                for _ in range(64):  # 1 GiB of zeros, about 1 MB compressed
                    fh.write(chunk)

        def refuse() -> None:
            try:
                read_workbook(bomb)
            except InputError:
                return
            raise AssertionError("bomb was read")

        timed(f"refuse 1 GiB zip bomb ({bomb.stat().st_size // 1024} KB file)", 10, refuse)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"{'peak RSS of this process':<40} {peak / 1024:8.1f} MB")


if __name__ == "__main__":
    main()
