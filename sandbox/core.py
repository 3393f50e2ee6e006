"""The libmpk state machine: vkeys, their page groups, the key cache, and
the slow paths of begin/end (misses, loads, evictions, page-table domains).

All mutation happens under one process lock, through sandbox.store's native
windows (the tables are write-protected otherwise); the begin/end *hit* path in
sandbox.switch takes no lock and synchronises with this module through the
claim protocol described there.  Rights that every thread must see (a key's
new owner, a process-wide mprotect) go out through sandbox.hw.sync.
"""

from __future__ import annotations

import operator
import os
import threading

import numpy as np

from . import _numba_cache, pagedomain, switch, threads
from . import domainstack as stack
from .arena import (
    ARENA,
    DEAD,
    E_ARG,
    E_VKEY,
    E_WORDS,
    H_GROUPS,
    H_META_KEY,
    H_META_WD,
    H_NATIVE_PAGES,
    H_PAGE_DOMAINS,
    H_USED,
    K_DEFAULT,
    K_OWNER,
    K_PIN,
    L_HITS,
    L_STRIDE,
    M_LOCAL,
    M_META,
    NTHREADS,
    OWNER_FREE,
    OWNER_QUARANTINED,
    OWNER_RESERVED,
    T_DEPTH,
    T_OPEN,
    T_PAGE_DOMAINS,
    T_STACK,
    T_STRIDE,
    T_TCB,
    T_TID,
    THREADS_OFF,
    TOMBSTONE,
    key_base,
    thread_base,
)
from .backend import Backend
from .errors import (
    ArgumentError,
    DomainError,
    KeysExhaustedError,
    LostDescriptorError,
    ProtError,
    SandboxError,
    ThreadLimitError,
    VkeyError,
)
from .guard import Guard, take_native_half
from .hw import sync, syscalls
from .keycache import Grant, KeyCache
from .pagegroup import GROUP_WORDS, REGION_WORDS, PageGroup
from .prot import PKRU_WD, PROT_EXEC, describe, pkru_bits
from .prot import check as check_prot
from .region import VIEWS, Region, Reservation
from .store import WORDS, stamp
from .tables import Table
from .vkeymap import VkeyMap

# The vkey map (sandbox.vkeymap) stores vkey + 1 in an int64 word, so 2**63 - 1
# cannot be stored: vkeys are refused up front beyond this.
MAX_VKEY = (1 << 63) - 2
MAX_LENGTH = 1 << 46


def check_vkey(vkey: object) -> int:
    """``vkey`` as a plain int in [0, MAX_VKEY], or ArgumentError.

    Plain: an int subclass (IntEnum) or numpy integer handed to the compiled
    switch would make numba compile (and cache) another specialisation.
    """
    if isinstance(vkey, bool):
        raise ArgumentError("vkey must be an int >= 0, not bool")
    try:
        vkey = int(operator.index(vkey))
    except TypeError:
        raise ArgumentError(f"vkey must be an int >= 0, not {type(vkey).__name__}") from None
    if not 0 <= vkey <= MAX_VKEY:
        raise ArgumentError(f"vkey must be in [0, 2**63 - 2], got {vkey}")
    return vkey


def check_length(length: object) -> int:
    if isinstance(length, bool):
        raise ArgumentError("length must be an int, not bool")
    try:
        length = operator.index(length)  # numpy integers too, as for vkeys
    except TypeError:
        raise ArgumentError(f"length must be an int, not {type(length).__name__}") from None
    if length <= 0:
        raise ArgumentError(f"length must be > 0, got {length}")
    if length > MAX_LENGTH:
        raise ArgumentError(f"length {length} exceeds the address space limit {MAX_LENGTH}")
    return length


def _protect_arena_for_init(meta_key: int) -> None:
    """Before the guard exists: give the arena the protection the new
    session keeps (sandbox.guard) -- an earlier session in this process, of
    either backend, may have left other pages or another key -- and make
    this thread's bits for ``meta_key`` write-disabled: the close gate
    accepts no other (hw.intrinsics).  Init formats the tables through
    their file (sandbox.store), so they are never writable meanwhile."""
    ARENA.protect(3 if meta_key else 1, meta_key)
    if meta_key:
        switch.write_pkru((switch.read_pkru() & ~(3 << (2 * meta_key))) | (PKRU_WD << (2 * meta_key)))


