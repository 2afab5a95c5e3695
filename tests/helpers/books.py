"""Building and editing workbooks inside tests."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_BOOK = ROOT / "sample_inputs" / "巫山县2022.xlsx"
FIXTURES = ROOT / "tests" / "fixtures"


def sample_book(tmp_path: Path, name: str = "book.xlsx") -> Path:
    """A private copy of the committed sample workbook."""
    out = tmp_path / name
    shutil.copyfile(SAMPLE_BOOK, out)
    return out


def edit(path: Path, change: Callable[[Any], None]) -> Path:
    """Open ``path`` with openpyxl, apply ``change(workbook)``, save it (as a person would)."""
    import openpyxl

    wb = openpyxl.load_workbook(path)
    change(wb)
    wb.save(path)
    return path


def set_cell(path: Path, sheet: str, ref: str, value: Any) -> Path:
    def change(wb: Any) -> None:
        wb[sheet][ref].value = value

    return edit(path, change)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
