"""The offline bundle for Windows (issue 11, failure 6), resolved with the network off.

Before: ``pip download --platform win_amd64 …`` on Linux gathered an incomplete wheelhouse —
pip evaluates platform markers for the machine it runs on, so typer's ``colorama;
platform_system == "Windows"`` (and, on 3.11, anyio's ``exceptiongroup; python_version <
"3.11"``) were missing — and one wheelhouse fitted one Python version.

The wheelhouse here is built from the real dependency tree: every distribution gdr-gen's
installed metadata leads to, with its real version, Requires-Dist and Requires-Python, as
stub wheels tagged the way PyPI ships them for Windows (binary packages once per CPython
version, abi3 once, pure ones once), plus the Windows/3.10-only packages this Linux
environment does not have installed. :func:`gdr_gen.bundle.resolve` then resolves it for
win_amd64 and each Python 3.10–3.13 — markers evaluated for the target, not for Linux.
"""

from __future__ import annotations

import importlib.metadata as md
import os
import re
import shutil
import zipfile
from pathlib import Path

import pytest

pytest.importorskip("packaging")
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from gdr_gen import bundle

VERSIONS = ["3.10", "3.11", "3.12", "3.13"]
# Needed on Windows or on Python 3.10 only, so not installed in this (Linux, 3.11+) venv.
WINDOWS_ONLY = {
    "colorama": ("0.4.6", "!=3.0.*,!=3.1.*,!=3.2.*,!=3.3.*,!=3.4.*,!=3.5.*,!=3.6.*,>=2.7", []),
    "exceptiongroup": ("1.3.0", ">=3.7", ['typing-extensions>=4.6.0; python_version < "3.13"']),
    "tomli": ("2.2.1", ">=3.8", []),  # the prose phrase files on Python < 3.11
}
# The installed python-calamine and annotated-doc require Python >= 3.11, so Python 3.10
# needs an older release of each: stand-ins for those (version, Requires-Python, no deps).
OLDER_RELEASES = {
    "python-calamine": ("0.5.3", ">=3.9", "binary"),
    "annotated-doc": ("0.0.3", ">=3.8", "py3-none-any"),
}


def _stub_wheel(folder: Path, name: str, version: str, tag: str, meta: list[str]) -> Path:
    dist = f"{re.sub(r'[-.]+', '_', name)}-{version}"
    path = folder / f"{dist}-{tag}.whl"
    header = ["Metadata-Version: 2.1", f"Name: {name}", f"Version: {version}", *meta]
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(f"{dist}.dist-info/METADATA", "\n".join(header) + "\n")
        z.writestr(f"{dist}.dist-info/WHEEL", f"Wheel-Version: 1.0\nTag: {tag}\n")
    return path


def _windows_tags(installed_tag: str) -> list[str]:
    """How PyPI ships a distribution for Windows x64, from its installed wheel tag."""
    python, abi, platform = installed_tag.split("-")
    if platform == "any":
        return [installed_tag]
    if abi == "abi3":
        return [f"{python}-abi3-win_amd64"]
    return [f"cp{v.replace('.', '')}-cp{v.replace('.', '')}-win_amd64" for v in VERSIONS]


def _dependency_tree() -> dict[str, md.Distribution]:
    """Every installed distribution gdr-gen requires on some platform and Python version."""
    seen: dict[str, md.Distribution] = {}
    todo = ["gdr-gen"]
    while todo:
        name = canonicalize_name(todo.pop())
        if name in seen:
            continue
        try:
            dist = md.distribution(name)
        except md.PackageNotFoundError:
            assert name in WINDOWS_ONLY, f"{name} is required but neither installed nor stubbed"
            continue
        seen[name] = dist
        for text in dist.requires or []:
            req = Requirement(text)
            if req.marker is None or "extra" not in str(req.marker):
                todo.append(req.name)
    return seen


