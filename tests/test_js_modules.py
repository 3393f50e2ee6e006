"""apps/js: programs across files, as node 20 runs them -- CommonJS
(require, module.exports, cycles, JSON) and ES modules (import/export,
re-exports, a CommonJS file imported), and node's built-in modules."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from libmpk.apps.js.engine import run_source

NODE = shutil.which("node")

FILES = {
    "esm_main.js": """
import assert, { strictEqual } from "node:assert";
import * as util from "util";
import def, { x as ex, sq, Counter } from "./lib.js";
import cjs from "./cjs.js";
export * from "./lib.js";
export { ex as renamed };
console.log(def(3), ex, sq(4), new Counter().inc().n, typeof this, cjs.hello("w"));
strictEqual(sq(3), 9); assert.deepStrictEqual({ a: [1] }, { a: [1] });
console.log(util.format("%s-%d", "a", 1), util.inspect({ a: { b: { c: {} } } }, { depth: 0 }));
try { assert.strictEqual(1, 2); } catch (e) { console.log(e.name, e.code, JSON.stringify(e.message)); }
try { assert.deepStrictEqual([1, 2], [1, 3]); } catch (e) { console.log(e.name, e.code, e instanceof Error); }
try { undeclared = 1; } catch (e) { console.log(e.name, e.message); }
export default function main() { return 1; }
""",
    "lib.js": """
export const x = 42;
export function sq(n) { return n * n; }
export class Counter { n = 0; inc() { this.n++; return this; } }
export default (v) => v * 100;
console.log("lib loaded", typeof this);
""",
    "cjs.js": """
const greeting = "hi";
module.exports = { hello: (n) => `${greeting} ${n}` };
console.log("cjs loaded", this === module.exports, __filename.endsWith("cjs.js"));
""",
    "cjs_main.js": """
const a = require("./a.js");
const data = require("./data.json");
console.log("main", a.name, a.fromB, data.list.length, require("./a") === a, require.main === module);
try { require("./nope"); } catch (e) { console.log(e.code); }
const { performance } = require("perf_hooks");
console.log(typeof performance.now(), typeof module, typeof exports, Object.keys(globalThis).includes("require"));
""",
    "a.js": """
exports.name = "a";
const b = require("./b.js");
exports.fromB = b.seenA;
""",
    "b.js": """
