"""The JIT tier as the interpreter sees it before anything is hot.

Loading the compiler (numba, llvmlite, the sandbox, the code cache) costs
~0.5 s here; ``console.log(1)`` should not pay for it, as node does not
pay for its optimising tier before a function is hot.  ``LazyTier`` counts
calls and loop iterations with no compiler behind it and loads the real
tier (apps.js.tier) on the first hot function or loop.

Hot enough to compile is not hot enough to load for: a function called a
few times by a short program (a setup, a check), compiled at its second
call, cost that program the whole load (0.5 s where it ran in 0.2 s).
Until the compiler is loaded, code must be hotter (``load_calls``,
``load_loops``): a few percent of the load's cost in interpreted work, so a
program that runs long pays that much more, one that ends first nothing
(AWFY, one iteration: NBody, Mandelbrot, DeltaBlue 0.75-0.99 s -> 0.17-0.22
s; at rebench's sizes within +-6%, noise here).
"""

from __future__ import annotations

import gc
import time

from . import ast as A
from . import collector
from .jittypes import REST_ENTRY, NotCompilable, feedback_declined, inlined_callback, loop_inputs, shape_declined, walk

MAX_DEOPTS = 3
LOOPY_HOT_CALLS = 10  # a function with loops compiles whole at this call; until then its hot loops run natively (OSR)
LOOPY_LATE_CALLS = 200  # ... or at this one, if a loop of it already runs natively (each call then costs little)
# Calls of a function without loops before it may load the compiler (~5 ms
# interpreted); one with loops costs more a call (AWFY NBody's advance():
# ~180 us), and may load it after a tenth as many.
LOAD_CALLS = 1000
LOAD_LOOPS = 10000  # a loop's iterations before it may (~10-50 ms interpreted)
CALL_ITERATIONS = 8  # a compiled function entered from an interpreted loop counts as this many of its iterations

STATS_START = {  # the JIT tier's counters before anything compiled (LazyTier.stats starts from it)
    "functions_compiled": 0,
    "loops_compiled": 0,
    "modules": 0,
    "compile_ms": 0.0,
    "native_calls": 0,
    "osr_entries": 0,
    "deopts": 0,
    "cold_exits": 0,
    "native_allocations": 0,
    "built_in_place": 0,
    "allocation_exits": 0,
    "string_chunks": 0,  # (apps.js.madestrings: one per chunk a run took)
    "guard_declines": 0,
    "not_compiled": 0,
    "entries_declined": 0,
    "closures_rebound": 0,  # (closures entering code compiled for another closure of their function)
    "loops_rebound": 0,  # (loop entries calling nested functions compiled for another call's closures)
    "blinded_constants": 0,
    "callees_copied": 0,
    "ic_sites": 0,
    "ic_misses": 0,
    "ic_patches": 0,
    "ic_megamorphic": 0,
    "ic_own_methods": 0,
    "ic_transitions": 0,
    "ic_patch_refused": 0,
    "ic_invalidated": 0,
    "int_overflows": 0,
    "int_recompiles": 0,
    "recompiles": 0,
    "tier_ups_queued": 0,
    "tier_ups": 0,
    "tier_ups_failed": 0,
    "tier_up_exits": 0,
    "tier_up_redirects": 0,
    "tier_up_redirects_refused": 0,
    "declined_iterations": 0,  # (iterations of loops the JIT declined: heat for the loops around them, interp)
}


def whole_at(fn, hooks: dict) -> int:
    """The call at which ``fn`` is worth compiling whole (0: at once).
    One whose body has loops waits until LOOPY_HOT_CALLS, as its hot
    loops compile on their own: a function run a few times (a main, a
    setup, a final check) would cost a module for nothing.  Once one of
    its loops runs natively, a call costs an OSR entry around work
    already compiled, and it waits until LOOPY_LATE_CALLS (a module for
    it, first a baseline, ran spectral's loops slower for longer than
    its 20 calls' entries cost) -- but not if such a loop takes objects:
    its entries mirror them in and out, and what one loop made is
    materialized for the next (AWFY Bounce's benchmark(): 5 ms a call
    through its loops, 0.9 ms compiled whole)."""
    tmpl = fn.node
    if tmpl.has_loops is False:
        return 0
    loops = [n for n in walk(tmpl.node) if isinstance(n, (A.For, A.While, A.DoWhile, A.ForOf))]
    tmpl.has_loops = bool(loops)
    if not loops:
        return 0
    units = [getattr(hooks.get(n), "unit", None) for n in loops]
    native = any(u is not None and not u.takes_objects for u in units)
    return LOOPY_LATE_CALLS if native else LOOPY_HOT_CALLS


