"""The JIT tier: when to compile, what to compile together, how to enter and
leave native code, and how to fall back.

- A function called ``hot_calls`` times (if it has loops, later: see
  apps.js.hotness.whole_at) is compiled (with every compilable function it
  calls that is not compiled yet, in one module -- unless one of those is
  not yet worth compiling whole: then the caller waits) for the argument
  types its feedback recorded.  Its
  entry guards check those types (and the globals and callees it relies on)
  on every call from the interpreter; a call that fails them simply runs in
  the interpreter.
- A loop that runs ``hot_loops`` iterations in the interpreter is compiled
  on the spot (on-stack replacement) for the types its variables hold, with
  its outermost enclosing loop in the same module, and entered at its
  header with the frame's values.
- References cross as descriptors: arrays' (packed elements, or the
  descriptors of objects' mirrors or strings' units), objects' mirrors
  (apps.js.shapes, refreshed at entry and written back at exit) and
  strings' units (apps.js.jitstrings); ``arrays`` maps each address handed
  out back to its value.  Inline caches are located in each module and
  patched by apps.js.ics; call sites are checked again at entry.
- An int32 check that fails (OVERFLOW) retires the unit and every unit it
  calls; they compile again with doubles only.
- Native code runs as a transaction (native.py); if a check fails inside it,
  the undo log is rolled back to the last commit and the interpreter resumes
  there -- at the start of the call, or at the header of the loop that
  committed -- so results are always those of the interpreter.
- Code goes through ``jit/``: constants blinded, every byte scanned for PKRU
  gadgets, committed in the cache's write window.
"""

from __future__ import annotations

import ctypes
import gc
import time

import numpy as np

from libmpk.jit import (
    BASELINE,
    CodeCache,
    InvalidIRError,
    JitError,
    Loader,
    RelocationError,
    background,
    default_mode,
    emit_object,
    entry_pads,
)
from libmpk.jit.blinding import blind_module
from libmpk.jit.compiler import warm_up as compiler_warm_up
from libmpk.jit.objcache import ObjectCache
from libmpk.sandbox.errors import SandboxError

from . import ast as A
from . import fdlibm as FDLIBM
from . import ics
from .allocation import Allocator, over_budget
from .codegen import ModuleBuilder, Signature, UnitEmitter, UnitPlan, annotate
from .hotness import MAX_DEOPTS, whole_at
from .inspect import format_args
from .interp import BREAK, RETURN, label_code
from .jitstrings import STRINGS
from .jittypes import (
    AARR,
    AOBJ,
    ARRAYS,
    BOOL,
    HARR,
    INT,
    NULL,
    NUM,
    OBJ,
    REF_ARRAYS,
    REFS,
    REST_ENTRY,
    STR,
    UNDEF,
    NotCompilable,
    OwnProperty,
    Typer,
    closures_inlined,
    declared_in,
    entry_declined,
    entry_facts,
    entry_type,
    feedback_declined,
    feedback_type,
    frame_value,
    inlined_callback,
    inlines_callbacks,
    loop_inputs,
    made_here,
    only_called,
    shape_declined,
    unit_params,
    value_type,
    walk,
)
from .madestrings import MadeStrings
from .native import (
    C_DEOPT,
    C_OUT_N,
    C_RNG,
    C_TIER_UP,
    C_WORK,
    CAPACITY,
    COLD_EXIT,
    DEOPT,
    ENTRY,
    F_CKPT,
    F_RET,
    F_VARS,
    HEAP_FULL,
    OVERFLOW,
    PUSHED,
    RETURNED,
    TIER_UP,
    Context,
)
from .scope import TDZ, Cell, Outer
from .shapes import (
    ARENA,
    NULL_ARRAY_REF,
    PACKED_BY_ADDRESS,
    UNDEF_REF,
    element_word,
    elements_in,
    handed_out,
    mirror_in,
    number_array_in,
    numbers_in,
    objects_in,
    owner_at,
    ref_array_in,
    remember_elements,
    replaced_values,
    resize_copy,
    resize_items,
    run_value,
    stale_all,
    write_back,
)
from .values import UNDEFINED, JSArray, JSFunction, JSObject, StrBuf, js_pow

_REPLACED = ("replaced values",)  # a run's key: what its write-back replaced (shapes.replaced_values)
COLD_EXITS_PER_DEOPT = 256  # cold branches taken this often cost a unit one deopt
COLD_EXITS_TO_RECOMPILE = 16  # ... and this often, it is compiled again (typed afresh) ...
MAX_COLD_RECOMPILES = 2  # ... at most this many times per function or loop
MAX_DEOPT_RECOMPILES = 1  # a unit dropped after MAX_DEOPTS deopts is compiled again this often (new feedback)
# A function whose entry its globals (or callees) declined this often is compiled again for what the
# globals hold now (a global's kind changed), at most MAX_DECLINE_RECOMPILES times per function
DECLINES_TO_RECOMPILE = 16
MAX_DECLINE_RECOMPILES = 2
UNREAD_WAITS = 3  # times a function waits for its property loads to run before it compiles all the same
_PUSHED = ("arrays pushed onto",)  # a run's key: the packed arrays compiled code pushed onto (Tier._push_slow)

# An entry from the interpreter mirrors the objects it is given, and each
# object it reaches costs a cache miss: more than a short loop takes
# interpreted (Richards' Packet.append walks a list one or two long, ~100k
# times).  A unit taking objects whose first SHALLOW_ENTRIES entries did
# less than SHALLOW_WORK calls and loop iterations each (native.C_WORK) is
# not entered from the interpreter again; compiled callers still call it.
SHALLOW_ENTRIES = 256
SHALLOW_WORK = 4
# A loop unit entered with objects breaks even at ~8 iterations an entry
# here (a 3-statement body over two objects: 4 a time cost 43 us more than
# interpreting them, 16 saved a third); below that the interpreter runs it.
SHALLOW_LOOP_WORK = 8


class TierUp:
    """A module's optimised build, on its way from the background compiler."""

    __slots__ = ("module", "externals", "units", "loops", "sites", "obj", "error")

    def __init__(self, externals: dict, units: list, loops: list, sites: list) -> None:
        self.module = None  # the baseline build, once loaded: its functions' entry pads get redirected
        self.externals = externals
        self.units = units
        self.loops = loops
        self.sites = sites  # its inline caches (apps.js.ics): what the baseline learnt is patched into the new build
        self.obj: bytes | None = None
        self.error: BaseException | None = None


def int32_valued(v) -> bool:
    """Whether a number the interpreter holds can enter compiled code as an int32."""
    return type(v) is float and v.is_integer() and -(2**31) <= v < 2**31 and (v != 0 or str(v)[0] != "-")


class FunctionUnit:
    def __init__(self, uid: int, fn, sig: Signature, plan: UnitPlan) -> None:
        self.uid = uid
        self.fn = fn
        self.sig = sig
        self.plan = plan
        self.address = 0
        self.entry = None
        self.native = None  # the interpreter's entry into it, shared by every closure of the function ...
        self.closure = None  # ... unless it uses this one closure's captured variables
        self.frame = np.zeros(F_VARS + max(len(plan.region_vars), 1), dtype=np.float64)
        self.deopts = 0
        self.cold = 0  # exits through a cold branch (not failed speculation)
        self.declines = 0
        self.overflowed = False  # an int32 check failed: compiled again without int32s
        self.again = False  # retired, to be compiled afresh (an int32 check failed, or a cold branch runs)
        self.call_sites: list = []  # method-call ICs its code (or a callee's) holds: checked at entry
        self.guards: list = []  # (cell, type or function) checked at entry
        self.globals: list = []
        self.loops_by_id = {v: k for k, v in plan.loop_ids.items()}
        self.entries = 0  # from the interpreter, counted up to SHALLOW_ENTRIES ...
        self.work = 0  # ... and the work they did
        self.shallow = False  # too little for an entry to pay off: the interpreter runs it


class LoopUnit:
    def __init__(self, uid: int, plan: UnitPlan, fs) -> None:
        self.uid = uid
        self.plan = plan
        self.fs = fs
        self.entry = None
        self.frame = np.zeros(F_VARS + max(len(plan.region_vars), 1), dtype=np.float64)
        self.deopts = 0
        self.cold = 0
        self.loops_by_id = {v: k for k, v in plan.loop_ids.items()}
        self.parents: dict = {}
        self.guards: list = []
        self.globals: list = []
        self.outside: list = []  # region vars whose entry value matters
        self.nullable: set = set()  # those that held null or undefined when it was compiled (jittypes.entry_type)
        self.declines = 0
        self.overflowed = False
        self.again = False
        self.call_sites: list = []
        self.entries = 0  # (as FunctionUnit's: Tier._weigh_entry)
        self.work = 0
        self.shallow = False
        # each entry mirrors objects in (and out): its function is not left to run it (hotness.whole_at)
        self.takes_objects = any(plan.var_types[b] in (OBJ, AOBJ) for b in plan.region_vars)


def collector_off(run, *args):
    """``run(*args, off)`` with the cycle collector off (``off``: whether
    this call turned it off -- ``run`` turns it back on before handing the
    rest of the work to the interpreter).  What a compiled run allocates is
    held by the run until it ends (apps.js.allocation), so a collection
    during it, or while its objects are written back, only walks them again
    and again: a third of AWFY Bounce's time once its whole inner loop ran
    compiled, growing as its collections grew.  When the run's dict goes,
    they go by reference count (shapes.Mirror holds its object weakly),
    and the collector's counts are back where they were."""
    if not gc.isenabled():  # (off already: a caller's choice, or a run calling back)
        return run(*args, False)
    gc.disable()
    try:
        return run(*args, True)
    finally:
        gc.enable()


_caches: dict = {}


def shared_cache(wx: str) -> CodeCache:
    """One code cache per W^X mode per process: engines share it (a pku cache
    pins two hardware keys; there are only 14)."""
    from libmpk import sandbox

    cache = _caches.get(wx)
    if cache is not None:
        try:
            sandbox.protection(cache.rodata_vkey)  # still mapped (not shut down since)?
        except SandboxError:
            cache = None
    if cache is None:
        cache = _caches[wx] = CodeCache(wx)
    return cache


