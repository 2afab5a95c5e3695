"""Small, deterministic reductions of what the fuzz tests (tests/test_fuzz_*.py) found.

Each test names the hostile input, and asserts what the user gets instead of a traceback:
a finding, an InputError (exit 2), or the same answer from both workbook readers.
"""

from __future__ import annotations

import io
import json
import re
import struct
import zipfile
from pathlib import Path

import pytest

from gdr_gen.document import build_document
from gdr_gen.errors import InputError, OutputError
from gdr_gen.readers import LoadResult
from gdr_gen.readers.calamine_source import CalamineSource, open_source, read_workbook_fast
from gdr_gen.readers.json_reader import read_json
from gdr_gen.readers.xlsx_reader import read_workbook, wanted_sheets
from gdr_gen.writers.docx_writer import docx_bytes, render_to_word
from gdr_gen.writers.html_writer import render_html
from gdr_gen.writers.json_writer import dumps
from gdr_gen.writers.xlsx_writer import workbook_bytes

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_JSON = ROOT / "sample_inputs" / "巫山县2022.json"
SAMPLE_BOOK = ROOT / "sample_inputs" / "巫山县2022.xlsx"
LO_BOOK = (
    ROOT / "tests" / "fixtures" / "巫山县2022-libreoffice.xlsx"
)  # shared strings, cached values


def rewrite(src: Path, out: Path, member: str, change) -> Path:
    """A copy of workbook ``src`` with one zip member's bytes passed through ``change``."""
    buf = io.BytesIO()
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == member:
                data = change(data)
                assert data != zin.read(info.filename), "the edit did not apply"
            zout.writestr(info.filename, data)
    out.write_bytes(buf.getvalue())
    return out


def comparable(res: LoadResult) -> tuple:
    return dumps(res.report), [f.to_dict() for f in res.findings], set(res.invalid)


def both_readers(path: Path) -> LoadResult:
    """Read with openpyxl and with calamine; the two must agree exactly."""
    slow, fast = read_workbook(path), read_workbook_fast(path)
    assert comparable(fast) == comparable(slow)
    return fast


def uses_calamine(path: Path) -> bool:
    src = open_source(path, path.read_bytes(), wanted_sheets(), max_rows=200)
    return isinstance(src, CalamineSource)


def renders(res: LoadResult) -> None:
    """Every output of the report can be encoded (no lone surrogate, no XML-invalid char)."""
    doc = build_document(res.report)
    render_html(doc).encode("utf-8")
    dumps(res.report).encode("utf-8")
    docx_bytes(doc)


# ---------------------------------------------------------------- JSON: lone surrogates
def test_json_lone_surrogate_is_a_finding_and_every_writer_works(tmp_path):
    data = json.loads(SAMPLE_JSON.read_text(encoding="utf-8"))
    data["agency"] = "巫山县\ud800人民政府"
    data["narrative"]["overview"]["sections"][0]["text"] += "x\udfffy"
    data["proactive"]["rules"]["issued"] = "1\ud800"  # a wrong type, quoted in a message
    path = tmp_path / "s.json"
    path.write_text(json.dumps(data, ensure_ascii=True), encoding="utf-8")  # "\ud800" escapes
    assert "\\ud800" in path.read_text(encoding="utf-8")

    res = read_json(path)
    findings = res.check()
    surrogate = {f.location for f in findings if "代理项" in f.message}
    assert surrogate == {
        "agency",
        "narrative.overview.sections[0].text",
        "proactive.rules.issued",
    }
    assert res.report.agency == "巫山县\ufffd人民政府"
    for f in findings:
        f.message.encode("utf-8")
    renders(res)


def test_json_lone_surrogate_in_a_key(tmp_path):
    path = tmp_path / "k.json"
    text = SAMPLE_JSON.read_text(encoding="utf-8").replace(
        '"agency":', '"agency\\udc00": 1, "agency":', 1
    )
    path.write_text(text, encoding="utf-8")
    res = read_json(path)
    unknown = [f for f in res.findings if "未知字段" in f.message]
    assert [f.location for f in unknown] == ["agency\ufffd"]
    assert any(f.location == "agency\ufffd" and "代理项" in f.message for f in res.findings)


# ---------------------------------------------------------------- writers: XML-invalid text
@pytest.mark.parametrize("bad", ["\x00", "\x0b", "\x1b", "\ufffe", "\uffff"])
def test_docx_with_control_characters_in_the_agency(tmp_path, bad):
    data = json.loads(SAMPLE_JSON.read_text(encoding="utf-8"))
    data["agency"] = f"巫山县{bad}人民政府"
    path = tmp_path / "c.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    doc = build_document(read_json(path).report)
    word = render_to_word(doc)
    assert word.core_properties.author == "巫山县人民政府"
    assert word.core_properties.title.startswith("巫山县人民政府")


@pytest.mark.parametrize("bad", ["\ufffe", "\uffff"])
def test_workbook_writer_refuses_non_characters_with_a_message(tmp_path, bad):
    data = json.loads(SAMPLE_JSON.read_text(encoding="utf-8"))
    data["agency"] = f"巫山县{bad}"
    path = tmp_path / "n.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(OutputError, match=f"U\\+{ord(bad):04X}"):
        workbook_bytes(read_json(path).report)


