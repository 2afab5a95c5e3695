"""The corpus of real sentences (tests/corpus/real_sentences.txt) and the reports built from them.

Each sentence was quoted from a published report and labelled with the facts a careful reader
takes from it ("收到申请2件" → new=2; "未收取信息处理费" → fee=0). For each sentence two kinds
of report are built around it:

- the *agreeing* report: tables that bear out every fact. Any finding of NT-01…NT-08 on it is
  a false alarm;
- one *contradicting* report per (hard) fact: the same tables with that one fact off by 3, or
  stating the opposite (an appeal where the sentence says none). The fact's rule must fire.

Used by tests/test_real_corpus.py and benchmarks/prose_false_alarms.py.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from gdr_gen.checks import Finding
from gdr_gen.readers.json_reader import report_from_data

CORPUS = Path(__file__).resolve().parent / "corpus"
FILE = CORPUS / "real_sentences.txt"
FIGURE_RULES = [f"NT-0{i}" for i in range(1, 9)]

# fact → the rule that must fire when the tables say otherwise
RULE_OF = {
    **dict.fromkeys(("new", "done", "carried_over", "carried_forward", "all_done"), "NT-01"),
    **dict.fromkeys(("natural", "legal", "business"), "NT-02"),
    **dict.fromkeys(
        (
            "granted",
            "partial",
            "granted_partial",
            "withheld",
            "unavailable",
            "not_held",
            "not_processed",
            "other_processing",
        ),
        "NT-03",
    ),
    **dict.fromkeys(
        (
            "recon",
            "litig",
            "direct",
            "after",
            "recon_pending",
            "recon_corrected",
            "recon_other",
            "litig_pending",
            "appeals",
        ),
        "NT-05",
    ),
    **dict.fromkeys(
        (
            "norm_issued",
            "norm_repealed",
            "norm_in_force",
            "rules_issued",
            "rules_repealed",
            "rules_in_force",
        ),
        "NT-06",
    ),
    **dict.fromkeys(("licensing", "penalty", "coercion", "fees"), "NT-07"),
    **dict.fromkeys(("fee", "fee_cases", "fee_yuan"), "NT-08"),
}
OPTIONS = ("sec",)


@dataclass
class Sentence:
    text: str
    url: str
    agency: str
    year: int
    facts: dict[str, str]  # hard facts
    soft: dict[str, str] = field(default_factory=dict)
    section: str = "overview"
    line: int = 0

    @property
    def id(self) -> str:
        return f"L{self.line}"


def load(path: Path = FILE) -> list[Sentence]:
    out: list[Sentence] = []
    url = agency = ""
    year = 0
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("@ "):
            url, agency, y = (p.strip() for p in line[2:].split("|"))
            year = int(y)
            continue
        text, sep, labels = line.rpartition("=>")
        if not sep:
            raise ValueError(f"{path.name}:{n}: no '=>' in {line!r}")
        s = Sentence(text.strip(), url, agency, year, {}, line=n)
        for item in labels.split():
            if item == "-":
                continue
            key, _, value = item.partition("=")
            if key == "sec":
                s.section = value
            elif key.startswith("~"):
                s.soft[key[1:]] = value
            else:
                s.facts[key] = value
            if key.lstrip("~") not in RULE_OF and key not in OPTIONS:
                raise ValueError(f"{path.name}:{n}: unknown fact {key!r}")
        out.append(s)
    return out


# ---------------------------------------------------------------- building reports
ZERO7 = [0] * 7
_TEMPLATE: dict[str, Any] | None = None


def _template() -> dict[str, Any]:
    global _TEMPLATE
    if _TEMPLATE is None:
        data = json.loads((CORPUS / "samples" / "wushan-2022.json").read_text(encoding="utf-8"))
        for key in data["requests"]:
            data["requests"][key] = list(ZERO7)
        for key in data["appeals"]:
            data["appeals"][key] = [0] * 5
        data["proactive"] = {
            "rules": {"issued": 0, "repealed": 0, "in_force": 0},
            "normative_documents": {"issued": 0, "repealed": 0, "in_force": 0},
            "licensing": 0,
            "penalty": 0,
            "coercion": 0,
            "fees": "0",
        }
        data["processing_fee"] = {"cases": 0, "amount_yuan": "0"}
        data["agency"] = "某某局"
        data["agency_kind"] = "department"
        _TEMPLATE = data
    return copy.deepcopy(_TEMPLATE)


def _row(n: int, legal: int = 0) -> list[int]:
    return [n - legal, legal, 0, 0, 0, 0, n]


_OUTCOME_ROWS = {
    "granted": "granted",
    "partial": "partially_granted",
    "withheld": "withheld_state_secret",
    "not_held": "unavailable_not_held",
    "not_processed": "not_processed_repeated",
    "other_processing": "other_misc",
}


def build(s: Sentence, facts: dict[str, int | str]) -> dict[str, Any]:
    """A report whose tables bear out ``facts`` (integers, or "0"-style claims) with ``s`` as prose."""
    data = _template()
    data["year"] = s.year
    f = {k: (int(v) if str(v).lstrip("-").isdigit() else v) for k, v in facts.items()}

    def num(key: str, default: int = 0) -> int:
        v = f.get(key, default)
        return v if isinstance(v, int) else default

    req = data["requests"]
    new = num("new")
    natural = num("natural", new - num("legal"))
    legal = num("legal", max(new - natural, num("business")))
    if "new" not in f and ("natural" in f or "legal" in f):
        new = natural + legal
    req["new"] = [natural, legal, 0, 0, 0, 0, natural + legal]
    carried_over = num("carried_over")
    req["carried_over"] = _row(carried_over)
    forward = num("carried_forward")
    req["carried_forward"] = _row(forward)
    outcomes: dict[str, int] = {}
    if "granted_partial" in f and "granted" not in f and "partial" not in f:
        outcomes["granted"] = num("granted_partial")
    for fact, row in _OUTCOME_ROWS.items():
        if fact in f:
            outcomes[row] = num(fact)
    if "unavailable" in f:
        rest = num("unavailable") - outcomes.get("unavailable_not_held", 0)
        if "not_held" in f:
            outcomes["unavailable_needs_compilation"] = rest
        else:
            outcomes["unavailable_not_held"] = num("unavailable")
    if "granted_partial" in f and "granted" in f and "partial" not in f:
        outcomes["partially_granted"] = num("granted_partial") - num("granted")
    if "granted_partial" in f and "partial" in f and "granted" not in f:
        outcomes["granted"] = num("granted_partial") - num("partial")
    done = num("done", new + carried_over - forward)
    if "done" not in f and sum(outcomes.values()) > done:
        done = sum(outcomes.values())
    spare = done - sum(outcomes.values())
    if spare > 0:
        for facts_named, row in (
            (("other_processing",), "other_misc"),
            (("unavailable", "not_held"), "unavailable_still_unclear"),
            (("withheld",), "withheld_inquiry"),
            (("granted", "granted_partial"), "granted"),
        ):
            if not any(k in f for k in facts_named):
                outcomes[row] = outcomes.get(row, 0) + spare
                break
    for row, n in outcomes.items():
        req[row] = _row(n)
    req["total"] = _row(done)

    app = data["appeals"]
    recon, pend = num("recon"), num("recon_pending")
    corr, other = num("recon_corrected"), num("recon_other")
    app["reconsideration"] = [recon - pend - corr - other, corr, other, pend, recon]
    direct = num("direct", num("litig") - num("after"))
    after = num("after")
    lpend = num("litig_pending")
    app["litigation_direct"] = [direct - lpend, 0, 0, lpend, direct]
    app["litigation_after_reconsideration"] = [after, 0, 0, 0, after]

    pro = data["proactive"]
    for kind, key in (("norm", "normative_documents"), ("rules", "rules")):
        for col in ("issued", "repealed", "in_force"):
            if f"{kind}_{col}" in f:
                pro[key][col] = num(f"{kind}_{col}")
        if pro[key]["in_force"] < pro[key]["issued"] - pro[key]["repealed"]:
            pro[key]["in_force"] = pro[key]["issued"] - pro[key]["repealed"]
    if any(k.startswith("rules_") for k in f):
        data["rulemaking"] = True
    for key in ("licensing", "penalty", "coercion"):
        pro[key] = num(key)
    if "fees" in f:
        pro["fees"] = str(f["fees"])
    fee_yuan = str(f.get("fee_yuan", "0"))
    data["processing_fee"] = {"cases": num("fee_cases"), "amount_yuan": fee_yuan}

    fee_words = "本年度未收取信息处理费。"
    if data["processing_fee"]["cases"] or Decimal(fee_yuan):
        fee_words = f"本年度收取信息处理费{data['processing_fee']['cases']}件，共计{fee_yuan}元。"
    data["narrative"]["overview"] = {"intro": "本年度工作情况如下。", "sections": []}
    data["narrative"]["other"] = {"intro": fee_words, "sections": []}
    data["narrative"]["preface"] = None
    data["narrative"]["problems"] = {"intro": "存在的问题：无。", "sections": []}
    target = {"intro": None, "sections": [{"title": "情况", "text": s.text}]}
    if s.section == "other" and not any(RULE_OF.get(k) == "NT-08" for k in f):
        target["sections"].append({"title": "信息处理费", "text": fee_words})
    data["narrative"][s.section] = target
    return data


def agreeing(s: Sentence) -> dict[str, Any]:
    return build(s, {**s.soft, **s.facts})


def contradicting(s: Sentence) -> list[tuple[str, str, dict[str, Any]]]:
    """(fact, rule that must fire, report) for each hard fact of the sentence."""
    out = []
    base: dict[str, int | str] = {**s.soft, **s.facts}
    for key, value in s.facts.items():
        facts = dict(base)
        if key == "appeals":
            facts["recon"] = 1
        elif key == "fee":
            facts.update(fee_cases=2, fee_yuan="300")
        elif key == "all_done":
            facts["carried_forward"] = 3
            facts["new"] = int(str(facts.get("new", 0))) + 3
        elif key.endswith(("_pending", "_corrected", "_other")):
            facts[key] = 0 if int(value) else 1
        elif key == "fee_yuan" or key == "fees":
            facts[key] = str(Decimal(value) + 3)
        elif key == "fee_cases":
            facts[key] = int(value) + 3
            facts.setdefault("fee_yuan", "100")
        else:
            facts[key] = int(value) + 3
        out.append((key, RULE_OF[key], build(s, facts)))
    return out


def run(data: dict[str, Any]) -> list[Finding]:
    return report_from_data(data).check(only=FIGURE_RULES)


@dataclass
class Result:
    sentence: Sentence
    false_alarms: list[Finding]
    found: list[str]  # facts whose contradiction was reported
    missed: list[str]
    contradiction_findings: int = 0


def evaluate(s: Sentence) -> Result:
    quiet = run(agreeing(s))
    quiet_keys = {(f.rule, f.message) for f in quiet}
    found, missed = [], []
    n = 0
    for key, rule, data in contradicting(s):
        got = [f for f in run(data) if (f.rule, f.message) not in quiet_keys]
        n += len(got)
        (found if any(f.rule == rule for f in got) else missed).append(key)
    return Result(s, quiet, found, missed, n)
