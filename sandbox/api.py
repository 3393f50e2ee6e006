"""The public, libmpk-shaped API over the process's one Sandbox.

begin/end go straight to the compiled switch and only fall back to Python
(sandbox.core) on a miss, so a domain switch on a cached vkey costs one
native call.
"""

from __future__ import annotations

import operator
import os
import sys
import threading

from numba.core.compiler_lock import global_compiler_lock

from . import backend as _backend
from . import switch, threads
from .arena import ARENA, H_REQ_SEQ
from .core import MAX_VKEY, Sandbox, check_vkey
from .errors import ArgumentError, SandboxError
from .heap import Heap
from .prot import PKRU_AD, PKRU_WD, PROT_EXEC, PROT_NONE, PROT_READ, PROT_WRITE
from .prot import check as check_prot
from .region import MemoryArray, Region, Reservation

_state: Sandbox | None = None
_init_lock = threading.Lock()


def init(evict_rate: int = 0, backend: str | None = None, sync_timeout: float = 5.0) -> dict:
    """Initialise the library (optional: the first use does it with defaults).

    ``evict_rate``: on a miss with no free hardware key, only one such miss in
    every ``evict_rate + 1`` evicts; the others use page-table protection.
    ``backend``: "pku" or "mprotect"; default $MPK_BACKEND, else automatic.
    ``sync_timeout``: seconds a process-wide PKRU update waits for every thread.
    Re-initialising is allowed while no vkey is mapped.  Returns :func:`info`.
    """
    global _state
    with _init_lock:
        if _state is not None:
            if _state.groups:
                raise SandboxError(
                    f"already initialised with {len(_state.groups)} mapped vkey(s); call shutdown() first"
                )
            _state.close()
            _state = None
        chosen = _backend.select(backend)
        _state = Sandbox(chosen, evict_rate, sync_timeout)
        if chosen.thread_local:
            threads.install()
        else:
            threads.uninstall()
    return info()


def _sb() -> Sandbox:
    s = _state
    if s is None:
        init()
        s = _state
    return s


def shutdown() -> None:
    """Unmap every vkey and return to the uninitialised state.

    Hardware keys stay allocated to the process (they are never given back to
    the kernel, so a later owner can never inherit stale tags).
    """
    global _state, _heap
    with _init_lock:
        if _state is not None:
            _state.close()
            _state = None
        _heap = None


def _abandon() -> None:
    """Drop all state without unmapping (tests recovering from a failed test)."""
    global _state
    global _heap
    with _init_lock:
        _state = None
        _heap = None


def begin(vkey: int, prot: int = PROT_READ | PROT_WRITE) -> None:
    """Give this thread ``prot`` on ``vkey``'s pages until the matching end().

    Under PKU this is a PKRU write for this thread only; on the mprotect
    backend (or for a vkey evicted from the key cache) it changes the page
    tables, i.e. for every thread.  Nestable.
    """
    # The compiled switch takes int64s only: anything else -- another type, or
    # an int outside [0, 2**63) (vkey | prot is, exactly when one of them is)
    # -- is checked here, raising ArgumentError/ProtError or becoming a plain
    # int; never reaches numba, which would raise its own errors or compile
    # a uint64 version.
    if type(vkey) is not int or type(prot) is not int or not 0 <= vkey | prot <= MAX_VKEY:
        vkey, prot = check_vkey(vkey), int(check_prot(prot))
    status = switch.fast_begin(vkey, prot)
    if status:
        _sb().begin_slow(vkey, prot, status)


def end(vkey: int) -> None:
    """Close this thread's innermost open domain on ``vkey``."""
    if type(vkey) is not int or not 0 <= vkey <= MAX_VKEY:  # as in begin
        vkey = check_vkey(vkey)
    status = switch.fast_end(vkey)
    if status:
        _sb().end_slow(vkey, status)


class domain:
    """``with sandbox.domain(vkey, prot):`` -- begin on entry, end on exit."""

    __slots__ = ("vkey", "prot")

    def __init__(self, vkey: int, prot: int = PROT_READ | PROT_WRITE) -> None:
        self.vkey = vkey
        self.prot = prot

    def __enter__(self) -> domain:
        begin(self.vkey, self.prot)
        return self

    def __exit__(self, *exc: object) -> None:
        end(self.vkey)


