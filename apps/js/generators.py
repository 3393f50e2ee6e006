"""Generators: a function* body runs in its own greenlet (a coroutine with
its own stack), so ``yield`` anywhere in the closure-compiled interpreter
just switches back to whoever called ``next()``."""

from __future__ import annotations

from greenlet import greenlet

from .errors import JSTypeError
from .values import UNDEFINED, JSObject


class _Body(greenlet):
    __slots__ = ("gen",)


class JSGenerator:
    __slots__ = ("run", "g", "done", "engine", "depth", "running")

    def __init__(self, engine, run) -> None:
        self.engine = engine
        self.run = run  # run() -> the function's return value
        self.g = None
        self.done = False
        self.depth = engine.depth
        self.running = False

    def resume(self, mode: str, value):
        """Run the body to its next yield: (value, done).  ``mode`` "next"
        sends ``value`` in, "throw" raises it there, "return" finishes."""
        if self.done:
            if mode == "throw":
                raise value
            return (value if mode == "return" else UNDEFINED), True
        if self.running:
            raise JSTypeError("Generator is already running", self.engine.current_pos)
        if self.g is None:
            if mode == "return":
                self.done = True
                return value, True
            if mode == "throw":
                self.done = True
                raise value
            self.g = _Body(self._body)
            self.g.gen = self
        self.g.parent = greenlet.getcurrent()
        outer = self.engine.depth
        self.engine.depth = self.depth
        self.running = True
        try:
            kind, v = self.g.switch((mode, value))
        except BaseException:
            self.done = True
            raise
        finally:
            self.running = False
            self.depth = self.engine.depth
            self.engine.depth = outer
        if kind == "return":
            self.done = True
            return v, True
        return v, False

    def _body(self, first):
        mode, value = first
        if mode == "throw":
            raise value
        return ("return", self.run())

    def result(self, value, done: bool) -> JSObject:
        return JSObject({"value": value, "done": done})


class _Return(BaseException):
    """Thrown into a suspended body by ``return()``: unwinds it (its
    ``finally`` blocks run) and finishes the generator."""

    def __init__(self, value) -> None:
        self.value = value


def yield_(value):
    """``yield value`` inside a generator's body: what ``next(x)`` sends."""
    g = greenlet.getcurrent()
    if not isinstance(g, _Body):
        from . import asyncgen

        if isinstance(g, asyncgen._AsyncGenBody):
            return asyncgen.yield_(g, value)
        raise JSTypeError("yield outside a running generator")
    mode, sent = g.parent.switch(("yield", value))
    if mode == "throw":
        raise sent
    if mode == "return":
        raise _Return(sent)
    return sent


def method(gen: JSGenerator, name: str, args: list):
    v = args[0] if args else UNDEFINED
    if name == "next":
        return gen.result(*gen.resume("next", v))
    if name == "return":
        if gen.g is not None and not gen.done:
            try:
                return gen.result(*gen.resume("return", v))
            except _Return as r:
                gen.done = True
                return gen.result(r.value, True)
        gen.done = True
        return gen.result(v, True)
    if name == "throw":
        from .errors import JSThrow

        return gen.result(*gen.resume("throw", JSThrow(v)))
    return None


def values(gen: JSGenerator):
    """The values for-of sees, one at a time (lazily: generators may be infinite)."""
    while True:
        v, done = gen.resume("next", UNDEFINED)
        if done:
            return
        yield v


def close(gen: JSGenerator) -> None:
    """A for-of that leaves early finishes the generator (its finally blocks run)."""
    if gen.g is not None and not gen.done:
        try:
            gen.resume("return", UNDEFINED)
        except _Return:
            pass
    gen.done = True
