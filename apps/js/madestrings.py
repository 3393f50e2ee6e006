"""Strings compiled code makes: concatenations, numbers turned into text.

Compiled code holds a string as a descriptor -- its units' address and
count (apps.js.jitstrings).  One it makes lives in a chunk its run holds:
units are taken upward from ``ctx[C_STR]``, descriptors downward from
``ctx[C_STR_END]``.  Keeping the two apart is what makes ``t += c`` in a
loop linear without ropes: when ``t``'s units end where the free space
starts, the new string shares them and only ``c``'s units are copied (a
string never changes, so the old ``t`` -- its own descriptor, its shorter
count -- stays valid); when the right side was made last, right after the
left (``t += i + ";"``), the two already lie in order and nothing is
copied.  Two strings built in turn copy each other's way every step: a run
that copies too many long strings leaves (:meth:`MadeStrings.long_copy`).

A chunk belongs to its run, as the object arena's do (apps.js.arena): a
string the interpreter is to see is decoded into a Python str where the run
hands it out (apps.js.shapes.run_value), and the next run takes the chunks
afresh.  What a run holds counts against its heap budget
(apps.js.allocation): past it, a loop unit commits and leaves, and its
garbage strings go with the run.
"""

from __future__ import annotations

import struct

import numpy as np

from .native import C_DEOPT, C_EPOCH, C_STR, C_STR_END
from .utf16 import to_units
from .values import MAX_STRING

FIRST_CHUNK = 1 << 16  # bytes; each further chunk of a run twice the last, up to LARGEST_CHUNK
LARGEST_CHUNK = 1 << 23
MADE = "made strings"  # (a run's key: (the heap, its run number))
LONG_COPY = 4096  # units: a concatenation copying this many asks the engine first (MadeStrings.long_copy)
LONG_COPIES = 32  # long strings one run may copy so before it leaves, a failed speculation
DESC = 16  # bytes of a descriptor
_DESC = struct.Struct("<qq")  # (its units' address, its count)


class MadeStrings:
    """One per engine (its context words ``words``); ``allocator`` is the
    engine's apps.js.allocation.Allocator: the run in progress, its budget."""

    def __init__(self, words, allocator) -> None:
        self.words, self.allocator = words, allocator
        self.chunks: list[list] = []  # [start, end, buffer, top, low] of this run's chunks, oldest first
        self.spare: np.ndarray | None = None  # a first chunk kept for the next run
        self.epoch = -1
        self.copied = (-1, 0)  # (run number, long strings its concatenations copied)

    def more(self, nbytes: int) -> int:
        """Compiled code's slow path: room for ``nbytes`` of units and a
        descriptor in a new chunk (1), or none -- 0, C_DEOPT set: the run
        holds too much, or the string would be longer than any JS string
        (the interpreter then does what it does)."""
        words = self.words
        words[C_DEOPT] = 1
        try:
            run = self.allocator.ic.run
            if run is None or not 0 <= nbytes <= 2 * MAX_STRING + DESC:
                return 0
            epoch = words[C_EPOCH]
            if self.epoch != epoch:
                if self.chunks and len(self.chunks[0][2]) == FIRST_CHUNK:
                    self.spare = self.chunks[0][2]
                self.chunks, self.epoch = [], epoch
                run[MADE] = (self, epoch)
            elif self.chunks:  # (the full chunk's bounds, for string_at)
                self.chunks[-1][3], self.chunks[-1][4] = words[C_STR], words[C_STR_END]
            # (room to grow past a long string copied in: else each append to
            # it would copy it again; what the string itself holds is live,
            # not counted against the run's budget -- only a chunk's worth)
            usual = min(FIRST_CHUNK << len(self.chunks), LARGEST_CHUNK)
            size = max(usual, (2 * nbytes + 64 + 7) & ~7)
            if not self.allocator._reserve(run, usual >> 3):
                return 0
            buf = self.spare if size == FIRST_CHUNK and self.spare is not None else np.empty(size, np.uint8)
            if buf is self.spare:
                self.spare = None
            start = buf.ctypes.data
            # (units start past the chunk's first word: a string whose units
            # end at the cursor then lies in this chunk, never in a buffer
            # that happens to end where the chunk begins)
            self.chunks.append([start, start + size, buf, 0, 0])
            self.allocator.stats["string_chunks"] += 1
            words[C_STR] = start + 8
            words[C_STR_END] = start + size
            words[C_DEOPT] = 0
            return 1
        except Exception:  # (a MemoryError: leave; never into native code)
            return 0

    def long_copy(self, nbytes: int) -> int:
        """A concatenation about to copy a long string (neither side the
        string made last): 1 to go on, or 0 -- C_DEOPT set -- past
        LONG_COPIES of them in one run.  Appending in place keeps one string
        built in a loop linear (a run copies it once, at its first append);
        two built in turn (``a += x; b += y``) each copy the other's way
        every step: quadratic, where the interpreter's StrBuf is linear.
        Such a unit deoptimises until it is dropped, and the interpreter
        builds them."""
        epoch = int(self.words[C_EPOCH])
        run, copied = self.copied
        copied = (copied if run == epoch else 0) + 1
        self.copied = (epoch, copied)
        if copied > LONG_COPIES:
            self.words[C_DEOPT] = 1
            return 0
        return 1

    def string_at(self, addr: int, epoch: int) -> str | None:
        """The string whose descriptor compiled code made at ``addr`` in run
        ``epoch``, or None: not one (another run's, outside every chunk's
        descriptors, units outside the chunk)."""
        if epoch != self.epoch or addr & 7:
            return None
        for chunk in reversed(self.chunks):  # (the newest holds the most: a run's strings are mostly its last)
            if chunk[0] <= addr < chunk[1]:
                break
        else:
            return None
        start, end, buf, top, low = chunk
        if chunk is self.chunks[-1]:  # (the chunk in use: its cursors are compiled code's)
            top, low = self.words[C_STR], self.words[C_STR_END]
        if not low <= addr <= end - DESC:
            return None
        units, n = _DESC.unpack_from(buf, addr - start)  # (~10x numpy's view for one descriptor)
        if n < 0 or units < start + 8 or units + 2 * n > top:
            return None
        off = units - start
        # (the engine's strings are units: a pair decoded into its character is split again)
        return to_units(str(memoryview(buf)[off : off + 2 * n], "utf-16-le", "surrogatepass"))


def made_string(addr: int, run: dict) -> str | None:
    """What a run holds at ``addr`` if it is a string its compiled code made
    (decoded once; the run keeps it), else None."""
    m = run.get(MADE)
    if m is None:
        return None
    s = m[0].string_at(addr, m[1])
    if s is not None:
        run[addr] = s
    return s
