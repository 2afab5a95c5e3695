"""Fuzz the JSON reader: any file gives a LoadResult (with findings) or a GdrError.

Hostile values are put at every key path of the sample (type swaps, huge numbers, deep
nesting, odd unicode, lone surrogates, rows of the wrong length, deleted keys), and random
bytes of the sample file are changed; whatever the reader accepts must then survive the
checks, the document model and the HTML writer (and the Word writer when the checks found
no error). Nothing but GdrError may escape, and the input file is never changed.
"""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from fuzzing import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gdr_gen.checks.engine import Severity
from gdr_gen.document import build_document
from gdr_gen.errors import GdrError
from gdr_gen.readers import LoadResult
from gdr_gen.readers.json_reader import _object_pairs, read_json, report_from_data
from gdr_gen.writers.docx_writer import docx_bytes
from gdr_gen.writers.html_writer import render_html
from gdr_gen.writers.json_writer import dumps

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_inputs" / "巫山县2022.json"
RAW = SAMPLE.read_bytes()
DATA = json.loads(RAW, parse_float=Decimal, object_pairs_hook=_object_pairs)
SETTINGS = settings(
    max_examples=examples(250),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def key_paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix] if prefix else []
    if isinstance(value, dict):
        for k, v in value.items():
            out += key_paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += key_paths(v, (*prefix, i))
    return out


PATHS = key_paths(DATA)
assert len(PATHS) > 250  # every table cell, every text

odd_text = st.sampled_from(
    [
        "",
        " ",
        "NaN",
        "Infinity",
        "-0",
        "1e999999999",
        "１２",
        "3,857.85",
        "12件",
        "\u202e12",
        "\x00\x07\x1b[31m",
        "\ud800",
        "a\udfffb",
        "\ufffe\uffff",
        "\U0010ffff",
        "（一）",
        "一、标题",
        "\n\n\r\n",
        "{{ agency }}{% if x %}",
        "<script>&amp;]]>",
        "x" * 20000,
        "9" * 40,
    ]
)
numbers = st.one_of(
    st.integers(),
    st.sampled_from([2**53 + 1, -(2**63), 10**30, 10**300, 10**4000]),
    st.decimals(allow_nan=False, allow_infinity=False),
    st.sampled_from(
        [Decimal("1E+999999999"), Decimal("1e-999999"), Decimal("-0.0"), Decimal("2.0")]
    ),
)


def nested(depth: int) -> Any:
    value: Any = 0
    for _ in range(depth):
        value = [value]
    return value


leaves = st.one_of(st.none(), st.booleans(), numbers, odd_text, st.text(max_size=30))
json_values = st.one_of(
    leaves,
    st.recursive(
        leaves,
        lambda inner: (
            st.lists(inner, max_size=8) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
        ),
        max_leaves=12,
    ),
    st.integers(0, 900).map(nested),
    st.sampled_from(
        [DATA["requests"]["new"], DATA["narrative"]["overview"], DATA["narrative"], {}, []]
    ),
)


@st.composite
def mutated_data(draw: st.DrawFn) -> Any:
    data = copy.deepcopy(DATA)
    for _ in range(draw(st.integers(1, 4))):
        path = draw(st.sampled_from(PATHS))
        parent: Any = data
        try:
            for k in path[:-1]:
                parent = parent[k]
            if draw(st.integers(0, 9)) == 0:
                del parent[path[-1]]
            else:
                parent[path[-1]] = copy.deepcopy(draw(json_values))
        except (KeyError, IndexError, TypeError):
            pass  # an earlier change replaced an ancestor
    if draw(st.integers(0, 19)) == 0:
        data[draw(st.text(max_size=10))] = draw(json_values)  # an unknown key
    if draw(st.integers(0, 29)) == 0:
        return draw(json_values)  # not an object at all
    return data


def render_all(res: LoadResult, *, word: bool) -> None:
    """What build/check do with a LoadResult; every text must be encodable."""
    findings = res.check()
    for f in findings:
        f.message.encode("utf-8")
        f.location.encode("utf-8")
        json.dumps(f.to_dict(), ensure_ascii=False).encode("utf-8")
    doc = build_document(res.report)
    render_html(doc).encode("utf-8")
    dumps(res.report).encode("utf-8")
    if word and not any(f.severity == Severity.ERROR for f in findings):
        assert docx_bytes(doc)[:2] == b"PK"


@SETTINGS
@given(data=mutated_data(), word=st.integers(0, 7))
def test_hostile_values_at_every_key_path(data, word):
    try:
        res = report_from_data(data, "fuzz.json")
    except GdrError as exc:
        assert str(exc)
        return
    render_all(res, word=word == 0)


TOKENS = [
    b"{",
    b"}",
    b"[",
    b"]",
    b",",
    b":",
    b'"',
    b"\\",
    b"\\u0000",
    b"\\ud800",
    b"NaN",
    b"-Infinity",
    b"1e999999",
    b"null",
    b"true",
    b"\x00",
    b"\xff",
    b"\xef\xbb\xbf",
    b"9" * 5000,
    b"[" * 3000,
    b'"agency": 1, "agency": 2, ',
    b"\xe4\xb8",
    b"\\u202e",
]


@st.composite
def mutated_bytes(draw: st.DrawFn) -> bytes:
    b = bytearray(RAW)
    for _ in range(draw(st.integers(1, 5))):
        kind = draw(st.integers(0, 4))
        pos = draw(st.integers(0, len(b) - 1)) if b else 0
        if kind == 0 and b:
            b[pos] = draw(st.integers(0, 255))
        elif kind == 1:
            del b[pos : pos + draw(st.integers(1, 50))]
        elif kind == 2:
            b[pos:pos] = draw(st.sampled_from(TOKENS))
        elif kind == 3:
            b = b[:pos]
        else:
            q = draw(st.integers(0, max(len(b) - 1, 0)))
            b[pos:pos] = b[q : q + draw(st.integers(1, 200))]
    return bytes(b)


@SETTINGS
@given(data=mutated_bytes(), word=st.integers(0, 3))
def test_random_bytes_of_the_sample_file(tmp_path_factory, data, word):
    path = tmp_path_factory.mktemp("j") / "data.json"
    path.write_bytes(data)
    try:
        res = read_json(path)
    except GdrError as exc:
        assert str(exc)
    else:
        render_all(res, word=word == 0)
    assert path.read_bytes() == data


def test_string_values_in_the_text_fields_survive_every_writer():
    """Byte mutations rarely keep the JSON valid: put odd text in every text field directly."""
    texts = [p for p in PATHS if isinstance(_get(DATA, p), str) and p != ("format",)]
    assert len(texts) > 10
    for bad in ["\x00\x0b", "\ud800", "\ufffe", "{{ x }}", "<w:t>&"]:
        data = copy.deepcopy(DATA)
        for p in texts:
            _set(data, p, _get(data, p) + bad)
        res = report_from_data(data, "t.json")
        render_all(res, word=True)
        doc = build_document(res.report)
        assert docx_bytes(doc)[:2] == b"PK"  # even when the checks found errors


def _get(data: Any, path: tuple) -> Any:
    for k in path:
        data = data[k]
    return data


def _set(data: Any, path: tuple, value: Any) -> None:
    _get(data, path[:-1])[path[-1]] = value
