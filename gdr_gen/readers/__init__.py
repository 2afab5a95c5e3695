"""Readers: every input (JSON data, workbook) becomes a :class:`LoadResult` around one Report."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import Any

from ..checks.engine import Finding, Locator
from ..errors import InputError
from ..formats import Path
from ..model import Report

JSON_SUFFIXES = {".json"}

# A number people type before a subsection title (（一）, 一、, 1.): the report numbers
# subsections itself, so a typed one would print twice.
TITLE_NUMBER = re.compile(
    r"^\s*(?:[（(]\s*(?:[一二三四五六七八九十]{1,3}|\d{1,2})\s*[）)]|[一二三四五六七八九十]{1,3}\s*、"
    r"|\d{1,2}\s*[.、．])\s*"
)
XLSX_SUFFIXES = {".xlsx", ".xlsm"}
# spreadsheets gdr-gen does not read, but that a save-as turns into .xlsx
OTHER_SHEET_SUFFIXES = {".xls", ".et", ".ods", ".csv", ".xlsb", ".numbers"}
# what office programs leave next to an open workbook: ~$book.xlsx, .~lock.book.xlsx#
OFFICE_LOCK_PREFIXES = ("~$", ".~lock.")


@dataclass
class LoadResult:
    """A report as read, with what the reader found wrong and where values came from."""

    report: Report
    findings: list[Finding] = field(default_factory=list)
    invalid: set[Path] = field(default_factory=set)
    locator: Locator = field(default_factory=Locator)
    source: str = ""

    def check(
        self, *, previous: LoadResult | None = None, only: Iterable[str] | None = None
    ) -> list[Finding]:
        """Every rule over this report, the reader's own findings merged in, locations named
        the way this input names them (``表三!D6`` or ``requests.new[0]``)."""
        from ..checks import run_checks

        return run_checks(
            self.report,
            locator=self.locator,
            invalid=self.invalid,
            findings=self.findings,
            previous=previous.report if previous else None,
            previous_locator=previous.locator if previous else None,
            only=only,
        )


def check_input_file(path: FsPath, *, max_bytes: int | None = None) -> bytes:
    """Read an input file's bytes, turning every OS problem into a Chinese InputError."""
    if not path.exists():
        raise InputError(path, "文件不存在", hint="请检查文件名和所在文件夹。")
    if path.is_dir():
        raise InputError(path, "这是一个文件夹，不是文件")
    try:
        size = path.stat().st_size
        if size == 0:
            raise InputError(path, "文件是空的（0 字节）")
        if max_bytes is not None and size > max_bytes:
            raise InputError(path, f"文件过大（{size // 1024 // 1024} MB），不像是年报数据")
        return path.read_bytes()
    except PermissionError:
        raise InputError(path, "没有读取权限，或文件被其他程序独占打开") from None
    except OSError as exc:
        raise InputError(path, f"读取失败（{exc.strerror or exc}）") from None


# Published reports (web pages, Word, PDF, text): minimal dispatch by suffix, to be replaced by
# the reader registry (gdr_gen/readers/registry.py) which registers these same modules.
PUBLISHED_READERS = ("html_reader", "docx_reader", "pdf_reader", "text_reader")


def _published_reader(p: FsPath, suffix: str) -> Any:
    import importlib

    for name in PUBLISHED_READERS:
        module = importlib.import_module(f".{name}", __name__)
        if suffix in module.SUFFIXES:
            return module
    return None


def load_report(path: str | FsPath, *, agency_kind: str | None = None) -> LoadResult:
    """Read a report from a JSON data file, a fill-in workbook or a published report (web
    page, Word, PDF, text), by its suffix. ``agency_kind`` overrides what a published
    report's title suggests (人民政府/管委会 → government, otherwise department)."""
    p = FsPath(path)
    if p.is_dir():
        raise InputError(p, "这是一个文件夹，不是文件")
    suffix = p.suffix.lower()
    for prefix in OFFICE_LOCK_PREFIXES:
        if p.name.startswith(prefix) and len(p.name) > len(prefix):
            raise InputError(
                p,
                "这是 Excel、WPS 或 LibreOffice 打开工作簿时生成的临时锁文件，不是工作簿",
                hint=f"请选择工作簿本身，而不是文件名以“{prefix}”开头的文件。",
            )
    if suffix in JSON_SUFFIXES:
        from .json_reader import read_json

        return read_json(p)
    if suffix in XLSX_SUFFIXES:
        # python-calamine reads the values (about 5x faster than openpyxl); unusual files
        # fall back to openpyxl inside. tests/test_calamine_source.py proves both give
        # identical results.
        from .calamine_source import read_workbook_fast

        return read_workbook_fast(p)
    published = _published_reader(p, suffix)
    if published is not None:
        return published.read(p, agency_kind=agency_kind)
    if not p.exists():
        raise InputError(p, "文件不存在", hint="请检查文件名和所在文件夹。")
    hint = "请提供填报工作簿（.xlsx）或 JSON 数据文件（.json）。"
    if suffix in OTHER_SHEET_SUFFIXES:
        hint = (
            "请在 Excel、WPS 或 LibreOffice 中用“另存为”保存为 Excel 工作簿（*.xlsx）后再试；"
            "填报工作簿请用 gdr-gen init 生成。"
        )
    raise InputError(p, f"不支持的文件类型“{p.suffix or '无扩展名'}”", hint=hint)
