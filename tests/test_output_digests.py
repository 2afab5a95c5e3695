"""Outputs of the sample, byte for byte, against committed digests.

A restructuring must not change what users get. When an output changes on purpose (a new
house style, a fixed sentence), regenerate with ``python tests/test_output_digests.py`` and
say why in the commit message.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DIGESTS = ROOT / "tests" / "fixtures" / "output-digests.json"
SAMPLE = ROOT / "sample_inputs"


def _outputs(tmp: Path) -> dict[str, Path]:
    """Run the commands a user runs on the sample; name → file written."""
    from gdr_gen.cli import main

    def run(*args: str | Path) -> None:
        with pytest.raises(SystemExit) as exc:
            main([str(a) for a in args])
        assert exc.value.code in (0, None), args

    xlsx, js = SAMPLE / "巫山县2022.xlsx", SAMPLE / "巫山县2022.json"
    run("build", xlsx, "-o", tmp / "from-xlsx.docx", "--format", "docx,html")
    run("build", js, "-o", tmp / "from-json.docx", "--format", "docx,html")
    run("build", js, "-o", tmp / "fragment.html", "--fragment")
    run("export", xlsx, "-o", tmp / "export.json")
    run("init", tmp / "blank.xlsx", "--year", "2022")
    run("init", tmp / "prefilled.xlsx", "--from", js)
    names = ["from-xlsx.docx", "from-xlsx.html", "from-json.docx", "from-json.html"]
    names += ["fragment.html", "export.json", "blank.xlsx", "prefilled.xlsx"]
    return {name: tmp / name for name in names}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_sample_outputs_match_committed_digests(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    expected = json.loads(DIGESTS.read_text(encoding="utf-8"))
    got = {name: _digest(path) for name, path in _outputs(tmp_path).items()}
    assert got == expected


if __name__ == "__main__":  # regenerate deliberately
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        digests = {name: _digest(p) for name, p in _outputs(Path(d)).items()}
    DIGESTS.write_text(json.dumps(digests, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {DIGESTS}", file=sys.stderr)
