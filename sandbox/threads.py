"""Threads: what a new thread starts with, and what a thread's exit undoes.

New threads start with the process-wide rights, not their creator's domains.
clone() copies the creator's PKRU, so a thread started from inside a domain
would inherit that domain's rights.  Every ``threading.Thread`` therefore
resets its PKRU to each key's default before running its target.  Threads
created natively (pthread_create from C, or a library's own pool) do inherit
the creator's PKRU; they should call :func:`sandbox.reset_thread_rights`
first thing (process-wide changes reach them anyway, through the sync signal).

A thread's record dies with it.  Records (domain stacks) are found by thread
pointer, and glibc hands a dead thread's thread control block -- so its
thread pointer -- to a later thread: a record that outlived its thread would
be inherited, open domains and all (an ``end`` of a domain the heir never
began, the PKRU sync skipping it as "inside a domain", on the fallback pages
left open process-wide).  So registering a thread arms a pthread key whose
native destructor (:func:`_on_exit`) runs in the exiting thread before glibc
can reuse its control block, and releases the record: hardware-key pins
dropped, page-table domains undone (the pages get the vkey's own protection
back), the record freed.  Native code cannot re-protect a group spread over
several ranges; such a domain stays on a record marked ``DEAD`` -- no thread
pointer matches it, no thread is given it -- until Python releases it (the
next thread registration, sandbox.core).  A ``threading.Thread`` that ends
inside a domain is released by Python just before it exits, so it never
leaves one behind.
"""

from __future__ import annotations

import ctypes
import threading

import numpy as np
from numba import types

from . import domainstack as stack
from . import switch
from ._numba_cache import cfunc, njit
from .arena import (
    ARENA,
    DEAD,
    E_KEY,
    E_VKEY,
    E_WORDS,
    H_META_KEY,
    K_PIN,
    K_STRIDE,
    KEYS_OFF,
    M_META,
    T_DEPTH,
    T_OPEN,
    T_STACK,
    T_STRIDE,
    T_TCB,
    THREADS_OFF,
    TOMBSTONE,
    arena_words,
    mailbox_words,
    slot_of,
)
from .errors import SandboxError
from .hw.intrinsics import atomic_add, atomic_cas, thread_pointer
from .hw.threadkey import ThreadKey
from .pagedomain import lock_release, lock_within, page_drop
from .store import close_window, commit, fixup, open_window, tables_readable

EXIT_LOCK_NS = 1_000_000_000  # an exiting thread's wait for the lock (PKU), then its record is left DEAD
_original_bootstrap = None
_active = False  # the backend has per-thread rights (PKU)
_exit_key: ThreadKey | None = None


@njit(cache=True)
def release_entries(r):
    """Close record ``r``'s domains, innermost first, while native code can
    (the caller holds the library lock).  Returns how many are left: the
    innermost then is a page-table domain on a group that is not one range,
    for Python to re-protect."""
    A = arena_words()
    return _release_entries(A, slot_of(A, thread_pointer()), r)


@njit(cache=True, inline="always")
def _release_entries(A, s, r):
    d = A[r + T_DEPTH]
    while d > 0:
        e = r + T_STACK + (d - 1) * E_WORDS
        k = A[e + E_KEY]
        if k >= 0:  # (hardware keys: PKU only)
            R = stack.copy_record(A, r, d)
            R[T_OPEN + k] -= 1
            stack.remove(R, 0, d - 1)
            if stack.store_record(A, s, r, R, commit) != 0:
                break
            seen, pk = open_window(A, s)
            atomic_add(A, KEYS_OFF + k * K_STRIDE + K_PIN, -1)
            close_window(A, s, seen, pk)
        elif not page_drop(A, s, r, d - 1, A[e + E_VKEY], commit):
            break
        d = A[r + T_DEPTH]
    return d


