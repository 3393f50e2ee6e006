"""Items: an index (key -> metadata) outside the slabs, item bytes inside them.

memcached's semantics: exptime (0 never; up to 30 days relative; else a unix
time; negative: already expired), cas uniques, incr/decr on decimal values
(64-bit wrap up, floor at 0 down), and when memory is full an LRU per size
class: a store evicts its own class's least recently used item, and a class
with nothing to evict takes a slab from the class holding the most.
"""

from __future__ import annotations

import os
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
        }
        self.conns = {"curr_connections": 0, "total_connections": 0, "bytes_read": 0, "bytes_written": 0}
        self.flush_at = 0.0
        self.started = time.time()

    @property
    def protect(self) -> str:
        return self.slabs.protect

    @staticmethod
    def expiry(exptime: int) -> float:
        if exptime == 0:
            return 0.0
        if exptime < 0:
            return -1.0
        return time.time() + exptime if exptime <= THIRTY_DAYS else float(exptime)

    def _live(self, key: bytes) -> Item | None:
        it = self.items.get(key)
        if it is None:
            return None
        now = time.time()
        if (it.exptime and it.exptime <= now) or (self.flush_at and self.flush_at <= now and it.cas <= self._flush_cas):
            self._remove(key, it)
            return None
        self.lru[it.cls.index].move_to_end(key)
        return it

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
        addr = self.slabs.alloc(c)
        while addr is None:
            self._make_room(c)
            addr = self.slabs.alloc(c)
        self.slabs.write(addr, data)
        old = self.items.get(key)
        if old is not None:
            self._remove(key, old)
        it = Item(flags, exptime, self.next_cas, c, addr, len(data))
        self.next_cas += 1
        self.items[key] = it
        self.lru[c.index][key] = it
        self.stats["curr_items"] += 1
        self.stats["total_items"] += 1
        return it

    def _make_room(self, c: SlabClass) -> None:
        lru = self.lru[c.index]
        if lru:
            old_key, old = next(iter(lru.items()))
            self._remove(old_key, old)
            self.stats["evictions"] += 1
            return
        donor = max((d for d in self.slabs.classes if d is not c and d.slabs), key=lambda d: len(d.slabs), default=None)
        if donor is None:
            raise StoreError("SERVER_ERROR out of memory storing object")
        lo = donor.slabs[-1]
        for key, it in [(k, i) for k, i in self.lru[donor.index].items() if lo <= i.addr < lo + SLAB]:
            self._remove(key, it)
            self.stats["evictions"] += 1
        self.slabs.give_slab(c, self.slabs.take_slab(donor))
        self.stats["slabs_moved"] += 1

    # --- commands ---------------------------------------------------------------------

    def get(self, key: bytes, touch: int | None = None) -> tuple[int, bytes, int] | None:
        """flags, bytes and cas of a live item; ``touch``: a new exptime first (gat)."""
        with self.lock:
            self.stats["cmd_get"] += 1
            it = self._live(key)
            if it is None:
                self.stats["get_misses"] += 1
                return None
            if touch is not None:
                self.stats["cmd_touch"] += 1
                it.exptime = self.expiry(touch)
            self.stats["get_hits"] += 1
            return it.flags, self.slabs.read(it.addr, it.nbytes), it.cas

    def set(self, mode: str, key: bytes, flags: int, exptime: int, data: bytes, cas: int = 0) -> str:
        with self.lock:
            self.stats["cmd_set"] += 1
            it = self._live(key)
            exp = self.expiry(exptime)
            if mode == "add" and it is not None:
                return "NOT_STORED"
            if mode in ("replace", "append", "prepend") and it is None:
                return "NOT_STORED"
            if mode == "cas":
                if it is None:
                    return "NOT_FOUND"
                if it.cas != cas:
                    return "EXISTS"
            if mode in ("append", "prepend"):
                old = self.slabs.read(it.addr, it.nbytes)
                data = old + data if mode == "append" else data + old
                flags, exp = it.flags, it.exptime
            if exp < 0:  # stored already expired: memcached answers STORED and drops it
                if it is not None:
                    self._remove(key, it)
                return "STORED"
            self._store(key, data, flags, exp)
            return "STORED"

    def delete(self, key: bytes) -> str:
        with self.lock:
            it = self._live(key)
            if it is None:
                self.stats["delete_misses"] += 1
                return "NOT_FOUND"
            self._remove(key, it)
            self.stats["delete_hits"] += 1
            return "DELETED"

    def incr(self, key: bytes, delta: int, up: bool) -> str:
        with self.lock:
            it = self._live(key)
            if it is None:
                return "NOT_FOUND"
            raw = self.slabs.read(it.addr, it.nbytes).strip()
            if not raw.isdigit() or len(raw) > 20:
                return "CLIENT_ERROR cannot increment or decrement non-numeric value"
            n = int(raw)
            n = (n + delta) % (1 << 64) if up else max(n - delta, 0)
            self._store(key, str(n).encode(), it.flags, it.exptime)
            return str(n)

    def touch(self, key: bytes, exptime: int) -> str:
        with self.lock:
            self.stats["cmd_touch"] += 1
            it = self._live(key)
            if it is None:
                return "NOT_FOUND"
            it.exptime = self.expiry(exptime)
            return "TOUCHED"

    def flush_all(self, delay: int = 0) -> None:
        """Drop every item now, or once ``delay`` has passed: seconds, or a
        Unix time when over 30 days (memcached's rule for times); <= 0: now."""
        with self.lock:
            at = self.expiry(delay) if delay > 0 else 0.0
            if at > time.time():
                self.flush_at = at
                self._flush_cas = self.next_cas
            else:
                for key, it in list(self.items.items()):
                    self._remove(key, it)

    def stat_lines(self, sub: str = "") -> list[tuple[str, object]] | None:
        """``stats`` and its sub-commands (memcached's names); None: unknown."""
        with self.lock:
            if sub == "":
                now = time.time()
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
                    ("item_size_max", self.max_item),
                    ("growth_factor", GROWTH),
                    ("chunk_size", MIN_CHUNK),
                    ("slab_page_size", SLAB),
                    ("evictions", "on"),
                    ("cas_enabled", "yes"),
                    ("protect", self.protect),
                ]
            if sub == "items":
                return [
                    (f"items:{c.index}:{name}", value)
                    for c, lru in zip(self.slabs.classes, self.lru, strict=True)
                    if lru
                    for name, value in (("number", len(lru)), ("chunk_size", c.size))
                ]
            if sub == "slabs":
                rows = [
                    (f"{c.index}:{name}", value)
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
            for k in ("total_connections", "bytes_read", "bytes_written"):
                self.conns[k] = 0

    def close(self) -> None:
        with self.lock:
            self.items.clear()
            for lru in self.lru:
                lru.clear()
            self.slabs.close()
