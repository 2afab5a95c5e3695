"""Where the bundled files live: inside the installed package, or at the repo top level.

The design card keeps ``templates/``, ``docs/`` and ``sample_inputs/`` at the top level of the
repository; the wheel carries them inside the package (pyproject force-include:
``gdr_gen/templates``, ``gdr_gen/docs/data-format.md``, ``gdr_gen/sample_inputs``), so both
layouts are looked up. Help texts point to commands that print or write these files
(``gdr-gen data-format``, ``gdr-gen init --sample``), never to repository paths.
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


SAMPLE_WORKBOOK = "巫山县2022.xlsx"
SAMPLE_JSON = "巫山县2022.json"


def bundled_file(folder: str, name: str) -> Path:
    """``folder/name`` shipped with gdr-gen (``docs``, ``sample_inputs``)."""
    here = Path(__file__).resolve().parent
    for candidate in (here / folder / name, here.parent / folder / name):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"gdr-gen file {folder}/{name} not found")  # broken installation


def data_format_doc() -> Path:
    return bundled_file("docs", "data-format.md")


def sample_file(name: str = SAMPLE_WORKBOOK) -> Path:
    return bundled_file("sample_inputs", name)
