"""File-system failures and ``-o`` semantics (issue 11, failures 3, 4 and 5).

Before the fix: a read-only output folder gave "程序内部错误（PermissionError …）", a read-only
target file was reported as "正在被 Word、WPS 或其他程序打开", a long agency name gave
"程序内部错误（OSError: File name too long …）", ``-o 新文件夹/`` silently wrote 新文件夹.docx and
``-o 报告.doc`` wrote 报告.doc.docx. Each failure is now named in Chinese, exit 2, and nothing
half-written is left behind. (The tests run as any user, root included, so permission
failures are simulated where the system would not refuse root.)
"""

from __future__ import annotations

import errno
import json
import os
import tempfile
from pathlib import Path

import pytest
from conftest import SAMPLE_JSON

from gdr_gen.commands.build import fit_filename
from gdr_gen.writers.atomic import MAX_NAME, MAX_PATH


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def _no_internal_error(r) -> None:
    assert r.code == 2, r.out + r.err
    assert "程序内部错误" not in r.err and "Traceback" not in r.err
    assert "错误：" in r.err


# ---------------------------------------------------------------- read-only folder / file
def test_read_only_folder_is_named(cli, tmp_path, monkeypatch):
    def denied(*args, **kwargs):  # what a folder without write permission does
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", denied)
    r = cli("build", SAMPLE_JSON, "-o", tmp_path / "报告.docx")
    _no_internal_error(r)
    assert "没有在文件夹" in r.err and "写入文件的权限" in r.err
    assert "正在被 Word" not in r.err
    assert _files(tmp_path) == []


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root may write anywhere")
def test_read_only_folder_for_real(cli, tmp_path):
    folder = tmp_path / "只读"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        r = cli("build", SAMPLE_JSON, "-o", folder / "报告.docx")
    finally:
        folder.chmod(0o755)
    _no_internal_error(r)
    assert "权限" in r.err


@pytest.mark.parametrize("command", ["build", "export", "init"])
def test_read_only_target_file_is_not_reported_as_open_in_word(cli, tmp_path, command):
    target = tmp_path / {"build": "报告.docx", "export": "导出.json", "init": "表.xlsx"}[command]
    target.write_bytes(b"old")
    target.chmod(0o444)  # Windows' read-only attribute clears the write bits too
    args = {
        "build": ["build", SAMPLE_JSON, "-o", target],
        "export": ["export", SAMPLE_JSON, "-o", target, "--force"],
        "init": ["init", target, "--force"],
    }[command]
    r = cli(*args)
    _no_internal_error(r)
    assert "文件是只读的" in r.err and "只读" in r.err
    assert "正在被 Word" not in r.err
    assert target.read_bytes() == b"old"
    assert _files(tmp_path) == [target.name]


def test_file_held_open_by_word_is_still_reported_as_open(cli, tmp_path, monkeypatch):
    target = tmp_path / "报告.docx"
    target.write_bytes(b"old")

    def in_use(src, dst):  # Windows: replacing a file Word holds is access denied
        raise PermissionError(errno.EACCES, "Access is denied")

    monkeypatch.setattr(os, "replace", in_use)
    r = cli("build", SAMPLE_JSON, "-o", target)
    _no_internal_error(r)
    assert "正在被 Word" in r.err
    assert target.read_bytes() == b"old" and _files(tmp_path) == ["报告.docx"]


# ---------------------------------------------------------------- full disk
@pytest.mark.parametrize("command", ["build", "export", "merge"])
def test_full_disk_leaves_nothing_half_written(cli, tmp_path, monkeypatch, command):
    target = tmp_path / {"build": "报告.docx", "export": "导出.json", "merge": "合计.json"}[command]
    target.write_bytes(b"old")

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    args = {
        "build": ["build", SAMPLE_JSON, "-o", target],
        "export": ["export", SAMPLE_JSON, "-o", target, "--force"],
        "merge": ["merge", SAMPLE_JSON, "-o", target, "--agency", "某市人民政府", "--force"],
    }[command]
    r = cli(*args)
    _no_internal_error(r)
    assert "磁盘空间不足" in r.err and "原有文件未被改动" in r.err
    assert target.read_bytes() == b"old"
    assert _files(tmp_path) == [target.name]  # no temporary file left


# ---------------------------------------------------------------- long names
def _long_agency_input(tmp_path: Path) -> tuple[Path, str]:
    data = json.loads(SAMPLE_JSON.read_text(encoding="utf-8"))
    agency = "重庆市巫山县" + "某某街道某某社区居民委员会" * 12 + "管理委员会"
    data["agency"] = agency
    path = tmp_path / "long.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path, agency


def test_long_agency_name_is_shortened_to_fit_windows(cli, tmp_path):
    src, _ = _long_agency_input(tmp_path)
    out = tmp_path / "输出"
    out.mkdir()
    r = cli("build", src, "-o", out, "--format", "docx,html")
    assert r.code == 0, r.err
    names = _files(out)
    assert len(names) == 2
    for name in names:
        full = str((out / name).absolute())
        assert len(full) < MAX_PATH and len(name) <= MAX_NAME
        assert len(name.encode("utf-8")) <= MAX_NAME
        assert name.startswith("重庆市巫山县某某街道")  # readable: the start of the agency
        assert "…" in name  # the middle gave way
        assert name.rsplit(".", 1)[0].endswith("管理委员会2022年政府信息公开工作年度报告")
    # deterministic: the same input gives the same name, nothing random
    r = cli("build", src, "-o", out, "--format", "docx,html")
    assert r.code == 0 and _files(out) == names


def test_explicit_name_too_long_is_explained(cli, tmp_path):
    target = tmp_path / ("很长的名字" * 60 + ".docx")
    r = cli("build", SAMPLE_JSON, "-o", target)
    _no_internal_error(r)
    assert "文件名太长" in r.err
    assert _files(tmp_path) == []


