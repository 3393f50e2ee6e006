"""``mpk audit`` against brute force on a generated family of ELF files.

The oracle is independent of the audit's code: every byte offset of every
PF_X PT_LOAD segment's file bytes (what the loader maps executable), read
with pyelftools' program headers alone.  The family: one small C program
built by gcc with and without ``-z noseparate-code`` (its .rodata -- holding
a WRPKRU -- then lands in the executable segment), as an executable and a
shared object, stripped and with its section headers removed; then, on each,
gadgets planted at seeded offsets throughout the executable bytes (inside
functions, in alignment padding between sections, straddling section
boundaries) and section headers that lie (exec flag cleared, offset moved,
offset past the end of the file).  Audit and oracle must agree exactly.
Malformed variants -- truncated at seeded lengths, absurd header counts and
sizes -- must make ``mpk audit`` exit 2 with one line, never a traceback.
"""

from __future__ import annotations

import random
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from elftools.elf.elffile import ELFFile

from libmpk.jit import brute_force
from libmpk.jit.audit import AuditError, audit_elf
from libmpk.vm.guest import ensure_tool

SOURCE = r"""
#include <stdio.h>
const unsigned char table[] = {0x90, 0x0f, 0x01, 0xef, 0xc3, 0x0f, 0xae, 0x28};
__attribute__((noinline)) int twice(int x) { return 2 * x; }
__attribute__((noinline, aligned(64))) int thrice(int x) { return 3 * x; }
int main(int argc, char **argv) { printf("%d %d\n", twice(argc), table[argc]); return thrice(argc) & 1; }
"""
PATTERNS = [b"\x0f\x01\xef", b"\x0f\xae\x28"]  # WRPKRU; XRSTOR [rax]


def _pf_x(blob: bytes) -> list[tuple[int, int, int]]:
    """(p_offset, p_vaddr, p_filesz) of each PF_X PT_LOAD, from the raw ELF64 header."""
    (phoff,) = struct.unpack_from("<Q", blob, 0x20)
    (phnum,) = struct.unpack_from("<H", blob, 0x38)
    out = []
    for i in range(phnum):
        p_type, flags, offset, vaddr, _paddr, filesz = struct.unpack_from("<IIQQQQ", blob, phoff + 56 * i)
        if p_type == 1 and flags & 1:
            out.append((offset, vaddr, filesz))
    return out


def oracle(path: Path) -> set[tuple[int, str]]:
    """(vaddr, kind) of every gadget in the PF_X PT_LOAD segments, brute force."""
    blob = path.read_bytes()
    out = set()
    for offset, vaddr, filesz in _pf_x(blob):
        out |= {(vaddr + h.offset, h.kind) for h in brute_force(blob[offset : offset + filesz])}
    return out


def audited(path: Path) -> set[tuple[int, str]]:
    return {(h.address, h.kind) for h in audit_elf(str(path)).hits}


def mpk_audit(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "libmpk", "audit", str(path)], capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> dict[str, Path]:
    gcc = ensure_tool("gcc", "gcc", log=lambda m: None)
    d = tmp_path_factory.mktemp("elf")
    (d / "prog.c").write_text(SOURCE)
    out = {}
    for name, flags in {
        "exec": [],
        "exec-noseparate": ["-Wl,-z,noseparate-code"],
        "pie-stripped": ["-fPIE", "-pie", "-s"],
        "shared-noseparate": ["-shared", "-fPIC", "-Wl,-z,noseparate-code"],
    }.items():
        path = d / name
        subprocess.run([gcc, "-O1", "-o", str(path), str(d / "prog.c"), *flags], check=True, capture_output=True)
        out[name] = path
    out["no-section-headers"] = _without_section_headers(out["exec-noseparate"], d / "no-section-headers")
    return out


def _without_section_headers(src: Path, dst: Path) -> Path:
    blob = bytearray(src.read_bytes())
    blob[0x28:0x30] = bytes(8)  # e_shoff = 0
    blob[0x3C:0x40] = bytes(4)  # e_shnum = e_shstrndx = 0
    dst.write_bytes(bytes(blob))
    return dst


def _headers_end(blob: bytes) -> int:
    (phoff,) = struct.unpack_from("<Q", blob, 0x20)
    (phnum,) = struct.unpack_from("<H", blob, 0x38)
    return max(64, phoff + 56 * phnum)


def _segments(path: Path) -> list[tuple[int, int]]:
    return [(offset, filesz) for offset, _vaddr, filesz in _pf_x(path.read_bytes())]


def _section_boundaries(path: Path) -> list[int]:
    with open(path, "rb") as f:
        elf = ELFFile(f)
        return [s["sh_offset"] for s in elf.iter_sections() if s["sh_offset"]] if elf.num_sections() else []


def test_the_noseparate_code_build_maps_its_rodata_gadget_executable(builds):
    found = audited(builds["exec-noseparate"])
    assert found == oracle(builds["exec-noseparate"])
    assert any(kind == "wrpkru" for _, kind in found), found  # table[] in the R+X segment
    p = mpk_audit(builds["exec-noseparate"])
    assert p.returncode == 1 and "STRAY" in p.stdout, p.stdout + p.stderr
    assert "not marked executable but an executable segment maps it" in p.stdout