@pytest.fixture(scope="module")
def index(tmp_path_factory) -> Path:
    """A local 'package index': stub wheels for the whole tree, as PyPI has them."""
    folder = tmp_path_factory.mktemp("index")
    for dist in _dependency_tree().values():
        meta = [f"Requires-Dist: {r}" for r in dist.requires or []]
        if dist.metadata.get("Requires-Python"):
            meta.append(f"Requires-Python: {dist.metadata['Requires-Python']}")
        wheel_text = dist.read_text("WHEEL") or "Tag: py3-none-any"
        installed_tags = re.findall(r"^Tag: (\S+)", wheel_text, re.M)
        installed_tag = installed_tags[0]
        if all(t.endswith("-none-any") for t in installed_tags):  # py2.py3-none-any
            installed_tag = ".".join(t.split("-")[0] for t in installed_tags) + "-none-any"
        for tag in _windows_tags(installed_tag):
            _stub_wheel(folder, dist.metadata["Name"], dist.version, tag, meta)
        if not installed_tag.endswith("any"):  # the Linux wheel must never be chosen
            _stub_wheel(folder, dist.metadata["Name"], dist.version, installed_tag, meta)
    for name, (version, python, deps) in WINDOWS_ONLY.items():
        meta = [f"Requires-Python: {python}", *(f"Requires-Dist: {d}" for d in deps)]
        _stub_wheel(folder, name, version, "py3-none-any", meta)
    for name, (version, python, kind) in OLDER_RELEASES.items():
        tags = _windows_tags("cp311-cp311-linux_x86_64") if kind == "binary" else [kind]
        for tag in tags:
            _stub_wheel(folder, name, version, tag, [f"Requires-Python: {python}"])
    # a newer MarkupSafe for Python 3.14+ only: Requires-Python must keep it out
    _stub_wheel(folder, "MarkupSafe", "99.0", "cp313-cp313-win_amd64", ["Requires-Python: >=3.14"])
    return folder


@pytest.mark.parametrize("python", VERSIONS)
def test_resolves_for_windows_x64_offline(index, python):
    target = bundle.Target(python)
    res = bundle.resolve([bundle.PROJECT], index, target)
    assert res.complete, (res.missing, res.conflicts)
    pins = res.pins
    # every requirement of every pinned distribution is pinned, with markers for the target
    env = target.environment()
    for name, wheel in pins.items():
        for text in wheel.metadata().get_all("Requires-Dist") or []:
            req = Requirement(text)
            if req.marker is None or req.marker.evaluate({**env, "extra": ""}):
                assert canonicalize_name(req.name) in pins, f"{name} needs {req}"
                assert req.specifier.contains(pins[canonicalize_name(req.name)].version)
    assert "colorama" in pins  # typer on Windows: what pip download on Linux left out
    assert ("exceptiongroup" in pins) == (python == "3.10")  # anyio on Python < 3.11
    assert ("tomli" in pins) == (python == "3.10")  # gdr-gen's phrase files on Python < 3.11
    nodot = python.replace(".", "")
    for name in ("lxml", "markupsafe", "python-calamine"):
        tags = {str(t) for t in pins[name].tags}
        assert tags == {f"cp{nodot}-cp{nodot}-win_amd64"}, (name, tags)
    assert {str(t) for t in pins["watchfiles"].tags} == {"cp310-abi3-win_amd64"}
    assert str(pins["markupsafe"].version) != "99.0"  # Requires-Python >=3.14 honoured
    # Requires-Python honoured per target: 3.10 gets the older release, 3.11+ the newest
    newest = md.version("python-calamine")
    assert (str(pins["python-calamine"].version) == newest) == (python != "3.10")
    for wheel in pins.values():
        assert "manylinux" not in wheel.path.name and "linux" not in wheel.path.name


def test_incomplete_wheelhouse_is_reported(index, tmp_path):
    """What `pip download --platform win_amd64` on Linux produced: no colorama."""
    for whl in index.glob("*.whl"):
        if not whl.name.startswith("colorama"):
            shutil.copy(whl, tmp_path)
    res = bundle.resolve([bundle.PROJECT], tmp_path, bundle.Target("3.12"))
    assert not res.complete
    assert res.missing == ["colorama"]


