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

The authoritative state lives in guarded table rows (sandbox.tables); this
object is the Python handle on them plus the Region objects views hang on.
"""

from __future__ import annotations

from .hw import syscalls
from .pagedomain import G_ACTIVE, G_KEY, G_OPEN, G_PROT, G_RUN_ADDR, G_RUN_LEN, G_VKEY, GROUP_WORDS, page_prot
from .prot import PROT_EXEC, PROT_RW
from .region import Region, Reservation
from .tables import Table

# group row: G_VKEY, G_PROT, G_KEY, G_OPEN, G_NREG, G_RUN_ADDR, G_RUN_LEN, then
# G_ACTIVE (8 words: count of threads whose innermost domain is prot 0..7)
G_NREG = 4
assert GROUP_WORDS >= G_ACTIVE + 8 and G_NREG < G_RUN_ADDR < G_RUN_LEN < G_ACTIVE
# region row
R_ADDR, R_LEN, R_VKEY = range(1, 4)  # word 0 is the table's FREE marker / vkey tag
REGION_WORDS = 4


def _release(addr: int, length: int, within: Reservation | None) -> None:
    """Unmap, or hand the pages back to their reservation (fresh, PROT_NONE)."""
    if within is None:
        syscalls.munmap(addr, length)
    else:
        syscalls.mmap_fixed(addr, length, 0, syscalls.MAP_NORESERVE)
        within.give(addr, length)


class PageGroup:
    __slots__ = ("vkey", "row", "regions", "pinned", "_rows", "_t", "_rt")

    def __init__(self, vkey: int, prot: int, groups: Table, regions: Table) -> None:
        self._t, self._rt = groups, regions
        self.vkey = vkey
        self.row = groups.add()
        b = groups.base(self.row)
        groups.w[b + G_VKEY] = vkey
        groups.w[b + G_PROT] = prot
        groups.w[b + G_KEY] = -1
        self.regions: list[Region] = []
        self.pinned = 0
        self._rows: list[int] = []

    def _get(self, field: int) -> int:
        b = self._t.base(self.row)
        if self._t.w[b + G_VKEY] != self.vkey:
            raise RuntimeError(f"page-group table row {self.row} does not belong to vkey {self.vkey}")
        return int(self._t.w[b + field])

    def _set(self, field: int, value: int) -> None:
        self._t.w[self._t.base(self.row) + field] = value

    prot = property(lambda self: self._get(G_PROT), lambda self, v: self._set(G_PROT, v))
    key = property(lambda self: self._get(G_KEY), lambda self, v: self._set(G_KEY, v))
    open_domains = property(lambda self: self._get(G_OPEN), lambda self, v: self._set(G_OPEN, v))

    @property
    def length(self) -> int:
        return sum(r.length for r in self.regions)

    def ceiling(self) -> int:
        return PROT_RW | (self.prot & PROT_EXEC)

    def _row(self):
        b = self._t.base(self.row)
        row = self._t.w[b : b + GROUP_WORDS]
        if row[G_VKEY] != self.vkey:
            raise RuntimeError(f"page-group table row {self.row} does not belong to vkey {self.vkey}")
        return row

    def page_prot(self) -> int:
        """Page-table protection while evicted."""
        return int(page_prot(self._row(), 0))

    def _shift(self, add: int, remove: int) -> None:
        """Move one active domain from prot ``remove`` to ``add`` (-1: none).

        The invariant: while evicted, every run has the row's ``page_prot``.
        So a refused mprotect puts the counts back and the old protection on
        every run it reached (the refused one too: mprotect may change part
        of a range before failing), and the error propagates: the domain was
        neither opened nor closed.
        """
        row = self._row()
        w, b = self._t.w, self._t.base(self.row)

        def count(n: int) -> None:
            if add >= 0:
                w[b + G_ACTIVE + add] = row[G_ACTIVE + add] + n
            if remove >= 0:
                w[b + G_ACTIVE + remove] = row[G_ACTIVE + remove] - n

        before = int(page_prot(row, 0))
        count(1)
        after = int(page_prot(row, 0))
        if after == before:
            return
        reached: list[tuple[int, int]] = []
        try:
            for run in self._runs():
                reached.append(run)
                syscalls.mprotect(*run, after)
        except BaseException:
            count(-1)
            for run in reached:
                try:
                    syscalls.mprotect(*run, before)
                except BaseException:
                    pass  # the first error is the one to report
            raise

    def open_page_domain(self, prot: int, shadowed: int) -> None:
        """A thread opened a domain; ``shadowed`` is its previous innermost one (-1: none)."""
        self._shift(prot, shadowed)
        self.open_domains += 1

    def close_page_domain(self, prot: int, uncovered: int) -> None:
        """A thread closed a domain; ``uncovered`` is its innermost one now (-1: none)."""
        self._shift(uncovered, prot)
        self.open_domains -= 1

    def _spans(self) -> list[tuple[int, int]]:
        """Addresses and lengths from the guarded region rows."""
        out = []
        for row in self._rows:
            b = self._rt.base(row)
            if self._rt.w[b + R_VKEY] != self.vkey:
                raise RuntimeError(f"region table row {row} does not belong to vkey {self.vkey}")
            out.append((int(self._rt.w[b + R_ADDR]), int(self._rt.w[b + R_LEN])))
        return out

    def _runs(self) -> list[tuple[int, int]]:
        """The spans with neighbours merged: a group grown piece by piece inside
        one reservation costs one syscall per switch, not one per piece."""
        runs: list[list[int]] = []
        for addr, length in sorted(self._spans()):
            if runs and runs[-1][0] + runs[-1][1] == addr:
                runs[-1][1] += length
            else:
                runs.append([addr, length])
        return [(a, n) for a, n in runs]

    def protect_pages(self) -> None:
        """Apply the evicted-state protection with a plain mprotect."""
        p = self.page_prot()
        for addr, length in self._runs():
            syscalls.mprotect(addr, length, p)

    def tag(self, key: int) -> None:
        """Move the pages to hardware ``key`` (ceiling) or back to key 0 (page prot)."""
        p = self.ceiling() if key else self.page_prot()
        for addr, length in self._runs():
            syscalls.pkey_mprotect(addr, length, p, key)

    def map(self, length: int, within: Reservation | None = None) -> Region:
        """Add a fresh mapping protected for the group's current state."""
        length = syscalls.page_round(length)
        if within is None:
            addr = syscalls.mmap_anon(length, self.page_prot())
        else:
            addr = within.take(length)
            try:
                syscalls.mmap_fixed(addr, length, self.page_prot())
            except BaseException:
                within.give(addr, length)
                raise
        key = self.key
        try:  # no pages without their row: a mapping recorded nowhere is never protected nor unmapped
            if key > 0:
                syscalls.pkey_mprotect(addr, length, self.ceiling(), key)
            row = self._rt.add()
        except BaseException:
            _release(addr, length, within)
            raise
        b = self._rt.base(row)
        self._rt.w[b + R_ADDR] = addr
        self._rt.w[b + R_LEN] = length
        self._rt.w[b + R_VKEY] = self.vkey
        region = Region(self.vkey, addr, length)
        region._within = within
        self.regions.append(region)
        self._rows.append(row)
        self._publish()
        return region

    def unmap(self) -> None:
        """Unmap every region and free the group's rows.

        Each region leaves the group (its list entries and its row) as its
        pages are released, so a release refused half-way leaves a smaller
        group, consistent with the kernel, that a retry finishes.
        """
        for r in self.regions:
            r._check_releasable()
        try:
            for (addr, length), r, row in zip(self._spans(), list(self.regions), list(self._rows), strict=True):
                _release(addr, length, r._within)
                r._mark_unmapped()
                self._rt.drop(row)
                del self.regions[0], self._rows[0]
        finally:
            self._publish()
        self._t.drop(self.row)

    def _publish(self) -> None:
        """The row's summary of the regions: their count, and their one range
        when they form one (what the native page switch mprotects; else 0)."""
        self._set(G_NREG, len(self._rows))
        runs = self._runs()
        addr, length = runs[0] if len(runs) == 1 else (0, 0)
        self._set(G_RUN_ADDR, addr)
        self._set(G_RUN_LEN, length)
