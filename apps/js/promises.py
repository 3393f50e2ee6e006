"""Promises, the job (microtask) queue, timers, and async functions.

A promise is an ordinary object whose prototype is Promise.prototype; its
state lives under a private, non-enumerable symbol key.  Jobs run in the
order the spec (and so node) queues them: after the script's synchronous
part, the microtasks drain; then each timer runs, followed by its
microtasks.  An async function's body runs in its own greenlet (as a
generator's does): ``await`` switches back to whoever resumed it, and a
reaction on the awaited promise switches in again."""

from __future__ import annotations

import heapq
from collections import deque

from greenlet import greenlet

from .errors import JSError, JSRangeError, JSThrow, JSTypeError
from .values import UNDEFINED, Builtin, JSArray, JSFunction, JSObject, JSSymbol

STATE = JSSymbol("[[PromiseState]]")  # private: hidden, and no program can name it


class PromiseState:
    __slots__ = ("state", "value", "reactions", "handled", "error")

    def __init__(self) -> None:
        self.state = "pending"  # fulfilled rejected
        self.value = UNDEFINED
        self.reactions: list = []  # (on_fulfilled, on_rejected) Python callables
        self.handled = False
        self.error = None  # the JSError a rejection came from (its position, for the report)


class UnhandledRejection(JSError):
    kind = "UnhandledPromiseRejection"


class Loop:
    """An engine's job queue and timers."""

    def __init__(self, engine) -> None:
        self.engine = engine
        self.jobs: deque = deque()
        self.ticks: deque = deque()  # process.nextTick callbacks: before the promise jobs
        self.timers: list = []  # heap of (due, seq, id, fn, args, period); period 0: once
        self.cleared: set = set()
        self.now = 0.0
        self.seq = 0
        self.rejected: list = []  # promises rejected with no handler yet

    def drain(self) -> None:
        """node's order after each macrotask: the nextTick queue, then every
        promise job (ticks those queue wait for the jobs to run out), again
        until both are empty."""
        jobs, ticks = self.jobs, self.ticks
        while jobs or ticks:
            while ticks:
                ticks.popleft()()
            while jobs:
                jobs.popleft()()
        self.check_rejections()

    def check_rejections(self) -> None:
        pending, self.rejected = self.rejected, []
        for p in pending:
            st = p.props[STATE]
            if st.handled:
                continue
            reason = st.value
            from .values import JSErrorObject

            if isinstance(reason, JSErrorObject):
                if isinstance(st.error, JSThrow) and st.error.value is reason:
                    raise st.error  # (with the position it was thrown at)
                raise JSThrow(reason)
            from .runtime import to_str

            raise UnhandledRejection(
                "This error originated either by throwing inside of an async function without a catch block, "
                "or by rejecting a promise which was not handled with .catch(). "
                f'The promise rejected with the reason "{_reason_text(reason, to_str)}".'
            )

    def run(self) -> None:
        """After the script: the microtasks, then each timer and its microtasks."""
        self.drain()
        while self.timers:
            due, _, tid, fn, args, period = heapq.heappop(self.timers)
            if tid in self.cleared:
                continue
            self.now = max(self.now, due)
            if period:  # setInterval: due again a period later (before it runs, as node re-arms it)
                self.seq += 1
                heapq.heappush(self.timers, (self.now + period, self.seq, tid, fn, args, period))
            call(self.engine, fn, args)
            self.drain()

    def set_timeout(self, args: list, repeat: bool = False) -> float:
        from .runtime import to_num

        ms = to_num(args[1]) if len(args) > 1 else 0.0
        ms = 1.0 if ms != ms or ms < 1 else float(int(min(ms, 2147483647.0)))
        return self._schedule(args[0] if args else UNDEFINED, ms, list(args[2:]), ms if repeat else 0.0)

    def set_immediate(self, args: list) -> float:
        """setImmediate(fn, ...args): once the running code and its promise
        jobs are done, ahead of the timers still waiting."""
        return self._schedule(args[0] if args else UNDEFINED, 0.0, list(args[1:]), 0.0)

    def _schedule(self, fn, ms: float, args: list, period: float) -> float:
        if not callable_(fn):
            raise JSTypeError('The "callback" argument must be of type function. Received ' + _received(fn))
        self.seq += 1
        heapq.heappush(self.timers, (self.now + ms, self.seq, self.seq, fn, args, period))
        return float(self.seq)


