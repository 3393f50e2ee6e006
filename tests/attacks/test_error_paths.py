"""Error paths must leave the library's tables consistent.

An operation that fails -- a thread that never acknowledges a PKRU sync, a
system call refused half-way through a group's pages -- must either have
happened or not: no key default the switch would shift into PKRU as garbage,
no page keeping rights (or a hardware key's tag) the tables do not record,
no key handed out with another group's pages still tagged with it.
Failures are injected by replacing the syscall wrappers
(sandbox.hw.syscalls) so that one chosen call fails; faults that could kill
the process run in a forked child.
"""

from __future__ import annotations

import errno
import signal
import threading

import pytest

from libmpk import sandbox
from libmpk.sandbox import PROT_EXEC, PROT_READ, PROT_WRITE, api, switch
from libmpk.sandbox.arena import ARENA, K_DEFAULT, K_OWNER, K_PIN, OWNER_QUARANTINED, key_base
from libmpk.sandbox.errors import OSCallError
from libmpk.sandbox.forked import run_in_child
from libmpk.sandbox.hw import sync, syscalls
from libmpk.sandbox.hw.maps import mappings

from ..handshake import expect

RW = PROT_READ | PROT_WRITE
PAGE = 4096


def check_consistent() -> None:
    """Every table agrees with the kernel and with the others.

    - a group holding key k owns k in the key table, and all its pages are
      tagged k with the ceiling protection;
    - a group without a key has all its pages on key 0 with its page-table
      protection;
    - a key owned by a vkey belongs to that vkey's group; no claim is left;
    - every key's default is a valid 2-bit PKRU field.
    """
    s = api._sb()
    maps = mappings()
    for vkey, g in s.groups.items():
        k = g.key
        want_key, want_prot = (k, g.ceiling()) if k >= 0 else (0, g.page_prot())
        if k >= 0:
            assert s.cache.owner(k) == vkey, f"vkey {vkey} holds key {k}, owned by {s.cache.owner(k)}"
        for r in g.regions:
            parts = [m for m in maps if m.start < r.address + r.length and m.end > r.address]
            assert parts and parts[0].start <= r.address and parts[-1].end >= r.address + r.length
            for m in parts:
                assert (m.pkey, m.prot) == (want_key, want_prot), (
                    f"vkey {vkey} page {m.start:#x}: key {m.pkey} prot {m.prot}, tables say key {want_key} "
                    f"prot {want_prot}"
                )
    for k in s.cache.keys:
        owner = s.cache.owner(k)
        if owner >= 0:
            assert s.groups[owner].key == k, f"key {k} is owned by vkey {owner}, whose group says {s.groups[owner].key}"
        assert s.cache.pins(k) >= 0, f"key {k} is left claimed"
    for k in range(1, 16):
        assert 0 <= ARENA.words[key_base(k) + K_DEFAULT] <= 3, f"key {k}'s default is not PKRU bits"


def fail_once(monkeypatch: pytest.MonkeyPatch, address: int, times: int = 1) -> list[str]:
    """The next ``times`` mprotect/pkey_mprotect/munmap calls starting at
    ``address`` fail with EIO (the kernel's refusal) and change nothing."""
    failed: list[str] = []
    for name in ("mprotect", "pkey_mprotect", "munmap"):
        real = getattr(syscalls, name)

        def wrapper(addr, *args, _real=real, _name=name):
            if addr == address and len(failed) < times:
                failed.append(_name)
                raise OSCallError(_name, errno.EIO, "injected")
            return _real(addr, *args)

        monkeypatch.setattr(syscalls, name, wrapper)
    return failed


def two_runs(sb, vkey: int, prot: int = RW) -> tuple[int, int]:
    """Map ``vkey`` as two separate page runs (a spacer vkey between them, in
    one reservation); their addresses, in the order the library walks them."""
    r = sb.reserve(3 * PAGE)
    first = sb.mmap(vkey, PAGE, prot, within=r).address
    sb.mmap(vkey + 1000, PAGE, prot, within=r)
    second = sb.mmap(vkey, PAGE, prot, within=r).address
    assert second != first + PAGE
    return first, second


def load(sb, vkey: int) -> None:
    with sb.domain(vkey, PROT_READ):
        pass


def load_if_keyed(sb, vkey: int, keyed: bool) -> None:
    """The keyed variant of a test: ``vkey`` in a hardware key (pku only)."""
    if keyed:
        if sb.backend_name() != "pku":
            pytest.skip("no hardware keys on this backend")
        load(sb, vkey)


# --- a PKRU sync that does not complete ------------------------------------------------