class Tier:
    def __init__(
        self,
        engine,
        wx: str | None,
        hot_calls: int,
        hot_loops: int,
        hooks: dict,
        reasons: dict,
        stats: dict,
        background_jit: bool = True,
    ) -> None:
        self.engine = engine
        # Two tiers: a module is built at once as BASELINE code, and at O2 by
        # the background compiler; the O2 build replaces it at the next entry
        # from the interpreter (or a loop's next back-edge), its inline caches
        # patched with what the baseline's learnt (Sites.locate).
        self.background = background.shared() if background_jit else None
        self._ready: list[TierUp] = []  # built, not yet installed (appended by the worker thread)
        # objects built in earlier runs (jit.objcache), in the engine's disk cache (mpk run's)
        store = getattr(engine.parse_cache, "store", None)
        self.objects = ObjectCache(store) if store is not None else None
        self.built = 0  # optimised builds back from the worker (counted by its thread; tests wait on it)
        self.wx = wx
        self.hot_calls = hot_calls
        self.hot_loops = hot_loops
        self.cache: CodeCache | None = None
        self.loader: Loader | None = None
        self.ctx = Context()
        self.ctx.words[C_RNG] = engine.runtime.rng.address  # (Math.random's state: both tiers step it)
        self.next_uid = 1
        self.units: dict = {}  # (template, params) -> FunctionUnit
        self.in_progress: dict = {}
        self._bound: dict = {}  # (template, params) -> the closure whose captured variables its unit uses
        self._bound_templates: set = set()  # (their templates: what an own-method call asks, per call)
        self.failed: set = set()
        self.no_int: set = set()  # templates and loops compiled without int32s (one overflowed)
        self.cold_recompiles: dict = {}  # template or loop -> times compiled again for its cold branches
        self.deopt_recompiles: dict = {}  # template or loop -> times compiled again after MAX_DEOPTS deopts
        self.decline_recompiles: dict = {}  # template -> times compiled again after its globals declined it
        rt = engine.runtime
        self.for_each_guard = (OwnProperty(rt.array_proto, "forEach"), rt.array_builtins["forEach"])
        self.inline_choice: dict = {}  # (new node, argument types) -> (Inline, slot kinds) or None (Typer)
        self._holders: dict = {}  # (object id, name) -> OwnProperty: one guard holder each
        self._entry_facts: dict = {}  # template -> jittypes.entry_facts
        # names of compiled functions worth an entry of their own (loops, recursion, allocation)
        self.heavy_names: set = set()
        self._declined_closures: set = set()  # templates whose other closures stay interpreted
        self.slots: dict = {}  # Cell -> slot
        self.slot_types: dict = {}  # Cell -> type
        self.strings: list[str] = []
        self.string_ids: dict[str, int] = {}
        self.stats = stats  # (hotness.LazyTier's: its loops weigh the native calls counted here)
        self.reasons = reasons  # shared with apps.js.hotness.LazyTier, which made the hooks
        self.interpreted_entries: dict[str, str] = {}  # (LazyTier's, once it loads this tier)
        self._waits: dict = {}  # function node -> times it waited for a load to run (UNREAD_WAITS)
        self._recursed: set = set()  # signatures whose typing met a recursive call of themselves
        self._typing: dict = {}  # signature being typed -> the closure it is typed for
        self._other_closure_called: set = set()  # ... whose typing met a call of another closure of it
        self._unread = False
        self.hooks = hooks
        self._parents: dict = {}
        self._log_args: list = []
        self._callbacks_keep: list = []
        self.ic = ics.Sites(self.stats)
        self.ic.same_code = self._same_code
        self.strings_table = STRINGS  # (the process's: objects' "str" slots hold its descriptors)
        self.allocator = Allocator(self.ic, self.stats, self.ctx.w, engine)
        self.made_strings = MadeStrings(self.ctx.w, self.allocator)
        self.callbacks = self._make_callbacks()

    # --- callbacks for compiled code --------------------------------------------------------

    def _make_callbacks(self) -> dict:
        args = self._log_args
        ctx = self.ctx
        strings = self.strings

        def log_begin():
            args.clear()

        def log_num(x):
            args.append(float(x))

        def log_bool(x):
            args.append(bool(x))

        def log_str(i):
            args.append(strings[i])

        def log_text(addr):
            try:
                v = self._back(self.ic.run or {}, addr, None, STR)
            except Exception:
                v = None
            if type(v) is not str:  # (never: compiled code holds only strings there; else leave)
                ctx.words[C_DEOPT] = 1
                return 0
            args.append(v)
            return 1

        def log_end(_ctx):
            ctx.output.append(format_args(args))
            ctx.words[C_OUT_N] += 1

        miss = self.ic.miss

        def ic_miss(site, desc):
            try:
                return miss(site, desc)
            except Exception:  # (never let one escape into native code: deoptimise)
                return -1

        def array_push(desc):
            try:
                return self._push_slow(desc)
            except Exception:  # (never into native code: leave, and the interpreter pushes)
                return 0

        def tier_poll():
            try:
                self.install_ready(running=True)
            except Exception as e:  # (never into native code; the baseline runs on)
                self.reasons["(optimised build)"] = f"internal error installing it: {e}"

        from llvmlite import ir

        spec = {
            "log_begin": (ctypes.CFUNCTYPE(None), log_begin, ir.VoidType(), []),
            "log_num": (ctypes.CFUNCTYPE(None, ctypes.c_double), log_num, ir.VoidType(), [ir.DoubleType()]),
            "log_bool": (ctypes.CFUNCTYPE(None, ctypes.c_int64), log_bool, ir.VoidType(), [ir.IntType(64)]),
            "log_str": (ctypes.CFUNCTYPE(None, ctypes.c_int64), log_str, ir.VoidType(), [ir.IntType(64)]),
            "log_text": (ctypes.CFUNCTYPE(ctypes.c_int64, ctypes.c_int64), log_text, ir.IntType(64), [ir.IntType(64)]),
            "str_chunk": (
                ctypes.CFUNCTYPE(ctypes.c_int64, ctypes.c_int64),
                self.made_strings.more,
                ir.IntType(64),
                [ir.IntType(64)],
            ),
            "str_long_copy": (
                ctypes.CFUNCTYPE(ctypes.c_int64, ctypes.c_int64),
                self.made_strings.long_copy,
                ir.IntType(64),
                [ir.IntType(64)],
            ),
            "log_end": (ctypes.CFUNCTYPE(None, ctypes.c_void_p), log_end, ir.VoidType(), [ir.IntType(8).as_pointer()]),
            "tier_poll": (ctypes.CFUNCTYPE(None), tier_poll, ir.VoidType(), []),
            "array_push": (
                ctypes.CFUNCTYPE(ctypes.c_int64, ctypes.c_int64),
                array_push,
                ir.IntType(64),
                [ir.IntType(64)],
            ),
            "alloc_filled": (
                ctypes.CFUNCTYPE(ctypes.c_int64, ctypes.c_double, ctypes.c_double, ctypes.c_int64),
                self.allocator.filled,
                ir.IntType(64),
                [ir.DoubleType(), ir.DoubleType(), ir.IntType(64)],
            ),
            "construct": (
                ctypes.CFUNCTYPE(ctypes.c_int64, ctypes.c_int64),
                self.allocator.construct,
                ir.IntType(64),
                [ir.IntType(64)],
            ),
            "alloc_holes": (
                ctypes.CFUNCTYPE(ctypes.c_int64, ctypes.c_double),
                self.allocator.holes,
                ir.IntType(64),
                [ir.DoubleType()],
            ),
            "alloc_shaped": (
                ctypes.CFUNCTYPE(ctypes.c_int64, ctypes.c_int64),
                self.allocator.shaped,
                ir.IntType(64),
                [ir.IntType(64)],
            ),
            "ic_miss": (
                ctypes.CFUNCTYPE(ctypes.c_int64, ctypes.c_int64, ctypes.c_int64),
                ic_miss,
                ir.IntType(64),
                [ir.IntType(64), ir.IntType(64)],
            ),
        }
        # Math's transcendental functions: V8's fdlibm results, as the interpreter gives them
        # (the C library's differ in the last bit for a few percent of arguments)
        d = ir.DoubleType()
        for name in ("sin", "cos", "tan", "exp", "log"):
            spec[f"math_{name}"] = (ctypes.CFUNCTYPE(ctypes.c_double, ctypes.c_double), FDLIBM.FUNCTIONS[name], d, [d])
        two = ctypes.CFUNCTYPE(ctypes.c_double, ctypes.c_double, ctypes.c_double)
        spec["math_atan2"] = (two, FDLIBM.atan2, d, [d, d])
        spec["math_pow"] = (two, js_pow, d, [d, d])  # (its exact cases skip fdlibm's Python)
        out = {}
        for name, (proto, py, ret, argt) in spec.items():
            cb = proto(py)
            self._callbacks_keep.append(cb)
            out[name] = (ctypes.cast(cb, ctypes.c_void_p).value, ret, argt)
        return out

    def string_id(self, s: str) -> int:
        i = self.string_ids.get(s)
        if i is None:
            i = self.string_ids[s] = len(self.strings)
            self.strings.append(s)
        return i

    # --- globals ------------------------------------------------------------------------------

    def property_holder(self, owner, name: str) -> OwnProperty:
        """The one guard holder for ``owner``'s own property ``name``."""
        key = (id(owner), name)
        h = self._holders.get(key)
        if h is None or h.owner is not owner:
            h = self._holders[key] = OwnProperty(owner, name)
        return h

    def global_type(self, cell):
        """The type a unit typed now gives a global (once per unit: the
        Typer keeps it).  Its slot's, while the value still has that type;
        else the value's now -- an array filled since (holes, then numbers
        only: every later unit over it was typed for holes and declined at
        each entry) -- and the slot's from now on.  A unit that reaches a
        compiled callee typed for the old one is refused
        (:meth:`_agree_on_globals`): one run syncs one word per global."""
        t = self.slot_types.get(cell)
        now = _global_value_type(cell.v)
        if t is None or now is None or now == t:
            return t if t is not None else now
        self.slot_types[cell] = now
        return now

    def _agree_on_globals(self, plan) -> None:
        """NotCompilable if ``plan`` and a compiled callee it reaches type a
        global differently (:meth:`global_type`)."""
        seen: dict = {}
        for p in self._plans_reached(plan):
            for cell, t in p.globals.items():
                if not isinstance(t, tuple) and seen.setdefault(cell, t) != t:
                    raise NotCompilable(f"a compiled callee holds a global as {t}, this code as {seen[cell]}")

    def global_slot(self, cell) -> int:
        slot = self.slots.get(cell)
        if slot is None:
            slot = self.slots[cell] = len(self.slots)
            self.slot_types[cell] = _global_value_type(cell.v)
        return slot

    def _sync_in(self, unit, arrays: dict, cells: dict | None = None, guards: list | None = None) -> bool:
        """Copy the unit's globals and captured variables into their slots
        (False: one no longer has its type, or a guarded cell its function).
        ``cells`` and ``guards``: when another closure of the unit's function
        enters it (:meth:`_rebind`), its cells in the bound one's slots, and
        the guards as they read for it (:meth:`_native_entry`)."""
        g, gi = self.ctx.globals, self.ctx.globals_i
        for cell, t in unit.globals:
            v = cells.get(cell, cell).v if cells is not None else cell.v
            if t == NUM:
                if type(v) is not float:
                    return False
                g[self.slots[cell]] = v
            elif t == BOOL:
                if type(v) is not bool:
                    return False
                g[self.slots[cell]] = 1.0 if v else 0.0
            else:
                addr = self._ref(v, t, arrays)
                if not addr and not (v is None and t == OBJ):  # (null: 0)
                    return False
                gi[self.slots[cell]] = addr
        for cell, fn in unit.guards if guards is None else guards:
            if cell.v is not fn:
                return False
        return True

    def _sync_out(self, unit, arrays: dict, cells: dict | None = None) -> None:
        g = self.ctx.globals
        for cell, t in unit.globals:
            slot = self.slots[cell]
            if cells is not None:
                cell = cells.get(cell, cell)
            if t == NUM:
                cell.v = float(g[slot])
            elif t == BOOL:
                cell.v = bool(g[slot])
            else:
                cell.v = self._back(arrays, int(self.ctx.globals_i[slot]), cell.v, t)

    def _ref(self, v, t: str, arrays: dict) -> int:
        """The address compiled code is handed for ``v`` as a reference of
        type ``t`` (0: it is not one -- not packed, of another elements kind,
        or an object that cannot go there), noted in ``arrays`` (address ->
        value), from which what compiled code hands back is found again."""
        if t == OBJ:
            addr = mirror_in(v, self.ic.fresh, arrays) if type(v) is JSObject else 0
        elif v is None and t in ARRAYS:
            return NULL_ARRAY_REF  # (null where a packed array may be: shapes.NULL_ARRAY)
        elif t in REF_ARRAYS:
            return self._ref_array(v, t, arrays)
        elif t == STR:
            if type(v) is StrBuf:  # (a variable the interpreter appends to: apps.js.values)
                v = v.value()
            if type(v) is not str:
                return 0
            e = self.strings_table.entry(v)
            addr = e.addr
            arrays[-addr] = e  # (kept alive while the code runs)
        else:
            addr = v.addr if value_type(v) == t else 0  # packed, and of the elements kind compiled for
        if addr:
            arrays[addr] = v
        return addr

    def _ref_array(self, v, t: str, arrays: dict) -> int:
        """An array of objects or strings as compiled code reads it (and
        stores objects into it): a descriptor like a packed array's over its
        elements' references, built for this entry (its objects' mirrors
        refreshed, each noted in ``arrays``); the same array twice is one
        descriptor."""
        addr = arrays.get(("array", id(v)))
        if addr is not None:
            return addr
        if value_type(v) != t:
            return 0
        if t == HARR:
            return number_array_in(v, arrays)
        if t == AARR:  # (each row findable by its address: what compiled code stores or pushes onto)
            for x in v.items:
                PACKED_BY_ADDRESS[x.addr] = x
            return ref_array_in(v, [x.addr for x in v.items], arrays, True, rows=True)
        if t == AOBJ:
            words = [element_word(x, lambda o: self._ref(o, OBJ, arrays)) for x in v.items]
            if not all(w or x is None for w, x in zip(words, v.items, strict=True)):
                return 0  # (an object that cannot go to compiled code)
        else:
            words = [self._ref(x, STR, arrays) for x in v.items]
            if not all(words):
                return 0
        return ref_array_in(v, words, arrays, t == AOBJ)

    def _push_slow(self, desc: int) -> int:
        """Compiled code's push into the packed array whose descriptor is at
        ``desc`` (one it was given, reached through a slot, or made), on its
        first push this run -- noted, so that its length goes back to it when
        the run ends (:meth:`_objects_out`) -- or with its buffer full: the
        buffer doubled, as the interpreter's push does, and the undo log's
        entries for the old one moved to the new (one built in the run's
        arena, apps.js.arena, moves to a buffer the run keeps).  0 (leave):
        not found, or no longer packed."""
        run = self.ic.run
        arena = run.get(ARENA) if run is not None else None
        if arena is not None and arena[0].grow_array(desc, arena[1], run, self.ctx.relocate):
            return 1  # (one compiled code built in the run's arena, full)
        v = run.get(desc) if run is not None else None
        if v is None:
            v = PACKED_BY_ADDRESS.get(desc)
        elif type(v) is JSArray and v.items is not None:  # (a copy of an array of objects or of rows)
            return int(resize_copy(desc, run, self.ctx.relocate))
        if type(v) is not JSArray or v.addr != desc or v.items is not None or v.desc[1] < 0:
            return 0
        words = v.desc
        if not words[2] & PUSHED:
            run.setdefault(_PUSHED, []).append(v)
        buf = v.buf
        if words[1] >= len(buf):
            old, size = buf.buffer_info()[0], 8 * len(buf)
            buf.extend(buf)  # (the copy is spare room)
            self.ctx.relocate(old, size, buf.buffer_info()[0])
            words[0] = buf.buffer_info()[0]
        words[2] = len(buf) | PUSHED
        return 1

    @staticmethod
    def _objects_out(arrays: dict) -> None:
        """Compiled code's stores into objects' slots and arrays of objects'
        elements, into their properties and items (every object reference
        resolved first, then every store made); the lengths of the arrays
        it pushed onto.  The first thing done once a run's compiled code
        has finished (its arena's objects may move from here on)."""
        a = arrays.get(ARENA)
        if a is not None:
            a[0].done(arrays)
        for v in arrays.get(_PUSHED, ()):
            v.n = v.desc[1]
            v.desc[2] &= CAPACITY
        objs = [v for v in arrays.values() if type(v) is JSObject]
        refs = [objects_in(v, arrays) for v in objs]
        elements = elements_in(arrays)
        elements += numbers_in(arrays)
        arrays[_REPLACED] = replaced_values(objs, elements, arrays)  # (alive until the run's results are resolved)
        resize_items(arrays)
        for v, r in zip(objs, refs, strict=True):
            write_back(v, r)
        for v, i, x in elements:
            v.items[i] = x
        remember_elements(arrays)

    def _back(self, arrays: dict, addr: int, default, t: str | None = None):
        """The value compiled code handed back as a reference of type ``t``
        (an argument's, a global's, a string literal's, an object's reached
        through a property; for an object, 0 is null)."""
        if t == OBJ and addr <= UNDEF_REF:
            return None if addr == 0 else default
        if addr == NULL_ARRAY_REF:
            return None
        v = run_value(addr, arrays)
        if v is not None:
            return handed_out(addr, v, arrays)  # (one the run made becomes the interpreter's now)
        o = owner_at(addr)
        if o is not None:
            return o
        v = PACKED_BY_ADDRESS.get(addr)
        return v if v is not None else self.strings_table.by_addr.get(addr, default)

    def _flush(self, committed_only: bool = False) -> None:
        out = self.ctx.take_output()
        if out:  # (UTF-16 units, as the interpreter's console.log writes them: a surrogate pair is one character)
            self.engine.runtime.write_out("\n".join(out) + "\n")

    def flush(self) -> None:
        self._flush()

    # --- compiling ---------------------------------------------------------------------------

    def warm_up(self) -> None:
        """Set up the code cache (and with it the sandbox) and LLVM's target
        machine as the tier loads (apps.js.hotness), so that their cost shows
        as the load's, not as the first compilation's.  A cache that cannot
        be made is left for that first compilation to report."""
        try:
            self._ensure_cache()
            self.cache.warm_up()
            if self.background is not None:
                self.background.start()  # (forks: at the load, before the program holds anything)
            # (baseline only where a forked worker builds O2: it warms that up itself; ~20-40 ms of every load)
            forked = self.background is not None and self.background.forked
            compiler_warm_up((BASELINE,) if forked else None)
        except (JitError, SandboxError):
            pass

    def _ensure_cache(self) -> None:
        if self.cache is None:
            self.cache = shared_cache(self.wx or default_mode())
            self.loader = Loader(self.cache)
            self.ic.cache = self.cache

    def signature_for(self, fn, argtypes: list, env: tuple | None = None) -> Signature | None:
        """The signature ``fn`` compiles with for these argument types (None:
        it cannot).  ``env``: the closure's environment, when the unit may be
        bound to this one closure to use its enclosing functions' variables."""
        tmpl = fn.node
        key = (tmpl, tuple(argtypes))
        unit = self.units.get(key)
        if unit is not None:
            if unit.closure is not None and unit.closure is not fn:
                # (entered from the interpreter it may be rebound: compile_function)
                self.reasons[fn.name or "<anonymous>"] = (
                    "compiled for another closure of the same function: compiled code cannot call this one"
                )
                return None  # its code reads and writes that closure's variables
            return unit.sig
        if key in self.in_progress:
            self._recursed.add(key)
            if self._typing.get(key, fn) is not fn:
                self._other_closure_called.add(key)  # (refused below if its code uses its closure's cells)
            return self.in_progress[key]
        if key in self.failed or len(argtypes) != len(unit_params(tmpl)):
            return None
        why = shape_declined(tmpl, rest_ok=True)  # (a rest parameter: compiled callers pack it)
        if why is not None:
            self.reasons[fn.name or "<anonymous>"] = why
            self.failed.add(key)
            return None
        self._recursed.discard(key)
        self._other_closure_called.discard(key)
        self._typing[key] = fn
        reasons = dict(self.reasons)
        try:
            try:
                sig, typer = self._settle(tmpl, Signature(tuple(argtypes), NUM), env, key)
            except NotCompilable:
                if key not in self._recursed:
                    raise
                # A recursive call typed by the provisional number return made
                # arguments of the wrong type (a list's tail(tail(x.next), ..)):
                # once more with that return unknown until a pass settles it.
                self.reasons.clear()
                self.reasons.update(reasons)
                sig, typer = self._settle(tmpl, Signature(tuple(argtypes), None), env, key)
            if typer.uses_env and key in self._other_closure_called:
                # A call of another closure of this function was typed as a
                # call of this code, which reads this closure's cells.
                raise NotCompilable("calls another closure of its own function (its variables are other cells)")
        except NotCompilable as e:
            self.failed.add(key)
            if not any(f.node is tmpl for f, _ in self._pending) and not any(k[0] is tmpl for k in self.units):
                self.reasons[tmpl.name or "<anonymous>"] = str(e)  # (unless it compiles for other types)
            return None
        finally:
            self.in_progress.pop(key, None)
            self._typing.pop(key, None)
        if typer.uses_env:
            self._bound[key] = fn
            self._bound_templates.add(tmpl)
        self._pending.append((fn, sig))
        return sig

    def _same_code(self, f, g) -> bool:
        """Whether a direct call compiled for function ``g`` may call ``f``
        instead: another closure of g's template, whose unit is bound to no
        closure's environment (apps.js.ics' own-method calls)."""
        return type(f) is JSFunction and f.node is g.node and g.node not in self._bound_templates

    def entry_facts(self, tmpl) -> tuple:
        """jittypes.entry_facts of ``tmpl``, once per template."""
        f = self._entry_facts.get(tmpl)
        if f is None:
            f = self._entry_facts[tmpl] = entry_facts(tmpl)
        return f

    def _entry_declined(self, fn, params) -> bool:
        """Whether the interpreter must not enter ``fn`` for ``params``
        (jittypes.entry_declined), noted once for --stats."""
        why = entry_declined(fn.node, list(params), self.heavy_names, self.entry_facts(fn.node))
        if why is not None and (fn.name or "<anonymous>") not in self.interpreted_entries:
            self.interpreted_entries[fn.name or "<anonymous>"] = why
            self.stats["entries_declined"] += 1
        return why is not None

    def _settle(self, tmpl, sig: Signature, env, key) -> tuple[Signature, Typer]:
        """Type ``tmpl`` until its return type settles, starting from the
        provisional ``sig`` (what a recursive call returns meanwhile; None:
        not known, so what depends on it waits for the next pass)."""
        self.in_progress[key] = sig
        for _ in range(3):
            typer = self._type_function(tmpl, sig, env)
            self._unread |= typer.unread
            rets = typer.returns or {UNDEF}
            if rets == {INT, NUM}:
                rets = {NUM}
            if sig.ret is None and len(rets) > 1:
                rets.discard(None)  # (a recursive call's, not known on this pass)
            if NULL in rets:
                rets = (rets - {NULL}) | {OBJ}  # (null: an object reference)
            if len(rets) != 1 or None in rets:
                raise NotCompilable(f"returns {sorted(map(str, rets))}")
            ret = rets.pop()
            if ret == sig.ret:
                return sig, typer
            sig = Signature(sig.params, ret)
            self.in_progress[key] = sig
        raise NotCompilable("return type does not settle")

    def _type_function(self, tmpl, sig: Signature, env: tuple | None = None) -> Typer:
        fixed = dict(zip(unit_params(tmpl), sig.params, strict=True))  # its shape passed shape_declined
        typer = Typer(self, fixed, {}, env=env, ints=tmpl not in self.no_int)
        typer.scope = tmpl.fs
        if closures_inlined(tmpl.fs):
            typer.home = tmpl.fs
            typer.for_each_guard = self.for_each_guard
        typer.run(tmpl.node.body)
        return typer

    def unit_id_for(self, fn, sig: Signature) -> tuple[int, bool]:
        """The uid of (fn, sig); whether the module needs an external declaration."""
        key = (fn.node, sig.params)
        unit = self.units.get(key)
        if unit is not None and unit.address:
            return unit.uid, True
        if unit is not None:
            return unit.uid, False
        raise NotCompilable("callee not planned")

    def function_address(self, fn) -> int:
        for unit in self.units.values():
            if unit.fn is fn:
                return unit.address
        return 0

    def compile_function(self, fn) -> int | None:
        """Compile ``fn`` (and its uncompiled callees) for its recorded
        argument types -- or, if a callee is a function with loops not yet
        worth compiling whole, the call count of ``fn`` to try again at
        (until then it stays interpreted, and the callee's loops run
        natively on their own)."""
        why = REST_ENTRY if fn.node.rest is not None else feedback_declined(fn)
        if why is not None:
            self.stats["not_compiled"] += 1
            self.reasons[fn.name or "<anonymous>"] = why
            return
        params = [feedback_type(bits) for bits in fn.feedback]
        if not shape_declined(fn.node) and self._entry_declined(fn, params):
            return
        unit = self.units.get((fn.node, tuple(params)))
        if unit is not None and unit.native is not None:
            if unit.closure is None:
                # Another closure of the same function was compiled for these
                # types and its code uses nothing of that closure: share it.
                fn.native = unit.native
            elif (
                unit.closure is not fn
                and (cells := self._rebind(unit, fn)) is not None
                and (native := self._native_entry(unit, fn, cells)) is not None
            ):
                fn.native = native  # (its code, with this closure's cells)
                self.stats["closures_rebound"] += 1
            elif unit.closure is not fn and fn.node not in self._declined_closures:
                self.reasons[fn.name or "<anonymous>"] = "compiled for another closure of the same function"
                self.stats["not_compiled"] += 1  # (once: a loop may make a new closure every call)
                self._declined_closures.add(fn.node)
            return
        t0 = time.perf_counter()
        self._pending: list = []
        self._unread = False
        sig = self.signature_for(fn, params, fn.env)
        if sig is None:
            self.stats["not_compiled"] += 1
            return
        young = [f for f, _ in self._pending if f is not fn and f.native is None and f.calls < whole_at(f, self.hooks)]
        waits = self._waits.get(fn.node, 0)
        if self._unread and waits < UNREAD_WAITS:  # (a load that has not run yet would be typed a number)
            self._waits[fn.node] = waits + 1
            young = True
        if young:
            self._pending = []
            self.stats["compile_ms"] += (time.perf_counter() - t0) * 1e3
            return max(fn.calls * 2, fn.calls + 8)
        try:
            self._build(self._pending, None)
            for f, _ in self._pending:  # (a reason an earlier try gave, for another signature, no longer holds)
                self.reasons.pop(f.name or "<anonymous>", None)
        except NotCompilable as e:
            self.reasons[fn.name or "<anonymous>"] = str(e)
            self.stats["not_compiled"] += 1
            for f, s in self._pending:
                self.units.pop((f.node, s.params), None)
                self.failed.add((f.node, s.params))
            return
        finally:
            self.stats["compile_ms"] += (time.perf_counter() - t0) * 1e3

    def _plan_function(self, fn, sig: Signature) -> UnitPlan:
        tmpl = fn.node
        env = fn.env if self._bound.get((tmpl, sig.params)) is fn else None
        typer = self._type_function(tmpl, sig, env)
        annotations = [a for stmt in tmpl.node.body for a in annotate(stmt, typer)]
        uid = self.next_uid
        self.next_uid += 1
        params = unit_params(tmpl)
        plan = UnitPlan("function", uid, tmpl.node.body, dict(typer.types), params, sig, typer.globals, typer.callees)
        plan.env = env
        plan.env_cells, plan.other_cells = typer.env_cells, typer.other_cells
        plan.home = typer.home
        plan.scope = typer.scope
        plan.expansions = typer.expansions
        plan.annotations = annotations
        own = (b for b in typer.types if b not in params and b.fscope is tmpl.fs)  # (not an inlined callback's)
        plan.region_vars = params + sorted(own, key=lambda b: b.slot)
        loops = [n for s in tmpl.node.body for n in _loops_in(s) if isinstance(n, (A.For, A.While))]
        plan.loop_ids = {node: k + 1 for k, node in enumerate(loops)}
        parents = self.parents_of(tmpl.fs)  # (what _resume_function walks)
        plan.top_loops = {
            n for n in plan.loop_ids if not any(isinstance(o, (A.For, A.While, A.DoWhile)) for o in _owners(n, parents))
        }
        plan.resumable = {n for n in plan.loop_ids if _chain(n, None, parents)}
        self._agree_on_globals(plan)
        return plan

    def _build(self, functions: list, loop_plans) -> None:
        """Plan, emit, blind, compile and load one module."""
        self._ensure_cache()
        new_units: list = []
        try:
            self._build_units(functions, loop_plans, new_units)
        except BaseException:
            # Units are registered before they are emitted (their callers in
            # the batch find them there); one the build never loaded must not
            # stay, or a later module would call it as its own: an undefined
            # symbol at best.
            for u in new_units:
                if u.address == 0 and self.units.get((u.fn.node, u.sig.params)) is u:
                    del self.units[(u.fn.node, u.sig.params)]
            raise

    def _build_units(self, functions: list, loop_plans, new_units: list) -> None:
        mb = ModuleBuilder(self)
        for fn, sig in functions:
            key = (fn.node, sig.params)
            if key in self.units:
                continue
            plan = self._plan_function(fn, sig)
            unit = FunctionUnit(plan.uid, fn, sig, plan)
            unit.closure = fn if plan.env is not None else None
            self.units[key] = unit
            new_units.append(unit)
        for u in new_units:
            UnitEmitter(mb, u.plan).emit_function()
        loop_plans = [] if loop_plans is None else loop_plans if isinstance(loop_plans, list) else [loop_plans]
        for lp in loop_plans:
            if self._reaches_cold(lp.plan):
                # (an exit in a callee resumes at the loop's last commit: a
                # loop that commits every 4096 log entries would be rolled
                # back and left again, one interpreted iteration a time)
                lp.plan.top_loops = set(lp.plan.resumable)
            UnitEmitter(mb, lp.plan).emit_loop()
        self.stats["callees_copied"] += len(mb.copies)
        blinded = blind_module(mb.module)
        self.stats["blinded_constants"] += blinded
        mb.tag_memory()
        text = str(mb.module)
        # Every module starts as a baseline; its O2 build comes from the other
        # core, and its inline caches start as warm as the baseline's (ics.locate)
        # -- unless an earlier run's O2 build of the same text was kept: then it
        # is the module at once.
        names = [f"js{k}_{u.uid}" for u in new_units for k in ("fn", "entry")]
        names += [f"jsloop_{lp.uid}" for lp in loop_plans]
        module = self._kept(text, 2, mb.externals, names)
        tiered = module is None and self.background is not None
        if tiered:
            # queued before the baseline is built: the other core starts on it now
            job = TierUp(dict(mb.externals), new_units, loop_plans, list(mb.ic_sites))
            self._optimise_later(job, text)
            padded = entry_pads(text, [f"jsfn_{u.uid}" for u in new_units])
            module = self._kept(padded, BASELINE, mb.externals, names) or self._fresh(padded, BASELINE, mb.externals)
        elif module is None:
            module = self._fresh(text, 2, mb.externals)
        self.stats["modules"] += 1
        if mb.ic_sites:
            p = module.placement
            self.ic.locate(mb.ic_sites, module.handle, p.code, p.code_size)
            self.stats["ic_sites"] += len(mb.ic_sites)
        calls = [site for site in mb.ic_sites if site.target is not None]
        for u in new_units + loop_plans:
            u.call_sites = list(calls)
            for fn, sig in u.plan.callees.items():
                callee = self.units.get((fn.node, sig.params))
                if callee is not None and callee not in new_units:
                    u.call_sites += [x for x in callee.call_sites if x not in u.call_sites]
        for u in new_units:
            if u.fn.name and self.entry_facts(u.fn.node)[0]:
                self.heavy_names.add(u.fn.name)
        for u in new_units:
            u.address = module.address(f"jsfn_{u.uid}")
            u.entry = ENTRY(module.address(f"jsentry_{u.uid}"))
            u.globals, u.guards = self._closure_of(u.plan)
            u.native = self._native_entry(u)
            if not self._entry_declined(u.fn, u.sig.params):  # (else compiled for its compiled callers only)
                u.fn.native = u.native
            self.stats["functions_compiled"] += 1
        for lp in loop_plans:
            lp.entry = ENTRY(module.address(f"jsloop_{lp.uid}"))
            lp.globals, lp.guards = self._closure_of(lp.plan)
            self.stats["loops_compiled"] += 1
        if tiered:
            job.module = module  # (set before any install: installs run on this thread)

    def _kept(self, text: str, opt, externals: dict, names: list):
        """The module an earlier run's object of ``text`` at ``opt`` loads
        as, if one was kept (None: build it).  One the loader refuses (a
        PKRU gadget, a relocation it cannot make, no ELF) or that lacks one
        of ``names`` is dropped."""
        if self.objects is None:
            return None
        obj = self.objects.get(text, opt)
        if obj is None:
            return None
        try:
            module = self.loader.load_object(obj, externals=externals)
            for name in names:
                module.address(name)
            return module
        except (JitError, SandboxError):
            self.objects.drop(text, opt)
            return None

    def _fresh(self, text: str, opt, externals: dict):
        """The module built from ``text`` at ``opt`` now, its object kept for later runs."""
        obj = emit_object(text, opt)
        if self.objects is not None:
            self.objects.put(text, opt, obj)
        return self.loader.load_object(obj, externals=externals)

    # --- the second tier -----------------------------------------------------------------------

    def _optimise_later(self, job: TierUp, text: str) -> None:
        ready, words, objects = self._ready, self.ctx.words, self.objects

        def built(obj, error) -> None:  # (on the worker thread)
            if obj is not None and objects is not None:
                objects.put(text, 2, obj)  # (a later run of the same module loads it at once)
            job.obj, job.error = obj, error
            ready.append(job)
            words[C_TIER_UP] = 1  # a running loop unit leaves at its next back-edge
            self.built += 1

        if self.background.submit(text, built):
            self.stats["tier_ups_queued"] += 1

    def install_ready(self, running: bool = False) -> None:
        """Put the optimised builds that are ready in place of their
        baselines: the interpreter's entries now enter the new code, and
        each baseline function's entry pad jumps to its replacement, so
        compiled callers (and recursion in progress) follow.  Called only
        where no compiled code is running, or (``running``) from a compiled
        function's entry: then a loop unit below it still runs its baseline,
        so the flag stays up for that loop to leave at its next back-edge.
        A unit retired meanwhile (an int32 check failed) keeps its state; a
        build that fails to load leaves the baseline in place."""
        self.ctx.words[C_TIER_UP] = 0
        loops = False
        ready = self._ready
        while ready:
            job = ready.pop(0)
            if job.module is None:  # its baseline never loaded (the build raised): nothing to replace
                continue
            if job.error is not None:
                self.stats["tier_ups_failed"] += 1
                self.reasons["(optimised build)"] = f"{type(job.error).__name__}: {job.error}"
                continue
            try:
                fresh = self.loader.load_object(job.obj, externals=job.externals)
            except (JitError, SandboxError) as e:
                self.stats["tier_ups_failed"] += 1
                self.reasons["(optimised build)"] = f"{type(e).__name__}: {e}"
                continue
            if job.sites:  # (before any of its code can run)
                p = fresh.placement
                self.ic.locate(job.sites, fresh.handle, p.code, p.code_size)
            for u in job.units:
                if u.deopts >= MAX_DEOPTS or self.units.get((u.fn.node, u.sig.params)) is not u:
                    continue
                name = f"jsfn_{u.uid}"
                address = fresh.address(name)
                try:
                    job.module.redirect(name, address)
                    self.stats["tier_up_redirects"] += 1
                except JitError:
                    self.stats["tier_up_redirects_refused"] += 1  # (its compiled callers keep the baseline)
                u.address = address
                u.entry = ENTRY(fresh.address(f"jsentry_{u.uid}"))
            for lp in job.loops:
                if lp.deopts < MAX_DEOPTS:
                    lp.entry = ENTRY(fresh.address(f"jsloop_{lp.uid}"))
                    loops = True
            self.stats["tier_ups"] += 1
        if running and (loops or over_budget(self.ic.run)):
            # (the flag also carries the allocator's "leave, the run's heap is
            # over budget": cleared here by a compiled function's poll, that
            # request was lost, and the run went on to HEAP_FULL, rolled back
            # and was entered again -- a livelock, docs/results.md)
            self.ctx.words[C_TIER_UP] = 1

    def _plans_reached(self, plan: UnitPlan):
        """``plan`` and the plans of every compiled function it calls, transitively, once each."""
        todo, seen = [plan], set()
        while todo:
            p = todo.pop()
            if id(p) in seen:
                continue
            seen.add(id(p))
            yield p
            for fn, sig in p.callees.items():
                u = self.units.get((fn.node, sig.params))
                if u is not None:
                    todo.append(u.plan)

    def _reaches_cold(self, plan: UnitPlan) -> bool:
        """Whether ``plan`` or a compiled function it calls has a cold branch,
        arm or statement: an exit that is no failed speculation, so it may be
        taken again and again (Tier._count_exit)."""
        return any(
            (any(value) if name == "cold" else value)
            for p in self._plans_reached(plan)
            for _, name, value in p.annotations
            if name in ("cold", "cold_stmt")
        )

    def _closure_of(self, plan: UnitPlan):
        """Globals (cell, type) and callee guards (cell, fn) of a unit and its callees."""
        globals_, guards = {}, {}
        for p in self._plans_reached(plan):
            for cell, t in p.globals.items():
                if isinstance(t, tuple):
                    guards[cell] = t[1]
                else:
                    self.global_slot(cell)
                    globals_[cell] = t
        return list(globals_.items()), list(guards.items())

    # --- entering native code from the interpreter ------------------------------------------------

    def _rebind(self, unit: FunctionUnit, fn) -> dict | None:
        """The cells ``fn`` -- another closure of the function ``unit`` is
        bound to (its code reads and writes that closure's captured
        variables) -- enters the unit's code with: each cell of the bound
        closure's environment its code (or a compiled callee bound to the
        same closure) reaches, to ``fn``'s cell at the same place of its
        environment, where ``fn``'s own code would find it.  None where the
        code reaches another closure's environment or names the bound
        closure other than through its own name (a global holding it: that
        call must run the bound closure, with its cells)."""
        bound, env = unit.closure, unit.plan.env
        if bound is None or env is None or fn.node is not bound.node or len(fn.env) != len(env):
            return None
        own, other = set(), set()
        for p in self._plans_reached(unit.plan):
            if p.env is not None and p.env is not env and not _siblings(p.env, env):
                return None  # (a sibling -- another closure the same call made -- has the same cells, in place)
            own |= p.env_cells
            other |= p.other_cells
        if own & other:
            return None
        places: dict = {}
        for d, frame in enumerate(env):
            for i, x in enumerate(frame):
                if type(x) is Cell:
                    places.setdefault(id(x), []).append((d, i))
        cells = {}
        for cell in own:
            found = {id(fn.env[d][i]) if i < len(fn.env[d]) else None for d, i in places.get(id(cell), ())}
            if len(found) != 1 or None in found:
                return None
            d, i = places[id(cell)][0]
            if type(fn.env[d][i]) is not Cell:
                return None
            cells[cell] = fn.env[d][i]
        for cell, g in unit.guards:
            if g is bound and cell not in cells:
                return None
            if g is not bound and type(g) is JSFunction and g.node is bound.node:
                return None
        return cells

    def _rebound_guards(self, unit, bound, closure, cells: dict) -> list | None:
        """``unit``'s guards as they read when ``closure`` enters code bound
        to ``bound`` with ``cells`` (:meth:`_rebind`): a guarded cell of the
        bound closure's holds ``closure`` now where it held ``bound``, and a
        sibling of ``bound`` (another closure of its call) where it held
        one -- the sibling ``closure``'s call made of the same function,
        whose code the unit calls with these same cells.  None: a cell
        holds anything else."""
        return _remapped_guards(
            unit.guards,
            cells,
            {id(bound): closure},
            lambda g: bool(g.env) and _siblings(g.env, bound.env),
            lambda cur: _siblings(cur.env, closure.env),
        )

    def _native_entry(self, unit: FunctionUnit, closure=None, cells: dict | None = None):
        """The interpreter's entry into ``unit``'s code; ``closure`` and
        ``cells``: entered as another closure of its function (:meth:`_rebind`)."""
        guards = None  # (as another closure: the guards' cells are its, and one naming the bound closure names it)
        if closure is not None:
            guards = self._rebound_guards(unit, unit.closure, closure, cells)
            if guards is None:
                return None
        params = unit.sig.params
        ret = unit.sig.ret
        frame = memoryview(unit.frame)  # (cheaper items than numpy's: this runs on every call)
        iframe = memoryview(unit.frame.view(np.int64))
        ctx = self.ctx
        fptr = unit.frame.ctypes.data
        cptr = ctx.address
        stats = self.stats
        n = len(params)
        nargs = unit.fn.node.nparams  # (then ``this``, if the function uses it)
        ref = self._ref
        checks = bool(unit.globals or unit.guards)
        w = ctx.w
        weighed = any(t in (OBJ, AOBJ) for t in params)  # (an entry given only numbers costs little)

        ic = self.ic

        def entered(args, this, off: bool):
            if w[C_TIER_UP]:  # (the worker raises it after each build it hands over)
                self.install_ready()
            stale_all(self.ic.fresh)
            arrays: dict = {}
            for k in range(n):
                v = args[k] if k < nargs else this
                t = params[k]
                if t == NUM:
                    if type(v) is not float:
                        stats["guard_declines"] += 1
                        return native
                    frame[F_VARS + k] = v
                elif t == BOOL:
                    if type(v) is not bool:
                        stats["guard_declines"] += 1
                        return native
                    frame[F_VARS + k] = 1.0 if v else 0.0
                else:
                    addr = ref(v, t, arrays)
                    if not addr and not (v is None and t == OBJ):  # (null: 0)
                        stats["guard_declines"] += 1
                        return native
                    iframe[F_VARS + k] = addr
            if checks and not self._sync_in(unit, arrays, cells, guards):
                stats["guard_declines"] += 1
                unit.declines += 1
                if unit.declines == DECLINES_TO_RECOMPILE and self._declined_again(unit):
                    self._recompile(unit)  # (a global's kind changed: typed afresh for what it holds now)
                return native
            if unit.call_sites:
                self.ic.revalidate(unit.call_sites)
            ctx.begin()
            frame[F_CKPT] = 0.0
            w[C_WORK] = 0
            stats["native_calls"] += 1
            self.ic.run = arrays
            status = unit.entry(cptr, fptr)
            self.ic.run = None
            if status == DEOPT:
                cold = self._count_exit(unit)
                ctx.rollback()
                self._objects_out(arrays)
                if unit.again:
                    self._recompile(unit)  # (this call resumes in the interpreter as any deopt's)
                ckpt = int(frame[F_CKPT])
                if ckpt == 0:  # nothing committed: the interpreter runs the call from the start
                    ctx.output.clear()
                    return native
                if unit.globals:
                    self._sync_out(unit, arrays, cells)
                self._flush()
                if cold:
                    self._skip_once(unit.loops_by_id[ckpt])
                if off:
                    gc.enable()  # (the interpreter runs the rest)
                return self._resume_function(unit, args, arrays, ckpt, closure)
            if arrays:
                self._objects_out(arrays)
            if unit.globals:
                self._sync_out(unit, arrays, cells)
            if ctx.output:
                self._flush()
            if weighed and unit.entries < SHALLOW_ENTRIES:
                self._weigh_entry(unit, w[C_WORK], unit.fn.name or "<anonymous>")
            if ret == NUM or ret == INT:
                return float(frame[F_RET])
            if ret == BOOL:
                return bool(frame[F_RET])
            if ret in REFS:
                return self._back(arrays, int(iframe[F_RET]), UNDEFINED, ret)
            return UNDEFINED

        def native(args, this=UNDEFINED):
            if unit.deopts >= MAX_DEOPTS and closure is not None and closure.native is native:
                closure.native = None  # (retired: this closure compiles, or is rebound, afresh when hot)
            if unit.deopts >= MAX_DEOPTS or len(args) < nargs or ic.run is not None or unit.shallow:
                return native  # (ic.run: a compiled run is in progress -- a constructor it called back for)
            return collector_off(entered, args, this)  # (entered's ``return native``: declined)

        return native

    def _weigh_entry(self, unit, work: int, name: str, least: int = SHALLOW_WORK) -> None:
        """Count an entry from the interpreter and the work it did; after
        SHALLOW_ENTRIES of them, under ``least`` on average makes the unit
        shallow, noted once (as ``name``) for --stats.  Loop units weigh
        with SHALLOW_LOOP_WORK: a short loop (Richards' worker closure: 4)
        or one leaving at a cold branch nearly every iteration (its
        scheduler) costs more in mirroring than it saves, so the hooks of
        its loops stop entering it (hotness.LoopHook)."""
        unit.entries += 1
        unit.work += work
        if unit.entries == SHALLOW_ENTRIES and unit.work < least * SHALLOW_ENTRIES:
            unit.shallow = True
            if name not in self.interpreted_entries:
                self.interpreted_entries[name] = (
                    f"{unit.work / unit.entries:.1f} calls and loop iterations per entry, taking objects: "
                    "cheaper interpreted than entered (each entry mirrors them)"
                )
                self.stats["entries_declined"] += 1

    def _resume_function(self, unit: FunctionUnit, args: list, arrays: dict, ckpt: int, closure=None):
        """Finish a call in the interpreter from the loop header its native
        code last committed at (with the variables it had there); of
        ``closure``, when another closure than the unit's entered it."""
        fn = closure or unit.fn
        tmpl = fn.node
        f = [UNDEFINED, fn.env] + [UNDEFINED] * (tmpl.frame_size - 2)
        frame, iframe = unit.frame, unit.frame.view(np.int64)
        for k, b in enumerate(unit.plan.region_vars):
            t = unit.plan.var_types[b]
            raw = frame[F_VARS + k]
            f[b.index] = (
                float(raw)
                if t in (NUM, INT)
                else bool(raw)
                if t == BOOL
                else self._back(arrays, int(iframe[F_VARS + k]), UNDEFINED, t)
            )
        if tmpl.self_index is not None:
            f[tmpl.self_index[0]] = fn
        if unit.plan.home is not None:  # (its inlined callbacks' captures: cells in the interpreter's frame)
            region = set(unit.plan.region_vars)
            for b in tmpl.fs.bindings:
                if b.captured:
                    kept = b in region or b is tmpl.fs.self_binding
                    f[b.index] = Cell(f[b.index] if kept else TDZ if b.kind in ("let", "const") else UNDEFINED)
        arrays.clear()  # (all is in f now: what the run allocated and dropped goes before the call goes on)
        engine = self.engine
        engine.depth += 1
        try:
            c = engine.interp.resume_at_loop(unit.loops_by_id[ckpt], f, None, self.parents_of(tmpl.fs))
        finally:
            engine.depth -= 1
        return f[0] if c == RETURN else UNDEFINED

    def on_hot_call(self, fn) -> int | None:
        if self.ic.run is not None:  # (a constructor compiled code called back for: not in the middle of its run)
            return fn.calls + 8
        if fn.native is None:
            try:
                return self.compile_function(fn)
            except Exception as e:  # (a compiler bug must never break the program)
                self.declined(fn.name or "<anonymous>", e)

    def declined(self, what: str, e: Exception) -> None:
        """Record why ``what`` stays interpreted: a refusal (it cannot be
        compiled, the code cache said no), or the compiler's own fault --
        any other exception, IR that does not verify, a symbol its modules
        do not define -- counted apart, as nothing a program can cause."""
        self.stats["not_compiled"] += 1
        fault = not isinstance(e, (NotCompilable, SandboxError)) or isinstance(e, (InvalidIRError, RelocationError))
        if fault:
            self.reasons[what] = f"internal compiler error: {type(e).__name__}: {e}"
            self.stats["internal_errors"] = self.stats.get("internal_errors", 0) + 1
        else:
            self.reasons[what] = str(e)

    # --- loops (OSR) ---------------------------------------------------------------------------------

    def enclosing_loops(self, loop: A.Node, fs) -> list:
        parents = self.parents_of(fs)
        out, node = [], loop
        while node is not None and node in parents:
            owner = parents[node][0]
            if isinstance(owner, (A.For, A.While)):
                out.append(owner)
            node = owner
        return out

    def parents_of(self, fs) -> dict:
        p = self._parents.get(fs)
        if p is None:
            p = self._parents[fs] = _parents(fs.node.body)
        return p

    def _compile_loop(self, loop: A.Node, fs, f):
        """Compile a hot loop (entered at its header now): as its outermost
        enclosing loop's unit, entered at this loop's header now and at the
        outer loop's header later -- a loop nest costs one unit in one
        module -- or, where that cannot be, alone.  (unit, where to enter
        it: None, or (this loop's id in the unit, the outer loop)), or
        (None, None)."""
        t0 = time.perf_counter()
        try:
            outer = self.enclosing_loops(loop, fs)
            hook = self.hooks.get(outer[-1]) if outer else None
            if hook is not None and hook.unit is None and not hook.disabled and self._enterable(loop, outer[-1], fs):
                self._pending = []
                try:
                    nest = self._plan_loop(outer[-1], fs, f)
                    lid = nest.plan.loop_ids.get(loop)
                    if not lid:
                        raise NotCompilable("the hot loop is not one of its nest's")
                    self._build(self._pending, [nest])
                except NotCompilable as e:
                    self.reasons[f"loop at {outer[-1].pos[0]}:{outer[-1].pos[1]}"] = str(e)
                else:
                    hook.unit = nest
                    hook.eager = True
                    code = label_code(f"#nest{nest.uid}", BREAK)
                    outer[-1].break_codes.add(code)  # (the interpreter's loop: "finished natively")
                    return nest, (lid, outer[-1], code)
            self._pending = []
            try:
                unit = self._plan_loop(loop, fs, f)
                self._build(self._pending, [unit])
            except NotCompilable as e:
                self.reasons[f"loop at {loop.pos[0]}:{loop.pos[1]}"] = str(e)
                self.stats["not_compiled"] += 1
                return None, None
            return unit, None
        finally:
            self.stats["compile_ms"] += (time.perf_counter() - t0) * 1e3

    def _enterable(self, loop: A.Node, outer: A.Node, fs) -> bool:
        """Whether native code can take over at ``loop``'s header inside
        ``outer``: only blocks, ifs and for/while loops lie between (no
        iterator, switch or try whose state the frame does not hold), and
        the interpreter's ``outer`` can be told it finished."""
        if getattr(outer, "break_codes", None) is None:
            return False
        return _chain(loop, outer, self.parents_of(fs), through=(A.For, A.While, A.Block, A.If))

    def _plan_loop(self, loop: A.Node, fs, f) -> LoopUnit:
        """Type a loop for the values its variables hold in ``f`` and plan its unit."""
        bindings, fixed, outside = loop_inputs(loop, f)
        closure_fns, shared = self._closures_called(loop, bindings, f)
        if shared:
            fixed = {b: t for b, t in fixed.items() if b not in shared}
            outside = [b for b in outside if b not in shared]
        ints = loop not in self.no_int
        typer = Typer(self, fixed, {}, env=f[1], ints=ints)  # (f[1]: the running closure's environment)
        typer.scope = fs
        typer.cells_held = any(b.captured for b in bindings)  # (jittypes.frame_value)
        typer.closure_fns, typer.shared = closure_fns, shared
        if inlines_callbacks(loop):  # (its arrows compiled in place: their variables the unit's, as a function unit's)
            typer.home = fs
            typer.for_each_guard = self.for_each_guard
        typer.nulls = {b for b, t in fixed.items() if t == OBJ and frame_value(f, b) is None}
        if ints:  # an integral input starts as an int32; one the loop makes a double widens
            for b, t in fixed.items():
                if t == NUM and int32_valued(f[b.index]):
                    fixed[b] = typer.types[b] = INT
                    typer.soft.add(b)
        typer.run([loop])
        if typer.returns == {INT, NUM}:
            typer.returns = {NUM}
        if typer.returns and (len(typer.returns) != 1 or UNDEF in typer.returns or None in typer.returns):
            raise NotCompilable("returns from the loop with mixed or undefined values")
        held = {b for b in bindings if b.captured and b not in shared and b not in closure_fns}
        bound = (tmpl for tmpl, _ in self._bound if _nested_in(tmpl.fs, fs) and not _passed_in(tmpl, loop))
        if held and any(_reaches(tmpl, held) for tmpl in bound):
            # (a compiled closure of this function would read and write the
            # cells this unit holds in registers)
            raise NotCompilable("uses its captured variables while a compiled closure of its function may too")
        annotations = annotate(loop, typer)
        uid = self.next_uid
        self.next_uid += 1
        region = [b for b in bindings if b in typer.types]
        loop_ids = {}
        for node in _loops_in(loop):
            if isinstance(node, (A.For, A.While)):
                loop_ids[node] = len(loop_ids) + 1
        plan = UnitPlan(
            "loop",
            uid,
            [loop],
            dict(typer.types),
            [],
            None,
            typer.globals,
            typer.callees,
            region_vars=region,
            loop=loop,
            loop_ids=loop_ids,
        )
        plan.return_type = next(iter(typer.returns)) if typer.returns else None
        plan.resumable = {n for n in loop_ids if _chain(n, loop, self.parents_of(fs))} | {loop}
        plan.env = f[1] if typer.uses_env else None
        plan.scope = fs
        plan.expansions = typer.expansions
        plan.annotations = annotations
        plan.home = typer.home
        plan.closure_fns, plan.shared = closure_fns, shared
        if typer.cold_reasons:
            # (a cold exit resumes at the last commit: every loop of the unit
            # the interpreter can resume at commits every iteration, so that
            # it resumes at the header of the loop it left -- the unit may be
            # entered at any of them)
            plan.top_loops = set(plan.resumable)
        self._agree_on_globals(plan)
        unit = LoopUnit(uid, plan, fs)
        unit.outside = outside
        # (compiled where one held null or undefined: entered so again; one
        # compiled for an object declines them, as its code would leave at once)
        unit.nullable = {b for b in outside if frame_value(f, b) is None or frame_value(f, b) is UNDEFINED}
        unit.parents = self.parents_of(fs)
        return unit

    def _closures_called(self, loop: A.Node, bindings: list, f: list) -> tuple[dict, dict]:
        """The nested functions of the loop's function that ``loop`` calls
        (those jittypes.loop_inputs let through) -> the closure whose code
        the calls run -- the one their compiled code is bound to, else this
        call's -- and every captured variable of the function the loop names
        -> that closure's cell of it.  The loop reads and writes those
        through the cells' slots, as the callee's code does, so both see one
        value; at each entry they are this call's cells (:meth:`_closure_cells`)."""
        declared = declared_in(loop)
        called = {}
        for b in bindings:
            v = frame_value(f, b)
            if b not in declared and type(v) is JSFunction and made_here(v, f) and only_called(loop, b):
                called[b] = v
        if not called:
            return {}, {}
        canon = {}
        for b, fn in called.items():
            bound = {u.closure for (tmpl, _), u in self.units.items() if tmpl is fn.node and u.closure is not None}
            if len(bound) > 1:
                raise NotCompilable(f"nested function '{b.name}' is compiled for the closures of two calls")
            canon[b] = c = bound.pop() if bound else fn
            if len(c.env) != len(fn.env) or any(x is not y for x, y in zip(c.env[1:], fn.env[1:], strict=True)):
                raise NotCompilable(f"nested function '{b.name}' is compiled for another closure's enclosing calls")
        shared = {}
        for b in bindings:
            if not b.captured or b in called or b in declared:
                continue
            if b.name == "this" or b.kind not in ("let", "const", "var", "param", "function"):
                raise NotCompilable(f"'{b.name}' is captured by a closure (and the loop calls a nested function)")
            cells = {id(c.env[0][b.index]): c.env[0][b.index] for c in canon.values()}
            cell = next(iter(cells.values()))
            if len(cells) != 1 or type(cell) is not Cell:
                raise NotCompilable(f"'{b.name}' is in another cell for each nested function the loop calls")
            shared[b] = cell
        return canon, shared

    def _closure_cells(self, unit: LoopUnit, f: list) -> tuple | None:
        """At an entry of a loop unit calling nested functions: the cells of
        this call (frame ``f``) for those its code and its callees' were
        compiled with, and its guards as they read for it (as a rebound
        closure's, :meth:`_rebind`); None: declined -- a binding no longer
        holds a closure this call made of the function compiled, or a
        cell would be reached through two slots."""
        plan = unit.plan
        canon = list(plan.closure_fns.values())
        cells, now = {}, {}
        for b, fc in plan.closure_fns.items():
            cur = frame_value(f, b)
            if type(cur) is not JSFunction or cur.node is not fc.node or not made_here(cur, f):
                return None
            sig = plan.callees.get(fc)
            callee = self.units.get((fc.node, sig.params)) if sig is not None else None
            if callee is None:
                return None
            if cur is not fc and callee.closure is not None:
                found = self._rebind(callee, cur)
                if found is None:
                    return None
                for k, v in found.items():
                    if cells.setdefault(k, v) is not v:
                        return None
            now[id(fc)] = cur
        for b, cell in plan.shared.items():
            target = f[b.index]
            if type(target) is not Cell or cells.setdefault(cell, target) is not target:
                return None
        cells = {k: v for k, v in cells.items() if k is not v}
        direct = {id(c) for c, _ in unit.globals}
        if any(id(v) in direct for v in cells.values()):
            return None  # (a compiled callee uses this call's cell itself: it would be two slots)
        guards = _remapped_guards(
            unit.guards,
            cells,
            now,
            lambda g: any(_siblings(g.env, fc.env) for fc in canon),
            lambda cur: made_here(cur, f),  # (a sibling of a closure called: the one this call made)
        )
        return None if guards is None else (cells, guards)

    def _enter_loop(self, unit: LoopUnit, loop: A.Node, f: list, at: tuple | None = None):
        """Run ``unit`` from ``loop``'s header -- the unit's own loop, or
        (``at``: its id in the unit, the unit's loop, the code that tells the
        interpreter that loop finished) an inner loop of it.  The
        completion code for the interpreter, or None (declined: it runs on)."""
        if self.ic.run is not None:  # (a compiled run is in progress: a constructor it called back for)
            return None
        return collector_off(self._loop_run, unit, loop, f, at)

    def _loop_run(self, unit: LoopUnit, loop: A.Node, f: list, at: tuple | None, off: bool):
        if self.ctx.w[C_TIER_UP]:  # (a build is ready, or a loop left to switch)
            self.install_ready()
        plan = unit.plan
        if plan.env is not None and f[1] is not plan.env:
            self.stats["guard_declines"] += 1  # another closure's run of the loop: its variables are other cells
            unit.declines += 1
            return None
        cells = guards = None
        if plan.closure_fns:
            found = self._closure_cells(unit, f)
            if found is None:
                self.stats["guard_declines"] += 1
                unit.declines += 1
                return None
            cells, guards = found
        frame = unit.frame
        iframe = frame.view(np.int64)
        stale_all(self.ic.fresh)
        arrays: dict = {}
        types = plan.var_types
        for k, b in enumerate(plan.region_vars):
            v = f[b.index]
            if b.captured:  # (its cell: jittypes.frame_value)
                if type(v) is Cell:
                    v = v.v
                elif b in unit.outside:
                    self.stats["guard_declines"] += 1
                    unit.declines += 1
                    return None
            t = types[b]
            if b in unit.outside or (at is not None and v is not UNDEFINED):
                # (inside the nest every variable holds a live value, or
                # none yet: one of another type would be misread)
                if t == INT:
                    if not int32_valued(v):  # (a double now: compile the loop again, without int32s)
                        self.stats["guard_declines"] += 1
                        unit.overflowed = unit.again = True
                        self._recompile(unit)
                        return None
                elif (entry_type(v) if b in unit.nullable else value_type(v)) != t and not (v is None and t in ARRAYS):
                    self.stats["guard_declines"] += 1
                    unit.declines += 1
                    return None
            if t == NUM or t == INT:
                frame[F_VARS + k] = v if type(v) is float else 0.0
            elif t == BOOL:
                frame[F_VARS + k] = 1.0 if v is True else 0.0
            elif t == OBJ and v is UNDEFINED:
                iframe[F_VARS + k] = UNDEF_REF  # (a variable not assigned yet: not null)
            else:
                iframe[F_VARS + k] = self._ref(v, t, arrays)
        if (unit.globals or unit.guards) and not self._sync_in(unit, arrays, cells, guards):
            self.stats["guard_declines"] += 1
            unit.declines += 1
            return None
        if cells:
            self.stats["loops_rebound"] += 1
        if unit.call_sites:
            self.ic.revalidate(unit.call_sites)
        ctx = self.ctx
        ctx.begin()
        frame[F_CKPT] = float(at[0]) if at is not None else 0.0
        self.stats["osr_entries"] += 1
        weighed = bool(arrays) and unit.entries < SHALLOW_ENTRIES  # (it was given objects: mirrored)
        ctx.w[C_WORK] = 0
        self.ic.run = arrays
        status = unit.entry(ctx.address, frame.ctypes.data)
        self.ic.run = None
        if weighed:
            self._weigh_entry(unit, ctx.w[C_WORK], f"loop at {loop.pos[0]}:{loop.pos[1]}", SHALLOW_LOOP_WORK)
        cold = False
        if status == DEOPT:
            cold = self._count_exit(unit)
            ctx.rollback()
            if unit.again:
                self._recompile(unit)
        self._objects_out(arrays)
        self._write_back(unit, f, arrays)
        if unit.globals:
            self._sync_out(unit, arrays, cells)
        self._flush()
        top = loop if at is None else at[1]
        if status == DEOPT:
            target = unit.loops_by_id.get(int(frame[F_CKPT]), loop)
            if cold:
                self._skip_once(target, loop)
            arrays.clear()  # (all is in f now: what the run allocated and dropped goes before the loop goes on)
            if off:
                gc.enable()  # (the interpreter runs the rest)
            c = self.engine.interp.resume_at_loop(target, f, top, unit.parents)
            return c if c or at is None else at[2]
        if status == RETURNED:
            t = plan.return_type
            raw = frame[F_RET]
            if t in (NUM, INT):
                f[0] = float(raw)
            else:
                f[0] = bool(raw) if t == BOOL else self._back(arrays, int(iframe[F_RET]), UNDEFINED, t)
            return RETURN
        return 0 if at is None else at[2]

    def _count_exit(self, unit) -> bool:
        """A deopt: a failed speculation counts against the unit (MAX_DEOPTS
        of them and it is dropped); a cold branch taken does not, unless it
        is taken so often that leaving costs more than compiling saves.
        Whether it was a cold exit."""
        if self.ctx.words[C_DEOPT] == TIER_UP:
            self.stats["tier_up_exits"] += 1
            return False
        if self.ctx.words[C_DEOPT] == HEAP_FULL:  # (not a failed speculation; the interpreter runs that iteration)
            self.stats["allocation_exits"] += 1
            return True
        if self.ctx.words[C_DEOPT] == OVERFLOW:
            unit.overflowed = unit.again = True
            self.stats["int_overflows"] += 1
            return False
        if self.ctx.words[C_DEOPT] == COLD_EXIT:
            unit.cold += 1
            self.stats["cold_exits"] += 1
            if unit.cold == COLD_EXITS_TO_RECOMPILE:
                self._again_within(unit, self.cold_recompiles, MAX_COLD_RECOMPILES)
            if unit.cold % COLD_EXITS_PER_DEOPT:
                return True
            unit.deopts += 1
            return True
        unit.deopts += 1
        self.stats["deopts"] += 1
        if unit.deopts == MAX_DEOPTS:  # (dropped: compiled again once, with the feedback the interpreter has now)
            self._again_within(unit, self.deopt_recompiles, MAX_DEOPT_RECOMPILES)
        return False

    @staticmethod
    def _again_within(unit, counts: dict, limit: int) -> None:
        """Mark ``unit`` to be compiled again, unless its function or loop
        has been ``limit`` times already (``counts``: function or loop -> times)."""
        key = unit.plan.loop if unit.plan.kind == "loop" else unit.fn.node
        n = counts.get(key, 0)
        if n < limit:
            counts[key] = n + 1
            unit.again = True

    def _recompile(self, unit) -> None:
        """Retire ``unit`` and the functions it calls, and compile them
        afresh -- functions now, a loop at its next hot entry
        (apps.js.hotness.LoopHook).  After an int32 check failed in one of
        them (which one is not known), none uses int32s again, as V8
        deoptimises a small-integer speculation for good.  After a cold
        branch ran COLD_EXITS_TO_RECOMPILE times, the branch -- or what it
        calls -- has run in the interpreter since: typed again it may
        compile (V8 deoptimises on an unreached branch and optimises again
        with the feedback it then has)."""
        no_ints = unit.overflowed
        unit.deopts = MAX_DEOPTS  # (retired: its entry declines from now on)
        if unit.plan.kind == "loop" and no_ints:
            self.no_int.add(unit.plan.loop)
        again = []
        for p in list(self._plans_reached(unit.plan)):
            if p.kind != "function":
                continue
            for key, u in list(self.units.items()):
                if u.plan is p:
                    if no_ints:
                        self.no_int.add(key[0])
                    del self.units[key]
                    u.deopts = MAX_DEOPTS
                    if u.fn.native is u.native:
                        u.fn.native = None
                    again.append(u.fn)
        self.stats["int_recompiles" if no_ints else "recompiles"] += 1
        for fn in again:
            self.on_hot_call(fn)

    def _declined_again(self, unit) -> bool:
        """Whether ``unit``'s function may be compiled again after its
        globals declined its entries (counted: MAX_DECLINE_RECOMPILES)."""
        tmpl = unit.fn.node
        n = self.decline_recompiles.get(tmpl, 0)
        if n >= MAX_DECLINE_RECOMPILES:
            return False
        self.decline_recompiles[tmpl] = n + 1
        return True

    def _skip_once(self, *loops) -> None:
        """The interpreter runs the iteration a cold exit left before the
        loop's hook re-enters native code (which would leave again)."""
        for loop in loops:
            h = self.hooks.get(loop)
            if h is not None:
                h.skip = True

    def _write_back(self, unit: LoopUnit, f: list, arrays: dict) -> None:
        frame = unit.frame
        iframe = frame.view(np.int64)
        types = unit.plan.var_types
        for k, b in enumerate(unit.plan.region_vars):
            t = types[b]
            if t == NUM or t == INT:
                v = float(frame[F_VARS + k])
            elif t == BOOL:
                v = bool(frame[F_VARS + k])
            elif t == OBJ:
                v = self._back(arrays, int(iframe[F_VARS + k]), frame_value(f, b), OBJ)
            elif (addr := int(iframe[F_VARS + k])) == NULL_ARRAY_REF:
                v = None  # (a packed array's null: shapes.NULL_ARRAY)
            else:
                a = self._back(arrays, addr, None)
                v = a if a is not None else frame_value(f, b)
            if b.captured and b in unit.outside:
                f[b.index].v = v  # (the cell stays: closures hold it)
            elif b.captured:  # (declared in the loop: captured only by its arrows compiled in place)
                f[b.index] = Cell(v)
            else:
                f[b.index] = v

    def snapshot(self) -> dict:
        s = dict(self.stats)
        if self.cache is not None:
            c = self.cache.snapshot()
            s.update(
                wx=c["wx"],
                code_bytes=c["code_bytes"],
                write_windows=c["windows"],
                scans=c["scans"],
                scan_hits=c["scan_hits"],
                replaced=c["replaced"],
                refused=c["refused"],
            )
        return s