# ---------------------------------------------------------------- damaged zip containers
def test_zip_claiming_an_unknown_zip_version(tmp_path):
    data = bytearray(SAMPLE_BOOK.read_bytes())
    at = data.index(b"PK\x01\x02")  # the first central directory entry
    data[at + 6 : at + 8] = struct.pack("<H", 255)  # "version needed to extract": 25.5
    path = tmp_path / "v.xlsx"
    path.write_bytes(bytes(data))
    for read in (read_workbook, read_workbook_fast):
        with pytest.raises(InputError, match="文件已损坏"):
            read(path)


def test_zip_with_damaged_compressed_data(tmp_path):
    """Bytes flipped inside a member's deflate stream: zlib.error, not a zip error."""
    raw = SAMPLE_BOOK.read_bytes()
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        info = zf.getinfo("xl/workbook.xml")
    name_len, extra_len = struct.unpack(
        "<HH", raw[info.header_offset + 26 : info.header_offset + 30]
    )
    start = info.header_offset + 30 + name_len + extra_len
    hit = 0
    for offset in range(2, 40, 3):
        data = bytearray(raw)
        data[start + offset] ^= 0xFF
        path = tmp_path / f"z{offset}.xlsx"
        path.write_bytes(bytes(data))
        for read in (read_workbook, read_workbook_fast):
            try:
                read(path)
            except InputError:
                hit += 1
    assert hit > 0


# ---------------------------------------------------------------- calamine ≡ openpyxl
def test_invalid_character_reference_in_content_types(tmp_path):
    """openpyxl refuses ``&#0;`` anywhere it parses; the fast reader must not accept it."""
    path = rewrite(
        LO_BOOK,
        tmp_path / "cr.xlsx",
        "[Content_Types].xml",
        lambda b: b.replace(b"<Override", b"&#0;<Override", 1),
    )
    for read in (read_workbook, read_workbook_fast):
        with pytest.raises(InputError, match="工作簿已损坏"):
            read(path)


def test_markup_inside_a_shared_string_text(tmp_path):
    """``<t>2022<c/>1</t>``: openpyxl reads "2022", calamine "20221"."""
    path = rewrite(
        LO_BOOK,
        tmp_path / "t.xlsx",
        "xl/sharedStrings.xml",
        lambda b: b.replace("印发</t>".encode(), "印发<c r='A1'><v>1</v></c>X</t>".encode(), 1),
    )
    assert not uses_calamine(path)
    both_readers(path)


def test_markup_inside_a_value(tmp_path):
    """``<v>38<v>NaN</v></v>``: openpyxl reads 38, the scan's pattern "38<v>NaN"."""
    path = rewrite(
        LO_BOOK,
        tmp_path / "v.xlsx",
        "xl/worksheets/sheet5.xml",
        lambda b: b.replace(b"<v>39</v>", b"<v>39<v>NaN</v></v>", 1),
    )
    assert not uses_calamine(path)
    res = both_readers(path)
    assert res.report.requests.row("new").total == 39


def test_cell_outside_its_row(tmp_path):
    """``<row r="10">…<c r="D6">``: openpyxl puts it in row 10, calamine in row 6."""

    def move(b: bytes) -> bytes:
        return re.sub(rb'(<c r="J10".*?</c>)', rb'\1<c r="D6"><f>1+1</f></c>', b, count=1)

    path = rewrite(LO_BOOK, tmp_path / "r.xlsx", "xl/worksheets/sheet5.xml", move)
    assert not uses_calamine(path)
    res = both_readers(path)
    assert [f.location for f in res.findings if f.rule == "XL-02"] == ["表三!D10"]


@pytest.mark.parametrize("escape", ["_x0007_", "_xD800_"])
def test_x_escapes_in_text(tmp_path, escape):
    """``_x0007_`` in an inline string: calamine decodes it, openpyxl keeps it as typed;
    decoded or not (shared strings), a lone surrogate never reaches the writers."""
    src = SAMPLE_BOOK if escape == "_x0007_" else LO_BOOK
    if src == SAMPLE_BOOK:
        import openpyxl

        wb = openpyxl.load_workbook(src)
        wb["基本信息"]["B3"] = f"巫山县{escape}人民政府"
        path = tmp_path / "e.xlsx"
        wb.save(path)
    else:
        path = rewrite(
            src,
            tmp_path / "e.xlsx",
            "xl/sharedStrings.xml",
            lambda b: b.replace("巫山县人民政府".encode(), f"巫山县{escape}人民政府".encode(), 1),
        )
    assert not uses_calamine(path)
    res = both_readers(path)
    assert "\ud800" not in res.report.agency
    renders(res)


