"""``gdr-gen merge``: add up the units' workbooks / JSON files into a region report.

Units are read one at a time and dropped after their values are added (see
:mod:`gdr_gen.region`), so memory stays flat for hundreds of units. Workbooks are read with
the fast python-calamine value source when it is installed (same results as openpyxl).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .. import api
from ..errors import GdrError, InputError, OutputError, OutputExistsError
from ..model import AgencyKind
from ..readers import LoadResult
from ..region import MergeResult, RefusedUnit, RegionAccumulator, unit_name
from .batch import list_inputs

if TYPE_CHECKING:
    from rich.console import Console

OUTPUT_SUFFIXES = (".xlsx", ".json")


def expand_inputs(args: Sequence[Path], *, exclude: Sequence[Path] = ()) -> list[Path]:
    """Files as given, folders expanded to their workbooks and JSON files (sorted)."""
    out: list[Path] = []
    skip = {p.resolve() for p in exclude}
    for arg in args:
        if arg.is_dir():
            # a units folder often holds notices (通知.docx, 说明.txt): only data files are
            # taken from it; published reports can be named one by one
            out.extend(list_inputs(arg, exclude=exclude, published=False))
        elif arg.resolve() not in skip:
            out.append(arg)
    if not out:
        where = "、".join(str(a) for a in args)
        raise InputError(
            where or "（未指定）",
            "没有找到单位的填报工作簿（.xlsx）或 JSON 数据文件（.json）",
            hint="请指定各单位的文件，或存放它们的文件夹。",
        )
    return out


@dataclass
class MergeFilesResult:
    merge: MergeResult
    output: Path
    inputs: int


def check_output(output: str | Path, *, force: bool) -> None:
    from .build import is_folder_argument

    if is_folder_argument(output) or Path(output).is_dir():
        raise OutputError(
            output,
            "这是一个文件夹；汇总结果需要一个文件名",
            hint="例如：-o 汇总/全县汇总.xlsx（工作簿）或 -o 全县汇总.json。",
        )
    output = Path(output)
    suffix = output.suffix.lower()
    if suffix not in OUTPUT_SUFFIXES:
        raise OutputError(
            output,
            f"不支持的输出类型“{output.suffix or '无扩展名'}”",
            hint="汇总结果请保存为工作簿（.xlsx）或 JSON 数据文件（.json）。",
        )
    if output.is_dir():
        raise OutputError(
            output, "这是一个文件夹，不是文件", hint="请用 -o 给出文件名，例如 -o 汇总.xlsx。"
        )
    if output.exists() and not force:
        raise OutputExistsError(output)


def merge_files(
    inputs: Sequence[Path],
    *,
    output: Path,
    agency: str,
    year: int | None = None,
    agency_kind: AgencyKind = "government",
    force: bool = False,
    skip_invalid: bool = False,
    on_unit: Callable[[Path], None] | None = None,
    reader: Callable[[Path], LoadResult] = api.read,
) -> MergeFilesResult:
    """Merge the units in ``inputs`` (files or folders) and write the region to ``output``.

    Nothing is written when the merge is refused (see :mod:`gdr_gen.region`).
    """
    if not agency.strip():
        raise GdrError("请用 --agency 给出汇总机关的全称，例如：--agency 巫山县人民政府")
    check_output(output, force=force)
    files = expand_inputs(inputs, exclude=[output])
    acc = RegionAccumulator(agency=agency.strip(), year=year, agency_kind=agency_kind)
    for path in files:
        try:
            loaded = reader(path)
        except InputError as exc:
            acc.refuse(str(path), f"无法读取：{exc.reason}")
        except GdrError as exc:
            acc.refuse(str(path), exc.message)
        else:
            acc.add(loaded, str(path))
            del loaded
        if on_unit is not None:
            on_unit(path)
    result = acc.result(skip_invalid=skip_invalid)
    write_region(result, output, force=force)
    return MergeFilesResult(result, output, len(files))


def write_region(result: MergeResult, output: Path, *, force: bool = False) -> Path:
    """Write the region report: a workbook with the unit summary sheet, or JSON data."""
    if output.exists() and not force:
        raise OutputExistsError(output)
    if output.suffix.lower() == ".json":
        from ..writers.json_writer import write_json

        return write_json(result.report, output)
    from .region_workbook import write_region_workbook

    return write_region_workbook(result, output)


# ---------------------------------------------------------------- terminal output
def print_refused(refused: Sequence[RefusedUnit], out: Console) -> None:
    """Each refused unit with its findings (or why it could not be read)."""
    from .. import ui

    for unit in refused:
        name = unit_name(unit.source, unit.agency)
        out.print(f"[bold red]✗[/] {_esc(name)}：{_esc(unit.reason)}", highlight=False)
        if unit.findings:
            ui.print_findings(unit.findings, out, title_prefix=f"{name} ")


def print_merged(res: MergeFilesResult, out: Console) -> None:
    from .. import ui

    m = res.merge
    if m.refused:
        out.print(f"[yellow]以下 {len(m.refused)} 个单位未汇总（--skip-invalid）：[/]")
        for unit in m.refused:
            out.print(
                f"  - {_esc(unit_name(unit.source, unit.agency))}：{_esc(unit.first_problem)}",
                highlight=False,
            )
    if m.findings:
        ui.print_findings(m.findings, out, title_prefix="汇总结果 ")
    out.print(
        f"✓ 已汇总 {len(m.units)} 个单位 → {_esc(str(res.output))}"
        + ("（正文部分请汇总机关自行撰写）" if res.output.suffix.lower() == ".xlsx" else ""),
        highlight=False,
    )


def _esc(text: str) -> str:
    from rich.markup import escape

    return escape(text)