const a = require("./a.js");
exports.seenA = a.name + "(partial)";
console.log("b sees", a.name, module.id.endsWith("b.js"), require.main === module);
""",
    "data.json": '{"list": [1, 2, 3]}',
}

EXPECTED = {
    "esm_main.js": (
        "lib loaded undefined\ncjs loaded false true\n300 42 16 1 undefined hi w\na-1 { a: [Object] }\n"
        'AssertionError ERR_ASSERTION "Expected values to be strictly equal:\\n\\n1 !== 2\\n"\n'
        "AssertionError ERR_ASSERTION true\nReferenceError undeclared is not defined\n"
    ),
    "cjs_main.js": "b sees a true false\nmain a a(partial) 3 true true\nMODULE_NOT_FOUND\nnumber object object false\n",
}


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    for name, text in FILES.items():
        (tmp_path / name).write_text(text)
    return tmp_path


@pytest.mark.parametrize("main", sorted(EXPECTED))
@pytest.mark.parametrize("jit", [False, True])
def test_a_program_across_files_prints_what_node_prints(tree, main, jit):
    path = tree / main
    status, out, err = run_source(path.read_text(), str(path), jit=jit)
    assert status == 0, err
    assert out == EXPECTED[main]
    if NODE:
        assert subprocess.run([NODE, str(path)], capture_output=True, text=True, timeout=60).stdout == out


def test_a_builtin_module_this_engine_lacks_is_refused_by_name(tree):
    (tree / "fs.js").write_text('const fs = require("fs");\nconsole.log(fs);\n')
    status, out, err = run_source((tree / "fs.js").read_text(), str(tree / "fs.js"), jit=False)
    assert status == 1 and out == ""
    assert "the 'fs' module is not supported by this engine" in err


def test_mpk_run_loads_modules_relative_to_the_file_not_the_working_directory(tree, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("cwd")
    p = subprocess.run(
        [sys.executable, "-m", "libmpk", "run", "--no-jit", str(tree / "cjs_main.js")],
        capture_output=True, text=True, timeout=120, cwd=elsewhere,
    )  # fmt: skip
    assert p.returncode == 0, p.stderr
    assert p.stdout == EXPECTED["cjs_main.js"]


_MEMBERS = ["method", "getter", "static method", "method of a class expression", "field initialiser", "template arrow"]


@pytest.mark.parametrize("member", _MEMBERS)
def test_an_error_in_a_class_member_names_the_module_of_the_class(tmp_path, member):
    """A class's methods are functions of the module that defines them,
    like any other (CD's RedBlackTree threw in cd.js, reported as the
    harness's file at cd.js's line) -- and so are its field initialisers
    and an arrow written inside a template literal's ``${}``."""
    (tmp_path / "lib.js").write_text(
        "class K {\n  m(o) { return o.x.y; }\n  get g() { return null.q; }\n  static s(o) { return o.x.y; }\n}\n"
        "const E = class {\n  m(o) { return o.x.y; }\n};\n"
        "class F { f = null.q; }\nconst T = { t: () => `${(() => null.r)()}` };\nmodule.exports = { K, E, F, T };\n"
    )
    call = {"method": "new lib.K().m({})", "getter": "new lib.K().g", "static method": "lib.K.s({})",
            "method of a class expression": "new lib.E().m({})", "field initialiser": "new lib.F()",
            "template arrow": "lib.T.t()"}[member]  # fmt: skip
    main = f'const lib = require("./lib");\nfunction run() {{\n  return {call};\n}}\nrun();\n'
    (tmp_path / "main.js").write_text(main)
    status, out, err = run_source(main, str(tmp_path / "main.js"), jit=False)
    assert status == 1
    first, text = err.splitlines()[:2]
    line = {"method": 2, "getter": 3, "static method": 4, "method of a class expression": 7, "field initialiser": 9,
            "template arrow": 10}[member]  # fmt: skip
    assert first.startswith(f"{tmp_path / 'lib.js'}:{line}:"), err
    assert text == (tmp_path / "lib.js").read_text().splitlines()[line - 1], err


@pytest.mark.parametrize("where", ["a function it exports", "its top level", "the program, called from it"])
def test_an_uncaught_error_names_the_file_and_line_it_was_thrown_in(tmp_path, where):
    """node names the module whose code threw, with that file's line -- not
    the program's file with the program's line of the same number."""
    (tmp_path / "lib.js").write_text(
        "function deep(o) {\n  return o.x.y;\n}\n"
        + ("null.z;\n" if where == "its top level" else "")
        + "module.exports = { deep, call: (f) => f() };\n"
    )
    main = 'const lib = require("./lib");\nconsole.log("start");\n'
    main += {"a function it exports": "lib.deep({});\n", "its top level": "",
             "the program, called from it": "lib.call(() => undefined.w);\n"}[where]  # fmt: skip
    (tmp_path / "main.js").write_text(main)
    status, out, err = run_source(main, str(tmp_path / "main.js"), jit=False)
    assert status == 1
    first, text = err.splitlines()[:2]
    if where == "the program, called from it":
        assert first == f"{tmp_path / 'main.js'}:3:26" and text == "lib.call(() => undefined.w);", err
    elif where == "its top level":
        assert first == f"{tmp_path / 'lib.js'}:4:6" and text == "null.z;", err
    else:
        assert first == f"{tmp_path / 'lib.js'}:2:14" and text == "  return o.x.y;", err