def _hit_stamps() -> np.ndarray:
    """Per key, the latest hit stamp over every thread's line (sandbox.switch)."""
    lines = ARENA.mailbox[M_LOCAL : M_LOCAL + NTHREADS * L_STRIDE].reshape(NTHREADS, L_STRIDE)
    return lines.max(axis=0)


def _store_failed(call: str) -> SandboxError:
    """A native path's store was refused (it returns no errno): the tables'
    descriptor taken away by the program, or the file out of memory."""
    if not ARENA.file.intact():
        return LostDescriptorError(ARENA.fd, f"the library's tables' file ({call}: nothing changed)")
    return SandboxError(f"{call}: the library's tables refused a store (their file: out of memory?); nothing changed")


class Sandbox:
    """One per process (see sandbox.api)."""

    def __init__(self, backend: Backend, evict_rate: int = 0, sync_timeout: float = 5.0) -> None:
        if isinstance(evict_rate, bool) or not isinstance(evict_rate, int) or evict_rate < 0:
            raise ArgumentError(f"evict_rate must be an int >= 0, got {evict_rate!r}")
        if isinstance(sync_timeout, bool) or not isinstance(sync_timeout, (int, float)) or not 0 < sync_timeout < 1e6:
            raise ArgumentError(f"sync_timeout must be a number of seconds in (0, 1e6), got {sync_timeout!r}")
        self.backend = backend
        self.evict_rate = evict_rate
        self.sync_timeout = float(sync_timeout)
        self.groups: dict[int, PageGroup] = {}
        self.unmapped: set[int] = set()
        self.misses = 0
        self.loads = 0
        self.page_domains = 0
        self.broadcasts = 0
        self.sync_failures = 0
        self.last_sync_error = ""
        self.unsynced: set[int] = set()  # keys whose last broadcast failed: some threads hold old bits
        self._next_fresh = 1 << 40
        self.slots: set[int] = set()  # thread records in use (stats reads only these)
        self.reservations: list[Reservation] = []
        self.retired_hits = 0
        self.retired_page_domains = 0  # native page-table domains of released records
        # Under PKU the highest key guards the tables; the rest serve vkeys.
        self.meta_key = backend.keys[-1] if backend.keys else 0
        cache_keys = backend.keys[:-1]
        # A thread of an earlier session may be exiting right now: its
        # destructor (threads._on_exit) writes the tables under the native
        # lock.  Reformat them under that lock too, so the two never mix.
        take_native_half()
        try:
            # the tables' key, where an exiting thread learns it under this
            # lock before it reads them (threads._on_exit)
            ARENA.write_mailbox_constants({M_META: self.meta_key})
            _protect_arena_for_init(self.meta_key)
            ARENA.reset()
            W = WORDS
            W[H_META_KEY] = self.meta_key
            W[H_META_WD] = PKRU_WD << (2 * self.meta_key) if self.meta_key else 0
            self.cache = KeyCache(W, cache_keys, evict_rate, recent=_hit_stamps)
            if self.meta_key:
                W[key_base(self.meta_key) + K_OWNER] = OWNER_RESERVED
                W[key_base(self.meta_key) + K_DEFAULT] = PKRU_WD
            W[H_USED] = ARENA.used
            self.guard = Guard(self.meta_key)
        finally:
            pagedomain.lock_release()
        with self.guard:
            self.group_table = Table(self.guard, GROUP_WORDS, on_move=self._publish_groups)
            self.region_table = Table(self.guard, REGION_WORDS)
            self.vkey_rows = VkeyMap(self.guard)
            # no keys at all: begin/end of evicted vkeys never leave native code
            W[H_NATIVE_PAGES] = int(not self.meta_key and not self.cache.capacity)
            if self.meta_key:
                sync.install(self.meta_key)
                sync.load_natives()
                # Keys outlive a session, and so do the rights an earlier one
                # left in threads' PKRU: reset every key we hold, in one request.
                self._broadcast_defaults(backend.keys)

    @staticmethod
    def _publish_groups(address: int) -> None:
        WORDS[H_GROUPS] = address

    @property
    def lock(self) -> threading.RLock:
        return self.guard.lock

    # --- lookup -----------------------------------------------------------

    def group(self, vkey: int) -> PageGroup:
        g = self.groups.get(vkey)
        if g is None:
            why = "was unmapped (munmap)" if vkey in self.unmapped else "has no pages (never mmap'ed)"
            raise VkeyError(vkey, why)
        return g

    def fresh_vkey(self) -> int:
        with self.lock:
            while self._next_fresh in self.groups or self._next_fresh in self.unmapped:
                self._next_fresh += 1
            v = self._next_fresh
            self._next_fresh += 1
            return v

    # --- hardware-key moves (inside the guard) -------------------------------

    def _broadcast(self, key: int, bits: int) -> None:
        """Give every thread without a domain on ``key`` the bits ``bits``.

        Skipped when every thread already holds them (the key's recorded
        default): a key changing hands between owners with the same
        protection costs no signal.
        """
        kb = key_base(key) + K_DEFAULT
        W = WORDS
        was = int(W[kb])
        if W[kb] == bits and key not in self.unsynced:
            return
        # K_DEFAULT always holds valid PKRU bits: the switch shifts it into
        # PKRU when a thread's outermost domain on the key ends (and on a
        # sync fix-up), so a marker such as -1 would set every higher key's
        # bits.  A failed broadcast records the intended bits -- the threads
        # that answered hold them -- and marks the key to broadcast again
        # (forced: bits a late thread kept are not a domain).
        W[kb] = bits
        force = key in self.unsynced
        self.unsynced.add(key)
        sync.broadcast(sync.key_mask(key), bits << (2 * key), self.sync_timeout, old=was << (2 * key), force=force)
        self.unsynced.discard(key)
        self.broadcasts += 1

    def _broadcast_defaults(self, keys: tuple[int, ...]) -> None:
        """One forced sync request giving every thread ``keys``' recorded
        defaults (rights an earlier session left are no domain of this one);
        the keys stay marked unsynced unless it succeeds."""
        W = WORDS
        mask = value = 0
        for k in keys:
            mask |= sync.key_mask(k)
            value |= int(W[key_base(k) + K_DEFAULT]) << (2 * k)
        self.unsynced.update(keys)
        sync.broadcast(mask, value, self.sync_timeout, force=True)
        self.unsynced.difference_update(keys)
        self.broadcasts += 1

    def _in_use(self, k: int) -> bool:
        """Whether some thread has an unrecorded domain on ``k`` -- its bits
        differ from the default (sandbox.switch) -- asked of every thread by
        a request that changes nothing.  The caller has claimed ``k`` and
        cleared its owner, so no begin keeps new bits on it meanwhile.  A
        thread that does not answer counts as in use."""
        bits = int(WORDS[key_base(k) + K_DEFAULT]) << (2 * k)
        try:
            busy = sync.broadcast(sync.key_mask(k), bits, self.sync_timeout, old=bits)
        except sync.SyncError as e:
            self.sync_failures += 1
            self.last_sync_error = str(e)
            return True
        self.broadcasts += 1
        return busy > 0

    def _take(self, grant: Grant | None, vkey: int) -> Grant | None:
        """``grant``, or -- while its victim turns out to be in use by an
        unrecorded domain -- the next least recently used key: the victim
        keeps its key (claim dropped).  KeysExhaustedError when none is left."""
        tried: set[int] = set()
        while grant is not None and grant.victim is not None:
            k = grant.key
            self.cache.vacate(k)  # owner cleared before the probe (see sandbox.switch)
            if not self._in_use(k):
                return grant
            victim = self.groups[grant.victim]
            self.cache.assign(k, victim.vkey, victim.prot)
            self.cache.evictions -= 1
            tried.add(k)
            grant = self.cache.next_victim(vkey, tried)
        return grant

    def _load(self, g: PageGroup, grant: Grant) -> None:
        k = grant.key
        victim = None if grant.victim is None else self.groups[grant.victim]
        try:
            if victim is not None:
                self.cache.vacate(k)  # owner cleared before untagging (see sandbox.switch)
                victim.tag(0)
                victim.key = -1
            # No thread has a domain on k now (a free key has none; a
            # victim's was probed: _take), so every thread holds k's default.
            self._broadcast(k, pkru_bits(g.prot))
            g.tag(k)
        except BaseException:
            self._abandon_load(k, g, victim)
            raise
        g.key = k
        self.cache.assign(k, g.vkey, g.prot)
        self.loads += 1

    def _abandon_load(self, k: int, g: PageGroup, victim: PageGroup | None) -> None:
        """Undo a failed load: both groups end up evicted, on key 0.

        A tagging call may have failed half-way, leaving some of a group's
        pages on ``k``.  A key handed out again must carry no stale tags (its
        next owner's domains would open those pages), so when a group cannot
        be moved back to key 0 the key is quarantined: never handed out again.
        """
        clean = True
        for group in (g, victim):
            if group is None:
                continue
            try:
                group.tag(0)
            except BaseException:
                clean = False
            group.key = -1
        self.cache.release(k)
        if not clean:
            WORDS[key_base(k) + K_OWNER] = OWNER_QUARANTINED  # under the lock: choose() skips it

    # --- begin / end slow paths -------------------------------------------

    def register_thread(self) -> None:
        tid = threading.get_native_id()
        threads.arm_exit()  # before the record exists: it must never outlive this thread
        with self.guard:
            W = WORDS
            for s in np.flatnonzero(W[THREADS_OFF + T_TCB :: T_STRIDE] == DEAD):
                self.release_record(int(s))
            slot = switch.register_thread(tid)
            if slot < 0:
                self._sweep_dead_threads()
                slot = switch.register_thread(tid)
                if slot < 0:
                    raise ThreadLimitError(f"more than {NTHREADS} threads have used sandbox domains at once")
            self.slots.add(slot)

    def _sweep_dead_threads(self) -> None:
        """Release the records of threads that are gone: those left DEAD by
        their exit, and any whose thread never ran its exit hook (one that left
        without going through pthread's exit, e.g. a raw exit system call)."""
        W = WORDS
        alive = {int(t) for t in os.listdir("/proc/self/task")}
        for s in range(NTHREADS):
            r = thread_base(s)
            tcb = int(W[r + T_TCB])
            if tcb in (0, TOMBSTONE) or (tcb != DEAD and int(W[r + T_TID]) in alive):
                continue
            if tcb == DEAD or W.cas(r + T_TCB, tcb, DEAD) == tcb:
                self.release_record(s)

    def release_record(self, slot: int) -> None:
        """Undo every domain left on thread record ``slot`` and free it: its
        thread is gone or about to go (sandbox.threads).  Native code undoes
        what it can; page-table domains on groups of several ranges are
        re-protected here, innermost first, as their thread's end() would."""
        W = WORDS
        r = thread_base(slot)
        with self.guard:
            while (depth := int(threads.release_entries(r))) > 0:
                i = depth - 1
                e = r + T_STACK + i * E_WORDS
                vkey = int(W[e + E_VKEY])
                g = self.groups.get(vkey)
                if g is not None:
                    g.close_page_domain(int(W[e + E_ARG]), int(stack.page_prot(W.r, r, stack.find(W.r, r, vkey, i))))
                W[r + T_DEPTH] = i
            line = M_LOCAL + slot * L_STRIDE  # (on key 0: written without a window)
            self.retired_hits += int(ARENA.mailbox[line + L_HITS])
            ARENA.mailbox[line : line + L_STRIDE] = 0
            self.retired_page_domains += int(W[r + T_PAGE_DOMAINS])
            W[r + T_PAGE_DOMAINS] = 0
            W[r + T_TCB] = TOMBSTONE

    def begin_slow(self, vkey: int, prot: int, status: int) -> None:
        while status != switch.OK:
            if status == switch.BAD_VKEY:
                check_vkey(vkey)
            elif status == switch.BAD_PROT:
                check_prot(prot)
            elif status == switch.BAD_EXEC:
                raise ProtError(
                    f"begin(vkey {vkey}, {describe(prot)}): a domain cannot add PROT_EXEC; execute "
                    "permission is process-wide (PKU does not control instruction fetch): use mprotect"
                )
            elif status == switch.TOO_DEEP:
                raise DomainError(f"begin(vkey {vkey}): domains nested deeper than the limit in this thread")
            elif status == switch.STORE_FAILED:
                raise _store_failed(f"begin(vkey {vkey})")
            elif status == switch.NO_THREAD:
                self.register_thread()
                status = switch.fast_begin(vkey, prot)
                continue
            elif status == switch.BUSY:  # a recorded domain, and the lock was taken
                with self.guard:
                    status = switch.begin_locked(vkey, prot)
                continue
            if status != switch.MISS:
                raise SandboxError(f"begin: unexpected switch status {status}")
            status = self._begin_miss(vkey, prot)

    def _begin_miss(self, vkey: int, prot: int) -> int:
        with self.guard:
            g = self.group(vkey)
            self.misses += 1
            if prot & PROT_EXEC and not g.prot & PROT_EXEC:
                return switch.BAD_EXEC
            if g.key < 0 and not g.open_domains:
                grant = self._take(self.cache.choose(vkey), vkey)
                if grant is not None:
                    try:
                        self._load(g, grant)
                    except sync.SyncError as e:  # stay on page tables this time
                        self.sync_failures += 1
                        self.last_sync_error = str(e)
            if g.key >= 0:
                status = switch.begin_locked(vkey, prot)
                if status == switch.MISS:
                    kb = key_base(g.key)
                    raise SandboxError(
                        f"vkey {vkey} was loaded into key {g.key} but the switch missed it "
                        f"(owner {int(WORDS[kb + K_OWNER])}, pins {int(WORDS[kb + K_PIN])})"
                    )
                return status
            shadowed = switch.innermost_page_domain(vkey)
            status = switch.push_page_domain(vkey, prot)
            if status == switch.OK:
                try:
                    g.open_page_domain(prot, shadowed)
                except BaseException:
                    switch.pop_page_domain(vkey)
                    raise
                self.page_domains += 1
            return status

    def end_slow(self, vkey: int, status: int) -> None:
        if status == switch.BUSY:  # a recorded domain, and the lock was taken
            with self.guard:
                status = switch.end_locked(vkey)
            if status == switch.OK:
                return
        if status == switch.NO_DOMAIN:
            with self.lock:
                if vkey not in self.groups:
                    self.group(check_vkey(vkey))
            raise DomainError(f"end(vkey {vkey}) without a matching begin in this thread")
        if status != switch.PAGE_DOMAIN:
            raise SandboxError(f"end: unexpected switch status {status}")
        with self.guard:
            prot = switch.pop_page_domain(vkey)
            if prot == -2:
                raise _store_failed(f"end(vkey {vkey})")
            if prot < 0:
                raise DomainError(f"end(vkey {vkey}) without a matching begin in this thread")
            try:
                self.groups[vkey].close_page_domain(prot, switch.innermost_page_domain(vkey))
            except BaseException:
                switch.push_page_domain(vkey, prot)  # not closed: the group still counts it (PageGroup._shift)
                raise

    # --- process-wide operations --------------------------------------------

    def reserve(self, length: object) -> Reservation:
        length = syscalls.page_round(check_length(length))
        with self.lock:
            r = Reservation(syscalls.mmap_anon(length, 0, syscalls.MAP_NORESERVE), length)
            self.reservations.append(r)
            return r

    def grow(self, vkey: object, length: object) -> Region:
        """Map ``length`` more bytes into ``vkey``'s existing group, with the
        group's protection of this moment: read under the guard that maps, so
        no mprotect (not even the native one) falls in between (the heap)."""
        with self.guard:
            return self.mmap(vkey, length, self.group(check_vkey(vkey)).prot)

    def mmap(self, vkey: object, length: object, prot: object, within: Reservation | None = None) -> Region:
        vkey, length, prot = check_vkey(vkey), check_length(length), check_prot(prot)
        if within is not None and within not in self.reservations:
            raise ArgumentError("within= must be a Reservation from sandbox.reserve()")
        with self.guard:
            g = self.groups.get(vkey)
            if g is not None and g.prot != prot:
                raise ProtError(
                    f"mmap(vkey {vkey}, {describe(prot)}): its page group is {describe(g.prot)}; "
                    "one group has one protection -- mprotect the vkey first or use another vkey"
                )
            fresh = g is None
            if fresh:
                g = PageGroup(vkey, prot, self.group_table, self.region_table)
            # All or nothing: a new group is published (groups, vkey map) only
            # once its pages and rows exist; any failure unmaps what was made.
            try:
                region = g.map(length, within)
                if fresh:
                    self.vkey_rows.put(vkey, g.row)  # the native switch finds groups here
            except BaseException as e:
                if fresh:
                    g.unmap()
                if isinstance(e, MemoryError):  # no room in `within`, or in the tables
                    raise ArgumentError(str(e)) from None
                raise
            self.groups[vkey] = g
            self.unmapped.discard(vkey)
            return region

    def mprotect(self, vkey: object, prot: object) -> None:
        vkey, prot = check_vkey(vkey), check_prot(prot)
        if pagedomain.page_mprotect(vkey, prot) == pagedomain.DONE:
            return  # the fallback's common case, natively
        with self.guard:
            g = self.group(vkey)
            if self.meta_key and self._mprotect_cached(g, prot):
                return
            old = g.prot
            g.prot = prot
            try:
                self._apply_prot(g, old)
            except sync.SyncError:
                raise  # the table says prot; the threads named in the error may not (see _broadcast)
            except BaseException:
                # A page-table call failed, maybe after changing some of the
                # pages: put the old protection back on all of them, so no
                # page keeps rights the table does not record.
                g.prot = old
                try:
                    self._apply_prot(g, prot)
                except BaseException:
                    pass  # the first error is the one to report
                raise

    def _mprotect_cached(self, g: PageGroup, prot: int) -> bool:
        """The common case natively (PKU, the vkey holds a key, exec
        unchanged): one window, then one signal per other thread if the
        key's default changed.  False: take the general path."""
        k = g.key
        if k <= 0:
            return False
        seq = switch.set_key_rights(g.vkey, prot, pkru_bits(prot), k in self.unsynced)
        if seq < 0:
            return False
        if seq > 0:
            self.unsynced.add(k)
            sync.tell_others(sync.key_mask(k), seq, self.sync_timeout)
            self.unsynced.discard(k)
            self.broadcasts += 1
        return True

    def _apply_prot(self, g: PageGroup, was: int) -> None:
        """Make ``g``'s pages and key rights match ``g.prot`` (it was ``was``)."""
        if g.key >= 0:
            if (was ^ g.prot) & PROT_EXEC:
                g.tag(g.key)
            self.cache.set_rights(g.key, g.prot)
            self._broadcast(g.key, pkru_bits(g.prot))
        else:
            g.protect_pages()

    def munmap(self, vkey: object) -> None:
        vkey = check_vkey(vkey)
        # VIEWS from the view check to the unmap: no view is made in between
        # (the invariant in sandbox.region).
        with self.guard, VIEWS:
            g = self.group(vkey)
            if g.open_domains:
                raise DomainError(f"munmap(vkey {vkey}): {g.open_domains} domain(s) still open on it")
            if g.pinned:
                raise DomainError(f"munmap(vkey {vkey}): it is pinned (unpin first)")
            for r in g.regions:
                r._check_releasable()
            k = g.key
            if k >= 0:
                # No broadcast needed: no thread holds a domain on k (the claim
                # proves it), so every thread has k's default bits, and the
                # next owner's load broadcasts if it needs other ones.
                if not self.cache.claim_owned(k):
                    raise DomainError(f"munmap(vkey {vkey}): {self.cache.pins(k)} domain(s) still open on it")
                self.cache.vacate(k)
                if self._in_use(k):
                    self.cache.assign(k, vkey, g.prot)
                    raise DomainError(f"munmap(vkey {vkey}): a domain is still open on it (in some thread)")
                try:
                    g.unmap()
                except BaseException:
                    # Pages still mapped keep k's tag: k stays this group's,
                    # never free with another group's pages on it.
                    self.cache.assign(k, vkey, g.prot)
                    raise
                self.cache.release(k)
            else:
                g.unmap()
            del self.groups[vkey]
            self.vkey_rows.remove(vkey)
            self.unmapped.add(vkey)

    def pin(self, vkey: object) -> bool:
        """Load ``vkey`` into a hardware key and keep it there until unpin.

        False (and nothing pinned) where there are no hardware keys.
        """
        vkey = check_vkey(vkey)
        with self.guard:
            g = self.group(vkey)
            if not self.cache.capacity:
                return False
            if g.open_domains:
                raise DomainError(f"pin(vkey {vkey}): page-table domains are open on it")
            if g.key < 0:
                grant = self._take(self.cache.choose_now(vkey), vkey)
                if grant is None:
                    raise KeysExhaustedError(f"every hardware key is in use by open domains; cannot pin vkey {vkey}")
                self._load(g, grant)
            WORDS.add(key_base(g.key) + K_PIN, 1)
            g.pinned += 1
            return True

    def unpin(self, vkey: object) -> None:
        vkey = check_vkey(vkey)
        with self.guard:
            g = self.group(vkey)
            if g.pinned <= 0:
                raise DomainError(f"unpin(vkey {vkey}): it is not pinned")
            WORDS.add(key_base(g.key) + K_PIN, -1)
            g.pinned -= 1

    def close(self) -> None:
        """Unmap every group (refusing while domains are open) and drop the tables.

        Pins end here too: a pin keeps a vkey keyed while the library lives
        (a JIT's code cache holds two), and shutdown ends that life.
        """
        with self.guard:
            for vkey, g in list(self.groups.items()):
                while g.pinned:
                    self.unpin(vkey)
                self.munmap(vkey)
            self.group_table.close()
            self.region_table.close()
            for r in self.reservations:
                syscalls.munmap(r.address, r.length)
            self.reservations.clear()

    # --- introspection ---------------------------------------------------------

    def stats(self) -> dict:
        W = WORDS
        with self.lock:
            hits = self.retired_hits + sum(int(ARENA.mailbox[M_LOCAL + s * L_STRIDE + L_HITS]) for s in self.slots)
            native_pages = self.retired_page_domains + int(W[H_PAGE_DOMAINS])
            native_pages += sum(int(W[thread_base(s) + T_PAGE_DOMAINS]) for s in self.slots)
            cached = {int(self.cache.owner(k)): k for k in self.cache.keys if self.cache.owner(k) >= 0}
            return {
                "vkeys": len(self.groups),
                "cached": dict(sorted(cached.items())),
                "hits": hits,
                "misses": self.misses + native_pages,
                "loads": self.loads,
                "evictions": self.cache.evictions,
                "contested_misses": self.cache.contested_misses,
                "evict_rate_fallbacks": self.cache.fallbacks,
                "page_domains": self.page_domains + native_pages,
                "pinned_keys": sum(1 for k in self.cache.keys if self.cache.pins(k) > 0),
                "broadcasts": self.broadcasts,
                "sync_failures": self.sync_failures,
            }

    # --- threads ------------------------------------------------------------

    @staticmethod
    def prepare_fork() -> None:
        """Load, before the first fork, each native function the child's
        hook below calls (the sandbox's at-fork hook runs it).  A child that
        has to compile one pays numba's seconds, and a child killed before
        that ends -- a JIT worker at its parent's exit -- never writes the
        disk cache, so every later run paid again.  Idempotent and cheap once
        loaded (numba looks the signature up)."""
        A = WORDS.r
        _numba_cache.load(
            (
                (switch.register_thread, (0,)),
                (threads.release_entries, (0,)),  # release_record
                (stack.find, (A, 0, 0, 0)),
                (stack.page_prot, (A, 0, 0)),
                (pagedomain.lock_release, ()),
                (stamp, ()),  # cache.assign
            )
        )

    def after_fork_in_child(self) -> None:
        """Only the forking thread survives fork: drop the others' domains
        (natives only, all loaded by :meth:`prepare_fork`)."""
        self.guard.lock = threading.RLock()
        self.guard._depth = 0
        pagedomain.lock_release()  # a thread that is gone may have held it
        threads.arm_exit()
        with self.guard:
            W = WORDS
            me = switch.register_thread(threading.get_native_id())
            for s in self.slots:
                if s != me and W[thread_base(s) + T_TCB] not in (0, TOMBSTONE):
                    self.release_record(s)
            W[thread_base(me) + T_TID] = threading.get_native_id()
            self.slots = {me}
            # The child's tables are a copy made while the parent's other
            # threads kept switching (sandbox.arena), so a key's pin count
            # may disagree with the records it copied: derive each again from
            # what survives -- this thread's domains and the explicit pins.
            r = thread_base(me)
            # Each key's owner too, from the groups (the Python state the
            # child has): a copy that caught a load between its group's
            # key and the key table's owner would leave the key unusable.
            holder = {g.key: g for g in self.groups.values() if g.key >= 0}
            for k in self.cache.keys:
                owner = int(W[key_base(k) + K_OWNER])
                g = holder.get(k)
                if g is not None and owner != g.vkey:
                    self.cache.assign(k, g.vkey, g.prot)
                elif g is None and owner >= 0:
                    W[key_base(k) + K_OWNER] = OWNER_FREE
                want = int(W[r + T_OPEN + k]) + (g.pinned if g is not None else 0)
                if int(W[key_base(k) + K_PIN]) != want:
                    W[key_base(k) + K_PIN] = want
