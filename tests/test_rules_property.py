"""Property tests: consistent reports give no findings; one changed cell gives exactly the
findings an independent re-statement of the rules expects, each naming that cell."""

from __future__ import annotations

import copy
import re
from collections import Counter
from decimal import Decimal
from typing import Any

from conftest import TABLE_RULES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gdr_gen.checks import Finding
from gdr_gen.formats import get_format, path_str
from gdr_gen.readers.json_reader import report_from_data
from gdr_gen.writers.json_writer import report_to_data

SPEC = get_format("2021")
ROW_KEYS = [r.key for r in SPEC.request_rows]  # 25 rows, （七）总计 included
RESULT_KEYS = [r.key for r in SPEC.result_rows]  # the 21 result rows
APPEAL_KEYS = [r.key for r in SPEC.appeal_rows]
DOC_KEYS = [d.key for d in SPEC.doc_rows]
N = len(SPEC.applicant_columns)  # 6; index 6 is 总计
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Small, mostly-zero values (as in real reports), so that a change of a few units often
# crosses a boundary: a column with nothing handled, in_force just at issued - repealed …
small = st.integers(min_value=0, max_value=4)


@st.composite
def consistent_reports(draw: st.DrawFn) -> dict[str, Any]:
    """A report in the JSON data format that satisfies every table rule."""
    requests: dict[str, list[int]] = {k: [0] * (N + 1) for k in ROW_KEYS}
    for col in range(N):
        nonzero = draw(st.dictionaries(st.sampled_from(RESULT_KEYS), st.integers(1, 8), max_size=4))
        results = [nonzero.get(k, 0) for k in RESULT_KEYS]
        total = sum(results)
        forward = draw(small)
        over = draw(st.integers(0, total))  # so that new = total + forward - over >= forward
        for key, value in zip(RESULT_KEYS, results, strict=True):
            requests[key][col] = value
        requests["total"][col] = total
        requests["carried_forward"][col] = forward
        requests["carried_over"][col] = over
        requests["new"][col] = total + forward - over
    for row in requests.values():
        row[N] = sum(row[:N])
    appeals = {}
    for key in APPEAL_KEYS:
        outcomes = [draw(small) for _ in SPEC.appeal_outcomes]
        appeals[key] = [*outcomes, sum(outcomes)]
    rulemaking = draw(st.booleans())
    proactive: dict[str, Any] = {}
    for key in DOC_KEYS:
        if key == "rules" and not rulemaking:
            proactive[key] = {"issued": 0, "repealed": 0, "in_force": 0}
            continue
        issued, repealed = draw(st.integers(0, 20)), draw(st.integers(0, 20))
        in_force = max(0, issued - repealed) + draw(small)
        proactive[key] = {"issued": issued, "repealed": repealed, "in_force": in_force}
    for key, _ in SPEC.decision_keys:
        proactive[key] = draw(st.integers(0, 200_000))
    places = draw(st.integers(0, 6))
    fees = draw(st.decimals(min_value=0, max_value=1_000_000, places=places))
    proactive["fees"] = str(fees)
    return {
        "format": "2021",
        "agency": "某县人民政府",
        "year": 2022,
        "agency_kind": "government",
        "rulemaking": rulemaking,
        "publish_date": None,
        "narrative": {
            "preface": None,
            "overview": {"intro": None, "sections": []},
            "problems": {"intro": None, "sections": []},
            "other": {"intro": None, "sections": []},
        },
        "proactive": proactive,
        "requests": requests,
        "appeals": appeals,
        "processing_fee": {"cases": 0, "amount_yuan": "0"},
    }


def check(data: dict[str, Any]) -> list[Finding]:
    loaded = report_from_data(copy.deepcopy(data))
    return loaded.check(only=TABLE_RULES)