def _chain(node, top, parents: dict, through: tuple | None = None) -> bool:
    """Whether ``parents`` leads from ``node`` up to ``top`` (a loop in no
    statement list -- another loop's whole body, a labelled one -- breaks
    the chain), passing only owners of the ``through`` kinds if given."""
    while node is not top:
        if node not in parents:
            return False
        node = parents[node][0]
        if through is not None and node is not top and not isinstance(node, through):
            return False
    return True


def _remapped_guards(guards: list, cells: dict, replaced: dict, sibling, made) -> list | None:
    """Guards ``(cell, expected)`` as they read for another call's closures
    (:meth:`Tier._rebind`, :meth:`Tier._closure_cells`): each cell mapped
    through ``cells``; an expected closure in ``replaced`` (by id) is its
    replacement; one a ``sibling`` of those, in a mapped cell, is what that
    cell holds now -- which must be a closure of the same function that
    the entering call ``made``.  None: a cell holds anything else."""
    out = []
    for c, g in guards:
        now = cells.get(c, c)
        r = replaced.get(id(g))
        if r is not None:
            g = r
        elif now is not c and type(g) is JSFunction and sibling(g):
            cur = now.v
            if type(cur) is not JSFunction or cur.node is not g.node or not made(cur):
                return None
            g = cur
        out.append((now, g))
    return out


