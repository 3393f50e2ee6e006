"""Which constructors compiled code may call with ``new``.

Compiled code runs as a transaction (apps.js.native): anything it does must
be undone by rolling back its log.  A *fresh* object is unreachable until a
logged store makes it reachable, so allocating one inside the transaction is
safe -- provided its constructor touches nothing but the new object.  Such a
constructor is run by the engine (the interpreter, so its semantics are the
interpreter's) and compiled code gets the object back.

A constructor qualifies when every statement of it (and of its field
initialisers and its parent class's constructor) is ``this.name = e`` or
``super(e...)``, where ``e`` reads only its parameters and literals --
numbers, booleans, null, ``new Array(n).fill(v)`` -- and combines them only
where no user code can run: arithmetic on arguments compiled code passes as
numbers or booleans (an object's ``valueOf`` would be a call).  No global is
read (compiled code may hold its newer value unsynced), no property of an
argument (its mirror may be dirty).  At each construction the prototype chain
is checked again for a setter or a read-only property of an assigned name,
either of which would make the store run code or be refused.
"""

from __future__ import annotations

from array import array

from . import ast as A
from .arena import CHUNK_WORDS, MAX_ARRAY_ELEMENTS, Arena
from .jittypes import ARRAYS, BOOL, INT, NULL, NUM, new_array_fill
from .native import C_DEOPT, C_TIER_UP, HEAP_FULL
from .scope import Global, Local, Outer
from .shapes import FRESH, HOLE_REF, made_array, made_in_place, made_template, mirror_in, ref_array_in, referent
from .values import HOLE, MISSING, OBJECT_PROTO, Accessor, JSArray, JSFunction, JSObject

MAX_ARGS = 8  # (the words of the argument buffer compiled code fills before a construct)
# What one run may hold of what it allocated (apps.js.native): elements, each
# array or object counting 16 more for its headers.
RUN_HEAP_ELEMENTS = 1 << 22
_HELD = "heap held"  # (a run's key: what its allocations hold)
_PLAIN = ("sites checked",)  # (a run's key: site -> the prototype whose chain Allocator.shaped checked this run)
UNDEF_ARG = "undef"  # (a parameter no argument was passed for)
_NUMERIC = (NUM, INT, BOOL, NULL, UNDEF_ARG)  # (what arithmetic converts without running user code)
_ARITH = {"+", "-", "*", "/", "%", "<", ">", "<=", ">=", "===", "!==", "&", "|", "^", "<<", ">>", ">>>"}


class ObjectLiteral:
    """What an object literal's construct site names as its class
    (Allocator.shaped): no constructor, Object.prototype."""

    kind = "literal"
    name = "{...}"
    prototype = OBJECT_PROTO


OBJECT_LITERAL = ObjectLiteral()


def over_budget(run: dict | None) -> bool:
    """Whether the run in progress holds more than its budget: it has asked
    its loop unit to leave (C_TIER_UP), and that request must stand until a
    back-edge takes it."""
    return run is not None and run.get(_HELD, 0) > RUN_HEAP_ELEMENTS


class Impure(Exception):
    pass


# what a slot of each kind holds until compiled code stores into it (Allocator.shaped)
_PLACEHOLDER = {"num": 0.0, "bool": False, "obj": None, "arr": JSArray([]), "barr": JSArray([False]), "str": ""}
# (the empty string's descriptor is a literal's, never freed: apps.js.jitstrings.STRINGS)


def pure_constructor(fn, argtypes: list) -> tuple[tuple, str | None]:
    """The property names ``new fn(args)`` assigns (all the way up its class
    chain) and None, or ((), why it does not qualify), for arguments of these
    JIT types."""
    try:
        keys: list = []
        _check_class(fn, argtypes, keys, depth=0)
        return tuple(dict.fromkeys(keys)), None
    except Impure as e:
        return (), str(e)


def _check_class(fn, argtypes: list, keys: list, depth: int) -> None:
    if type(fn) is not JSFunction or fn.kind not in ("function", "class", "derived"):
        raise Impure("not a class or a function of this program")
    if depth > 16:
        raise Impure("too deep a class chain")
    if fn.kind == "function":
        tmpl = fn.node
        if tmpl is None:
            raise Impure("no body")
        _check_body(tmpl, argtypes, keys, fn)
        return
    if fn.fields is not None:
        _check_body(fn.fields.node, [], keys, fn)  # (field initialisers see no arguments)
    if fn.kind == "derived" and not isinstance(fn.parent, JSFunction):
        raise Impure("its parent is not a class of this program")
    if fn.node is None:  # a default constructor: super(...args) in a derived class, nothing in a base one
        if fn.kind == "derived":
            _check_class(fn.parent, argtypes, keys, depth + 1)
        return
    _check_body(fn.node, argtypes, keys, fn, depth)


