"""Attacks on the compiled objects ``mpk run`` keeps (jit.objcache).

A kept object becomes code.  Where it is read from is guarded as the
parse cache's trees are (libmpk.filestore: this user's private directory
and files only -- tests/attacks/test_parse_cache.py); what is read is
loaded as any fresh object is, so an object carrying a PKRU-changing
gadget is refused by the code cache's scan before a byte of it becomes
executable, and one that is truncated, or another module's, is refused by
the loader.  Each refused object is dropped, the module built afresh, and
the program prints what node prints."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from libmpk.apps.js.engine import Engine
from libmpk.apps.js.parsecache import ParseCache
from libmpk.filestore import PrivateStore
from libmpk.jit.compiler import emit_object

from ..test_js import expected

PROGRAM = Path(__file__).parent.parent / "js" / "jit" / "native_object_allocation.js"
GADGET_IR = 'define void @g() {\n  call void asm sideeffect ".byte 0x0f, 0x01, 0xef", ""()\n  ret void\n}\n'
OTHER_IR = "define i64 @jsfn_999(i64 %x) {\n  ret i64 %x\n}\n"


def _run(store: PrivateStore) -> dict:
    out = io.StringIO()
    engine = Engine(out=out, background_jit=False)  # (every module at O2, kept at once)
    engine.parse_cache = ParseCache(store)
    r = engine.run_source(PROGRAM.read_text(), str(PROGRAM))
    assert r.error is None, r.error_text
    assert out.getvalue() == expected(PROGRAM)
    return engine.stats()


@pytest.mark.parametrize("what", ["a WRPKRU gadget", "truncated", "another module", "not ELF"])
def test_a_kept_object_that_does_not_load_is_dropped_and_built_again(tmp_path, what):
    store = PrivateStore(tmp_path / "c")
    first = _run(store)
    kept = sorted(p for p in store.directory.iterdir() if p.suffix == ".o")
    assert first["modules"] >= 1 and len(kept) == first["modules"]
    planted = {
        "a WRPKRU gadget": emit_object(GADGET_IR, 2),
        "truncated": kept[0].read_bytes()[:200],
        "another module": emit_object(OTHER_IR, 2),
        "not ELF": b"\x00" * 4096,
    }[what]
    assert what != "a WRPKRU gadget" or b"\x0f\x01\xef" in planted
    for p in kept:
        p.write_bytes(planted)
        os.chmod(p, 0o600)
    second = _run(store)
    pc = second["disk_cache"]
    replaced = sum(p.read_bytes() != planted for p in kept)  # (each one looked up: the program's modules)
    assert pc["objects_read"] == 0 and pc["objects_refused"] == replaced >= len(kept) - 2, (pc, replaced)
    assert second["scan_hits"] == (replaced if what == "a WRPKRU gadget" else 0), second
    third = _run(store)
    assert third["disk_cache"]["objects_read"] >= replaced  # (and the cache works again)


def test_objects_are_not_kept_in_a_directory_others_can_write(tmp_path):
    d = tmp_path / "c"
    d.mkdir()
    os.chmod(d, 0o777)
    store = PrivateStore(d)
    for _ in range(2):
        s = _run(store)
        assert s["disk_cache"]["objects_read"] == s["disk_cache"]["objects_stored"] == 0
    assert not list(d.iterdir())
