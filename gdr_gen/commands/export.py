"""``gdr-gen export``: a workbook (or JSON) as the JSON data format."""

from __future__ import annotations

from dataclasses import field
from pathlib import Path

from .. import api
from ..errors import OutputError, OutputExistsError
from ..findings import Finding, Severity
from ..readers import LoadResult
from ..records import record

STDOUT = "-"


@record
class ExportResult:
    loaded: LoadResult
    output: Path | None  # None: the text went to the caller (stdout)
    text: str
    written: bool
    blocking: list[Finding] = field(default_factory=list)


def export_json(
    book: str | Path,
    output: str | Path | None = None,
    *,
    force: bool = False,
    ascii_only: bool = False,
    agency_kind: str | None = None,
) -> ExportResult:
    """Read ``book`` and write its data as JSON to ``output`` (default: beside it, .json).

    ``output`` "-" returns the text without writing a file. Values the reader could not
    use (errors at cells) would be exported as 0, so then nothing is written and
    ``blocking`` lists them. ``ascii_only``: the returned text (for stdout) escapes
    non-ASCII characters; a file is always UTF-8.
    """
    from ..writers.json_writer import dumps, write_json

    src = Path(book)
    to_stdout = output is not None and str(output) == STDOUT
    out = None if to_stdout else Path(output) if output is not None else src.with_suffix(".json")
    if output is not None and not to_stdout:
        from .build import is_folder_argument, prepare_folder

        if is_folder_argument(output) or Path(output).is_dir():  # -o 导出/: the file inside
            prepare_folder(output)
            out = Path(str(output).rstrip("/\\") or "/") / src.with_suffix(".json").name
    if out is not None:
        if out.exists() and src.exists() and out.samefile(src):
            raise OutputError(out, "输出文件就是输入文件", hint="请用 -o 另选一个输出文件名。")
        if out.exists() and not force and not out.is_dir():
            raise OutputExistsError(out)
    loaded = api.read(src, agency_kind=agency_kind)
    errors = [f for f in loaded.findings if f.severity is Severity.ERROR]
    text = dumps(loaded.report, ascii_only=ascii_only and out is None)
    if errors:
        return ExportResult(loaded, out, text, False, errors)
    if out is not None:
        write_json(loaded.report, out)
    return ExportResult(loaded, out, text, out is not None)
