"""The offline bundle for Windows PCs: ``python -m gdr_gen.bundle OUTDIR``.

Run on any machine with access to the package index (Linux is fine). It builds the project
wheel and downloads, for Windows x64 and each supported Python (3.10–3.13), every wheel
gdr-gen needs, then writes 安装.bat / install.ps1 (install with no network, put gdr-gen on
PATH) and 生成年报.bat (drop a workbook on it: checked and built; the window stays open).

``pip download --platform win_amd64`` alone is not enough: pip evaluates the *platform*
markers of the requirements for the machine it runs on, so ``colorama; platform_system ==
"Windows"`` (typer) is left out on Linux. This module therefore resolves the whole dependency
tree itself for each target (:func:`resolve`: markers evaluated with ``packaging`` for the
target environment, wheels matched against the target's tags, Requires-Python honoured),
downloads what is missing, and repeats until the resolution is complete. The same resolver
checks a finished wheelhouse offline (tests/test_bundle.py).

Needs ``packaging`` (``pip install packaging``); gdr-gen itself does not.
"""

from __future__ import annotations

import argparse
import email.message
import email.parser
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import field
from pathlib import Path
from typing import Any

from .records import record

PROJECT = "gdr-gen"
PYTHON_VERSIONS = ("3.10", "3.11", "3.12", "3.13")
PLATFORM = "win_amd64"
# The last Windows installer of each version (markers on python_full_version see these).
_FULL_VERSION = {"3.10": "3.10.11", "3.11": "3.11.9", "3.12": "3.12.10", "3.13": "3.13.3"}
WHEELS_DIR = "wheels"
# cmd.exe reads a .bat file in the console's code page: 936 (GBK) on a Chinese Windows.
# Written in GBK, with ASCII-only commands (so they also run under any other code page),
# the Chinese messages show correctly without `chcp 65001`, whose UTF-8 batch parsing is
# unreliable on older Windows 10 builds. PowerShell 5.1 reads a .ps1 without BOM as ANSI,
# so install.ps1 is UTF-8 *with* BOM (read correctly by PowerShell 5.1 and 7).
BAT_ENCODING = "gbk"
PS1_ENCODING = "utf-8-sig"


# ---------------------------------------------------------------- targets
@record(frozen=True)
class Target:
    python: str  # "3.10"
    platform: str = PLATFORM

    @property
    def label(self) -> str:
        return f"{self.platform} / Python {self.python}"

    @property
    def nodot(self) -> str:
        return self.python.replace(".", "")

    def environment(self) -> dict[str, str]:
        """The PEP 508 marker environment of CPython ``python`` on 64-bit Windows."""
        if not self.platform.startswith("win"):
            raise ValueError(f"unsupported platform {self.platform}")
        return {
            "implementation_name": "cpython",
            "implementation_version": _FULL_VERSION[self.python],
            "os_name": "nt",
            "platform_machine": "AMD64",
            "platform_python_implementation": "CPython",
            "platform_release": "10",
            "platform_system": "Windows",
            "platform_version": "10.0.19045",
            "python_full_version": _FULL_VERSION[self.python],
            "python_version": self.python,
            "sys_platform": "win32",
            "extra": "",
        }

    def tags(self) -> list[Any]:
        """Wheel tags this target installs, best first (as pip orders them)."""
        from packaging import tags

        version = tuple(int(p) for p in self.python.split("."))
        interpreter = f"cp{self.nodot}"
        return [
            *tags.cpython_tags(
                version, abis=[interpreter, "abi3", "none"], platforms=[self.platform]
            ),
            *tags.compatible_tags(version, interpreter=interpreter, platforms=[self.platform]),
        ]


def targets(pythons: Iterable[str] = PYTHON_VERSIONS, platform: str = PLATFORM) -> list[Target]:
    return [Target(p, platform) for p in pythons]


# ---------------------------------------------------------------- the wheelhouse
@record(frozen=True)
class Wheel:
    path: Path
    name: str  # canonical
    version: Any  # packaging.version.Version
    tags: frozenset[Any]

    def metadata(self) -> email.message.Message:
        with zipfile.ZipFile(self.path) as z:
            meta = next(
                n for n in z.namelist() if n.count("/") == 1 and n.endswith(".dist-info/METADATA")
            )
            return email.parser.Parser().parsestr(z.read(meta).decode("utf-8"))


def scan_wheelhouse(folder: Path) -> dict[str, list[Wheel]]:
    """Every wheel in ``folder`` by canonical project name."""
    from packaging.utils import InvalidWheelFilename, parse_wheel_filename

    found: dict[str, list[Wheel]] = {}
    for path in sorted(folder.glob("*.whl")):
        try:
            name, version, _build, tags = parse_wheel_filename(path.name)
        except InvalidWheelFilename:
            continue
        found.setdefault(str(name), []).append(Wheel(path, str(name), version, frozenset(tags)))
    return found