# ---------------------------------------------------------------- the rules, restated
def expected_rules(data: dict[str, Any]) -> Counter[str]:
    """The findings the catalogue asks for, computed from the raw data independently."""
    out: Counter[str] = Counter()
    req, app, pro = data["requests"], data["appeals"], data["proactive"]
    negative: set[tuple[str, str, Any]] = set()
    for key in ROW_KEYS:
        negative |= {("requests", key, i) for i, v in enumerate(req[key]) if v < 0}
    for key in APPEAL_KEYS:
        negative |= {("appeals", key, i) for i, v in enumerate(app[key]) if v < 0}
    for key in DOC_KEYS:
        negative |= {("proactive", key, c) for c, v in pro[key].items() if v < 0}
    for key, _ in SPEC.decision_keys:
        if pro[key] < 0:
            negative.add(("proactive", key, None))
    out["VAL-01"] = len(negative)

    def ok(*cells: tuple[str, str, Any]) -> bool:
        return not any(c in negative for c in cells)

    fees = Decimal(pro["fees"])
    if fees < 0:
        out["VAL-02"] += 1
    else:
        exponent = fees.normalize().as_tuple().exponent
        assert isinstance(exponent, int)
        out["VAL-02"] += (-exponent > 6) + (fees > 1_000_000)
    if not data["rulemaking"]:
        out["VAL-03"] += sum(
            1 for c, v in pro["rules"].items() if v != 0 and ok(("proactive", "rules", c))
        )
    for key in DOC_KEYS:
        d = pro[key]
        cells = [("proactive", key, c) for c in ("issued", "repealed", "in_force")]
        out["T2-01"] += ok(*cells) and d["in_force"] < d["issued"] - d["repealed"]
    for col in range(N + 1):

        def cell(key: str, c: int = col) -> tuple[str, str, int]:
            return ("requests", key, c)

        new, over, total, fwd = (
            req[k][col] for k in ("new", "carried_over", "total", "carried_forward")
        )
        if ok(cell("new"), cell("carried_over"), cell("total"), cell("carried_forward")):
            out["T3-01"] += new + over != total + fwd
        if ok(cell("total"), *(cell(k) for k in RESULT_KEYS)):
            out["T3-02"] += total != sum(req[k][col] for k in RESULT_KEYS)
        if ok(cell("new"), cell("carried_over"), cell("carried_forward")):
            out["T3-05"] += fwd > new + over
            out["T3-06"] += new < fwd <= new + over
    for key in ROW_KEYS:
        if ok(*(("requests", key, i) for i in range(N + 1))):
            out["T3-03"] += req[key][N] != sum(req[key][:N])
    for rule, key in zip(("T4-01", "T4-02", "T4-03"), APPEAL_KEYS, strict=True):
        row = app[key]
        if ok(*(("appeals", key, i) for i in range(len(row)))):
            out[rule] += row[-1] != sum(row[:-1])
    return +out  # drop zero counts


def all_input_cells(data: dict[str, Any]) -> list[tuple[str | int, ...]]:
    cells: list[tuple[str | int, ...]] = []
    for key in ROW_KEYS:
        cells += [("requests", key, i) for i in range(N + 1)]
    for key in APPEAL_KEYS:
        cells += [("appeals", key, i) for i in range(len(SPEC.appeal_outcomes) + 1)]
    for key in DOC_KEYS:
        cells += [("proactive", key, c) for c, _ in SPEC.doc_columns]
    cells += [("proactive", key) for key, _ in SPEC.decision_keys]
    cells.append(("proactive", "fees"))
    return cells


def location_cells(location: str) -> set[str]:
    """The cell names in a finding's location ("a+b ≠ c+d", "a < b − c")."""
    return {t for t in re.split(r"[\s+≠<>−]+", location) if t}


# ---------------------------------------------------------------- properties
@SETTINGS
@given(consistent_reports())
def test_consistent_report_has_no_findings(data: dict[str, Any]) -> None:
    assert expected_rules(data) == Counter()
    assert check(data) == []


