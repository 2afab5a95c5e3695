"""Atomic file output: write a temporary file beside the target, then replace it.

A crash or a locked target never leaves a half-written file, and the old file survives.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from ..errors import FileLockedError, OutputError


def office_lock_files(target: Path) -> list[Path]:
    """Lock files Word/WPS (``~$name``) and LibreOffice (``.~lock.name#``) leave beside a file."""
    name = target.name
    candidates = [
        target.with_name("~$" + name),
        target.with_name(".~lock." + name + "#"),
    ]
    if len(name) > 2:  # Word replaces the first two characters of longer names
        candidates.append(target.with_name("~$" + name[2:]))
    return [c for c in candidates if _exists(c)]


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except OSError:  # a name too long for the file system: no such lock file
        return False


def ensure_writable(target: Path) -> None:
    if office_lock_files(target):
        raise FileLockedError(target)
    try:
        is_dir, parent_exists = target.is_dir(), target.parent.exists()
    except OSError as exc:  # e.g. a file name too long for the file system
        raise OutputError(target, exc.strerror or str(exc)) from None
    if is_dir:
        raise OutputError(target, "这是一个文件夹")
    if not parent_exists:
        raise OutputError(target, f"文件夹 {target.parent} 不存在")


def write_atomic(target: str | Path, writer: Callable[[Path], None]) -> Path:
    """Call ``writer(tmp_path)`` to produce the file, then move it over ``target``."""
    out = Path(target)
    ensure_writable(out)
    fd, tmp_name = tempfile.mkstemp(prefix=".gdr-", suffix=out.suffix + ".tmp", dir=out.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        writer(tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    except PermissionError:
        raise FileLockedError(out) from None
    except OSError as exc:
        raise OutputError(out, exc.strerror or str(exc)) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return out


def write_bytes_atomic(target: str | Path, data: bytes) -> Path:
    def write(tmp: Path) -> None:
        tmp.write_bytes(data)

    return write_atomic(target, write)
