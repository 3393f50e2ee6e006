"""Async generators (``async function*``) and ``for await``.

An async generator's body runs in a greenlet that is also an async
function's (promises._AsyncBody), so ``await`` in it suspends as anywhere
else.  Every ``next``/``return``/``throw`` call queues a request and gets a
promise; the body serves the requests in order: a ``yield`` settles the
oldest one and goes straight on to the next if one is waiting, else
suspends until one comes -- the spec's queue, so calls made before the
body reaches its first yield are answered in the order they were made.
"""

from __future__ import annotations

from collections import deque

from greenlet import greenlet

from . import promises as P
from .errors import JSError, JSRangeError, JSThrow, JSTypeError
from .generators import _Return
from .values import UNDEFINED, WELL_KNOWN, JSObject, truthy


class _AsyncGenBody(P._AsyncBody):
    __slots__ = ("agen",)


def _result(value, done: bool) -> JSObject:
    return JSObject({"value": value, "done": done})


class JSAsyncGenerator:
    __slots__ = ("engine", "run", "g", "queue", "state")

    def __init__(self, engine, run) -> None:
        self.engine = engine
        self.run = run  # run() -> the function's return value
        self.g: _AsyncGenBody | None = None
        self.queue: deque = deque()  # (mode, value, settle_ok, settle_err)
        self.state = "start"  # start, suspended (at a yield), running, done

    def request(self, mode: str, value) -> JSObject:
        """``next(value)`` / ``return(value)`` / ``throw(value)``: a promise of its result."""
        p, ok, err = P.plain_capability(self.engine)
        self.queue.append((mode, value, ok, err))
        if self.state == "done":
            self._drain()
        elif self.state != "running" and len(self.queue) == 1:
            self._resume()
        return p

    def _resume(self) -> None:
        mode, value, ok, err = self.queue[0]
        if self.state == "start" and mode != "next":  # finished before it began
            self.state = "done"
            self._drain()
            return
        if self.state == "start":
            self.g = _AsyncGenBody(self._body)
            self.g.agen = self
            self.g.depth = self.engine.depth
        self.state = "running"
        P._switch(self.engine, self.g, (mode, value))

    def _body(self, _first):
        engine = self.engine
        try:
            outcome = ("return", P.await_(engine, self.run()))  # (an async generator's return awaits)
        except _Return as r:
            outcome = ("return", r.value)
        except JSError as e:
            outcome = ("throw", e)
        except RecursionError:
            outcome = ("throw", JSRangeError("Maximum call stack size exceeded", engine.current_pos))
        self.state = "done"
        _, _, ok, err = self.queue.popleft()
        if outcome[0] == "return":
            ok(_result(outcome[1], True))
        else:
            e = outcome[1]
            err(P._error_of(e), e)
        self._drain()
        return None

    def _drain(self) -> None:
        """Answer what is queued once the body has finished."""
        engine = self.engine
        while self.queue:
            mode, value, ok, err = self.queue.popleft()
            if mode == "next":
                ok(_result(UNDEFINED, True))
            elif mode == "throw":
                err(value)
            else:  # return(v): v awaited, then done
                try:
                    p = P.promise_resolve(engine, value)
                except JSError as e:
                    err(P._error_of(e), e)
                    continue
                P.then(engine, p, lambda v, ok=ok: ok(_result(v, True)), lambda v, err=err: err(v), None)


def yield_(g: _AsyncGenBody, value):
    """``yield value`` in an async generator: the operand awaited, the oldest
    request settled with it, then the next request's value (waiting for one)."""
    engine = g.agen.engine
    v = P.await_(engine, value)
    agen = g.agen
    _, _, ok, _ = agen.queue.popleft()
    ok(_result(v, False))
    if agen.queue:  # another request is waiting: serve it without suspending
        mode, sent = agen.queue[0][:2]
    else:
        agen.state = "suspended"
        mode, sent = g.parent.switch(None)
    if mode == "throw":
        raise JSThrow(sent)
    if mode == "return":
        raise _Return(P.await_(engine, sent))
    return sent


def current_body():
    """The async generator body running now, or None."""
    g = greenlet.getcurrent()
    return g if isinstance(g, _AsyncGenBody) else None


def for_await_values(engine, it, pos, text: str, sync_values):
    """The values ``for await (x of it)`` sees: from ``it[Symbol.asyncIterator]()``,
    each result awaited; else ``it``'s own values (``sync_values``), each
    awaited.  Closing early awaits the iterator's ``return()``."""
    rt = engine.runtime
    method = UNDEFINED
    if it is not None and it is not UNDEFINED:
        method = rt.get_prop(it, WELL_KNOWN["asyncIterator"], pos)
    if method is None or method is UNDEFINED:
        for v in sync_values(it):
            yield P.await_(engine, v)
        return
    if not P.callable_(method):
        raise JSTypeError(f"{text} is not async iterable", pos)
    iterator = P.call(engine, method, [], it)
    finished = False
    try:
        while True:
            r = P.await_(engine, rt.call_method(iterator, "next", [], pos, "next"))
            if not P._is_object(r):
                from .inspect import inspect

                raise JSTypeError(f"Iterator result {inspect(r)} is not an object", pos)
            if truthy(rt.get_prop(r, "done", pos)):
                finished = True
                return
            yield rt.get_prop(r, "value", pos)
    except JSError:
        finished = True  # (the iterator's own error: it is not closed again)
        raise
    finally:
        if not finished:  # left early: the iterator gets its return(), awaited
            ret = rt.get_prop(iterator, "return", pos)
            if P.callable_(ret):
                P.await_(engine, P.call(engine, ret, [], iterator))
