"""The hardware-key cache: which vkey owns which hardware key.

Pure policy over the arena's key table (or any table with the same layout), so
it can be tested with any capacity -- 15, 2 or 0 -- on any machine:

- a miss takes a free key when there is one;
- otherwise, libmpk's ``evict_rate``: only one contested miss in every
  ``evict_rate + 1`` evicts (the least recently used unpinned key); the others
  fall back to page-table protection for that call, which spares a hot set
  larger than the cache from thrashing;
- a key pinned by an open domain in any thread is never evicted; if eviction is
  due and every key is pinned, :class:`KeysExhaustedError`.  (Pins count
  recorded domains; sandbox.core also asks every thread about the others
  before it takes a victim, and passes over one in use: ``next_victim``.)

Claiming is the lock-free half of the protocol in sandbox.switch: a key is
taken by CAS-ing its pin count 0 -> PIN_CLAIMED, which fails if any thread has
it pinned, and is handed over (``assign``/``release``) by removing the claim.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

import numpy as np

from .arena import K_OWNER, K_PIN, K_RIGHTS, K_STAMP, OWNER_FREE, PIN_CLAIMED, PrivateTable, key_base, vhint_base
from .errors import KeysExhaustedError
from .store import Words, stamp


@dataclass(frozen=True)
class Grant:
    """A claimed key for ``vkey``; ``victim`` is the vkey evicted from it, if any."""

    key: int
    victim: int | None


class KeyCache:
    def __init__(
        self,
        table: Words | PrivateTable,
        keys: Sequence[int],
        evict_rate: int = 0,
        recent: Callable[[], np.ndarray] | None = None,
    ) -> None:
        if evict_rate < 0:
            raise ValueError("evict_rate must be >= 0")
        self.table = table
        self.recent = recent  # per key, the latest hit stamp the switch left outside the table
        self.keys = tuple(keys)
        self.evict_rate = evict_rate
        self.contested_misses = 0
        self.evictions = 0
        self.fallbacks = 0
        for k in self.keys:
            table[key_base(k) + K_OWNER] = OWNER_FREE
            table[key_base(k) + K_PIN] = 0

    @property
    def capacity(self) -> int:
        return len(self.keys)

    def owner(self, key: int) -> int:
        return int(self.table[key_base(key) + K_OWNER])

    def pins(self, key: int) -> int:
        return int(self.table[key_base(key) + K_PIN])

    def lookup(self, vkey: int) -> int:
        """The key ``vkey`` holds, or -1."""
        for k in self.keys:
            if self.table[key_base(k) + K_OWNER] == vkey:
                return k
        return -1

    def _claim(self, key: int) -> bool:
        return self.table.cas(key_base(key) + K_PIN, 0, PIN_CLAIMED) == 0

    def _unclaim(self, key: int) -> None:
        self.table.add(key_base(key) + K_PIN, -PIN_CLAIMED)

    def choose(self, vkey: int) -> Grant | None:
        """Claim a key for ``vkey``'s miss, or None: stay on page tables this time."""
        for k in self.keys:
            if self.table[key_base(k) + K_OWNER] == OWNER_FREE and self._claim(k):
                return Grant(k, None)
        if not self.keys:
            return None
        self.contested_misses += 1
        if self.contested_misses % (self.evict_rate + 1):
            self.fallbacks += 1
            return None
        return self.next_victim(vkey)

    def choose_now(self, vkey: int) -> Grant:
        """Claim a key for ``vkey`` regardless of evict_rate (pinning)."""
        for k in self.keys:
            if self.table[key_base(k) + K_OWNER] == OWNER_FREE and self._claim(k):
                return Grant(k, None)
        return self.next_victim(vkey)

    def next_victim(self, vkey: int, passed: Collection[int] = ()) -> Grant:
        """Claim the least recently used owned key not in ``passed``."""
        extra = self.recent() if self.recent is not None else None
        for k in sorted(self.keys, key=lambda k: self._stamp(k, extra)):
            if k not in passed and self.table[key_base(k) + K_OWNER] >= 0 and self._claim(k):
                self.evictions += 1
                return Grant(k, self.owner(k))
        raise KeysExhaustedError(
            f"all {len(self.keys)} hardware keys are pinned or in use by open domains; "
            f"end a domain before beginning one on vkey {vkey}"
        )

    def _stamp(self, k: int, extra: np.ndarray | None) -> int:
        own = int(self.table[key_base(k) + K_STAMP])
        return own if extra is None else max(own, int(extra[k]))

    def claim_owned(self, key: int) -> bool:
        """Claim ``key`` to take it from its owner (munmap); False while pinned."""
        return self._claim(key)

    def assign(self, grant_key: int, vkey: int, rights: int) -> None:
        """Publish ``vkey`` as the owner of a claimed key and drop the claim."""
        kb = key_base(grant_key)
        self.table[kb + K_RIGHTS] = rights
        self.touch(grant_key)
        self.table[kb + K_OWNER] = vkey
        h = vhint_base(vkey)
        self.table[h : h + 2] = (vkey, grant_key)
        self._unclaim(grant_key)

    def vacate(self, key: int) -> None:
        """Mark a claimed key ownerless (first step of eviction or unmap)."""
        self.table[key_base(key) + K_OWNER] = OWNER_FREE

    def release(self, key: int) -> None:
        """Drop the claim on a key left free."""
        self.table[key_base(key) + K_OWNER] = OWNER_FREE
        self._unclaim(key)

    def touch(self, key: int) -> None:
        """Mark ``key`` most recently used (the switch does this on every hit)."""
        self.table[key_base(key) + K_STAMP] = int(stamp())

    def set_rights(self, key: int, rights: int) -> None:
        self.table[key_base(key) + K_RIGHTS] = rights
