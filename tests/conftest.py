"""Shared test helpers: the bundled sample as data, and an in-process CLI runner."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fuzzing import load_profile

# Every run (CI or not) uses a fixed sequence of examples and no example database, so the
# README's test command cannot turn red by chance; GDR_GEN_FUZZ=explore opts in to random
# exploration (tests/fuzzing.py, README "Fuzzing").
load_profile()

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_JSON = ROOT / "sample_inputs" / "巫山县2022.json"
_SAMPLE = json.loads(SAMPLE_JSON.read_text(encoding="utf-8"))


# The rules that need only this year's tables (issue 2); prose/cross-year rules are
# tested in their own files, so the table tests run only these.
TABLE_RULES = [
    "VAL-01",
    "VAL-02",
    "VAL-03",
    "T2-01",
    "T3-01",
    "T3-02",
    "T3-03",
    "T3-05",
    "T3-06",
    "T4-01",
    "T4-02",
    "T4-03",
]


def make_clean(data: dict[str, Any]) -> dict[str, Any]:
    """The sample with its two defensible prose warnings removed (NT-06 scope, NT-09 aspect),
    for tests that need an input with no finding at all."""
    sections = data["narrative"]["overview"]["sections"]
    for s in sections:
        s["text"] = s["text"].replace(
            "县政府现行有效规范性文件51件", "县政府现行有效规范性文件60件"
        )
    sections[-1]["text"] += "全年未发生政府信息公开工作责任追究情况。"
    return data


@pytest.fixture
def clean_json(tmp_path: Path) -> Path:
    """A path to a copy of the sample that checks with no finding at all."""
    return write_json(tmp_path / "clean.json", make_clean(copy.deepcopy(_SAMPLE)))


@pytest.fixture
def sample_data() -> dict[str, Any]:
    """A fresh, mutable copy of the 巫山县2022 sample in the JSON data format."""
    return copy.deepcopy(_SAMPLE)


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    """Run ``gdr-gen ARGS`` in-process through the real entry point (error mapping included)."""
    from gdr_gen.cli import main

    monkeypatch.setenv("COLUMNS", "200")

    def run(*args: str | Path) -> CliResult:
        capsys.readouterr()
        with pytest.raises(SystemExit) as exc:
            main([str(a) for a in args])
        captured = capsys.readouterr()
        code = exc.value.code
        return CliResult(int(code) if code is not None else 0, captured.out, captured.err)

    return run


def write_json(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return path
