"""A generated region for the review tests and benchmark: N units of 2022 and their 2021
reports, with known broken units. Units are written as JSON directly (fast); a few as
workbooks. Everything is derived from the unit number, so a folder is reproducible.

Broken units (by number, for N ≥ 200): see :data:`BROKEN`. Every other unit passes every
error-level rule (warnings may remain).
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path

from gdr_gen.model import Report
from gdr_gen.writers.json_writer import report_to_data

YEAR = 2022
PLACE = "巫山县"
UPPER = "重庆市"  # some previous-year reports spell the agency with the city in front

# unit number → the rules it must break
BROKEN_SUMS = (3, 17, 41, 58, 99, 120, 187)  # 表三 一+二 ≠ （七）+四
BROKEN_PROSE = (8, 33, 76, 111, 150, 199)  # 正文 cites the wrong number of requests
BROKEN_CARRY = (12, 64, 95, 133, 170, 181)  # 上年结转 ≠ last year's 结转下年度
UNREADABLE = (140,)  # not a workbook at all
WORKBOOKS = (0, 1, 2, 3)  # written as .xlsx (3 is broken: a workbook with a broken sum)
NO_PREVIOUS = (5, 6)  # no report in last year's folder: named, not failed
BROKEN: dict[int, set[str]] = {
    **{i: {"T3-01"} for i in BROKEN_SUMS},
    **{i: {"NT-01"} for i in BROKEN_PROSE},
    **{i: {"XY-01"} for i in BROKEN_CARRY},
    **{i: {"无法读取"} for i in UNREADABLE},
}


def agency(i: int) -> str:
    kinds = ("局", "委员会", "中心", "办公室")
    return f"{PLACE}第{i + 1:03d}{kinds[i % len(kinds)]}"


def file_name(i: int) -> str:
    return f"{i:03d}{'.xlsx' if i in WORKBOOKS else '.json'}"


def make_unit(i: int, year: int = YEAR) -> Report:
    """A consistent unit (no error-level finding) with short prose that cites its figures."""
    rng = random.Random(i * 7919 + year)
    r = Report.blank(agency(i), year, agency_kind="department")
    spec = r.spec
    results = [row.key for row in spec.result_rows]
    for col in range(len(spec.applicant_columns)):
        new, over = rng.randint(0, 30), rng.randint(0, 4)
        forward = rng.randint(0, new)
        r.requests.rows["new"].values[col] = new
        r.requests.rows["carried_over"].values[col] = over
        r.requests.rows["carried_forward"].values[col] = forward
        for _ in range(new + over - forward):
            r.requests.rows[rng.choice(results)].values[col] += 1
    for row in r.appeals.rows.values():
        row.values = [rng.randint(0, 2) for _ in row.values]
    nd = r.proactive.docs["normative_documents"]
    nd.issued = rng.randint(0, 10)
    nd.repealed = rng.randint(0, nd.issued)
    nd.in_force = nd.issued - nd.repealed + rng.randint(0, 60)
    total_new = r.requests.row("new").computed_total
    r.narrative.overview.intro = (
        f"本单位认真贯彻落实《中华人民共和国政府信息公开条例》。{year}年，"
        f"全年收到政府信息公开申请{total_new}件。"
    )
    r.narrative.problems.intro = "存在的问题：公开的及时性有待提高。改进情况：加强培训。"
    r.narrative.other.intro = "本年度未收取信息处理费。"
    return r


def previous_of(current: Report, i: int) -> Report:
    """Last year's report of the same unit, consistent with ``current``'s carry-over."""
    prev = make_unit(i, current.year - 1)
    prev.agency = (UPPER + current.agency) if i % 2 else current.agency
    spec = prev.spec
    for col in range(len(spec.applicant_columns)):
        want = current.requests.row("carried_over").values[col]
        row = prev.requests.rows
        row["carried_forward"].values[col] = want
        # keep 一 + 二 = （七） + 四: new covers the cases carried forward
        handled = sum(row[k].values[col] for k in (r.key for r in spec.result_rows))
        row["new"].values[col] = max(0, handled + want - row["carried_over"].values[col])
        row["carried_over"].values[col] = handled + want - row["new"].values[col]
    nd, pd = current.proactive.docs["normative_documents"], prev.proactive.docs
    pd["normative_documents"].in_force = max(0, nd.in_force - nd.issued + nd.repealed)
    prev.narrative.overview.intro = (
        f"{prev.year}年，全年收到政府信息公开申请{prev.requests.row('new').computed_total}件。"
    )
    return prev


@dataclass
class Region:
    folder: Path
    previous: Path
    n: int


def write_region(root: Path, n: int = 200, *, workbooks: bool = True) -> Region:
    """``root/2022`` with n units (broken ones as in BROKEN), ``root/2021`` with last year's."""
    from gdr_gen.writers.xlsx_writer import workbook_bytes

    cur_dir, prev_dir = root / str(YEAR), root / str(YEAR - 1)
    cur_dir.mkdir(parents=True)
    prev_dir.mkdir(parents=True)
    for i in range(n):
        unit = make_unit(i)
        prev = previous_of(unit, i)
        if i in BROKEN_SUMS:
            unit.requests.rows["new"].values[0] += 1  # 一 + 二 no longer closes
            unit.narrative.overview.intro = (unit.narrative.overview.intro or "").replace(
                f"申请{unit.requests.row('new').computed_total - 1}件",
                f"申请{unit.requests.row('new').computed_total}件",
            )
        if i in BROKEN_PROSE:
            total = unit.requests.row("new").computed_total
            unit.narrative.overview.intro = (unit.narrative.overview.intro or "").replace(
                f"申请{total}件", f"申请{total + 5}件"
            )
        if i in BROKEN_CARRY:
            prev.requests.rows["carried_forward"].values[0] += 2
            prev.requests.rows["new"].values[0] += 2
            prev.narrative.overview.intro = (
                f"{prev.year}年，全年收到政府信息公开申请"
                f"{prev.requests.row('new').computed_total}件。"
            )
        target = cur_dir / file_name(i)
        if i in UNREADABLE:
            target.write_bytes(b"PK\x03\x04 this is not a workbook at all")
        elif i in WORKBOOKS and workbooks:
            target.write_bytes(workbook_bytes(unit))
        else:
            target = target.with_suffix(".json")
            target.write_text(json.dumps(report_to_data(unit), ensure_ascii=False), "utf-8")
        if i not in NO_PREVIOUS:
            data = json.dumps(report_to_data(prev), ensure_ascii=False)
            (prev_dir / f"{i:03d}.json").write_text(data, "utf-8")
    # things a real folder has that are not reports
    (cur_dir / f"~${file_name(0)}").write_bytes(b"\x00lock")
    (cur_dir / "封面.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    return Region(cur_dir, prev_dir, n)
