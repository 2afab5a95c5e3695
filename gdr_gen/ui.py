"""Terminal output shared by the commands: consoles and the findings table.

Output can never crash the program. On Windows, a program whose output is redirected
(``> log.txt``), piped (``| findstr``) or run from a .bat file or a scheduled task writes in
the console's code page (GBK/cp936), which has no ✓, ✗ or −. :func:`safe_streams` gives
stdout and stderr an error handler that degrades such characters to an equivalent the
stream can encode (✓ → √ → OK, − → -) and replaces anything else with "?", so a message
is never fatal and the exit code never depends on the console.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import json
import re
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

    from .findings import Finding

SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


ERROR_HANDLER = "gdr-degrade"

# Characters the program prints that legacy code pages lack, with what to print instead:
# the first candidate the stream can encode is used, "?" when none can.
_FALLBACKS: dict[str, tuple[str, ...]] = {
    "✓": ("√", "通过", "OK"),
    "✔": ("√", "通过", "OK"),
    "✗": ("×", "未通过", "X"),
    "✘": ("×", "未通过", "X"),
    "−": ("-",),
    "–": ("-",),
    "—": ("-",),
    "•": ("·", "*"),
    "…": ("...",),
    "→": ("->",),
    "≠": ("!=",),
    "≤": ("<=",),
    "≥": (">=",),
    "×": ("x",),
    "√": ("OK",),
    "“": ('"',),
    "”": ('"',),
    "‘": ("'",),
    "’": ("'",),
    "：": (":",),
    "，": (",",),
    "；": (";",),
    "（": ("(",),
    "）": (")",),
    "\u3000": (" ",),
}


def _degrade(exc: UnicodeError) -> tuple[str, int]:
    """Codec error handler: each character the stream cannot encode → its fallback or "?"."""
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    out = []
    for ch in exc.object[exc.start : exc.end]:
        for candidate in (*_FALLBACKS.get(ch, ()), "?"):
            try:
                candidate.encode(exc.encoding)
            except (UnicodeError, LookupError):
                continue
            out.append(candidate)
            break
    return "".join(out), exc.end


codecs.register_error(ERROR_HANDLER, _degrade)


def degrade(text: str, encoding: str) -> str:
    """``text`` as it will appear on a stream in ``encoding`` (what :func:`safe_streams` does)."""
    return text.encode(encoding, ERROR_HANDLER).decode(encoding)


def stream_is_utf(stream: object) -> bool:
    encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
    return encoding.startswith("utf")


def safe_streams() -> None:
    """Make ``sys.stdout``/``sys.stderr`` degrade what they cannot encode instead of raising.

    Idempotent; streams that cannot be reconfigured (a test's capture) are left alone.
    """
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name, None)
        if isinstance(stream, io.TextIOWrapper) and stream.errors != ERROR_HANDLER:
            with contextlib.suppress(Exception):
                stream.reconfigure(errors=ERROR_HANDLER)


def echo(text: str, *, err: bool = False) -> None:
    """Print one line of plain text (no rich), safely whatever the stream's encoding."""
    safe_streams()
    stream = sys.stderr if err else sys.stdout
    if stream is None:  # pythonw / a GUI launcher: nowhere to print
        return
    stream.write(text + "\n")
    stream.flush()


def json_for_stream(data: object, stream: object = None) -> str:
    """JSON for the terminal: readable Chinese on a UTF-8 stream; on any other (GBK console,
    redirected on Windows) every non-ASCII character as a \\uXXXX escape, so the JSON arrives
    intact through any code page (and PowerShell 5.1's UTF-16 ``>``) and parses to the same
    data. Files written with ``-o`` are always UTF-8."""
    stream = sys.stdout if stream is None else stream
    return json.dumps(data, ensure_ascii=not stream_is_utf(stream), indent=2)


def console(stderr: bool = False) -> Console:
    from rich.console import Console

    safe_streams()
    # emoji=False: a file name such as 报告:cn:.xlsx is printed as typed (and rich's emoji table,
    # 3 ms to import, is never loaded); texts that quote the input are printed with markup=False
    return Console(stderr=stderr, highlight=False, soft_wrap=False, emoji=False)


def verdict(findings: Sequence[Finding], *, strict: bool = False, source: str = "") -> str:
    """One line: the outcome of the checks, in Chinese."""
    from .findings import Severity, count_by_severity

    counts = count_by_severity(findings)
    n_err, n_warn, n_info = counts[Severity.ERROR], counts[Severity.WARNING], counts[Severity.INFO]
    prefix = f"{source}：" if source else ""
    parts = []
    if n_err:
        parts.append(f"{n_err} 个错误")
    if n_warn:
        parts.append(f"{n_warn} 个警告")
    if n_info:
        parts.append(f"{n_info} 条提示")
    if n_err or (strict and n_warn):
        return f"✗ {prefix}未通过检查，发现 " + "、".join(parts)
    if parts:
        return f"✓ {prefix}通过检查（" + "、".join(parts) + "，请留意）"
    return f"✓ {prefix}通过检查，未发现问题"


def failed(findings: Sequence[Finding], *, strict: bool = False) -> bool:
    from .findings import Severity

    bad = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
    return any(f.severity in bad for f in findings)


def print_findings(findings: Sequence[Finding], out: Console, *, title_prefix: str = "") -> None:
    """Findings grouped by table (表二/表三/…) in readable tables."""
    from rich.table import Table
    from rich.text import Text

    groups: dict[str, list[Finding]] = {}
    for f in findings:
        groups.setdefault(f.group, []).append(f)
    for group, items in groups.items():
        table = Table(
            title=Text(f"{title_prefix}{group}（{len(items)}）", style="bold"),
            title_justify="left",
            show_lines=True,
            expand=False,
        )
        table.add_column("规则", no_wrap=True)
        table.add_column("级别", no_wrap=True)
        table.add_column("位置", overflow="fold", max_width=40)
        table.add_column("说明", overflow="fold")
        for f in items:
            style = SEVERITY_STYLE[f.severity.value]
            # Text, not markup: locations and messages quote the input ("[/x]" must not crash).
            table.add_row(
                Text(f.rule),
                Text(f.severity.label, style=style),
                Text(short_location(f.location)),
                Text(f.message),
            )
        out.print(table)


_CELL_SUM = re.compile(r"[^\s+≠<>−]+(?:\+[^\s+≠<>−]+)+")


def short_location(location: str, keep: int = 4) -> str:
    """A location for the terminal: long sums of cells shortened to first+…+last (N 格).

    The full list stays in the finding (and in ``--format json``).
    """

    def shorten(m: re.Match[str]) -> str:
        cells = m.group(0).split("+")
        if len(cells) <= keep:
            return m.group(0)
        return f"{cells[0]}+…+{cells[-1]}（共 {len(cells)} 格）"

    return _CELL_SUM.sub(shorten, location)


def findings_json(findings: Sequence[Finding], stream: object = None) -> str:
    return json_for_stream([f.to_dict() for f in findings], stream)
