"""Memory and protection-key system calls through ctypes, with errno.

Raw syscall numbers are used for the pkey calls so the code does not depend on
the libc exporting wrappers (glibc grew them only in 2.27).
"""

from __future__ import annotations

import ctypes
import errno
import os
import signal
from collections.abc import Callable

from ..errors import LostDescriptorError, OSCallError

PAGE_SIZE: int = os.sysconf("SC_PAGE_SIZE")

MAP_SHARED = 0x01
MAP_PRIVATE = 0x02
MAP_ANONYMOUS = 0x20
MAP_NORESERVE = 0x4000
_MAP_FAILED = ctypes.c_void_p(-1).value

SYS_pkey_mprotect = 329
SYS_pkey_alloc = 330
SYS_pkey_free = 331

_libc = ctypes.CDLL(None, use_errno=True)

_mmap = _libc.mmap
_mmap.restype = ctypes.c_void_p
_mmap.argtypes = (ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long)
_munmap = _libc.munmap
_munmap.restype = ctypes.c_int
_munmap.argtypes = (ctypes.c_void_p, ctypes.c_size_t)
_mprotect = _libc.mprotect
_mprotect.restype = ctypes.c_int
_mprotect.argtypes = (ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int)
_syscall = _libc.syscall
_syscall.restype = ctypes.c_long


def _fail(call: str, detail: str = "") -> OSCallError:
    return OSCallError(call, ctypes.get_errno(), detail)


def page_round(length: int) -> int:
    """``length`` rounded up to whole pages."""
    return (length + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1)


def mmap_anon(length: int, prot: int, flags: int = 0) -> int:
    """Map ``length`` bytes of fresh zeroed anonymous memory; return its address."""
    addr = _mmap(None, length, prot, MAP_PRIVATE | MAP_ANONYMOUS | flags, -1, 0)
    if addr is None or addr == _MAP_FAILED:
        raise _fail("mmap", f"length={length}")
    return addr


MAP_FIXED = 0x10


def mmap_fixed(addr: int, length: int, prot: int, flags: int = 0) -> None:
    """Replace [addr, addr+length) with fresh anonymous memory.  Only for
    ranges the caller owns (its own reservation): MAP_FIXED clobbers."""
    got = _mmap(addr, length, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | flags, -1, 0)
    if got is None or got == _MAP_FAILED:
        raise _fail("mmap", f"fixed addr={addr:#x} length={length}")


def munmap(addr: int, length: int) -> None:
    if _munmap(addr, length) != 0:
        raise _fail("munmap", f"addr={addr:#x} length={length}")


def mprotect(addr: int, length: int, prot: int) -> None:
    if _mprotect(addr, length, prot) != 0:
        raise _fail("mprotect", f"addr={addr:#x} length={length} prot={prot:#x}")


def mmap_file(addr: int | None, length: int, prot: int, fd: int, flags: int = 0) -> int:
    """Map ``length`` bytes of file ``fd`` from offset 0, shared (MAP_FIXED
    in ``flags`` replaces what is at ``addr``: only for the caller's own range)."""
    got = _mmap(addr, length, prot, MAP_SHARED | flags, fd, 0)
    if got is None or got == _MAP_FAILED:
        raise _fail("mmap", f"fd={fd} length={length}")
    return got


MADV_DONTNEED = 4
MADV_DONTFORK = 10
MADV_NOHUGEPAGE = 15
FALLOC_FL_KEEP_SIZE = 1
FALLOC_FL_PUNCH_HOLE = 2
_fallocate = _libc.fallocate
_fallocate.restype = ctypes.c_int
_fallocate.argtypes = (ctypes.c_int, ctypes.c_int, ctypes.c_long, ctypes.c_long)
_madvise = _libc.madvise
_madvise.restype = ctypes.c_int
_madvise.argtypes = (ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int)


def discard(addr: int, length: int) -> None:
    """Drop the pages' contents: they read as zeros again and cost nothing until touched."""
    if _madvise(addr, length, MADV_DONTNEED) != 0:
        raise _fail("madvise", f"addr={addr:#x} length={length}")


def dont_fork(addr: int, length: int) -> None:
    """A forked child gets no mapping here (MADV_DONTFORK)."""
    if _madvise(addr, length, MADV_DONTFORK) != 0:
        raise _fail("madvise", f"DONTFORK addr={addr:#x} length={length}")


