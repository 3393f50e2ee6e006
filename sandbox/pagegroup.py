"""A vkey's page group: its mappings, process-wide protection and open
page-table domains, and how its pages must be protected in each state.

- Cached (holds hardware key ``key``): pages are tagged ``key`` with the
  *ceiling* page protection (read+write, plus exec if the group is
  executable); each thread's PKRU decides what it may actually do.
- Evicted (``key == -1``): pages are on key 0 and the page table alone
  enforces the protection.  With no domain open that is the group's own
  protection.  A domain replaces it, as under PKU -- but page tables are
  process-wide, so while domains are open every thread gets the union of each
  thread's innermost domain (execute permission always comes from the group).
"""

from __future__ import annotations

from collections import Counter

from .hw import syscalls
from .prot import PROT_EXEC, PROT_RW
from .region import Region


class PageGroup:
    __slots__ = ("vkey", "prot", "regions", "key", "open_domains", "active")

    def __init__(self, vkey: int, prot: int) -> None:
        self.vkey = vkey
        self.prot = prot
        self.regions: list[Region] = []
        self.key = -1
        self.open_domains = 0  # page-table domains open on it, all threads
        self.active: Counter[int] = Counter()  # each thread's innermost domain prot

    @property
    def length(self) -> int:
        return sum(r.length for r in self.regions)

    def ceiling(self) -> int:
        return PROT_RW | (self.prot & PROT_EXEC)

    def page_prot(self) -> int:
        """Page-table protection while evicted."""
        if not self.active:
            return self.prot
        p = self.prot & PROT_EXEC
        for prot in self.active:
            p |= prot & PROT_RW
        return p

    def _shift(self, add: int, remove: int) -> None:
        before = self.page_prot()
        if remove >= 0:
            self.active[remove] -= 1
            if not self.active[remove]:
                del self.active[remove]
        if add >= 0:
            self.active[add] += 1
        if self.page_prot() != before:
            self.protect_pages()

    def open_page_domain(self, prot: int, shadowed: int) -> None:
        """A thread opened a domain; ``shadowed`` is its previous innermost one (-1: none)."""
        self._shift(prot, shadowed)
        self.open_domains += 1

    def close_page_domain(self, prot: int, uncovered: int) -> None:
        """A thread closed a domain; ``uncovered`` is its innermost one now (-1: none)."""
        self._shift(uncovered, prot)
        self.open_domains -= 1

    def protect_pages(self) -> None:
        """Apply the evicted-state protection with a plain mprotect."""
        p = self.page_prot()
        for r in self.regions:
            syscalls.mprotect(r.address, r.length, p)

    def tag(self, key: int) -> None:
        """Move the pages to hardware ``key`` (ceiling) or back to key 0 (page prot)."""
        p = self.ceiling() if key else self.page_prot()
        for r in self.regions:
            syscalls.pkey_mprotect(r.address, r.length, p, key)

    def map(self, length: int) -> Region:
        """Add a fresh mapping protected for the group's current state."""
        length = syscalls.page_round(length)
        addr = syscalls.mmap_anon(length, self.page_prot())
        region = Region(self.vkey, addr, length)
        if self.key > 0:
            try:
                syscalls.pkey_mprotect(addr, length, self.ceiling(), self.key)
            except BaseException:
                syscalls.munmap(addr, length)
                raise
        self.regions.append(region)
        return region

    def unmap(self) -> None:
        for r in self.regions:
            r._check_releasable()
        for r in self.regions:
            syscalls.munmap(r.address, r.length)
            r._mark_unmapped()
        self.regions.clear()
