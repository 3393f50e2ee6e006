"""Modules across files, as node 20 loads them: CommonJS (``require``,
``module.exports``) and ES modules (``import``/``export``), plus node's
built-in modules (nodemods).

Each file runs once, as a program of its own: its top-level declarations
live in a scope of their own (the builtins' cells shared), so two files'
``const x`` never meet.  An ES module's namespace is read after its body has
run (a snapshot, not live bindings); a cycle sees what had run so far.
"""

from __future__ import annotations

import os

from . import nodemods, utf16
from .errors import JSError, JSThrow
from .jsonlib import parse_text
from .scope import Cell, Resolver, _Marker
from .values import UNDEFINED, Builtin, JSErrorObject, JSObject, to_str

COMMONJS = ("module", "exports", "require", "__filename", "__dirname")
_EXTENSIONS = ("", ".js", ".json", "/index.js")


class Loader:
    def __init__(self, engine) -> None:
        self.engine = engine
        self.cache: dict[str, JSObject] = {}  # absolute path -> the module object (exports / namespace)
        self.dirs: list[str] = [os.getcwd()]  # the directory of the file whose imports are loading

    # --- the main program's module scope ------------------------------------------------------

    def main_scope(self, filename: str) -> JSObject:
        """module/exports/require/__filename/__dirname for the program itself;
        returns its module object (whose exports are top-level ``this``)."""
        path = os.path.abspath(filename) if not filename.startswith("[") else os.path.join(os.getcwd(), filename)
        self.dirs = [os.path.dirname(path)]
        module = self._module_object(path)
        for name, value in self._commonjs_names(module, path).items():
            self.engine.globals[name] = Cell(value, name)
            self.engine.declared.add(name)  # (module-scoped in node: not on globalThis)
        return module

    def _module_object(self, path: str) -> JSObject:
        return JSObject({"id": ".", "path": os.path.dirname(path), "exports": JSObject(), "filename": path,
                         "loaded": False, "children": JSObject()})  # fmt: skip

    def _commonjs_names(self, module: JSObject, path: str) -> dict:
        base = os.path.dirname(path)
        require = Builtin("require", lambda a: self.require(to_str(a[0]) if a else "undefined", base))
        require.props["main"] = module if not self.cache else UNDEFINED
        return {"module": module, "exports": module.get("exports"), "require": require, "__filename": path,
                "__dirname": base}  # fmt: skip

    # --- require and import ------------------------------------------------------------------

    def require(self, spec: str, base: str):
        if not spec.startswith(("./", "../", "/")) and spec not in (".", ".."):
            return nodemods.load(self.engine.runtime, spec)
        path = self._resolve(spec, base)
        module = self.cache.get(path)
        if module is None:
            module = self._load(path)
        return module.get("exports")

    def import_(self, spec: str, pos=None):
        """The namespace object ``import ... from spec`` reads."""
        if not spec.startswith(("./", "../", "/")):
            mod = nodemods.load(self.engine.runtime, spec)
            ns = JSObject(dict(mod.props))
            ns.props["default"] = mod
            return ns
        path = self._resolve(spec, self.dirs[-1])
        module = self.cache.get(path)
        if module is None:
            module = self._load(path)
        ns = module.get("%namespace")
        if ns is UNDEFINED:  # a CommonJS file imported: its exports are the default
            exports = module.get("exports")
            ns = JSObject(dict(exports.props) if isinstance(exports, JSObject) else {})
            ns.props["default"] = exports
        return ns

    def _resolve(self, spec: str, base: str) -> str:
        target = os.path.normpath(os.path.join(base, spec))
        for ext in _EXTENSIONS:
            if os.path.isfile(target + ext):
                return target + ext
        err = JSErrorObject("Error", f"Cannot find module '{target}'")
        err.props["code"] = "MODULE_NOT_FOUND"
        raise JSThrow(err, self.engine.current_pos)

    def _load(self, path: str) -> JSObject:
        engine = self.engine
        module = self._module_object(path)
        module.props["id"] = path
        self.cache[path] = module
        with open(path, "rb") as f:
            text = utf16.to_units(f.read().decode("utf-8", errors="replace"))
        if path.endswith(".json"):
            module.props["exports"] = parse_text(text, engine.runtime)
            return module
        prog = engine.parse(text, (path, text), path)  # (an error in its code names this file)
        scope = {k: c for k, c in engine.globals.items() if k not in engine.declared}
        if not prog.module:
            for name, value in self._commonjs_names(module, path).items():
                scope[name] = Cell(value, name)
        Resolver(scope, set()).program(prog)
        run = engine.interp.program(prog, this=UNDEFINED if prog.module else module.get("exports"))
        self.dirs.append(os.path.dirname(path))
        try:
            run()
        except JSError as e:
            if e.source is None:
                e.source = (path, text)
            raise
        finally:
            self.dirs.pop()
        if prog.module:
            module.props["%namespace"] = namespace(prog, scope)
        module.props["loaded"] = True
        return module


def namespace(prog, scope: dict) -> JSObject:
    """An ES module's exports, read from its top-level bindings."""
    ns = JSObject()
    for exported, local in prog.exports or ():
        v = scope[local].v if local in scope else UNDEFINED
        if type(v) is _Marker:  # (a cycle: not initialised yet)
            v = UNDEFINED
        if exported == "*":
            if isinstance(v, JSObject):
                ns.props.update({k: x for k, x in v.props.items() if k != "default"})
            continue
        ns.props[exported] = v
    ns.proto = None
    return ns
