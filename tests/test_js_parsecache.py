"""``mpk run``'s parse cache (apps.js.parsecache): a tree read back is the
tree the parser makes, a program run through it prints what node prints,
and it is used only as documented (stored at the second sight, read after)."""

from __future__ import annotations

import io
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from libmpk.apps.js import ast as A
from libmpk.apps.js import parsecache, parser
from libmpk.apps.js.engine import Engine
from libmpk.apps.js.parsecache import ParseCache

HERE = Path(__file__).parent / "js"
PROGRAMS = sorted((HERE / "conformance").glob("*.js")) + sorted((HERE / "jit").glob("*.js"))
_MISSING = object()


def _slots(n) -> list[str]:
    return [s for c in type(n).__mro__ for s in getattr(c, "__slots__", ())]


def same_tree(a, b, seen: set | None = None) -> None:
    """Assert that ``a`` and ``b`` are the same tree: node types, every slot
    (positions and rare annotations included), lists, tuples and values."""
    seen = set() if seen is None else seen
    stack = [(a, b, "tree")]
    while stack:
        x, y, where = stack.pop()
        assert type(x) is type(y), where
        if isinstance(x, A.Node | A.ClassMember):
            if (id(x), id(y)) in seen:
                continue
            seen.add((id(x), id(y)))
            for s in _slots(x):
                stack.append((getattr(x, s, _MISSING), getattr(y, s, _MISSING), f"{where}.{s}"))
        elif isinstance(x, list | tuple):
            assert len(x) == len(y), where
            stack.extend((u, v, f"{where}[{i}]") for i, (u, v) in enumerate(zip(x, y, strict=True)))
        elif isinstance(x, dict):
            assert x.keys() == y.keys(), where
            stack.extend((x[k], y[k], f"{where}[{k!r}]") for k in x)
        elif isinstance(x, float) and x != x:
            assert y != y, where
        else:
            assert x == y, where


@pytest.mark.parametrize("path", PROGRAMS, ids=lambda p: p.name)
def test_a_tree_read_back_is_the_tree_the_parser_makes(path):
    text = path.read_text()
    source = (str(path), text)
    tree = parser.parse(text, source)
    same_tree(tree, pickle.loads(pickle.dumps(tree, pickle.HIGHEST_PROTOCOL)))


def _run(path: Path, cache: ParseCache | None) -> str:
    out = io.StringIO()
    engine = Engine(out=out, jit=False)
    engine.parse_cache = cache
    r = engine.run_source(path.read_text(), str(path))
    assert r.error is None, r.error_text
    return out.getvalue()


def test_a_program_and_its_modules_are_stored_at_the_second_run_and_read_at_the_third(tmp_path, monkeypatch):
    monkeypatch.setattr(parsecache, "MIN_CHARS", 0)
    lib = tmp_path / "lib.js"
    lib.write_text("class P { constructor(x) { this.x = x; } get twice() { return this.x * 2; } }\n"
                   "module.exports = { P, label: (p) => `p${p.twice}` };\n")  # fmt: skip
    main = tmp_path / "main.js"
    main.write_text(
        'const { P, label } = require("./lib");\nconsole.log(label(new P(21)), [1, 2].map((v) => v * 3));\n'
    )
    cache = ParseCache(tmp_path / "cache")
    outs = []
    for expected in ((0, 2, 0), (0, 4, 2), (2, 4, 2)):  # (hits, misses, stores) so far
        outs.append(_run(main, cache))
        assert (cache.hits, cache.misses, cache.stores) == expected
    assert outs == ["p42 [ 3, 6 ]\n"] * 3
    assert sorted(p.suffix for p in (tmp_path / "cache").iterdir()) == [".tree", ".tree"]
    assert os.stat(tmp_path / "cache").st_mode & 0o777 == 0o700


def test_every_conformance_program_runs_the_same_from_its_cached_tree(tmp_path, monkeypatch):
    """Each program's third run reads its tree back and prints what the first printed."""
    monkeypatch.setattr(parsecache, "MIN_CHARS", 0)
    cache = ParseCache(tmp_path / "cache")
    hits = 0
    for path in sorted((HERE / "conformance").glob("*.js"))[:40]:
        first = _run(path, None)
        assert [_run(path, cache) for _ in range(3)] == [first] * 3, path.name
        assert cache.hits == hits + 1, path.name
        hits = cache.hits


def test_a_changed_text_is_parsed_again(tmp_path, monkeypatch):
    monkeypatch.setattr(parsecache, "MIN_CHARS", 0)
    cache = ParseCache(tmp_path / "cache")
    for _ in range(3):
        cache.parse("let a = 1;", None, "x.js")
    assert cache.hits == 1
    tree = cache.parse("let a = 2;", None, "x.js")
    assert cache.hits == 1 and tree.body[0].decls[0][1].value == 2.0
    cache.parse("let a = 1;", None, "y.js")  # (the same text at another path: another entry)
    assert cache.hits == 1


def test_a_syntax_error_is_reported_and_nothing_stored(tmp_path, monkeypatch):
    monkeypatch.setattr(parsecache, "MIN_CHARS", 0)
    cache = ParseCache(tmp_path / "cache")
    for _ in range(3):
        with pytest.raises(Exception, match="Unexpected"):
            cache.parse("let = ;", None, "bad.js")
    assert cache.stores == 0 and not list((tmp_path / "cache").glob("*.tree"))


def test_mpk_run_uses_it_and_can_be_told_not_to(tmp_path):
    prog = tmp_path / "p.js"
    prog.write_text("// padding\n" * 300 + "console.log([1, 2, 3].reduce((a, b) => a + b));\n")
    cache = tmp_path / "cache"

    def run(*opts, env=None):
        env = {**os.environ, "MPK_JS_CACHE": str(cache), **(env or {})}
        p = subprocess.run([sys.executable, "-m", "libmpk", "run", "--no-jit", "--stats", *opts, str(prog)],
                           capture_output=True, text=True, timeout=120, env=env)  # fmt: skip
        assert p.returncode == 0 and p.stdout == "6\n", p.stderr
        return p.stderr

    assert "0 trees read, 1 parsed (0 stored)" in run()
    assert "0 trees read, 1 parsed (1 stored)" in run()
    assert "1 trees read, 0 parsed (0 stored)" in run()
    assert "disk cache" not in run("--no-cache")
    assert "disk cache" not in run(env={"MPK_JS_CACHE": "0"})