def _sync_failure_scenario(backend: str) -> dict:
    """In a forked child: a thread blocks the sync signal, so mprotect of a
    vkey this thread has a domain on cannot reach it (SyncError on pku).
    The domain's end() then restores the key's recorded default -- once -1,
    shifted into PKRU: every higher key's bits set, the arena's key
    access-disabled, and the next library call died of SEGV_PKUERR."""
    sandbox.shutdown()
    sandbox.init(backend=backend, sync_timeout=0.3)
    a, b, c = 40, 41, 42
    for v in (a, b, c):
        sandbox.mmap(v, PAGE, RW)
    load(sandbox, b)
    sandbox.begin(a, RW)
    blocking, done = threading.Event(), threading.Event()

    def blocker() -> None:
        signal.pthread_sigmask(signal.SIG_BLOCK, {sync.SIGNAL})
        blocking.set()
        expect(done, "the test's end")

    t = threading.Thread(target=blocker)
    t.start()
    expect(blocking, "the thread that blocks the sync signal")
    pku = backend == "pku"
    before = switch.read_pkru() if pku else 0
    out: dict = {}
    try:
        sandbox.mprotect(a, PROT_READ)
        out["mprotect"] = "ok"
    except sync.SyncError:
        out["mprotect"] = "SyncError"
    sandbox.end(a)
    if pku:
        ka = sandbox.stats()["cached"][a]
        others = 0xFFFFFFFF & ~(3 << (2 * ka))
        out["other keys unchanged"] = (switch.read_pkru() & others) == (before & others)
        out["a's bits"] = (switch.read_pkru() >> (2 * ka)) & 3
    with sandbox.domain(b, RW):  # the library keeps working
        sandbox.regions(b)[0].view()[0] = 9
    with sandbox.domain(c, RW):  # a load whose broadcast fails: stays on page tables
        sandbox.regions(c)[0].view()[0] = 8
    out["sync_failures"] = sandbox.stats()["sync_failures"]
    check_consistent()
    done.set()
    t.join()
    # "unknown, re-broadcast next time": the same protection again is not skipped
    n = sandbox.stats()["broadcasts"]
    sandbox.mprotect(a, PROT_READ)
    out["rebroadcasts"] = sandbox.stats()["broadcasts"] - n
    with sandbox.domain(a, PROT_READ):
        out["a readable"] = int(sandbox.regions(a)[0].view()[0]) == 0
    check_consistent()
    return out


def test_a_failed_sync_leaves_valid_key_defaults(backend):
    out = run_in_child(_sync_failure_scenario, backend)
    assert out.ok, str(out)
    if backend == "pku":
        assert out.value == {
            "mprotect": "SyncError",
            "other keys unchanged": True,
            "a's bits": 2,  # the new default (read-only), which the threads that answered hold
            "sync_failures": 1,
            "rebroadcasts": 1,
            "a readable": True,
        }
    else:  # no hardware keys: nothing to synchronise, a blocking thread is harmless
        assert out.value == {"mprotect": "ok", "sync_failures": 0, "rebroadcasts": 0, "a readable": True}


# --- page-table calls refused half-way -----------------------------------------------------


@pytest.mark.parametrize("keyed", [False, True], ids=["evicted", "keyed"])
def test_mprotect_failing_half_way_changes_no_page(sb, monkeypatch, keyed):
    """Adding PROT_EXEC to a two-run group, the second run's call refused:
    before, the first run kept PROT_EXEC while the table said no exec."""
    first, second = two_runs(sb, 50)
    load_if_keyed(sb, 50, keyed)
    failed = fail_once(monkeypatch, second)
    with pytest.raises(OSCallError, match="injected"):
        sb.mprotect(50, RW | PROT_EXEC)
    assert failed
    monkeypatch.undo()
    assert sb.protection(50) == RW
    check_consistent()
    sb.mprotect(50, RW | PROT_EXEC)  # works afterwards, on every page
    assert all(sb.access(a) & PROT_EXEC for a in (first, second))
    check_consistent()


def test_munmap_failing_keeps_the_group_and_its_key(sb, monkeypatch):
    """munmap of a keyed group whose unmapping is refused: before, its key
    went back to the free list with the group's pages still tagged with it
    -- the next vkey loaded into that key would open them too."""
    sb.mmap(52, PAGE, RW)
    sb.mmap(52, PAGE, RW)
    first = sb.regions(52)[0].address
    with sb.domain(52, RW):
        sb.regions(52)[0].view()[:4] = b"keep"
    load(sb, 52)
    failed = fail_once(monkeypatch, first)
    with pytest.raises(OSCallError, match="injected"):
        sb.munmap(52)
    assert failed == ["munmap"]
    monkeypatch.undo()
    check_consistent()
    with sb.domain(52, PROT_READ):
        assert bytes(sb.regions(52)[0].view()[:4]) == b"keep"
    sb.mmap(53, PAGE, RW)
    load(sb, 53)  # takes a key: never 52's
    check_consistent()
    sb.munmap(52)
    check_consistent()