def mmap(vkey: int, length: int, prot: int, within: Reservation | None = None) -> Region:
    """Map ``length`` bytes (rounded up to pages) into ``vkey``'s page group,
    inside the reservation ``within`` if given."""
    return _sb().mmap(vkey, length, prot, within)


def reserve(length: int) -> Reservation:
    """Set aside address space (no memory) for :func:`mmap` ``within=``."""
    return _sb().reserve(length)


def pin(vkey: int) -> bool:
    """Keep ``vkey`` in a hardware key (never evicted) until :func:`unpin`;
    False where the backend has no hardware keys."""
    return _sb().pin(vkey)


def unpin(vkey: int) -> None:
    _sb().unpin(vkey)


def munmap(vkey: int) -> None:
    """Unmap ``vkey``'s whole page group (heap chunks included) and free its hardware key.

    BusyError while a view of its pages is alive: a region's, a heap chunk's,
    or anything derived from one (slices, dtype views, memoryviews).
    """
    _the_heap().munmap(vkey, _sb().munmap)


def protection(vkey: int) -> int:
    """``vkey``'s process-wide protection."""
    s = _sb()
    with s.lock:
        return s.group(check_vkey(vkey)).prot


# --- the protected heap ---------------------------------------------------------

_heap: Heap | None = None


def _the_heap() -> Heap:
    global _heap
    if _heap is None:
        with _init_lock:
            if _heap is None:
                _heap = Heap(sys.modules[__name__])
    return _heap


def malloc(vkey: int, size: int) -> int:
    """Allocate ``size`` bytes in ``vkey``'s page group; the chunk's address.

    The chunk is zeroed and carries the vkey's protection: reach it inside a
    domain (``chunk(ptr)`` gives a numpy view that also takes bytes).  The
    vkey must have been mmap'ed; the heap adds its own slabs to the group as
    it grows.
    """
    return _the_heap().malloc(check_vkey(vkey), size)


def calloc(vkey: int, count: int, size: int) -> int:
    """malloc of ``count * size`` zeroed bytes."""
    return _the_heap().calloc(check_vkey(vkey), count, size)


def realloc(ptr: int, size: int) -> int:
    """Grow or shrink a chunk (moving it within its vkey if needed); its address.
    BusyError while a view of the chunk is alive."""
    return _the_heap().realloc(ptr, size)


def free(ptr: int) -> None:
    """Zero and release a chunk.  Foreign pointers and double frees raise
    HeapError; BusyError while a view of the chunk is alive."""
    _the_heap().free(ptr)


def chunk(ptr: int) -> MemoryArray:
    """A uint8 numpy view of a live chunk, its requested size long (no copy).

    It also takes bytes-like values, copied in as raw bytes:
    ``chunk(p)[:5] = b"hello"`` (see :class:`MemoryArray`).  While it, or
    anything derived from it, is alive, the chunk cannot be freed or
    reallocated nor its vkey unmapped (BusyError).
    """
    return _the_heap().view(ptr)


def heap_stats() -> dict:
    return _the_heap().stats()


def mprotect(vkey: int, prot: int) -> None:
    """Set ``vkey``'s protection for every thread (its process-wide rights)."""
    _sb().mprotect(vkey, prot)


def new_vkey() -> int:
    """A vkey number no page group uses (from a range above small hand-picked ones)."""
    return _sb().fresh_vkey()


def regions(vkey: int) -> list[Region]:
    """The mappings in ``vkey``'s page group."""
    s = _sb()
    with s.lock:
        return list(s.group(check_vkey(vkey)).regions)


def _address(a: object) -> int:
    if isinstance(a, bool):
        raise ArgumentError("an address must be an int, not bool")
    try:
        a = operator.index(a)
    except TypeError:
        raise ArgumentError(f"an address must be an int, not {type(a).__name__}") from None
    if not 0 <= a < 1 << 64:
        raise ArgumentError(f"address {a:#x} is outside the 64-bit address space")
    return a


def access(address: int) -> int:
    """What this thread may do at ``address`` right now, as PROT_* bits.

    Read from the kernel's view of the page (/proc/self/smaps: protection and
    key) combined with this thread's PKRU -- a way to check protection without
    touching, and possibly faulting on, the memory.  Write implies read.
    """
    return access_many([address])[0]


