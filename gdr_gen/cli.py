"""The command line: a few lines per command over the library in ``gdr_gen.commands``.

Heavy modules (openpyxl, python-docx, rich tables) are imported inside the commands so
``gdr-gen --help`` stays fast. Errors are mapped to messages and exit codes in
:func:`main` only: 0 clean, 1 problems found, 2 could not run.
"""

# No ``from __future__ import annotations`` here: typer builds every command's options from
# the annotations on each start, and string annotations would be evaluated again each time
# (about 10 ms, paid by every command and by --help).

import contextlib
import os
import re
import sys
from collections.abc import Callable, Sequence
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from .errors import EXIT_FAILED, EXIT_OK, EXIT_PROBLEMS, GdrError

# ---- Chinese help screens: the framework's own words (Usage, Options, …) translated.
_HELP_WORDS = {
    "Show this message and exit.": "显示本帮助并退出。",
    "[required]": "[必填]",
    "[default: ": "[默认：",
}
_HELP_HEADINGS = {"Options": "选项", "Arguments": "参数", "Commands": "命令"}


_BaseHelpFormatter: Any = typer.Context.formatter_class  # click's, or typer's vendored copy


_USAGE_ARGS = {"[OPTIONS]": "[选项]", "COMMAND [ARGS]...": "命令 [参数]..."}


