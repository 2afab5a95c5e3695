"""The phrase files (gdr_gen/checks/phrases/*.toml): every example behaves as stated, a wrong
edit fails naming the file and the example, and the generated sentences use the same words."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gdr_gen.checks.prose import lexicon
from gdr_gen.checks.vocabulary import Phrases, example_ok, examples, phrases, validate
from gdr_gen.readers.json_reader import report_from_data

EXAMPLES = list(examples(phrases()))


@pytest.mark.parametrize(
    ("f", "e", "example", "expected"),
    EXAMPLES,
    ids=[f"{f.name}:{e.key}:{'match' if exp else 'no_match'}:{ex}" for f, e, ex, exp in EXAMPLES],
)
def test_phrase_example(f, e, example, expected):
    want = "应当匹配" if expected else "不应匹配"
    assert example_ok(f, e, example, expected, phrases()), (
        f"phrases/{f.name} 条目 {e.key} 的例句“{example}”{want}"
    )


def test_every_entry_has_both_kinds_of_example():
    assert validate() == []
    for name in phrases().names():
        for e in phrases()[name]:
            assert e.match and e.no_match, f"phrases/{name}.toml {e.key}"


def test_a_wrong_edit_fails_naming_file_and_example(tmp_path):
    folder = tmp_path / "phrases"
    shutil.copytree(phrases().directory, folder)
    claims = folder / "claims.toml"
    text = claims.read_text(encoding="utf-8")
    wording = "'(?:信息处理费|处理费|收费)(?:的)?(?:收取)?(?:情况|事项)?\\s*[：:]\\s*无', "
    assert wording in text
    claims.write_text(text.replace(wording, ""), encoding="utf-8")  # forget a wording
    problems = [str(p) for p in validate(Phrases(folder))]
    assert problems == [
        "phrases/claims.toml 条目 fee_none 的例句“信息处理费收取情况：无”应当匹配，但没有匹配"
    ]
    subjects = folder / "subjects.toml"
    text = subjects.read_text(encoding="utf-8")
    subjects.write_text(text.replace("(?:自然人|公民个人|个人)", "(?:自然人)"), encoding="utf-8")
    problems = [str(p) for p in validate(Phrases(folder))]
    assert (
        "phrases/subjects.toml 条目 natural 的例句“收到政府信息公开申请5件，其中公民个人申请4件。”应当匹配，但没有匹配"
        in problems
    )


def test_phrase_files_are_not_read_at_import():
    code = (
        "import gdr_gen.checks, gdr_gen.checks.vocabulary as v, gdr_gen.sentences;"
        "print(v.phrases.cache_info().currsize)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "0"


def _render(data):
    from gdr_gen.sentences import SentenceOptions, render_sentences

    return render_sentences(report_from_data(data).report, SentenceOptions.all("on"))


def test_generated_sentences_are_read_by_the_checks(sample_data):
    """What the builder writes, the checks accept: every figure of the generated 依申请公开
    sentence is attributed, and the words for 'none' are the claims the rules read."""
    from gdr_gen.checks.figures import Sentence, normalize, tokens
    from gdr_gen.checks.prose import quotes_in

    text = _render(sample_data)["requests"]
    report = report_from_data(sample_data).report
    norm = normalize(text)
    quotes = quotes_in(Sentence(text, norm, "narrative.overview.intro", "overview", norm), report)
    assert {q.key for q in quotes} >= {"new", "natural", "legal", "handled", "granted", "partial"}
    assert len(quotes) == len([t for t in tokens(norm) if t.kind == "count"])
    sample_data["processing_fee"] = {"cases": 0, "amount_yuan": "0"}
    for key in sample_data["appeals"]:
        sample_data["appeals"][key] = [0] * 5
    for key in sample_data["requests"]:
        sample_data["requests"][key] = [0] * 7
    words = _render(sample_data)
    claims = lexicon().claims
    assert claims["fee_none"].search(normalize(words["fee"]))
    assert claims["no_appeals"].search(normalize(words["appeals"]))
    assert claims["no_requests"].search(normalize(words["requests"]))


def test_generated_none_sentences_fire_when_the_tables_disagree(sample_data):
    sample_data["processing_fee"] = {"cases": 0, "amount_yuan": "0"}
    for key in sample_data["appeals"]:
        sample_data["appeals"][key] = [0] * 5
    for key in sample_data["requests"]:
        sample_data["requests"][key] = [0] * 7
    words = _render(sample_data)
    sample_data["narrative"]["overview"] = {
        "intro": words["requests"] + words["appeals"],
        "sections": [],
    }
    sample_data["narrative"]["other"] = {"intro": words["fee"], "sections": []}
    rules = ["NT-01", "NT-05", "NT-08"]
    assert report_from_data(sample_data).check(only=rules) == []
    sample_data["processing_fee"] = {"cases": 2, "amount_yuan": "300"}
    sample_data["appeals"]["reconsideration"] = [1, 0, 0, 0, 1]
    sample_data["requests"]["new"] = [3, 0, 0, 0, 0, 0, 3]
    got = {f.rule for f in report_from_data(sample_data).check(only=rules)}
    assert got == set(rules)


# ---- fillers matched once per clause (Lexicon.tail_search) give the matches the old
# per-pattern form "(?:subject)(?:fillers)*$" gave
def _old_form(pattern: str) -> re.Pattern[str]:
    fillers = phrases()["fillers"].alternation()
    return re.compile(f"(?:{pattern})(?:{fillers})*$")


def _lexicon_patterns() -> list[tuple[str, re.Pattern[str], re.Pattern[str]]]:
    L = lexicon()
    p = phrases()
    out = [(s.key, rx, _old_form(s.pattern)) for s, rx in L.subjects]
    outcomes = [e for e in p["appeals"] if e.get("kind") == "outcome"]
    out += [(str(e.get("name")), rx, _old_form(e.pattern)) for e, (_, rx, _) in
            zip(outcomes, L.outcomes, strict=True)]  # fmt: skip
    out += [(k, rx, _old_form(pat)) for (k, _, rx), (_, _, pat) in
            zip(L.doc_res, L.doc_subjects, strict=True)]  # fmt: skip
    out.append(("fee", L.fee_re, _old_form(r"行政事业性收费(?:金额|收入)?")))
    bare = L.doc_bare.pattern[:-1]  # without its final "$"
    fillers = phrases()["fillers"].alternation()
    out.append(("doc_bare", L.doc_bare, re.compile(f"{bare}(?:{fillers})*$")))
    return out


def _lefts() -> list[str]:
    """Every text before a figure in the real-sentence corpus and the generated sentences."""
    text = (Path(__file__).parent / "corpus" / "real_sentences.txt").read_text("utf-8")
    out = set()
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        for m in re.finditer(r"\d", line):
            left = line[: m.start()]
            cut = max((c.end() for c in re.finditer(r"[，,；;：:。]", left)), default=0)
            out.add(left[cut:])
            out.add(left[-40:])
    return sorted(out)


def test_tail_search_matches_the_old_pattern_form_on_real_text():
    L = lexicon()
    lefts = _lefts()
    assert len(lefts) > 500
    hits = 0
    for key, new, old in _lexicon_patterns():
        for left in lefts:
            a, b = L.tail_search(new, left), old.search(left)
            assert (a is None) == (b is None), (key, left)
            if a is not None and b is not None:
                hits += 1
                assert (a.start(), a.end()) == (b.start(), b.end()), (key, left)
    assert hits > 300  # the comparison really covered matches


_FILL_WORDS = ["的", "共", "共计", "计", "为", "件数", "数", "申请", " ", "\n", "了", "达到"]


@given(
    st.lists(
        st.sampled_from(
            [
                *_FILL_WORDS,
                "收到",
                "申请",
                "办结",
                "行政复议",
                "规范性文件",
                "结转",
                "新收",
                "予以公开",
            ]
        ),
        max_size=12,
    )
)
def test_tail_search_matches_the_old_pattern_form_on_generated_text(words):
    L = lexicon()
    left = "".join(words)
    for key, new, old in _lexicon_patterns():
        a, b = L.tail_search(new, left), old.search(left)
        assert (a is None) == (b is None), (key, left)
        if a is not None and b is not None:
            assert (a.start(), a.end()) == (b.start(), b.end()), (key, left)


# ---------------------------------------------------------------- the compiled copy in the wheel
def _compile_into(folder: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    try:
        from hatch_build import COMPILED_NAME, compile_phrases
    finally:
        sys.path.pop(0)
    (folder / COMPILED_NAME).write_bytes(compile_phrases(folder))


def _contents(p: Phrases) -> dict[str, object]:
    return {name: p[name] for name in p.names()}


def test_compiled_phrases_read_exactly_like_the_toml(tmp_path, monkeypatch):
    """The wheel's compiled.json (hatch_build.py) gives the same entries as parsing the TOML,
    and is really used: with it present, tomllib is never called."""
    pytest.importorskip("hatchling")
    from gdr_gen.checks import vocabulary

    folder = tmp_path / "phrases"
    shutil.copytree(phrases().directory, folder, ignore=shutil.ignore_patterns("compiled.json"))
    from_toml = _contents(Phrases(folder))
    _compile_into(folder)

    def no_toml(text: str) -> dict[str, object]:
        raise AssertionError("tomllib used although compiled.json matches")

    monkeypatch.setattr(vocabulary, "_toml_loads", no_toml)
    from_json = _contents(Phrases(folder))
    assert from_json == from_toml
    for name, f in from_json.items():  # data (compare=False in Entry) too
        assert [e.data for e in f] == [e.data for e in from_toml[name]], name


def test_an_edited_phrase_file_is_read_from_its_toml(tmp_path):
    """A compiled entry whose CRC-32 no longer matches its .toml is ignored: the edit counts."""
    pytest.importorskip("hatchling")
    folder = tmp_path / "phrases"
    shutil.copytree(phrases().directory, folder, ignore=shutil.ignore_patterns("compiled.json"))
    _compile_into(folder)
    claims = folder / "claims.toml"
    text = claims.read_text(encoding="utf-8")
    assert "'无收费'" in text or '"无收费"' in text
    claims.write_text(text.replace("无收费", "分文未收"), encoding="utf-8")
    words = [w for e in Phrases(folder)["claims"] for w in e.words]
    assert "分文未收" in words and "无收费" not in words
    (folder / "compiled.json").write_text("not json", encoding="utf-8")  # damaged: TOML again
    assert [w for e in Phrases(folder)["claims"] for w in e.words] == words
