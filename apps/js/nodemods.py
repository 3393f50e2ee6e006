"""The node built-in modules a single-file program asks for: ``assert``,
``util``, ``perf_hooks``.  Others (``fs``, ``readline``, ...) are refused by
name where they are required, never stubbed."""

from __future__ import annotations

import math

from . import values as V
from .errors import JSSyntaxError, JSThrow, JSTypeError
from .inspect import format_args, inspect
from .values import UNDEFINED, Builtin, JSArray, JSErrorObject, JSFunction, JSMap, JSObject, JSSet, truthy

BUILTIN = ("assert", "assert/strict", "util", "perf_hooks")


def load(rt, name: str):
    """``require(name)`` of a built-in module (``node:`` prefix or not)."""
    bare = name[5:] if name.startswith("node:") else name
    if bare not in BUILTIN:
        raise JSSyntaxError(f"the '{bare}' module is not supported by this engine")
    cache = rt.engine.builtin_modules
    if bare not in cache:
        cache[bare] = _MAKERS[bare](rt)
    return cache[bare]


# --- assert --------------------------------------------------------------------------------


def _fail(rt, message, default: str, actual=UNDEFINED, expected=UNDEFINED, operator: str = "fail"):
    if isinstance(message, JSErrorObject):
        raise JSThrow(message)
    generated = message is UNDEFINED
    err = JSErrorObject("AssertionError", default if generated else V.to_str(message), proto=_assertion(rt)[1])
    err.props.update(
        {"generatedMessage": generated, "code": "ERR_ASSERTION", "actual": actual, "expected": expected,
         "operator": operator}
    )  # fmt: skip
    raise JSThrow(err, rt.engine.current_pos)


def deep_equal(a, b, strict: bool, seen: tuple = ()) -> bool:
    """node's isDeepStrictEqual (strict) or assert.deepEqual's loose one."""
    if strict:
        if V.same_value_zero(a) == V.same_value_zero(b) and (a == a or b == b):  # (NaN is NaN; -0 is not 0)
            if type(a) is float and type(b) is float and a == 0 and b == 0:
                return math.copysign(1, a) == math.copysign(1, b)
            if a is b or (type(a) is type(b) and not isinstance(a, (JSObject, JSArray, JSFunction))):
                return True
    elif V.loose_equals(a, b):
        return True
    if a is b:
        return True
    if not (isinstance(a, (JSObject, JSArray)) and isinstance(b, (JSObject, JSArray))):
        return False
    if type(a) is not type(b) or (strict and getattr(a, "proto", None) is not getattr(b, "proto", None)):
        return False
    if any(x is a and y is b for x, y in seen):
        return True
    seen = seen + ((a, b),)
    if type(a) is JSArray:
        if len(a) != len(b):
            return False
        if not all(deep_equal(x, y, strict, seen) for x, y in zip(a.values(), b.values(), strict=True)):
            return False
        return deep_equal(JSObject(dict(a.named or {})), JSObject(dict(b.named or {})), strict, seen)
    if type(a) is JSSet:
        return len(a.data) == len(b.data) and all(k in b.data for k in a.data)
    if type(a) is JSMap:
        return len(a.data) == len(b.data) and all(
            k in b.data and deep_equal(v[1], b.data[k][1], strict, seen) for k, v in a.data.items()
        )
    if type(a).__name__ == "JSDate":
        return a.t == b.t or (a.t != a.t and b.t != b.t)
    if isinstance(a, JSErrorObject) and (a.name != b.name or a.message != b.message):
        return False
    ka, kb = list(a.keys()), list(b.keys())
    if sorted(ka) != sorted(kb):
        return False
    return all(deep_equal(a.get(k), b.get(k), strict, seen) for k in ka)


