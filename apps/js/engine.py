"""Parse, resolve, compile and run a program; report errors like node."""

from __future__ import annotations

import io
import os
import sys
import threading

from . import collector, globalobj, modules, parser, promises, reflect, utf16
from .errors import JSError, JSInternalError, JSRangeError, ProgramExit
from .interp import Interpreter
from .promises import loop_of
from .runtime import Runtime
from .scope import Cell, Resolver

MAX_DEPTH = 9000  # JS call frames before "Maximum call stack size exceeded"
THREAD_STACK = 768 << 20
# How soon the thread waiting for the program sees a signal the program's
# thread took.  A process-wide signal (Ctrl-C) goes to any thread of the
# process; Python's C handler, run on the program's thread, only flags it for
# the main thread, which an untimed join() never wakes to look at.
SIGNAL_POLL_S = 0.05
UNSETTLED = 13  # node's exit status when a module's top-level await never settles
# CPython (3.11+) keeps Python frames in per-thread chunks of a data stack: a
# chunk is mmap'd when a call crosses the end of the last one and munmap'd
# when that call returns.  A recursive JS program that runs around such a
# boundary paid two system calls and fresh zeroed pages per call (AWFY
# Storage: 50k mmap/munmap pairs, sys time above user time).  The program's
# thread therefore starts in one frame whose declared value stack sizes its
# chunk (the chunk is the next power of two: ~2M free slots, enough for
# MAX_DEPTH JS frames; pages are touched only as deep as the program goes).
DATA_STACK_SLOTS = (1 << 21) + 1


def _in_one_chunk(fn):
    """Call ``fn`` on top of a frame that makes its thread's first data-stack
    chunk large (see DATA_STACK_SLOTS)."""
    return fn()


if sys.version_info >= (3, 11):
    _in_one_chunk.__code__ = _in_one_chunk.__code__.replace(co_stacksize=DATA_STACK_SLOTS)


class Result:
    """How a program ended: exit status, the uncaught error and its text."""

    __slots__ = ("status", "error", "error_text")

    def __init__(self, status: int, error: JSError | None = None, error_text: str = "") -> None:
        self.status = status
        self.error = error
        self.error_text = error_text


