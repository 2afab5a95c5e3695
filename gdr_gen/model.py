"""The report model: one structure that every reader produces and every writer consumes.

Counts are ``int``, money is ``Decimal`` (never float). Row totals (总计) are computed; a
total that the input declared is kept beside the computed one so the checks can compare
them and the writers can print what the office typed.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import field
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from .formats import FormatSpec, ValuePath, get_format
from .records import record

# A count above this is a typing accident (or a hostile file): every reader reports it at its
# cell instead of carrying a 27-digit number into the sums, sentences and percentages.
MAX_COUNT = 1_000_000_000

AgencyKind = Literal["government", "department"]
AGENCY_KINDS: dict[str, str] = {"government": "人民政府", "department": "政府部门"}
Number = int | Decimal


@record
class Subsection:
    """A （一）… subsection of a prose section: its title and text."""

    title: str
    text: str

    @property
    def paragraphs(self) -> list[str]:
        return split_paragraphs(self.text)


@record
class NarrativeSection:
    """Prose of section 一, 五 or 六: an optional intro, then numbered subsections."""

    intro: str | None = None
    sections: list[Subsection] = field(default_factory=list)

    @property
    def intro_paragraphs(self) -> list[str]:
        return split_paragraphs(self.intro or "")

    def all_text(self) -> str:
        parts = [self.intro or ""]
        for s in self.sections:
            parts.extend([s.title, s.text])
        return "\n".join(p for p in parts if p)

    def is_empty(self) -> bool:
        return not self.all_text().strip()


@record
class Narrative:
    """The report's prose: preface and sections 一, 五 and 六."""

    preface: str | None = None
    overview: NarrativeSection = field(default_factory=NarrativeSection)
    problems: NarrativeSection = field(default_factory=NarrativeSection)
    other: NarrativeSection = field(default_factory=NarrativeSection)

    def section(self, key: str) -> NarrativeSection:
        value = getattr(self, key)
        assert isinstance(value, NarrativeSection)
        return value


def split_paragraphs(text: str) -> list[str]:
    """Each non-blank line of a text is one paragraph."""
    return [line.strip() for line in text.replace("\r\n", "\n").split("\n") if line.strip()]


@record
class DocCounts:
    """表二 counts of one kind of document: issued, repealed, in force."""

    issued: int = 0
    repealed: int = 0
    in_force: int = 0


@record
class CountRow:
    """A row of 表三 (6 applicant columns) or 表四 (4 outcomes), plus its 总计."""

    values: list[int]
    declared_total: int | None = None

    @property
    def computed_total(self) -> int:
        return sum(self.values)

    @property
    def total(self) -> int:
        """The 总计 as printed: the declared one when the input gave it."""
        return self.computed_total if self.declared_total is None else self.declared_total

    def as_list(self) -> list[int]:
        return [*self.values, self.total]


@record
class Proactive:
    """表二. Keys come from the format definition (docs, decisions, money)."""

    docs: dict[str, DocCounts]
    decisions: dict[str, int]
    money: dict[str, Decimal]

    @property
    def rules(self) -> DocCounts:
        return self.docs["rules"]

    @property
    def normative_documents(self) -> DocCounts:
        return self.docs["normative_documents"]

    @property
    def fees(self) -> Decimal:
        return self.money["fees"]


@record
class Requests:
    """表三: one CountRow per data row (without （七）总计, which is computed)."""

    rows: dict[str, CountRow]
    declared_total: CountRow | None = None  # （七）总计 as given in the input
    result_keys: tuple[str, ...] = ()

    def computed_total_row(self) -> CountRow:
        n = len(next(iter(self.rows.values())).values)
        cols = [sum(self.rows[k].values[i] for k in self.result_keys) for i in range(n)]
        return CountRow(cols)

    def row(self, key: str) -> CountRow:
        if key == "total":
            return self.declared_total or self.computed_total_row()
        return self.rows[key]

    def sum_rows(self, keys: list[str] | tuple[str, ...], col: int | None = None) -> int:
        """Sum of the given rows in one column (None: their 总计)."""
        return sum(self.row(k).total if col is None else self.row(k).values[col] for k in keys)


@record
class Appeals:
    """表四: 行政复议, 未经复议直接起诉, 复议后起诉; each 4 outcomes + 总计."""

    rows: dict[str, CountRow]

    def row(self, key: str) -> CountRow:
        return self.rows[key]


@record
class ProcessingFee:
    """信息处理费: number of cases charged and the amount in yuan."""

    cases: int | None = 0
    amount_yuan: Decimal = Decimal("0")

    @property
    def charged(self) -> bool:
        return bool(self.cases) or self.amount_yuan != 0