class _HelpFormatter(_BaseHelpFormatter):
    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        for en, cn in _USAGE_ARGS.items():
            args = args.replace(en, cn)
        # typer shows an argument without metavar as {name}: show it as NAME
        args = re.sub(r"\{(\w+)\}", lambda m: m.group(1).upper(), args)
        super().write_usage(prog, args, "用法：" if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{_HELP_HEADINGS.get(heading, heading)}：\n")

    def write_dl(self, rows: Any, *args: Any, **kwargs: Any) -> None:
        def zh(text: str) -> str:
            for en, cn in _HELP_WORDS.items():
                text = text.replace(en, cn)
            return text

        super().write_dl([(a, zh(b)) for a, b in rows], *args, **kwargs)


class _Context(typer.Context):
    formatter_class = _HelpFormatter


class _Group(TyperGroup):
    """The command group; every command it runs gets the Chinese help formatter."""

    context_class = _Context

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        cmd = super().get_command(ctx, cmd_name)
        if cmd is not None:
            cmd.context_class = _Context
        return cmd


app = typer.Typer(
    cls=_Group,
    name="gdr-gen",
    help="政府信息公开工作年度报告生成工具：填报工作簿 → 校验 → Word/HTML/PDF 年报。",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class OutputFormat(str, Enum):
    text = "text"
    json = "json"


InputFile = Annotated[
    Path,
    typer.Argument(
        help="填报工作簿（.xlsx）、JSON 数据文件，或已发布的年报（网页、Word、PDF、文本）",
        show_default=False,
    ),
]
PreviousOpt = Annotated[
    Path | None,
    typer.Option(
        "--previous", "-p", help="上一年度的报告（工作簿、JSON 或已发布的年报），用于跨年度核对"
    ),
]


class AgencyKind(str, Enum):
    government = "government"
    department = "department"


AgencyKindOpt = Annotated[
    AgencyKind | None,
    typer.Option(
        "--agency-kind",
        help="已发布的年报（网页、Word、PDF、文本）的机关类型：government（人民政府）或 "
        "department（政府部门）；不写时按标题判断（以“人民政府”“管委会”结尾的为人民政府）",
        show_default=False,
    ),
]


def _kind(value: AgencyKind | None) -> str | None:
    return value.value if value is not None else None


# ------------------------------------------------------------------ check / rules
@app.command("check")
def check_cmd(
    file: Annotated[
        Path,
        typer.Argument(
            help="年报文件（填报工作簿、JSON 等），或存放各单位年报的文件夹（整体审核）",
            show_default=False,
        ),
    ],
    fmt: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="输出格式：text（表格）或 json")
    ] = OutputFormat.text,
    strict: Annotated[
        bool, typer.Option("--strict", help="有警告也按未通过处理（退出码 1）")
    ] = False,
    agency_kind: AgencyKindOpt = None,
    previous: Annotated[
        Path | None,
        typer.Option(
            "--previous",
            "-p",
            help="上一年度的工作簿或 JSON，用于跨年度核对；审核文件夹时为上一年度的文件夹",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="审核文件夹时：审核结果工作簿（.xlsx）或网页（.html）；"
            "与 --annotate 一起用时：存放标注副本的位置",
            show_default=False,
        ),
    ] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="审核文件夹时同时处理的进程数")] = 2,
    annotate: Annotated[
        bool,
        typer.Option(
            "--annotate",
            help="生成工作簿的标注副本：有问题的格子标色并附批注，首页列出问题（不改原工作簿）",
        ),
    ] = False,
) -> None:
    """校验年报数据：表内勾稽关系、数值、正文与表格是否一致。

    给出文件夹时，审核其中每个单位的年报（多进程），列出每个单位的结论和问题。
    """
    from . import ui

    if file.is_dir():  # ---- a whole region (gdr_gen/review.py, commands/review.py)
        if agency_kind is not None:
            raise GdrError(
                "审核整个文件夹时不能使用 --agency-kind（各单位的机关类型不同，按各自标题判断）",
                hint="需要时请对单个文件运行 gdr-gen check 文件 --agency-kind …。",
            )
        from .commands.review import check_folder, print_review, review_json

        json_out = fmt is OutputFormat.json
        done = check_folder(
            file,
            previous=previous,
            output=output,
            jobs=jobs,
            strict=strict,
            annotate=annotate,
            progress=ui.console(stderr=True),
        )

        def show_review() -> None:
            if json_out:
                ui.echo(review_json(done.review))
                return
            out = ui.console()
            print_review(done.review, out)
            if done.output is not None:
                out.print(f"已写出审核结果：{done.output}", highlight=False, markup=False)
            if annotate:
                where = done.annotated[0].parent if done.annotated else output
                out.print(
                    f"已生成 {len(done.annotated)} 份标注副本：{where}",
                    highlight=False,
                    markup=False,
                )

        written = ([done.output] if done.output is not None else []) + list(done.annotated)
        _finish(done.review.exit_code, show_review, written=written)

    if output is not None and not annotate:
        raise GdrError(
            "检查单个文件时，-o 只与 --annotate 一起使用（指定标注副本的位置）",
            hint="要审核整个文件夹并写出审核结果，请给出文件夹：gdr-gen check 各单位/ -o 审核结果.xlsx",
        )
    if annotate:
        from .commands.review import is_workbook

        if not is_workbook(file):
            raise GdrError(
                "--annotate 只适用于填报工作簿（.xlsx）：只有工作簿有可以标注的格子",
                hint="其他文件请直接运行 gdr-gen check 文件 查看问题。",
            )
    from .commands.check import check_file

    result = check_file(file, previous=previous, agency_kind=_kind(agency_kind))
    findings = result.findings
    code = EXIT_PROBLEMS if ui.failed(findings, strict=strict) else EXIT_OK
    copy: Path | None = None
    if annotate:
        from .annotate import annotate_workbook

        copy = annotate_workbook(file, findings, output)

    def show() -> None:
        if fmt is OutputFormat.json:
            ui.echo(ui.findings_json(findings))
        else:
            out = ui.console()
            ui.print_findings(findings, out)
            out.print(ui.verdict(findings, strict=strict, source=str(file)), markup=False)
        if copy is not None:
            ui.console(stderr=fmt is OutputFormat.json).print(
                f"已生成标注副本：{copy}", highlight=False, markup=False
            )

    _finish(code, show, written=[copy] if copy is not None else [])


@app.command("explain")
def explain_cmd(
    sentence: Annotated[
        str, typer.Argument(help="要解释的一句正文（用引号括起来）", show_default=False)
    ],
    data: Annotated[
        Path | None,
        typer.Option("--data", "-d", help="对照的工作簿（.xlsx）或 JSON：说明哪些规则会报问题"),
    ] = None,
    year: Annotated[
        int | None, typer.Option("--year", help="按哪一年度的报告理解（默认取句中或数据中的年度）")
    ] = None,
) -> None:
    """解释校验程序如何读一句正文：读到哪些数字、各对应表格中的哪一项、会触发哪些规则。"""
    from .commands.explain import explain

    result = explain(sentence, data=data, year=year)
    for line in result.lines():
        typer.echo(line)
    problems = any(f.severity.value == "error" for f in result.findings)
    raise typer.Exit(EXIT_PROBLEMS if problems else EXIT_OK)