class Engine:
    def __init__(
        self,
        jit: bool = True,
        wx: str | None = None,
        seed: int = 42,
        out=None,
        hot_calls: int = 2,
        hot_loops: int = 2000,
        stats: bool = False,
        argv: list[str] | None = None,
        background_jit: bool = True,
        load_calls: int | None = None,
        load_loops: int | None = None,
    ) -> None:
        self.seed = seed
        self.argv = list(argv) if argv is not None else ["mpk", "[eval]"]
        self.depth = 0
        self.max_depth = MAX_DEPTH
        self.current_pos = None
        self.out = out or sys.stdout
        self.runtime = Runtime(self, self.out)
        self.globals: dict[str, Cell] = {}
        self.globals_builtin = self.runtime.make_globals()
        self.globals_builtin["Reflect"] = reflect.make_reflect(self.runtime)  # (over Object's functions)
        for name, value in self.globals_builtin.items():
            self.globals[name] = Cell(value, name)
        self.declared: set[str] = set()  # the program's top-level declarations (not the global object's)
        global_object = globalobj.make(self)
        for name in ("globalThis", "global"):
            self.globals[name] = Cell(global_object, name)
            global_object.hidden.add(name)
        self.tier = None
        if jit:
            from .hotness import LOAD_CALLS, LOAD_LOOPS, LazyTier

            # (load_calls/load_loops: how hot code must be to load the
            # compiler, apps.js.hotness; 0 -- as hot as to compile it)
            self.tier = LazyTier(
                self,
                wx=wx,
                hot_calls=hot_calls,
                hot_loops=hot_loops,
                background_jit=background_jit,
                load_calls=LOAD_CALLS if load_calls is None else load_calls,
                load_loops=LOAD_LOOPS if load_loops is None else load_loops,
            )
        self.interp = Interpreter(self)
        self.module = False  # run as an ES module (import/export, or an await at its top level)
        self.loader = modules.Loader(self)
        self.builtin_modules: dict = {}  # node's built-in modules, made when first required
        self.main_module = None
        self.parse_cache = None  # apps.js.parsecache.ParseCache (mpk run sets one; its store keeps objects too)
        self.module_promise = None  # that module's promise, once it runs

    def stats(self) -> dict:
        out: dict = {"jit": self.tier is not None}
        c = self.parse_cache
        if c is not None:
            out["disk_cache"] = pc = {"dir": str(c.directory), "read": c.hits, "parsed": c.misses, "stored": c.stores}
            if self.tier is not None and self.tier.loaded and self.tier.objects is not None:
                o = self.tier.objects
                pc["objects_read"], pc["objects_stored"], pc["objects_refused"] = o.hits, o.stores, o.refused
        if self.tier is not None:
            out.update(self.tier.snapshot())
            out["not_compiled_reasons"] = dict(self.tier.reasons)
            out["interpreted_entries"] = dict(self.tier.interpreted_entries)
            if self.tier.loaded:  # else the sandbox was never needed: leave it unloaded
                from libmpk import sandbox

                out["backend"] = sandbox.backend_name()
        return out

    def compile(self, source: str, filename: str = "<eval>"):
        """Parse, resolve and compile to closures.  The cyclic collector is
        off meanwhile: the front end only allocates (an AST and closures that
        all stay alive), so every collection it would trigger walks a growing
        heap for nothing -- quadratic time on big programs."""
        with collector.paused():
            prog = self.parse(source, None, filename)
            Resolver(self.globals, self.declared).program(prog)
            exports = self.main_module.get("exports") if self.main_module is not None else None
            run = self.interp.program(prog, this=exports)
            self.module = prog.module
            if not prog.top_await:
                return run

            # node reruns a script that awaits at its top level as an ES module: the body
            # runs as an async function's, and the program ends unsettled if it never finishes
            def run_module() -> None:
                self.module_promise = promises.run_async(self, run)

            return run_module

    def parse(self, text: str, source: tuple | None, path: str):
        """The program's or a module's tree (through the parse cache, if any)."""
        if self.parse_cache is None:
            return parser.parse(text, source)
        return self.parse_cache.parse(text, source, path)

    def eval(self, code):
        """``eval(code)``, run in the program's top-level scope: its names are
        seen and its var declarations join them.  A function's local
        variables are not in reach (an indirect eval's view, not a direct one's)."""
        from .errors import JSRuntimeSyntaxError

        if type(code) is not str:
            return code
        try:
            prog = parser.parse(code)
            Resolver(self.globals, self.declared).program(prog)
        except JSError as e:  # (a SyntaxError the program can catch)
            raise JSRuntimeSyntaxError(e.message, self.current_pos) from None
        return self.interp.evaluate(prog)

    def new_function(self, args: list[str]):
        """``Function(p1, ..., body)``: the text node makes of it, compiled in
        the global scope (so its toString is that text)."""
        from . import ast as A
        from .errors import JSRuntimeSyntaxError

        params, body = args[:-1], args[-1] if args else ""
        text = f"(function anonymous({','.join(params)}\n) {{\n{body}\n}})"
        try:
            prog = parser.parse(text)
            (stmt,) = prog.body
            if not (isinstance(stmt, A.ExprStmt) and isinstance(stmt.expr, A.Func)):
                raise JSRuntimeSyntaxError("Unexpected token ')'", self.current_pos)
            # (node runs a file as a module: its own declarations are not globals the function sees)
            Resolver({k: c for k, c in self.globals.items() if k not in self.declared}, None).program(prog)
        except JSError as e:  # (a SyntaxError a program can catch, unlike its own)
            raise JSRuntimeSyntaxError(e.message, self.current_pos) from None
        except ValueError:
            raise JSRuntimeSyntaxError("Unexpected token ')'", self.current_pos) from None
        return self.interp.global_value(prog, stmt.expr)

    def run_source(self, source: str, filename: str = "<eval>") -> Result:
        """Run a program; never raises for JS errors (they are reported)."""
        result = Result(0)
        source = utf16.to_units(source)  # positions count UTF-16 units, as V8's do
        self.main_module = self.loader.main_scope(filename)

        def body() -> None:
            try:
                program = self.compile(source, filename)
                program()
                loop_of(self).run()  # the microtasks, then the timers
                done = self.module_promise
                if done is not None and done.props[promises.STATE].state == "pending":
                    result.status = UNSETTLED
                else:
                    result.status = self.runtime.exit_code()
            except ProgramExit as e:
                result.status = e.status
            except JSError as e:
                result.status, result.error = 1, e
            except RecursionError:
                result.status = 1
                result.error = JSRangeError("Maximum call stack size exceeded", self.current_pos)
            except Exception as e:  # an engine bug: say so plainly, never a silent success
                result.status = 70
                result.error = JSInternalError(f"{type(e).__name__}: {e}", self.current_pos)
            finally:
                if self.tier is not None:
                    self.tier.flush()
            if result.error is not None:
                where, text = filename, source
                if self.module and not filename.startswith("["):  # node names a module by its URL
                    where = "file://" + os.path.abspath(filename)
                if result.error.source:  # (in a required module: node names it by its path)
                    where, text = result.error.source
                result.error_text = utf16.to_text(result.error.render(where, text))

        old_limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(old_limit, 200_000))
        old_size = threading.stack_size()
        threading.stack_size(THREAD_STACK)
        try:
            t = threading.Thread(target=_in_one_chunk, args=(body,), name="js-main")
            t.start()
            while t.is_alive():
                t.join(SIGNAL_POLL_S)  # (back in bytecode: Python runs a flagged handler here)
        finally:
            threading.stack_size(old_size)
            sys.setrecursionlimit(old_limit)
        return result


def run_source(source: str, filename: str = "<eval>", **kw) -> tuple[int, str, str]:
    """Run ``source``; (status, stdout, error text)."""
    out = io.StringIO()
    engine = Engine(out=out, **kw)
    r = engine.run_source(source, filename)
    return r.status, out.getvalue(), r.error_text


def run_file(path: str, **kw) -> Result:
    with open(path, encoding="utf-8") as f:
        source = f.read()
    engine = Engine(**kw)
    return engine.run_source(source, path)
