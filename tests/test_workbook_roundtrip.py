"""Property: for any valid report, JSON → workbook → read → JSON is identical."""

from __future__ import annotations

import json
import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gdr_gen.formats import get_format
from gdr_gen.model import NarrativeSection, Report, Subsection
from gdr_gen.readers.json_reader import report_from_data
from gdr_gen.readers.xlsx_reader import _strip_number, read_workbook
from gdr_gen.writers.json_writer import dumps
from gdr_gen.writers.xlsx_writer import workbook_bytes

SPEC = get_format()

# Text as offices write it: CJK, Latin, digits, punctuation, inner spaces and newlines.
# Cell text is stored without outer whitespace (the reader strips it) and with "\n" line
# ends; "\r" and control characters cannot live in a cell (the writer refuses them).
_chars = st.characters(
    codec="utf-8",
    categories=("L", "N", "P", "S", "Zs"),
    include_characters="\n（）“”、，。=_",
)
text = st.text(_chars, min_size=1, max_size=60).map(str.strip).filter(bool)
maybe_text = st.none() | text
# every count, totals of totals included (21 rows × 6 columns), stays within MAX_COUNT, which
# both readers report as a typing accident (VAL-01)
counts = st.integers(min_value=0, max_value=10**6)
money = st.decimals(
    min_value=Decimal(0), max_value=Decimal("99999999"), places=6, allow_nan=False
) | st.sampled_from([Decimal("0"), Decimal("3857.85"), Decimal("3857.80"), Decimal("5.0")])


@st.composite
def subsections(draw: st.DrawFn) -> Subsection:
    # a row with neither title nor text is an empty row of the sheet, not a subsection
    # titles carry no numbering (data format); the workbook reader drops a typed one
    title = draw(st.just("") | text.filter(lambda t: _strip_number(t) == t))
    body = draw(text) if not title else draw(st.just("") | text)
    return Subsection(title, body)


sections = st.builds(
    NarrativeSection, intro=maybe_text, sections=st.lists(subsections(), max_size=10)
)


@st.composite
def reports(draw: st.DrawFn) -> Report:
    r = Report.blank(
        agency=draw(text),
        year=draw(st.integers(2000, 2100)),
        agency_kind=draw(st.sampled_from(["government", "department"])),
    )
    r.rulemaking = draw(st.booleans())
    r.publish_date = draw(st.none() | st.dates(date(2000, 1, 1), date(2100, 12, 31)))
    r.narrative.preface = draw(maybe_text)
    r.narrative.overview = draw(sections)
    r.narrative.problems = draw(sections)
    r.narrative.other = draw(sections)
    for docs in r.proactive.docs.values():
        docs.issued, docs.repealed, docs.in_force = draw(counts), draw(counts), draw(counts)
    for key in r.proactive.decisions:
        r.proactive.decisions[key] = draw(counts)
    for key in r.proactive.money:
        r.proactive.money[key] = draw(money)
    for row in (*r.requests.rows.values(), *r.appeals.rows.values()):
        row.values = [draw(counts) for _ in row.values]
    r.processing_fee.cases = draw(st.none() | counts)
    r.processing_fee.amount_yuan = draw(money)
    return r


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports())
def test_json_workbook_json_is_identical(report: Report) -> None:
    original = dumps(report)
    # through the JSON reader first, as `init --from DATA.json` does
    loaded = report_from_data(json.loads(original, parse_float=Decimal))
    # the JSON reader flags only an empty subsection title (it would print a bare （三）)
    untitled = sum(
        1
        for key in ("overview", "problems", "other")
        for s in report.narrative.section(key).sections
        if not s.title
    )
    assert [(f.rule, f.severity.value) for f in loaded.findings] == [
        ("DATA-01", "error")
    ] * untitled
    with tempfile.TemporaryDirectory() as tmp:
        book = Path(tmp) / "book.xlsx"
        book.write_bytes(workbook_bytes(loaded.report))  # write_workbook minus the fsync
        back = read_workbook(book)
    # the only findings: subsections with no title (error) or no text (warning), at them
    expected = sorted(
        ("DATA-01", "error" if not s.title else "warning")
        for key in ("overview", "problems", "other")
        for s in report.narrative.section(key).sections
        if not (s.title and s.text)
    )
    assert sorted((f.rule, f.severity.value) for f in back.findings) == expected
    assert dumps(back.report) == original