def _check_body(tmpl, argtypes: list, keys: list, fn, depth: int = 0) -> None:
    _plain_function(tmpl)
    params = {id(b): (argtypes[i] if i < len(argtypes) else UNDEF_ARG) for i, b in enumerate(tmpl.fs.params)}
    for e in _statements(tmpl):
        if type(e) is A.SuperCall:
            if fn.kind != "derived":
                raise Impure("super() outside a derived class")
            passed = [_expr(a, params) for a in e.args]
            _check_class(fn.parent, passed, keys, depth + 1)
            continue
        key = _stored_key(e)
        _expr(e.value, params)
        keys.append(key)


def _plain_function(tmpl) -> None:
    if tmpl.rest is not None or tmpl.is_async or tmpl.generator:
        raise Impure("a rest parameter, async or a generator")


def _statements(tmpl):
    """A constructor's (or field initialisers') statements, each an
    expression statement's expression ("use strict" skipped); Impure at
    any other statement."""
    for s in tmpl.node.body:
        if type(s) is A.ExprStmt and type(s.expr) is A.Str:
            continue  # ("use strict")
        if type(s) is not A.ExprStmt:
            raise Impure(f"a {type(s).__name__} statement")
        yield s.expr


def _stored_key(e) -> str:
    """The name ``this.name = value`` stores; Impure for any other expression."""
    if not (type(e) is A.Assign and e.op == "=" and type(e.target) is A.Member):
        raise Impure("a statement other than this.name = value")
    t = e.target
    if type(t.obj) is not A.This or t.computed or t.prop.value.startswith("#"):
        raise Impure("a store other than this.name")
    return t.prop.value


def _expr(e, params: dict):
    """The JIT type ``e`` has if it only reads parameters and literals (None:
    not a number or boolean -- a reference, or undefined); Impure if it may
    run user code or read anything else."""
    t = type(e)
    if t is A.Num:
        return NUM
    if t is A.Str:
        return None
    if t is A.Lit:
        return BOOL if type(e.value) is bool else None
    if t is A.Ident:
        ref = e.ref
        if isinstance(ref, Local) and id(ref.binding) in params:
            return params[id(ref.binding)]
        raise Impure(f"it reads '{e.name}', not a parameter" if not isinstance(ref, Global) else "it reads a global")
    if t is A.Unary and e.op in ("-", "+", "!", "~"):
        a = _expr(e.arg, params)
        if e.op != "!" and a not in _NUMERIC:
            raise Impure(f"unary {e.op} of what may be an object")
        return BOOL if e.op == "!" else NUM
    if t is A.Binary and e.op in _ARITH:
        a, b = _expr(e.left, params), _expr(e.right, params)
        if e.op not in ("===", "!==") and (a not in _NUMERIC or b not in _NUMERIC):
            raise Impure(f"'{e.op}' of what may be an object")
        return NUM
    if t is A.Logical:
        _expr(e.left, params)
        _expr(e.right, params)
        return None
    if t is A.Cond:
        _expr(e.test, params)
        _expr(e.then, params)
        _expr(e.other, params)
        return None
    if t is A.Call:
        fill = new_array_fill(e)
        if fill is not None:
            if _expr(fill[0], params) not in _NUMERIC or _expr(fill[1], params) not in (*_NUMERIC, None):
                raise Impure("new Array(n).fill() of what may be an object")
            return None
    raise Impure(f"{t.__name__} in a stored value")


class Inline:
    """``new C(args)`` built by compiled code itself: the engine allocates
    the object with every property its constructor will store already in
    place (``keys``, in the order the stores first make them), and compiled
    code runs ``ops`` in order -- ``("bind", params, sources)`` gives a
    constructor's parameters their values (a source is ``("arg", k)``, the
    k-th argument of the ``new``, or an expression of the constructor
    calling ``super``), ``("store", index, expr)`` stores into the slot.
    Sound because the new object is unreachable until the ``new`` returns:
    no expression may mention ``this`` (or make a closure, or use anything
    but the parameters of its own constructor, globals and what those
    reach), and every store is an unconditional statement, so no program
    can see the object before all its keys are stored."""

    __slots__ = ("keys", "ops", "params")

    def __init__(self, keys: tuple, ops: list, params: list) -> None:
        self.keys, self.ops, self.params = keys, ops, params

    def nodes(self) -> list:
        """Every expression the ops evaluate (for apps.js.codegen's annotate)."""
        out = []
        for op in self.ops:
            if op[0] == "bind":
                out.extend(src for src in op[2] if isinstance(src, A.Node))
            else:
                out.append(op[2])
        return out


