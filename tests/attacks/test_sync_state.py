"""State the PKRU sync trusts is not writable by a stray write.

The sync's signal handler (sandbox/hw/sync.py) reads a few mailbox words it
never writes: the offset of PKRU in the signal frame's XSAVE area, the
handler to chain foreign signals to (and its SA_SIGINFO flag), and the
arena's hardware key.  The mailbox is on key 0, so if those words were plain
RW memory, one 8-byte stray write to the offset would make the handler edit
the wrong word of every frame -- revocation (mprotect to PROT_NONE) would
silently stop reaching other threads -- and one to the chained handler would
send every foreign signal to an address of the attacker's choosing.

They live in a page of their own, read-only to everyone except inside
sync.install (under the library lock).  The request itself (which PKRU bits
every thread gets) is in the tables' header, under the tables' key; the
handler also counts acknowledgements there, so the key-0 answers it writes
cannot be forged into a completed request.  So, on both backends:

- an ordinary store to each of them dies with SIGSEGV (SEGV_ACCERR), and the
  word keeps its value;
- a store the kernel makes on the process's behalf (read(2) into the word)
  fails with EFAULT, and a revocation afterwards still reaches another thread;
- (control) with the page flipped writable, the same stray write to the
  PKRU offset does break revocation: the test above can see the attack;
- (pku) a store to the request, the protected count or a thread's count of
  sync signals (what its windows watch) faults (SEGV_PKUERR);
- (pku) a thread that never answers while another forges its answer in the
  mailbox makes mprotect fail with SyncError naming it, never succeed;
- (pku) a request that would open the tables is refused by every handler;
- foreign signals are still chained to the handler installed before ours
  (Python's signal module), also after it replaced ours again.
"""

from __future__ import annotations

import ctypes
import errno
import faulthandler
import os
import signal
import threading
import time

import pytest

from libmpk import sandbox
from libmpk.sandbox import PROT_NONE, PROT_READ, PROT_WRITE, api, threads
from libmpk.sandbox.arena import (
    ARENA,
    H_HANDLED,
    H_META_KEY,
    H_REQ_ACKS,
    H_REQ_MASK,
    H_REQ_SEQ,
    H_REQ_VALUE,
    M_DONE,
    M_META,
    M_NTIDS,
    M_OLD_HANDLER,
    M_OLD_SIGINFO,
    M_REFUSED,
    M_XOFF,
    T_SIGCOUNT,
    T_STRIDE,
    THREADS_OFF,
)
from libmpk.sandbox.forked import run_in_child
from libmpk.sandbox.hw import sync, syscalls
from libmpk.sandbox.hw.faults import SEGV_ACCERR, SEGV_PKUERR
from tests.test_threads import Worker, poke

RW = PROT_READ | PROT_WRITE
CONSTANTS = {"xoff": M_XOFF, "old_handler": M_OLD_HANDLER, "old_siginfo": M_OLD_SIGINFO, "meta": M_META}
_libc = ctypes.CDLL(None, use_errno=True)
_libc.read.restype = ctypes.c_ssize_t
_libc.read.argtypes = (ctypes.c_int, ctypes.c_void_p, ctypes.c_size_t)


def _address(word: int) -> int:
    return ARENA.mailbox_address + 8 * word


def _values() -> dict[str, int]:
    return {name: int(ARENA.mailbox[w]) for name, w in CONSTANTS.items()}


def _revoked_code(sb) -> int:
    return SEGV_PKUERR if sb.info()["thread_local_domains"] else SEGV_ACCERR


def _store(word: int, how: str) -> None:
    if how == "c_int64":
        ctypes.c_int64.from_address(_address(word)).value = 0x41414141
    else:
        ctypes.memmove(_address(word), b"\x41" * 8, 8)


@pytest.mark.parametrize("how", ["c_int64", "memmove"])
@pytest.mark.parametrize("name", list(CONSTANTS))
def test_stray_store_to_a_sync_constant_faults(sb, name, how):
    word = CONSTANTS[name]
    before = _values()
    if sb.info()["thread_local_domains"]:
        assert before["xoff"] > 0 and before["meta"] > 0, before  # install wrote them
    out = run_in_child(_store, word, how)
    assert out.segv and out.fault.code == SEGV_ACCERR, out
    assert out.fault.address == _address(word), out
    assert _values() == before
    # a second child (a fresh copy of this process) sees the words intact too
    out = run_in_child(_values)
    assert out.ok and out.value == before, out


