"""False alarms of the prose rules: over the labelled corpus and over the 4 real samples.

Run from the repository root:  python benchmarks/prose_false_alarms.py

Corpus (tests/corpus/prose_cases.json): a finding on a known-good text is a false alarm;
on a known-bad text, a finding that matches no label is counted separately ("extra").
Real samples (tests/corpus/samples): every rule runs (no --previous); each finding was read
and labelled by hand in SAMPLE_LABELS below. A finding without a label is printed as
"UNLABELLED" so a change in behaviour shows.

Figures measured by the check-rule review (branch rev-checks), over the 202 cases of the
corpus after it (118 known-good, 84 known-bad):
  before the review's fixes: findings on known-good texts / all = 8/99, labels found 88/96
  after:                     0/96, labels found 96/96
  held-out set (rev-heldout-*, written after the first round of fixes, before tuning):
                             1 false alarm in 24 known-good texts (因信访举报投诉类申请不予处理12件,
                             one item of （五）), fixed; 14/14 labels found
  real samples: 0 false alarms / 5 findings (all 5 read and confirmed)

Real sentences (tests/corpus/real_sentences.txt, issue 16): quoted from published reports with
their addresses; each is put into a report whose tables agree (must stay quiet) and, per
labelled fact, into one where that fact is off by 3 or the opposite holds (its rule must fire).
Measured on branch prose-16 (405 sentences, 187 agencies, 189 reports):
  before (main, with the same corpus): false errors 1, false warnings 6, found 167/310
  after:  false errors / all findings 0/320, false warnings 0/320, found 306/310
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from prose_corpus import BASES, FIGURE_RULES, cases, check_case, run, sample  # noqa: E402
from real_corpus import evaluate, load  # noqa: E402

# (sample, rule, piece of the message) → verdict after reading the report.
SAMPLE_LABELS: dict[tuple[str, str, str], str] = {
    (
        "wushan",
        "NT-06",
        "县政府",
    ): "true (warning): prose counts 县政府's 51 documents, 表二 says 60",
    ("wushan", "NT-09", "责任追究"): "true (warning): no 责任追究结果 in a 人民政府's 总体情况",
    ("shuyang-gov", "NT-01", "上年结转"): "true (warning): 受理749件 = 一 713 + 二 36",
    ("shuyang-gov", "NT-09", "社会评议"): "true (warning): no 社会评议 / 责任追究 in 总体情况",
    ("huaian", "NT-09", "工作考核"): "true (warning): no 考核 / 评议 / 责任追究 in 总体情况",
}


def corpus_figures() -> None:
    good_findings = bad_findings = extra = labels = hit = 0
    n_good = n_bad = 0
    for case in cases():
        out = check_case(case)
        if case["kind"] == "good":
            n_good += 1
            good_findings += len(out.findings)
            for f in out.findings:
                print(f"  false alarm  {case['id']}: {f.rule} {f.message[:80]}")
        else:
            n_bad += 1
            bad_findings += len(out.findings)
            extra += len(out.unexpected)
            labels += len(case["expect"])
            hit += len(case["expect"]) - len(out.missing)
            for m in out.missing:
                print(f"  missed       {case['id']}: {m}")
    total = good_findings + bad_findings
    _group_figures()
    print(
        f"corpus: {n_good} known-good texts, {n_bad} known-bad texts (rules {FIGURE_RULES[0]}…{FIGURE_RULES[-1]})"
    )
    print(f"  findings on known-good texts / all findings = {good_findings}/{total}")
    print(f"  labelled findings found = {hit}/{labels}; extra findings on bad texts = {extra}")


def _group_figures() -> None:
    """The same figures per group of cases: the first corpus, the review's, its held-out set."""
    groups: dict[str, list[int]] = {}
    for case in cases():
        cid = case["id"]
        name = (
            "rev-heldout"
            if cid.startswith("rev-heldout")
            else "rev"
            if cid[:4] == "rev-"
            else "first"
        )
        out = check_case(case)
        g = groups.setdefault(name, [0, 0, 0, 0])  # good findings, all findings, hit, labels
        g[1] += len(out.findings)
        if case["kind"] == "good":
            g[0] += len(out.findings)
        else:
            g[2] += len(case["expect"]) - len(out.missing)
            g[3] += len(case["expect"])
    for name, (gf, allf, hit, labels) in groups.items():
        print(f"  {name:12} known-good findings / all = {gf}/{allf}; labels found {hit}/{labels}")


def sample_figures() -> None:
    n_all = n_false = n_unlabelled = 0
    for name in sorted(BASES):
        findings = run(sample(name), rules=None)
        print(f"sample {BASES[name]}: {len(findings)} finding(s)")
        for f in findings:
            n_all += 1
            label = next(
                (
                    v
                    for (s, r, piece), v in SAMPLE_LABELS.items()
                    if s == name and r == f.rule and piece in f.message
                ),
                None,
            )
            if label is None:
                n_unlabelled += 1
                label = "UNLABELLED"
            elif label.startswith("false"):
                n_false += 1
            print(f"  {f.rule} {f.severity.value:7} {label}")
    print(f"samples: false alarms / all findings = {n_false}/{n_all}; unlabelled = {n_unlabelled}")


def real_figures() -> None:
    """The real sentences (tests/corpus/real_sentences.txt): each in a report whose tables agree
    (any finding is a false alarm) and in one per labelled fact where that fact is off."""
    sentences = load()
    false_e = false_w = false_i = found = labelled = contradiction = 0
    for s in sentences:
        r = evaluate(s)
        for f in r.false_alarms:
            print(f"  false alarm  {s.id} {f.rule} {f.severity.value}: {f.message[:90]}")
            false_e += f.severity.value == "error"
            false_w += f.severity.value == "warning"
            false_i += f.severity.value == "info"
        for key in r.missed:
            print(f"  missed       {s.id} {key}: {s.text[:60]}")
        found += len(r.found)
        labelled += len(r.found) + len(r.missed)
        contradiction += r.contradiction_findings
    total = false_e + false_w + false_i + contradiction
    agencies = len({s.agency for s in sentences})
    print(
        f"real sentences: {len(sentences)} from {agencies} agencies ({len({s.url for s in sentences})} reports)"
    )
    print(f"  false errors / all findings   = {false_e}/{total}")
    print(f"  false warnings / all findings = {false_w}/{total}  (infos {false_i})")
    print(f"  labelled findings found       = {found}/{labelled}")


if __name__ == "__main__":
    corpus_figures()
    real_figures()
    sample_figures()
