"""Items: an index (key -> metadata) outside the slabs, item bytes inside them.

memcached's semantics: exptime (0 never; up to 30 days relative; else a unix
time; negative: already expired), cas uniques, incr/decr on decimal values
(64-bit wrap up, floor at 0 down), and when memory is full an LRU per size
class: a store evicts its own class's least recently used item, and a class
with nothing to evict takes a slab from the class holding the most.
"""

from __future__ import annotations

import itertools
import os
import re
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from .slabs import GROWTH, MIN_CHUNK, SLAB, SlabClass, Slabs

VERSION = "1.6.0-mpk"

THIRTY_DAYS = 60 * 60 * 24 * 30
MAX_KEY = 250


class StoreError(Exception):
    """A protocol-level refusal: the message is what the client sees."""


@dataclass
class Item:
    flags: int
    exptime: float  # absolute, 0 = never
    cas: int
    cls: SlabClass
    addr: int
    nbytes: int
    atime: float = 0.0  # last access (meta ``l``)
    fetched: bool = False  # read since stored (meta ``h``)
    stale: bool = False  # marked by ``md ... I``: served with X until recached
    won: bool = False  # a client was told it won the recache (meta W/Z)


def _number(raw: bytes) -> int | None:
    """A stored value as incr/decr read it (strtoull's rule): leading
    whitespace, digits, then whitespace or the end; None if not a number
    below 2**64."""
    m = re.fullmatch(rb"[ \t\n\v\f\r]*\+?(\d+)(?:[ \t\n\v\f\r].*)?", raw, re.S)
    if m is None or int(m.group(1)) >= 1 << 64:
        return None
    return int(m.group(1))