def inline_constructor(fn, nargs: int) -> Inline:
    """The plan for compiled code to build ``new fn(...)`` with ``nargs``
    arguments itself (:class:`Inline`); Impure if it cannot."""
    keys: list = []
    ops: list = []
    top = _inline_class(fn, ops, keys, [("arg", k) for k in range(nargs)], 0)
    index = {k: i for i, k in enumerate(dict.fromkeys(keys))}
    ops = [(op[0], index[op[1]], op[2]) if op[0] == "store" else op for op in ops]
    return Inline(tuple(index), ops, top)


def _inline_class(fn, ops: list, keys: list, sources: list, depth: int) -> list:
    """Append ``fn``'s construction to ``ops``; its constructor's parameters."""
    if type(fn) is not JSFunction or fn.kind not in ("function", "class", "derived"):
        raise Impure("not a class or a function of this program")
    if depth > 16:
        raise Impure("too deep a class chain")
    if fn.kind == "derived" and not isinstance(fn.parent, JSFunction):
        raise Impure("its parent is not a class of this program")
    if fn.kind == "class" and fn.fields is not None:
        _inline_stores(fn.fields.node, ops, keys, fn, depth, fields=True)
    if fn.node is None:  # a default constructor: super(...args) in a derived class, nothing in a base one
        if fn.kind == "derived":
            _inline_class(fn.parent, ops, keys, sources, depth + 1)
            if fn.fields is not None:
                _inline_stores(fn.fields.node, ops, keys, fn, depth, fields=True)
        return []
    params = _inline_params(fn.node, sources, ops)
    _inline_stores(fn.node, ops, keys, fn, depth)
    return params


def _inline_params(tmpl, sources: list, ops: list) -> list:
    _plain_function(tmpl)
    if any(which == 1 for _, _, which in tmpl.implicit):  # (0: this, 2: the function, for super(): built here)
        raise Impure("it uses arguments")
    params = list(tmpl.fs.params)
    if len(sources) < len(params):
        raise Impure("fewer arguments than parameters")
    if any(b.captured for b in tmpl.fs.bindings) or tmpl.fs.inner:
        raise Impure("it makes a closure")
    ops.append(("bind", params, sources[: len(params)]))
    return params


def _inline_stores(tmpl, ops: list, keys: list, fn, depth: int, fields: bool = False) -> None:
    called_super = False
    for e in _statements(tmpl):
        if type(e) is A.SuperCall and not fields:
            if fn.kind != "derived" or called_super:
                raise Impure("super() outside a derived class, or twice")
            called_super = True
            for a in e.args:
                _no_this(a)
            _inline_class(fn.parent, ops, keys, list(e.args), depth + 1)
            if fn.fields is not None:
                _inline_stores(fn.fields.node, ops, keys, fn, depth, fields=True)
            continue
        key = _stored_key(e)
        if fn.kind == "derived" and not fields and not called_super:
            raise Impure("a store before super()")
        _no_this(e.value)
        keys.append(key)
        ops.append(("store", key, e.value))
    if fn.kind == "derived" and not fields and not called_super:
        raise Impure("no super() call")


def _no_this(e) -> None:
    """Impure if ``e`` could reach the object under construction, or make a
    closure, or read a variable of an enclosing function."""
    stack = [e]
    while stack:
        n = stack.pop()
        t = type(n)
        if t in (A.This, A.SuperCall, A.SuperMember, A.Func, A.Class, A.Yield, A.Await):
            raise Impure(f"{t.__name__} in a stored value")
        if t is A.Ident and isinstance(n.ref, Outer):
            raise Impure(f"it reads '{n.name}' of an enclosing function")
        stack.extend(A.child_nodes(n))


def stores_are_plain(proto, keys: tuple) -> bool:
    """Whether storing each of ``keys`` into a new object with prototype
    ``proto`` just adds an own data property: no setter and no read-only
    property of that name up the chain, and no proxy in it."""
    while proto is not None:
        if type(proto) is not JSObject:
            return False
        props = proto.props
        locked = type(props) is not dict  # (LockedProps: some keys read-only, or the whole table)
        for k in keys:
            v = props.get(k, MISSING)
            if v is MISSING:
                continue
            if type(v) is Accessor or (locked and not props.writable(k)):
                return False
        proto = proto.proto
    return True


