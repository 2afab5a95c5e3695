"""A real client reads the report: headless LibreOffice converts it to PDF, pdftotext reads it.

Skipped (with the reason shown by ``-ra``) when LibreOffice or pdftotext is missing, except
on CI (env CI=true), where .ci/run installs them and the test must run.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import SAMPLE_JSON

from gdr_gen.document import build_document
from gdr_gen.readers import load_report
from gdr_gen.writers.docx_writer import render_docx

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")
ON_CI = os.environ.get("CI", "").lower() == "true"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not ON_CI and not (SOFFICE and PDFTOTEXT),
        reason="LibreOffice（soffice）或 pdftotext 未安装：跳过真实客户端转换测试",
    ),
]


def _convert(docx_path: Path, workdir: Path) -> str:
    assert SOFFICE and PDFTOTEXT, "CI must have libreoffice-writer-nogui and poppler-utils"
    profile = workdir / "lo-profile"
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf",
            "--outdir",
            str(workdir),
            str(docx_path),
        ],
        check=True,
        timeout=240,
        capture_output=True,
    )
    pdf = workdir / (docx_path.stem + ".pdf")
    assert pdf.exists() and pdf.stat().st_size > 0
    text = subprocess.run(
        [PDFTOTEXT, "-layout", str(pdf), "-"], check=True, capture_output=True, timeout=60
    ).stdout.decode("utf-8")
    return text


def test_libreoffice_renders_title_headings_and_figures(tmp_path):
    report = load_report(SAMPLE_JSON).report
    docx_path = render_docx(build_document(report), tmp_path / "report.docx")
    text = _convert(docx_path, tmp_path)
    flat = re.sub(r"\s+", "", text)
    assert "巫山县人民政府2022年政府信息公开工作年度报告" in flat
    positions = [
        flat.index(h)
        for h in (
            "一、总体情况",
            "二、主动公开政府信息情况",
            "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况",
            "五、存在的主要问题及改进情况",
            "六、其他需要报告的事项",
        )
    ]
    assert positions == sorted(positions)
    words = set(text.split())
    for figure in ("91093", "99447", "4841", "3857.85", "60", "39", "38", "17", "8"):
        assert figure in words, figure
    assert "第二十条第（一）项" in flat
    assert "一、本年新收政府信息公开申请数量" in flat
    assert "四、结转下年度继续办理" in flat
    assert "未经复议直接起诉" in flat
    assert "— 1 —" in text or "—1—" in flat  # page number in the footer
