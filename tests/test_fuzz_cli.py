"""The real program on the nastiest inputs the fuzz tests make: no traceback, exit 0/1/2.

Each file is given to ``python -m gdr_gen check`` and ``build --force -f docx,html`` in a
fresh process (what staff run), and must come out unchanged.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_JSON = ROOT / "sample_inputs" / "巫山县2022.json"
SAMPLE_BOOK = ROOT / "sample_inputs" / "巫山县2022.xlsx"
LO_BOOK = ROOT / "tests" / "fixtures" / "巫山县2022-libreoffice.xlsx"


def _rewrite(src: Path, member: str, old: bytes, new: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == member:
                assert old in data
                data = data.replace(old, new, 1)
            zout.writestr(info.filename, data)
    return buf.getvalue()


def _json_with(change) -> bytes:
    data = json.loads(SAMPLE_JSON.read_text(encoding="utf-8"))
    change(data)
    return json.dumps(data, ensure_ascii=True).encode()


def _nasty() -> dict[str, bytes]:
    raw = SAMPLE_BOOK.read_bytes()
    central = raw.index(b"PK\x01\x02")
    bad_version = raw[: central + 6] + b"\xff\x00" + raw[central + 8 :]
    return {
        "surrogates.json": _json_with(
            lambda d: d.update(agency="巫山县\ud800人民政府\x07", year="\udfff")
        ),
        "control.json": _json_with(
            lambda d: d["narrative"]["overview"]["sections"][0].update(
                title="\x00\x1b[31m标题\ufffe"
            )
        ),
        "deep.json": b'{"format": "2021", "agency": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        "huge-int.json": SAMPLE_JSON.read_bytes().replace(
            b'"year": 2022', b'"year": ' + b"9" * 4301
        ),
        "truncated.xlsx": raw[: len(raw) // 2],
        "zip-version.xlsx": bad_version,
        "entity.xlsx": _rewrite(
            LO_BOOK,
            "xl/sharedStrings.xml",
            b"<sst ",
            b'<!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa">]><sst ',
        ),
        "charref.xlsx": _rewrite(LO_BOOK, "[Content_Types].xml", b"<Override", b"&#0;<Override"),
        "far-cell.xlsx": _rewrite(
            LO_BOOK,
            "xl/worksheets/sheet5.xml",
            b"</sheetData>",
            b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>',
        ),
        "x-escape.xlsx": _rewrite(
            LO_BOOK,
            "xl/sharedStrings.xml",
            "巫山县人民政府".encode(),
            "巫山县_xD800__x0007_人民政府".encode(),
        ),
    }


NASTY = _nasty()


@pytest.mark.parametrize("name", sorted(NASTY))
def test_cli_on_hostile_files(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(NASTY[name])
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    env = {**os.environ, "COLUMNS": "200", "PYTHONIOENCODING": "utf-8"}
    env.pop("GDR_GEN_DEBUG", None)
    for args in (["check"], ["build", "--force", "-f", "docx,html", "-o", str(tmp_path / "out")]):
        proc = subprocess.run(
            [sys.executable, "-m", "gdr_gen", *args, str(path)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            timeout=120,
        )
        err = proc.stderr.decode("utf-8")
        out = proc.stdout.decode("utf-8")
        assert proc.returncode in (0, 1, 2), (args, proc.returncode, err)
        assert "Traceback" not in err + out, (args, err)
        assert "程序内部错误" not in err + out, (args, err)
        if proc.returncode == 2:
            assert err.strip() or out.strip()  # a message says why
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
