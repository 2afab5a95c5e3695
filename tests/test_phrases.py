"""The phrase files (gdr_gen/checks/phrases/*.toml): every example behaves as stated, a wrong
edit fails naming the file and the example, and the generated sentences use the same words."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

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