@app.command("rules")
def rules_cmd(
    fmt: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="输出格式")
    ] = OutputFormat.text,
) -> None:
    """列出全部校验规则（编号、级别、说明）。"""
    from .checks import implemented_rules

    rules = implemented_rules()
    if fmt is OutputFormat.json:
        data = [
            {
                "rule": r.id,
                "severity": r.severity.value,
                "group": r.group,
                "description": r.description,
            }
            for r in rules
        ]
        from . import ui

        _finish(EXIT_OK, lambda: ui.echo(ui.json_for_stream(data)))
    from rich.table import Table

    from . import ui

    table = Table(title="校验规则", title_justify="left")
    table.add_column("编号", no_wrap=True)
    table.add_column("级别", no_wrap=True)
    table.add_column("类别", no_wrap=True)
    table.add_column("说明", overflow="fold")  # wrap the whole description, never cut it
    for r in rules:
        table.add_row(r.id, r.severity.label, r.group, r.description)
    _finish(EXIT_OK, lambda: ui.console().print(table))


# ------------------------------------------------------------------ workbook: init / export
@app.command("init")
def init_cmd(
    path: Annotated[  # str: a trailing / or \ (a folder) must survive
        str | None,
        typer.Argument(
            help="要生成的工作簿（默认：当前文件夹下的 政府信息公开年报填报表.xlsx；"
            "以 / 或 \\ 结尾表示放进该文件夹）",
            show_default=False,
        ),
    ] = None,
    from_: Annotated[
        Path | None,
        typer.Option(
            "--from", help="用 JSON 数据文件或已有工作簿（如上一年度的）预填", show_default=False
        ),
    ] = None,
    year: Annotated[
        int | None,
        typer.Option(
            "--year",
            help="年度：空白工作簿默认上一年；与 --from 上年工作簿 一起用时取其下一年度，"
            "生成新一年的工作簿（沿用机关信息、上年结转和现行有效件数）",
            show_default=False,
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="覆盖已有的同名文件")] = False,
    agency_kind: AgencyKindOpt = None,
    sample: Annotated[
        bool,
        typer.Option(
            "--sample",
            help="生成一份填好的示例工作簿（巫山县 2022 年度），可直接用 gdr-gen build 试生成报告",
        ),
    ] = False,
) -> None:
    """生成填报工作簿（.xlsx）：空白的，或用已有数据预填的。"""
    from . import ui
    from .commands.init import init_workbook, write_sample

    if sample:
        if from_ is not None or year is not None:
            raise GdrError("--sample 不能与 --from、--year 一起使用")
        written = write_sample(path, force=force)

        def show_sample() -> None:
            ui.echo(f"✓ 已生成示例工作簿：{written}")
            ui.echo(f'试一试：gdr-gen build "{written}"')

        _finish(EXIT_OK, show_sample, written=[written])
    result = init_workbook(
        path, source=from_, year=year, force=force, agency_kind=_kind(agency_kind)
    )
    if not result.written:

        def refused() -> None:
            out = ui.console()
            ui.print_findings(result.blocking, out)
            out.print(
                f"✗ {from_} 中有 {len(result.blocking)} 处数据错误，未生成工作簿；请先改正后再试",
                highlight=False,
                markup=False,
            )

        _finish(EXIT_PROBLEMS, refused)

    def show() -> None:
        out = ui.console()
        for note in result.notes:
            out.print(f"注意：{note}", highlight=False, markup=False)
        source = f"（数据来自 {from_}）" if from_ is not None else ""
        out.print(f"✓ 已生成填报工作簿：{result.path}{source}", highlight=False, markup=False)
        out.print(
            f"下一步：在黄色格子中填写，保存后运行 gdr-gen check {result.path} 校验。",
            highlight=False,
            markup=False,
        )

    _finish(EXIT_OK, show, written=[result.path])


