"""kvstore under memaslap (libmemcached-tools' load generator): the server in
each protection mode, and real memcached, started here on loopback and driven
with the same load in interleaved rounds (so drift hits every server alike),
fresh and then full (after more than its item memory has been written).

Missing Debian packages are installed when running as root (bench.tools);
otherwise the table says what is missing.
"""

from __future__ import annotations

import os
import re
import socket
import statistics
import subprocess
import sys
import time

from libmpk import sandbox
from libmpk.sandbox.hw import syscalls

from .harness import Table, progress
from .tools import ensure

MODES = ("none", "mprotect", "mpk")
PACKAGES = {"memcached": "memcached", "memcaslap": "libmemcached-tools"}
_RUN = re.compile(r"TPS: (\d+)")
_OPS = re.compile(r"Ops: (\d+)")
_AVG = re.compile(r"Total Statistics \(\d+ events\)\s+Min:\s+\d+\s+Max:\s+\d+\s+Avg:\s+(\d+)")


def ensure_tools() -> str | None:
    """Install memcached and memaslap if missing (root only); what is still missing, or None."""
    return ensure(PACKAGES)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_port(port: int, proc: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}: {proc.stderr.read() if proc.stderr else ''}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {port} after {timeout:.0f}s")


def start_kvstore(protect: str, memory_mb: int = 64) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    cmd = [
        sys.executable,
        "-m",
        "libmpk",
        "kvstore",
        "--protect",
        protect,
        "--port",
        str(port),
        "--memory",
        str(memory_mb),
    ]
    proc = subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, preexec_fn=syscalls.dies_with_us()
    )
    _wait_port(port, proc)
    return proc, port


def start_memcached(memory_mb: int = 64) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    cmd = ["memcached", "-l", "127.0.0.1", "-p", str(port), "-U", "0", "-m", str(memory_mb)]
    if os.geteuid() == 0:
        cmd += ["-u", "root"]
    proc = subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, preexec_fn=syscalls.dies_with_us()
    )
    _wait_port(port, proc)
    return proc, port