def test_fit_filename_keeps_short_names_and_fits_deep_folders(tmp_path):
    title = "巫山县人民政府2022年政府信息公开工作年度报告"
    assert fit_filename(title, tmp_path, (".docx",)) == title
    deep = Path("/" + "/".join(["文件夹" * 10] * 6))  # about 186 characters of folders
    name = fit_filename("重庆市" + "某" * 200 + title, deep, (".docx", ".html"))
    assert len(str(deep / name)) + len(".html") < MAX_PATH
    assert name.endswith("2022年政府信息公开工作年度报告")
    assert fit_filename("重庆市" + "某" * 200 + title, deep, (".docx", ".html")) == name


# ---------------------------------------------------------------- missing folder / a folder
def test_missing_folder_is_named(cli, tmp_path):
    r = cli("build", SAMPLE_JSON, "-o", tmp_path / "没有" / "报告.docx")
    _no_internal_error(r)
    assert "不存在" in r.err and "没有" in r.err


def test_output_that_is_a_folder_for_export_and_merge(cli, tmp_path):
    (tmp_path / "导出.json").mkdir()  # an existing folder: the file goes inside, as for build
    r = cli("export", SAMPLE_JSON, "-o", tmp_path / "导出.json")
    assert r.code == 0, r.out + r.err
    assert (tmp_path / "导出.json" / SAMPLE_JSON.name).is_file()
    (tmp_path / "合计.xlsx").mkdir()
    r = cli("merge", SAMPLE_JSON, "-o", tmp_path / "合计.xlsx", "--agency", "某市人民政府")
    _no_internal_error(r)
    assert "文件夹" in r.err


# ---------------------------------------------------------------- -o semantics
@pytest.mark.parametrize("sep", ["/", "\\"])
def test_trailing_separator_means_a_new_folder(cli, tmp_path, sep):
    r = cli("build", SAMPLE_JSON, "-o", str(tmp_path / "新文件夹") + sep)
    assert r.code == 0, r.err
    folder = tmp_path / "新文件夹"
    assert folder.is_dir()
    assert _files(folder) == ["巫山县人民政府2022年政府信息公开工作年度报告.docx"]
    assert not (tmp_path / "新文件夹.docx").exists()


def test_trailing_separator_refused_when_it_cannot_be_a_folder(cli, tmp_path):
    r = cli("build", SAMPLE_JSON, "-o", str(tmp_path / "上级" / "新文件夹") + "/")
    _no_internal_error(r)
    assert "上级文件夹" in r.err and "不存在" in r.err
    (tmp_path / "是文件").write_bytes(b"x")
    r = cli("build", SAMPLE_JSON, "-o", str(tmp_path / "是文件") + "/")
    _no_internal_error(r)
    assert "不是文件夹" in r.err
    assert _files(tmp_path) == ["是文件"]


def test_blocked_build_creates_no_folder(cli, tmp_path):
    data = json.loads(SAMPLE_JSON.read_text(encoding="utf-8"))
    data["requests"]["total"][0] += 1000
    src = tmp_path / "错.json"
    src.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    r = cli("build", src, "-o", str(tmp_path / "新文件夹") + "/")
    assert r.code == 1
    assert not (tmp_path / "新文件夹").exists()


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("报告.doc", "只能生成 .docx"),
        ("报告.wps", "只能生成 .docx"),
        ("报告.DOC", "只能生成 .docx"),
        ("报告.xls", "gdr-gen init"),
        ("报告.abc", "不认识的扩展名"),
    ],
)
def test_legacy_or_unknown_suffix_is_explained_not_doubled(cli, tmp_path, name, says):
    r = cli("build", SAMPLE_JSON, "-o", tmp_path / name)
    _no_internal_error(r)
    assert says in r.err and ".docx" in r.err and ".html" in r.err and ".pdf" in r.err
    assert _files(tmp_path) == []  # no 报告.doc.docx


def test_known_suffixes_and_names_with_dots(cli, tmp_path):
    assert cli("build", SAMPLE_JSON, "-o", tmp_path / "报告.htm").code == 0
    assert _files(tmp_path) == ["报告.html"]  # .htm is HTML; written as .html
    r = cli("build", SAMPLE_JSON, "-o", tmp_path / "报告.v2", "--format", "docx")
    assert r.code == 0, r.err
    assert (tmp_path / "报告.v2.docx").exists()
    r = cli("build", SAMPLE_JSON, "-o", tmp_path / "报告2022.12")
    assert r.code == 0, r.err
    assert (tmp_path / "报告2022.12.docx").exists()


def test_export_and_init_into_a_folder_named_with_a_trailing_separator(cli, tmp_path, monkeypatch):
    """``-o 新文件夹/`` means a folder for every command, never a file called 新文件夹."""
    monkeypatch.chdir(tmp_path)
    book = Path(__file__).resolve().parent.parent / "sample_inputs" / "巫山县2022.xlsx"
    r = cli("export", book, "-o", "导出/")
    assert r.code == 0, r.out + r.err
    assert (tmp_path / "导出" / "巫山县2022.json").is_file()
    r = cli("init", "新工作簿\\" if os.sep == "\\" else "新工作簿/", "--year", "2022")
    assert r.code == 0, r.out + r.err
    assert (tmp_path / "新工作簿" / "政府信息公开年报填报表.xlsx").is_file()
    r = cli("init", "没有/这一级/")
    assert r.code == 2 and "上级文件夹" in r.err
    assert not (tmp_path / "没有").exists()
    r = cli("merge", book, "-o", tmp_path / "导出", "--agency", "某县人民政府")
    assert r.code == 2 and "文件夹" in r.err