@app.command("export")
def export_cmd(
    book: Annotated[
        Path, typer.Argument(help="填报工作簿（.xlsx），也可以是 JSON 数据文件", show_default=False)
    ],
    output: Annotated[  # str: a trailing / or \ (a folder) must survive
        str | None,
        typer.Option(
            "--output",
            "-o",
            help="输出的 JSON 文件（默认：与工作簿同名的 .json；以 / 结尾表示放进该文件夹；"
            "“-”表示输出到屏幕）",
            show_default=False,
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="覆盖已有的同名文件")] = False,
    agency_kind: AgencyKindOpt = None,
) -> None:
    """把填报工作簿导出为 JSON 数据文件（数据格式说明：运行 gdr-gen data-format）。"""
    from . import ui
    from .commands.export import export_json

    ui.safe_streams()
    result = export_json(
        book,
        output,
        force=force,
        ascii_only=not ui.stream_is_utf(sys.stdout),
        agency_kind=_kind(agency_kind),
    )
    if not result.written and result.blocking:

        def refused() -> None:
            err = ui.console(stderr=True)
            ui.print_findings(result.blocking, err)
            err.print(
                f"✗ {book} 中有 {len(result.blocking)} 处数据错误，未导出；请先改正后再试",
                highlight=False,
                markup=False,
            )

        _finish(EXIT_PROBLEMS, refused)

    def show() -> None:
        err = ui.console(stderr=True)
        warnings = result.loaded.findings
        if warnings:
            ui.print_findings(warnings, err)
        if result.output is None:
            sys.stdout.write(result.text)
            sys.stdout.flush()
            return
        err.print(f"✓ 已导出：{result.output}", highlight=False, markup=False)

    _finish(EXIT_OK, show, written=[result.output] if result.output is not None else [])


@app.command("data-format")
def data_format_cmd(
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="保存为文件（UTF-8），不写则显示在屏幕上", show_default=False
        ),
    ] = None,
) -> None:
    """显示 JSON 数据文件的格式说明（字段名、取值、示例）。"""
    from . import ui
    from .resources import data_format_doc

    text = data_format_doc().read_text(encoding="utf-8")
    if output is not None:
        from .writers.atomic import write_bytes_atomic

        written = write_bytes_atomic(output, text.encode("utf-8"))
        _finish(EXIT_OK, lambda: ui.echo(f"✓ 已保存：{written}"), written=[written])
    _finish(EXIT_OK, lambda: ui.echo(text.rstrip("\n")))


# ------------------------------------------------------------------ report: build / watch
# str, not Path: a trailing separator (-o 新文件夹/ or 新文件夹\) means a folder, and Path drops it
OutputOpt = Annotated[
    str | None,
    typer.Option(
        "--output",
        "-o",
        help="输出文件，如 年报.docx；以 / 或 \\ 结尾表示文件夹（不存在则新建）。"
        "默认放在输入文件旁，名为“<机关全称><年度>年政府信息公开工作年度报告”",
        show_default=False,
    ),
]
FormatsOpt = Annotated[
    str | None,
    typer.Option(
        "--format",
        "-f",
        help="输出格式：docx、html、pdf，可用逗号组合，如 docx,pdf；不写时按 -o 的扩展名，默认 docx",
        show_default=False,
    ),
]
ForceOpt = Annotated[
    bool, typer.Option("--force", help="校验有错误也生成报告（仍以退出码 1 结束，提醒报告有错误）")
]
StrictOpt = Annotated[bool, typer.Option("--strict", help="有警告也按未通过处理，不生成报告")]
TemplateOpt = Annotated[
    Path | None,
    typer.Option(
        "--template",
        help="本单位的 Word 模板（.docx/.dotx）：样式、页面、版头、页脚",
        show_default=False,
    ),
]
TemplateDirOpt = Annotated[
    Path | None,
    typer.Option(
        "--template-dir",
        help="自定义句子模板（*.j2）所在文件夹，同名文件替换自带模板",
        show_default=False,
    ),
]
SentencesOpt = Annotated[
    str,
    typer.Option(
        "--sentences",
        help="自动生成的引用表格数字的句子：auto（正文已写到的不再生成）、on、off；"
        "也可分别指定，如 requests=off,appeals=on,fee=auto",
    ),
]
FragmentOpt = Annotated[
    bool, typer.Option("--fragment", help="HTML 只输出正文部分（嵌入网站栏目用）")
]