# ---------------------------------------------------------------- the resolver
@record
class Resolution:
    target: Target
    pins: dict[str, Wheel] = field(default_factory=dict)  # name → the wheel pip will install
    missing: list[str] = field(default_factory=list)  # requirements no wheel here satisfies
    conflicts: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.missing and not self.conflicts

    def lock(self) -> str:
        return "".join(f"{name}=={w.version}\n" for name, w in sorted(self.pins.items()))


def resolve(
    requirements: Sequence[str], wheelhouse: Path | dict[str, list[Wheel]], target: Target
) -> Resolution:
    """Resolve ``requirements`` for ``target`` using only the wheels in ``wheelhouse``.

    Markers are evaluated for the target (not for this machine); a wheel counts only when
    its tags suit the target and its Requires-Python admits the target's version. The
    highest version that satisfies every requirement seen so far is chosen (no backtracking:
    a later requirement that excludes a chosen version is reported as a conflict).
    """
    from packaging.requirements import Requirement
    from packaging.specifiers import SpecifierSet
    from packaging.utils import canonicalize_name

    wheels = scan_wheelhouse(wheelhouse) if isinstance(wheelhouse, Path) else wheelhouse
    env = target.environment()
    priority = {tag: i for i, tag in enumerate(target.tags())}
    result = Resolution(target)
    specs: dict[str, SpecifierSet] = {}
    queue: list[tuple[str, str]] = [(r, "") for r in requirements]  # (requirement, its extra)
    done_extras: set[tuple[str, str]] = set()

    def candidates(name: str) -> list[Wheel]:
        usable = []
        for w in wheels.get(name, []):
            if not any(t in priority for t in w.tags):
                continue
            needs = w.metadata().get("Requires-Python")
            if needs and not SpecifierSet(needs).contains(env["python_full_version"]):
                continue
            usable.append(w)
        best_tag = {id(w): min(priority[t] for t in w.tags if t in priority) for w in usable}
        return sorted(usable, key=lambda w: (w.version, -best_tag[id(w)]), reverse=True)

    while queue:
        text, extra = queue.pop(0)
        req = Requirement(text)
        if req.marker is not None and not req.marker.evaluate({**env, "extra": extra}):
            continue
        name = canonicalize_name(req.name)
        specs[name] = specs.get(name, SpecifierSet()) & req.specifier
        chosen = result.pins.get(name)
        if chosen is not None:
            if not specs[name].contains(chosen.version, prereleases=True):
                result.conflicts.append(f"{req}（已选 {chosen.version}）")
                continue
        else:
            fitting = [w for w in candidates(name) if specs[name].contains(w.version)]
            if not fitting:
                result.missing.append(str(req).split(";")[0].strip())
                continue
            chosen = result.pins[name] = fitting[0]
        for want in ("", *sorted(req.extras)):
            if (name, want) in done_extras:
                continue
            done_extras.add((name, want))
            for dep in chosen.metadata().get_all("Requires-Dist") or []:
                queue.append((dep, want))
    return result


# ---------------------------------------------------------------- building the bundle
Runner = Callable[[list[str]], None]


def _run(cmd: list[str]) -> None:
    print("+ " + " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True)


def pip_download(
    requirements: Sequence[str], dest: Path, target: Target, *, deps: bool, run: Runner = _run
) -> None:
    """Download wheels for ``target`` (pip's own platform options; binary wheels only)."""
    cmd = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--only-binary=:all:",
        "--platform",
        target.platform,
        "--python-version",
        target.python,
        "--implementation",
        "cp",
        "--abi",
        f"cp{target.nodot}",
        "--dest",
        str(dest),
        *([] if deps else ["--no-deps"]),
        *requirements,
    ]
    run(cmd)


def build_project_wheel(project: Path, dest: Path, *, run: Runner = _run) -> Path:
    before = set(dest.glob("*.whl"))
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--wheel-dir", str(dest), str(project)])
    new = sorted(set(dest.glob("*.whl")) - before) or sorted(dest.glob("gdr_gen-*.whl"))
    if not new:
        raise SystemExit("没有生成 gdr-gen 的 wheel 文件")
    return new[-1]


def fill_wheelhouse(
    requirements: Sequence[str],
    wheels: Path,
    target: Target,
    *,
    run: Runner = _run,
    rounds: int = 10,
) -> Resolution:
    """Download until :func:`resolve` finds every requirement for ``target``."""
    pip_download(requirements, wheels, target, deps=True, run=run)
    for _ in range(rounds):
        res = resolve(requirements, wheels, target)
        if res.complete or res.conflicts:
            return res
        # what pip left out (markers evaluated for this machine, not the target)
        pip_download(res.missing, wheels, target, deps=False, run=run)
    return resolve(requirements, wheels, target)


