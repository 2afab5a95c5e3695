"""``gdr-gen merge`` through the real entry point: messages and exit codes."""

from __future__ import annotations

import json
import random

from merge_units import random_unit, unit_name

from gdr_gen.writers.json_writer import write_json


def units(folder, n=3, seed=1):
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    return [write_json(random_unit(rng, unit_name(i)), folder / f"{i:02d}.json") for i in range(n)]


def test_merge_json_ok(cli, tmp_path):
    files = units(tmp_path / "各单位")
    out = tmp_path / "巫山县.json"
    r = cli("merge", tmp_path / "各单位", "-o", out, "--agency", "巫山县人民政府", "--year", "2022")
    assert r.code == 0, r.out + r.err
    assert "已汇总 3 个单位" in r.out
    data = json.loads(out.read_text(encoding="utf-8"))
    first = [json.loads(f.read_text(encoding="utf-8")) for f in files]
    assert data["requests"]["new"][6] == sum(u["requests"]["new"][6] for u in first)


def test_merge_refuses_broken_unit_and_lists_findings(cli, tmp_path):
    files = units(tmp_path / "u")
    data = json.loads(files[1].read_text(encoding="utf-8"))
    data["appeals"]["reconsideration"][4] += 2
    files[1].write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "r.json"
    r = cli("merge", tmp_path / "u", "-o", out, "--agency", "巫山县人民政府")
    assert r.code == 1
    assert f"✗ {unit_name(1)}（01.json）：未通过检查" in r.out
    assert "T4-01" in r.out
    assert "未生成汇总" in r.err and "--skip-invalid" in r.err
    assert not out.exists()
    r = cli("merge", tmp_path / "u", "-o", out, "--agency", "巫山县人民政府", "--skip-invalid")
    assert r.code == 0, r.err
    assert "以下 1 个单位未汇总" in r.out
    assert "T4-01" in r.out
    assert "已汇总 2 个单位" in r.out
    assert out.exists()


def test_merge_refuses_overwrite_and_duplicates(cli, tmp_path):
    files = units(tmp_path / "u")
    out = tmp_path / "r.json"
    out.write_text("{}", encoding="utf-8")
    r = cli("merge", tmp_path / "u", "-o", out, "--agency", "巫山县人民政府")
    assert r.code == 2
    assert "文件已存在" in r.err and "--force" in r.err
    r = cli("merge", *files, files[0], "-o", out, "--agency", "巫山县人民政府", "--force")
    assert r.code == 1
    assert "出现两次" in r.err
    assert out.read_text(encoding="utf-8") == "{}"


def test_merge_empty_folder_and_missing_agency(cli, tmp_path):
    (tmp_path / "empty").mkdir()
    r = cli("merge", tmp_path / "empty", "-o", tmp_path / "r.json", "--agency", "某县")
    assert r.code == 2
    assert "没有找到单位的年报或填报工作簿" in r.err
    r = cli("merge", tmp_path / "empty", "-o", tmp_path / "r.json")
    assert r.code == 2
    assert "缺少选项" in r.err
    assert "Traceback" not in r.err


def test_unreadable_unit_is_named(cli, tmp_path):
    units(tmp_path / "u", n=2)
    (tmp_path / "u" / "坏.xlsx").write_text("garbage", encoding="utf-8")
    r = cli("merge", tmp_path / "u", "-o", tmp_path / "r.json", "--agency", "某县人民政府")
    assert r.code == 1
    assert "✗ 坏.xlsx：无法读取：这是文本文件，不是 Excel 工作簿" in r.out
    assert "坏.xlsx未通过检查或无法读取，未生成汇总（其余 2 个单位正常）" in r.err
