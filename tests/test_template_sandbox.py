"""Templates from other people render in Jinja's sandbox (issue 17).

A Word template (``--template``) or a sentence template folder (``--template-dir``) is a
document that travels between offices; a tag in it must not be able to run a program,
read Python internals or reach the configuration. A forbidden tag stops the build with
exit 2, a Chinese message naming the file, the paragraph (or line) and the tag, and
nothing written. Ordinary office templates render byte for byte as before the sandbox.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import docx
import pytest
from conftest import SAMPLE_JSON

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "templates"

# sha256 of the outputs written by the code before the sandbox (commit 3a5f99a), from
# the committed fixture templates (tests/fixtures/templates/make_templates.py).
REFERENCE = {
    "版头页脚": ("a90d957babc28eb24d7ec07760af5d241a8db31c1ce212ffac3236560ba91940", None),
    "英文变量": ("79f8a8f46a4bbfc205f76d73a34752e7a1ea1fe7a2e535f37f67884a70f120ce", None),
    "无标签": ("d4501aa50753d58e48f7bf9b984ab3ded3833cf0d3f4b74b95086c420c9e6323", None),
    "sentences": (
        "30cc8b5f360c157d68fa2e4e532a29b92009d64197934522882365645b11009d",
        "68a49020f9dd4871fcf143d9a199a747a42f1f0d252020b66407532f4974740f",
    ),
    "bundled": (
        "d531ff5d6ac55f4b21f61d4c4babbfe7e1c64560aea19916e0ad8a44d395cbcd",
        "cd2313377a88006708894927a9a0715d73657d824f4fd2023474d972c2d097ea",
    ),
}


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    return Path(shutil.copy(SAMPLE_JSON, tmp_path / "巫山县2022.json"))


@pytest.mark.parametrize("case", sorted(REFERENCE))
def test_ordinary_templates_render_byte_for_byte_as_before(cli, sample, tmp_path, case):
    out = tmp_path / "out" / "报告.docx"
    out.parent.mkdir()
    args: list[str | Path] = ["build", sample, "-o", out]
    if case == "sentences":
        args += ["--template-dir", FIXTURES / "sentences", "--sentences", "on"]
    elif case != "bundled":
        args += ["--template", FIXTURES / f"{case}.docx"]
    if REFERENCE[case][1] is not None:
        args += ["--format", "docx,html"]
    r = cli(*args)
    assert r.code == 0, r.out + r.err
    docx_sha, html_sha = REFERENCE[case]
    assert _sha(out) == docx_sha
    if html_sha is not None:
        assert _sha(out.with_suffix(".html")) == html_sha


def test_reference_templates_really_use_the_tags(cli, sample, tmp_path):
    """The digests above cover headers, footers and every documented variable."""
    out = tmp_path / "a.docx"
    r = cli("build", sample, "--template", FIXTURES / "版头页脚.docx", "-o", out)
    assert r.code == 0, r.err
    word = docx.Document(str(out))
    assert word.paragraphs[0].text == "巫山县人民政府文件"
    assert word.sections[0].header.paragraphs[0].text == "巫山县人民政府（2022年）"
    assert word.sections[0].footer.paragraphs[0].text.startswith("巫山县人民政府")
