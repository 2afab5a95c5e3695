"""Merging units into a region report: sums, checks, refusals (JSON units)."""

from __future__ import annotations

import json
import random
from decimal import Decimal
from pathlib import Path

import pytest
from merge_units import random_unit, unit_name

from gdr_gen.checks import Severity, run_checks
from gdr_gen.commands.merge import merge_files
from gdr_gen.formats import get_format
from gdr_gen.readers import load_report
from gdr_gen.region import (
    MergeConflictError,
    MergeRefusedError,
    NothingToMergeError,
    input_paths,
    merge_reports,
    merge_rules,
    summary_columns,
)
from gdr_gen.writers.json_writer import write_json


def write_units(folder: Path, n: int, seed: int = 7, **kw) -> list[Path]:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        out.append(write_json(random_unit(rng, unit_name(i), **kw), folder / f"{i:03d}.json"))
    return out


def test_input_paths_cover_every_table_input_cell_but_no_total():
    spec = get_format()
    paths = [p for p, _ in input_paths(spec)]
    # 表二: 2×3 documents + 3 decisions + 1 fee; 表三: 24 rows × 6; 表四: 3 × 4
    assert len(paths) == 10 + 24 * 6 + 3 * 4
    assert ("proactive", "normative_documents", "in_force") in paths
    assert ("requests", "new", 5) in paths
    assert ("requests", "new", 6) not in paths  # 总计 column is computed
    assert not any(p[1] == "total" for p in paths)  # （七）总计 row is computed
    assert ("appeals", "reconsideration", 4) not in paths


@pytest.mark.parametrize("n", [1, 3, 12])
def test_merge_gives_cell_by_cell_sums(tmp_path, n):
    files = write_units(tmp_path / "units", n, seed=n)
    units = [load_report(f) for f in files]
    result = merge_reports(units, agency="巫山县人民政府", year=2022)
    region = result.report
    assert region.agency == "巫山县人民政府"
    assert region.year == 2022
    assert region.agency_kind == "government"
    # every printed value, totals included, is the sum over the units
    for path in region.table_paths():
        expected = sum(u.report.value(path) for u in units)
        assert region.value(path) == expected, path
    # money exactly (Decimal)
    fees = sum((u.report.proactive.money["fees"] for u in units), Decimal(0))
    assert region.proactive.money["fees"] == fees
    assert isinstance(region.proactive.money["fees"], Decimal)
    assert region.processing_fee.cases == sum(u.report.processing_fee.cases or 0 for u in units)
    assert region.processing_fee.amount_yuan == sum(
        (u.report.processing_fee.amount_yuan for u in units), Decimal(0)
    )
    # prose is left for the region office
    assert region.narrative.overview.is_empty() and region.narrative.problems.is_empty()
    # one summary row per unit, in input order
    assert [s.agency for s in result.units] == [unit_name(i) for i in range(n)]


def test_merged_json_file_holds_the_sums(tmp_path):
    files = write_units(tmp_path / "units", 5)
    out = tmp_path / "region.json"
    merge_files([tmp_path / "units"], output=out, agency="巫山县人民政府", year=2022)
    data = json.loads(out.read_text(encoding="utf-8"))
    units = [json.loads(f.read_text(encoding="utf-8")) for f in files]
    assert data["agency"] == "巫山县人民政府"
    for key, row in data["requests"].items():
        assert row == [sum(u["requests"][key][i] for u in units) for i in range(7)], key
    for key, row in data["appeals"].items():
        assert row == [sum(u["appeals"][key][i] for u in units) for i in range(5)], key
    nd = data["proactive"]["normative_documents"]
    assert nd["in_force"] == sum(u["proactive"]["normative_documents"]["in_force"] for u in units)
    assert Decimal(data["proactive"]["fees"]) == sum(Decimal(u["proactive"]["fees"]) for u in units)


def test_region_checks_clean_when_units_do(tmp_path):
    files = write_units(tmp_path / "units", 20, seed=3)
    units = [load_report(f) for f in files]
    for u in units:
        found = run_checks(u.report, findings=u.findings, only=merge_rules())
        assert not [f for f in found if f.severity is Severity.ERROR]
    result = merge_reports(units, agency="巫山县人民政府", year=2022)
    assert not [f for f in result.findings if f.severity is Severity.ERROR]
    # and with the full rule set, the tables are clean too
    full = run_checks(result.report)
    table_errors = [
        f for f in full if f.severity is Severity.ERROR and f.group in ("表二", "表三", "表四")
    ]
    assert table_errors == []


