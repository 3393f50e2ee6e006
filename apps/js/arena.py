"""Where compiled code builds the objects it makes: a bump arena per run.

A ``new C(...)`` compiled code builds in place (apps.js.allocation.Inline)
called into the engine for every object, ~1.5 us of Python each: most of
what AWFY Bounce or a binary-trees kernel spent.  Now compiled code takes
the object's bytes at ``ctx[C_ARENA]`` while they fit below
``ctx[C_ARENA_END]`` and writes the descriptor there (the shape's id and
where the slots are: right after it) -- the site table at ``ctx[C_SITES]``
holds (shape id, run number) per site -- then stores every slot, as the
constructor does.  A site is
entered in the table, for the run in progress only, once the engine has
checked this run that storing its keys just adds properties (the slow
path, :meth:`apps.js.allocation.Allocator.shaped`); every run starts with
an empty arena and an old run number, so its first object of each site
asks the engine.

An arena object belongs to its run, as a :class:`apps.js.shapes.Made`
block does: most are dropped with it, and the arena is reused from its
start by the next run.  One the interpreter is to see becomes a JSObject
with a block of its own (apps.js.shapes' ``_materialize`` copies it out:
a new address, which the run maps the old one to) -- or, if it is handed
out while compiled code still runs (a callback), stays where compiled code
can still write it until the run's compiled code has finished
(:meth:`Arena.done`), and is copied out then.  No mirror is ever left
in the arena when it is reused.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right

import numpy as np

from .native import C_ARENA, C_ARENA_END, C_BUILT, C_EPOCH, C_SITES, CAPACITY, PUSHED
from .shapes import ARENA, DESC_SLOTS, SHAPES, evacuate
from .values import JSArray

CHUNK_WORDS = 1 << 13  # 64 KiB: one call into the engine per ~1,000-2,000 objects
KEEP_CHUNKS = 64  # chunks kept for the next run (what a run used beyond this is freed)
MAX_SITES = 1 << 12  # sites past this allocate through the engine, as before
# A packed array compiled code makes (a literal, ``new Array(n).fill(v)``,
# map's and filter's results) is built here too, when it fits: four words --
# its data pointer, length, capacity (with PUSHED: its pushes need no note,
# nothing but the run has it) and ARRAY_TAG (| 1: of booleans) -- then its
# elements, max(n, 4) of them.  A larger one is the engine's, as before.
ARRAY_TAG = 0x4A53_4152_5241_5900  # ("JSARRAY\0": told from an object's slot words by where it sits, and this)
ARRAY_HEADER = 4
MAX_ARRAY_ELEMENTS = 1 << 10
GROWN = ("arena array grown",)  # a run's key, with an arena array's address: the buffer its pushes moved it to


class Arena:
    """One per engine (its context words ``words``)."""

    def __init__(self, words, stats: dict) -> None:
        self.words, self.stats = words, stats
        self.sites = np.zeros(2 * MAX_SITES, dtype=np.int64)  # (shape id, run number) per site
        words[C_SITES] = self.sites.ctypes.data
        self.chunks: list[array] = []
        self.starts: list[int] = []  # each chunk's address, in self.chunks' order
        self.order: list[tuple[int, int]] = []  # (address, index) of the chunks used this run, sorted
        self.used = 0  # chunks this run has taken
        self.epoch = -1  # the run the arena holds objects of
        self.running = False  # its compiled code has not finished (done() not called yet)
        self.in_place: list = []  # objects handed out mid-run: their mirrors are in the arena until done()
        self.in_place_arrays: list = []  # (JSArray, address): arrays handed out mid-run, filled again at done()

    def enter(self, run: dict) -> None:
        """The run in progress (compiled code's first slow-path object of it)
        takes the arena: what earlier runs left in it is garbage."""
        epoch = self.words[C_EPOCH]
        if self.epoch == epoch:
            return
        if self.in_place:  # (a run that ended without done(): an exception in its write-back)
            evacuate(self.in_place, None)
        self.in_place_arrays.clear()
        del self.chunks[KEEP_CHUNKS:], self.starts[KEEP_CHUNKS:]
        self.epoch, self.used, self.order, self.running = epoch, 0, [], True
        run[ARENA] = (self, epoch)

    def next_chunk(self) -> None:
        """Hand compiled code the next chunk (the current one is full)."""
        k = self.used
        if k == len(self.chunks):
            c = array("q", bytes(8 * CHUNK_WORDS))
            self.chunks.append(c)
            self.starts.append(c.buffer_info()[0])
        start = self.starts[k]
        self.used = k + 1
        self.order.append((start, k))
        self.order.sort()
        w = self.words
        w[C_ARENA] = start
        w[C_ARENA_END] = start + 8 * CHUNK_WORDS

    def take(self, template: array) -> int:
        """A copy of ``template`` at the arena's cursor (0: no room: the
        caller takes the next chunk first, or builds elsewhere)."""
        w = self.words
        at, size = w[C_ARENA], 8 * len(template)
        if not at or at + size > w[C_ARENA_END]:
            return 0
        w[C_ARENA] = at + size
        k = self.used - 1  # (the cursor is in the chunk taken last)
        off = (at - self.starts[k]) >> 3
        c = self.chunks[k]
        c[off : off + len(template)] = template
        c[off + DESC_SLOTS] = at + 24
        return at

    def take_array(self, n: int, value: float, bools: bool) -> int:
        """A packed array of ``n`` copies of ``value`` at the arena's cursor
        (0: no room, as :meth:`take`)."""
        cap = max(n, 4)
        w = self.words
        at, size = w[C_ARENA], 8 * (ARRAY_HEADER + cap)
        if not at or at + size > w[C_ARENA_END]:
            return 0
        w[C_ARENA] = at + size
        k = self.used - 1
        off = (at - self.starts[k]) >> 3
        c = self.chunks[k]
        c[off : off + ARRAY_HEADER] = array("q", (at + 8 * ARRAY_HEADER, n, cap | PUSHED, ARRAY_TAG | bools))
        if n:
            c[off + ARRAY_HEADER : off + ARRAY_HEADER + n] = array("q", array("d", (value,)).tobytes()) * n
        return at

    def _locate(self, addr: int, epoch: int, words: int):
        """(chunk, word offset) of ``addr`` if ``words`` words from it lie
        below the cursor in a chunk this run took, else None."""
        if epoch != self.epoch or addr & 7 or not self.order:
            return None
        i = bisect_right(self.order, (addr, len(self.chunks))) - 1
        if i < 0:
            return None
        start, k = self.order[i]
        limit = self.words[C_ARENA] if k == self.used - 1 else start + 8 * CHUNK_WORDS
        if addr + 8 * words > limit:
            return None
        return self.chunks[k], (addr - start) >> 3

    def array_at(self, addr: int, epoch: int, run: dict) -> JSArray | None:
        """The array compiled code built at ``addr`` in run ``epoch``, as the
        interpreter is to see it (its elements copied out, noted in the run
        under its address), or None: not one.  One handed out while compiled
        code still runs (a constructor's argument) is filled again once it
        has finished (:meth:`done`): what it stores from now on, or what a
        rollback undoes, is in the arena."""
        at = self._array(addr, epoch, run)
        if at is None:
            return None
        c, off = at
        a = JSArray.of_buffer(self._elements(c, off, addr, run), bool(c[off + 3] & 1))
        run[addr] = a
        if self.running:
            self.in_place_arrays.append((a, addr))
        return a

    def _array(self, addr: int, epoch: int, run: dict):
        """(chunk, word offset) of the array compiled code built at ``addr``
        in run ``epoch`` -- its tag there, its elements right after its
        header or in the buffer its pushes moved them to -- else None."""
        at = self._locate(addr, epoch, ARRAY_HEADER)
        if at is None:
            return None
        c, off = at
        if c[off + 3] & ~1 != ARRAY_TAG or (c[off] != addr + 8 * ARRAY_HEADER and (GROWN, addr) not in run):
            return None
        return at

    def _elements(self, c: array, off: int, addr: int, run: dict) -> array:
        """A copy of the elements of the arena array at ``c[off]`` (in the
        arena, or in the buffer its pushes moved it to)."""
        n = c[off + 1]
        in_chunk = c[off] != addr + 8 * ARRAY_HEADER or off + ARRAY_HEADER + n <= CHUNK_WORDS
        if not (0 <= n <= c[off + 2] & CAPACITY and in_chunk):
            raise LookupError(f"compiled code's array at {addr:#x} has a bad length {n}")
        grown = run.get((GROWN, addr))
        out = array("d")
        if grown is None:
            out.frombytes(memoryview(c)[off + ARRAY_HEADER : off + ARRAY_HEADER + n].tobytes())
        else:
            out.frombytes(memoryview(grown)[:n].tobytes())
        return out

    def grow_array(self, addr: int, epoch: int, run: dict, relocate) -> bool:
        """An arena array's push with its buffer full: the elements to a
        buffer twice as large (kept by the run), the undo log's entries for
        the old one moved with them; False: not an arena array of this run."""
        at = self._array(addr, epoch, run)
        if at is None:
            return False
        c, off = at
        old, cap = c[off], c[off + 2] & CAPACITY
        grown = run.get((GROWN, addr))
        if grown is None:
            buf = array("d")
            buf.frombytes(memoryview(c)[off + ARRAY_HEADER : off + ARRAY_HEADER + cap].tobytes())
        else:
            buf = array("d", grown)
        buf.extend(buf)  # (the copy is spare room)
        new = buf.buffer_info()[0]
        relocate(old, 8 * cap, new)
        run[(GROWN, addr)] = buf
        c[off] = new
        c[off + 2] = len(buf) | PUSHED
        return True

    def enlist(self, site: int, template: array) -> None:
        """Compiled code may build ``site``'s objects (``template``'s shape)
        itself until this run ends."""
        if site < MAX_SITES:
            self.sites[2 * site] = template[0]
            self.sites[2 * site + 1] = self.epoch

    def block(self, addr: int, epoch: int) -> memoryview | None:
        """The object compiled code built at ``addr`` in run ``epoch`` (its
        descriptor words and slots, in place), or None: not one (another
        run's, not an object's start, past the cursor)."""
        at = self._locate(addr, epoch, 3)
        if at is None:
            return None
        c, off = at
        if c[off + DESC_SLOTS] != addr + 24:
            return None
        sid = c[off]
        shape = SHAPES[sid] if 0 < sid < len(SHAPES) else None
        if shape is None or off + 3 + len(shape.keys) > CHUNK_WORDS:
            return None
        return memoryview(c)[off : off + 3 + len(shape.keys)]

    def done(self, run: dict) -> None:
        """The run's compiled code has finished: objects handed out while it
        ran get blocks of their own now (noted in the run: old address ->
        new), and any handed out from now on is copied out at once."""
        if self.running and run.get(ARENA, (None,))[0] is self:
            self.running = False
            w = self.words
            built = int(w[C_BUILT])
            w[C_BUILT] = 0
            self.stats["native_allocations"] += built
            self.stats["built_in_place"] += built
            if self.in_place:
                evacuate(self.in_place, run)
            for a, addr in self.in_place_arrays:
                c, off = self._locate(addr, self.epoch, ARRAY_HEADER)  # (it was found there: it is still)
                elements = self._elements(c, off, addr, run)
                a.refill_packed(elements, len(elements))
            self.in_place_arrays.clear()