def make_bundle(
    outdir: Path,
    *,
    project: Path | None = None,
    project_wheel: Path | None = None,
    pythons: Sequence[str] = PYTHON_VERSIONS,
    run: Runner = _run,
) -> list[Resolution]:
    """Build the whole bundle in ``outdir``; the resolutions (one per Python version)."""
    wheels = outdir / WHEELS_DIR
    wheels.mkdir(parents=True, exist_ok=True)
    if project_wheel is None:
        project_wheel = build_project_wheel(project or _repo_root(), wheels, run=run)
    elif project_wheel.parent.resolve() != wheels.resolve():
        project_wheel = Path(shutil.copy2(project_wheel, wheels))
    requirement = f"{PROJECT} @ {project_wheel.resolve().as_uri()}"
    results = []
    for target in targets(pythons):
        res = fill_wheelhouse([requirement], wheels, target, run=run)
        if not res.complete:
            problems = "；".join(res.missing + res.conflicts)
            raise SystemExit(f"{target.label}：依赖不完整：{problems}")
        (outdir / f"locks-py{target.nodot}.txt").write_text(res.lock(), encoding="utf-8")
        results.append(res)
    write_scripts(outdir)
    return results


def _repo_root() -> Path:
    root = Path(__file__).resolve().parent.parent
    if not (root / "pyproject.toml").is_file():
        raise SystemExit(
            "找不到 gdr-gen 的源代码（pyproject.toml）；请用 --wheel 指定 gdr-gen 的 wheel 文件"
        )
    return root


# ---------------------------------------------------------------- the Windows scripts
INSTALL_PS1 = r"""# gdr-gen 离线安装：从本文件夹的 wheels\ 安装，不需要联网。
# 安装到 %LOCALAPPDATA%\gdr-gen\venv，并把 %LOCALAPPDATA%\gdr-gen\bin 加入当前用户的 PATH。
$ErrorActionPreference = "Stop"
$here = Split-Path -Parent $MyInvocation.MyCommand.Path
$wheels = Join-Path $here "wheels"
$home_dir = Join-Path $env:LOCALAPPDATA "gdr-gen"
$venv = Join-Path $home_dir "venv"
$bin = Join-Path $home_dir "bin"

$python = $null
foreach ($candidate in @("py", "python")) {
    if (Get-Command $candidate -ErrorAction SilentlyContinue) { $python = $candidate; break }
}
if (-not $python) {
    Write-Host "没有找到 Python。请先安装 Python 3.10～3.13（64 位），安装时勾选“Add python.exe to PATH”，然后重新运行本安装程序。"
    exit 2
}
$pyArgs = @()
if ($python -eq "py") { $pyArgs = @("-3") }
$version = & $python @pyArgs -c "import sys; print('%d.%d' % sys.version_info[:2])"
if (@("3.10", "3.11", "3.12", "3.13") -notcontains $version) {
    Write-Host "本机的 Python 是 $version；离线安装包支持 3.10～3.13（64 位）。请安装其中一个版本后重试。"
    exit 2
}

Write-Host "正在安装 gdr-gen（Python $version）到 $venv ……"
& $python @pyArgs -m venv $venv
if ($LASTEXITCODE -ne 0) { Write-Host "创建虚拟环境失败。"; exit 2 }
& (Join-Path $venv "Scripts\python.exe") -m pip install --no-index --find-links $wheels --upgrade gdr-gen
if ($LASTEXITCODE -ne 0) { Write-Host "安装失败，请把上面的信息发给技术支持。"; exit 2 }

New-Item -ItemType Directory -Force -Path $bin | Out-Null
$exe = Join-Path $venv "Scripts\gdr-gen.exe"
Set-Content -Path (Join-Path $bin "gdr-gen.cmd") -Value "@`"$exe`" %*" -Encoding ASCII
$userPath = [Environment]::GetEnvironmentVariable("Path", "User")
if (-not $userPath) { $userPath = "" }
if (($userPath -split ";") -notcontains $bin) {
    $newPath = if ($userPath) { "$userPath;$bin" } else { $bin }
    [Environment]::SetEnvironmentVariable("Path", $newPath, "User")
    Write-Host "已把 $bin 加入 PATH；请关闭并重新打开命令行窗口后使用 gdr-gen。"
}
$env:Path = "$env:Path;$bin"
& $exe --help | Select-Object -First 3
Write-Host ""
Write-Host "安装完成。试一试：gdr-gen init --sample，然后 gdr-gen build 示例工作簿；或把工作簿拖到“生成年报.bat”上。"
exit 0
"""

