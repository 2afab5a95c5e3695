"""Opening the Word template: the bundled ``templates/report.docx`` or an office's own file.

An office template brings its styles, page setup, letterhead, headers and footers. It may
also hold Jinja tags (rendered with docxtpl in Jinja's sandbox, autoescape on, StrictUndefined):

- ``{{ 正文 }}`` (or ``{{ body }}``) alone in a paragraph marks where the report goes; without
  it the template's body text is replaced by the report (headers and footers stay).
- ``{{ 标题 }}`` / ``{{ title }}``, ``{{ 机关 }}`` / ``{{ agency }}``, ``{{ 年度 }}`` /
  ``{{ year }}``, ``{{ 日期 }}`` / ``{{ date }}`` (publish date, empty when unknown).

A broken tag is reported with the part (正文/页眉/页脚), the paragraph number and its text; so
is a tag the sandbox refuses (``__class__``, ``__globals__``, private attributes …), with
:class:`UnsafeTemplateError`, before anything is written.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import TemplateError, UnsafeTemplateError
from ..sentences import (
    UNSAFE_HINT,
    forbidden_attribute,
    forbidden_text,
    jinja_syntax_message,
    pick_tag,
    sandboxed_environment,
    template_line,
    unclosed_block_line,
)

if TYPE_CHECKING:
    import jinja2
    from docx.document import Document as DocxDocument
    from docx.oxml.xmlchemy import BaseOxmlElement

BODY_MARKER = "GDRGEN-BODY-PLACEHOLDER-7Q3X"
TEMPLATE_VARIABLES = ("标题", "机关", "年度", "日期", "正文")
_ALIASES = {"title": "标题", "agency": "机关", "year": "年度", "date": "日期", "body": "正文"}

_DOCUMENT_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_TEMPLATE_CTS = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
    "application/vnd.ms-word.document.macroEnabled.main+xml",
)
_TAG_START = re.compile(r"\{[{%#]")
_DOCXTPL_PREFIX = re.compile(r"\{([{%])(?:p|tr|tc|r)\s")
_UNDEFINED = re.compile(r"'([^']+)' is undefined|has no attribute '([^']+)'")


def template_context(
    *, title: str, agency: str, year: int, date_text: str | None
) -> dict[str, Any]:
    ctx: dict[str, Any] = {
        "标题": title,
        "机关": agency,
        "年度": year,
        "日期": date_text or "",
        "正文": BODY_MARKER,
    }
    for en, zh in _ALIASES.items():
        ctx[en] = ctx[zh]
    return ctx


def default_template() -> Path:
    from ..resources import templates_dir

    return templates_dir() / "report.docx"


def _package_bytes(path: Path) -> bytes:
    """The template's bytes as a .docx package (a .dotx/.docm is retyped as a document)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise TemplateError(f"找不到 Word 模板 {path}") from None
    except OSError as exc:
        raise TemplateError(f"无法读取 Word 模板 {path}：{exc.strerror or exc}") from None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            types = z.read("[Content_Types].xml").decode("utf-8")
            if not any(ct in types for ct in _TEMPLATE_CTS):
                return data
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
                for info in z.infolist():
                    content = z.read(info.filename)
                    if info.filename == "[Content_Types].xml":
                        for ct in _TEMPLATE_CTS:
                            types = types.replace(ct, _DOCUMENT_CT)
                        content = types.encode("utf-8")
                    dst.writestr(info, content)
            return out.getvalue()
    except (zipfile.BadZipFile, KeyError, UnicodeDecodeError):
        raise TemplateError(
            f"Word 模板 {path} 不是有效的 .docx 文件",
            hint="请在 Word 中“另存为”Word 文档（*.docx）后再使用。",
        ) from None


def _open(data: bytes, path: Path) -> DocxDocument:
    import docx

    try:
        return docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several kinds for damaged packages
        raise TemplateError(f"Word 模板 {path} 无法打开：{exc}") from None


def load_template(template: Path | None, context: dict[str, Any]) -> DocxDocument:
    """The python-docx document to write the report into (Jinja tags already rendered)."""
    if template is None:
        import docx

        return docx.Document(str(default_template()))
    path = Path(template)
    data = _package_bytes(path)
    doc = _open(data, path)
    parts = list(_text_parts(doc))
    if not any(_TAG_START.search(t) for _, texts in parts for t in texts):
        return doc
    _validate_tags(parts, context, path)
    return _render_docxtpl(data, context, path)


# ------------------------------------------------------------------ tags
def _paragraph_text(p: BaseOxmlElement) -> str:
    from docx.oxml.ns import qn

    return "".join(t.text or "" for t in p.iter(qn("w:t")))


def _texts(root: BaseOxmlElement) -> list[str]:
    from docx.oxml.ns import qn

    return [_paragraph_text(p) for p in root.iter(qn("w:p"))]