def access_many(addresses: list[int]) -> list[int]:
    """:func:`access` for many addresses from one read of /proc/self/smaps."""
    from .hw.maps import find, mappings

    if isinstance(addresses, (str, bytes)) or not hasattr(addresses, "__iter__"):
        raise ArgumentError(f"addresses must be an iterable of ints, not {type(addresses).__name__}")
    addresses = [_address(a) for a in addresses]
    if _sb().backend.thread_local:
        # smaps and PKRU are read at different moments; a key changing hands
        # in between (another thread's load) would pair a page's old key with
        # the new owner's bits.  Every such change bumps the sync request
        # number before any PKRU changes, so a snapshot with the number
        # unchanged across both reads is consistent.
        for _ in range(100):
            before = int(ARENA.words[H_REQ_SEQ])
            maps = mappings()
            pkru = switch.read_pkru()
            if int(ARENA.words[H_REQ_SEQ]) == before:
                break
    else:
        maps, pkru = mappings(), 0
    out = []
    for address in addresses:
        m = find(maps, address)
        if m is None:
            out.append(PROT_NONE)
            continue
        prot = m.prot | (PROT_READ if m.prot & PROT_WRITE else 0)
        bits = (pkru >> (2 * m.pkey)) & 3 if m.pkey else 0
        if bits & PKRU_AD:
            prot &= PROT_EXEC
        elif bits & PKRU_WD:
            prot &= ~PROT_WRITE
        out.append(prot)
    return out


def stats() -> dict:
    """Cache counters: hits, misses, loads, evictions, page-table domains..."""
    return _sb().stats()


def backend_name() -> str:
    return _sb().backend.name


def info() -> dict:
    """What ``mpk info --json`` prints."""
    from .report import collect

    return collect(_state)


def reset_thread_rights() -> None:
    """Drop any rights this thread inherited from its creator's domains.

    ``threading`` threads do this by themselves; call it first thing in a
    thread created natively (see sandbox.threads).
    """
    s = _state
    if s is not None and s.backend.thread_local:
        switch.reset_rights()


_fork_guard = None  # the library lock, held across a fork
_fork_compiling = False
_fork_prepared = False  # Sandbox.prepare_fork ran in this process


def _before_fork() -> None:
    """Hold two locks across fork.  The library lock (both halves): every
    slow path, and every store to the tables on the fallback, runs under it,
    so the child's copy of the tables (sandbox.arena) -- and its Python
    state -- is never taken half-way through one (a bounded try of the
    native half alone, holding the GIL, let a slow path waiting for the GIL
    run on in the parent while the child copied: the child's key table then
    disagreed with its groups).  And numba's compiler lock: a thread
    compiling at the fork would leave it held for good in the child (it hung
    there).  First, once, the natives the child's hook calls are loaded
    here (Sandbox.prepare_fork), so no child compiles them."""
    global _fork_guard, _fork_compiling, _fork_prepared
    s = _state
    if s is None:
        return
    if not _fork_prepared:
        s.prepare_fork()  # before the locks: it may compile
        _fork_prepared = True
    try:
        s.guard.__enter__()  # waits without the GIL
        _fork_guard = s.guard
    except SandboxError:
        _fork_guard = None  # a stuck lock word (LockError): fork all the same
    global_compiler_lock.acquire()
    _fork_compiling = True


def _release_compiler() -> None:
    global _fork_compiling
    if _fork_compiling:
        _fork_compiling = False
        global_compiler_lock.release()


def _after_fork_in_parent() -> None:
    global _fork_guard
    _release_compiler()
    guard, _fork_guard = _fork_guard, None
    if guard is not None:
        guard.__exit__(None, None, None)


def _after_fork_in_child() -> None:
    global _fork_guard
    _release_compiler()
    _fork_guard = None
    if _state is not None:
        _state.after_fork_in_child()  # a fresh lock, and the native word released


os.register_at_fork(before=_before_fork, after_in_parent=_after_fork_in_parent, after_in_child=_after_fork_in_child)

# libmpk's names
mpk_init = init
mpk_mmap = mmap
mpk_munmap = munmap
mpk_begin = begin
mpk_end = end
mpk_mprotect = mprotect
mpk_malloc = malloc
mpk_free = free
