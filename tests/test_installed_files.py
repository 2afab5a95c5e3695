"""What the help texts point to exists after ``pip install`` (issue 11, failure 8).

Before: ``export --help`` pointed to docs/data-format.md and the README to sample_inputs/ and
templates/report.docx — none of them in the installed wheel. Now the wheel carries the data
format document and the sample, and commands print or write them.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile
import zlib

import pytest
from conftest import ROOT

from gdr_gen.readers.xlsx_reader import read_workbook


def test_init_sample_writes_a_workbook_that_builds(cli, tmp_path):
    r = cli("init", "--sample", tmp_path / "示例.xlsx")
    assert r.code == 0, r.err
    assert "gdr-gen build" in r.out
    loaded = read_workbook(tmp_path / "示例.xlsx")
    assert loaded.report.agency == "巫山县人民政府" and loaded.report.year == 2022
    assert cli("build", tmp_path / "示例.xlsx", "-o", tmp_path / "r.docx").code == 0
    again = cli("init", "--sample", tmp_path / "示例.xlsx")
    assert again.code == 2 and "已存在" in again.err
    assert cli("init", "--sample", "--from", tmp_path / "示例.xlsx").code == 2


def test_data_format_command_prints_and_saves_the_document(cli, tmp_path):
    r = cli("data-format")
    assert r.code == 0
    expected = (ROOT / "docs" / "data-format.md").read_text(encoding="utf-8")
    assert r.out.strip() == expected.strip()
    r = cli("data-format", "-o", tmp_path / "格式.md")
    assert r.code == 0
    assert (tmp_path / "格式.md").read_text(encoding="utf-8") == expected


def test_help_texts_point_to_commands_not_repository_paths(cli):
    import typer.main

    from gdr_gen.cli import app

    group = typer.main.get_command(app)
    names = ["", *group.commands]  # type: ignore[attr-defined]
    for name in names:
        r = cli(*([name] if name else []), "--help")
        text = r.out + r.err
        for path in re.findall(r"(?:docs|sample_inputs|templates)/[\w./-]*", text):
            pytest.fail(f"gdr-gen {name} --help points to the repository path {path}")
    assert "gdr-gen data-format" in cli("export", "--help").out


def test_wheel_carries_the_document_and_the_sample(tmp_path):
    pytest.importorskip("hatchling")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "--wheel-dir",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("gdr_gen-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "gdr_gen/docs/data-format.md" in names
    assert "gdr_gen/sample_inputs/巫山县2022.xlsx" in names
    assert "gdr_gen/sample_inputs/巫山县2022.json" in names
    assert "gdr_gen/templates/report.docx" in names
    assert "gdr_gen/bundle.py" in names
    # the phrase files parsed at build time (hatch_build.py), current with the TOML beside them
    compiled = json.loads(zipfile.ZipFile(wheel).read("gdr_gen/checks/phrases/compiled.json"))
    tomls = sorted((ROOT / "gdr_gen" / "checks" / "phrases").glob("*.toml"))
    assert sorted(compiled["files"]) == [t.name for t in tomls]
    for t in tomls:
        assert compiled["files"][t.name]["crc32"] == zlib.crc32(t.read_bytes()), t.name
