"""What the package takes from ``typing`` at run time, without importing ``typing``.

Importing ``typing`` costs about 4 ms of every hook's start-up, and the package needs nothing
of it at run time but two names: annotations are strings (``from __future__ import
annotations``), and the names they use are imported under ``if TYPE_CHECKING:``.

``TYPE_CHECKING`` is ``False`` here; type checkers take any ``if TYPE_CHECKING:`` as true.

``NamedTuple``: the model's values are named tuples (immutable, cheap, compared and hashed by
value), written ``class Span(NamedTuple): ...``. ``typing.NamedTuple`` checks every field's
annotation while the class is built; every annotation being a string, it compiles each into a
``ForwardRef``: about 0.1 ms per class, for the 36 classes a check imports several
milliseconds of every start-up, spent on annotations nothing reads at run time. This
``NamedTuple`` builds the same ``collections.namedtuple`` class from the same class body
(fields, defaults, methods, docstring), keeps the annotations as written, and skips the
checks. Type checkers see ``typing.NamedTuple`` itself. ``tests/test_runtime_typing.py``
compares the two.
"""

from __future__ import annotations

import collections

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import NamedTuple as NamedTuple
else:
    # What typing.NamedTuple refuses in a class body, and what it does not copy from it.
    _PROHIBITED = frozenset({
        "__new__", "__init__", "__slots__", "__getnewargs__", "_fields", "_field_defaults",
        "_make", "_replace", "_asdict", "_source",
    })
    _SPECIAL = frozenset({"__module__", "__name__", "__annotations__"})

    class _RecordMeta(type):
        def __new__(cls, typename, bases, namespace):
            if not bases:  # NamedTuple itself
                return super().__new__(cls, typename, bases, namespace)
            if bases != (NamedTuple,):
                raise TypeError("can only inherit from a NamedTuple type")
            fields = dict(namespace.get("__annotations__", {}))
            defaults: list[str] = []
            for name in fields:
                if name in namespace:
                    defaults.append(name)
                elif defaults:
                    raise TypeError(
                        f"Non-default namedtuple field {name} cannot follow default field"
                        f"{'s' if len(defaults) > 1 else ''} {', '.join(defaults)}"
                    )
            record = collections.namedtuple(
                typename,
                list(fields),
                defaults=[namespace[name] for name in defaults],
                module=namespace["__module__"],
            )
            record.__annotations__ = record.__new__.__annotations__ = fields
            for key, value in namespace.items():
                if key in _PROHIBITED:
                    raise AttributeError("Cannot overwrite NamedTuple attribute " + key)
                if key not in _SPECIAL and key not in fields:
                    setattr(record, key, value)
            return record

    class NamedTuple(metaclass=_RecordMeta):
        """Base of the records: ``class Span(NamedTuple): path: str``."""