def test_cell_outside_sheet_data(tmp_path):
    """A ``<c>`` straight under ``<worksheet>``: openpyxl skips it, the scan took it."""
    path = rewrite(
        SAMPLE_BOOK,
        tmp_path / "o.xlsx",
        "xl/worksheets/sheet4.xml",
        lambda b: b.replace(b"<sheetPr>", b'<c r="D6" t="e"><v>#REF!</v></c><sheetPr>', 1),
    )
    assert not uses_calamine(path)
    res = both_readers(path)
    assert res.findings == []
    assert res.report.proactive.docs["normative_documents"].in_force == 60


@pytest.mark.parametrize(
    ("stored", "shown"),
    [(b"38.0", "38.0"), (b"3.8E1", "38.0"), (b"9007199254740993", "9007199254740993")],
)
def test_number_text_decides_int_or_float(tmp_path, stored, shown):
    """openpyxl reads a stored number as int unless its text has "." or an exponent, and
    reads big integers exactly; calamine gives floats. ``38.0`` typed over a total shows as
    38.0 in both readers' messages, 2**53+1 is not rounded."""

    def over_total(b: bytes) -> bytes:
        return b.replace(b'<f aca="false">SUM(D6:I6)</f><v>39</v>', b"<v>" + stored + b"</v>", 1)

    path = rewrite(LO_BOOK, tmp_path / "n.xlsx", "xl/worksheets/sheet5.xml", over_total)
    res = both_readers(path)
    xl = [f for f in res.findings if f.location == "表三!J6"]
    assert xl and f"显示为 {shown}" in xl[0].message


def test_forged_shared_strings_count_does_not_abort(tmp_path):
    """``<sst uniqueCount="99999999999">``: calamine reserved 2.4 TB up front and the Rust
    allocator aborted the process (no message at all). openpyxl ignores the count."""
    path = rewrite(
        LO_BOOK,
        tmp_path / "u.xlsx",
        "xl/sharedStrings.xml",
        lambda b: re.sub(rb'uniqueCount="\d+"', b'uniqueCount="99999999999"', b, count=1),
    )
    assert not uses_calamine(path)
    res = both_readers(path)
    assert res.report.agency == "巫山县人民政府"


# ---------------------------------------------------------------- issue 15: huge numbers
def test_json_huge_declared_total_is_a_finding_and_renders(tmp_path):
    """Random fuzzing found ``"granted": [17, 0, 0, 0, 0, 0, 389999999999999999999999992]``:
    the JSON reader took the 27-digit total and the percentage in the generated sentences
    raised decimal.InvalidOperation (28-digit context). Now a count above MAX_COUNT is VAL-01
    at its key, as in the workbook reader, and percentages are exact at any size."""
    from gdr_gen.sentences import percent

    data = json.loads(SAMPLE_JSON.read_text(encoding="utf-8"))
    data["requests"]["granted"][6] = 389_999_999_999_999_999_999_999_992
    path = tmp_path / "big.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    res = read_json(path)
    assert [(f.rule, f.location) for f in res.findings] == [("VAL-01", "requests.granted[6]")]
    assert "数值大得不合理" in res.findings[0].message
    assert len(res.findings[0].message) < 80
    renders(res)
    assert percent(389_999_999_999_999_999_999_999_992, 39) == "999999999999999999999999979.5%"
    assert percent(25, 39) == "64.1%"


@pytest.mark.parametrize("stored", [b"1e20", b"3000000", b"-1e20", b"1e999", b"1e300"])
def test_number_beyond_the_date_range_in_a_date_cell(tmp_path, stored):
    """基本信息!B7 (发布日期) is date-formatted: a number past 9999-12-31 made calamine panic
    (a Rust PanicException, which is not an Exception: a traceback for the user) or read
    inf, where openpyxl gives #VALUE!. Such a file is read with openpyxl; both agree."""

    def put(b: bytes) -> bytes:
        return re.sub(
            rb'(<c r="B7"[^>]*?)(?: t="[^"]*")?(?:/>|>.*?</c>)',
            lambda m: m.group(1) + b' t="n"><v>' + stored + b"</v></c>",
            b,
            count=1,
        )

    path = rewrite(SAMPLE_BOOK, tmp_path / "d.xlsx", "xl/worksheets/sheet2.xml", put)
    assert not uses_calamine(path)
    res = both_readers(path)
    assert [(f.rule, f.location) for f in res.findings] == [("DATA-01", "基本信息!B7")]


def test_very_long_agency_name_still_writes_word(tmp_path):
    """Random fuzzing (random bytes of the sample JSON) made the agency "巫山县人民政府"
    followed by 300 nines: python-docx refused the 255-character document title and the
    Word writer crashed. The title and author are cut to 255 characters instead."""
    import docx

    data = json.loads(SAMPLE_JSON.read_text(encoding="utf-8"))
    data["agency"] = "巫山县人民政府" + "9" * 300
    path = tmp_path / "long.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    res = read_json(path)
    word = docx.Document(io.BytesIO(docx_bytes(build_document(res.report))))
    props = word.core_properties
    assert len(props.title) == 255 and props.title.startswith("巫山县人民政府999")
    assert props.title.endswith("…")
    assert len(props.author) == 255
