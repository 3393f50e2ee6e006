"""The library's tables, laid out in raw pages both Python and numba read.

One anonymous mapping, allocated once per process, holds everything the key
switch touches: the hardware-key table (owner vkey, pin count, LRU stamp,
process-wide rights) and one record per thread (its stack of open domains).
Numba code reaches it through an external symbol bound with llvmlite's
``add_symbol`` -- so compiled code can be cached on disk and still find this
process's tables -- while Python sees the same words as a numpy array.

All fields are int64 words; offsets below are word indices.
"""

from __future__ import annotations

import ctypes

import llvmlite.binding as _llvm
import numpy as np

from .hw import syscalls

SYMBOL = "libmpk_py_arena_v1"

# --- header -------------------------------------------------------------
H_MAGIC = 0
H_CLOCK = 1  # LRU clock, bumped by every hit
H_CAPACITY = 2  # hardware keys the cache may hand out
H_META_KEY = 3  # hardware key guarding the tables (0 = none)
HEADER_WORDS = 64
MAGIC = 0x6C69626D706B7079  # "libmpkpy"

# --- hardware-key table -------------------------------------------------
NKEYS = 16
KEYS_OFF = HEADER_WORDS
K_OWNER = 0  # vkey holding the key, or one of the OWNER_* markers
K_PIN = 1  # open domains on this key, all threads; < 0 while being reassigned
K_STAMP = 2  # LRU stamp of the last hit
K_RIGHTS = 3  # owner's process-wide protection (PROT_* bits)
K_STRIDE = 8

OWNER_FREE = -1  # ours, unowned
OWNER_NOT_OURS = -2  # not allocated by the library (key 0, or no PKU)
OWNER_RESERVED = -3  # ours, kept for the library's own use
PIN_CLAIMED = -(1 << 40)  # added to K_PIN while the slow path reassigns a key

# --- per-thread records -------------------------------------------------
NTHREADS = 1024  # power of two: open addressing by thread pointer
THREADS_OFF = KEYS_OFF + NKEYS * K_STRIDE
T_TCB = 0  # thread pointer of the owner, 0 = never used, TOMBSTONE = freed
T_TID = 1  # kernel thread id (for reclaiming records of dead threads)
T_DEPTH = 2  # entries on the domain stack
T_INSWITCH = 3  # 1 while the thread rewrites its PKRU (see issue-4 sync)
T_PENDING = 4  # a sync arrived mid-switch and must be applied after it
T_HITS = 5
T_OPEN = 16  # NKEYS words: open hardware-key domains of this thread per key
T_STACK = T_OPEN + NKEYS
E_VKEY = 0
E_KEY = 1  # hardware key, or -1 for a page-table (evicted) domain
E_ARG = 2  # previous PKRU bits (-1: the key's default) / page domain's prot
E_WORDS = 3
MAX_DEPTH = 64
T_STRIDE = 256
assert T_STACK + MAX_DEPTH * E_WORDS <= T_STRIDE
TOMBSTONE = -1

TOTAL_WORDS = THREADS_OFF + NTHREADS * T_STRIDE
TOTAL_BYTES = syscalls.page_round(TOTAL_WORDS * 8)


def key_base(key: int) -> int:
    return KEYS_OFF + key * K_STRIDE


def thread_base(slot: int) -> int:
    return THREADS_OFF + slot * T_STRIDE


def new_table() -> np.ndarray:
    """A private zeroed table with the arena's layout, for policy tests."""
    t = np.zeros(TOTAL_WORDS, dtype=np.int64)
    _format(t)
    return t


def _format(words: np.ndarray) -> None:
    words[:] = 0
    words[H_MAGIC] = MAGIC
    for k in range(NKEYS):
        words[key_base(k) + K_OWNER] = OWNER_NOT_OURS


class Arena:
    """The process's one arena: its address, its numpy view, its symbol."""

    def __init__(self) -> None:
        self.address = syscalls.mmap_anon(TOTAL_BYTES, 3, syscalls.MAP_NORESERVE)  # RW
        buf = (ctypes.c_int64 * TOTAL_WORDS).from_address(self.address)
        self.words: np.ndarray = np.ctypeslib.as_array(buf)
        _format(self.words)
        _llvm.add_symbol(SYMBOL, self.address)

    def reset(self) -> None:
        _format(self.words)


ARENA = Arena()
