"""The CLI under the consoles of Chinese Windows PCs (issue 11, failure 1; the CI matrix).

A Windows program whose output is redirected (``> log.txt``), piped (``| findstr``), run from
a .bat file or a scheduled task writes in the console's code page: GBK/cp936. Before the fix
every command that printed ✓, ✗ or − died there with "程序内部错误（UnicodeEncodeError…）" and
exit 2 — after ``build`` had written the report. ``PYTHONIOENCODING`` imitates those code
pages here: each command runs as a real subprocess, its stdout redirected to a file or piped,
and must give the same exit code as under UTF-8, no internal error, intact files and JSON.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from conftest import SAMPLE_JSON, make_clean

ENCODINGS = ["utf-8", "gbk", "cp936", "gb18030", "ascii"]

# name → (arguments, expected exit code, stdout is JSON, files the command must leave)
# {dir} is the test's folder; the inputs are prepared by _inputs().
COMMANDS: dict[str, tuple[list[str], int, bool, list[str]]] = {
    "check": (["check", "{dir}/bullet.json"], 0, False, []),
    "check-strict": (["check", "{dir}/bullet.json", "--strict"], 1, False, []),
    "check-json": (["check", "{dir}/bullet.json", "--format", "json"], 0, True, []),
    "check-errors": (["check", "{dir}/broken.json"], 1, False, []),
    "rules": (["rules"], 0, False, []),
    "init": (["init", "{dir}/new.xlsx"], 0, False, ["new.xlsx"]),
    "export-stdout": (["export", "{dir}/bullet.json", "-o", "-"], 0, True, []),
    "export-file": (
        ["export", "{dir}/bullet.json", "-o", "{dir}/out.json"],
        0,
        False,
        ["out.json"],
    ),
    "build": (["build", "{dir}/clean.json", "-o", "{dir}/r.docx"], 0, False, ["r.docx"]),
    "build-warnings": (["build", "{dir}/bullet.json", "-o", "{dir}/w.docx"], 0, False, ["w.docx"]),
    "build-blocked": (["build", "{dir}/broken.json", "-o", "{dir}/b.docx"], 1, False, []),
    "merge": (
        ["merge", "{dir}/clean.json", "-o", "{dir}/region.json", "--agency", "重庆市人民政府"],
        0,
        False,
        ["region.json"],
    ),
    "missing-file": (["check", "{dir}/没有这个文件.json"], 2, False, []),
}
# Piping and redirecting give Python the same kind of stream (not a terminal); the piped
# runs cover the commands whose output people pipe into findstr / another program.
PIPED = ["check-json", "build", "export-stdout"]

_REFERENCE: dict[str, Any] = {}  # command → what it produced under UTF-8 (same session)


def _inputs(folder: Path) -> None:
    data = json.loads(SAMPLE_JSON.read_text(encoding="utf-8"))
    bullet = copy.deepcopy(data)
    # a character GBK lacks, typed by a user into the prose (was fatal on a GBK console)
    bullet["narrative"]["overview"]["sections"][0]["text"] += "• 工作要点见附件。"
    (folder / "bullet.json").write_text(json.dumps(bullet, ensure_ascii=False), encoding="utf-8")
    clean = make_clean(copy.deepcopy(data))
    (folder / "clean.json").write_text(json.dumps(clean, ensure_ascii=False), encoding="utf-8")
    broken = copy.deepcopy(data)
    broken["requests"]["total"][0] += 1000  # the total no longer adds up
    (folder / "broken.json").write_text(json.dumps(broken, ensure_ascii=False), encoding="utf-8")


def _run(args: list[str], encoding: str, mode: str, folder: Path) -> tuple[int, bytes, bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHONIO", "LC_", "LANG"))}
    env.update(PYTHONIOENCODING=encoding, COLUMNS="100", LANG="C", PYTHONUTF8="0")
    env.pop("GDR_GEN_DEBUG", None)
    cmd = [sys.executable, "-m", "gdr_gen", *[a.format(dir=folder) for a in args]]
    if mode == "pipe":
        proc = subprocess.run(cmd, capture_output=True, env=env, cwd=folder, timeout=120)
        return proc.returncode, proc.stdout, proc.stderr
    out_file, err_file = folder / "stdout.txt", folder / "stderr.txt"
    with open(out_file, "wb") as out, open(err_file, "wb") as err:
        code = subprocess.run(cmd, stdout=out, stderr=err, env=env, cwd=folder, timeout=120)
    return code.returncode, out_file.read_bytes(), err_file.read_bytes()


@pytest.mark.parametrize(
    ("name", "mode"),
    [(n, "redirect") for n in COMMANDS] + [(n, "pipe") for n in PIPED],
)
@pytest.mark.parametrize("encoding", ENCODINGS)
def test_command_under_console_encoding(tmp_path, encoding, name, mode):
    _inputs(tmp_path)
    args, expected, is_json, files = COMMANDS[name]
    code, out, err = _run(args, encoding, mode, tmp_path)
    text_out = out.decode(encoding, errors="strict")  # the stream's own encoding, always
    text_err = err.decode(encoding, errors="strict")
    assert "Traceback" not in text_err
    assert "UnicodeEncodeError" not in text_err + text_out
    assert code == expected, text_err
    if expected != 2:
        assert "错误：" not in text_err or encoding == "ascii", text_err
    for f in files:  # written, complete, and the same bytes whatever the console
        data = (tmp_path / f).read_bytes()
        if f.endswith((".docx", ".xlsx")):
            assert zipfile.ZipFile(tmp_path / f).testzip() is None
        if f.endswith(".json"):
            json.loads(data.decode("utf-8"))  # files are UTF-8 whatever the console
        digest = hashlib.sha256(data).hexdigest()
        if f.endswith((".docx", ".json")):  # xlsx carries its creation time
            assert _REFERENCE.setdefault(f"{name}:{f}", digest) == digest, f
    if is_json:  # JSON on stdout parses, and to the same data as under UTF-8
        parsed = json.loads(text_out)
        assert _REFERENCE.setdefault(f"{name}:stdout", parsed) == parsed
        if name == "export-stdout":
            assert "• 工作要点见附件。" in parsed["narrative"]["overview"]["sections"][0]["text"]
    if name == "missing-file":
        assert "不存在" in text_err or encoding == "ascii"
    if name in ("check", "build") and encoding in ("gbk", "cp936"):
        assert "√" in text_out and "通过检查" in text_out  # ✓ degraded, still readable


def test_symbols_degrade_to_what_the_stream_can_encode():
    from gdr_gen import ui

    assert ui.degrade("✓ 通过检查", "gbk") == "√ 通过检查"
    assert ui.degrade("✗ 未通过", "cp936") == "× 未通过"
    assert ui.degrade("3 − 1", "gbk") == "3 - 1"
    assert ui.degrade("✓ ok", "ascii") == "OK ok"
    assert ui.degrade("✗", "ascii") == "X"
    assert ui.degrade("😀中", "gbk") == "?中"
    assert ui.degrade("✓ 通过", "utf-8") == "✓ 通过"


class _GoneStream:
    """A stdout whose reader went away (``| findstr`` closed early, a console detached)."""

    encoding = "gbk"
    errors = "strict"

    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")

    def flush(self) -> None:
        raise BrokenPipeError(32, "Broken pipe")

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        raise OSError("no file descriptor")


def test_printing_failure_keeps_exit_code_and_names_written_files(tmp_path, monkeypatch, capsys):
    """Before: 'build' had written the report, then died printing: exit 2, file unmentioned."""
    from gdr_gen.cli import main

    monkeypatch.setenv("COLUMNS", "100")
    target = tmp_path / "报告.docx"
    monkeypatch.setattr(sys, "stdout", _GoneStream())
    with pytest.raises(SystemExit) as exit_info:
        main(["build", str(SAMPLE_JSON), "-o", str(target)])
    monkeypatch.undo()
    err = capsys.readouterr().err
    assert exit_info.value.code == 0  # decided before printing: the sample only has warnings
    assert zipfile.ZipFile(target).testzip() is None
    assert "显示结果时出错" in err and f"已生成：{target}" in err
    assert "程序内部错误" not in err