def _siblings(a: tuple, b: tuple) -> bool:
    """Whether closure environments ``a`` and ``b`` are of one call: its
    frame's cells in the same places, the same enclosing environments."""
    if len(a) != len(b) or len(a[0]) != len(b[0]) or any(x is not y for x, y in zip(a[1:], b[1:], strict=True)):
        return False
    return all(x is y for x, y in zip(a[0], b[0], strict=True) if type(x) is Cell or type(y) is Cell)


def _nested_in(scope, fs) -> bool:
    """Whether function scope ``scope`` is ``fs`` or lies inside it."""
    while scope is not None:
        if scope is fs:
            return True
        scope = scope.parent
    return False


def _passed_in(tmpl, loop) -> bool:
    """Whether ``tmpl`` is an arrow ``loop`` compiles in place: the loop's
    unit never calls its compiled code."""
    return any(type(n) is A.Call and inlined_callback(n) is tmpl.node for n in walk(loop))


def _reaches(tmpl, held: set) -> bool:
    """Whether function ``tmpl`` (or a closure it makes) names one of the
    enclosing function's variables in ``held`` -- its compiled code would
    read or write that cell while a loop unit holds it in a register."""
    stack = [tmpl.node]
    while stack:
        n = stack.pop()
        if isinstance(n, (A.Ident, A.This)) and type(n.ref) is Outer and n.ref.binding in held:
            return True
        stack.extend(A.child_nodes(n))
    return False


def _loops_in(loop):
    return [n for n in walk(loop) if isinstance(n, (A.For, A.While, A.DoWhile))]


def _owners(node, parents: dict) -> list:
    out = []
    while node in parents and parents[node][0] is not None:
        node = parents[node][0]
        out.append(node)
    return out


def _parents(body: list) -> dict:
    """statement -> (owner node, its statement list, index)."""
    out: dict = {}

    def visit_list(owner, stmts):
        for i, s in enumerate(stmts):
            if s is None:  # (a top-level statement that already ran: the program let it go)
                continue
            out[s] = (owner, stmts, i)
            visit(s)

    def visit(s):
        if isinstance(s, A.Block):
            visit_list(s, s.body)
        elif isinstance(s, A.If):
            visit_list(s, [s.then])
            if s.other is not None:
                visit_list(s, [s.other])
        elif isinstance(s, (A.While, A.DoWhile, A.For)):
            visit_list(s, [s.body])

    visit_list(None, body)
    return out


def _global_value_type(v) -> str | None:
    """A global's type in compiled code: its value's, an object reference for
    null (Richards' ``const NO_TASK = null`` sentinels)."""
    return OBJ if v is None else value_type(v)
