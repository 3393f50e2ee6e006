"""The contract between compiled JS and the engine: context words, the undo
log, buffered output, global slots and the entry signature.

Native code runs as a transaction.  Every store it makes to memory the
interpreter can see (array elements, global slots, objects' slots) first
appends (address, old value) to the undo log; its console output goes to a buffer.  At each
back-edge of a loop in the outermost compiled frame it *commits*: spills its
variables to the frame, notes the loop, and truncates the log.  If anything
fails a check (an index out of bounds, a full log), the engine rolls the log
back to the last commit and the interpreter resumes at that loop header --
so deoptimisation is always correct, whatever the compiled code had done.
"""

from __future__ import annotations

import ctypes

import numpy as np

# context words (int64)
C_DEOPT = 0  # nonzero: a check failed (1) or a cold branch was taken (COLD_EXIT); unwind to the outermost frame
COLD_EXIT = 2
OVERFLOW = 3  # an int32 speculation failed: the unit is compiled again without int32s
C_LOG = 1  # undo log base (int64 pairs: address, old bits)
LOG_WIDTH_SHIFT = 60  # an address's top bits: how many bytes to restore (a typed array's element), 0 for 8
C_LOG_N = 2  # entries since the last commit
C_LOG_CAP = 3
C_GLOBALS = 4  # global slots (8 bytes each)
C_OUT_N = 5  # output lines produced
C_OUT_COMMITTED = 6  # output lines committed
C_DEPTH = 7  # compiled call depth (recursion past MAX_NATIVE_DEPTH deoptimises)
C_TIER_UP = 8  # nonzero: optimised code is ready; a loop unit commits and leaves at its next back-edge
TIER_UP = 4  # (the C_DEOPT of that exit: not a failed speculation)
# What compiled code allocates is held by its run until it ends (the
# addresses must stay valid while it may hold them) -- a GC safepoint is where
# a run ends.  Past its budget (apps.js.allocation) an allocation raises C_TIER_UP:
# a loop unit commits and leaves at its next back-edge, its garbage is freed,
# and it is entered again.  Past 4x that (no back-edge came), it exits at
# once, C_DEOPT HEAP_FULL: rolled back to its last commit, the interpreter
# runs on from there (that iteration first, as after a cold exit).
HEAP_FULL = 5
# Work a function unit did (its calls and loop back-edges, its callees'
# included), added at each return: what the tier weighs an entry from the
# interpreter against (Tier.SHALLOW_*)
C_WORK = 9
# Objects compiled code builds itself go in a bump arena (apps.js.arena): the
# run's number (each begin() adds one), the arena's next free byte and its
# end (both 0 at a run's start: its first object asks the engine), and the
# table of construct sites it may build at: (shape id, run number) each.
C_EPOCH = 10
C_ARENA = 11
C_ARENA_END = 12
C_SITES = 13
C_BUILT = 14  # objects compiled code built in the arena itself (for --stats)
# Strings compiled code makes (apps.js.madestrings): a chunk's units grow up
# from C_STR, its descriptors down from C_STR_END (both 0 at a run's start:
# its first string asks the engine for a chunk).
C_STR = 15
C_STR_END = 16
C_RNG = 17  # Math.random's two state words (apps.js.runtime.XorShift), which both tiers step
C_WORDS = 18
MAX_NATIVE_DEPTH = 9000

# A packed array's descriptor is (data, length, capacity); compiled code pushes in place while
# length < capacity.  The first push of a run into an array sets PUSHED in its capacity word and
# tells the engine, which copies the length back into the array when the run ends.
PUSHED = 1 << 62
CAPACITY = PUSHED - 1

# frame header (8-byte slots before the variables)
F_RET = 0  # return value (double or bits)
F_CKPT = 1  # loop id of the last commit (0: the region's entry)
F_VARS = 2

# entry status
OK, DEOPT, RETURNED = 0, 1, 2

ENTRY = ctypes.CFUNCTYPE(ctypes.c_int64, ctypes.c_void_p, ctypes.c_void_p)
LOG_CAPACITY = 1 << 20
GLOBAL_SLOTS = 4096


_NARROW = {1: ctypes.c_uint8, 2: ctypes.c_uint16, 4: ctypes.c_uint32}
_ADDRESS = (1 << LOG_WIDTH_SHIFT) - 1


class Context:
    """One per engine: the context words, the undo log, the global slots."""

    def __init__(self) -> None:
        self.words = np.zeros(C_WORDS, dtype=np.int64)
        self.log = np.zeros(2 * LOG_CAPACITY, dtype=np.int64)
        self.globals = np.zeros(GLOBAL_SLOTS, dtype=np.float64)
        self.globals_i = self.globals.view(np.int64)  # the same slots, as pointer bits
        self.words[C_LOG] = self.log.ctypes.data
        self.words[C_LOG_CAP] = LOG_CAPACITY
        self.words[C_GLOBALS] = self.globals.ctypes.data
        self.address = self.words.ctypes.data
        self.w = memoryview(self.words)  # (a memoryview's items are ~2x cheaper to touch than numpy's)
        self.output: list[str] = []

    def begin(self) -> None:
        w = self.w
        w[C_DEOPT] = 0
        w[C_LOG_N] = 0
        w[C_OUT_N] = 0
        w[C_OUT_COMMITTED] = 0
        w[C_DEPTH] = 0
        w[C_EPOCH] += 1
        w[C_ARENA] = 0
        w[C_ARENA_END] = 0
        w[C_STR] = 0
        w[C_STR_END] = 0
        if self.output:
            self.output.clear()

    def rollback(self) -> None:
        """Undo every logged store since the last commit, newest first."""
        n = int(self.words[C_LOG_N])
        pairs = self.log[: 2 * n].reshape(n, 2)
        for addr, old in pairs[::-1]:
            a = int(addr)
            if a >> LOG_WIDTH_SHIFT:
                _NARROW[a >> LOG_WIDTH_SHIFT].from_address(a & _ADDRESS).value = int(old)
            else:
                ctypes.c_int64.from_address(a).value = int(old)
        self.words[C_LOG_N] = 0
        del self.output[int(self.words[C_OUT_COMMITTED]) :]

    def relocate(self, old: int, size: int, new: int) -> None:
        """A buffer of ``size`` bytes moved from ``old`` to ``new`` mid-run
        (an array compiled code pushed onto grew): the undo log's entries
        for it now name the new copy, which is the one a rollback restores."""
        n = int(self.words[C_LOG_N])
        addrs = self.log[0 : 2 * n : 2]
        at = addrs & _ADDRESS  # (a narrow entry's width tag kept)
        inside = (at >= old) & (at < old + size)
        addrs[inside] += new - old

    def take_output(self) -> list[str]:
        out, self.output = self.output, []
        return out