def keep_apart(addr: int, length: int, unit: int) -> bool:
    """Make each ``unit`` bytes of [addr, addr+length) a mapping of its own.

    Why: the kernel merges neighbouring mappings whose flags agree, so an
    mprotect of one unit inside a larger run splits it in three and merges
    it back afterwards -- on these machines that is ~40% of the cost of a
    one-page mprotect pair.  Every other unit gets MADV_NOHUGEPAGE (a unit
    this small never holds a huge page anyway), so no two neighbours agree
    and later mprotects of whole units change one mapping in place.

    Only a speed-up: False when the kernel refuses (the vm.max_map_count
    ceiling), and the memory then works exactly as before.
    """
    for off in range(0, length - unit + 1, 2 * unit):
        if _madvise(addr + off, unit, MADV_NOHUGEPAGE) != 0:
            return False
    return True


def max_map_count() -> int:
    """The kernel's ceiling on one process's mappings (vm.max_map_count)."""
    try:
        with open("/proc/sys/vm/max_map_count") as f:
            return int(f.read())
    except (OSError, ValueError):
        return 65530  # the kernel's default


def die_with_parent(sig: int) -> None:
    """prctl(PR_SET_PDEATHSIG): ``sig`` to this process when the thread that
    forked it ends (a helper child must not outlive its parent)."""
    if _libc.prctl(1, sig, 0, 0, 0) != 0:
        raise _fail("prctl(PR_SET_PDEATHSIG)")


def dies_with_us() -> Callable[[], None]:
    """A ``preexec_fn`` for a long-lived child (a guest, a server): SIGKILL
    when the thread that starts it ends -- even by SIGKILL, which runs no
    cleanup, so a killed parent leaves nothing running alone.  For a child
    its starter waits on (or stops) on that same thread; one whose parent
    died before the request took effect ends at once."""
    parent = os.getpid()

    def arm() -> None:
        die_with_parent(signal.SIGKILL)
        if os.getppid() != parent:
            os._exit(1)

    return arm


def punch_hole(fd: int, offset: int, length: int) -> None:
    """Drop a file's bytes: they read as zeros and hold no memory (a
    shared mapping's counterpart of :func:`discard`)."""
    if _fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, offset, length) != 0:
        raise _fail("fallocate", f"punch hole offset={offset} length={length}")


class KeptFile:
    """A descriptor the library holds across calls into the program.

    Descriptor numbers are the process's: a program that closes every number
    it did not open, or dup2()s onto one it believes free, takes the
    library's away, and its next open may hand the number to another file.
    Used blindly, the number would then carry the library's writes into the
    program's file.  :meth:`use` gives the number only while it still names
    what it was opened on; else LostDescriptorError, with nothing done to
    what the number names now.  (A thread of the program racing the check
    with its own dup2 is not covered: no check is atomic with the call after
    it.)

    What it was opened on: the file's device and inode (an fstat), or, for
    a ``tagged`` file the library only reads and writes at explicit offsets,
    its file position, set once to a random 48-bit tag -- one lseek to check
    (a tenth of an fstat in a switch, and native code can do it: the tag
    goes in the mailbox's read-only constants).  Another file under the
    number has its own position (0, or wherever its owner left it); a pipe
    or socket has none.  (A program that reads or seeks the library's own
    descriptor fails the check too: the library then refuses, loudly, a
    file it could still have used.)"""

    __slots__ = ("fd", "ident", "tag", "what")

    def __init__(self, fd: int, what: str, tagged: bool = False) -> None:
        self.fd, self.what, self.tag, self.ident = fd, what, 0, (0, 0)
        if tagged:
            self.tag = int.from_bytes(os.urandom(6), "little") | 1
            os.lseek(fd, self.tag, os.SEEK_SET)
        else:
            st = os.fstat(fd)
            self.ident = (st.st_dev, st.st_ino)

    def stat(self) -> os.stat_result | None:
        """The fstat of an untagged descriptor if it still names its file
        (one system call for both: the PKRU sync reads the link count)."""
        try:
            st = os.fstat(self.fd)
        except OSError:
            return None
        return st if (st.st_dev, st.st_ino) == self.ident else None

    def intact(self) -> bool:
        if self.tag:
            try:
                return os.lseek(self.fd, 0, os.SEEK_CUR) == self.tag
            except OSError:
                return False
        return self.stat() is not None

    def use(self) -> int:
        """The descriptor, checked to still name its file."""
        if not self.intact():
            raise LostDescriptorError(self.fd, self.what)
        return self.fd

    def close(self) -> None:
        """Close it -- only if it is still ours to close."""
        if self.intact():
            os.close(self.fd)
        self.fd = -1


