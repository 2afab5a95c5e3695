"""The report as a document tree: what the Word and HTML writers both render.

Like pandoc's AST: :func:`build_document` turns a Report into blocks (headings, paragraphs,
tables); each writer walks the same blocks, so the title, headings, numbering, sentences
and table cells are decided once.
"""

from __future__ import annotations

from dataclasses import field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Literal

from .formats import GridCell, TableSpec
from .formats.workbook_layout import subsection_number
from .model import NarrativeSection, Report
from .records import record
from .sentences import SentenceOptions, SentenceRenderer, render_sentences

ParagraphRole = Literal["body", "preface", "generated", "signature"]


@record(frozen=True)
class Heading:
    """A section or subsection heading of the document tree."""

    level: int  # 1: 一、总体情况   2: （一）…
    text: str


@record(frozen=True)
class Paragraph:
    """A paragraph of text, with its role (body, preface, generated, signature)."""

    text: str
    role: ParagraphRole = "body"


@record(frozen=True)
class TableBlock:
    """A statistical table: its format definition and the text of each cell."""

    spec: TableSpec
    texts: dict[tuple[int, int], str]  # (row, col) of each cell's anchor → its text

    def text(self, cell: GridCell) -> str:
        return self.texts[(cell.row, cell.col)]


Block = Heading | Paragraph | TableBlock


@record
class Section:
    """A numbered section: its heading and blocks."""

    heading: Heading
    blocks: list[Block] = field(default_factory=list)


@record
class Document:
    """The report as a document tree, which every writer renders."""

    title: str
    preface: list[Paragraph]
    sections: list[Section]
    signature: list[Paragraph]
    agency: str
    year: int
    publish_date: date | None = None  # for document properties (Word writer)

    def all_text(self) -> list[str]:
        """Every text in reading order (for tests and plain-text views)."""
        out = [self.title, *(p.text for p in self.preface)]
        for s in self.sections:
            out.append(s.heading.text)
            for b in s.blocks:
                if isinstance(b, TableBlock):
                    out.extend(b.text(c) for c in b.spec.cells)
                else:
                    out.append(b.text)
        out.extend(p.text for p in self.signature)
        return out


def value_text(value: int | Decimal) -> str:
    """Numbers exactly as in the data: 0 (never blank), money as given, no float artefacts."""
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def table_block(report: Report, spec: TableSpec) -> TableBlock:
    texts: dict[tuple[int, int], str] = {}
    for cell in spec.cells:
        if cell.ref is not None:
            texts[(cell.row, cell.col)] = value_text(report.value(cell.ref))
        else:
            texts[(cell.row, cell.col)] = cell.text or ""
    return TableBlock(spec, texts)


def date_text(report: Report) -> str | None:
    d = report.publish_date
    return f"{d.year}年{d.month}月{d.day}日" if d else None


def _narrative_blocks(section: NarrativeSection) -> list[Block]:
    blocks: list[Block] = [Paragraph(p) for p in section.intro_paragraphs]
    for i, sub in enumerate(section.sections, start=1):
        blocks.append(Heading(2, f"{subsection_number(i)}{sub.title.strip()}"))
        blocks.extend(Paragraph(p) for p in sub.paragraphs)
    return blocks


def build_document(
    report: Report,
    *,
    sentences: SentenceOptions | None = None,
    template_dir: str | Path | None = None,
    renderer: SentenceRenderer | None = None,
) -> Document:
    """The whole report as blocks, in the official order (the skeleton of 国办公开办函〔2021〕30号, formats/v2021.py)."""
    spec = report.spec
    generated = render_sentences(report, sentences, template_dir=template_dir, renderer=renderer)
    sections: list[Section] = []
    for s in spec.sections:
        section = Section(Heading(1, s.heading))
        if s.narrative_key:
            section.blocks.extend(_narrative_blocks(report.narrative.section(s.narrative_key)))
            if s.narrative_key == "other" and generated["fee"]:
                section.blocks.append(Paragraph(generated["fee"], "generated"))
        if s.table_key:
            lead = {"requests": generated["requests"], "appeals": generated["appeals"]}.get(
                s.table_key
            )
            if lead:
                section.blocks.append(Paragraph(lead, "generated"))
            section.blocks.append(table_block(report, spec.table(s.table_key)))
        sections.append(section)
    preface_text = generated["preface"] or ""
    preface = [Paragraph(p, "preface") for p in preface_text.splitlines() if p.strip()]
    signature = []
    when = date_text(report)
    if when:
        signature = [Paragraph(report.agency, "signature"), Paragraph(when, "signature")]
    return Document(
        title=report.title,
        preface=preface,
        sections=sections,
        signature=signature,
        agency=report.agency,
        year=report.year,
        publish_date=report.publish_date,
    )
