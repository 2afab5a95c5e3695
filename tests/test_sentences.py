"""Generated sentences: every figure from the tables, rounded and worded as offices print them."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import docx
from conftest import write_json
from html_tables import parse_report

from gdr_gen.document import build_document
from gdr_gen.readers import load_report
from gdr_gen.sentences import SentenceOptions
from gdr_gen.writers.docx_writer import docx_bytes
from gdr_gen.writers.html_writer import render_html


def _zero_requests(data: dict[str, Any]) -> None:
    for key in data["requests"]:
        data["requests"][key] = [0] * 7


def _row(values: list[int]) -> list[int]:
    return [*values, sum(values)]


def _generated(tmp_path: Path, data: dict[str, Any]) -> list[str]:
    """The generated sentences as printed in the Word file and, identically, in the page."""
    report = load_report(write_json(tmp_path / "d.json", data)).report
    doc = build_document(report, sentences=SentenceOptions.all("on"))
    word = docx.Document(io.BytesIO(docx_bytes(doc)))
    in_word = [p.text for p in word.paragraphs if p.style.name == "年报生成句"]
    page = parse_report(render_html(doc)).texts
    assert all(s in page for s in in_word)
    return in_word


def test_percentages_round_half_up(tmp_path, sample_data):
    """1 of 16 is 6.25 %: offices print 6.3 % (half up), never 6.2 % (banker's rounding)."""
    _zero_requests(sample_data)
    sample_data["requests"]["new"] = _row([1, 15, 0, 0, 0, 0])
    sample_data["requests"]["granted"] = _row([1, 0, 0, 0, 0, 0])
    sample_data["requests"]["unavailable_not_held"] = _row([0, 15, 0, 0, 0, 0])
    sample_data["requests"]["total"] = _row([1, 15, 0, 0, 0, 0])
    requests = _generated(tmp_path, sample_data)[0]
    assert requests == (
        "2022年，全县共收到政府信息公开申请16件，其中自然人申请1件，占6.3%；"
        "法人或其他组织申请15件。本年度办理16件：予以公开1件，部分公开0件，"
        "予以公开及部分公开合计1件，占6.3%；无法提供15件。"
        "本年度申请均已办结，无结转下年度继续办理的申请。"
    )


def test_pending_case_means_not_all_settled(tmp_path, sample_data):
    """One 行政复议 still 尚未审结: the sentence must not say 均已审结."""
    sample_data["appeals"]["reconsideration"] = [1, 0, 0, 1, 2]
    appeals = _generated(tmp_path, sample_data)[1]
    assert appeals == (
        "2022年，全县因政府信息公开引起行政复议2件、行政诉讼0件。"
        "行政复议2件中，结果维持1件、尚未审结1件。"
    )
    assert "均已审结" not in appeals


def test_other_result_is_settled(tmp_path, sample_data):
    """其他结果 is a settled case (only the 尚未审结 column counts as pending)."""
    sample_data["appeals"]["reconsideration"] = [0, 0, 1, 0, 1]
    sample_data["appeals"]["litigation_direct"] = [0, 1, 0, 0, 1]
    appeals = _generated(tmp_path, sample_data)[1]
    assert appeals == (
        "2022年，全县因政府信息公开引起行政复议1件、行政诉讼1件，均已审结。"
        "行政复议1件中，其他结果1件。"
        "行政诉讼（未经复议直接起诉）1件中，结果纠正1件。"
    )
