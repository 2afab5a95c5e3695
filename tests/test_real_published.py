"""Real published reports collected for issue 10, checked against values read by hand.

Each entry of fixtures/published/real/expected.json names a file, what a person read from its
source text (agency, year, 表二/表三/表四 figures) and what import + check must report. The
expected values are not produced by the readers: a reader regression changes what is read, and
the figures here do not move with it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from gdr_gen.errors import InputError
from gdr_gen.readers import load_report

PUBLISHED = Path(__file__).parent / "fixtures" / "published"
EXPECTED: list[dict[str, Any]] = json.loads(
    (PUBLISHED / "real" / "expected.json").read_text(encoding="utf-8")
)["reports"]
READ = [e for e in EXPECTED if e["outcome"] == "read"]
REFUSED = [e for e in EXPECTED if e["outcome"] == "refused"]


def _ids(entries: list[dict[str, Any]]) -> list[str]:
    return [e["file"] for e in entries]


def _row7(requests: Any, key: str) -> list[int]:
    if key == "total_processed":
        row = requests.declared_total
        assert row is not None, "（七）总计 was printed and must be read as printed"
    else:
        row = requests.rows[key]
    return [*row.values, row.total]


def test_every_real_fixture_has_expected_values_and_a_source_row():
    listed = {e["file"] for e in EXPECTED}
    on_disk = {
        f"real/{p.name}" for p in (PUBLISHED / "real").iterdir() if p.name != "expected.json"
    }
    assert on_disk <= listed, on_disk - listed
    sources = (PUBLISHED / "SOURCES.md").read_text(encoding="utf-8")
    for name in listed:
        assert f"`{name}`" in sources or f"`{Path(name).name}`" in sources, name
    for name in on_disk:
        assert (PUBLISHED / name).stat().st_size < 300_000, name


@pytest.mark.parametrize("entry", READ, ids=_ids(READ))
def test_read_report_gives_the_hand_read_values(entry: dict[str, Any]):
    result = load_report(PUBLISHED / entry["file"])
    r = result.report
    assert (r.agency, r.year) == (entry["agency"], entry["year"])
    for key, want in entry["table2"].items():
        if isinstance(want, list):
            got = [r.value(("proactive", key, col)) for col in ("issued", "repealed", "in_force")]
        else:
            got = r.value(("proactive", key))
        assert got == want, ("表二", key)
    for key, want in entry["table3"].items():
        assert _row7(r.requests, key) == want, ("表三", key)
    for key, want in entry["table4"].items():
        row = r.appeals.rows[key]
        assert [*row.values, row.total] == want, ("表四", key)


@pytest.mark.parametrize("entry", READ, ids=_ids(READ))
def test_read_report_gets_exactly_the_findings_it_deserves(entry: dict[str, Any]):
    result = load_report(PUBLISHED / entry["file"])
    findings = [*result.findings, *result.check()]
    serious = {f.rule for f in findings if f.severity.value in ("error", "warning")}
    assert serious == set(entry["rules"]), [
        (f.rule, f.message) for f in findings if f.rule not in entry["rules"]
    ]


@pytest.mark.parametrize("entry", REFUSED, ids=_ids(REFUSED))
def test_unreadable_real_report_is_refused_with_a_clear_message(entry: dict[str, Any], cli):
    path = PUBLISHED / entry["file"]
    with pytest.raises(InputError) as info:
        load_report(path)
    for words in entry["message"]:
        assert words in str(info.value)
    for argv in (["check", path], ["export", path, "-o", "-"]):
        got = cli(*argv)
        assert got.code == 2
        assert "2019 年格式" in got.err and entry["agency"] not in got.out
        assert got.out == ""


def test_old_format_report_hand_values_are_consistent():
    """The recorded 2019 figures close the way the printed table does (guards the transcription)."""
    (entry,) = [e for e in REFUSED if e["file"].endswith("shanghai-szfbgt-2019.html")]
    t3 = entry["table3"]

    def n(v: int | None) -> int:
        return v or 0

    for col in range(7):
        if col == 6:
            continue  # the 总计 column is blank in most rows as printed
        into = n(t3["new"][col]) + n(t3["carried_over"][col])
        out = n(t3["total_processed"][col]) + n(t3["carried_forward"][col])
        assert into == out, col
    assert (
        t3["new"][6] + t3["carried_over"][6] == t3["total_processed"][6] + t3["carried_forward"][6]
    )
    for row in entry["table4"].values():
        assert sum(n(v) for v in row[:4]) == n(row[4])
