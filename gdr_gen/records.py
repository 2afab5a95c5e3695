"""``@record``: a dataclass that is cheap to define.

``dataclasses.dataclass`` writes each method it adds (``__init__``, ``__repr__``, ``__eq__``,
``__hash__``, and for frozen classes ``__setattr__`` and ``__delattr__``) as source text and
compiles it with ``exec`` when the class is defined: about 0.1–0.2 ms per method, 0.5–1 ms per
class. gdr-gen defines some sixty such classes, and every command defines most of them at
start-up, so compiling them cost a ``build`` more than reading the workbook did.

``record`` is ``dataclass`` with the same behaviour, but only ``__init__`` (and, for frozen
classes, the two attribute guards) is compiled; ``__eq__``, ``__hash__`` and ``__repr__`` are
shared implementations driven by the class's fields, built without ``exec``:

- ``__eq__``: equal when the other object has the same class and the fields that take part in
  comparison (``field(compare=False)`` excluded) are equal, as a tuple; else NotImplemented.
- ``__hash__``: the hash of that tuple for frozen records; a non-frozen record is unhashable
  (``__hash__`` None), exactly as ``dataclass(eq=True)`` decides.
- ``__repr__``: ``Name(a=1, b='x')`` over the fields with ``repr=True``.

Everything else is dataclasses' own: ``fields()``, ``replace()``, ``asdict()``, ``field()``,
defaults, ``__post_init__``, frozen instances raising ``FrozenInstanceError``. Type checkers
treat ``record`` as ``dataclass`` (PEP 681, ``dataclass_transform``).
"""

from __future__ import annotations

import dataclasses
import operator
import reprlib
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, overload

T = TypeVar("T")

__all__ = ["record"]


def _compare_key(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """The tuple of a record's compared fields (what dataclass's ``__eq__`` compares)."""
    if len(names) >= 2:
        return operator.attrgetter(*names)  # returns a tuple for two names or more
    if len(names) == 1:
        name = names[0]
        return lambda obj: (getattr(obj, name),)
    return lambda obj: ()


def _finish(cls: type[T], frozen: bool) -> type[T]:
    """Add the shared ``__eq__``/``__hash__``/``__repr__`` to a class dataclass has processed
    with ``eq=False, repr=False`` (methods the class defines itself are kept)."""
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
    key = _compare_key(tuple(f.name for f in fields if f.compare))
    shown = tuple(f.name for f in fields if f.repr)
    own = cls.__dict__

    if "__eq__" not in own:

        def __eq__(self: Any, other: Any) -> Any:
            if other.__class__ is self.__class__:
                return key(self) == key(other)
            return NotImplemented

        __eq__.__qualname__ = f"{cls.__qualname__}.__eq__"
        cls.__eq__ = __eq__  # type: ignore[method-assign]

    # dataclass's rule for eq=True, unsafe_hash=False: an explicit __hash__ stays; otherwise
    # frozen records hash their compared fields and the others are unhashable. (A class body
    # defining __eq__ alone gets __hash__ = None from Python itself: not explicit.)
    class_hash = own.get("__hash__", dataclasses.MISSING)
    explicit = not (class_hash is dataclasses.MISSING or (class_hash is None and "__eq__" in own))
    if not explicit:
        if frozen:

            def __hash__(self: Any) -> int:
                return hash(key(self))

            __hash__.__qualname__ = f"{cls.__qualname__}.__hash__"
            cls.__hash__ = __hash__  # type: ignore[method-assign]
        else:
            cls.__hash__ = None  # type: ignore[assignment]

    if "__repr__" not in own:

        @reprlib.recursive_repr()
        def __repr__(self: Any) -> str:
            inner = ", ".join(f"{name}={getattr(self, name)!r}" for name in shown)
            return f"{self.__class__.__qualname__}({inner})"

        __repr__.__qualname__ = f"{cls.__qualname__}.__repr__"
        cls.__repr__ = __repr__  # type: ignore[method-assign]
    return cls


def _record(cls: type[T] | None = None, /, *, frozen: bool = False) -> Any:
    def wrap(c: type[T]) -> type[T]:
        return _finish(dataclasses.dataclass(c, eq=False, repr=False, frozen=frozen), frozen)

    return wrap if cls is None else wrap(cls)


if TYPE_CHECKING:
    if sys.version_info >= (3, 11):
        from typing import dataclass_transform
    else:  # pragma: no cover
        from typing_extensions import dataclass_transform

    @overload
    def record(cls: type[T], /) -> type[T]: ...

    @overload
    def record(*, frozen: bool = False) -> Callable[[type[T]], type[T]]: ...

    @dataclass_transform(field_specifiers=(dataclasses.field, dataclasses.Field))
    def record(cls: type[T] | None = None, /, *, frozen: bool = False) -> Any: ...

else:
    record = _record