def _array_callbacks(tmpl) -> bool:
    """Whether ``tmpl``'s body calls ``a.some(x => ...)`` or another of the
    callbacks compiled in place (jittypes.inlined_callback): a loop over
    ``a`` without a loop statement."""
    return any(type(n) is A.Call and inlined_callback(n) for s in tmpl.node.body for n in walk(s))


class LazyTier:
    """Stands in for apps.js.tier.Tier until the first hot code loads it;
    every attribute it lacks is the real tier's (loading it)."""

    def __init__(
        self,
        engine,
        wx: str | None = None,
        hot_calls: int = 2,
        hot_loops: int = 2000,
        background_jit: bool = True,
        load_calls: int = LOAD_CALLS,
        load_loops: int = LOAD_LOOPS,
    ) -> None:
        self.engine = engine
        self.wx = wx
        self.background_jit = background_jit
        self.hot_calls = hot_calls
        self.hot_loops = hot_loops
        self.load_calls = load_calls  # (until the compiler is loaded: module docstring)
        self.load_loops = max(load_loops, hot_loops)
        self.hooks: dict = {}  # loop node -> LoopHook, shared with the real tier
        self.reasons: dict[str, str] = {}  # why something was not compiled, shared too
        self.interpreted_entries: dict[str, str] = {}  # functions not entered from the interpreter, and why
        self.real = None
        self.load_ms = 0.0
        self.freeze = False  # gc.freeze() what the load leaves (numba's ~100k objects): only in a process we own
        self.declined = 0  # functions and loops refused before the compiler was loaded
        self.stats = dict(STATS_START)  # the real tier's counters (it counts into this dict): loops read them first

    def load(self):
        """The real tier, loaded on first use.  The cyclic collector is off
        meanwhile: the load only allocates objects that live as long as the
        process (numba's, llvmlite's, the sandbox's: ~110,000), so each
        collection it triggers walks them for nothing: a median ~90 ms of a
        ~700 ms load here (interleaved runs, docs/results.md)."""
        real = self.real
        if real is None:
            t0 = time.perf_counter()
            with collector.paused():
                real = self._load()
            self.load_ms = (time.perf_counter() - t0) * 1e3
        return real

    def _load(self):
        """Make the real tier, warm it up, and (in a process we own) freeze
        what the load left."""
        from .tier import Tier

        real = Tier(
            self.engine,
            self.wx,
            self.hot_calls,
            self.hot_loops,
            self.hooks,
            self.reasons,
            self.stats,
            self.background_jit,
        )
        real.interpreted_entries = self.interpreted_entries
        real.warm_up()
        self.real = real
        if self.freeze:
            # (no collection first: it found ~16 unreachable objects among
            # the load's ~110,000 and cost 45-60 ms, half of a short
            # program's whole run in node)
            gc.freeze()  # full collections during compilation then skip them
        return real

    @property
    def loaded(self) -> bool:
        return self.real is not None

    def loop_threshold(self) -> int:
        """Iterations at which a loop is hot: more while compiling it would
        mean loading the compiler first."""
        return self.hot_loops if self.real is not None else self.load_loops

    def on_hot_call(self, fn) -> int | None:
        """A function got hot: compile it (or say why not), or return the
        call count at which to ask again."""
        at = whole_at(fn, self.hooks)
        if fn.calls < at:
            return at
        if self.real is None:
            # What the compiler would refuse from the function's shape or
            # argument types alone is refused here, without loading it:
            # class-style programs then never pay for a compiler they cannot use.
            why = REST_ENTRY if fn.node.rest is not None else feedback_declined(fn) or shape_declined(fn.node)
            if why is not None:
                self.reasons[fn.name or "<anonymous>"] = why
                self.declined += 1
                return
            # (one with loops -- or with callbacks over arrays compiled in place,
            # loops without a loop statement -- loads the compiler ten times sooner)
            gate = self.load_calls // 10 if at or _array_callbacks(fn.node) else self.load_calls
            if fn.calls < gate:
                return gate
        return self.load().on_hot_call(fn)

    def loop_hook(self, loop, fs) -> LoopHook:
        hook = self.hooks[loop] = LoopHook(self, loop, fs)
        return hook

    def flush(self) -> None:
        if self.real is not None:
            self.real.flush()

    def snapshot(self) -> dict:
        s = self.real.snapshot() if self.real is not None else dict(self.stats)
        s["not_compiled"] += self.declined
        s["jit_loaded"] = self.real is not None
        s["jit_load_ms"] = round(self.load_ms, 1)
        return s

    def __getattr__(self, name: str):
        return getattr(self.load(), name)


