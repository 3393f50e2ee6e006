"""Attacks on ``mpk run``'s parse cache (apps.js.parsecache).

An entry is a pickle, and loading a pickle can call anything: whoever can
put a file where the cache reads runs code in every later ``mpk run``.  The
guarantee: an entry is read only from a directory this user owns and no
one else can write, only if the entry itself is this user's, not writable
by others and not a link -- and an entry that does not hold a tree is
dropped and the text parsed.  Each planted entry here would make a
directory if it were loaded."""

from __future__ import annotations

import os
import pickle

import pytest

from libmpk.apps.js import parsecache, parser
from libmpk.apps.js.parsecache import ParseCache

TEXT = "function f(a, b) { return a * b + 1; }\n" * 80  # (over MIN_CHARS)
PATH = "prog.js"


class _Payload:
    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.mkdir, (self.marker,))


def _plant(cache: ParseCache, marker, data: bytes | None = None) -> str:
    """A poisoned entry where the cache looks for TEXT's tree; its path."""
    assert cache.store.usable()
    entry = cache.directory / f"{cache._key(TEXT, PATH, None)}.tree"
    entry.write_bytes(pickle.dumps(_Payload(str(marker))) if data is None else data)
    os.chmod(entry, 0o600)
    return str(entry)


def _parse_twice(cache: ParseCache):
    trees = [cache.parse(TEXT, None, PATH) for _ in range(2)]
    for t in trees:  # (whatever was planted, the tree is the parser's)
        assert len(t.body) == 80 and t.body[0].func.name == "f"
    return trees


def test_the_attack_works_where_the_cache_trusts_the_entry(tmp_path):
    """The payload is live: planted with the right owner and mode, it runs
    (so the refusals below are the checks', not a dud payload's)."""
    cache = ParseCache(tmp_path / "c")
    _plant(cache, tmp_path / "ran")
    cache.parse(TEXT, None, PATH)
    assert (tmp_path / "ran").exists()


@pytest.mark.parametrize("mode", [0o777, 0o770, 0o722, 0o702])
def test_a_directory_others_can_write_is_not_used(tmp_path, mode):
    d = tmp_path / "c"
    d.mkdir()
    os.chmod(d, mode)
    cache = ParseCache(d)
    assert not cache.store.usable()
    _parse_twice(cache)
    assert cache.hits == cache.stores == 0 and not list(d.iterdir())


def test_a_directory_that_is_a_link_is_not_used(tmp_path):
    real = tmp_path / "real"
    real.mkdir(mode=0o700)
    (tmp_path / "c").symlink_to(real)
    cache = ParseCache(tmp_path / "c")
    assert not cache.store.usable()
    _parse_twice(cache)
    assert not list(real.iterdir())


def test_a_directory_of_another_user_is_not_used(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("needs root to give the directory away")  # (CI runs as root)
    d = tmp_path / "c"
    d.mkdir(mode=0o700)
    os.chown(d, 54321, -1)
    cache = ParseCache(d)
    assert not cache.store.usable()
    _parse_twice(cache)


@pytest.mark.parametrize("how", ["group-writable", "world-writable", "another user's", "a link"])
def test_a_planted_entry_is_not_loaded(tmp_path, how):
    cache = ParseCache(tmp_path / "c")
    marker = tmp_path / "ran"
    entry = _plant(cache, marker)
    if how == "group-writable":
        os.chmod(entry, 0o620)
    elif how == "world-writable":
        os.chmod(entry, 0o602)
    elif how == "another user's":
        if os.geteuid() != 0:
            pytest.skip("needs root to give the entry away")
        os.chown(entry, 54321, -1)
    else:
        target = tmp_path / "elsewhere.pickle"
        os.rename(entry, target)
        os.symlink(target, entry)
    _parse_twice(cache)
    assert not marker.exists() and cache.hits == 0


@pytest.mark.parametrize("what", ["truncated", "empty", "not a tree", "garbage"])
def test_an_entry_that_is_not_a_tree_is_dropped_and_the_text_parsed(tmp_path, what):
    cache = ParseCache(tmp_path / "c")
    good = pickle.dumps(parser.parse(TEXT), pickle.HIGHEST_PROTOCOL)
    data = {"truncated": good[: len(good) // 2], "empty": b"", "not a tree": pickle.dumps([1, 2, 3]),
            "garbage": os.urandom(4096)}[what]  # fmt: skip
    entry = _plant(cache, tmp_path / "unused", data)
    _parse_twice(cache)
    assert cache.hits == 0
    assert not os.path.exists(entry) or open(entry, "rb").read() != data  # (dropped, or replaced by a good store)
    for _ in range(2):
        cache.parse(TEXT, None, PATH)
    assert cache.hits >= 1  # (and the cache works again after)


def test_a_tree_is_never_read_for_another_text_or_path(tmp_path, monkeypatch):
    """The key covers text and path: an entry made for one program is never
    another's, even one that differs in a single character."""
    monkeypatch.setattr(parsecache, "MIN_CHARS", 0)
    cache = ParseCache(tmp_path / "c")
    for _ in range(3):
        cache.parse("let v = 1;", None, "a.js")
    assert cache.hits == 1
    assert cache.parse("let v = 7;", None, "a.js").body[0].decls[0][1].value == 7.0
    assert cache.parse("let v = 1;", None, "b.js") is not None
    assert cache.parse("let v = 1;", ("a.js", "let v = 1;"), "a.js").body[0].decls[0][1].value == 1.0
    assert cache.hits == 1