def _reason_text(v, to_str) -> str:
    if isinstance(v, JSObject):
        return "#<Object>"
    if isinstance(v, (JSArray, JSFunction, Builtin)):
        from .inspect import inspect

        return inspect(v)
    return to_str(v)


def _received(v) -> str:
    """How node's ERR_INVALID_ARG_TYPE messages show the value they got."""
    from .inspect import inspect

    if v is UNDEFINED or v is None:
        return "undefined" if v is UNDEFINED else "null"
    kind = {str: "string", float: "number", bool: "boolean", int: "bigint"}.get(type(v))
    if kind is not None:
        return f"type {kind} ({inspect(v)})"
    return "an instance of Object" if isinstance(v, JSObject) else inspect(v)


def next_tick(engine, args: list):
    """process.nextTick(fn, ...args): after the running code, before promise jobs."""
    fn = args[0] if args else UNDEFINED
    if not callable_(fn):
        raise JSTypeError('The "callback" argument must be of type function. Received ' + _received(fn))
    rest = list(args[1:])
    loop_of(engine).ticks.append(lambda: call(engine, fn, rest))
    return UNDEFINED


def loop_of(engine) -> Loop:
    lp = getattr(engine, "loop", None)
    if lp is None:
        lp = engine.loop = Loop(engine)
    return lp


def callable_(v) -> bool:
    return type(v) is JSFunction or type(v) is Builtin


def call(engine, fn, args: list, this=UNDEFINED):
    return engine.runtime.call(fn, args, None, "callback", this)


def _is_object(v) -> bool:
    from .runtime import _is_object as is_obj

    return is_obj(v)


def is_promise(v) -> bool:
    return isinstance(v, JSObject) and STATE in v.props


def new_promise(engine) -> JSObject:
    p = JSObject(proto=engine.runtime.promise_proto)
    p.hide(STATE, PromiseState())
    return p


def _error_of(e: JSError):
    from .runtime import error_value

    return error_value(e)


# --- settling ----------------------------------------------------------------------


def fulfill(engine, p: JSObject, value) -> None:
    st = p.props[STATE]
    if st.state != "pending":
        return
    st.state, st.value = "fulfilled", value
    reactions, st.reactions = st.reactions, []
    jobs = loop_of(engine).jobs
    for on_ok, _ in reactions:
        jobs.append(lambda f=on_ok: f(value))


def reject(engine, p: JSObject, reason, error: JSError | None = None) -> None:
    st = p.props[STATE]
    if st.state != "pending":
        return
    st.state, st.value, st.error = "rejected", reason, error
    reactions, st.reactions = st.reactions, []
    lp = loop_of(engine)
    if not st.handled:
        lp.rejected.append(p)
    for _, on_err in reactions:
        lp.jobs.append(lambda f=on_err: f(reason))


def resolve(engine, p: JSObject, x) -> None:
    """The promise's resolve function: adopt a thenable (in a job), else fulfil."""
    if p.props[STATE].state != "pending":
        return
    if x is p:
        reject(engine, p, _error_of(JSTypeError("Chaining cycle detected for promise #<Promise>")))
        return
    if not _is_object(x):
        fulfill(engine, p, x)
        return
    try:
        then = engine.runtime.get_prop(x, "then", None)
    except JSError as e:
        reject(engine, p, _error_of(e), e)
        return
    if not callable_(then):
        fulfill(engine, p, x)
        return

    def job():
        res, rej = resolving_functions(engine, p)
        try:
            call(engine, then, [res, rej], x)
        except JSError as e:
            rej.fn([_error_of(e)])

    loop_of(engine).jobs.append(job)


def resolving_functions(engine, p: JSObject) -> tuple[Builtin, Builtin]:
    """The (resolve, reject) pair an executor or a thenable's then gets: only the first call counts."""
    done = [False]

    def res(args):
        if not done[0]:
            done[0] = True
            resolve(engine, p, args[0] if args else UNDEFINED)
        return UNDEFINED

    def rej(args):
        if not done[0]:
            done[0] = True
            reject(engine, p, args[0] if args else UNDEFINED)
        return UNDEFINED

    return Builtin("", res), Builtin("", rej)


