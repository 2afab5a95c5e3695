"""Readers: every input (JSON data, workbook) becomes a :class:`LoadResult` around one Report."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import field
from pathlib import Path

from ..errors import InputError
from ..findings import Finding, Locator
from ..formats import ValuePath
from ..model import Report
from ..records import record

# A number people type before a subsection title (（一）, 一、, 1.): the report numbers
# subsections itself, so a typed one would print twice.
TITLE_NUMBER = re.compile(
    r"^\s*(?:[（(]\s*(?:[一二三四五六七八九十]{1,3}|\d{1,2})\s*[）)]|[一二三四五六七八九十]{1,3}\s*、"
    r"|\d{1,2}\s*[.、．])\s*"
)
# what office programs leave next to an open workbook: ~$book.xlsx, .~lock.book.xlsx#
OFFICE_LOCK_PREFIXES = ("~$", ".~lock.")


@record
class LoadResult:
    """A report as read, with what the reader found wrong and where values came from."""

    report: Report
    findings: list[Finding] = field(default_factory=list)
    invalid: set[ValuePath] = field(default_factory=set)
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


def check_input_file(path: Path, *, max_bytes: int | None = None) -> bytes:
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


def load_report(path: str | Path, *, agency_kind: str | None = None) -> LoadResult:
    """Read a report from any file a registered reader takes (see :mod:`.registry`).

    ``agency_kind`` overrides what a published report's title suggests (人民政府/管委会 →
    government, otherwise department); the data formats (workbook, JSON) state it themselves.
    """
    from .registry import reader_for

    p = Path(path)
    if p.is_dir():
        raise InputError(p, "这是一个文件夹，不是文件")
    for prefix in OFFICE_LOCK_PREFIXES:
        if p.name.startswith(prefix) and len(p.name) > len(prefix):
            raise InputError(
                p,
                "这是 Excel、WPS 或 LibreOffice 打开工作簿时生成的临时锁文件，不是工作簿",
                hint=f"请选择工作簿本身，而不是文件名以“{prefix}”开头的文件。",
            )
    spec = reader_for(p)
    if agency_kind is None:
        return spec.loader()(p)
    if not spec.published:
        raise InputError(
            p,
            f"{spec.label}自己写明了机关类型，不能用 --agency-kind 改变",
            hint="请在工作簿“基本信息”或 JSON 的 agency_kind 中修改。",
        )
    return spec.loader()(p, agency_kind=agency_kind)  # type: ignore[call-arg]