def _read_into(word: int) -> tuple[int, int]:
    """A stray write the process survives: the kernel stores into the word."""
    r, w = os.pipe()
    try:
        os.write(w, b"\x41" * 8)
        n = _libc.read(r, _address(word), 8)
        return n, ctypes.get_errno()
    finally:
        os.close(r)
        os.close(w)


def _revocation_after(sb, attack) -> int:
    """A thread B reads vkey 1, ``attack()`` runs, the caller revokes vkey 1:
    B's next read must fault (this returns only if it did not)."""
    r = sb.mmap(1, 4096, RW)
    with sb.domain(1, RW):
        pass  # load vkey 1 into a hardware key (pku)
    b = Worker()
    assert b.run(poke(r, 7)) == 7
    attack()
    sb.mprotect(1, PROT_NONE)
    return int(b.run(lambda: r.view()[0]))  # must fault in B


def test_failed_stray_writes_leave_revocation_working(sb):
    before = _values()

    def attack() -> None:
        for name, word in CONSTANTS.items():
            n, err = _read_into(word)
            assert (n, err) == (-1, errno.EFAULT), (name, n, err)
        assert _values() == before

    out = run_in_child(_revocation_after, sb, attack)
    assert out.segv and out.fault.code == _revoked_code(sb), out


@pytest.mark.pku
def test_control_a_writable_xoff_would_break_revocation(pku):
    """Without the read-only page the stray write succeeds and revocation no
    longer reaches B: the check above is able to see the attack."""

    def attack() -> None:
        syscalls.mprotect(ARENA.mailbox_const_address, ARENA.mailbox_const_bytes, RW)
        ARENA.mailbox[M_XOFF] = 416  # reserved bytes of the legacy FXSAVE area: harmless to edit

    out = run_in_child(_revocation_after, pku, attack)
    assert out.ok and out.value == 7, out


# --- foreign signals are still chained -------------------------------------------------


def _wait_for(pred, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while not pred():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.001)
    return True


@pytest.mark.pku
def test_foreign_signals_reach_the_handler_installed_before(pku):
    def scenario() -> dict:
        got: list[int] = []
        sandbox.shutdown()
        signal.signal(sync.SIGNAL, lambda signo, frame: got.append(signo))  # replaces ours
        sandbox.init(backend="pku")  # installs ours again, chaining to Python's
        chained = _values()
        assert chained["old_handler"] > 1, chained
        os.kill(os.getpid(), sync.SIGNAL)  # not tagged: foreign
        assert _wait_for(lambda: len(got) == 1), got
        r = sandbox.mmap(2, 4096, RW)
        with sandbox.domain(2, RW):
            pass
        sandbox.mprotect(2, PROT_READ)  # a tagged sync signal: not passed on
        assert len(got) == 1, got
        # someone replaces our handler again: the next sync re-installs ours
        signal.signal(sync.SIGNAL, lambda signo, frame: got.append(-signo))
        b = Worker()
        assert b.run(lambda: int(r.view()[0])) == 0
        sandbox.mprotect(2, PROT_NONE)
        assert syscalls.sigaction(sync.SIGNAL, None).sa_sigaction == sync._handler.address
        assert len(got) == 1, got
        signal.pthread_kill(b.thread.ident, sync.SIGNAL)  # foreign, to another thread
        assert _wait_for(lambda: len(got) == 2), got  # Python runs it in the main thread
        assert got == [sync.SIGNAL, -sync.SIGNAL], got
        stray = threading.Thread(target=_store, args=(M_OLD_HANDLER, "c_int64"))
        stray.start()  # and nobody can redirect the chain: this kills the process
        stray.join()
        return got

    out = run_in_child(scenario)
    assert out.segv and out.fault.code == SEGV_ACCERR, out
    assert out.fault.address == _address(M_OLD_HANDLER), out


# --- the request and its acknowledgements ------------------------------------------------

REQUEST = {"seq": H_REQ_SEQ, "mask": H_REQ_MASK, "value": H_REQ_VALUE, "acks": H_REQ_ACKS, "handled": H_HANDLED}


def _own_sigcount() -> int:
    """This thread's sync-signal count (a window that sees it move re-derives
    its PKRU; rolled back by a stray write, a handler's edit would be lost)."""
    if threads.own_slot() < 0:
        v = sandbox.new_vkey()
        sandbox.mmap(v, 4096, RW)
        with sandbox.domain(v, PROT_READ):
            pass  # registers this thread
    s = threads.own_slot()
    assert s >= 0
    return THREADS_OFF + s * T_STRIDE + T_SIGCOUNT


