"""``globalThis``: the global object, as a view of the engine's global cells.

A program reads built-ins through it (``globalThis.Math``), defines globals
with it (``globalThis.answer = 42``, then ``answer``) and tests features by
``typeof globalThis.x``.  In node a script's top-level ``var``/``let``/
``function`` belong to its module, not to the global object, so the names
the program declares stay out of the view: ``globalThis.x`` for a declared
``x`` is a property of its own (as in node), not the variable.
"""

from __future__ import annotations

from .scope import _TDZ, _UNBOUND, Cell
from .values import JSObject, StrBuf

_ABSENT = object()


class GlobalProps(dict):
    """The global object's properties: the global cells (built-ins and the
    globals a program made), minus its own top-level declarations, plus
    properties stored under a declared name (kept here, apart)."""

    __slots__ = ("cells", "declared", "builtins")

    def __init__(self, cells: dict, declared: set, builtins: set) -> None:
        super().__init__()
        self.cells, self.declared, self.builtins = cells, declared, builtins

    def _value(self, k):
        if type(k) is str and k not in self.declared:
            c = self.cells.get(k)
            if c is not None:
                v = c.v
                if v is _UNBOUND or v is _TDZ:
                    return _ABSENT
                return v.value() if type(v) is StrBuf else v
        return dict.get(self, k, _ABSENT)

    def get(self, k, default=None):
        v = self._value(k)
        return default if v is _ABSENT else v

    def __getitem__(self, k):
        v = self._value(k)
        if v is _ABSENT:
            raise KeyError(k)
        return v

    def __contains__(self, k) -> bool:
        return self._value(k) is not _ABSENT

    def __setitem__(self, k, v) -> None:
        if type(k) is str and k not in self.declared:
            c = self.cells.get(k)
            if c is None:
                self.cells[k] = Cell(v, k)
            else:
                c.v = v
            return
        dict.__setitem__(self, k, v)

    def __delitem__(self, k) -> None:
        if type(k) is str and k not in self.declared and k in self.cells:
            self.cells[k].v = _UNBOUND  # (reading it now is a ReferenceError, as in node)
            return
        dict.__delitem__(self, k)

    def pop(self, k, *default):
        if k in self:
            v = self[k]
            del self[k]
            return v
        if default:
            return default[0]
        raise KeyError(k)

    def __iter__(self):
        for k, c in list(self.cells.items()):
            if k not in self.declared and c.v is not _UNBOUND and c.v is not _TDZ:
                yield k
        yield from dict.__iter__(self)

    def keys(self):
        return list(iter(self))

    def items(self):
        return [(k, self[k]) for k in self]

    def values(self):
        return [self[k] for k in self]

    def __len__(self) -> int:
        return len(self.keys())


def make(engine) -> JSObject:
    """The global object of ``engine`` (its built-ins not enumerable, as node's)."""
    builtins = set(engine.globals)
    g = JSObject(GlobalProps(engine.globals, engine.declared, builtins))
    g.hidden = builtins
    return g
