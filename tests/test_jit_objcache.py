"""Compiled objects kept between runs (jit.objcache, used by ``mpk run``):
the same IR text gives back the same object, a JS program run again loads
its modules from the kept O2 objects (no LLVM, no background build), and
what it prints stays node's -- deopts and inline-cache patches included."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest

from libmpk.apps.js.engine import Engine
from libmpk.apps.js.parsecache import ParseCache
from libmpk.filestore import PrivateStore
from libmpk.jit.compiler import BASELINE, emit_object
from libmpk.jit.objcache import ObjectCache

from .test_js import DEOPTS, expected

HERE = Path(__file__).parent / "js" / "jit"
IR = "define i64 @twice(i64 %x) {\n  %r = shl i64 %x, 1\n  ret i64 %r\n}\n"


def test_an_object_is_kept_by_text_and_level(tmp_path):
    cache = ObjectCache(PrivateStore(tmp_path / "c"))
    assert cache.get(IR, 2) is None
    obj = emit_object(IR, 2)
    cache.put(IR, 2, obj)
    assert cache.get(IR, 2) == obj and cache.hits == 1 and cache.stores == 1
    assert cache.get(IR, BASELINE) is None  # (another level: another entry)
    assert cache.get(IR.replace("shl i64 %x, 1", "shl i64 %x, 2"), 2) is None
    assert cache.name(IR, 2) != cache.name(IR, BASELINE) != cache.name(IR + "\n", BASELINE)


def test_an_entry_that_is_no_object_is_dropped(tmp_path):
    cache = ObjectCache(PrivateStore(tmp_path / "c"))
    cache.store.put(cache.name(IR, 2), b"#!/bin/sh\necho planted\n")
    assert cache.get(IR, 2) is None and not (tmp_path / "c" / cache.name(IR, 2)).exists()


def _run(path: Path, store: PrivateStore) -> tuple[str, dict]:
    out = io.StringIO()
    engine = Engine(out=out)
    engine.parse_cache = ParseCache(store)
    r = engine.run_source(path.read_text(), str(path))
    assert r.error is None, r.error_text
    deadline = time.monotonic() + 60
    while engine.tier.built < engine.tier.stats["tier_ups_queued"] and time.monotonic() < deadline:
        time.sleep(0.02)  # (the O2 builds land, and are kept, on the worker's thread)
    return out.getvalue(), engine.stats()


def _twice(name: str, tmp_path) -> tuple[dict, dict]:
    path = HERE / f"{name}.js"
    store = PrivateStore(tmp_path / "c")
    out1, first = _run(path, store)
    out2, second = _run(path, store)
    assert out1 == out2 == expected(path)
    return first, second


def test_a_program_run_again_loads_its_kept_modules(tmp_path):
    first, second = _twice("native_object_allocation", tmp_path)
    assert first["modules"] >= 2 and first["disk_cache"]["objects_read"] == 0
    assert first["disk_cache"]["objects_stored"] >= first["modules"]  # (baselines; the O2 builds as they land)
    kept = second["disk_cache"]["objects_read"]
    assert kept >= 1, second
    assert second["tier_ups_queued"] == second["modules"] - kept  # (a kept O2 object needs no background build)


@pytest.mark.parametrize("name", ["deopt_ic_object_property_changes", "deopt_int32_overflow", "deopt_ic_method_calls"])
def test_deopts_from_kept_objects_stay_correct(name, tmp_path):
    """The second run's modules are the first run's O2 objects: its deopts,
    int32 overflows and invalidated call caches must go as the first's did."""
    first, second = _twice(name, tmp_path)
    counter = DEOPTS[name]
    assert second[counter] >= 1, second
