"""``gdr-gen watch``: the rebuild logic, and one real run in a subprocess."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE_JSON

from gdr_gen.commands.build import build_report
from gdr_gen.commands.watch import Watcher, is_ignored
from gdr_gen.errors import FileLockedError, InputError

MODIFIED = 1  # watchfiles.Change.modified; the core only looks at paths


def make_watcher(tmp_path: Path, build, **kw) -> tuple[Watcher, list, list, list]:
    results: list = []
    errors: list = []
    sleeps: list = []
    w = Watcher(
        tmp_path / "data.json",
        build=build,
        on_result=results.append,
        on_error=errors.append,
        sleep=sleeps.append,
        **kw,
    )
    return w, results, errors, sleeps


def test_office_lock_files_are_ignored():
    assert is_ignored("~$巫山县2022.xlsx")
    assert is_ignored(".~lock.巫山县2022.xlsx#")
    assert is_ignored(".gdr-abc.docx.tmp")
    assert not is_ignored("巫山县2022.xlsx")


def test_only_the_input_and_templates_trigger(tmp_path):
    tdir = tmp_path / "sentences"
    tdir.mkdir()
    w, results, _, _ = make_watcher(
        tmp_path, lambda: "built", template=tmp_path / "t.docx", template_dir=tdir
    )
    d = tmp_path
    assert not w.relevant({(MODIFIED, str(d / "~$data.json"))})
    assert not w.relevant({(MODIFIED, str(d / ".~lock.data.json#"))})
    assert not w.relevant({(MODIFIED, str(d / "报告.docx"))})  # our own output
    assert w.relevant({(MODIFIED, str(d / "~$data.json")), (MODIFIED, str(d / "data.json"))})
    assert w.relevant({(MODIFIED, str(d / "t.docx"))})
    assert w.relevant({(MODIFIED, str(tdir / "fee.j2"))})
    assert w.handle({(MODIFIED, str(d / "other.json"))}) is None
    assert results == []
    assert w.handle({(MODIFIED, str(d / "data.json"))}) == "built"
    assert results == ["built"]
    assert w.watch_dirs() == [tmp_path.resolve()]  # sub-folders are covered by the parent


def test_half_written_file_is_retried(tmp_path):
    attempts = []

    def build():
        attempts.append(1)
        if len(attempts) < 3:
            raise InputError(tmp_path / "data.json", "JSON 内容无法解析")
        return "ok"

    w, results, errors, sleeps = make_watcher(tmp_path, build)
    assert w.rebuild() == "ok"
    assert results == ["ok"] and errors == []
    assert len(sleeps) == 2


def test_still_broken_after_retries_reports_and_goes_on(tmp_path):
    def build():
        raise InputError(tmp_path / "data.json", "JSON 内容无法解析")

    w, results, errors, sleeps = make_watcher(tmp_path, build, retries=2)
    assert w.rebuild() is None
    assert len(errors) == 1 and "无法解析" in str(errors[0])
    assert len(sleeps) == 2 and results == []


def test_locked_output_is_reported_without_retry(tmp_path):
    def build():
        raise FileLockedError(tmp_path / "报告.docx")

    w, _, errors, sleeps = make_watcher(tmp_path, build)
    assert w.rebuild() is None
    assert isinstance(errors[0], FileLockedError) and sleeps == []


def test_rebuild_really_builds(tmp_path):
    src = Path(shutil.copy(SAMPLE_JSON, tmp_path / "data.json"))
    out = tmp_path / "out.docx"
    w, results, errors, _ = make_watcher(tmp_path, lambda: build_report(src, output=out))
    w.handle({(MODIFIED, str(src))})
    assert errors == [] and results[0].written == [out]
    import docx

    word = docx.Document(str(out))
    assert (
        word.paragraphs[0].text.replace("\n", "") == "巫山县人民政府2022年政府信息公开工作年度报告"
    )
    assert len(word.tables) == 3 and word.tables[1].cell(3, 9).text == "39"


def _wait_for(predicate, timeout: float = 40.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child process is POSIX-only")
# gbk: a Windows console whose output is redirected (issue 11: watch quit after its first build)
@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_watch_rebuilds_on_save_and_exits_cleanly_on_ctrl_c(tmp_path, encoding):
    src = Path(shutil.copy(SAMPLE_JSON, tmp_path / "data.json"))
    out = tmp_path / "out.docx"
    env = dict(
        os.environ,
        PYTHONPATH=str(ROOT),
        COLUMNS="200",
        PYTHONUNBUFFERED="1",
        PYTHONIOENCODING=encoding,
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "gdr_gen", "watch", str(src), "-o", str(out)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding=encoding,
        # A test runner started in the background (nohup, `cmd &` in a script) runs with
        # SIGINT ignored, and the child would inherit that: give it the terminal's default,
        # so the Ctrl-C below reaches gdr-gen as it does in a console.
        preexec_fn=_default_sigint,
    )
    # Read the output as it comes, so the test can wait for what the user sees, not a guess.
    lines: list[str] = []
    assert proc.stdout is not None
    reader = threading.Thread(target=lambda: lines.extend(proc.stdout), daemon=True)  # type: ignore[arg-type]
    reader.start()
    try:
        assert _wait_for(out.exists), "first build did not happen"
        first = out.read_bytes()
        (tmp_path / "~$data.json").write_bytes(b"lock")  # Office lock file: ignored
        data = json.loads(src.read_text(encoding="utf-8"))
        data["narrative"]["other"]["intro"] += "\n本报告由监视模式自动更新。"
        edited = json.dumps(data, ensure_ascii=False)
        # The watcher starts listening only after its first build; on a busy machine a save
        # made before that is missed, so save again until the rebuild shows (not a timing
        # assumption: any number of saves gives the same output).
        rebuilt = False
        for _ in range(8):
            src.write_text(edited, encoding="utf-8")
            if _wait_for(lambda: out.read_bytes() != first, timeout=5.0):
                rebuilt = True
                break
        assert rebuilt, "no rebuild after saving"
        # the file is replaced before the result is printed: wait for the message too
        assert _wait_for(lambda: any("重新生成" in line for line in lines)), "".join(lines)
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        reader.join(timeout=10)  # stdout belongs to the reader thread
        assert proc.stderr is not None
        stderr = proc.stderr.read()
    stdout = "".join(lines)
    assert proc.returncode == 0, stdout + stderr
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stdout + stderr
    assert "正在监视" in stdout and "重新生成" in stdout and "已停止监视" in stdout
    import docx

    texts = [p.text for p in docx.Document(str(out)).paragraphs]
    assert "本报告由监视模式自动更新。" in texts
