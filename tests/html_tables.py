"""Read an HTML report back the way a browser's parser sees it (not by string search)."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class ParsedCell:
    tag: str
    attrs: dict[str, str | None]
    chunks: list[str] = field(default_factory=list)  # text nodes inside the cell
    nested_tags: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self.chunks)

    @property
    def rowspan(self) -> int:
        return int(self.attrs.get("rowspan") or 1)

    @property
    def colspan(self) -> int:
        return int(self.attrs.get("colspan") or 1)


@dataclass
class ParsedTable:
    attrs: dict[str, str | None]
    rows: list[list[ParsedCell]] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)  # thead/tbody of each row

    def grid(self) -> dict[tuple[int, int], ParsedCell]:
        """Anchor position of each cell, by the HTML table model (rowspans carry down)."""
        taken: set[tuple[int, int]] = set()
        anchors: dict[tuple[int, int], ParsedCell] = {}
        for r, row in enumerate(self.rows):
            c = 0
            for cell in row:
                while (r, c) in taken:
                    c += 1
                anchors[(r, c)] = cell
                for dr in range(cell.rowspan):
                    for dc in range(cell.colspan):
                        taken.add((r + dr, c + dc))
                c += cell.colspan
        return anchors

    @property
    def n_cols(self) -> int:
        width = 0
        for (_r, c), cell in self.grid().items():
            width = max(width, c + cell.colspan)
        return width


class ReportParser(HTMLParser):
    """Collects every element name, all text nodes in order, and the tables' cells."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.texts: list[str] = []  # non-blank text nodes in document order
        self.tables: list[ParsedTable] = []
        self.element_text: list[tuple[str, str]] = []  # (tag, text) of h1/h2/h3/p/title
        self.styles: list[str] = []
        self._cell: ParsedCell | None = None
        self._section = "tbody"
        self._open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        a = dict(attrs)
        if a.get("style"):
            self.styles.append(a["style"] or "")
        if tag == "table":
            self.tables.append(ParsedTable(a))
        elif tag in ("thead", "tbody"):
            self._section = tag
        elif tag == "tr":
            self.tables[-1].rows.append([])
            self.tables[-1].sections.append(self._section)
        elif tag in ("td", "th"):
            self._cell = ParsedCell(tag, a)
            self.tables[-1].rows[-1].append(self._cell)
        elif self._cell is not None:
            self._cell.nested_tags.append(tag)
        if tag in ("title", "h1", "h2", "h3", "p", "style"):
            self._open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th"):
            self._cell = None
        if self._open and self._open[-1] == tag:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.chunks.append(data)
        if self._open and self._open[-1] == "style":
            return
        if data.strip():
            self.texts.append(data)
            if self._open and self._cell is None:
                self.element_text.append((self._open[-1], data))


def parse_report(html: str) -> ReportParser:
    parser = ReportParser()
    parser.feed(html)
    parser.close()
    return parser
