"""Headless LibreOffice for tests: recalculate a workbook the way Excel would on opening.

Each call uses its own throw-away profile (two soffice processes sharing a profile fail),
seeded with OOXMLRecalcMode=0 ("always recalculate on load"): the default keeps whatever
cached values a file carries, and openpyxl-written files carry none.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

RECALC_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def require_soffice() -> str:
    """The soffice program; skip visibly when absent (but fail on CI, where it must be)."""
    exe = soffice()
    if exe is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true 但没有找到 LibreOffice（soffice）；.ci/run 应已安装")
        pytest.skip("没有安装 LibreOffice（soffice），跳过需要它的测试")
    return exe


def convert(src: Path, outdir: Path, target: str, *, timeout: int = 180) -> Path:
    """``soffice --convert-to target``; returns the produced file."""
    exe = require_soffice()
    outdir.mkdir(parents=True, exist_ok=True)
    if outdir.resolve() == src.parent.resolve():
        raise ValueError("outdir must differ from the input's folder")
    ext = target.split(":", 1)[0]
    out = outdir / f"{src.stem}.{ext}"
    with tempfile.TemporaryDirectory(prefix="gdr-lo-profile-") as profile:
        user = Path(profile) / "user"
        user.mkdir()
        (user / "registrymodifications.xcu").write_text(RECALC_PROFILE, encoding="utf-8")
        proc = subprocess.run(
            [
                exe,
                f"-env:UserInstallation={Path(profile).as_uri()}",
                "--headless",
                "--norestore",
                "--nolockcheck",
                "--nodefault",
                "--nologo",
                "--convert-to",
                target,
                "--outdir",
                str(outdir),
                str(src),
            ],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    if not out.exists() or out.stat().st_size == 0:
        raise RuntimeError(f"LibreOffice produced no {ext}: {proc.stdout}\n{proc.stderr}")
    return out


def recalc_xlsx(src: Path, outdir: Path) -> Path:
    """Open ``src`` in LibreOffice Calc, recalculate everything, save as .xlsx in ``outdir``."""
    return convert(src, outdir, "xlsx:Calc MS Excel 2007 XML")
