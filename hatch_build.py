"""Wheel build step: the phrase files of the prose checks, parsed once, shipped as JSON.

``gdr_gen/checks/phrases/*.toml`` are the source (people edit them; issue 16). Parsing them
with the pure-Python ``tomllib`` costs every ``check`` and ``build`` about 10 ms; the JSON of
the same data loads in under 1 ms. This hook writes ``phrases/compiled.json`` into the wheel
(not into the source tree): for each file its CRC-32 and its parsed data. At run time
``gdr_gen.checks.vocabulary`` uses an entry only when the CRC-32 of the ``.toml`` beside it
still matches, so an edited phrase file is always read as edited. Editable installs and
source checkouts have no compiled file and read the TOML directly.

Only the standard library is used here (tomli on Python 3.10, see build-system.requires).
"""

from __future__ import annotations

import json
import sys
import tempfile
import zlib
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

PHRASES = Path("gdr_gen") / "checks" / "phrases"
COMPILED_NAME = "compiled.json"
FORMAT_VERSION = 1


def compile_phrases(folder: Path) -> bytes:
    """``{"version": 1, "files": {name: {"crc32": …, "data": …}}}`` for every ``*.toml``."""
    files: dict[str, Any] = {}
    for path in sorted(folder.glob("*.toml")):
        raw = path.read_bytes()
        files[path.name] = {
            "crc32": zlib.crc32(raw),
            "data": tomllib.loads(raw.decode("utf-8").replace("\r\n", "\n")),
        }
    text = json.dumps(
        {"version": FORMAT_VERSION, "files": files},
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
        allow_nan=False,
    )
    return text.encode("utf-8")


class CustomBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    """Adds ``gdr_gen/checks/phrases/compiled.json`` to regular (non-editable) wheels."""

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        self._tmp = tempfile.TemporaryDirectory(prefix="gdr-gen-build-")
        out = Path(self._tmp.name) / COMPILED_NAME
        out.write_bytes(compile_phrases(Path(self.root) / PHRASES))
        build_data["force_include"][str(out)] = (PHRASES / COMPILED_NAME).as_posix()

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        tmp = getattr(self, "_tmp", None)
        if tmp is not None:
            tmp.cleanup()
