"""Self round trip (issue 10): every report gdr-gen builds as Word, web page or PDF reads back
to the same data — every table value, agency, year, publish date, every narrative paragraph."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from gdr_gen.document import build_document
from gdr_gen.model import NarrativeSection, Report, Subsection
from gdr_gen.readers import load_report
from gdr_gen.readers.published.blocks import compact
from gdr_gen.writers.docx_writer import docx_bytes
from gdr_gen.writers.html_writer import render_html
from gdr_gen.writers.pdf import find_soffice

# Prose as reports have it: Chinese, digits and Chinese punctuation (no numbering at the start
# of a paragraph: that is what marks a subsection).
_WORDS = (
    "政府信息公开工作年度报告我县坚持推进主动平台建设监督保障规范办理质量提升群众需求政策解读网站"
)
_body_chars = st.sampled_from(list(_WORDS + "，；：“”《》0123456789"))
sentence = st.text(_body_chars, min_size=1, max_size=80).map(lambda t: "坚持" + t + "。")
paragraphs = st.lists(sentence, min_size=1, max_size=3).map("\n".join)
title = st.text(st.sampled_from(list(_WORDS)), min_size=2, max_size=16)
subsections = st.builds(Subsection, title=title, text=st.just("") | paragraphs)
sections = st.builds(
    NarrativeSection,
    intro=st.none() | paragraphs,
    sections=st.lists(subsections, max_size=5),
)
AGENCIES = [
    "巫山县人民政府",
    "淮安市人民政府",
    "沭阳县发展和改革局",
    "上海市科学技术委员会",
    "南京市江宁区人民政府",
    "某某经济技术开发区管理委员会",
]
counts = st.integers(min_value=0, max_value=10**7)
money = st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False, allow_infinity=False)


@st.composite
def reports(draw: st.DrawFn) -> Report:
    agency = draw(st.sampled_from(AGENCIES))
    kind = "government" if agency.endswith(("人民政府", "管理委员会")) else "department"
    r = Report.blank(agency=agency, year=draw(st.integers(2021, 2030)), agency_kind=kind)
    r.publish_date = draw(st.none() | st.dates(date(2022, 1, 1), date(2031, 12, 31)))
    r.narrative.preface = draw(st.none() | paragraphs)
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


def _assert_same(back: Report, report: Report, *, pdf: bool = False) -> None:
    for path in report.table_paths():
        assert back.value(path) == report.value(path), path
    assert (back.agency, back.year, back.agency_kind) == (
        report.agency,
        report.year,
        report.agency_kind,
    )
    assert back.publish_date == report.publish_date
    assert back.narrative.preface == report.narrative.preface
    for key in ("overview", "problems", "other"):
        got, want = back.narrative.section(key), report.narrative.section(key)
        assert got.intro_paragraphs == want.intro_paragraphs, key
        assert [(s.title, s.paragraphs) for s in got.sections] == [
            (s.title, s.paragraphs) for s in want.sections
        ], key
    fee, want_fee = back.processing_fee, report.processing_fee
    # the section 六 sentence says 未收取 for "none" whether the office recorded 0 or nothing
    assert fee.charged == want_fee.charged
    assert fee.amount_yuan == want_fee.amount_yuan
    if want_fee.charged:
        assert fee.cases == want_fee.cases


def _import(data: bytes, suffix: str) -> Report:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"report{suffix}"
        path.write_bytes(data)
        result = load_report(path)
    assert not [f for f in result.findings if f.rule.startswith("IMP") and f.rule != "IMP-05"]
    return result.report


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports())
def test_html_round_trip(report: Report) -> None:
    html = render_html(build_document(report)).encode("utf-8")
    _assert_same(_import(html, ".html"), report)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports())
def test_docx_round_trip(report: Report) -> None:
    data = docx_bytes(build_document(report))
    _assert_same(_import(data, ".docx"), report)


@pytest.mark.slow
@pytest.mark.skipif(find_soffice() is None, reason="needs LibreOffice")
# LibreOffice takes seconds per example: few examples, and no shrinking (minutes per step)
@settings(
    max_examples=4,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
@given(reports())
def test_pdf_round_trip(report: Report) -> None:
    from gdr_gen.writers.pdf import convert_docx_to_pdf

    with tempfile.TemporaryDirectory() as tmp:
        docx = Path(tmp) / "r.docx"
        docx.write_bytes(docx_bytes(build_document(report)))
        pdf = convert_docx_to_pdf(docx, Path(tmp) / "r.pdf")
        data = pdf.read_bytes()
    _assert_same(_import(data, ".pdf"), report, pdf=True)


def test_sample_round_trips_through_every_format(sample_data, tmp_path: Path) -> None:
    from gdr_gen.readers.json_reader import report_from_data

    report = report_from_data(sample_data).report
    html = tmp_path / "r.html"
    html.write_text(render_html(build_document(report)), encoding="utf-8")
    docx = tmp_path / "r.docx"
    docx.write_bytes(docx_bytes(build_document(report)))
    for path in (html, docx):
        back = load_report(path).report
        _assert_same(back, report)
    # the sample's prose has a space after a full-width bracket: kept by HTML and Word
    assert compact(back.narrative.other.all_text()) == compact(report.narrative.other.all_text())