def _build_kwargs(
    output: str | None,
    formats: str | None,
    force: bool,
    strict: bool,
    previous: Path | None,
    template: Path | None,
    template_dir: Path | None,
    sentences: str,
    fragment: bool,
    agency_kind: AgencyKind | None = None,
) -> dict[str, object]:
    from .commands.build import parse_formats, parse_sentences

    return {
        "output": output,
        "formats": parse_formats(formats) if formats is not None else None,
        "force": force,
        "strict": strict,
        "previous": previous,
        "template": template,
        "template_dir": template_dir,
        "sentences": parse_sentences(sentences),
        "fragment": fragment,
        "agency_kind": _kind(agency_kind),
    }


def _print_build(result: object, *, strict: bool, source: str) -> None:
    from . import ui
    from .commands.build import BuildResult

    assert isinstance(result, BuildResult)
    if not result.findings:  # the common case: plain lines, no rich console to import
        ui.echo(ui.verdict(result.findings, strict=strict, source=source))
        for path in result.written:
            ui.echo(f"已生成：{path}")
        for note in result.notes:
            ui.echo(f"注意：{note}")
        return
    out = ui.console()
    ui.print_findings(result.findings, out)
    out.print(ui.verdict(result.findings, strict=strict, source=source), markup=False)
    if result.blocked:
        if ui.failed(result.findings):
            why = "请先改正上述错误后重新运行；如确需先出草稿，可加 --force。"
        else:  # only warnings, refused because of --strict
            why = "使用了 --strict，有警告也不生成；请处理上述警告，或去掉 --strict 后重新运行。"
        out.print(f"[bold red]未生成报告[/]：{why}", markup=True, highlight=False)
        return
    if result.forced:
        out.print(
            "[yellow]注意：已按 --force 生成报告，报告中存在上述问题，请勿直接印发或公开。[/]",
            markup=True,
            highlight=False,
        )
    for path in result.written:
        out.print(f"已生成：{path}", highlight=False, markup=False)
    for note in result.notes:
        out.print(f"注意：{note}", highlight=False, markup=False)


@app.command("build")
def build_cmd(
    file: InputFile,
    output: OutputOpt = None,
    formats: FormatsOpt = None,
    force: ForceOpt = False,
    strict: StrictOpt = False,
    previous: PreviousOpt = None,
    agency_kind: AgencyKindOpt = None,
    template: TemplateOpt = None,
    template_dir: TemplateDirOpt = None,
    sentences: SentencesOpt = "auto",
    fragment: FragmentOpt = False,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="生成整个文件夹时同时处理的进程数")] = 2,
) -> None:
    """校验后生成年度报告（Word；可加 HTML、PDF）。有错误时不生成。

    给出文件夹时，为其中每个工作簿和 JSON 文件各生成一份报告（多进程），最后列出结果。
    """
    from .commands.build import build_report

    kwargs = _build_kwargs(
        output,
        formats,
        force,
        strict,
        previous,
        template,
        template_dir,
        sentences,
        fragment,
        agency_kind,
    )
    if file.is_dir():  # ---- region: a whole folder (gdr_gen/commands/batch.py)
        from .commands.batch import build_folder

        kwargs.pop("output")
        batch = build_folder(
            file, output=Path(output) if output is not None else None, jobs=jobs, options=kwargs
        )
        raise typer.Exit(EXIT_OK if batch.ok else EXIT_PROBLEMS)
    result = build_report(file, **kwargs)  # type: ignore[arg-type]
    _finish(
        EXIT_PROBLEMS if result.blocked or result.forced else EXIT_OK,
        lambda: _print_build(result, strict=strict, source=str(file)),
        written=result.written,
    )