def pkey_alloc(flags: int = 0, access_rights: int = 0) -> int:
    """Allocate a hardware protection key; the caller's PKRU gets ``access_rights``."""
    key = _syscall(ctypes.c_long(SYS_pkey_alloc), ctypes.c_ulong(flags), ctypes.c_ulong(access_rights))
    if key < 0:
        raise _fail("pkey_alloc")
    return key


def pkey_free(key: int) -> None:
    """Return a key to the kernel.  The library never does this for keys it
    has used (pkey_free does not untag pages); only the detection probe does."""
    if _syscall(ctypes.c_long(SYS_pkey_free), ctypes.c_ulong(key)) != 0:
        raise _fail("pkey_free", f"key={key}")


def pkey_mprotect(addr: int, length: int, prot: int, key: int) -> None:
    """mprotect that also tags the pages with ``key`` (key 0 = the default)."""
    rc = _syscall(
        ctypes.c_long(SYS_pkey_mprotect),
        ctypes.c_void_p(addr),
        ctypes.c_size_t(length),
        ctypes.c_ulong(prot),
        ctypes.c_long(key),
    )
    if rc != 0:
        raise _fail("pkey_mprotect", f"addr={addr:#x} length={length} prot={prot:#x} key={key}")


SYS_rt_tgsigqueueinfo = 297
SYS_futex = 202
FUTEX_WAIT_PRIVATE = 128
FUTEX_WAKE_PRIVATE = 129


SI_QUEUE = -1


class _Siginfo(ctypes.Structure):
    _fields_ = [
        ("si_signo", ctypes.c_int),
        ("si_errno", ctypes.c_int),
        ("si_code", ctypes.c_int),
        ("_pad0", ctypes.c_int),
        ("si_pid", ctypes.c_int),
        ("si_uid", ctypes.c_uint),
        ("si_value", ctypes.c_long),
        ("_rest", ctypes.c_byte * 96),
    ]


def tgsigqueue(tid: int, sig: int, value: int, pid: int, uid: int) -> bool:
    """Queue ``sig`` carrying ``value`` to thread ``tid`` of this process
    (``pid``, ``uid``: the caller's, which it knows: no syscall per thread).

    False if the thread has exited (ESRCH); other failures raise.
    """
    info = _Siginfo(sig, 0, SI_QUEUE, 0, pid, uid, value)
    rc = _syscall(
        ctypes.c_long(SYS_rt_tgsigqueueinfo),
        ctypes.c_long(pid),
        ctypes.c_long(tid),
        ctypes.c_long(sig),
        ctypes.byref(info),
    )
    if rc == 0:
        return True
    err = ctypes.get_errno()
    if err == errno.ESRCH:
        return False
    raise OSCallError("rt_tgsigqueueinfo", err, f"tid={tid} sig={sig}")


class Sigaction(ctypes.Structure):
    _fields_ = [
        ("sa_sigaction", ctypes.c_void_p),
        ("sa_mask", ctypes.c_ulong * 16),
        ("sa_flags", ctypes.c_int),
        ("sa_restorer", ctypes.c_void_p),
    ]


SA_SIGINFO = 0x4
SA_ONSTACK = 0x08000000
SA_RESTART = 0x10000000
SA_RESETHAND = 0x80000000
_sigaction = _libc.sigaction
_sigaction.argtypes = (ctypes.c_int, ctypes.POINTER(Sigaction), ctypes.POINTER(Sigaction))


def sigaction(sig: int, handler: int | None, flags: int = 0) -> Sigaction:
    """Install ``handler`` (an address) for ``sig`` if given; return the previous action."""
    old = Sigaction()
    new = None
    if handler is not None:
        new = Sigaction()
        new.sa_sigaction = handler
        new.sa_flags = flags
    if _sigaction(sig, ctypes.byref(new) if new is not None else None, ctypes.byref(old)) != 0:
        raise _fail("sigaction", f"signal {sig}")
    return old