INSTALL_BAT = r"""@echo off
rem gdr-gen 离线安装（不需要联网）：双击运行。本文件为 GBK 编码。
setlocal
powershell -NoProfile -ExecutionPolicy Bypass -File "%~dp0install.ps1"
set "RC=%ERRORLEVEL%"
echo.
pause
exit /b %RC%
"""

LAUNCHER_BAT = r"""@echo off
rem 把填报工作簿拖到本文件的图标上：先校验，没有错误就生成年度报告（在工作簿旁边）。
rem 本文件为 GBK 编码；命令部分只用英文字符。
setlocal
if "%~1"=="" goto usage
set "GDR_EXE=%LOCALAPPDATA%\gdr-gen\venv\Scripts\gdr-gen.exe"
if not exist "%GDR_EXE%" set "GDR_EXE=gdr-gen"
set "WORST=0"
:next
if "%~1"=="" goto done
echo ==== %~nx1
"%GDR_EXE%" build "%~1"
if errorlevel 2 (set "WORST=2") else if errorlevel 1 if not "%WORST%"=="2" set "WORST=1"
echo.
shift
goto next
:done
if "%WORST%"=="0" echo 完成：报告已生成在工作簿所在的文件夹。
if "%WORST%"=="1" echo 数据有问题，未生成报告：请按上面的说明修改工作簿，保存后再拖一次。
if "%WORST%"=="2" echo 有文件无法处理：请看上面“错误：”后的说明。
pause
exit /b %WORST%
:usage
echo 用法：把填报工作簿（.xlsx）或 JSON 数据文件拖到“生成年报.bat”的图标上，
echo 程序会先校验，没有错误就在工作簿旁边生成年度报告。
pause
exit /b 2
"""

README_TXT = """gdr-gen 离线安装包（Windows 64 位，Python 3.10～3.13）

1. 先安装 Python（3.10～3.13 任一版本，64 位），安装时勾选“Add python.exe to PATH”。
2. 双击“安装.bat”。程序装在 %LOCALAPPDATA%\\gdr-gen，不需要联网、不需要管理员权限。
3. 重新打开命令行窗口，运行 gdr-gen --help；或把填报工作簿拖到“生成年报.bat”上生成报告。

wheels 文件夹是安装所需的全部文件；locks-py3XX.txt 列出各 Python 版本实际安装的版本。
"""


def _crlf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


def write_scripts(outdir: Path) -> None:
    (outdir / "install.ps1").write_bytes(_crlf(INSTALL_PS1).encode(PS1_ENCODING))
    (outdir / "安装.bat").write_bytes(_crlf(INSTALL_BAT).encode(BAT_ENCODING))
    (outdir / "生成年报.bat").write_bytes(_crlf(LAUNCHER_BAT).encode(BAT_ENCODING))
    (outdir / "说明.txt").write_bytes(_crlf(README_TXT).encode("utf-8-sig"))


# ---------------------------------------------------------------- command line
def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m gdr_gen.bundle",
        description="生成 Windows 离线安装包（64 位，Python 3.10～3.13）；需要能访问软件包索引。",
    )
    parser.add_argument("outdir", type=Path, help="安装包输出文件夹")
    parser.add_argument("--wheel", type=Path, help="已构建的 gdr-gen wheel（默认从源代码构建）")
    parser.add_argument(
        "--python",
        default=",".join(PYTHON_VERSIONS),
        help="Python 版本，逗号分隔（默认 3.10,3.11,3.12,3.13）",
    )
    parser.add_argument("--check", action="store_true", help="只检查已有的安装包能否离线安装")
    args = parser.parse_args(argv)
    pythons = [p.strip() for p in args.python.split(",") if p.strip()]
    try:
        import packaging  # noqa: F401
    except ImportError:
        print("需要 packaging：请先运行 python -m pip install packaging", file=sys.stderr)
        return 2
    if args.check:
        ok = True
        for target in targets(pythons):
            res = resolve([PROJECT], args.outdir / WHEELS_DIR, target)
            state = "完整" if res.complete else "不完整：" + "；".join(res.missing + res.conflicts)
            print(f"{target.label}：{len(res.pins)} 个软件包，{state}")
            ok = ok and res.complete
        return 0 if ok else 1
    try:
        results = make_bundle(args.outdir, project_wheel=args.wheel, pythons=pythons)
    except subprocess.CalledProcessError as exc:
        print(
            f"pip 运行失败（退出码 {exc.returncode}）：请确认本机能访问软件包索引"
            "（或已配置镜像，如 pip config set global.index-url …），然后重试。",
            file=sys.stderr,
        )
        return 2
    for res in results:
        print(f"{res.target.label}：{len(res.pins)} 个软件包")
    print(f"离线安装包已生成：{args.outdir}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