def then(engine, p: JSObject, on_ok, on_err, derived: JSObject | None):
    """PerformPromiseThen: ``on_ok``/``on_err`` are Python callables of the
    value that settle ``derived`` (if any) themselves."""
    st = p.props[STATE]
    lp = loop_of(engine)
    if st.state == "pending":
        st.reactions.append((on_ok, on_err))
    elif st.state == "fulfilled":
        v = st.value
        lp.jobs.append(lambda: on_ok(v))
    else:
        v = st.value
        lp.jobs.append(lambda: on_err(v))
    st.handled = True


def plain_capability(engine):
    """A new %Promise% and its settling callables (value) / (value, error)."""
    p = new_promise(engine)
    return p, (lambda v: resolve(engine, p, v)), (lambda v, e=None: reject(engine, p, v, e))


def capability(engine, C, pos=None):
    """NewPromiseCapability(C): a promise made by ``new C(executor)`` -- a
    subclass of Promise runs its own constructor, and what it makes is an
    instance of it -- with the resolve and reject the executor was given."""
    if C is engine.globals_builtin.get("Promise"):
        return plain_capability(engine)
    got: list = []

    def executor(args):
        if got and (got[0] is not UNDEFINED or got[1] is not UNDEFINED):
            raise JSTypeError("Promise executor has already been invoked with non-undefined arguments")
        got[:] = [args[0] if args else UNDEFINED, args[1] if len(args) > 1 else UNDEFINED]
        return UNDEFINED

    if type(C) not in (JSFunction, Builtin):
        from .inspect import inspect

        raise JSTypeError(f"{inspect(C)} is not a constructor", pos)
    p = engine.runtime.construct(C, [Builtin("", executor)], pos, "")
    if not got or not callable_(got[0]) or not callable_(got[1]):
        raise JSTypeError("Promise resolve or reject function is not callable", pos)
    res, rej = got
    return p, (lambda v: call(engine, res, [v])), (lambda v, e=None: call(engine, rej, [v]))


def species_of(engine, p: JSObject):
    """The constructor ``then`` makes its result with: ``p.constructor``
    (its [Symbol.species] is itself unless overridden), %Promise% when that is
    not an object."""
    C = engine.runtime.get_prop(p, "constructor", None)
    return C if type(C) in (JSFunction, Builtin) else engine.globals_builtin.get("Promise")


def js_then(engine, p: JSObject, on_fulfilled, on_rejected, cap=None) -> JSObject:
    """``p.then(onFulfilled, onRejected)``: a new promise settled by the
    handler's outcome (``cap``: a capability of the caller's, else a %Promise%)."""
    derived, settle_ok, settle_err = cap or plain_capability(engine)

    def handler(fn, passthrough):
        def react(v):
            if not callable_(fn):
                passthrough(v)
                return
            try:
                r = call(engine, fn, [v])
            except JSError as e:
                settle_err(_error_of(e), e)
            except RecursionError:
                e = JSRangeError("Maximum call stack size exceeded")
                settle_err(_error_of(e), e)
            else:
                settle_ok(r)

        return react

    st = p.props[STATE]
    then(
        engine,
        p,
        handler(on_fulfilled, settle_ok),
        handler(on_rejected, lambda v: settle_err(v, st.error)),
        derived,
    )
    return derived


def promise_resolve(engine, v) -> JSObject:
    """PromiseResolve(%Promise%, v) -- ``Promise.resolve`` and ``await``: a
    promise as it is when %Promise% made it, else a new one resolved with v
    (a subclass's instance is adopted through its own ``then``)."""
    if is_promise(v) and engine.runtime.get_prop(v, "constructor", None) is engine.globals_builtin.get("Promise"):
        return v
    p = new_promise(engine)
    resolve(engine, p, v)
    return p


# --- async functions ----------------------------------------------------------------


class _AsyncBody(greenlet):
    __slots__ = ("depth",)