@app.command("watch")
def watch_cmd(
    file: InputFile,
    output: OutputOpt = None,
    formats: FormatsOpt = None,
    force: ForceOpt = False,
    strict: StrictOpt = False,
    previous: PreviousOpt = None,
    agency_kind: AgencyKindOpt = None,
    template: TemplateOpt = None,
    template_dir: TemplateDirOpt = None,
    sentences: SentencesOpt = "auto",
    fragment: FragmentOpt = False,
) -> None:
    """监视工作簿：每次保存后自动校验并重新生成报告，按 Ctrl-C 退出。"""
    import time

    from . import ui
    from .commands.build import build_report
    from .commands.watch import Watcher, run_watch

    kwargs = _build_kwargs(
        output,
        formats,
        force,
        strict,
        previous,
        template,
        template_dir,
        sentences,
        fragment,
        agency_kind,
    )
    out = ui.console()

    def stamp() -> str:
        return time.strftime("%H:%M:%S")

    def on_result(result: object) -> None:
        out.rule(f"{stamp()} {'重新生成' if watcher.builds > 1 else '生成'}", style="dim")
        _print_build(result, strict=strict, source=str(file))

    def on_error(exc: GdrError) -> None:
        out.rule(f"{stamp()} 重新生成", style="dim")
        out.print(f"[bold red]错误：[/]{_escape(str(exc))}", markup=True, highlight=False)

    def on_ready(dirs: list[Path]) -> None:
        out.print(
            f"正在监视 {file}，保存后自动重新生成；按 Ctrl-C 退出。", highlight=False, markup=False
        )

    watcher = Watcher(
        Path(file),
        build=lambda: build_report(file, **kwargs),  # type: ignore[arg-type]
        on_result=on_result,
        on_error=on_error,
        template=template,
        template_dir=template_dir,
    )
    with contextlib.suppress(KeyboardInterrupt):
        run_watch(watcher, on_ready=on_ready)
    out.print("已停止监视。", highlight=False)


# ------------------------------------------------------------------ region: merge
@app.command("merge")
def merge_cmd(
    inputs: Annotated[
        list[Path],
        typer.Argument(
            help="各单位的年报：填报工作簿（.xlsx）、JSON，或已发布的网页、Word、PDF、文本；"
            "或存放它们的文件夹（其中不是年报的文件跳过并列出）",
            show_default=False,
        ),
    ],
    output: Annotated[
        Path,
        typer.Option(
            "--output", "-o", help="汇总结果：工作簿（.xlsx）或 JSON（.json）", show_default=False
        ),
    ],
    agency: Annotated[
        str,
        typer.Option("--agency", help="汇总机关全称，例如 巫山县人民政府", show_default=False),
    ],
    year: Annotated[
        int | None,
        typer.Option("--year", help="统计年度；不填则取各单位的年度", show_default=False),
    ] = None,
    skip_invalid: Annotated[
        bool, typer.Option("--skip-invalid", help="跳过未通过检查的单位，汇总其余单位")
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的输出文件")] = False,
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs", "-j", help="读取各单位文件的进程数（单位在 32 个以上时才分进程读取）"
        ),
    ] = 2,
) -> None:
    """汇总各单位的年报数据：件数、金额逐格相加，另附各单位明细表。"""
    from . import ui
    from .commands.batch import progress_bar
    from .commands.merge import (
        expand_inputs,
        merge_files,
        print_merged,
        print_refused,
        print_skipped,
    )
    from .region import MergeRefusedError

    err = ui.console(stderr=True)
    files = expand_inputs(inputs, exclude=[output])
    try:
        with progress_bar(err, "读取各单位数据", total=len(files)) as advance:
            res = merge_files(
                files,
                output=output,
                agency=agency,
                year=year,
                force=force,
                skip_invalid=skip_invalid,
                on_unit=lambda _path: advance(),
                jobs=jobs,
            )
    except MergeRefusedError as exc:
        with contextlib.suppress(Exception):  # the refusal itself is reported by main
            print_skipped(exc.skipped, ui.console())
            print_refused(exc.refused, ui.console())
        raise
    _finish(EXIT_OK, lambda: print_merged(res, ui.console()), written=[res.output])


