"""Terminal output shared by the commands: consoles and the findings table."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

    from .findings import Finding

SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def console(stderr: bool = False) -> Console:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False)


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


def findings_json(findings: Sequence[Finding]) -> str:
    return json.dumps([f.to_dict() for f in findings], ensure_ascii=False, indent=2)
