"""Random, internally consistent unit reports for the merge and batch tests."""

from __future__ import annotations

import random
from decimal import Decimal

from gdr_gen.model import Report


def random_unit(
    rng: random.Random,
    agency: str,
    year: int = 2022,
    *,
    kind: str = "department",
    rulemaking: bool = False,
    cases_unknown: bool = False,
) -> Report:
    """A unit whose tables pass every table rule (no errors, no warnings)."""
    r = Report.blank(agency, year, agency_kind=kind)  # type: ignore[arg-type]
    r.rulemaking = rulemaking
    spec = r.spec
    n_app = len(spec.applicant_columns)
    result_keys = [row.key for row in spec.result_rows]
    for col in range(n_app):
        new = rng.randint(0, 40)
        carried_over = rng.randint(0, 4)
        # everything carried over is finished; part of the new ones may be carried forward
        forward = rng.randint(0, new)
        handled = new + carried_over - forward
        r.requests.rows["new"].values[col] = new
        r.requests.rows["carried_over"].values[col] = carried_over
        r.requests.rows["carried_forward"].values[col] = forward
        for _ in range(handled):
            r.requests.rows[rng.choice(result_keys)].values[col] += 1
    for row in r.appeals.rows.values():
        row.values = [rng.randint(0, 3) for _ in row.values]
    for doc_key, counts in r.proactive.docs.items():
        if doc_key == "rules" and not rulemaking:
            continue
        counts.issued = rng.randint(0, 20)
        counts.repealed = rng.randint(0, counts.issued)
        counts.in_force = counts.issued - counts.repealed + rng.randint(0, 80)
    for key in r.proactive.decisions:
        r.proactive.decisions[key] = rng.randint(0, 5000)
    for key in r.proactive.money:
        r.proactive.money[key] = Decimal(rng.randint(0, 999999)) / 100
    charged = rng.random() < 0.3
    r.processing_fee.cases = None if cases_unknown else (rng.randint(1, 3) if charged else 0)
    r.processing_fee.amount_yuan = Decimal(rng.randint(1, 50000)) / 100 if charged else Decimal(0)
    return r


UNIT_NAMES = (
    "巫山县发展和改革委员会",
    "巫山县教育委员会",
    "巫山县公安局",
    "巫山县民政局",
    "巫山县财政局",
    "巫山县人力资源和社会保障局",
    "巫山县规划和自然资源局",
    "巫山县生态环境局",
    "巫山县住房和城乡建设委员会",
    "巫山县交通运输委员会",
    "巫山县水利局",
    "巫山县农业农村委员会",
    "巫山县商务委员会",
    "巫山县文化和旅游发展委员会",
    "巫山县卫生健康委员会",
    "巫山县应急管理局",
    "巫山县市场监督管理局",
    "巫山县巫峡镇人民政府",
    "巫山县龙门街道办事处",
    "巫山县大昌镇人民政府",
)


def unit_name(i: int) -> str:
    """Distinct unit names beyond the list: 巫山县第21单位 …"""
    return UNIT_NAMES[i] if i < len(UNIT_NAMES) else f"巫山县第{i + 1}单位"