def served(port: int) -> int:
    """get + set commands the server says it executed (memaslap counts error
    replies as operations too, so its figure alone proves nothing)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(b"stats\r\n")
        buf = b""
        while not buf.endswith(b"END\r\n"):
            chunk = s.recv(65536)
            if not chunk:
                break
            buf += chunk
    stats = dict(line.split(b" ")[1:3] for line in buf.split(b"\r\n") if line.startswith(b"STAT "))
    return int(stats[b"cmd_get"]) + int(stats[b"cmd_set"])


VALUE = 1024  # bytes per item, as in the measurements


def fill(port: int, memory_mb: int, value: int = VALUE) -> None:
    """Write 1.25x the server's item memory in ``value``-byte items (noreply,
    pipelined), then flush_all: the "full" state -- every slab in use and
    mapped, as after a day of traffic -- which a fresh server never shows."""
    n = int(memory_mb * 1.25 * (1 << 20)) // value
    payload = b"f" * value
    with socket.create_connection(("127.0.0.1", port), timeout=120) as s:
        for start in range(0, n, 500):
            s.sendall(
                b"".join(
                    b"set fill:%d 0 0 %d noreply\r\n%s\r\n" % (i, value, payload)
                    for i in range(start, min(n, start + 500))
                )
            )
        s.sendall(b"flush_all\r\n")
        buf = b""
        while not buf.endswith(b"OK\r\n"):
            chunk = s.recv(4096)
            if not chunk:
                raise RuntimeError("server closed the connection while being filled")
            buf += chunk


def memaslap(port: int, seconds: int, concurrency: int = 16, value: int = VALUE) -> tuple[float, float]:
    """Operations per second and mean latency (us) of a 90% get / 10% set load."""
    before = served(port)
    cmd = ["memcaslap", "-s", f"127.0.0.1:{port}", "-T", "1", "-c", str(concurrency)]
    cmd += ["-X", str(value), "-t", f"{seconds}s", "-S", f"{seconds}s"]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60)
    tps, avg, ops = _RUN.search(p.stdout), _AVG.search(p.stdout), _OPS.search(p.stdout)
    if p.returncode != 0 or not tps or not avg or not ops:
        raise RuntimeError(f"memaslap failed ({p.returncode}): {(p.stderr or p.stdout)[-300:]}")
    done = served(port) - before
    if done < 0.9 * int(ops.group(1)):
        raise RuntimeError(f"memaslap reports {ops.group(1)} operations but the server executed {done}")
    return float(tps.group(1)), float(avg.group(1))


def _rounds(targets: dict[str, tuple[subprocess.Popen, int]], rounds: int, seconds: int, state: str):
    results: dict[str, list[tuple[float, float]]] = {name: [] for name in targets}
    names = list(targets)
    for r in range(rounds):
        for name in names[r % len(names) :] + names[: r % len(names)]:
            progress(f"{state}, round {r + 1}/{rounds}: {name}")
            results[name].append(memaslap(targets[name][1], seconds))
    return results


def table(quick: bool = False) -> Table:
    backend = sandbox.info()["backend"]
    t = Table(
        f"kvstore vs memcached under memaslap, 90% get / 10% set, {VALUE} B values ({backend} backend)",
        ["server", "state", "ops/s", "±", "mean latency", "ops/s vs none"],
    )
    missing = ensure_tools()
    if missing:
        t.notes.append(f"not run: missing Debian packages {missing} (install them, or run as root)")
        return t
    rounds, seconds, memory = (2, 2, 16) if quick else (5, 5, 64)
    targets: dict[str, tuple[subprocess.Popen, int]] = {}
    med: dict[tuple[str, str], float] = {}
    try:
        for mode in MODES:
            targets[f"kvstore --protect {mode}"] = start_kvstore(mode, memory)
        targets["memcached 1.6 (C, 4 threads)"] = start_memcached(memory)
        names = list(targets)
        for state in ("fresh", "full"):
            if state == "full":
                for name in names:
                    progress(f"filling {name} with {memory * 1.25:.0f} MB")
                    fill(targets[name][1], memory)
            results = _rounds(targets, rounds, seconds, state)
            base = statistics.median(tps for tps, _ in results[names[0]])
            for name, rs in results.items():
                tps = [x for x, _ in rs]
                med[name, state] = statistics.median(tps)
                spread = (max(tps) - min(tps)) / 2
                lat = statistics.median(a for _, a in rs)
                t.add(
                    name, state, f"{med[name, state]:,.0f}", f"{spread:,.0f}", f"{lat:.0f} us", med[name, state] / base
                )
    finally:
        for proc, _ in targets.values():
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
    none, memcached = names[0], names[-1]
    for state in ("fresh", "full"):
        base = med[none, state]
        t.headline.append((f"kvstore: mpk / none throughput, {state}", med["kvstore --protect mpk", state] / base))
        t.headline.append(
            (f"kvstore: mprotect / none throughput, {state}", med["kvstore --protect mprotect", state] / base)
        )
        t.headline.append((f"kvstore: none / memcached throughput, {state}", base / med[memcached, state]))
    t.notes.append("full: after 1.25x the item memory was written and flushed (every slab mapped, as after long use)")
    t.notes.append("paper, on PKU silicon: mpk 8.1x mprotect's throughput, <1% overhead over none")
    if backend != "pku":
        t.notes.append(
            "no hardware keys: mpk mode's domains are the library's page-table fallback (a vkey per 16 KiB granule; "
            "the switch suite shows what one costs), mprotect mode is a bare per-page mprotect"
        )
    t.notes.append(f"{rounds} interleaved rounds of {seconds}s per server and state, {memory} MB item memory each")
    return t


def run(quick: bool = False) -> list[Table]:
    return [table(quick)]


__all__ = ["run", "table", "ensure_tools", "fill", "memaslap", "start_kvstore", "start_memcached"]