class Allocator:
    """The engine's side of compiled code's allocations: the two callbacks
    (``filled`` for new Array(n).fill(v), ``construct`` for new C(...)),
    the construct sites and their argument buffer.  What a run allocates is
    held by the run (``ic.run``, address -> value) until a store or a
    return hands it to the interpreter.  0 back leaves compiled code with
    C_DEOPT already set (and no exception ever crosses into native code)."""

    def __init__(self, ic, stats: dict, words, engine) -> None:
        self.ic, self.stats, self.words, self.engine = ic, stats, words, engine
        self.arena = Arena(words, stats)
        self.sites: list = []  # (class, argument JIT types, property names, position)
        self.args = array("q", bytes(8 * MAX_ARGS))
        self.args_address = self.args.buffer_info()[0]
        self._as_ints = memoryview(self.args)
        self._as_doubles = memoryview(self.args).cast("B").cast("d")

    def site(self, fn, types: list, keys: tuple, pos) -> int:
        self.sites.append((fn, tuple(types), keys, pos))
        return len(self.sites) - 1

    def shaped_site(self, fn, keys: tuple, kinds: tuple) -> int:
        """A ``new`` compiled code builds itself (:class:`Inline`): the class
        and what each key's slot will hold (apps.js.shapes' kinds)."""
        self.sites.append((fn, kinds, keys, None))
        return len(self.sites) - 1

    def shaped(self, site: int) -> int:
        """A new object of the site's class with its keys already in place,
        each holding a value of its slot's kind until compiled code stores
        the real one (nothing can see the object before): its descriptor's
        address, in the run's arena (apps.js.arena) once the site has made
        one object; 0 (leave, C_DEOPT set) if a store would not just add a
        property (a setter, a read-only name up the chain).  Compiled code
        builds the site's next objects of this run in the arena itself."""
        words = self.words
        try:
            run = self.ic.run
            fn, kinds, keys, made = self.sites[site]
            if made is not None and run is not None and fn.prototype is made[0]:
                # The common case, once this run has checked the site (below):
                # the arena's chunk is full, or compiled code cannot build there.
                ok = run.get(_PLAIN)
                if ok is not None and ok.get(site) is made[0]:
                    addr = self._in_arena(site, made[1], run)
                    if addr:
                        stats = self.stats
                        stats["native_allocations"] += 1
                        stats["built_in_place"] += 1
                        words[C_DEOPT] = 0
                    return addr
            words[C_DEOPT] = 1
            proto = fn.get_prototype() if fn.kind == "function" else fn.prototype
            if not isinstance(proto, JSObject):
                proto = OBJECT_PROTO  # (as the interpreter's new)
            if run is None or not self._reserve(run, len(keys)):
                return 0
            checked = ("plain", site, id(proto))
            if checked not in run:  # (no prototype changes while compiled code runs: once per run)
                if not stores_are_plain(proto, keys):
                    return 0
                run[checked] = proto
            if made is not None and made[0] is proto:  # (the shape and slot words of the first one)
                run.setdefault(_PLAIN, {})[site] = proto  # (the fast path above, from now on in this run)
                addr = self._in_arena(site, made[1], run)
                if not addr:
                    return 0
            else:
                obj = JSObject(dict(zip(keys, map(_PLACEHOLDER.__getitem__, kinds), strict=True)), proto)
                addr = mirror_in(obj, self.ic.fresh, run)
                if not addr:
                    return 0
                m = obj.native
                self.sites[site] = (fn, kinds, keys, (proto, made_template(m.shape, m.slots)))
                run[addr] = obj
            self.stats["native_allocations"] += 1
            self.stats["built_in_place"] += 1
            words[C_DEOPT] = 0
            return addr
        except Exception:
            words[C_DEOPT] = 1
            return 0

    def _in_arena(self, site: int, template: array, run: dict) -> int:
        """A copy of ``template`` in the run's arena, a new chunk taken if
        the current one is full (counted against the run's budget), and the
        site entered for compiled code to build at itself; 0 (C_DEOPT set)
        when the run holds too much.  An object too large for a chunk is a
        block of its own, as before the arena."""
        arena = self.arena
        arena.enter(run)
        if FRESH not in run:
            run[FRESH] = self.ic.fresh
        addr = arena.take(template)
        if not addr:
            if len(template) > CHUNK_WORDS // 4:
                return made_in_place(template, self.ic.fresh, run)
            if not self._reserve(run, CHUNK_WORDS):
                return 0
            arena.next_chunk()
            addr = arena.take(template)
        arena.enlist(site, template)
        return addr

    def _reserve(self, run: dict, elements: int) -> bool:
        """Count ``elements`` against the run's budget: past it, a loop unit
        leaves at its next back-edge (C_TIER_UP); past 4x, now (False)."""
        before = run.get(_HELD, 0)
        held = before + elements + 16
        if held > RUN_HEAP_ELEMENTS:
            if before and held > 4 * RUN_HEAP_ELEMENTS:
                self.words[C_DEOPT] = HEAP_FULL
                return False
            self.words[C_TIER_UP] = 1
        run[_HELD] = held
        return True

    def filled(self, n: float, value: float, bools: int) -> int:
        words = self.words
        words[C_DEOPT] = 1  # (until it succeeds: an invalid length -- the interpreter throws the RangeError)
        try:
            run = self.ic.run
            if run is None or not (0.0 <= n < 2.0**32 and n == int(n)):
                return 0
            k = int(n)
            addr = self._array_in_arena(k, value, bool(bools), run) if k <= MAX_ARRAY_ELEMENTS else 0
            if addr < 0:  # (the run holds too much: C_DEOPT says so)
                return 0
            if not addr:
                if not self._reserve(run, k):
                    return 0
                a = JSArray.of_doubles(k, value, bool(bools))
                run[a.addr] = a
                addr = a.addr
            self.stats["native_allocations"] += 1
            words[C_DEOPT] = 0
            return addr
        except Exception:  # (a MemoryError: the interpreter raises it)
            return 0

    def _array_in_arena(self, n: int, value: float, bools: bool, run: dict) -> int:
        """A packed array in the run's arena (apps.js.arena), a new chunk
        taken if the current one is full -- what counts against the run's
        budget, as the arrays compiled code builds there itself are not
        counted one by one; -1: the run holds too much (C_DEOPT set)."""
        arena = self.arena
        arena.enter(run)
        addr = arena.take_array(n, value, bools)
        if not addr:
            if not self._reserve(run, CHUNK_WORDS):
                return -1
            arena.next_chunk()
            addr = arena.take_array(n, value, bools)
        if addr:
            self.stats["built_in_place"] += 1
        return addr

    def holes(self, n: float) -> int:
        """``new Array(n)`` for compiled code: n holes, seen through a
        writable per-run descriptor (an array of objects once stored into;
        apps.js.shapes.ref_array_in); 0 (leave) for an invalid length -- the
        interpreter throws the RangeError."""
        words = self.words
        words[C_DEOPT] = 1
        try:
            run = self.ic.run
            if run is None or not (0.0 <= n < 2.0**32 and n == int(n)) or not self._reserve(run, int(n)):
                return 0
            k = int(n)
            a = JSArray.filled(k, HOLE)  # (a list even when empty: compiled code pushes objects onto it)
            addr = ref_array_in(a, [HOLE_REF] * k, run, False)
            made_array(addr, run)
            self.stats["native_allocations"] += 1
            words[C_DEOPT] = 0
            return addr
        except Exception:  # (a MemoryError: the interpreter raises it)
            return 0

    def construct(self, site: int) -> int:
        words = self.words
        words[C_DEOPT] = 1  # (until it succeeds: the interpreter runs the new, and throws what it throws)
        try:
            run = self.ic.run
            fn, types, keys, pos = self.sites[site]
            proto = fn.get_prototype() if fn.kind == "function" else fn.prototype
            if not isinstance(proto, JSObject):
                proto = OBJECT_PROTO  # (what the interpreter gives an object whose class's prototype is not one)
            if run is None or not stores_are_plain(proto, keys):
                return 0
            args = []
            for k, t in enumerate(types):
                if t in (NUM, INT):
                    args.append(self._as_doubles[k])
                elif t == BOOL:
                    args.append(self._as_ints[k] != 0)
                else:
                    v = referent(self._as_ints[k], run)  # (an unknown address raises: nothing is done)
                    if t in ARRAYS and type(v) is not JSArray:
                        return 0
                    args.append(v)
            if not self._reserve(run, len(keys)):
                return 0
            obj = self.engine.runtime.construct(fn, args, pos, fn.name)
            addr = mirror_in(obj, self.ic.fresh, run) if type(obj) is JSObject else 0
            if not addr:
                return 0
            run[addr] = obj
            self.stats["native_allocations"] += 1
            words[C_DEOPT] = 0
            return addr
        except Exception:
            return 0