def _make_assert(rt, strict_only: bool = False):
    def arg(a, i):
        return a[i] if len(a) > i else UNDEFINED

    def ok(a):
        if not truthy(arg(a, 0)):
            if not a:
                _fail(rt, UNDEFINED, "No value argument passed to `assert.ok()`", operator="==")
            _fail(rt, arg(a, 1), "The expression evaluated to a falsy value", arg(a, 0), True, "==")
        return UNDEFINED

    def compare(name: str, test, default):
        def check(a):
            x, y = arg(a, 0), arg(a, 1)
            if not test(x, y):
                _fail(rt, arg(a, 2), default(x, y), x, y, name)
            return UNDEFINED

        return Builtin(name, check)

    def strict_eq(x, y):
        return (
            x is y
            or (V.strict_equals(x, y) and not (type(x) is float and x == 0 and 1 / x != 1 / y))
            or (x != x and y != y)
        )

    def show(v):
        return inspect(v)

    methods = {
        "ok": Builtin("ok", ok),
        "strictEqual": compare(
            "strictEqual", strict_eq, lambda x, y: f"Expected values to be strictly equal:\n\n{show(x)} !== {show(y)}\n"
        ),
        "notStrictEqual": compare(
            "notStrictEqual", lambda x, y: not strict_eq(x, y),
            lambda x, y: f'Expected "actual" to be strictly unequal to: {show(y)}',
        ),
        "deepStrictEqual": compare(
            "deepStrictEqual", lambda x, y: deep_equal(x, y, True),
            lambda x, y: f"Expected values to be strictly deep-equal:\n{show(x)}\n\nshould equal\n\n{show(y)}",
        ),
        "notDeepStrictEqual": compare(
            "notDeepStrictEqual", lambda x, y: not deep_equal(x, y, True),
            lambda x, y: f'Expected "actual" not to be strictly deep-equal to: {show(y)}',
        ),
        "equal": compare("==", V.loose_equals, lambda x, y: f"{show(x)} == {show(y)}"),
        "notEqual": compare("!=", lambda x, y: not V.loose_equals(x, y), lambda x, y: f"{show(x)} != {show(y)}"),
        "deepEqual": compare(
            "deepEqual", lambda x, y: deep_equal(x, y, False),
            lambda x, y: (
                f"Expected values to be loosely deep-equal:\n\n{show(x)}\n\nshould loosely deep-equal\n\n{show(y)}"
            ),
        ),
        "notDeepEqual": compare(
            "notDeepEqual", lambda x, y: not deep_equal(x, y, False),
            lambda x, y: '"actual" deepEqual "expected"',
        ),
        "fail": Builtin("fail", lambda a: _fail(rt, arg(a, 0), "Failed")),
        "throws": Builtin("throws", lambda a: _throws(rt, a)),
        "doesNotThrow": Builtin("doesNotThrow", lambda a: (rt.call(arg(a, 0), [], None, "fn"), UNDEFINED)[1]),
        "match": Builtin("match", lambda a: _match(rt, a)),
    }  # fmt: skip
    if strict_only:
        methods["equal"], methods["deepEqual"] = methods["strictEqual"], methods["deepStrictEqual"]
        methods["notEqual"], methods["notDeepEqual"] = methods["notStrictEqual"], methods["notDeepStrictEqual"]
    assert_fn = Builtin("ok", ok)
    assert_fn.props.update(methods)
    assert_fn.props["strict"] = assert_fn
    assert_fn.props["AssertionError"] = _assertion(rt)[0]
    return assert_fn


def _assertion(rt) -> tuple:
    """AssertionError (its constructor and prototype), made once per engine."""
    cache = rt.engine.builtin_modules
    if "%AssertionError" not in cache:
        proto = JSObject(proto=V.ERROR_PROTOS["Error"])
        proto.hide("name", "AssertionError")

        def construct(a):
            opts = a[0] if a else UNDEFINED
            message = opts.get("message") if isinstance(opts, JSObject) else UNDEFINED
            return JSErrorObject("AssertionError", "" if message is UNDEFINED else V.to_str(message), proto=proto)

        ctor = Builtin("AssertionError", construct)
        ctor.construct = lambda a, pos: construct(a)
        ctor.prototype = proto
        proto.hide("constructor", ctor)
        cache["%AssertionError"] = (ctor, proto)
    return cache["%AssertionError"]


def _throws(rt, a: list):
    fn = a[0] if a else UNDEFINED
    if type(fn) not in (JSFunction, Builtin):
        raise JSTypeError('The "fn" argument must be of type function.')
    try:
        rt.call(fn, [], None, "fn")
    except JSThrow:
        return UNDEFINED
    except Exception as e:  # an engine-raised JS error (TypeError, ...) counts as thrown
        from .errors import JSError

        if isinstance(e, JSError):
            return UNDEFINED
        raise
    message = a[1] if len(a) > 1 and type(a[1]) is str else UNDEFINED
    _fail(rt, message, "Missing expected exception.", operator="throws")


def _match(rt, a: list):
    s, rx = (a[0] if a else UNDEFINED), (a[1] if len(a) > 1 else UNDEFINED)
    from . import regex as RX

    if type(s) is not str or not RX.test(rx, s):
        _fail(rt, a[2] if len(a) > 2 else UNDEFINED, f"The input did not match the regular expression {rx}. "
              f"Input:\n\n{inspect(s)}\n", s, rx, "match")  # fmt: skip
    return UNDEFINED


# --- util ----------------------------------------------------------------------------------


def _make_util(rt):
    def util_inspect(a):
        depth = 0
        opts = a[1] if len(a) > 1 else UNDEFINED
        if isinstance(opts, JSObject):
            d = opts.get("depth")
            if d is None or (type(d) is float and d == math.inf):
                depth = -(10**9)
            elif type(d) is float:
                depth = 2 - int(d)
        return inspect(a[0] if a else UNDEFINED, depth)

    return JSObject(
        {
            "inspect": Builtin("inspect", util_inspect),
            "format": Builtin("format", lambda a: format_args(list(a))),
            "isDeepStrictEqual": Builtin(
                "isDeepStrictEqual", lambda a: deep_equal(*(list(a) + [UNDEFINED, UNDEFINED])[:2], True)
            ),
        }
    )


_MAKERS = {
    "assert": _make_assert,
    "assert/strict": lambda rt: _make_assert(rt, strict_only=True),
    "util": _make_util,
    "perf_hooks": lambda rt: JSObject({"performance": rt.engine.globals_builtin["performance"]}),
}