@pytest.mark.pku
def test_loading_a_key_failing_half_way_leaves_no_tag(pku, monkeypatch):
    """Tagging a two-run group with its new key, the second run refused:
    before, the first run kept the key's tag while the group stayed
    evicted and the key went back to the free list."""
    first, second = two_runs(pku, 60)
    failed = fail_once(monkeypatch, second)
    with pytest.raises(OSCallError, match="injected"):
        pku.begin(60, RW)
    assert failed == ["pkey_mprotect"]
    monkeypatch.undo()
    assert 60 not in pku.stats()["cached"]
    check_consistent()
    with pku.domain(60, RW):  # loads now
        pku.regions(60)[1].view()[0] = 3
    assert 60 in pku.stats()["cached"]
    check_consistent()


@pytest.mark.pku
def test_evicting_a_key_failing_half_way_leaves_no_tag(pku, monkeypatch):
    """Every key taken; the next miss evicts the least recently used vkey,
    whose second run refuses to be untagged: before, the victim's group
    still named the key, now free, with one of its runs tagged with it."""
    capacity = len(api._sb().cache.keys)
    first, second = two_runs(pku, 70)
    load(pku, 70)  # the least recently used
    for v in range(71, 70 + capacity):
        pku.mmap(v, PAGE, RW)
        load(pku, v)
    pku.mmap(99, PAGE, RW)
    failed = fail_once(monkeypatch, second)
    with pytest.raises(OSCallError, match="injected"):
        pku.begin(99, RW)
    assert failed == ["pkey_mprotect"]
    monkeypatch.undo()
    assert 70 not in pku.stats()["cached"] and 99 not in pku.stats()["cached"]
    check_consistent()
    load(pku, 99)
    load(pku, 70)
    check_consistent()


@pytest.mark.pku
def test_a_key_whose_tags_cannot_be_undone_is_quarantined(pku, monkeypatch):
    """When even the roll-back is refused, the key may still tag the group's
    pages: it must never be handed to another vkey."""
    first, second = two_runs(pku, 80)
    failed = fail_once(monkeypatch, second, times=2)  # the load and its roll-back
    with pytest.raises(OSCallError, match="injected"):
        pku.begin(80, RW)
    assert len(failed) == 2
    monkeypatch.undo()
    s = api._sb()
    bad = [k for k in s.cache.keys if s.cache.owner(k) == OWNER_QUARANTINED]
    assert len(bad) == 1 and ARENA.words[key_base(bad[0]) + K_PIN] == 0
    for v in range(81, 81 + len(s.cache.keys)):  # every other key, and evictions
        pku.mmap(v, PAGE, RW)
        load(pku, v)
        assert s.cache.owner(bad[0]) == OWNER_QUARANTINED
        assert ARENA.words[key_base(bad[0]) + K_OWNER] == OWNER_QUARANTINED
    assert bad[0] not in pku.stats()["cached"].values()


# --- page-table domains, unmapping and mapping refused half-way ----------------------------


def keys_all_taken(sb) -> None:
    """Re-initialise so that a miss never evicts, and give every hardware key
    an owner: a begin on any other vkey then opens a page-table domain (on the
    fallback, without keys, every domain is one)."""
    backend = sb.backend_name()
    sb.shutdown()
    sb.init(backend=backend, evict_rate=1 << 30)
    for v in range(900, 900 + len(api._sb().cache.keys)):
        sb.mmap(v, PAGE, RW)
        load(sb, v)


def test_begin_failing_half_way_leaves_no_phantom_domain(sb, monkeypatch):
    """A page-table domain on a read-only two-run group, the second run's
    mprotect refused: before, the thread's stack dropped the domain but the
    group kept counting it -- the first run stayed read-write for every
    thread, through later begin/end pairs, with no domain open."""
    keys_all_taken(sb)
    first, second = two_runs(sb, 54, PROT_READ)
    failed = fail_once(monkeypatch, second)
    with pytest.raises(OSCallError, match="injected"):
        sb.begin(54, RW)
    assert failed == ["mprotect"]
    monkeypatch.undo()
    assert [sb.access(a) for a in (first, second)] == [PROT_READ, PROT_READ]
    check_consistent()
    with pytest.raises(sandbox.DomainError):
        sb.end(54)  # no domain was opened
    with sb.domain(54, RW):
        assert [sb.access(a) for a in (first, second)] == [RW, RW]
    assert 54 not in sb.stats()["cached"]
    assert [sb.access(a) for a in (first, second)] == [PROT_READ, PROT_READ]
    check_consistent()
    sb.munmap(54)  # no domain is left open on it