@cfunc(types.void(types.voidptr), cache=True)
def _on_exit(value):
    """The exit key's destructor: release the exiting thread's record.

    No GIL here.  It waits for the library lock: its holders never wait for
    an exiting thread, and this one still answers PKRU sync signals while it
    waits (glibc blocks signals only after the destructors).  Under PKU the
    wait is bounded (the lock word is on key 0: a stray write can set it for
    good): past EXIT_LOCK_NS the record is only marked DEAD -- a one-word
    window of this thread's own, no lock needed -- so no later thread is
    given it, and Python releases it at the next registration.  On the
    fallback every store to the tables is made under the lock, so the wait
    there is unbounded: a stuck lock word costs a hang, never an inherited
    record."""
    # Nothing in the tables is read before the lock: init retags them to
    # the PKU key under it, and this thread (of an earlier session, past
    # the sync that hands out that key's bits) may not be able to read them.
    M = mailbox_words()
    tp = thread_pointer()
    if not lock_within(EXIT_LOCK_NS if M[M_META] > 0 else -1):
        tables_readable()
        A = arena_words()
        s = slot_of(A, tp)
        if s >= 0:
            seen, pk = open_window(A, -1)
            atomic_cas(A, THREADS_OFF + s * T_STRIDE + T_TCB, tp, DEAD)
            close_window(A, -1, seen, pk)
        return
    tables_readable()  # the key init published under this lock
    A = arena_words()
    s = slot_of(A, tp)
    r = THREADS_OFF + s * T_STRIDE
    # init may have reformatted the tables while this waited (it holds the
    # lock meanwhile): the record is ours only if it still names this thread
    if s < 0 or A[r + T_TCB] != tp:
        lock_release()
        return
    m = A[H_META_KEY]
    R = np.full(1, TOMBSTONE if _release_entries(A, s, r) == 0 else DEAD, np.int64)
    commit(A, s, A.ctypes.data + 8 * (r + T_TCB), R, 1)
    if m > 0:
        fixup(A, -1)  # every key's default (no domain left), past any sync signal
    lock_release()


# A daemon thread may exit while the interpreter shuts down: the destructor's
# code must outlive every Python object, so it is never freed.
ctypes.pythonapi.Py_IncRef(ctypes.py_object(_on_exit))


def arm_exit() -> None:
    """Make the calling thread's exit release its record: call before
    registering it (arming again is harmless)."""
    global _exit_key
    if _exit_key is None:
        _exit_key = ThreadKey(_on_exit.address)
    _exit_key.arm()


@njit(cache=True)
def own_slot():
    """This thread's record, or -1."""
    return slot_of(arena_words(), thread_pointer())


@njit(cache=True)
def own_readable_slot():
    """This thread's record, or -1, after making the tables readable to it
    (the caller holds the lock, under which init publishes their key)."""
    tables_readable()
    return slot_of(arena_words(), thread_pointer())


def _release_before_exit() -> None:
    """A ``threading.Thread`` ending inside a domain: release its record while
    Python is at hand (the destructor would leave a domain on a group of
    several ranges to a later registration).  Under the lock, like the
    destructor: a session starting meanwhile may retag the tables to a key
    this thread cannot read yet."""
    from .api import _state

    if _state is None:
        return  # no session: the exit destructor releases what is left
    try:
        with _state.guard:
            readable_slot = own_readable_slot()
            if readable_slot < 0 or ARENA.words[THREADS_OFF + readable_slot * T_STRIDE + T_DEPTH] == 0:
                return
            _state.release_record(readable_slot)
            if _active:
                switch.reset_rights()
    except SandboxError:
        pass  # (a stuck lock word: the destructor's bounded wait takes over)


def _hook() -> None:
    """Wrap ``threading.Thread`` start-up and exit (once per process)."""
    global _original_bootstrap
    if _original_bootstrap is not None:
        return
    _original_bootstrap = threading.Thread._bootstrap_inner  # type: ignore[attr-defined]

    def _bootstrap_inner(self: threading.Thread) -> None:
        if _active:
            switch.reset_rights()
        try:
            _original_bootstrap(self)  # type: ignore[misc]
        finally:
            _release_before_exit()

    threading.Thread._bootstrap_inner = _bootstrap_inner  # type: ignore[attr-defined]


def install() -> None:
    """Threads get per-thread rights (PKU): reset them at start-up."""
    global _active
    _active = True
    _hook()


def uninstall() -> None:
    """Stop resetting (the backend no longer has hardware keys)."""
    global _active
    _active = False
    _hook()
