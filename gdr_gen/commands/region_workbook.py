"""The region workbook: the fill-in template with the sums, plus a sheet of the units."""

from __future__ import annotations

from pathlib import Path

from ..errors import OutputError
from ..region import MergeResult


def write_region_workbook(result: MergeResult, output: Path) -> Path:
    raise OutputError(output, "暂不支持写出工作簿，请先保存为 .json")
