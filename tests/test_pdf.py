"""PDF through headless LibreOffice: real conversions, private profiles, failures in Chinese."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from gdr_gen.errors import ExternalToolError, InputError
from gdr_gen.writers.pdf import convert_docx_to_pdf, find_soffice

IN_CI = os.environ.get("CI", "").lower() == "true"
HAVE_SOFFICE = find_soffice() is not None
HAVE_PDFTOTEXT = shutil.which("pdftotext") is not None

needs_soffice = pytest.mark.skipif(
    not (HAVE_SOFFICE and HAVE_PDFTOTEXT) and not IN_CI,
    reason="LibreOffice (soffice) or pdftotext not installed: PDF conversion not tested",
)
posix_only = pytest.mark.skipif(sys.platform == "win32", reason="fake soffice is a shell script")


def pdf_text(pdf: Path) -> str:
    """The PDF's text without whitespace (pdftotext puts spaces where the font changes)."""
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True
    )
    return "".join(out.stdout.decode("utf-8").split())


def small_docx(path: Path, *texts: str) -> Path:
    import docx

    d = docx.Document()
    for t in texts:
        d.add_paragraph(t)
    d.save(str(path))
    return path


@pytest.mark.slow
@needs_soffice
def test_converts_a_docx_to_pdf(tmp_path: Path) -> None:
    # an awkward name: spaces, a leading dash, Chinese
    src = small_docx(tmp_path / "-报告 草稿.docx", "巫山县人民政府", "收到申请39件")
    out = convert_docx_to_pdf(src, tmp_path / "报告.pdf")
    assert out == tmp_path / "报告.pdf"
    assert out.read_bytes().startswith(b"%PDF-")
    text = pdf_text(out)
    assert "巫山县人民政府" in text and "收到申请39件" in text
    # nothing left beside the output but the input and the PDF
    assert sorted(p.name for p in tmp_path.iterdir()) == ["-报告 草稿.docx", "报告.pdf"]


@pytest.mark.slow
@needs_soffice
def test_two_conversions_at_once_both_succeed(tmp_path: Path) -> None:
    """Each call has its own LibreOffice profile; a shared one would make one of them fail."""
    jobs = [
        (small_docx(tmp_path / f"{i}.docx", f"第{i}份报告"), tmp_path / f"{i}.pdf") for i in (1, 2)
    ]
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda j: convert_docx_to_pdf(*j), jobs))
    assert [pdf_text(p) for p in results] == ["第1份报告", "第2份报告"]


@pytest.mark.slow
@needs_soffice
def test_existing_pdf_is_replaced(tmp_path: Path) -> None:
    target = tmp_path / "out.pdf"
    target.write_bytes(b"old")
    convert_docx_to_pdf(small_docx(tmp_path / "a.docx", "新内容"), target)
    assert "新内容" in pdf_text(target)


def test_missing_libreoffice_says_how_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GDR_GEN_SOFFICE", str(tmp_path / "no-such-soffice"))
    src = tmp_path / "a.docx"
    src.write_bytes(b"PK")
    with pytest.raises(ExternalToolError) as exc:
        convert_docx_to_pdf(src, tmp_path / "a.pdf")
    text = str(exc.value)
    assert "LibreOffice" in text and "没有找到" in text
    assert "apt-get install libreoffice-writer-nogui" in text
    assert "https://www.libreoffice.org/" in text
    assert not (tmp_path / "a.pdf").exists()


def test_missing_docx(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        convert_docx_to_pdf(tmp_path / "无.docx", tmp_path / "无.pdf")
    assert "文件不存在" in str(exc.value)


def _fake_soffice(tmp_path: Path, body: str) -> Path:
    script = tmp_path / "fake-soffice"
    script.write_text("#!/bin/sh\n" + body + "\n", encoding="utf-8")
    script.chmod(0o755)
    return script


def _running(pid: int) -> bool:
    """True while ``pid`` exists and is not a zombie (Linux /proc; elsewhere a signal 0)."""
    stat = Path(f"/proc/{pid}/stat")
    if stat.parent.parent.is_dir() and Path("/proc/self").exists():
        try:
            return stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"
        except FileNotFoundError:
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@posix_only
def test_timeout_stops_libreoffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pidfile = tmp_path / "child.pid"
    # like soffice starting soffice.bin: a child that a plain kill of the parent leaves running
    fake = _fake_soffice(tmp_path, f"sleep 60 &\necho $! > '{pidfile}'\nwait")
    monkeypatch.setenv("GDR_GEN_SOFFICE", str(fake))
    src = tmp_path / "a.docx"
    src.write_bytes(b"PK")
    try:
        with pytest.raises(ExternalToolError) as exc:
            convert_docx_to_pdf(src, tmp_path / "a.pdf", timeout=0.5)
        assert "超过 0.5 秒" in str(exc.value) and "已停止" in str(exc.value)
        assert not (tmp_path / "a.pdf").exists()
        child = int(pidfile.read_text())
        assert not _running(child), "the child of the timed-out soffice is still running"
    finally:
        if pidfile.exists():
            with contextlib.suppress(ProcessLookupError, ValueError):
                os.kill(int(pidfile.read_text()), signal.SIGKILL)


@posix_only
def test_no_output_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """soffice sharing a busy profile exits 0 without converting: that must not pass."""
    fake = _fake_soffice(tmp_path, "echo 'Error: source file could not be loaded'; exit 0")
    monkeypatch.setenv("GDR_GEN_SOFFICE", str(fake))
    src = tmp_path / "a.docx"
    src.write_bytes(b"PK")
    with pytest.raises(ExternalToolError) as exc:
        convert_docx_to_pdf(src, tmp_path / "a.pdf")
    assert "未能把 a.docx 转换为 PDF" in str(exc.value)
    assert "source file could not be loaded" in str(exc.value)
    assert not (tmp_path / "a.pdf").exists()


@posix_only
def test_each_call_gets_a_private_profile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = tmp_path / "args.log"
    fake = _fake_soffice(
        tmp_path,
        f"echo \"$@\" >> '{log}'\n"
        'for a in "$@"; do out="$prev_outdir"; case "$prev" in --outdir) outdir="$a";; esac; prev="$a"; done\n'
        'printf "%%PDF-1.4 fake" > "$outdir/report.pdf"',
    )
    monkeypatch.setenv("GDR_GEN_SOFFICE", str(fake))
    src = tmp_path / "a.docx"
    src.write_bytes(b"PK")
    convert_docx_to_pdf(src, tmp_path / "1.pdf")
    convert_docx_to_pdf(src, tmp_path / "2.pdf")
    assert (tmp_path / "1.pdf").read_bytes() == b"%PDF-1.4 fake"
    calls = log.read_text(encoding="utf-8").splitlines()
    profiles = [
        a for call in calls for a in call.split() if a.startswith("-env:UserInstallation=file:///")
    ]
    assert len(profiles) == 2 and profiles[0] != profiles[1]
    for flag in ("--headless", "--norestore", "--convert-to pdf"):
        assert all(flag in call for call in calls)
    # the temporary folders (profile, copy of the input) are removed afterwards
    assert not any(Path(p.split("=file://", 1)[1]).exists() for p in profiles)
