"""mpk audit: ELF files (against brute force and ROPgadget), live processes,
JSON shape and exit codes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from elftools.elf.constants import SH_FLAGS
from elftools.elf.elffile import ELFFile

from libmpk.jit import brute_force, emit_object
from libmpk.jit.audit import audit_elf

LIBC = "/usr/lib/x86_64-linux-gnu/libc.so.6"
GADGETS_IR = r"""
@planted = constant [8 x i8] c"\0F\01\EF\0F\AE\28\00\00"
define i64 @immediate(i64 %x) {
  %r = add i64 %x, 1234812035681961045
  ret i64 %r
}
"""  # 1234812035681961045 = 0x1122EF010F334455: a WRPKRU pattern in an immediate


def mpk(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "libmpk", *args], capture_output=True, text=True, timeout=600)


def exec_section_hits(path: str) -> set[tuple[int, str]]:
    """The oracle: brute force over every executable section."""
    out = set()
    with open(path, "rb") as f:
        for sec in ELFFile(f).iter_sections():
            if sec["sh_flags"] & SH_FLAGS.SHF_EXECINSTR and sec["sh_type"] == "SHT_PROGBITS":
                out |= {(sec["sh_addr"] + h.offset, h.kind) for h in brute_force(sec.data())}
    return out


@pytest.fixture
def gadget_object(tmp_path):
    path = tmp_path / "gadgets.o"
    path.write_bytes(emit_object(GADGETS_IR, opt=0))
    return str(path)


def test_elf_hits_equal_brute_force_and_skip_data(gadget_object):
    report = audit_elf(gadget_object)
    assert {(h.address, h.kind) for h in report.hits} == exec_section_hits(gadget_object)
    assert len(report.hits) >= 1 and all(h.where.startswith(".text") for h in report.hits)
    assert any(h.field == "immediate" and "immediate" in h.where for h in report.hits)
    data = open(gadget_object, "rb").read()
    assert len(brute_force(data)) > len(report.hits)  # the rodata copies exist, and are not code


def test_libc_matches_brute_force_and_ropgadget():
    if not os.path.exists(LIBC):
        pytest.skip("no glibc at the Debian path")
    report = audit_elf(LIBC)
    ours = {(h.address, h.kind) for h in report.hits}
    assert ours == exec_section_hits(LIBC)
    assert any("pkey_set" in h.where and h.aligned for h in report.hits)  # glibc's own WRPKRU
    rop = shutil.which("ROPgadget") or os.path.join(os.path.dirname(sys.executable), "ROPgadget")
    assert os.path.exists(rop), "ROPgadget (test extra) is needed to cross-check"
    found = set()
    for op in ["0f01ef"] + [f"0fae{m:02x}" for m in (*range(0x28, 0x30), *range(0x68, 0x70), *range(0xA8, 0xB0))]:
        p = subprocess.run([rop, "--binary", LIBC, "--opcode", op], capture_output=True, text=True, timeout=300)
        for line in p.stdout.splitlines():
            if line.startswith("0x") and " : " in line:
                found.add((int(line.split()[0], 16), "wrpkru" if op == "0f01ef" else "xrstor"))
    assert found == ours


def test_cli_file_json_and_exit_codes(gadget_object, tmp_path):
    p = mpk("audit", gadget_object, "--json")
    assert p.returncode == 1, p.stderr
    d = json.loads(p.stdout)
    assert set(d) >= {"targets", "stray"} and d["stray"] == len(d["targets"][0]["hits"]) >= 1
    hit = d["targets"][0]["hits"][0]
    assert set(hit) >= {"address", "file_offset", "kind", "aligned", "allowlisted", "where", "insn"}
    assert isinstance(hit["file_offset"], int) and hit["kind"] in ("wrpkru", "xrstor")
    clean = tmp_path / "clean.o"
    clean.write_bytes(emit_object("define i64 @f(i64 %x) {\n  ret i64 %x\n}\n"))
    p = mpk("audit", str(clean))
    assert p.returncode == 0 and "clean" in p.stdout
    notelf = tmp_path / "notes.txt"
    notelf.write_text("hello")
    p = mpk("audit", str(notelf))
    assert p.returncode == 2 and "not an ELF file" in p.stderr and "Traceback" not in p.stderr
    p = mpk("audit", "--pid", "999999999")
    assert p.returncode == 2 and "no such process" in p.stderr


def _check_self_report(d: dict) -> None:
    (target,) = d["targets"]
    assert target["target"].endswith("(self)") and target["scanned_bytes"] > 0
    cache_notes = [n for n in target["notes"] if n.startswith("JIT code cache")]
    assert cache_notes
    for h in target["hits"]:
        assert h["where"], h  # every hit attributed to a mapping
        assert h["where"] != "jit code cache", h  # nothing in the code cache, ever
        if h["file_offset"] is None and h["kind"] == "wrpkru":
            assert h["allowlisted"] and h["where"].startswith("libmpk gate"), h  # anonymous WRPKRU: only our gates
    gates = [h for h in target["hits"] if h["allowlisted"]]
    assert gates and all(h["aligned"] and h["insn"] == "wrpkru" for h in gates)


def test_self_audit_attributes_every_hit():
    p = mpk("audit", "--self", "--json")
    assert p.returncode in (0, 1), p.stderr
    _check_self_report(json.loads(p.stdout))


@pytest.mark.pku
def test_self_audit_under_pku():
    p = mpk("audit", "--self", "--json")
    assert p.returncode in (0, 1), p.stderr
    d = json.loads(p.stdout)
    _check_self_report(d)
    assert any("backend pku" in n for n in d["targets"][0]["notes"])
