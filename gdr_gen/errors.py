"""One exception hierarchy; ``gdr_gen.cli`` maps it to messages and exit codes in one place.

Exit codes: 0 clean, 1 problems found (findings), 2 could not run.
Every message is Chinese and meant for the staff member at the keyboard.
"""

from __future__ import annotations

from pathlib import Path

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_FAILED = 2


class GdrError(Exception):
    """Base of every error gdr-gen reports to a person."""

    exit_code = EXIT_FAILED

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message}\n{self.hint}"


class InputError(GdrError):
    """An input file cannot be read at all (missing, wrong kind, damaged)."""

    def __init__(self, path: str | Path, reason: str, *, hint: str | None = None) -> None:
        super().__init__(f"无法读取 {path}：{reason}", hint=hint)
        self.path = str(path)
        self.reason = reason


class NotAReportError(InputError):
    """The file reads fine but is not a report at all (a notice, a 公开指南, a news page).

    Named on the command line it is an error like any unreadable input; found in a folder
    of units (``merge``, ``check FOLDER``) it is skipped and listed with its reason.
    """


class UnsupportedFormatError(GdrError):
    def __init__(self, version: object, known: list[str]) -> None:
        super().__init__(
            f"不支持的报告格式版本 {version!r}；目前支持：{'、'.join(known)}"
            "（2021 即国办公开办函〔2021〕30号）"
        )
        self.version = version


class OutputError(GdrError):
    """An output file cannot be written."""

    def __init__(self, path: str | Path, reason: str, *, hint: str | None = None) -> None:
        super().__init__(f"无法写入 {path}：{reason}", hint=hint)
        self.path = str(path)


class FileLockedError(OutputError):
    """The target is open in Word/WPS (Windows PermissionError or an office lock file)."""

    def __init__(self, path: str | Path) -> None:
        super().__init__(
            path,
            "文件正在被 Word、WPS 或其他程序打开",
            hint="请先关闭该文件，再重新运行；原有文件未被改动。",
        )


class OutputExistsError(OutputError):
    def __init__(self, path: str | Path) -> None:
        super().__init__(path, "文件已存在", hint="如需覆盖，请加上 --force。")


class TemplateError(GdrError):
    """A user-supplied Word or Jinja template is broken."""


class UnsafeTemplateError(TemplateError):
    """A template tag tried something Jinja's sandbox forbids (Python internals, commands)."""


class ExternalToolError(GdrError):
    """A helper program (LibreOffice, Chromium) is missing or failed."""


class ProblemsFound(GdrError):
    """Checks found errors (or warnings under --strict); the findings were already shown."""

    exit_code = EXIT_PROBLEMS