@pytest.mark.parametrize("name", ["exec", "exec-noseparate", "pie-stripped", "shared-noseparate", "no-section-headers"])
def test_builds_agree_with_brute_force(builds, name):
    assert audited(builds[name]) == oracle(builds[name])


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("name", ["exec", "exec-noseparate", "shared-noseparate", "no-section-headers"])
def test_planted_gadgets_agree_with_brute_force(builds, tmp_path, name, seed):
    """Gadgets at seeded offsets anywhere in the executable bytes -- padding
    and section boundaries included (every seed plants one across a boundary
    where the file has section headers)."""
    rng = random.Random(seed)
    src = builds[name]
    blob = bytearray(src.read_bytes())
    segs = _segments(src)
    headers = _headers_end(blob)  # (with -z noseparate-code the ELF and program headers are executable too)
    spots = []
    for _ in range(4):
        off, size = rng.choice(segs)
        lo = max(off, headers)
        spots.append(lo + rng.randrange(off + size - 3 - lo))
    edges = [b for b in _section_boundaries(src) if b > headers + 2 and any(o + 2 <= b < o + s - 2 for o, s in segs)]
    if edges:
        spots.append(rng.choice(edges) - rng.choice([1, 2]))  # straddles two sections
    for at in spots:
        pat = rng.choice(PATTERNS)
        blob[at : at + 3] = pat
    path = tmp_path / f"{name}-{seed}"
    path.write_bytes(bytes(blob))
    expected = oracle(path)
    assert len(expected) >= 1
    assert audited(path) == expected


def _shdr(path: Path, section: str) -> int:
    """File offset of ``section``'s header."""
    with open(path, "rb") as f:
        elf = ELFFile(f)
        for i, s in enumerate(elf.iter_sections()):
            if s.name == section:
                return elf["e_shoff"] + i * elf["e_shentsize"]
    raise LookupError(section)


@pytest.mark.parametrize("lie", ["exec flag cleared", "offset moved", "offset past the end"])
def test_lying_section_headers_change_nothing_and_are_reported(builds, tmp_path, lie):
    src = builds["exec-noseparate"]
    blob = bytearray(src.read_bytes())
    h = _shdr(src, ".text")
    if lie == "exec flag cleared":
        flags = struct.unpack_from("<Q", blob, h + 8)[0]
        struct.pack_into("<Q", blob, h + 8, flags & ~4)
    elif lie == "offset moved":
        struct.pack_into("<Q", blob, h + 24, 0x40)
    else:
        struct.pack_into("<Q", blob, h + 24, len(blob) + 4096)
    path = tmp_path / "liar"
    path.write_bytes(bytes(blob))
    report = audit_elf(str(path))
    assert {(x.address, x.kind) for x in report.hits} == oracle(path) == oracle(src)
    assert any(".text" in n for n in report.notes), report.notes


def _malformed(src: bytes, rng: random.Random) -> bytes:
    blob = bytearray(src)
    how = rng.randrange(5)
    if how == 0:  # truncated inside the executable bytes or the headers
        return bytes(blob[: rng.randrange(16, len(blob) // 2)])
    if how == 1:  # absurd program header count
        struct.pack_into("<H", blob, 0x38, 0xFFFF)
    elif how == 2:  # a PF_X segment claiming far more file bytes than exist
        phoff = struct.unpack_from("<Q", blob, 0x20)[0]
        for i in range(struct.unpack_from("<H", blob, 0x38)[0]):
            p = phoff + i * 56
            if struct.unpack_from("<I", blob, p)[0] == 1 and struct.unpack_from("<I", blob, p + 4)[0] & 1:
                struct.pack_into("<QQ", blob, p + 32, 1 << 40, 1 << 40)  # p_filesz, p_memsz
    elif how == 3:  # program headers past the end of the file
        struct.pack_into("<Q", blob, 0x20, len(blob) + (1 << 20))
    else:  # a program header table entry size that is not 56
        struct.pack_into("<H", blob, 0x36, 7)
    return bytes(blob)


@pytest.mark.parametrize("seed", range(10))
def test_malformed_files_exit_2_with_one_line(builds, tmp_path, seed):
    rng = random.Random(seed)
    path = tmp_path / f"bad-{seed}"
    path.write_bytes(_malformed(builds[rng.choice(["exec", "shared-noseparate"])].read_bytes(), rng))
    with pytest.raises(AuditError):
        audit_elf(str(path))
    p = mpk_audit(path)
    assert p.returncode == 2, (p.returncode, p.stdout, p.stderr)
    assert "Traceback" not in p.stderr and p.stderr.count("\n") == 1, p.stderr


STRADDLE = r"""
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
int main(void) {
    long page = sysconf(_SC_PAGESIZE);
    unsigned char *p = mmap(0, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memset(p, 0x90, 2 * page);
    p[page - 2] = 0x0f; p[page - 1] = 0x01; p[page] = 0xef;  /* WRPKRU across the two mappings */
    mprotect(p, page, PROT_READ | PROT_EXEC);                 /* two VMAs: different rights, both executable */
    mprotect(p + page, page, PROT_READ | PROT_WRITE | PROT_EXEC);
    printf("%lx\n", (unsigned long)(p + page - 2));
    fflush(stdout);
    pause();
}
"""


def test_a_gadget_straddling_two_executable_mappings_is_found(tmp_path):
    from libmpk.jit.audit import audit_process

    gcc = ensure_tool("gcc", "gcc", log=lambda m: None)
    (tmp_path / "straddle.c").write_text(STRADDLE)
    exe = tmp_path / "straddle"
    subprocess.run([gcc, "-O1", "-o", str(exe), str(tmp_path / "straddle.c")], check=True, capture_output=True)
    proc = subprocess.Popen([str(exe)], stdout=subprocess.PIPE, text=True)
    try:
        address = int(proc.stdout.readline(), 16)
        maps = open(f"/proc/{proc.pid}/maps").read()
        page = address + 2
        assert f"{page:x}-" in maps  # the second page starts a mapping of its own
        report = audit_process(proc.pid)
        assert any(h.address == address and h.kind == "wrpkru" for h in report.hits), report.hits
    finally:
        proc.kill()
        proc.wait()