@pytest.mark.pku
@pytest.mark.parametrize("name", [*REQUEST, "own sigcount"])
def test_stray_store_to_the_request_faults(pku, name):
    word = _own_sigcount() if name == "own sigcount" else REQUEST[name]
    before = int(ARENA.words[word])

    def store() -> None:
        ctypes.c_int64.from_address(ARENA.address + 8 * word).value = -1

    out = run_in_child(store)
    assert out.segv and out.fault.code == SEGV_PKUERR, out
    assert out.fault.address == ARENA.address + 8 * word, out
    assert int(ARENA.words[word]) == before


def _forged_answer() -> dict:
    """B blocks the sync signal (it will never answer); a third thread keeps
    writing "done" into every mailbox answer slot while the caller waits."""
    sandbox.shutdown()
    sandbox.init(backend="pku", sync_timeout=0.5)
    r = sandbox.mmap(1, 4096, RW)
    with sandbox.domain(1, RW):
        pass
    b = Worker()
    assert b.run(poke(r, 7)) == 7
    b.run(lambda: signal.pthread_sigmask(signal.SIG_BLOCK, [sync.SIGNAL]))
    stop = threading.Event()

    def forge() -> None:
        M, A = ARENA.mailbox, ARENA.words
        while not stop.is_set():
            n = int(M[M_NTIDS])
            M[M_DONE : M_DONE + n] = A[H_REQ_SEQ]  # readable: only writes are refused

    f = threading.Thread(target=forge, daemon=True)
    f.start()
    try:
        sandbox.mprotect(1, PROT_NONE)
        return {"raised": None}
    except sync.SyncError as e:
        return {"raised": "SyncError", "tids": e.tids, "b": b.thread.native_id}
    finally:
        stop.set()


@pytest.mark.pku
def test_a_forged_answer_does_not_complete_a_request(pku):
    out = run_in_child(_forged_answer, timeout=120)
    assert out.ok, out
    assert out.value["raised"] == "SyncError" and out.value["b"] in out.value["tids"], out


def _opening_request() -> None:
    """The library's own caller, steered into asking every thread to open the
    tables' key: its own PKRU edit is a checked gate, which aborts."""
    faulthandler.disable()  # the abort is the expected outcome: no dump in the log
    sandbox.shutdown()
    sandbox.init(backend="pku", sync_timeout=0.5)
    meta = int(ARENA.words[H_META_KEY])
    Worker().run(lambda: None)
    with api._state.guard:
        sync.broadcast(sync.key_mask(meta), 0, timeout=0.5)


@pytest.mark.pku
def test_a_request_to_open_the_tables_aborts_its_caller(pku):
    out = run_in_child(_opening_request, timeout=120)
    assert out.signal == signal.SIGILL, out  # the close gate's check: UD2


def _opening_request_posted() -> tuple[int, int]:
    """The request posted past the caller's gate (as a reused gadget would),
    and the signal sent by hand: B's handler refuses it -- no answer, and B's
    store into the tables still faults."""
    sandbox.shutdown()
    sandbox.init(backend="pku", sync_timeout=0.5)
    meta = int(ARENA.words[H_META_KEY])
    b = Worker()
    b.run(lambda: None)
    handled = int(ARENA.mailbox[M_REFUSED])
    with api._state.guard:
        sync.post(sync.key_mask(meta), 0)
        assert syscalls.tgsigqueue(b.thread.native_id, sync.SIGNAL, sync._MAGIC, os.getpid(), 0)
        deadline = time.monotonic() + 10
        while int(ARENA.mailbox[M_REFUSED]) == handled and time.monotonic() < deadline:
            time.sleep(0.01)
    word = ARENA.address + 8 * H_REQ_MASK

    def store() -> int:
        ctypes.c_int64.from_address(word).value = 0
        return 1

    return int(ARENA.mailbox[M_REFUSED]) - handled, b.run(store)


@pytest.mark.pku
def test_a_request_to_open_the_tables_is_refused_by_the_handler(pku):
    out = run_in_child(_opening_request_posted, timeout=120)
    assert out.segv and out.fault.code == SEGV_PKUERR, out  # B's store still faults
