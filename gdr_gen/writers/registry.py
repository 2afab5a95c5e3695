"""The report writers, one entry each: output format name → how to render a document.

A writer renders a :class:`~gdr_gen.document.Document` to bytes; the caller decides where the
bytes go (``build`` writes them atomically). A new output format is one module with a
``render(document, options) -> bytes`` function and one :func:`register_writer` call; the
``build`` command, ``--format`` and the ``-o`` suffix rule pick it up from here.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import GdrError
from ..records import record

if TYPE_CHECKING:
    from ..document import Document


@record(frozen=True)
class RenderOptions:
    """What a writer may take into account besides the document."""

    template: Path | None = None  # an office's own Word template (docx, and pdf through it)
    fragment: bool = False  # HTML: only the body part, for a CMS editor


RenderFunc = Callable[["Document", RenderOptions], bytes]


@record(frozen=True)
class WriterSpec:
    """One output format: name, label, renderer and the file suffixes it writes."""

    name: str  # "docx": the --format name, also the file suffix
    label: str  # "Word": how messages name it
    render: str | RenderFunc  # "package.module:function" (imported on use) or the function
    suffixes: tuple[str, ...] = ()  # output names that choose this format (-o 报告.htm)
    # called before anything is written; raises a GdrError when the writer cannot run here
    # (PDF without LibreOffice), so a build never leaves some formats written and not others
    prepare: str | Callable[[], object] | None = None
    # what to tell the user about a rendered file: (document, options, bytes) → messages,
    # e.g. PDF fonts LibreOffice had to substitute
    notes: str | Callable[[Document, RenderOptions, bytes], list[str]] | None = None

    @property
    def suffix(self) -> str:
        return f".{self.name}"

    def renderer(self) -> RenderFunc:
        func: RenderFunc = self._resolve(self.render)
        return func

    def check_available(self) -> None:
        """Raise a GdrError when this writer cannot run here (module or program missing)."""
        self.renderer()
        if self.prepare is not None:
            self._resolve(self.prepare)()

    def notes_for(self, document: Document, options: RenderOptions, data: bytes) -> list[str]:
        if self.notes is None:
            return []
        found: list[str] = self._resolve(self.notes)(document, options, data)
        return found

    def _resolve(self, target: str | Callable[..., Any]) -> Callable[..., Any]:
        if callable(target):
            return target
        module, _, name = target.partition(":")
        try:
            mod = importlib.import_module(module)
        except ModuleNotFoundError as exc:  # a slimmed-down install without this writer
            if exc.name != module:
                raise
            raise GdrError(f"此版本暂不支持生成 {self.label}") from None
        func: Callable[..., Any] = getattr(mod, name)
        return func


WRITERS: dict[str, WriterSpec] = {}


def register_writer(spec: WriterSpec) -> WriterSpec:
    """Add (or replace, by name) a writer; the order of registration is the output order."""
    WRITERS[spec.name] = spec
    return spec


def unregister_writer(name: str) -> None:
    WRITERS.pop(name, None)


def get_writer(name: str) -> WriterSpec:
    try:
        return WRITERS[name]
    except KeyError:
        raise GdrError(
            f"不支持的输出格式：{name}",
            hint=f"可选 {'、'.join(WRITERS)}，多个用逗号分隔，例如 --format docx,pdf。",
        ) from None


def writer_for_suffix(suffix: str) -> WriterSpec | None:
    suffix = suffix.lower()
    for spec in WRITERS.values():
        if suffix == spec.suffix or suffix in spec.suffixes:
            return spec
    return None


def output_suffixes() -> set[str]:
    return {s for spec in WRITERS.values() for s in (spec.suffix, *spec.suffixes)}


register_writer(WriterSpec("docx", "Word", "gdr_gen.writers.docx_writer:render"))
register_writer(WriterSpec("html", "HTML", "gdr_gen.writers.html_writer:render", (".htm",)))
register_writer(
    WriterSpec(
        "pdf",
        "PDF",
        "gdr_gen.writers.pdf:render",
        prepare="gdr_gen.writers.pdf:require_soffice",
        notes="gdr_gen.writers.pdf:notes",
    )
)
