"""Shared test helpers: the bundled sample as data, and an in-process CLI runner."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_JSON = ROOT / "sample_inputs" / "巫山县2022.json"
_SAMPLE = json.loads(SAMPLE_JSON.read_text(encoding="utf-8"))


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
