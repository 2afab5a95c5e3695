"""Write the JSON data format (docs/data-format.md): keys exactly as the contract, 7-number rows."""

from __future__ import annotations

import json
import re
from pathlib import Path as FsPath
from typing import Any

from ..model import Report
from .atomic import write_bytes_atomic


def _section(section: Any) -> dict[str, Any]:
    return {
        "intro": section.intro,
        "sections": [{"title": s.title, "text": s.text} for s in section.sections],
    }


def report_to_data(report: Report) -> dict[str, Any]:
    """The report as a JSON-ready dict, in the contract's key order."""
    spec = report.spec
    p = report.proactive
    proactive: dict[str, Any] = {}
    for d in spec.doc_rows:
        counts = p.docs[d.key]
        proactive[d.key] = {k: getattr(counts, k) for k, _ in spec.doc_columns}
    for key, _ in spec.decision_keys:
        proactive[key] = p.decisions[key]
    for key, _ in spec.money_keys:
        proactive[key] = format(p.money[key], "f")
    requests = {r.key: report.requests.row(r.key).as_list() for r in spec.request_rows}
    appeals = {r.key: report.appeals.row(r.key).as_list() for r in spec.appeal_rows}
    n = report.narrative
    return {
        "format": report.format,
        "agency": report.agency,
        "year": report.year,
        "agency_kind": report.agency_kind,
        "rulemaking": report.rulemaking,
        "publish_date": report.publish_date.isoformat() if report.publish_date else None,
        "narrative": {
            "preface": n.preface,
            "overview": _section(n.overview),
            "problems": _section(n.problems),
            "other": _section(n.other),
        },
        "proactive": proactive,
        "requests": requests,
        "appeals": appeals,
        "processing_fee": {
            "cases": report.processing_fee.cases,
            "amount_yuan": format(report.processing_fee.amount_yuan, "f"),
        },
    }


_NUMBER_LIST = re.compile(r"\[\n\s+((?:-?\d+,\n\s+)*-?\d+)\n\s+\]")


def dumps(report: Report, *, ascii_only: bool = False) -> str:
    """Deterministic JSON text; number rows on one line like the specification's example.

    ``ascii_only``: non-ASCII characters as \\uXXXX escapes (for a non-UTF-8 console)."""
    text = json.dumps(report_to_data(report), ensure_ascii=ascii_only, indent=2)
    text = _NUMBER_LIST.sub(
        lambda m: "[" + ", ".join(x.strip() for x in m.group(1).split(",")) + "]", text
    )
    return text + "\n"


def write_json(report: Report, path: str | FsPath) -> FsPath:
    out = FsPath(path)
    write_bytes_atomic(out, dumps(report).encode("utf-8"))
    return out


__all__ = ["dumps", "report_to_data", "write_json"]