def _fake_pip(index: Path, project_wheel: Path):
    """Stands in for pip with the network off, behaving like pip on Linux: ``download``
    with dependencies copies what pip would find evaluating platform markers for Linux
    (so not colorama; not exceptiongroup on the 3.11+ host), ``--no-deps`` copies exactly
    the named projects, ``wheel`` builds the project wheel."""
    calls: list[list[str]] = []

    def run(cmd: list[str]) -> None:
        calls.append(cmd)
        dest = Path(cmd[cmd.index("--dest") + 1]) if "--dest" in cmd else None
        if "wheel" in cmd:
            shutil.copy(project_wheel, cmd[cmd.index("--wheel-dir") + 1])
            return
        assert "--platform" in cmd and "--only-binary=:all:" in cmd
        if "--no-deps" in cmd:
            names = {
                canonicalize_name(Requirement(r).name) for r in cmd[cmd.index("--no-deps") + 1 :]
            }
        else:
            names = None
        for whl in index.glob("*.whl"):
            name = canonicalize_name(whl.name.split("-")[0])
            if (names is None and name not in WINDOWS_ONLY) or (names and name in names):
                shutil.copy(whl, dest)

    return run, calls


def test_make_bundle_completes_what_pip_leaves_out(index, tmp_path):
    project_wheel = next(index.glob("gdr_gen-*.whl"))
    run, calls = _fake_pip(index, project_wheel)
    out = tmp_path / "离线安装包"
    results = bundle.make_bundle(out, project=Path("."), run=run)
    assert [r.target.python for r in results] == VERSIONS
    assert all(r.complete for r in results)
    downloaded_later = [c for c in calls if "--no-deps" in c]
    assert any("colorama" in " ".join(c) for c in downloaded_later)
    assert any("exceptiongroup" in " ".join(c) for c in downloaded_later)
    for python in VERSIONS:  # a lock per version, and every pinned file in wheels/
        lock = (out / f"locks-py{python.replace('.', '')}.txt").read_text(encoding="utf-8")
        assert "colorama==0.4.6" in lock and "gdr-gen==" in lock
        assert ("exceptiongroup==" in lock) == (python == "3.10")
    # the finished bundle checks complete offline (python -m gdr_gen.bundle --check)
    assert bundle.main([str(out), "--check"]) == 0
    for name in ("安装.bat", "install.ps1", "生成年报.bat", "说明.txt"):
        assert (out / name).is_file()


# ---------------------------------------------------------------- the Windows scripts
@pytest.fixture
def scripts(tmp_path) -> Path:
    bundle.write_scripts(tmp_path)
    return tmp_path


@pytest.mark.parametrize("name", ["安装.bat", "生成年报.bat"])
def test_bat_files_are_gbk_crlf_with_ascii_commands(scripts, name):
    raw = (scripts / name).read_bytes()
    text = raw.decode("gbk")  # cmd.exe on a Chinese Windows reads the OEM code page 936
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")  # really GBK, not UTF-8 that happens to decode
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
    for line in text.splitlines():
        command = line.strip().lower()
        if command.startswith(("rem ", "echo ")) or " echo " in command:
            continue
        assert line.isascii(), line  # the commands work under any code page
    assert "pause" in text  # the window stays open with the result


def test_launcher_builds_each_dropped_workbook(scripts):
    text = (scripts / "生成年报.bat").read_bytes().decode("gbk")
    assert 'build "%~1"' in text and "shift" in text and "goto next" in text
    assert "%LOCALAPPDATA%\\gdr-gen\\venv\\Scripts\\gdr-gen.exe" in text


def test_install_script_is_offline_and_puts_gdr_gen_on_path(scripts):
    raw = (scripts / "install.ps1").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # PowerShell 5.1 reads BOM-less files as ANSI
    text = raw.decode("utf-8-sig")
    assert "--no-index --find-links $wheels" in text
    assert '[Environment]::SetEnvironmentVariable("Path"' in text and '"User"' in text
    assert "&&" not in text  # PowerShell 5.1 has no &&
    bat = (scripts / "安装.bat").read_bytes().decode("gbk")
    assert "install.ps1" in bat and "-ExecutionPolicy Bypass" in bat


@pytest.mark.skipif(
    not os.environ.get("GDR_GEN_BUNDLE_ONLINE"),
    reason="needs the package index (set GDR_GEN_BUNDLE_ONLINE=1 to download a real bundle)",
)
def test_real_bundle_from_the_index(tmp_path):  # pragma: no cover - network
    assert bundle.main([str(tmp_path / "bundle")]) == 0
    assert bundle.main([str(tmp_path / "bundle"), "--check"]) == 0
