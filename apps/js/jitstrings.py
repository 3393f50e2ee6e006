"""Strings as compiled code sees them: a descriptor of two words -- the
address of the string's UTF-16 code units (``array('H')``) and their count.

The interpreter keeps a string as a Python str of code units (apps.js.utf16),
so the units are its UTF-16-LE encoding with surrogates passed through.  A
string handed to compiled code is encoded once and kept in a bounded table
keyed by its value (equal strings share one descriptor); string literals in
compiled code get descriptors that live as long as the process, their
addresses baked into the code.  Compiled code only reads strings -- their
length, a unit, comparisons -- and never changes one; it may store a string
it holds into an object's property (apps.js.shapes' "str" slots), which the
write-back resolves back to the string by its descriptor's address.
"""

from __future__ import annotations

from array import array

MAX_CACHED = 4096  # strings' descriptors kept between entries into compiled code
MAX_CACHED_UNITS = 256  # (of strings no longer than this: at most ~2 MiB of units kept)


class _Entry:
    __slots__ = ("desc", "units", "addr")

    def __init__(self, s: str) -> None:
        self.units = array("H", s.encode("utf-16-le", "surrogatepass"))
        if not self.units:
            self.units.append(0)  # (a buffer to point at; the length says 0)
        self.desc = array("q", (self.units.buffer_info()[0], len(s)))
        self.addr = self.desc.buffer_info()[0]


class StringTable:
    def __init__(self) -> None:
        self._cache: dict[str, _Entry] = {}
        self._literals: dict[str, _Entry] = {}
        self.by_addr: dict[int, str] = {}  # literals' descriptors -> their strings
        self._units: array | None = None  # (units_table's, made at its first use)

    def entry(self, s: str) -> _Entry:
        """``s``'s descriptor for an entry into compiled code; the caller keeps
        the entry referenced while the code runs (a full table is cleared)."""
        e = self._cache.get(s)
        if e is None:
            if len(s) > MAX_CACHED_UNITS:  # (a long one is the run's alone: a string built over many
                return _Entry(s)  # runs would leave every length it had in the table)
            if len(self._cache) >= MAX_CACHED:
                self._cache.clear()
            e = self._cache[s] = _Entry(s)
        return e

    def literal_addr(self, s: str) -> int:
        """The descriptor address of ``s`` if it is a literal of compiled code, else 0."""
        e = self._literals.get(s)
        return 0 if e is None else e.addr

    def units_table(self) -> int:
        """The address of 256 words: the descriptors of the one-unit strings
        U+0000..U+00FF, literals each (never freed) -- what ``s[i]`` gives in
        compiled code, found by the unit without making a string there."""
        t = self._units
        if t is None:
            t = self._units = array("q", (self.literal(chr(u)) for u in range(256)))
        return t.buffer_info()[0]

    def literal(self, s: str) -> int:
        """The descriptor address of a literal in compiled code (never freed)."""
        e = self._literals.get(s)
        if e is None:
            e = self._literals[s] = _Entry(s)
            self.by_addr[e.addr] = s
        return e.addr


STRINGS = StringTable()  # (one per process: every engine's strings have the same units)
STRINGS.literal("")  # (the placeholder of a "str" slot an object is built with: apps.js.allocation)


def string_word(s: str, run: dict) -> int:
    """The descriptor address compiled code holds for ``s`` in an object's
    slot during one run: a literal's (never freed), else a table entry the
    run keeps alive, noted in ``run`` (address -> value) so that a store of
    it anywhere is resolved back to ``s``."""
    addr = STRINGS.literal_addr(s)
    if addr:
        return addr
    e = STRINGS.entry(s)
    run[e.addr] = s
    run[-e.addr] = e  # (kept alive while the code runs)
    return e.addr
