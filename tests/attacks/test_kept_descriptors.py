"""Descriptors the library keeps open cannot be swapped under it.

The library keeps two descriptors across calls into the program: the
tables' memfd (sandbox.arena: the fallback stores its tables with pwrite on
it, and every backend discards and formats them through it) and
/proc/self/task (sandbox.hw.sync: one fstat says whether other threads must
be told of a change in rights, a listing says which).  Descriptor numbers
belong to the whole process: a program that closes every descriptor it did
not open, or dup2()s a file onto a number it thinks is free, takes the
library's number away, and the next open may hand it to another file.

A library that then used the number blindly would store its tables into
the program's file (and punch holes in it), or list an unrelated directory
as this process's threads -- a revocation would then reach no other thread.
So, on both backends, in a fork child (the damage is the child's alone):

- the tables' number closed, or made another file's: every operation either
  works without the file or fails with a typed error (errno EBADF), leaving
  the vkey's pages no more open than they were; the program's file is never
  written, and a store through the file is refused (the fallback's switch
  stores, so it must be refused);
- /proc/self/task's number made an empty directory's: a revocation still
  reaches another thread (it faults).

The JIT's background compiler keeps two pipe ends to its worker: with either
number made the program's file, a build fails (typed) without writing IR
into the file or reading the file as object code, and closing the compiler
leaves the program's descriptor open.
"""

from __future__ import annotations

import errno
import os

import pytest

from libmpk import sandbox
from libmpk.sandbox import PROT_NONE, PROT_READ, PROT_WRITE
from libmpk.sandbox.arena import ARENA
from libmpk.sandbox.forked import run_in_child
from libmpk.sandbox.hw import maps, sync
from tests.attacks.test_sync_state import _revocation_after, _revoked_code

RW = PROT_READ | PROT_WRITE
V = 91
CONTENT = bytes(range(256)) * 64  # 16 KiB: the tables' header and key table fall inside it


def _operations(sb) -> tuple:
    region = sb.mmap(V, 4096, PROT_READ)
    return region, {
        "switch": lambda: (sb.begin(V, RW), sb.end(V)),
        "mprotect": lambda: sb.mprotect(V, PROT_NONE),
        "mmap": lambda: sb.mmap(V + 1, 4096, RW),
        "munmap": lambda: sb.munmap(V),
        "shutdown": sb.shutdown,
        "read": lambda: region.view()[0],
    }


def _attempt(sb, take: str, op: str, path: str) -> tuple[str, int | None, bytes, int, int | None]:
    """In a fork child: warm the switch up, take the tables' number away
    (``closed``, or ``reused`` by the file at ``path``), run ``op``; what it
    raised (class name, errno), the file's bytes and size afterwards, and
    the page protection of the vkey's region (None: unmapped, or on a
    hardware key)."""
    region, ops = _operations(sb)
    with sb.domain(V, RW):  # natives compiled, a key loaded (pku)
        pass
    fd = ARENA.fd
    if take == "closed":
        os.close(fd)
    else:
        mine = os.open(path, os.O_RDWR)
        os.dup2(mine, fd)
        os.close(mine)
    try:
        ops[op]()
        raised, err = "", None
    except Exception as e:  # noqa: BLE001 -- what it was is the result
        raised, err = type(e).__name__, getattr(e, "errno", None)
        if not isinstance(e, sandbox.SandboxError):
            raised = f"untyped {raised}: {e}"
    with open(path, "rb") as f:
        data = f.read()
    m = maps.mapping_of(region.address)
    # (pages on a hardware key: their rights are this thread's PKRU, which
    # no store through the file decides -- the page table says RW there)
    return raised, err, data, os.stat(path).st_size, m.prot if m and not m.pkey else None


@pytest.mark.parametrize("op", ["switch", "mprotect", "mmap", "munmap", "shutdown", "read"])
@pytest.mark.parametrize("take", ["closed", "reused"])
def test_the_tables_file_taken_away_is_never_written_through(sb, tmp_path, take, op):
    path = tmp_path / "program.dat"
    path.write_bytes(CONTENT)
    out = run_in_child(_attempt, sb, take, op, str(path))
    assert out.ok, out
    raised, err, data, size, prot = out.value
    assert data == CONTENT and size == len(CONTENT), f"{op}: the program's file was written ({raised})"
    assert prot in (None, PROT_READ, PROT_NONE), f"{op} ({raised}) left the vkey's pages writable"
    assert raised in ("", "OSCallError", "LostDescriptorError"), raised
    if raised:
        assert err == errno.EBADF, (op, raised, err)
    stores_through_file = not sb.info()["thread_local_domains"] or op == "shutdown"
    if stores_through_file and op in ("switch", "mprotect", "mmap", "munmap", "shutdown"):
        assert raised, f"{op} stored into the tables with their file gone and said nothing"


def _empty_dir_onto_tasks(path: str) -> None:
    """Replace this process's /proc/self/task descriptor by an empty
    directory's (an fstat of it says: nobody else here)."""
    if sync._tasks.pid != os.getpid():
        return  # (the fallback: never listed threads in this process)
    mine = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    os.dup2(mine, sync._tasks.fd)
    os.close(mine)


def test_a_swapped_thread_listing_still_reaches_every_thread(sb, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()

    def attack() -> None:
        # a broadcast with B alive opens this child's /proc/self/task first (pku)
        sb.mprotect(1, RW)
        _empty_dir_onto_tasks(str(empty))

    out = run_in_child(_revocation_after, sb, attack)
    assert out.segv and out.fault.code == _revoked_code(sb), out


@pytest.mark.parametrize("end", ["_to", "_from"])
def test_the_jit_workers_pipes_taken_away_are_never_used(tmp_path, end):
    from libmpk.jit.background import BackgroundCompiler
    from tests.test_jit import _SUM, _build_in

    path = tmp_path / "program.dat"
    path.write_bytes(CONTENT)
    bc = BackgroundCompiler()
    try:
        bc.start()
        assert bc.forked
        assert _build_in(bc, _SUM)[1] is None
        fd = getattr(bc, end).fd
        mine = os.open(path, os.O_RDWR)
        os.dup2(mine, fd)  # the program's file, now under the worker's number
        os.close(mine)
        obj, err = _build_in(bc, _SUM)
        assert obj is None and isinstance(err, sandbox.LostDescriptorError) and err.errno == errno.EBADF, err
    finally:
        bc.close()
    assert os.pread(fd, len(CONTENT) + 1, 0) == CONTENT  # still open (close left it), never written
    os.close(fd)