def _text_parts(doc: DocxDocument) -> Iterator[tuple[str, list[str]]]:
    yield "正文", _texts(doc.element.body)
    seen: set[int] = set()
    for section in doc.sections:
        for name, hf in (
            ("页眉", section.header),
            ("首页页眉", section.first_page_header),
            ("偶数页页眉", section.even_page_header),
            ("页脚", section.footer),
            ("首页页脚", section.first_page_footer),
            ("偶数页页脚", section.even_page_footer),
        ):
            if hf.is_linked_to_previous:
                continue
            element = hf._element
            if id(element) in seen:
                continue
            seen.add(id(element))
            yield name, _texts(element)


def _jinja_env(*, autoescape: bool) -> jinja2.Environment:
    return sandboxed_environment(autoescape=autoescape)


def _where(path: Path, part: str, index: int, text: str) -> str:
    shown = text if len(text) <= 60 else text[:57] + "…"
    return f"Word 模板 {path} 的{part}第 {index + 1} 段（“{shown}”）"


def _validate_tags(parts: list[tuple[str, list[str]]], context: dict[str, Any], path: Path) -> None:
    """Compile and render each part's text so an error can name the paragraph and the tag."""
    import jinja2

    env = _jinja_env(autoescape=False)
    known = "、".join(TEMPLATE_VARIABLES)
    for part, texts in parts:
        if not any(_TAG_START.search(t) for t in texts):
            continue
        source = "\n".join(_DOCXTPL_PREFIX.sub(r"{\1 ", t) for t in texts)
        try:
            env.from_string(source).render(context)
        except jinja2.TemplateSyntaxError as exc:
            line = unclosed_block_line(source.split("\n"), exc.message) or exc.lineno or 1
            i = max(0, min(line - 1, len(texts) - 1))
            raise TemplateError(
                f"{_where(path, part, i, texts[i])}的标签写法有误："
                f"{jinja_syntax_message(exc.message)}",
                hint="标签应写成 {{ 机关 }} 这样的形式，左右花括号成对出现。",
            ) from None
        except jinja2.UndefinedError as exc:
            m = _UNDEFINED.search(exc.message or "")
            name = (m.group(1) or m.group(2)) if m else ""
            i = next(
                (
                    k
                    for k, t in enumerate(texts)
                    if name and any(name in tag for tag in re.findall(r"\{[{%].*?[}%]\}", t))
                ),
                next(k for k, t in enumerate(texts) if _TAG_START.search(t)),
            )
            tag = next(
                (tag for tag in re.findall(r"\{[{%].*?[}%]\}", texts[i]) if name in tag),
                name,
            )
            raise TemplateError(
                f"{_where(path, part, i, texts[i])}的标签 {tag} 使用了不存在的变量“{name}”",
                hint=f"可用的变量：{known}。",
            ) from None
        except jinja2.exceptions.SecurityError as exc:
            line = template_line(exc, "<template>") or 1
            i = max(0, min(line - 1, len(texts) - 1))
            attr = forbidden_attribute(exc)
            raise UnsafeTemplateError(
                f"{_where(path, part, i, texts[i])}{forbidden_text(pick_tag(texts[i], attr), attr)}",
                hint=f"{UNSAFE_HINT}可用的变量：{known}。",
            ) from None
        except jinja2.TemplateError as exc:
            raise TemplateError(f"Word 模板 {path} 的{part}中的标签无法处理：{exc}") from None
        except Exception as exc:
            raise TemplateError(
                f"Word 模板 {path} 的{part}中的标签无法处理：{type(exc).__name__}: {exc}"
            ) from None


def _render_docxtpl(data: bytes, context: dict[str, Any], path: Path) -> DocxDocument:
    import jinja2
    from docxtpl import DocxTemplate

    tpl = DocxTemplate(io.BytesIO(data))
    try:
        tpl.render(context, jinja_env=_jinja_env(autoescape=True), autoescape=True)
    except jinja2.exceptions.SecurityError as exc:  # a tag outside the paragraphs checked above
        attr = forbidden_attribute(exc)
        raise UnsafeTemplateError(
            f"Word 模板 {path} 中的标签{forbidden_text('', attr)}（{exc}）",
            hint=UNSAFE_HINT,
        ) from None
    except jinja2.TemplateError as exc:
        raise TemplateError(f"Word 模板 {path} 中的标签无法处理：{exc}") from None
    doc: DocxDocument = tpl.docx
    return doc


def body_anchor(doc: DocxDocument) -> BaseOxmlElement | None:
    """The top-level body paragraph holding the {{ 正文 }} marker, if the template has one."""
    from docx.oxml.ns import qn

    for child in doc.element.body.iterchildren(qn("w:p")):
        if BODY_MARKER in _paragraph_text(child):
            return child
    return None