def run_async(engine, body) -> JSObject:
    """Call an async function: run ``body`` until its first await; its promise."""
    p = new_promise(engine)

    def main(*_):
        try:
            r = body()
        except JSError as e:
            reject(engine, p, _error_of(e), e)
        except RecursionError:
            e = JSRangeError("Maximum call stack size exceeded", engine.current_pos)
            reject(engine, p, _error_of(e), e)
        else:
            resolve(engine, p, r)
        return None

    g = _AsyncBody(main)
    g.depth = engine.depth
    _switch(engine, g, None)
    return p


def _switch(engine, g: _AsyncBody, msg):
    g.parent = greenlet.getcurrent()
    outer = engine.depth
    engine.depth = g.depth
    try:
        return g.switch(msg)
    finally:
        g.depth = engine.depth
        engine.depth = outer


def await_(engine, v):
    """``await v`` in an async function's body: suspend until v settles."""
    g = greenlet.getcurrent()
    if not isinstance(g, _AsyncBody):
        raise JSError("await is only valid in async functions and the top level bodies of modules")
    try:
        p = promise_resolve(engine, v)
    except JSError as e:  # (a getter for ``then`` that throws)
        raise e
    then(engine, p, lambda x: _switch(engine, g, ("ok", x)), lambda x: _switch(engine, g, ("err", x)), None)
    mode, value = g.parent.switch(None)
    if mode == "err":
        err = p.props[STATE].error
        if err is not None and isinstance(err, JSThrow) and err.value is value:
            raise err
        raise JSThrow(value)
    return value


# --- the globals --------------------------------------------------------------------


