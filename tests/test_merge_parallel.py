"""``merge --jobs``: units read and checked in worker processes give exactly the merge read in
one process (issue 14): the same output bytes, unit order, skips, refusals and duplicates."""

from __future__ import annotations

import json
import random
import shutil

import pytest
from conftest import ROOT
from merge_units import random_unit, unit_name

from gdr_gen.commands.merge import PARALLEL_MIN_UNITS, merge_files, read_units
from gdr_gen.writers.json_writer import write_json


def _folder(tmp_path, n=PARALLEL_MIN_UNITS + 8):
    folder = tmp_path / "各单位"
    folder.mkdir()
    rng = random.Random(7)
    files = [write_json(random_unit(rng, unit_name(i)), folder / f"{i:03d}.json") for i in range(n)]
    # a unit with a broken sum (refused under --skip-invalid), a file that is no report,
    # the same unit twice (a duplicate is reported), and a workbook among the JSON files
    bad = json.loads(files[3].read_text(encoding="utf-8"))
    bad["appeals"]["reconsideration"][4] += 2
    files[3].write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    (folder / "说明.txt").write_text("各单位年报请于3月底前报送。", encoding="utf-8")
    shutil.copy(ROOT / "sample_inputs" / "巫山县2022.xlsx", folder / "900-巫山县.xlsx")
    return folder


def _merge(folder, out, jobs):
    return merge_files(
        [folder], output=out, agency="巫山县人民政府", year=2022, skip_invalid=True, jobs=jobs
    )


@pytest.mark.parametrize("suffix", [".json", ".xlsx"])
def test_parallel_merge_equals_the_one_process_merge(tmp_path, suffix):
    folder = _folder(tmp_path)
    one = _merge(folder, tmp_path / f"one{suffix}", jobs=1)
    two = _merge(folder, tmp_path / f"two{suffix}", jobs=2)
    assert (tmp_path / f"one{suffix}").read_bytes() == (tmp_path / f"two{suffix}").read_bytes()
    assert [u.source for u in two.merge.units] == [u.source for u in one.merge.units]
    assert [(r.source, r.reason) for r in two.merge.refused] == [
        (r.source, r.reason) for r in one.merge.refused
    ]
    assert [s.name for s in two.merge.skipped] == [s.name for s in one.merge.skipped]
    assert len(one.merge.refused) == 1 and "说明.txt" in [s.name for s in one.merge.skipped]


def test_units_are_handed_on_in_input_order(tmp_path):
    folder = _folder(tmp_path)
    paths = sorted(p for p in folder.iterdir() if p.suffix in (".json", ".xlsx"))
    read = [r.path for r in read_units(paths, jobs=2)]
    assert read == paths


def test_a_worker_crash_costs_only_the_culprit(tmp_path, monkeypatch):
    """A worker process that dies breaks the pool: the units not yet handed on are read in
    fresh pools (batch.run_parallel), so the merge still equals the one-process merge."""
    import concurrent.futures
    from concurrent.futures.process import BrokenProcessPool

    folder = _folder(tmp_path)
    expected = _merge(folder, tmp_path / "one.json", jobs=1)

    class DyingPool:
        def __init__(self, *args, **kwargs):
            pass

        def map(self, fn, jobs, chunksize=1):
            for i, job in enumerate(jobs):
                if i == 5:
                    raise BrokenProcessPool("a worker died")
                yield fn(job)

        def shutdown(self, wait=True, cancel_futures=False):
            pass

    real = concurrent.futures.ProcessPoolExecutor
    made: list[int] = []

    def first_pool_dies(*args, **kwargs):  # the retry's pools are real ones
        made.append(1)
        return DyingPool() if len(made) == 1 else real(*args, **kwargs)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", first_pool_dies)
    got = _merge(folder, tmp_path / "two.json", jobs=2)
    assert (tmp_path / "one.json").read_bytes() == (tmp_path / "two.json").read_bytes()
    assert [u.source for u in got.merge.units] == [u.source for u in expected.merge.units]
    assert len(made) > 1  # the rest went through fresh pools


def test_few_units_are_read_in_this_process(tmp_path, monkeypatch):
    import concurrent.futures

    def no_pool(*args, **kwargs):
        raise AssertionError("no worker processes for a handful of units")

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", no_pool)
    folder = tmp_path / "u"
    folder.mkdir()
    rng = random.Random(3)
    for i in range(PARALLEL_MIN_UNITS - 1):
        write_json(random_unit(rng, unit_name(i)), folder / f"{i:03d}.json")
    res = _merge(folder, tmp_path / "r.json", jobs=2)
    assert len(res.merge.units) == PARALLEL_MIN_UNITS - 1


def test_jobs_below_one_is_refused(cli, tmp_path):
    folder = _folder(tmp_path)
    r = cli("merge", folder, "-o", tmp_path / "r.json", "--agency", "巫山县人民政府", "-j", "0")
    assert r.code == 2 and "--jobs" in r.err
