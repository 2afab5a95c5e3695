"""Output names built from an agency name stay inside the chosen folder (issue 17).

The agency name comes from someone else's file; ``../../外面``, ``a/b`` or a 300-character
name must never put a report outside the folder the user chose, nor stop the build with
a traceback."""

from __future__ import annotations

import json
import random
from pathlib import Path

import docx
import pytest
from conftest import SAMPLE_JSON
from merge_units import random_unit

from gdr_gen.commands.build import safe_filename
from gdr_gen.writers.xlsx_writer import write_workbook

NAMES = [
    "../../外面",
    "a/b",
    "..\\..\\里面",
    "巫山县" + "很长的机关名称" * 42 + "委员会",
]  # 300 chars
assert len(NAMES[-1]) == 300


def _tree(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()}


def _unit(folder: Path, name: str, data: dict, stem: str) -> Path:
    data = dict(data, agency=name)
    path = folder / f"{stem}.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def nest(tmp_path: Path) -> tuple[Path, Path]:
    """``tmp_path/a/b/c/in``: the input folder, deep enough for ``../../`` to matter."""
    folder = tmp_path / "a" / "b" / "c" / "in"
    folder.mkdir(parents=True)
    return tmp_path, folder


@pytest.mark.parametrize("name", NAMES)
def test_safe_filename_is_one_plain_name(name):
    out = safe_filename(f"{name}2022年政府信息公开工作年度报告")
    assert "/" not in out and "\\" not in out and not out.startswith(".")
    assert len(out) <= 150 and len((out + ".~lock..docx#").encode("utf-8")) <= 255
    assert out.endswith("2022年政府信息公开工作年度报告")


@pytest.mark.parametrize("name", NAMES)
def test_build_default_name_stays_beside_the_input(cli, nest, name):
    root, folder = nest
    src = _unit(folder, name, json.loads(SAMPLE_JSON.read_text("utf-8")), "unit")
    before = _tree(root)
    r = cli("build", src, "--force")
    assert r.code in (0, 1), r.out + r.err
    new = _tree(root) - before
    assert len(new) == 1
    (out,) = new
    assert out.parent == folder and out.suffix == ".docx"
    assert docx.Document(str(out)).paragraphs[0].text.startswith(name[:10])


@pytest.mark.parametrize("name", NAMES)
def test_build_into_a_folder_stays_in_it(cli, nest, name):
    root, folder = nest
    src = _unit(folder, name, json.loads(SAMPLE_JSON.read_text("utf-8")), "unit")
    outdir = folder / "out"
    outdir.mkdir()
    before = _tree(root)
    r = cli("build", src, "-o", outdir, "--force", "--format", "docx,html")
    assert r.code in (0, 1), r.out + r.err
    new = _tree(root) - before
    assert len(new) == 2 and all(p.parent == outdir for p in new)


def test_folder_build_and_merge_stay_in_the_chosen_folders(cli, nest):
    root, folder = nest
    sample = json.loads(SAMPLE_JSON.read_text("utf-8"))
    for i, name in enumerate(NAMES):
        _unit(folder, name, sample, f"{i:02d}")
    outdir = root / "a" / "b" / "c" / "reports"
    before = _tree(root)
    r = cli("build", folder, "-o", outdir, "--force", "--jobs", "1")
    assert r.code in (0, 1), r.out + r.err
    new = _tree(root) - before
    assert len(new) == len(NAMES) and all(p.parent == outdir for p in new)

    # without -o: each report beside its input
    before = _tree(root)
    r = cli("build", folder, "--force", "--jobs", "1")
    assert r.code in (0, 1), r.out + r.err
    new = _tree(root) - before
    assert len(new) == len(NAMES) and all(p.parent == folder for p in new)


def test_merge_of_hostile_names_writes_only_its_output(cli, nest):
    root, folder = nest
    units = folder / "units"
    units.mkdir()
    rng = random.Random(3)
    for i, name in enumerate(NAMES):
        write_workbook(random_unit(rng, name), units / f"{i:02d}.xlsx")
    out = folder / "汇总.xlsx"
    before = _tree(root)
    r = cli("merge", units, "-o", out, "--agency", "../../外面", "--year", "2022")
    assert r.code in (0, 1), r.out + r.err
    assert _tree(root) - before == {out}