def test_rulemaking_unit_makes_region_rulemaking(tmp_path):
    rng = random.Random(1)
    a = random_unit(rng, "重庆市人民政府", kind="government", rulemaking=True)
    a.proactive.docs["rules"].issued = 2
    a.proactive.docs["rules"].in_force = 40
    b = random_unit(rng, "重庆市渝中区人民政府", kind="government")
    pa = write_json(a, tmp_path / "a.json")
    pb = write_json(b, tmp_path / "b.json")
    result = merge_reports([load_report(pa), load_report(pb)], agency="重庆市", year=2022)
    assert result.report.rulemaking is True
    assert result.report.proactive.docs["rules"].issued == 2
    assert not [f for f in result.findings if f.severity is Severity.ERROR]


def test_processing_fee_cases_unknown_if_any_unit_did_not_record(tmp_path):
    rng = random.Random(2)
    a = random_unit(rng, "甲局")
    b = random_unit(rng, "乙局", cases_unknown=True)
    a.processing_fee.cases, a.processing_fee.amount_yuan = 2, Decimal("10.50")
    b.processing_fee.amount_yuan = Decimal("4.25")
    units = [load_report(write_json(r, tmp_path / f"{i}.json")) for i, r in enumerate((a, b))]
    result = merge_reports(units, agency="某县人民政府", year=2022)
    assert result.report.processing_fee.cases is None
    assert result.report.processing_fee.amount_yuan == Decimal("14.75")
    assert [s.values["processing_fee.cases"] for s in result.units] == [2, None]


def test_summary_rows_and_region_total(tmp_path):
    files = write_units(tmp_path / "units", 4, seed=11)
    units = [load_report(f) for f in files]
    result = merge_reports(units, agency="巫山县人民政府", year=2022)
    cols = summary_columns(result.report.spec)
    headers = [c.header for c in cols]
    # literal official names, so a wrong format definition is caught
    assert headers[:3] == ["单位", "文件", "表三一、本年新收（总计）"]
    assert "表三三、（七）总计（总计）" in headers
    assert "表四行政复议（总计）" in headers
    assert "表四行政诉讼（总计）" in headers
    assert "行政事业性收费（万元）" in headers
    first = result.units[0]
    u0 = units[0].report
    assert first.values["source"] == "000.json"
    assert first.values["requests.new"] == u0.requests.row("new").total
    assert first.values["requests.total"] == u0.requests.row("total").total
    assert first.values["appeals.行政诉讼"] == (
        u0.appeals.row("litigation_direct").total
        + u0.appeals.row("litigation_after_reconsideration").total
    )
    for col in cols:
        if col.kind in ("count", "money", "yuan") and col.key != "warnings":
            values = [s.values[col.key] for s in result.units]
            assert result.region_summary[col.key] == sum(values), col.key  # type: ignore[arg-type]
    assert result.region_summary["agency"] == "合计（4 个单位）"