# ------------------------------------------------------------------ entry point
def _finish(code: int, show: Callable[[], None], *, written: Sequence[Path] = ()) -> NoReturn:
    """Show a command's result, then exit with ``code``, decided before anything is printed.

    Printing cannot change the outcome: when the terminal goes away or printing fails, the
    files already written are named on stderr and the exit code stays ``code``.
    """
    try:
        show()
    except Exception as exc:
        if os.environ.get("GDR_GEN_DEBUG"):
            raise
        _display_failed(exc, written)
    raise typer.Exit(code)


def _display_failed(exc: Exception, written: Sequence[Path]) -> None:
    from . import ui

    done = "；".join(f"已生成：{p}" for p in written)
    lines = [f"注意：显示结果时出错（{type(exc).__name__}），结果本身不受影响。"]
    if done:
        lines.append(done)
    with contextlib.suppress(Exception):
        ui.echo("\n".join(lines), err=True)


def _fail(message: str, code: int) -> NoReturn:
    from . import ui

    with contextlib.suppress(Exception):  # the exit code stands even if stderr is gone
        ui.console(stderr=True).print(
            f"[bold red]错误：[/]{message}", markup=True, highlight=False, soft_wrap=True
        )
    sys.exit(code)


def main(argv: list[str] | None = None) -> NoReturn:
    """Run the CLI; the one place that turns exceptions into messages and exit codes."""
    from . import ui

    ui.safe_streams()
    click_error, usage_error = _click_classes()
    try:
        result = app(args=argv, prog_name="gdr-gen", standalone_mode=False)
    except GdrError as exc:
        _fail(_escape(str(exc)), exc.exit_code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        _fail("已取消", EXIT_FAILED)
    except KeyboardInterrupt:
        _fail("已中断", EXIT_FAILED)
    except click_error as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":  # bare `gdr-gen`: the help, not an error
            ui.echo(str(exc.format_message()), err=True)  # type: ignore[attr-defined]
            sys.exit(EXIT_FAILED)
        _fail(_escape(_click_message(exc, usage_error)), EXIT_FAILED)
    except Exception as exc:
        if os.environ.get("GDR_GEN_DEBUG"):
            raise
        _fail(
            f"程序内部错误（{type(exc).__name__}: {_escape(str(exc))}）。"
            "请把输入文件和这条信息发给技术支持；设置环境变量 GDR_GEN_DEBUG=1 可查看详细信息。",
            EXIT_FAILED,
        )
    sys.exit(result if isinstance(result, int) else EXIT_OK)


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def _click_classes() -> tuple[type[Exception], type[Exception]]:
    """ClickException and UsageError, whether typer uses click or its own vendored copy."""
    mro = {cls.__name__: cls for cls in typer.BadParameter.__mro__}
    return mro["ClickException"], mro["UsageError"]


def _click_message(exc: Exception, usage_error: type[Exception]) -> str:
    if isinstance(exc, usage_error):
        ctx = getattr(exc, "ctx", None)
        sub = ctx.command_path.split(" ", 1)[1] + " " if ctx and " " in ctx.command_path else ""
        hint = f"\n用法见：gdr-gen {sub}--help"
        return _translate_usage(str(exc.format_message())) + hint  # type: ignore[attr-defined]
    return str(exc.format_message())  # type: ignore[attr-defined]


_USAGE_WORDS = {
    "Missing argument": "缺少参数",
    "Missing parameter": "缺少参数",
    "Did you mean": "是否想输入",
    "Missing option": "缺少选项",
    "No such option": "没有这个选项",
    "No such command": "没有这个命令",
    "Invalid value for": "参数值无效：",
    "Got unexpected extra argument": "多余的参数",
    "Got unexpected extra arguments": "多余的参数",
    "requires an argument": "需要一个值",
    "is not one of": "不是可选值之一",
    # "'abc' is not a valid int." (typer's click), "… valid integer." (click 8), "… float."
    "is not a valid integer.": "不是整数。",
    "is not a valid int.": "不是整数。",
    "is not a valid float.": "不是数字。",
    "is not a valid integer": "不是整数",
    "is not a valid int": "不是整数",
    "is not a valid float": "不是数字",
    "Value error, ": "",
}


def _translate_usage(message: str) -> str:
    for en, zh in _USAGE_WORDS.items():
        message = message.replace(en, zh)
    return message


if __name__ == "__main__":  # pragma: no cover
    main()
