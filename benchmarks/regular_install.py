"""A regular install of this checkout, as a user has it, for the timing benchmarks.

``python -m venv`` in a temporary folder, then ``pip install .`` of the working tree with
the interpreter's own pip configuration (here: the local package index and wheel cache; no
network needed). pip builds a wheel and compiles every module to ``.pyc``, for gdr_gen and
for the libraries the baselines import alike, which is what every user's install has. The
commands are then run through the installed ``gdr-gen`` script from a folder outside the
checkout, with no PYTHONPATH, so the source tree is never imported instead.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def regular_install(where: Path) -> tuple[Path, Path]:
    """(python, gdr-gen script) of a fresh virtual environment holding ``pip install .``."""
    venv = where / "venv"
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    python = bindir / ("python.exe" if os.name == "nt" else "python")
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", str(ROOT)],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    script = bindir / ("gdr-gen.exe" if os.name == "nt" else "gdr-gen")
    # what pip installed must be this checkout, compiled, and not the source tree
    probe = subprocess.run(
        [str(python), "-c", "import gdr_gen, sys; print(gdr_gen.__file__)"],
        check=True,
        capture_output=True,
        text=True,
        cwd=where,
        env=clean_env(),
    ).stdout.strip()
    installed = Path(probe).parent
    assert venv in installed.parents, f"gdr_gen imported from {installed}, not the venv"
    assert any(installed.glob("__pycache__/*.pyc")), "pip did not compile gdr_gen"
    print(f"regular install: {venv} ({time.perf_counter() - t:.0f} s)", flush=True)
    return python, script


def clean_env(**extra: str) -> dict[str, str]:
    """The environment for measured commands: no PYTHONPATH, bytecode as installed."""
    env = dict(os.environ, **extra)
    for name in ("PYTHONPATH", "PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX", "GDR_GEN_DEBUG"):
        env.pop(name, None)
    return env