def test_end_failing_half_way_leaves_the_domain_open(sb, monkeypatch):
    """The same refusal while a page-table domain ends: the domain stays
    open (its pages as the tables say) and a second end closes it."""
    keys_all_taken(sb)
    first, second = two_runs(sb, 55, PROT_READ)
    sb.begin(55, RW)
    failed = fail_once(monkeypatch, second)
    with pytest.raises(OSCallError, match="injected"):
        sb.end(55)
    assert failed == ["mprotect"]
    monkeypatch.undo()
    assert [sb.access(a) for a in (first, second)] == [RW, RW]
    check_consistent()
    sb.end(55)
    assert [sb.access(a) for a in (first, second)] == [PROT_READ, PROT_READ]
    check_consistent()
    with pytest.raises(sandbox.DomainError):
        sb.end(55)
    sb.munmap(55)


@pytest.mark.parametrize("keyed", [False, True], ids=["evicted", "keyed"])
def test_munmap_failing_half_way_finishes_on_retry(sb, monkeypatch, keyed):
    """The second region's munmap refused: before, the first region's table
    row was freed but still listed, and every later munmap of the vkey
    raised RuntimeError -- the rest of its pages could never be released."""
    sb.mmap(56, PAGE, RW)
    sb.mmap(56, PAGE, RW)
    first, second = (r.address for r in sb.regions(56))
    load_if_keyed(sb, 56, keyed)
    failed = fail_once(monkeypatch, second)
    with pytest.raises(OSCallError, match="injected"):
        sb.munmap(56)
    assert failed == ["munmap"]
    monkeypatch.undo()
    assert [r.address for r in sb.regions(56)] == [second]
    check_consistent()
    with sb.domain(56, RW):
        sb.regions(56)[0].view()[0] = 1
    sb.munmap(56)
    with pytest.raises(sandbox.VkeyError):
        sb.regions(56)
    check_consistent()


def test_a_half_unmapped_group_switches_only_its_own_pages(sb, monkeypatch):
    """A one-range group half released back to its reservation: the range
    the native page switch mprotects must shrink with it -- before, it kept
    covering the freed page, which the next mapping there (another vkey's)
    got, and a domain on the first vkey opened it."""
    r = sb.reserve(2 * PAGE)
    first = sb.mmap(57, PAGE, PROT_READ, within=r).address
    second = sb.mmap(57, PAGE, PROT_READ, within=r).address
    assert second == first + PAGE  # one range
    real = syscalls.mmap_fixed

    def refuse(addr, *args):
        if addr == second:
            raise OSCallError("mmap", errno.EIO, "injected")
        return real(addr, *args)

    monkeypatch.setattr(syscalls, "mmap_fixed", refuse)
    with pytest.raises(OSCallError, match="injected"):
        sb.munmap(57)
    monkeypatch.undo()
    assert sb.mmap(58, PAGE, sandbox.PROT_NONE, within=r).address == first  # the freed page, another vkey's
    with sb.domain(57, RW):
        check_consistent()
        assert sb.access(first) == sandbox.PROT_NONE
    check_consistent()
    sb.munmap(57)
    check_consistent()


@pytest.mark.parametrize("within", [False, True], ids=["anonymous", "reserved"])
@pytest.mark.parametrize("fresh", [False, True], ids=["grown", "new"])
def test_mmap_failing_to_record_its_region_leaves_no_mapping(sb, monkeypatch, within, fresh):
    """The region table out of space for a new mapping's row: before, the
    mapping stayed, recorded nowhere -- never protected by a domain, never
    unmapped."""
    sb.mmap(59, PAGE, RW)
    vkey = 60 if fresh else 59
    reservation = sb.reserve(4 * PAGE) if within else None
    made: list[int] = []
    real_anon, real_fixed = syscalls.mmap_anon, syscalls.mmap_fixed
    monkeypatch.setattr(syscalls, "mmap_anon", lambda *a: made.append(real_anon(*a)) or made[-1])
    monkeypatch.setattr(syscalls, "mmap_fixed", lambda addr, *a: made.append(addr) or real_fixed(addr, *a))

    def full():
        raise MemoryError("region table full")

    monkeypatch.setattr(api._sb().region_table, "add", full)
    with pytest.raises(sandbox.SandboxError, match="region table full"):
        sb.mmap(vkey, 3 * PAGE, RW, within=reservation)
    monkeypatch.undo()
    address = made[0]
    if within:
        assert reservation.free_bytes == 4 * PAGE
        assert sb.access(address) == sandbox.PROT_NONE  # back to the reservation's fresh pages
    else:
        assert not [m for m in mappings() if m.start < address + 3 * PAGE and m.end > address]
    assert len(sb.regions(59)) == 1
    if fresh:
        with pytest.raises(sandbox.VkeyError):
            sb.regions(60)
    check_consistent()
    sb.mmap(vkey, 3 * PAGE, RW, within=reservation)
    check_consistent()
