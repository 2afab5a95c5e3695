"""Reading text files as Windows saves them (issue 11, failure 2).

Before the fix a JSON file saved by Notepad as ANSI (GBK) or Unicode (UTF-16), or written by
PowerShell 5.1's ``>`` (UTF-16) or ``export -o - > 导出.json`` on a GBK console, was refused as
"不是 UTF-8 编码的文本文件" with no hint how to fix it.
"""

from __future__ import annotations

import codecs
import json

import pytest
from conftest import SAMPLE_JSON

from gdr_gen.errors import InputError
from gdr_gen.readers.text_decode import SAVE_AS_UTF8_HINT, decode_text

TEXT = '{"agency": "巫山县人民政府", "note": "政府信息公开（第一季度）：“依申请”—完成"}'

SAVED_AS = {
    "utf-8": TEXT.encode("utf-8"),
    "utf-8 with BOM (Notepad's UTF-8 with BOM)": codecs.BOM_UTF8 + TEXT.encode("utf-8"),
    "utf-16-le with BOM (Notepad's Unicode, PowerShell 5.1 >)": codecs.BOM_UTF16_LE
    + TEXT.encode("utf-16-le"),
    "utf-16-be with BOM": codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
    "gbk (Notepad's ANSI on a Chinese PC)": TEXT.encode("gbk"),
    "gb18030 (a character outside GBK)": (TEXT + "𠀀").encode("gb18030"),
}


@pytest.mark.parametrize("name", sorted(SAVED_AS))
def test_windows_encodings_are_read(name):
    expected = TEXT + ("𠀀" if "gb18030" in name else "")
    assert decode_text(SAVED_AS[name], source="x.json") == expected


@pytest.mark.parametrize(
    "data",
    [
        "サンプルデータ".encode("shift-jis"),  # Japanese: GB18030 reads it, but as rare characters
        bytes(range(256)) * 4,  # binary
        "政府信息".encode("utf-16-le"),  # UTF-16 without its BOM: not guessed
        codecs.BOM_UTF16_LE + b"\x00\xd8",  # a BOM, then a broken surrogate
    ],
)
def test_anything_else_is_refused_with_how_to_save_as_utf8(data):
    with pytest.raises(InputError) as info:
        decode_text(data, source="导出.json")
    message = str(info.value)
    assert "导出.json" in message
    assert "记事本" in message and "另存为" in message and "UTF-8" in message and "WPS" in message
    assert SAVE_AS_UTF8_HINT in message


@pytest.mark.parametrize("encoding", ["gbk", "utf-16", "utf-8-sig"])
def test_check_reads_the_sample_saved_by_windows(cli, tmp_path, encoding):
    """The CLI reads the sample JSON saved in each encoding, with the same findings."""
    path = tmp_path / "导出.json"
    path.write_bytes(SAMPLE_JSON.read_text(encoding="utf-8").encode(encoding))
    r = cli("check", path, "--format", "json")
    assert r.code == 0, r.err
    reference = cli("check", SAMPLE_JSON, "--format", "json")
    assert [f["rule"] for f in json.loads(r.out)] == [f["rule"] for f in json.loads(reference.out)]


def test_utf16_json_without_the_json_suffix_is_recognised(cli, tmp_path):
    path = tmp_path / "导出.txt"  # PowerShell: gdr-gen export 表.xlsx -o - > 导出.txt
    path.write_bytes(SAMPLE_JSON.read_text(encoding="utf-8").encode("utf-16"))
    assert cli("check", path).code == 0


def test_export_to_stdout_on_a_gbk_console_reads_back(cli, tmp_path, monkeypatch):
    """``export -o - > 导出.json`` on a GBK console, then ``check 导出.json``."""
    import io
    import sys

    buffer = io.BytesIO()
    stream = io.TextIOWrapper(buffer, encoding="gbk", write_through=True)
    monkeypatch.setattr(sys, "stdout", stream)
    from gdr_gen.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(["export", str(SAMPLE_JSON), "-o", "-"])
    assert exit_info.value.code == 0
    path = tmp_path / "导出.json"
    path.write_bytes(buffer.getvalue())
    monkeypatch.undo()
    assert cli("check", path).code == 0
