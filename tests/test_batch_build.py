"""Folder builds: listing inputs, running workers in processes, one bad file not stopping."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gdr_gen.commands.batch import (
    BuildJob,
    ItemResult,
    batch_jobs,
    list_inputs,
    run_batch,
)
from gdr_gen.errors import InputError


def fake_worker(job: BuildJob) -> ItemResult:
    """Builds 'x.txt' next to the input; fails on names containing 'bad'; crashes on 'boom'."""
    src = Path(job.input)
    if "boom" in src.name:
        raise RuntimeError("boom")
    if "bad" in src.name:
        return ItemResult(job.input, False, problem="T3-01 表三!D6：相差 1")
    out = Path(job.outdir or src.parent) / (src.stem + ".txt")
    out.write_text(f"{os.getpid()}", encoding="utf-8")
    return ItemResult(job.input, True, outputs=(str(out),))


def dying_worker(job: BuildJob) -> ItemResult:
    if "die" in job.input:
        os._exit(3)  # the process vanishes
    return ItemResult(job.input, True, outputs=(job.input + ".out",))


def make_folder(folder: Path, names: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for n in names:
        (folder / n).write_text("{}", encoding="utf-8")
    return folder


def test_list_inputs_skips_lock_hidden_and_other_files(tmp_path):
    folder = make_folder(
        tmp_path / "in",
        [
            "b.xlsx",
            "a.json",
            "c.XLSX",
            "~$b.xlsx",
            ".~lock.b.xlsx#",
            ".hidden.xlsx",
            "notes.txt",
            "report.docx",
        ],
    )
    (folder / "sub.xlsx").mkdir()
    # a folder build reads data files only (it writes .docx/.html/.pdf beside them itself)
    assert [p.name for p in list_inputs(folder, published=False)] == ["a.json", "b.xlsx", "c.XLSX"]
    # merge and review also take published reports
    assert [p.name for p in list_inputs(folder)] == [
        "a.json",
        "b.xlsx",
        "c.XLSX",
        "notes.txt",
        "report.docx",
    ]
    assert [p.name for p in list_inputs(folder, published=False, exclude=[folder / "a.json"])] == [
        "b.xlsx",
        "c.XLSX",
    ]


def test_list_inputs_missing_folder(tmp_path):
    with pytest.raises(InputError, match="文件夹不存在"):
        list_inputs(tmp_path / "nope")


def test_empty_folder_is_refused(tmp_path):
    make_folder(tmp_path / "in", ["notes.txt"])
    with pytest.raises(InputError, match="没有填报工作簿"):
        batch_jobs(tmp_path / "in")


@pytest.mark.parametrize("processes", [1, 2])
def test_one_bad_file_does_not_stop_the_rest(tmp_path, processes):
    folder = make_folder(tmp_path / "in", ["a.json", "bad.json", "boom.xlsx", "d.xlsx", "e.xlsx"])
    jobs = batch_jobs(folder, outdir=tmp_path / "out")
    seen: list[str] = []
    result = run_batch(
        jobs, worker=fake_worker, processes=processes, on_done=lambda i: seen.append(i.path)
    )
    assert [Path(i.path).name for i in result.items] == [
        "a.json",
        "bad.json",
        "boom.xlsx",
        "d.xlsx",
        "e.xlsx",
    ]
    assert sorted(seen) == sorted(i.path for i in result.items)
    assert [Path(i.path).name for i in result.built] == ["a.json", "d.xlsx", "e.xlsx"]
    assert not result.ok
    failed = {Path(i.path).name: i.problem for i in result.failed}
    assert failed["bad.json"] == "T3-01 表三!D6：相差 1"
    assert "程序内部错误" in failed["boom.xlsx"] and "boom" in failed["boom.xlsx"]
    outs = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert outs == ["a.txt", "d.txt", "e.txt"]
    pids = {(tmp_path / "out" / n).read_text(encoding="utf-8") for n in outs}
    if processes == 1:
        assert pids == {str(os.getpid())}
    else:
        assert str(os.getpid()) not in pids  # built in worker processes


def test_a_dying_worker_process_is_reported_not_fatal(tmp_path):
    names = ["a.json", "b.json", "die.json", "d.json", "e.json", "f.json"]
    folder = make_folder(tmp_path / "in", names)
    result = run_batch(batch_jobs(folder), worker=dying_worker, processes=2)
    by_name = {Path(i.path).name: i for i in result.items}
    assert list(by_name) == sorted(names)
    assert not by_name["die.json"].ok
    assert "处理进程异常退出" in by_name["die.json"].problem
    assert [Path(i.path).name for i in result.built] == sorted(set(names) - {"die.json"})


# ---------------------------------------------------------------- the real build, via the CLI
def _units_folder(tmp_path):
    import json
    import random

    from merge_units import random_unit, unit_name

    from gdr_gen.writers.json_writer import write_json
    from gdr_gen.writers.xlsx_writer import write_workbook

    folder = tmp_path / "各单位"
    folder.mkdir()
    rng = random.Random(3)
    reports = [random_unit(rng, unit_name(i)) for i in range(3)]
    for r in reports:
        r.narrative.overview.intro = (
            "本单位认真落实政府信息公开条例，做好主动公开和依申请公开工作。"
        )
        r.narrative.problems.intro = "存在的问题：公开的及时性有待提高。改进：加强培训。"
        r.narrative.other.intro = "本年度无其他需要报告的事项。"  # the fee sentence is generated
    write_workbook(reports[0], folder / "a.xlsx")
    write_workbook(reports[1], folder / "b.xlsx")
    bad = write_json(reports[2], folder / "c.json")
    data = json.loads(bad.read_text(encoding="utf-8"))
    data["requests"]["new"][0] += 1
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    (folder / "~$a.xlsx").write_bytes(b"lock")
    return folder, reports


def test_cli_build_folder(cli, tmp_path):
    folder, reports = _units_folder(tmp_path)
    outdir = tmp_path / "年报"
    r = cli("build", folder, "-o", outdir, "--jobs", "2")
    assert r.code == 1, r.out + r.err
    assert "生成结果" in r.out
    assert "共 3 个文件：已生成 2 个，未生成 1 个" in r.out
    assert "c.json" in r.out and "未生成" in r.out and "T3-01" in r.out
    built = sorted(p.name for p in outdir.iterdir())
    assert built == sorted(f"{r.title}.docx" for r in reports[:2])
    from docx import Document

    text = "\n".join(p.text for p in Document(str(outdir / built[0])).paragraphs)
    assert "政府信息公开工作年度报告" in text


def test_cli_build_folder_all_good_exit_0(cli, tmp_path):
    folder, reports = _units_folder(tmp_path)
    (folder / "c.json").unlink()
    r = cli("build", folder, "--jobs", "1")
    assert r.code == 0, r.out + r.err
    assert "共 2 个文件：已生成 2 个" in r.out
    assert (folder / f"{reports[0].title}.docx").exists()


def test_cli_build_folder_refuses_previous_and_file_output(cli, tmp_path):
    folder, _ = _units_folder(tmp_path)
    r = cli("build", folder, "--previous", folder / "a.xlsx")
    assert r.code == 2 and "--previous" in r.err
    r = cli("build", folder, "-o", tmp_path / "x.docx")
    assert r.code == 2 and "输出文件夹" in r.err


def test_same_unit_twice_in_a_folder_is_flagged(tmp_path):
    from gdr_gen.commands.batch import build_folder

    folder, _ = _units_folder(tmp_path)
    (folder / "c.json").unlink()
    (folder / "a2.xlsx").write_bytes((folder / "a.xlsx").read_bytes())
    result = build_folder(folder, output=tmp_path / "out", jobs=2)
    failed = {Path(i.path).name: i.problem for i in result.failed}
    assert list(failed) == ["a2.xlsx"]
    assert "与 a.xlsx 生成的报告同名" in failed["a2.xlsx"]
