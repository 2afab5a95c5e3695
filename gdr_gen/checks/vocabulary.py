"""The phrase knowledge of the prose checks, read from data files (``checks/phrases/*.toml``).

One file per concept (subjects, claims, scope words, time words …). Each entry names its words
(``words``: literal text, any of them; ``patterns``: regular expressions for those who know
them), the wording gdr-gen itself writes (``write``, optional) and examples that must and must
not match (``match`` / ``no_match``). :func:`validate` runs the examples; the test suite runs
it, so a wrong edit to a phrase file fails a test that names the file and the example.

Nothing is read at import time: a file is parsed, and its entries compiled, the first time a
check asks for it (``phrases()`` is cached), so the start-up of commands that do not check
prose pays nothing. An installed wheel also carries ``phrases/compiled.json`` (written by the
build step ``hatch_build.py``): the same files already parsed, each with the CRC-32 of its
``.toml``. A file whose CRC-32 still matches is taken from there (under 1 ms instead of about
10 ms of ``tomllib`` for all files); an edited file is read from its TOML.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import field
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from ..records import record

PHRASES_DIR = Path(__file__).resolve().parent / "phrases"

# How a file's examples are tried (the file's [about] test = …):
#   search   the entry's regular expression is found in the (normalised) example
#   subject  the example sentence, checked as prose, has a figure attributed to the entry's key
TEST_MODES = ("search", "subject")


class PhraseError(ValueError):
    """A phrase file that cannot be read or compiled (a programming/packaging error)."""


@record(frozen=True)
class Entry:
    """One phrasing: what it matches, and its examples."""

    file: str
    key: str
    words: tuple[str, ...]
    patterns: tuple[str, ...]
    match: tuple[str, ...]
    no_match: tuple[str, ...]
    write: str | None
    data: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def pattern(self) -> str:
        """The entry as one regular expression (an alternation of its words and patterns)."""
        words = sorted(self.words, key=len, reverse=True)  # the longest word wins
        return "|".join([*(re.escape(w) for w in words), *self.patterns])

    @cached_property
    def regex(self) -> re.Pattern[str]:
        """Compiled on first use (a check run compiles only what it reads)."""
        try:
            return re.compile(self.pattern)
        except re.error as exc:
            raise PhraseError(
                f"phrases/{self.file}: entry {self.key!r}: bad pattern ({exc})"
            ) from None

    def get(self, name: str, default: Any = None) -> Any:
        return self.data.get(name, default)


@record(frozen=True)
class PhraseFile:
    """One phrase file (checks/phrases/*.toml): its name, how its examples test, its entries."""

    name: str  # file name, e.g. claims.toml
    test: str
    entries: tuple[Entry, ...]

    def __getitem__(self, key: str) -> Entry:
        for e in self.entries:
            if e.key == key:
                return e
        raise PhraseError(f"phrases/{self.name}: no entry {key!r}")

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries)

    def alternation(self, *keys: str) -> str:
        """The named entries (all when none named) as one alternation, in file order."""
        chosen = [self[k] for k in keys] if keys else list(self.entries)
        return "|".join(f"(?:{e.pattern})" for e in chosen)


def _toml_loads(text: str) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    return tomllib.loads(text)


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise PhraseError(f"{where}: expected a list of strings")
    return tuple(value)


COMPILED_NAME = "compiled.json"  # see the module docstring and hatch_build.py


def load_compiled(directory: Path) -> dict[str, Any]:
    """The parsed phrase files the wheel carries (``{name: {"crc32", "data"}}``), or {}."""
    import json

    try:
        raw = json.loads((directory / COMPILED_NAME).read_bytes())
    except (OSError, ValueError):
        return {}  # a source checkout (no compiled file) or a damaged one: read the TOML
    if (
        not isinstance(raw, dict)
        or raw.get("version") != 1
        or not isinstance(raw.get("files"), dict)
    ):
        return {}
    return raw["files"]


def read_file(path: Path, compiled: dict[str, Any] | None = None) -> PhraseFile:
    """Parse one phrase file (no example is run here); ``compiled``: see :func:`load_compiled`."""
    import zlib

    where = f"phrases/{path.name}"
    try:
        raw = path.read_bytes()
        entry = (compiled or {}).get(path.name)
        if isinstance(entry, dict) and entry.get("crc32") == zlib.crc32(raw):
            data = entry["data"]
        else:
            data = _toml_loads(raw.decode("utf-8").replace("\r\n", "\n"))
    except (OSError, ValueError) as exc:
        raise PhraseError(f"{where}: {exc}") from None
    about = data.get("about", {})
    test = about.get("test", "search")
    if test not in TEST_MODES:
        raise PhraseError(f"{where}: unknown test mode {test!r}")
    entries = []
    seen = set()
    for i, raw in enumerate(data.get("entry", [])):
        key = raw.get("key")
        here = f"{where} entry {i + 1}"
        if not isinstance(key, str) or not key:
            raise PhraseError(f"{here}: no key")
        if key in seen:
            raise PhraseError(f"{where}: key {key!r} twice")
        seen.add(key)
        e = Entry(
            file=path.name,
            key=key,
            words=_strings(raw.get("words"), f"{here} ({key}) words"),
            patterns=_strings(raw.get("patterns"), f"{here} ({key}) patterns"),
            match=_strings(raw.get("match"), f"{here} ({key}) match"),
            no_match=_strings(raw.get("no_match"), f"{here} ({key}) no_match"),
            write=raw.get("write"),
            data={
                k: v
                for k, v in raw.items()
                if k not in ("key", "words", "patterns", "match", "no_match", "write")
            },
        )
        if not e.words and not e.patterns:
            raise PhraseError(f"{where}: entry {key!r} has neither words nor patterns")
        entries.append(e)
    return PhraseFile(path.name, test, tuple(entries))


class Phrases:
    """The phrase files of one folder, each read on first use."""

    def __init__(self, directory: Path = PHRASES_DIR) -> None:
        self.directory = directory
        self._files: dict[str, PhraseFile] = {}
        self._compiled: dict[str, Any] | None = None

    def __getitem__(self, name: str) -> PhraseFile:
        if name not in self._files:
            if self._compiled is None:
                self._compiled = load_compiled(self.directory)
            self._files[name] = read_file(self.directory / f"{name}.toml", self._compiled)
        return self._files[name]

    def names(self) -> list[str]:
        return sorted(p.stem for p in self.directory.glob("*.toml"))

    def write(self, name: str, key: str) -> str:
        """The wording gdr-gen writes for an entry (sentences.py and the sentence templates)."""
        text = self[name][key].write
        if not text:
            raise PhraseError(f"phrases/{name}.toml: entry {key!r} has no 'write'")
        return str(text)


@cache
def phrases() -> Phrases:
    """The bundled phrase files (cached: read once per process)."""
    return Phrases()


# ---------------------------------------------------------------- examples
@record(frozen=True)
class Problem:
    """An example of a phrase entry that does not behave as the file says."""

    file: str
    key: str
    example: str
    expected: bool  # True: should have matched

    def __str__(self) -> str:
        want = "应当匹配，但没有匹配" if self.expected else "不应匹配，但匹配了"
        return f"phrases/{self.file} 条目 {self.key} 的例句“{self.example}”{want}"


SubjectTester = Callable[[str, str], bool]  # (example sentence, key) → attributed to key?


def examples(p: Phrases) -> Iterator[tuple[PhraseFile, Entry, str, bool]]:
    """(file, entry, example, must match) for every example of every file, ``write`` included."""
    for name in p.names():
        f = p[name]
        for e in f:
            if e.write:
                yield f, e, e.write, True
            for ex in e.match:
                yield f, e, ex, True
            for ex in e.no_match:
                yield f, e, ex, False


def example_ok(f: PhraseFile, e: Entry, example: str, expected: bool, p: Phrases) -> bool:
    if f.test == "subject" and example != e.write:  # `write` is a phrase, not a sentence
        from .prose import attributed_keys

        return (e.key in attributed_keys(example, p)) == expected
    from .figures import normalize

    return bool(e.regex.search(normalize(example))) == expected


def validate(p: Phrases | None = None) -> list[Problem]:
    """Every example of every phrase file that does not behave as stated."""
    p = p or phrases()
    problems = []
    for f, e, ex, expected in examples(p):
        if not example_ok(f, e, ex, expected, p):
            problems.append(Problem(f.name, e.key, ex, expected))
    for name in p.names():
        for e in p[name]:
            if not e.match or not e.no_match:
                problems.append(
                    Problem(
                        name,
                        e.key,
                        "（缺少例句：每个条目至少要有一个 match 和一个 no_match）",
                        True,
                    )
                )
    return problems
