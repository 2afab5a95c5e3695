"""The neutral block list every published-report front end produces (like pandoc's AST).

Only what the interpreter needs: paragraphs of text (with a heading hint where the source
has one) and tables as rows of cells with their spans. Limits on size live here too, so
every front end refuses hostile input the same way.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import field

from ...records import record

# Bounds on what a front end may produce: a real report has a few hundred paragraphs and
# 3–10 tables of at most ~40 rows. Beyond these the input is not a report (or is hostile).
MAX_BLOCKS = 20_000
MAX_TABLES = 120
MAX_TABLE_ROWS = 400
MAX_TABLE_COLS = 60
MAX_SPAN = 200
MAX_TEXT_CHARS = 2_000_000


@record
class Para:
    """One paragraph of text; ``heading`` is 1–6 where the source marks it as a heading."""

    text: str
    heading: int = 0
    outside: bool = False  # outside the article (site header, menus, footer)


@record
class Cell:
    text: str
    rowspan: int = 1
    colspan: int = 1


@record
class Table:
    rows: list[list[Cell]] = field(default_factory=list)
    caption: str = ""  # the short paragraph just before the table, if any
    outside: bool = False

    def grid(self) -> list[list[Cell | None]]:
        """Rows with every merged cell repeated over the positions it covers (the same Cell
        object), so that column positions line up as printed."""
        out: list[list[Cell | None]] = []
        pending: dict[tuple[int, int], Cell] = {}
        for r, row in enumerate(self.rows):
            line: list[Cell | None] = []
            col = 0
            for cell in row:
                while (r, col) in pending:
                    line.append(pending.pop((r, col)))
                    col += 1
                rs = max(1, min(cell.rowspan, MAX_SPAN))
                cs = max(1, min(cell.colspan, MAX_SPAN))
                for k in range(cs):
                    line.append(cell)
                    for dr in range(1, rs):
                        pending[(r + dr, col + k)] = cell
                col += cs
                if col > MAX_TABLE_COLS * 4:
                    break
            while (r, col) in pending:
                line.append(pending.pop((r, col)))
                col += 1
            out.append(line)
        return out


Block = Para | Table


@record
class BlockDoc:
    blocks: list[Block] = field(default_factory=list)
    page_title: str = ""  # <title> or document properties
    page_date: str = ""  # 发布时间 shown by the site around the article, if found
    kind: str = ""  # "网页" / "Word 文档" / "PDF" / "文本": for messages

    def paragraphs(self) -> list[Para]:
        return [b for b in self.blocks if isinstance(b, Para)]

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]


_CJK = r"\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”‘’、，。；：？！（）《》【】"
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}])[ \t\r\n\u00a0\u3000]+(?=[{_CJK}])")
_NEWLINE_SPACE = re.compile(r"\s*[\r\n]\s*")
_SPACES = re.compile(r"[ \t\u00a0\u2002\u2003\u2009\u200b\u3000\ufeff]+")


def clean_text(text: str, *, source_newlines: bool = True) -> str:
    """Whitespace as a reader sees it: newlines in the source (markup line breaks, PDF line
    ends) vanish between Chinese characters and become one space elsewhere; runs of spaces
    and &nbsp; become one space; zero-width characters go."""
    if source_newlines:
        # a line end next to a Chinese character is a wrap, not a space (PDF lines, markup)
        text = re.sub(rf"(?<=[{_CJK}])[ \t]*[\r\n]+[ \t]*", "", text)
        text = re.sub(rf"[ \t]*[\r\n]+[ \t]*(?=[{_CJK}])", "", text)
        text = _NEWLINE_SPACE.sub(" ", text)
    text = text.replace("\u200b", "").replace("\ufeff", "")
    return _SPACES.sub(" ", text).strip()


def compact(text: str) -> str:
    """A label reduced for comparison: NFKC (full-width digits/brackets), no spaces,
    no quotes, unified enumeration marks."""
    t = unicodedata.normalize("NFKC", text)
    t = re.sub(r"\s+", "", t)
    t = t.replace("“", "").replace("”", "").replace('"', "").replace("'", "")
    t = t.replace("‘", "").replace("’", "")
    t = re.sub(r"(?<=\d)[、．.]", ".", t)
    return t