class Store:
    def __init__(self, protect: str = "mpk", limit: int = 64 << 20, max_item: int = 1 << 20) -> None:
        self.slabs = Slabs(protect, limit, max_item)
        self.max_item = max_item
        self.items: dict[bytes, Item] = {}
        self.lru: list[OrderedDict[bytes, Item]] = [OrderedDict() for _ in self.slabs.classes]
        self.lock = threading.RLock()
        self.next_cas = 1
        self.stats = {
            "cmd_get": 0,
            "cmd_set": 0,
            "get_hits": 0,
            "get_misses": 0,
            "evictions": 0,
            "curr_items": 0,
            "total_items": 0,
            "cmd_touch": 0,
            "delete_hits": 0,
            "delete_misses": 0,
            "slabs_moved": 0,
            "cmd_flush": 0,
            "reclaimed": 0,
            "get_expired": 0,
            "get_flushed": 0,
            "incr_misses": 0,
            "incr_hits": 0,
            "decr_misses": 0,
            "decr_hits": 0,
            "cas_misses": 0,
            "cas_hits": 0,
            "cas_badval": 0,
            "touch_hits": 0,
            "touch_misses": 0,
            "store_too_large": 0,
            "store_no_memory": 0,
        }
        self.class_stats = [{"evicted": 0, "reclaimed": 0} for _ in self.slabs.classes]
        self.max_connections = 1024  # the server's -c, for ``stats settings``
        self.flush_enabled = True  # memcached -F turns flush_all off
        self.conns = {
            "curr_connections": 0,
            "total_connections": 0,
            "rejected_connections": 0,
            "bytes_read": 0,
            "bytes_written": 0,
        }
        self.flush_at = 0.0
        self.started = time.time()
        self.detail = False  # ``stats detail on``: count per key prefix (up to the first ':')
        self.prefixes: dict[bytes, list[int]] = {}  # prefix -> [get, hit, set, del]

    def _count(self, key: bytes, column: int, hit: bool = False) -> None:
        if self.detail and b":" in key:
            row = self.prefixes.setdefault(key.split(b":", 1)[0], [0, 0, 0, 0])
            row[column] += 1
            row[1] += hit

    def cachedump(self, cls: int, limit: int) -> bytes:
        """``stats cachedump CLASS LIMIT``: the keys of one size class (memcached
        numbers them from 1), oldest first, at most ``limit`` (0: all)."""
        with self.lock:
            items = list(self.lru[cls - 1].items()) if 1 <= cls <= len(self.lru) else []
            rows = [b"ITEM %s [%d b; %d s]\r\n" % (k, it.nbytes, max(it.exptime, 0)) for k, it in items]
        return b"".join(rows[: limit or None]) + b"END\r\n"

    def detail_dump(self) -> bytes:
        """memcached's ``stats detail dump``: a PREFIX line each, then END."""
        with self.lock:
            rows = [b"PREFIX %s get %d hit %d set %d del %d\r\n" % (p, *r) for p, r in self.prefixes.items()]
        return b"".join(rows) + b"END\r\n"

    @property
    def protect(self) -> str:
        return self.slabs.protect

    shift = 0.0  # seconds added to the clock by ``debugtime`` (memcached's debug builds)
    paused: float | None = None  # ``debugtime p``: the clock stands still

    def now(self) -> float:
        return (self.paused if self.paused is not None else time.time()) + self.shift

    def debug_time(self, arg: bytes) -> None:
        """memcached-debug's ``debugtime``: move the clock by N seconds, or
        pause (p) and resume (r) it -- for testing expiry without waiting."""
        with self.lock:
            if arg == b"p":
                self.paused = time.time() if self.paused is None else self.paused
            elif arg == b"r":
                if self.paused is not None:
                    self.shift -= time.time() - self.paused
                self.paused = None
            else:
                self.shift += int(arg)

    def expiry(self, exptime: int) -> float:
        if exptime == 0:
            return 0.0
        if exptime < 0:
            return -1.0
        return self.now() + exptime if exptime <= THIRTY_DAYS else float(exptime)

    def _dead(self, it: Item, now: float) -> bool:
        """Expired, or flushed by a delayed flush_all that has come due."""
        return bool(it.exptime and it.exptime <= now) or bool(
            self.flush_at and self.flush_at <= now and it.cas <= self._flush_cas
        )

    def _live(self, key: bytes, bump: bool = True) -> Item | None:
        it = self.items.get(key)
        if it is None:
            return None
        if self._dead(it, self.now()):
            self._remove(key, it)
            return None
        if bump:
            self.lru[it.cls.index].move_to_end(key)
        return it

    def find(self, key: bytes, bump: bool = True) -> Item | None:
        """The live item under ``key`` (the caller holds ``lock``); ``bump``:
        move it to the LRU's young end."""
        return self._live(key, bump)

    def value(self, it: Item) -> bytes:
        return self.slabs.read(it.addr, it.nbytes)

    def new_cas(self) -> int:
        self.next_cas += 1
        return self.next_cas - 1

    _flush_cas = 0

    def _remove(self, key: bytes, it: Item) -> None:
        del self.items[key]
        del self.lru[it.cls.index][key]
        self.slabs.release(it.cls, it.addr)
        self.stats["curr_items"] -= 1

    def _store(self, key: bytes, data: bytes, flags: int, exptime: float) -> Item:
        c = self.slabs.class_for(len(data))
        if c is None:
            raise StoreError("SERVER_ERROR object too large for cache")
        self._reclaim(c)
        addr = self.slabs.alloc(c)
        while addr is None:
            self._make_room(c)
            addr = self.slabs.alloc(c)
        self.slabs.write(addr, data)
        old = self.items.get(key)
        if old is not None:
            self._remove(key, old)
        it = Item(flags, exptime, self.new_cas(), c, addr, len(data), atime=self.now())
        self.items[key] = it
        self.lru[c.index][key] = it
        self.stats["curr_items"] += 1
        self.stats["total_items"] += 1
        return it

    TAIL_SEARCH = 5  # memcached looks this far from the LRU's old end for expired items

    def _reclaim(self, c: SlabClass) -> None:
        """Before a store takes fresh memory, reuse the chunks of expired items
        at the old end of its class's LRU (memcached's "reclaimed"), so memory
        full of expired items does not grow or evict live ones."""
        now, lru = self.now(), self.lru[c.index]
        dead = [(k, it) for k, it in itertools.islice(lru.items(), self.TAIL_SEARCH) if self._dead(it, now)]
        for k, it in dead:
            self._remove(k, it)
            self.class_stats[c.index]["reclaimed"] += 1
            self.stats["reclaimed"] += 1

    def _make_room(self, c: SlabClass) -> None:
        lru = self.lru[c.index]
        if lru:
            old_key, old = next(iter(lru.items()))
            self._remove(old_key, old)
            self.stats["evictions"] += 1
            self.class_stats[c.index]["evicted"] += 1
            return
        donor = max((d for d in self.slabs.classes if d is not c and d.slabs), key=lambda d: len(d.slabs), default=None)
        if donor is None:
            self.stats["store_no_memory"] += 1
            raise StoreError("SERVER_ERROR out of memory storing object")
        lo = donor.slabs[-1]
        for key, it in [(k, i) for k, i in self.lru[donor.index].items() if lo <= i.addr < lo + SLAB]:
            self._remove(key, it)
            self.stats["evictions"] += 1
            self.class_stats[donor.index]["evicted"] += 1
        self.slabs.give_slab(c, self.slabs.take_slab(donor))
        self.stats["slabs_moved"] += 1

    # --- commands ---------------------------------------------------------------------

    def get(self, key: bytes, touch: int | None = None) -> tuple[int, bytes, int] | None:
        """flags, bytes and cas of a live item; ``touch``: a new exptime first (gat).
        One index lookup and one clock read: the server's hottest path."""
        stats = self.stats
        with self.lock:
            stats["cmd_get"] += 1
            it = self.items.get(key)
            now = self.now()
            if it is not None and (it.exptime and it.exptime <= now or self.flush_at and self._dead(it, now)):
                stats["get_flushed" if self.flush_at and it.cas <= self._flush_cas else "get_expired"] += 1
                self._remove(key, it)
                it = None
            if self.detail:
                self._count(key, 0, hit=it is not None)
            if touch is not None:
                stats["cmd_touch"] += 1
                stats["touch_hits" if it else "touch_misses"] += 1
            if it is None:
                stats["get_misses"] += 1
                return None
            self.lru[it.cls.index].move_to_end(key)
            if touch is not None:
                it.exptime = self.expiry(touch)
            stats["get_hits"] += 1
            it.fetched, it.atime = True, now
            return it.flags, self.slabs.read(it.addr, it.nbytes), it.cas

    def set(self, mode: str, key: bytes, flags: int, exptime: int, data: bytes, cas: int = 0) -> str:
        """The text protocol's storage commands: the status word only."""
        return self.store(mode, key, flags, exptime, data, cas if mode == "cas" else None)[0]

    def store(
        self,
        mode: str,
        key: bytes,
        flags: int,
        exptime: int,
        data: bytes,
        cas: int | None = None,
        stale_ok: bool = False,
    ) -> tuple[str, int]:
        """Every storage command of every protocol, memcached's rules: a
        ``cas`` (even 0, which matches nothing) turns set and replace into
        cas; a non-zero one must match for append/prepend (add ignores it);
        ``stale_ok`` (meta ``I``) accepts an older non-zero cas, keeping the
        item's TTL and marking it stale.  Returns the status word and the new
        cas (0 unless stored)."""
        with self.lock:
            self.stats["cmd_set"] += 1
            self._count(key, 2)
            c = self.slabs.class_for(len(data))
            if c is not None:  # as memcached, which allocates before it looks the key up
                self._reclaim(c)
            it = self._live(key, bump=False)
            if cas is not None and mode in ("set", "replace"):
                mode = "cas"
            exp = self.expiry(exptime)
            stale = won = False
            if it is None:
                if mode == "cas":
                    self.stats["cas_misses"] += 1
                    return "NOT_FOUND", 0
                if mode in ("replace", "append", "prepend"):
                    return "NOT_STORED", 0
            elif mode == "add":
                self.lru[it.cls.index].move_to_end(key)
                return "NOT_STORED", 0
            elif mode == "cas" and it.cas != cas:
                if not (stale_ok and cas and cas < it.cas):
                    self.stats["cas_badval"] += 1
                    return "EXISTS", 0
                exp, stale, won = it.exptime, True, it.won
            elif mode in ("append", "prepend"):
                if cas and it.cas != cas:
                    return "EXISTS", 0
                old = self.slabs.read(it.addr, it.nbytes)
                data = old + data if mode == "append" else data + old
                flags, exp = it.flags, it.exptime
            if exp < 0:  # stored already expired: memcached answers STORED and drops it
                if it is not None:
                    self._remove(key, it)
                return "STORED", 0
            new = self._store(key, data, flags, exp)
            new.stale, new.won = stale, won
            if mode == "cas":
                self.stats["cas_hits"] += 1
            return "STORED", new.cas

    def delete(self, key: bytes, cas: int = 0) -> str:
        with self.lock:
            self._count(key, 3)
            it = self._live(key, bump=False)
            if it is None or (cas and it.cas != cas):
                self.stats["delete_misses"] += 1
                return "NOT_FOUND" if it is None else "EXISTS"
            self._remove(key, it)
            self.stats["delete_hits"] += 1
            return "DELETED"

    def arith(self, key: bytes, delta: int, up: bool, cas: int = 0) -> tuple[str, int, Item | None]:
        """incr/decr as memcached does them: a value that shrinks is written
        in place, padded with spaces to its old length (``decr`` of 10 leaves
        "9 "), a longer one is a new item; the cas changes either way.
        Returns (status, new value, item): status one of OK, NOT_FOUND,
        EXISTS, NON_NUMERIC."""
        with self.lock:
            it = self._live(key, bump=False)
            if it is None:
                self.stats["incr_misses" if up else "decr_misses"] += 1
                return "NOT_FOUND", 0, None
            if cas and it.cas != cas:
                return "EXISTS", 0, None
            n = _number(self.slabs.read(it.addr, it.nbytes)) if it.nbytes else None
            if n is None:
                return "NON_NUMERIC", 0, None
            n = (n + delta) % (1 << 64) if up else max(n - delta, 0)
            self.stats["incr_hits" if up else "decr_hits"] += 1
            text = str(n).encode()
            if len(text) <= it.nbytes:
                self.slabs.write(it.addr, text.ljust(it.nbytes))
                it.cas = self.new_cas()
                self.lru[it.cls.index].move_to_end(key)
            else:
                it = self._store(key, text, it.flags, it.exptime)
            return "OK", n, it

    def incr(self, key: bytes, delta: int, up: bool) -> str:
        status, n, _ = self.arith(key, delta, up)
        if status == "NON_NUMERIC":
            return "CLIENT_ERROR cannot increment or decrement non-numeric value"
        return str(n) if status == "OK" else status

    def touch(self, key: bytes, exptime: int) -> str:
        with self.lock:
            self.stats["cmd_touch"] += 1
            it = self._live(key)
            self.stats["touch_hits" if it else "touch_misses"] += 1
            if it is None:
                return "NOT_FOUND"
            it.exptime = self.expiry(exptime)
            return "TOUCHED"

    def flush_all(self, delay: int = 0) -> None:
        """Drop every item now, or once ``delay`` has passed: seconds, or a
        Unix time when over 30 days (memcached's rule for times); <= 0: now."""
        with self.lock:
            self.stats["cmd_flush"] += 1
            at = self.expiry(delay) if delay > 0 else 0.0
            if at > self.now():
                self.flush_at = at
                self._flush_cas = self.next_cas
            else:
                for key, it in list(self.items.items()):
                    self._remove(key, it)

    def stat_lines(self, sub: str = "") -> list[tuple[str, object]] | None:
        """``stats`` and its sub-commands (memcached's names); None: unknown."""
        with self.lock:
            if sub == "":
                now = self.now()
                return [
                    ("pid", os.getpid()),
                    ("uptime", int(now - self.started)),
                    ("time", int(now)),
                    ("version", VERSION),
                    ("pointer_size", 64),
                    ("threads", threading.active_count()),
                    ("protect", self.protect),
                    *self.conns.items(),
                    *self.stats.items(),
                    ("bytes", sum(i.nbytes for i in self.items.values())),
                    ("limit_maxbytes", self.slabs.limit),
                ]
            if sub == "settings":
                return [
                    ("maxbytes", self.slabs.limit),
                    ("maxconns", self.max_connections),
                    ("domain_socket", "NULL"),
                    ("flush_enabled", "yes" if self.flush_enabled else "no"),
                    ("item_size_max", self.max_item),
                    ("growth_factor", GROWTH),
                    ("chunk_size", MIN_CHUNK),
                    ("slab_page_size", SLAB),
                    ("evictions", "on"),
                    ("cas_enabled", "yes"),
                    ("protect", self.protect),
                ]
            if sub == "items":  # classes numbered from 1, as memcached does
                now = self.now()
                return [
                    (f"items:{c.index + 1}:{name}", value)
                    for c, lru, cs in zip(self.slabs.classes, self.lru, self.class_stats, strict=True)
                    if lru or any(cs.values())
                    for name, value in (
                        ("number", len(lru)),
                        ("age", int(now - next(iter(lru.values())).atime) if lru else 0),
                        ("evicted", cs["evicted"]),
                        ("reclaimed", cs["reclaimed"]),
                        ("chunk_size", c.size),
                    )
                ]
            if sub == "slabs":
                rows = [
                    (f"{c.index + 1}:{name}", value)
                    for c, lru in zip(self.slabs.classes, self.lru, strict=True)
                    if c.slabs
                    for name, value in (
                        ("chunk_size", c.size),
                        ("chunks_per_page", SLAB // c.size),
                        ("total_pages", len(c.slabs)),
                        ("used_chunks", len(lru)),
                        ("free_chunks", len(c.free)),
                    )
                ]
                active = sum(1 for c in self.slabs.classes if c.slabs)
                return [*rows, ("active_slabs", active), ("total_malloced", self.slabs.used)]
            return None

    def set_memlimit(self, limit: int) -> None:
        """``cache_memlimit``: item memory may grow to ``limit`` bytes (never
        below what is in use, nor past the address space set aside at start)."""
        with self.lock:
            self.slabs.limit = max(self.slabs.used, min(limit, self.slabs.reserved))

    def reset_stats(self) -> None:
        """``stats reset``: the counters, not the state (items, connections)."""
        with self.lock:
            for k in self.stats:
                if k not in ("curr_items",):
                    self.stats[k] = 0
            for cs in self.class_stats:
                cs.update(dict.fromkeys(cs, 0))
            for k in ("total_connections", "rejected_connections", "bytes_read", "bytes_written"):
                self.conns[k] = 0
            self.prefixes.clear()

    def close(self) -> None:
        with self.lock:
            self.items.clear()
            for lru in self.lru:
                lru.clear()
            self.slabs.close()
