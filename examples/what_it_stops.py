"""What the protection is for: three attacks, each stopped.

    python examples/what_it_stops.py

1. A stray write (a bug, or an attacker's write primitive) into a secret kept
   in a vkey's pages, outside any domain: the process dies with SIGSEGV and the
   secret is unchanged.
2. A JIT asked to publish machine code that hides a WRPKRU (the instruction
   that rewrites this thread's protection rights) inside an ordinary
   instruction: the code cache refuses it before any byte becomes executable,
   and capstone says where the gadget is.
3. A write into already published JIT code from outside the cache's write
   window: SIGSEGV, the code is unchanged.

The attacks run in forked children, so this process survives to report them.
Runs on both backends: PKU where the CPU has it, page tables elsewhere.
"""

from __future__ import annotations

import ctypes

from libmpk import sandbox
from libmpk.jit import CodeCache, GadgetError, default_mode
from libmpk.sandbox.forked import run_in_child

SECRET = b"correct horse battery staple"


def _fault(out) -> str:
    f = out.fault
    if not out.segv:
        return f"NOT STOPPED ({out})"
    return "stopped: SIGSEGV" + (f" ({f.code_name} at {f.address:#x}, pkey {f.pkey})" if f else "")


def stray_write() -> bool:
    vkey = sandbox.new_vkey()
    region = sandbox.mmap(vkey, 4096, sandbox.PROT_NONE)
    with sandbox.domain(vkey, sandbox.PROT_READ | sandbox.PROT_WRITE):
        region.view()[: len(SECRET)] = SECRET

    address = region.address

    def attack() -> None:
        ctypes.memmove(address, b"owned", 5)  # no domain open

    out = run_in_child(attack)
    with sandbox.domain(vkey, sandbox.PROT_READ):
        intact = bytes(region.view()[: len(SECRET)]) == SECRET
    print(f"1. stray write into a secret outside its domain: {_fault(out)}; secret intact: {intact}")
    del region
    sandbox.munmap(vkey)
    return out.segv and intact


def hidden_wrpkru(cache: CodeCache) -> bool:
    # mov eax, 0x90ef010f; ret -- harmless at its start, but from offset 1
    # the immediate decodes as WRPKRU (0f 01 ef): a jump there sets PKRU.
    code = bytes.fromhex("b80f01ef90c3")
    p = cache.place(len(code))
    try:
        cache.commit(p, code)
    except GadgetError as e:
        cache.release(p)
        first = str(e).splitlines()[0]
        print(f"2. JIT code with a WRPKRU hidden in an immediate: refused before it became executable\n   {first}")
        return True
    print("2. JIT code with a hidden WRPKRU: NOT REFUSED")
    return False


def write_published_code(cache: CodeCache) -> bool:
    code = bytes.fromhex("b82a000000c3")  # mov eax, 42; ret
    p = cache.place(len(code))
    cache.commit(p, code)
    fn = ctypes.CFUNCTYPE(ctypes.c_int)(p.code)

    def attack() -> None:
        ctypes.memmove(p.code, b"\xcc", 1)  # outside cache.writable()

    out = run_in_child(attack)
    print(f"3. write into published JIT code outside its write window: {_fault(out)}; code still returns {fn()}")
    return out.segv and fn() == 42


def main() -> int:
    info = sandbox.init()
    print(f"backend {info['backend']} ({info['hw_keys']} hardware keys); JIT W^X mode {default_mode()}")
    cache = CodeCache(default_mode(), code_size=1 << 20, rodata_size=1 << 16, data_size=1 << 16)
    ok = [stray_write(), hidden_wrpkru(cache), write_published_code(cache)]
    cache.close()
    print("all three stopped" if all(ok) else "SOMETHING WAS NOT STOPPED")
    return 0 if all(ok) else 1


if __name__ == "__main__":
    raise SystemExit(main())
