"""Render docs/review-workbook.png: the 汇总 sheet of a review workbook, through LibreOffice.

    python docs/make_review_picture.py

A small generated region (tests/review_units.py: 24 units, three of them broken, last year's
folder beside it) is reviewed; the review workbook is converted to PDF by LibreOffice and the
first page rendered with pdftoppm.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))


def main() -> None:
    from helpers.libreoffice import convert
    from review_units import write_region

    from gdr_gen.commands.review import write_review
    from gdr_gen.review import review_folder

    with tempfile.TemporaryDirectory(prefix="gdr-review-png-") as tmp:
        region = write_region(Path(tmp) / "units", 24)
        result = review_folder(region.folder, previous=region.previous, jobs=2)
        book = Path(tmp) / "out" / "审核结果.xlsx"
        book.parent.mkdir()
        write_review(result, book)
        pdf = convert(book, Path(tmp) / "pdf", "pdf")
        out = ROOT / "docs" / "review-workbook"
        subprocess.run(
            [
                *("pdftoppm", "-f", "1", "-l", "1", "-r", "100", "-png", "-singlefile"),
                *("-x", "33", "-y", "50", "-W", "1110", "-H", "390"),
                *(str(pdf), str(out)),
            ],
            check=True,
        )
        png = out.with_suffix(".png")
        print(f"{png} {png.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