@record
class Report:
    """One annual report: agency, year, the three tables and the prose."""

    format: str
    agency: str
    year: int
    agency_kind: AgencyKind
    rulemaking: bool
    publish_date: date | None
    narrative: Narrative
    proactive: Proactive
    requests: Requests
    appeals: Appeals
    processing_fee: ProcessingFee

    @property
    def spec(self) -> FormatSpec:
        return get_format(self.format)

    @property
    def title(self) -> str:
        return f"{self.agency}{self.year}{self.spec.extras['title_suffix']}"

    # ---- generic value access, by path (the same addresses the format grids use)
    def value(self, path: ValuePath) -> Number:
        """The value as printed in the table (a declared total where one was given)."""
        head, key = path[0], str(path[1])
        if head == "requests" or head == "appeals":
            row = self.requests.row(key) if head == "requests" else self.appeals.row(key)
            i = int(path[2])
            return row.total if i == len(row.values) else row.values[i]
        if head == "proactive":
            if key in self.proactive.docs:
                return int(getattr(self.proactive.docs[key], str(path[2])))
            if key in self.proactive.decisions:
                return self.proactive.decisions[key]
            return self.proactive.money[key]
        raise KeyError(path)

    def set_value(self, path: ValuePath, value: Number) -> None:
        """Set an input value by its address (the inverse of :meth:`value` for inputs).

        A 总计 is computed from its parts and never set: its address raises ``KeyError``.
        """
        head, key = path[0], str(path[1])
        if head in ("requests", "appeals"):
            row = self.requests.rows[key] if head == "requests" else self.appeals.rows[key]
            i = int(path[2])
            if i >= len(row.values):
                raise KeyError(path)
            row.values[i] = int(value)
            return
        if head == "proactive":
            p = self.proactive
            if key in p.docs:
                setattr(p.docs[key], str(path[2]), int(value))
            elif key in p.decisions:
                p.decisions[key] = int(value)
            elif key in p.money:
                p.money[key] = Decimal(value)
            else:
                raise KeyError(path)
            return
        raise KeyError(path)

    def computed(self, path: ValuePath) -> Number:
        """The value recomputed from its parts (totals); plain inputs as they are."""
        head, key = path[0], str(path[1])
        if head in ("requests", "appeals"):
            i = int(path[2])
            if head == "requests" and key == "total":
                row = self.requests.computed_total_row()
            else:
                row = self.requests.row(key) if head == "requests" else self.appeals.row(key)
            return row.computed_total if i == len(row.values) else row.values[i]
        return self.value(path)

    def table_paths(self) -> Iterator[ValuePath]:
        """Every value address of the three tables, in grid order."""
        for table in self.spec.tables:
            for cell in table.value_cells():
                assert cell.ref is not None
                yield cell.ref

    @classmethod
    def from_values(
        cls,
        values: Mapping[ValuePath, Number],
        *,
        agency: str = "",
        year: int = 2000,
        version: str | None = None,
        agency_kind: AgencyKind = "government",
        **fields: Any,
    ) -> Report:
        """A report from table values by address; unnamed values are 0, totals computed.

        ``fields`` sets the other attributes (``narrative``, ``publish_date``, ``rulemaking``,
        ``processing_fee``). The one way readers and the region merge build a report.
        """
        report = cls.blank(agency, year, version=version, agency_kind=agency_kind)
        for path, value in values.items():
            report.set_value(path, value)
        for name, value in fields.items():
            if name not in cls.__dataclass_fields__:
                raise TypeError(f"Report has no field {name!r}")
            setattr(report, name, value)
        return report

    @classmethod
    def blank(
        cls,
        agency: str = "",
        year: int = 2000,
        *,
        version: str | None = None,
        agency_kind: AgencyKind = "government",
    ) -> Report:
        """A report with every count 0 and no prose."""
        spec = get_format(version) if version else get_format()
        n_app = len(spec.applicant_columns)
        n_out = len(spec.appeal_outcomes)
        return cls(
            format=spec.version,
            agency=agency,
            year=year,
            agency_kind=agency_kind,
            rulemaking=False,
            publish_date=None,
            narrative=Narrative(),
            proactive=Proactive(
                docs={d.key: DocCounts() for d in spec.doc_rows},
                decisions={k: 0 for k, _ in spec.decision_keys},
                money={k: Decimal("0") for k, _ in spec.money_keys},
            ),
            requests=Requests(
                rows={r.key: CountRow([0] * n_app) for r in spec.request_rows if not r.is_total},
                result_keys=tuple(r.key for r in spec.result_rows),
            ),
            appeals=Appeals(rows={r.key: CountRow([0] * n_out) for r in spec.appeal_rows}),
            processing_fee=ProcessingFee(),
        )
