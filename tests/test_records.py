"""``gdr_gen.records.record`` behaves as ``dataclasses.dataclass`` does (issue 14).

Each case defines the same class body twice, once with ``@dataclass`` and once with ``@record``,
and compares what a caller can observe: construction, equality, hashing, repr, frozen
assignment, ``fields``/``replace``/``asdict``.
"""

from __future__ import annotations

import dataclasses
import pathlib
import re
from dataclasses import dataclass, field
from typing import Any

import pytest

from gdr_gen.records import record


def _pair(frozen: bool) -> tuple[type[Any], type[Any]]:
    def body() -> dict[str, Any]:
        return {
            "__annotations__": {"a": "int", "b": "str", "tags": "list[str]", "note": "str"},
            "__doc__": "A sample.",
            "b": "x",
            "tags": field(default_factory=list),
            "note": field(default="", compare=False, repr=False),
        }

    plain = dataclass(frozen=True)(type("Sample", (), body())) if frozen else None
    plain = plain or dataclass(type("Sample", (), body()))
    ours = record(frozen=frozen)(type("Sample", (), body()))
    return plain, ours


@pytest.mark.parametrize("frozen", [False, True])
def test_record_matches_dataclass(frozen: bool) -> None:
    plain, ours = _pair(frozen)
    values = [(1,), (1, "y"), (2, "x", ["t"]), (1, "x", [], "other note")]
    for args in values:
        p, o = plain(*args), ours(*args)
        assert repr(p) == repr(o)
        assert dataclasses.asdict(p) == dataclasses.asdict(o)
        for other in values:
            assert (p == plain(*other)) == (o == ours(*other)), (args, other)
            assert (p != plain(*other)) == (o != ours(*other)), (args, other)
    # compare=False fields are ignored, as by dataclass
    assert ours(1, note="a") == ours(1, note="b")
    # a different class is never equal; comparison with anything else is NotImplemented
    assert ours(1) != plain(1)
    assert ours(1).__eq__(object()) is NotImplemented
    assert [f.name for f in dataclasses.fields(ours)] == ["a", "b", "tags", "note"]
    assert dataclasses.replace(ours(1), b="z") == ours(1, "z")
    assert dataclasses.is_dataclass(ours)


def test_frozen_record_hashes_and_refuses_assignment() -> None:
    plain, ours = _pair(frozen=True)
    p, o = plain(1, "y", note="n"), ours(1, "y", note="n")
    # same hash as dataclass gives (the tuple of compared fields; tags is a list → unhashable)
    with pytest.raises(TypeError):
        hash(p)
    with pytest.raises(TypeError):
        hash(o)

    @record(frozen=True)
    class Point:
        """A point."""

        x: int
        y: int = 0

    @dataclass(frozen=True)
    class PlainPoint:
        """A point."""

        x: int
        y: int = 0

    assert hash(Point(1, 2)) == hash(PlainPoint(1, 2))
    assert hash(Point(3)) == hash(PlainPoint(3))
    assert {Point(1, 2), Point(1, 2), Point(2, 1)} == {Point(2, 1), Point(1, 2)}
    with pytest.raises(dataclasses.FrozenInstanceError):
        o.a = 2  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del o.a  # type: ignore[misc]


def test_plain_record_is_unhashable_and_mutable() -> None:
    _, ours = _pair(frozen=False)
    o = ours(1)
    with pytest.raises(TypeError):
        hash(o)
    o.a = 5
    assert o == ours(5)


def test_one_field_and_no_field_records() -> None:
    @record(frozen=True)
    class One:
        """One field."""

        value: str

    @record
    class Empty:
        """No fields."""

    assert One("a") == One("a") and One("a") != One("b")
    assert hash(One("a")) == hash(("a",))
    assert repr(One("a")) == "test_one_field_and_no_field_records.<locals>.One(value='a')"
    assert Empty() == Empty()
    assert repr(Empty()) == "test_one_field_and_no_field_records.<locals>.Empty()"


def test_methods_the_class_defines_are_kept() -> None:
    @record(frozen=True)
    class Custom:
        """Own equality and hash."""

        x: int

        def __eq__(self, other: object) -> bool:
            return isinstance(other, Custom) and abs(self.x - other.x) < 2

        def __hash__(self) -> int:
            return 0

        def __repr__(self) -> str:
            return "custom"

    assert Custom(1) == Custom(2)
    assert hash(Custom(5)) == 0
    assert repr(Custom(1)) == "custom"


def test_recursive_repr_does_not_loop() -> None:
    @record
    class Node:
        """A node."""

        children: list[Any]

    n = Node([])
    n.children.append(n)
    assert repr(n).endswith("Node(children=[...])")


def test_gdr_gen_defines_its_records_with_record() -> None:
    """No module of the package goes back to ``@dataclass``, whose classes cost a compile per
    method at every start (see gdr_gen/records.py)."""
    package = pathlib.Path(__file__).resolve().parent.parent / "gdr_gen"
    offenders = [
        str(p.relative_to(package))
        for p in package.rglob("*.py")
        if p.name != "records.py"
        and re.search(r"^\s*@(dataclasses\.)?dataclass\b", p.read_text(encoding="utf-8"), re.M)
    ]
    assert offenders == []