@SETTINGS
@given(consistent_reports(), st.data())
def test_one_changed_cell_fires_expected_rules_at_that_cell(
    data: dict[str, Any], choice: st.DataObject
) -> None:
    # Pick a table first, so the few cells of 表二/表四 are changed as often as 表三's.
    head = choice.draw(st.sampled_from(["requests", "appeals", "proactive"]), label="table")
    cells = [c for c in all_input_cells(data) if c[0] == head]
    target = choice.draw(st.sampled_from(cells), label="cell")
    delta = choice.draw(st.integers(-5, 5).filter(bool), label="delta")
    head, key, *rest = target
    if target == ("proactive", "fees"):
        data[head][key] = str(Decimal(data[head][key]) + delta)
    elif rest:
        data[head][key][rest[0]] += delta
    else:
        data[head][key] += delta

    findings = check(data)
    got = Counter(f.rule for f in findings)
    assert got == expected_rules(data), findings
    name = path_str(target)
    for f in findings:
        assert name in location_cells(f.location), (name, f)


@SETTINGS
@given(consistent_reports())
def test_omitted_totals_are_computed_and_written_back(data: dict[str, Any]) -> None:
    short = copy.deepcopy(data)
    for key in ROW_KEYS:
        short["requests"][key] = short["requests"][key][:N]
    del short["requests"]["total"]
    for key in APPEAL_KEYS:
        short["appeals"][key] = short["appeals"][key][:-1]
    assert check(short) == []
    written = report_to_data(report_from_data(short).report)
    assert written["requests"] == data["requests"]
    assert written["appeals"] == data["appeals"]


def tight_report(sample: dict[str, Any], *, rulemaking: bool) -> dict[str, Any]:
    """The sample made consistent but at every boundary, so that a change of 1 crosses it."""
    data = copy.deepcopy(sample)
    req = data["requests"]
    # 社会公益组织: 2 new + 1 carried over = 1 granted + 2 carried forward (= new).
    for key, value in (("new", 2), ("carried_over", 1), ("granted", 1), ("total", 1)):
        req[key][3] = value
    req["carried_forward"][3] = 2
    for row in req.values():
        row[N] = sum(row[:N])
    data["rulemaking"] = rulemaking
    pro = data["proactive"]
    pro["normative_documents"] = {"issued": 9, "repealed": 6, "in_force": 3}
    pro["rules"] = (
        {"issued": 4, "repealed": 1, "in_force": 3}
        if rulemaking
        else {"issued": 0, "repealed": 0, "in_force": 0}
    )
    pro["fees"] = "999999.999999"
    data["appeals"]["reconsideration"] = [1, 0, 2, 1, 4]
    return data


def change(data: dict[str, Any], target: tuple[str | int, ...], delta: int) -> dict[str, Any]:
    out = copy.deepcopy(data)
    head, key, *rest = target
    if target == ("proactive", "fees"):
        out[head][key] = str(Decimal(out[head][key]) + delta)
    elif rest:
        out[head][key][rest[0]] += delta
    else:
        out[head][key] += delta
    return out


def test_every_single_cell_change_on_a_tight_report(sample_data: dict[str, Any]) -> None:
    """Exhaustive companion of the property above: every cell, several deltas."""
    checked = Counter[str]()
    for rulemaking in (False, True):
        base = tight_report(sample_data, rulemaking=rulemaking)
        assert check(base) == []
        for target in all_input_cells(base):
            for delta in (-1, 1, 3, -1000):
                data = change(base, target, delta)
                findings = check(data)
                assert Counter(f.rule for f in findings) == expected_rules(data), (target, delta)
                name = path_str(target)
                for f in findings:
                    assert name in location_cells(f.location), (name, f)
                checked.update(f.rule for f in findings)
    # The changes reached every rule, errors and warnings alike.
    assert set(checked) >= {
        "VAL-01", "VAL-02", "VAL-03", "T2-01", "T3-01", "T3-02", "T3-03", "T3-05", "T3-06",
        "T4-01", "T4-02", "T4-03",
    }  # fmt: skip
