"""runtime_typing.NamedTuple builds what typing.NamedTuple builds, minus the checks."""

from __future__ import annotations

import importlib
import pkgutil
import types
import typing
from collections.abc import Callable

import docker_standard
import pytest
from docker_standard import runtime_typing


def _pair() -> tuple[type, type]:
    classes = []
    for base in (typing.NamedTuple, runtime_typing.NamedTuple):

        class Point(base):  # type: ignore[valid-type,misc]
            """A point."""

            x: int
            y: str | None = None
            tags: tuple[str, ...] = ()

            @property
            def label(self) -> str:
                return f"{self.x}:{self.y}"

            def moved(self, by: int) -> Point:
                return self._replace(x=self.x + by)

        classes.append(Point)
    return classes[0], classes[1]


def test_the_same_class() -> None:
    typed, ours = _pair()
    assert ours.__mro__[1:] == typed.__mro__[1:] == (tuple, object)
    assert ours._fields == typed._fields == ("x", "y", "tags")
    assert ours._field_defaults == typed._field_defaults
    assert ours.__doc__ == typed.__doc__ == "A point."
    assert ours.__module__ == typed.__module__ and ours.__qualname__ == typed.__qualname__
    assert list(ours.__annotations__) == list(typed.__annotations__)
    a, b = typed(1, "a"), ours(1, "a")
    assert tuple(a) == tuple(b) == (1, "a", ())
    assert repr(a) == repr(b) == "Point(x=1, y='a', tags=())"
    assert a.label == b.label and tuple(a.moved(2)) == tuple(b.moved(2))
    assert b == (1, "a", ()) and hash(b) == hash((1, "a", ()))
    assert ours._make([3, None, ("t",)]) == typed._make([3, None, ("t",)])
    assert ours(x=5)._asdict() == typed(x=5)._asdict()


def test_the_same_refusals() -> None:
    def body(**names: object) -> Callable[[dict[str, object]], None]:
        return lambda namespace: namespace.update(names, __module__=__name__)

    for base in (typing.NamedTuple, runtime_typing.NamedTuple):
        with pytest.raises(TypeError, match="cannot follow default"):
            types.new_class("Bad", (base,), exec_body=body(__annotations__={"a": "int",
                                                                            "b": "int"}, a=1))
        with pytest.raises(AttributeError, match="Cannot overwrite NamedTuple attribute"):
            types.new_class("Bad", (base,), exec_body=body(__annotations__={"a": "int"},
                                                           _replace=None))


def test_no_module_builds_records_with_typing() -> None:
    """Every record of the package goes through the cheap base (a typing.NamedTuple record
    would bring back the cost at import; see records.py)."""
    for info in pkgutil.walk_packages(docker_standard.__path__, "docker_standard."):
        module = importlib.import_module(info.name)
        base = getattr(module, "NamedTuple", runtime_typing.NamedTuple)
        assert base is runtime_typing.NamedTuple, info.name