def make_globals(rt) -> dict:
    engine = rt.engine
    proto = rt.promise_proto = JSObject()

    def construct(args, pos, p=None):
        """``new Promise(executor)``; ``p``: the object a subclass's
        ``super(executor)`` initialises instead of a new one."""
        executor = args[0] if args else UNDEFINED
        if not callable_(executor):
            from .inspect import inspect

            what = "undefined" if executor is UNDEFINED else inspect(executor)
            raise JSTypeError(f"Promise resolver {what} is not a function", pos)
        if p is None:
            p = new_promise(engine)
        res, rej = resolving_functions(engine, p)
        try:
            call(engine, executor, [res, rej])
        except JSError as e:
            rej.fn([_error_of(e)])
        return p

    def need_new(args):
        raise JSTypeError("Promise constructor cannot be invoked without 'new'")

    P = Builtin("Promise", need_new)
    P.construct = construct
    rt.promise_init = construct  # (a subclass's super(executor))
    P.prototype = proto
    proto.hide("constructor", P)

    def this_promise(this, name):
        if not is_promise(this):
            from .inspect import inspect

            raise JSTypeError(f"Method Promise.prototype.{name} called on incompatible receiver {inspect(this)}")
        return this

    def m_then(this, a):
        p = this_promise(this, "then")
        C = species_of(engine, p)
        cap = None if C is P else capability(engine, C)
        return js_then(engine, p, a[0] if a else UNDEFINED, a[1] if len(a) > 1 else UNDEFINED, cap)

    def m_catch(this, a):
        return rt.call_method(this, "then", [UNDEFINED, a[0] if a else UNDEFINED], None, "then")

    def m_finally(this, a):
        fn = a[0] if a else UNDEFINED
        if not callable_(fn):
            return rt.call_method(this, "then", [fn, fn], None, "then")

        def ok(args):
            v = args[0] if args else UNDEFINED
            r = promise_resolve(engine, call(engine, fn, []))
            return js_then(engine, r, Builtin("", lambda _a: v), UNDEFINED)

        def err(args):
            v = args[0] if args else UNDEFINED
            r = promise_resolve(engine, call(engine, fn, []))

            def rethrow(_a):
                raise JSThrow(v)

            return js_then(engine, r, Builtin("", rethrow), UNDEFINED)

        return rt.call_method(this, "then", [Builtin("", ok), Builtin("", err)], None, "then")

    proto.hide("then", Builtin("then", m_then, method=True))
    proto.hide("catch", Builtin("catch", m_catch, method=True))
    proto.hide("finally", Builtin("finally", m_finally, method=True))

    def receiver(this, name):
        """The constructor a static is called on: %Promise%, or a subclass
        whose instances it must make (``MyPromise.resolve(1) instanceof MyPromise``)."""
        if this is UNDEFINED or this is P:
            return P
        if type(this) not in (JSFunction, Builtin):
            what = "PromiseResolve" if name == "resolve" else f"Promise.{name}"
            raise JSTypeError(f"{what} called on non-object")
        return this

    def s_resolve(this, a):
        C = receiver(this, "resolve")
        v = a[0] if a else UNDEFINED
        if C is P:
            return promise_resolve(engine, v)
        if is_promise(v) and rt.get_prop(v, "constructor", None) is C:
            return v
        p, ok, _ = capability(engine, C)
        ok(v)
        return p

    def s_reject(this, a):
        p, _, err = capability(engine, receiver(this, "reject"))
        err(a[0] if a else UNDEFINED)
        return p

    def items(a, name):
        it = a[0] if a else UNDEFINED
        return rt.iterate(it, None, None)

    def combinator(name):
        def run(this, a):
            C = receiver(this, name)
            out, out_ok, out_err = capability(engine, C)
            try:
                values = list(items(a, name))
            except JSError as e:
                out_err(_error_of(e), e)
                return out
            n = len(values)
            results = [UNDEFINED] * max(n, 1)
            left = [n]

            def finish_one(i, v):
                results[i] = v
                left[0] -= 1
                if left[0] == 0:
                    if name == "any":
                        err = rt.construct(engine.globals_builtin["Error"], ["All promises were rejected"], None, "")
                        err.name = "AggregateError"
                        err.hide("errors", JSArray(results))
                        out_err(err)
                    else:
                        out_ok(JSArray(results))

            if n == 0:
                if name in ("all", "allSettled"):
                    out_ok(JSArray([]))
                elif name == "any":
                    left[0] = 1
                    finish_one(0, UNDEFINED)
                    results.clear()
                return out
            for i, v in enumerate(values):
                p = rt.call_method(C, "resolve", [v], None, "resolve")

                def ok(args, i=i):
                    v = args[0] if args else UNDEFINED
                    if name == "all":
                        finish_one(i, v)
                    elif name == "allSettled":
                        finish_one(i, JSObject({"status": "fulfilled", "value": v}))
                    else:  # race, any
                        out_ok(v)
                    return UNDEFINED

                def err(args, i=i):
                    v = args[0] if args else UNDEFINED
                    if name == "allSettled":
                        finish_one(i, JSObject({"status": "rejected", "reason": v}))
                    elif name == "any":
                        finish_one(i, v)
                    else:  # all, race
                        out_err(v)
                    return UNDEFINED

                rt.call_method(p, "then", [Builtin("", ok), Builtin("", err)], None, "then")
            return out

        return run

    P.props["resolve"] = Builtin("resolve", s_resolve, method=True)
    P.props["reject"] = Builtin("reject", s_reject, method=True)
    for name in ("all", "allSettled", "race", "any"):
        P.props[name] = Builtin(name, combinator(name), method=True)

    lp = loop_of(engine)

    def queue_microtask(a):
        fn = a[0] if a else UNDEFINED
        if not callable_(fn):
            raise JSTypeError('The "callback" argument must be of type function. Received ' + _received(fn))
        lp.jobs.append(lambda: call(engine, fn, []))
        return UNDEFINED

    def clear_timeout(a):
        if a and type(a[0]) is float:
            lp.cleared.add(a[0])
        return UNDEFINED

    return {
        "Promise": P,
        "queueMicrotask": Builtin("queueMicrotask", queue_microtask),
        "setTimeout": Builtin("setTimeout", lp.set_timeout),
        "clearTimeout": Builtin("clearTimeout", clear_timeout),
        "setInterval": Builtin("setInterval", lambda a: lp.set_timeout(a, repeat=True)),
        "clearInterval": Builtin("clearInterval", clear_timeout),
        "setImmediate": Builtin("setImmediate", lp.set_immediate),
        "clearImmediate": Builtin("clearImmediate", clear_timeout),
    }
