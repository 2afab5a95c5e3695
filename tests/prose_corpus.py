"""The labelled prose corpus (tests/corpus): loading cases and running the NT rules on them.

Used by tests/test_prose_corpus.py and benchmarks/prose_false_alarms.py.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gdr_gen.checks import Finding
from gdr_gen.readers.json_reader import report_from_data

CORPUS = Path(__file__).resolve().parent / "corpus"
SAMPLES = CORPUS / "samples"
BASES = {
    "wushan": "wushan-2022.json",
    "huaian": "huaian-2024.json",
    "shuyang-gov": "shuyang-gov-2025.json",
    "shuyang-fgj": "shuyang-fgj-2023.json",
}
FIGURE_RULES = [f"NT-0{i}" for i in range(1, 9)]


def sample(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SAMPLES / BASES[name]).read_text(encoding="utf-8"))
    return data


def cases() -> list[dict[str, Any]]:
    data = json.loads((CORPUS / "prose_cases.json").read_text(encoding="utf-8"))
    out: list[dict[str, Any]] = data["cases"]
    return out


def case_data(case: dict[str, Any]) -> dict[str, Any]:
    """The base sample with the case's text as the whole of one section."""
    data = copy.deepcopy(sample(case["base"]))
    for dotted, value in case.get("set", {}).items():
        head, key = dotted.split(".")
        data[head][key] = value
    section = case["section"]
    if section != "overview":  # the case's text alone, without the sample's own figures
        data["narrative"]["overview"] = {"intro": None, "sections": []}
    data["narrative"][section] = {
        "intro": None,
        "sections": [{"title": "测试", "text": case["text"]}],
    }
    return data


def run(data: dict[str, Any], rules: list[str] | None = FIGURE_RULES) -> list[Finding]:
    loaded = report_from_data(data)
    return loaded.check(only=rules)


@dataclass
class Outcome:
    case: dict[str, Any]
    findings: list[Finding]
    missing: list[list[str]] = field(default_factory=list)
    unexpected: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.missing and not self.unexpected


def check_case(case: dict[str, Any]) -> Outcome:
    """Match the findings with the labels: each label takes one finding of its rule and
    severity whose message contains the given text."""
    findings = [f for f in run(case_data(case)) if f.rule in FIGURE_RULES]
    left = list(findings)
    out = Outcome(case, findings)
    for rule, severity, piece in case["expect"]:
        hit = next(
            (
                f
                for f in left
                if f.rule == rule and f.severity.value == severity and piece in f.message
            ),
            None,
        )
        if hit is None:
            out.missing.append([rule, severity, piece])
        else:
            left.remove(hit)
    out.unexpected = left
    return out
