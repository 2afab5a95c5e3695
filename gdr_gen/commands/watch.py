"""``gdr-gen watch``: rebuild the report every time the workbook (or data file) is saved.

The logic is in :class:`Watcher` (which changes matter, retrying a half-written file),
separate from watchfiles' loop in :func:`run_watch`, so it can be tested without waiting
for the file system.

- Office lock files (``~$name.xlsx`` from Word/Excel/WPS, ``.~lock.name#`` from
  LibreOffice) and our own temporary files are ignored.
- A file caught half-written (unreadable, empty, briefly missing while an editor replaces
  it) is retried a few times before the error is shown; watching goes on either way.
- Changes to the Word template or the sentence-template folder also trigger a rebuild.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import FileLockedError, GdrError, InputError
from ..records import record

if TYPE_CHECKING:
    import threading

    from .build import BuildResult

_IGNORED_NAMES = (
    re.compile(r"^~\$"),  # Word / Excel / WPS owner file
    re.compile(r"^\.~lock\..*#$"),  # LibreOffice lock file
    re.compile(r"^\.gdr-.*\.tmp$"),  # our own atomic-write temporary files
    re.compile(r"^~.*\.tmp$", re.IGNORECASE),  # Excel's temporary save files
)


def is_ignored(name: str) -> bool:
    return any(p.search(name) for p in _IGNORED_NAMES)


def _resolve(p: Path) -> Path:
    try:
        return p.resolve()
    except OSError:
        return p.absolute()


@record
class Watcher:
    """Decides whether a batch of changes needs a rebuild, and rebuilds with retries."""

    input_path: Path
    build: Callable[[], BuildResult]
    on_result: Callable[[BuildResult], None]
    on_error: Callable[[GdrError], None]
    template: Path | None = None
    template_dir: Path | None = None
    retries: int = 4
    retry_delay: float = 0.5
    sleep: Callable[[float], None] = time.sleep
    builds: int = field(default=0, init=False)

    def watch_dirs(self) -> list[Path]:
        """Folders to watch (a file replaced by rename is only seen through its folder)."""
        dirs = [_resolve(self.input_path).parent]
        if self.template is not None:
            dirs.append(_resolve(self.template).parent)
        if self.template_dir is not None:
            dirs.append(_resolve(self.template_dir))
        unique: list[Path] = []
        for d in dirs:
            if d not in unique and not any(d.is_relative_to(u) for u in unique):
                unique.append(d)
        return unique

    def relevant(self, changes: Iterable[tuple[Any, str]]) -> bool:
        """True when the input (or a template) changed; lock and temporary files don't count."""
        targets = {_resolve(self.input_path)}
        if self.template is not None:
            targets.add(_resolve(self.template))
        tdir = _resolve(self.template_dir) if self.template_dir is not None else None
        for _change, raw in changes:
            path = Path(raw)
            if is_ignored(path.name):
                continue
            resolved = _resolve(path)
            if resolved in targets:
                return True
            if tdir is not None and resolved.suffix == ".j2" and resolved.is_relative_to(tdir):
                return True
        return False

    def rebuild(self) -> BuildResult | None:
        """Build once; an unreadable input is retried (it may be half-written)."""
        for attempt in range(self.retries + 1):
            try:
                result = self.build()
            except InputError as exc:
                if attempt < self.retries:
                    self.sleep(self.retry_delay)
                    continue
                self.on_error(exc)
                return None
            except (FileLockedError, GdrError) as exc:
                self.on_error(exc)
                return None
            self.builds += 1
            self.on_result(result)
            return result
        return None  # pragma: no cover - the loop always returns

    def handle(self, changes: Iterable[tuple[Any, str]]) -> BuildResult | None:
        if not self.relevant(changes):
            return None
        return self.rebuild()


def run_watch(
    watcher: Watcher,
    *,
    stop_event: threading.Event | None = None,
    on_ready: Callable[[list[Path]], None] | None = None,
) -> None:
    """Build now, then after every relevant save, until Ctrl-C or ``stop_event``."""
    import logging

    import watchfiles

    # watchfiles logs "KeyboardInterrupt caught, stopping watch" in English on Ctrl-C.
    logging.getLogger("watchfiles").setLevel(logging.ERROR)
    watcher.rebuild()
    dirs = watcher.watch_dirs()
    if on_ready is not None:
        on_ready(dirs)
    for changes in watchfiles.watch(
        *dirs,
        watch_filter=None,
        debounce=600,
        step=100,
        stop_event=stop_event,
        raise_interrupt=False,
        recursive=False,
    ):
        watcher.handle(changes)
