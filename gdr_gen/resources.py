"""Where the bundled templates live: inside the installed package, or at the repo top level.

The design card keeps ``templates/`` at the top level of the repository; the wheel carries
it as ``gdr_gen/templates`` (pyproject force-include), so both layouts are looked up.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path


@cache
def templates_dir() -> Path:
    here = Path(__file__).resolve().parent
    for candidate in (here / "templates", here.parent / "templates"):
        if (candidate / "sentences").is_dir():
            return candidate
    raise FileNotFoundError("gdr-gen templates folder not found")  # broken installation
