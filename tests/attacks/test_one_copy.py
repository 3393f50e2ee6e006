"""One copy of the library per process.

In a checkout each layer's folder is also a top-level package, so ``import
sandbox`` (the checkout's root on ``sys.path``) used to load a second copy
beside ``libmpk.sandbox``: its own tables, and a rebinding of the link-time
symbols through which the first copy's compiled code finds its tables.  The
first copy's stores were then refused ("not the library's tables") -- and
numba's disk cache made it stick: a function cached under the name
``sandbox.hw.sync`` imports that name whenever it is loaded, so after one
``import sandbox`` every ``mpk`` run in that checkout loaded both copies.

The attacks: every layer imported by its folder's name, and a second copy
that passes the name check (loaded under another ``libmpk.`` name) trying to
rebind every symbol the library's code links against.  Each must be refused
with a LoadError, and the first copy must keep working.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from pathlib import Path

import llvmlite.binding as llvm
import pytest

from libmpk import sandbox
from libmpk.sandbox import PROT_READ, PROT_WRITE, arena, switch
from libmpk.sandbox.arena import ARENA
from libmpk.sandbox.hw import faults, sections, symbols

ROOT = Path(__file__).resolve().parents[2]
LAYERS = ["sandbox", "sandbox.hw.sync", "jit", "apps", "apps.js", "bench"]
RW = PROT_READ | PROT_WRITE


def _library_symbols() -> dict[str, int]:
    """Every link-time symbol the library binds, with its address."""
    bound = {
        arena.SYMBOL: ARENA.address,
        arena.MAILBOX_SYMBOL: ARENA.mailbox_address,
        faults._SYMBOL: faults._BUF,
        switch.FAST_BEGIN_SYMBOL: switch.c_fast_begin.address,
        switch.FAST_END_SYMBOL: switch.c_fast_end.address,
    }
    bound.update(sections.ADDRESSES)
    return bound


def _still_works(sb) -> None:
    """The tables take stores (the first thing the second copy broke), and a
    domain still opens and closes on a vkey's pages."""
    r = sb.mmap(77, 4096, PROT_READ)
    with sb.domain(77, RW):
        r.view()[:4] = b"\x01\x02\x03\x04"
    assert bytes(r.view()[:4]) == b"\x01\x02\x03\x04"
    sb.mprotect(77, RW)
    assert sb.protection(77) == RW
    sb.munmap(77)
    assert {n: llvm.address_of_symbol(n) for n in _library_symbols()} == _library_symbols()


def _unload(prefix: str) -> None:
    for name in [n for n in sys.modules if n == prefix or n.startswith(prefix + ".")]:
        del sys.modules[name]


@pytest.mark.parametrize("name", LAYERS)
def test_a_layer_imported_by_its_folder_name_is_refused(sb, name, monkeypatch):
    assert (ROOT / name.split(".")[0] / "__init__.py").is_file()  # a checkout: the folder is importable
    monkeypatch.syspath_prepend(str(ROOT))
    top = name.split(".")[0]
    try:
        with pytest.raises(sandbox.LoadError, match=f"import libmpk.{top}, not {top}"):
            importlib.import_module(name)
        assert top not in sys.modules  # nothing of a second copy stays behind
        with pytest.raises(ImportError):  # (LoadError is an ImportError: generic handlers still work)
            importlib.import_module(name)
    finally:
        _unload(top)
    _still_works(sb)


def test_a_second_copy_under_another_name_cannot_rebind_the_librarys_symbols(sb):
    name = "libmpk.sandbox_second_copy"
    spec = importlib.util.spec_from_file_location(
        name, ROOT / "sandbox" / "__init__.py", submodule_search_locations=[str(ROOT / "sandbox")]
    )
    copy = importlib.util.module_from_spec(spec)
    sys.modules[name] = copy
    try:
        spec.loader.exec_module(copy)  # its __init__ is cheap and binds nothing
        with pytest.raises(sandbox.LoadError, match="second copy"):
            importlib.import_module(name + ".hw.faults")  # binds the fault record's symbol at import
    finally:
        _unload(name)
    _still_works(sb)


def test_no_symbol_of_the_library_can_be_bound_to_another_address(sb):
    before = _library_symbols()
    assert len(before) >= 7 and all(before.values())
    for name, address in before.items():
        with pytest.raises(sandbox.LoadError, match=name):
            symbols.bind(name, address + 4096)
        symbols.bind(name, address)  # binding it again to the same address is no error
    _still_works(sb)
