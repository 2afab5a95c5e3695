"""Atomic file output: write a temporary file beside the target, then replace it.

A crash or a locked target never leaves a half-written file, and the old file survives.
This is the one place outputs are written, so every file-system failure is named here, in
Chinese, for what it is (read-only file or folder, disk full, name too long, missing folder,
a folder where the file should go); the CLI turns them into exit code 2.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

from ..errors import FileLockedError, OutputError

# Windows' classic limits, which Word, WPS and Explorer still keep to: 260 characters for
# the whole path (MAX_PATH, including the drive and the terminating NUL), 255 per name.
MAX_PATH = 260
MAX_NAME = 255

_READ_ONLY_FILE_HINT = "请在该文件上点右键→“属性”，取消勾选“只读”后重新运行；或用 -o 另存为其他文件名。原有文件未被改动。"
_FOLDER_DENIED_HINT = (
    "请换一个有写入权限的文件夹（例如“文档”或桌面），用 -o 指定；或请管理员开通权限。"
)


def office_lock_files(target: Path) -> list[Path]:
    """Lock files Word/WPS (``~$name``) and LibreOffice (``.~lock.name#``) leave beside a file."""
    name = target.name
    candidates = [
        target.with_name("~$" + name),
        target.with_name(".~lock." + name + "#"),
    ]
    if len(name) > 2:  # Word replaces the first two characters of longer names
        candidates.append(target.with_name("~$" + name[2:]))
    found = []
    for c in candidates:
        with contextlib.suppress(OSError):  # a lock name too long for the system: no lock
            if c.exists():
                found.append(c)
    return found


def name_too_long(target: Path) -> str | None:
    """Why ``target``'s name or path is too long for Windows or this system, or None."""
    name = target.name
    # Linux counts bytes per name; Windows counts UTF-16 code units
    if len(name.encode("utf-8")) > MAX_NAME or len(name.encode("utf-16-le")) // 2 > MAX_NAME:
        return f"文件名太长（{len(name)} 个字符）"
    return None


def _is_read_only(path: Path) -> bool:
    """The file's own read-only mark (Windows' 只读 attribute; no write bit on POSIX)."""
    try:
        return not (path.stat().st_mode & stat.S_IWUSR)
    except OSError:
        return False


def ensure_writable(target: Path) -> None:
    """Raise the precise OutputError when ``target`` clearly cannot be written."""
    too_long = name_too_long(target)
    if too_long:
        raise OutputError(target, too_long, hint="请用 -o 指定一个较短的文件名。")
    if office_lock_files(target):
        raise FileLockedError(target)
    try:
        target.exists()
    except OSError as exc:  # e.g. the whole path too long for the system
        raise describe_os_error(target, exc) from None
    if target.is_dir():
        raise OutputError(
            target,
            "这是一个文件夹，不是文件",
            hint="请用 -o 给出文件名，例如 -o 年报.docx；或在文件夹名后加 / 表示放进该文件夹。",
        )
    parent = target.parent
    if not parent.exists():
        raise OutputError(
            target, f"文件夹 {parent} 不存在", hint="请先建好该文件夹，或检查路径是否写错。"
        )
    if not parent.is_dir():
        raise OutputError(target, f"{parent} 是一个文件，不是文件夹")
    if target.exists() and _is_read_only(target):
        raise OutputError(target, "文件是只读的", hint=_READ_ONLY_FILE_HINT)


def describe_os_error(target: Path, exc: OSError, *, replacing: bool = False) -> OutputError:
    """The OutputError for ``exc``, raised while writing ``target`` (a temporary file beside
    it, or, with ``replacing``, moving it over the target)."""
    code = exc.errno
    winerror = getattr(exc, "winerror", None)
    if winerror in (32, 33):  # sharing / lock violation: open in Word, WPS, a viewer
        return FileLockedError(target)
    if code == errno.ENOSPC or winerror in (39, 112):
        return OutputError(
            target,
            "磁盘空间不足",
            hint="请清理磁盘或换一个磁盘/文件夹（-o）后重新运行；原有文件未被改动，没有留下不完整的文件。",
        )
    if code == getattr(errno, "EDQUOT", -1):
        return OutputError(target, "超出磁盘配额", hint="请清理文件或联系管理员。")
    if code == errno.ENAMETOOLONG or winerror == 206:
        return OutputError(target, "文件名或路径太长", hint="请用 -o 指定较短的文件名或文件夹。")
    if code == errno.EROFS:
        return OutputError(
            target, "所在磁盘是只读的（如写保护的U盘、光盘）", hint=_FOLDER_DENIED_HINT
        )
    if code in (errno.EACCES, errno.EPERM):
        if replacing and target.exists() and _is_read_only(target):
            return OutputError(target, "文件是只读的", hint=_READ_ONLY_FILE_HINT)
        if replacing and target.exists():
            # Windows refuses to replace a file Word or WPS holds open (access denied)
            return FileLockedError(target)
        return OutputError(
            target, f"没有在文件夹 {target.parent} 中写入文件的权限", hint=_FOLDER_DENIED_HINT
        )
    if code == errno.ENOENT:
        return OutputError(target, f"文件夹 {target.parent} 不存在")
    if code == errno.EISDIR:
        return OutputError(target, "这是一个文件夹，不是文件")
    if code == errno.ENOTDIR:
        return OutputError(target, "路径中有一部分是文件，不是文件夹")
    return OutputError(target, exc.strerror or str(exc))


def write_atomic(target: str | Path, writer: Callable[[Path], None]) -> Path:
    """Call ``writer(tmp_path)`` to produce the file, then move it over ``target``."""
    out = Path(target)
    ensure_writable(out)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=".gdr-", suffix=out.suffix + ".tmp", dir=out.parent)
    except OSError as exc:
        raise describe_os_error(out, exc) from None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        try:
            writer(tmp)
            with open(tmp, "rb+") as fh:
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o644)
        except OSError as exc:
            raise describe_os_error(out, exc) from None
        try:
            os.replace(tmp, out)
        except OSError as exc:
            raise describe_os_error(out, exc, replacing=True) from None
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
    return out


def write_bytes_atomic(target: str | Path, data: bytes) -> Path:
    def write(tmp: Path) -> None:
        tmp.write_bytes(data)

    return write_atomic(target, write)