class LoopHook:
    """Counts a loop's iterations (across executions) and, once it is hot,
    compiles it and enters it natively -- at its header, before the next
    iteration.  A hot inner loop makes its enclosing loops eager to compile
    themselves too, so a whole loop nest ends up native."""

    __slots__ = ("lazy", "loop", "fs", "total", "unit", "at", "disabled", "eager", "skip")

    def __init__(self, lazy: LazyTier, loop, fs) -> None:
        self.lazy = lazy
        self.loop = loop
        self.fs = fs
        self.total = 0
        self.unit = None
        self.at = None  # (id, outer loop, code): the unit is the outer loop's, entered at this one
        self.disabled = False
        self.eager = False
        self.skip = False  # after a cold exit: let the interpreter run this iteration first

    def exited(self, n: int) -> None:
        if self.disabled:
            # Its work is the enclosing loops' heat -- those running now, in
            # this function or a caller (``for (..) each(xs, function (v) {..})``:
            # each's loop is declined for holding a function; the caller's
            # loop compiles with it in place): interp's loop reads the count.
            self.lazy.stats["declined_iterations"] += n
            return
        self.total += n
        if self.unit is None and not self.disabled and self.total >= self.lazy.loop_threshold():
            self.eager = True

    def _disable(self) -> None:
        self.disabled = True
        self.eager = False

    def __call__(self, f: list, n: int):
        if self.disabled:
            return None
        if self.skip:
            self.skip = False
            return None
        if self.unit is None:
            if not self.eager and self.total + n < self.lazy.loop_threshold():
                return None
            if self.lazy.real is None:
                try:
                    loop_inputs(self.loop, f)  # what would refuse it before typing, without loading the compiler
                except NotCompilable as e:
                    self.lazy.reasons[f"loop at {self.loop.pos[0]}:{self.loop.pos[1]}"] = str(e)
                    self.lazy.declined += 1
                    self._disable()
                    return None
            tier = self.lazy.load()
            try:
                self.unit, self.at = tier._compile_loop(self.loop, self.fs, f)
            except Exception as e:  # (a compiler bug must never break the program)
                tier.declined(f"loop at {self.loop.pos[0]}:{self.loop.pos[1]}", e)
            if self.unit is None:
                self._disable()
                return None
            self.eager = True
            outer = tier.enclosing_loops(self.loop, self.fs)
            h = tier.hooks.get(outer[-1]) if outer else None
            if h is None or h.unit is None:  # (else the outermost loop was compiled with this one)
                for o in outer:
                    h = tier.hooks.get(o)
                    if h is not None and h.unit is None and not h.disabled:
                        h.eager = True
        if self.unit.shallow:  # (Tier._weigh_entry: entries cost more than they save)
            self._disable()
            return None
        if self.unit.deopts >= MAX_DEOPTS:
            if self.unit.again:  # (compile it again: with doubles if an int32 check failed)
                self.unit = self.at = None
                return None
            self._disable()
            return None
        r = self.lazy.real._enter_loop(self.unit, self.loop, f, self.at)
        if r is None and self.unit.declines > 8:
            self._disable()  # its types keep not matching: stop trying
        return r