# ---------------------------------------------------------------- refusals
def _broken(tmp_path: Path, name: str = "坏局") -> Path:
    r = random_unit(random.Random(5), name)
    path = write_json(r, tmp_path / "bad.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    data["requests"]["new"][0] += 1  # breaks T3-01 and T3-03
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_unit_with_errors_is_refused_and_listed(tmp_path):
    files = write_units(tmp_path / "units", 3)
    bad = _broken(tmp_path / "units")
    out = tmp_path / "region.json"
    with pytest.raises(MergeRefusedError) as exc:
        merge_files([tmp_path / "units"], output=out, agency="巫山县人民政府", year=2022)
    refused = exc.value.refused
    assert [r.source for r in refused] == [str(bad)]
    assert refused[0].agency == "坏局"
    assert {f.rule for f in refused[0].findings} >= {"T3-01", "T3-03"}
    assert "坏局（bad.json）" in exc.value.message
    assert "其余 3 个单位正常" in exc.value.message
    assert "--skip-invalid" in str(exc.value)
    assert not out.exists()
    assert len(files) == 3


def test_skip_invalid_merges_the_rest(tmp_path):
    files = write_units(tmp_path / "units", 3)
    _broken(tmp_path / "units")
    (tmp_path / "units" / "damaged.xlsx").write_bytes(b"not a workbook")
    out = tmp_path / "region.json"
    res = merge_files(
        [tmp_path / "units"], output=out, agency="巫山县人民政府", year=2022, skip_invalid=True
    )
    assert {Path(r.source).name for r in res.merge.refused} == {"bad.json", "damaged.xlsx"}
    assert len(res.merge.units) == 3
    data = json.loads(out.read_text(encoding="utf-8"))
    units = [json.loads(f.read_text(encoding="utf-8")) for f in files]
    assert data["requests"]["new"][0] == sum(u["requests"]["new"][0] for u in units)


def test_same_unit_twice_is_refused(tmp_path):
    files = write_units(tmp_path / "units", 3)
    (tmp_path / "units" / "copy.json").write_bytes(files[1].read_bytes())
    with pytest.raises(MergeConflictError) as exc:
        merge_files(
            [tmp_path / "units"], output=tmp_path / "r.json", agency="巫山县人民政府", year=2022
        )
    msg = str(exc.value)
    assert f"「{unit_name(1)}」2022 年出现两次：001.json 与 copy.json" in msg
    assert exc.value.exit_code == 1


def test_mixed_years_are_refused(tmp_path):
    write_units(tmp_path / "units", 2)
    old = random_unit(random.Random(9), "巫山县水利局", year=2021)
    write_json(old, tmp_path / "units" / "old.json")
    with pytest.raises(MergeConflictError) as exc:
        merge_files([tmp_path / "units"], output=tmp_path / "r.json", agency="巫山县人民政府")
    assert "各单位的年度不一致" in str(exc.value)
    assert "2021 年：巫山县水利局（old.json）" in str(exc.value)
    # with --year, the odd one out is named
    with pytest.raises(MergeConflictError) as exc:
        merge_files(
            [tmp_path / "units"], output=tmp_path / "r.json", agency="巫山县人民政府", year=2022
        )
    assert "巫山县水利局（old.json）是 2021 年的数据，汇总年度是 2022 年" in str(exc.value)


def test_mixed_versions_are_refused(monkeypatch):
    from dataclasses import replace

    from gdr_gen.formats import FORMATS
    from gdr_gen.readers import LoadResult

    # a second format version, as a later release will add
    monkeypatch.setitem(FORMATS, "2019", replace(get_format("2021"), version="2019"))

    rng = random.Random(4)
    a = random_unit(rng, "甲局")
    b = random_unit(rng, "乙局")
    b.format = "2019"  # as a reader of a later format version would produce
    with pytest.raises(MergeConflictError) as exc:
        merge_reports(
            [LoadResult(a, source="a.json"), LoadResult(b, source="b.json")],
            agency="某县",
            year=2022,
        )
    assert "报告格式版本不一致" in str(exc.value)
    assert "2019 版：乙局（b.json）" in str(exc.value)


def test_all_refused_with_skip_invalid_is_nothing_to_merge(tmp_path):
    (tmp_path / "u").mkdir()
    _broken(tmp_path / "u")
    with pytest.raises(NothingToMergeError):
        merge_files([tmp_path / "u"], output=tmp_path / "r.json", agency="某县", skip_invalid=True)


def test_existing_output_needs_force(tmp_path):
    write_units(tmp_path / "units", 2)
    out = tmp_path / "region.json"
    out.write_text("old", encoding="utf-8")
    from gdr_gen.errors import OutputExistsError

    with pytest.raises(OutputExistsError):
        merge_files([tmp_path / "units"], output=out, agency="某县人民政府", year=2022)
    assert out.read_text(encoding="utf-8") == "old"
    merge_files([tmp_path / "units"], output=out, agency="某县人民政府", year=2022, force=True)
    assert json.loads(out.read_text(encoding="utf-8"))["agency"] == "某县人民政府"


def test_output_inside_the_units_folder_is_not_read_as_a_unit(tmp_path):
    write_units(tmp_path / "units", 2)
    out = tmp_path / "units" / "region.json"
    merge_files([tmp_path / "units"], output=out, agency="某县人民政府", year=2022)
    res = merge_files(
        [tmp_path / "units"], output=out, agency="某县人民政府", year=2022, force=True
    )
    assert len(res.merge.units) == 2


def test_lock_files_and_other_files_are_ignored(tmp_path):
    write_units(tmp_path / "units", 2)
    (tmp_path / "units" / "~$000.xlsx").write_bytes(b"lock")
    (tmp_path / "units" / ".~lock.000.xlsx#").write_bytes(b"lock")
    (tmp_path / "units" / "说明.txt").write_text("x", encoding="utf-8")
    res = merge_files(
        [tmp_path / "units"], output=tmp_path / "r.json", agency="某县人民政府", year=2022
    )
    assert len(res.merge.units) == 2 and not res.merge.refused


def test_merge_is_deterministic(tmp_path):
    write_units(tmp_path / "units", 4)
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    merge_files([tmp_path / "units"], output=a, agency="某县人民政府", year=2022)
    merge_files([tmp_path / "units"], output=b, agency="某县人民政府", year=2022)
    assert a.read_bytes() == b.read_bytes()
