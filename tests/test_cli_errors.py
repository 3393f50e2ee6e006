"""Every ``mpk`` failure is one line on stderr with the right exit status,
never a traceback: 2 for usage and environment errors, 1 for a check that
fails, 130 for Ctrl-C.  Runs on machines with and without PKU."""

from __future__ import annotations

import ctypes
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from libmpk.sandbox.hw import cpu

from .apptools import free_port, spawn_cli

TIMEOUT = 300


def mpk(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "libmpk", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=TIMEOUT,
    )


def refused(p: subprocess.CompletedProcess, status: int, *words: str) -> None:
    """``p`` failed with ``status``, no traceback, and an error line naming ``words``."""
    assert p.returncode == status, (p.returncode, p.stderr[-2000:])
    assert "Traceback" not in p.stderr, p.stderr
    line = p.stderr.strip().splitlines()[-1]
    for w in words:
        assert w in line, (w, p.stderr)


def first_line(proc: subprocess.Popen) -> str | bytes:
    """The first line ``proc`` prints, waiting at most TIMEOUT for it."""
    ready, _, _ = select.select([proc.stdout], [], [], TIMEOUT)
    assert ready, "no output"
    return proc.stdout.readline()


@pytest.fixture
def busy_port() -> Iterator[int]:
    """A loopback port that something is listening on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        yield s.getsockname()[1]


# 1 -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", [["kvstore"], ["keyvault", "serve"]])
def test_port_out_of_range_or_in_use(command, busy_port):
    refused(mpk(*command, "--port", "99999"), 2, "--port", "0..65535", "99999")
    refused(mpk(*command, "--port", "http"), 2, "--port", "http")
    refused(mpk(*command, "--port", str(busy_port)), 2, f"127.0.0.1:{busy_port}", "in use")


# 2 -------------------------------------------------------------------------------------------


def test_wx_pku_refused_without_protection_keys():
    prog = "console.log('ran')"
    p = mpk("run", "--wx", "pku", "-e", prog, env={"MPK_BACKEND": "mprotect"})
    refused(p, 2, "--wx pku", "protection keys", "MPK_BACKEND=mprotect")
    assert p.stdout == ""  # refused before the program ran
    assert mpk("run", "--wx", "mprotect", "-e", prog, env={"MPK_BACKEND": "mprotect"}).stdout == "ran\n"
    p = mpk("run", "--wx", "pku", "-e", prog, env={"MPK_BACKEND": ""})
    if cpu.detect().available:
        assert p.returncode == 0 and p.stdout == "ran\n", p.stderr
    else:
        refused(p, 2, "--wx pku", "protection keys")
    refused(mpk("run", "-e", prog, env={"MPK_BACKEND": "nope"}), 2, "MPK_BACKEND=nope")


# 3 -------------------------------------------------------------------------------------------


def test_invalid_utf8_source_reads_like_node(tmp_path):
    strings = tmp_path / "strings.js"
    strings.write_bytes(b'console.log("a\xffb");\n// a comment \xfe\xfd\nconsole.log("x\xc3y".length);\n')
    p = mpk("run", str(strings))
    assert p.returncode == 0 and p.stdout == "a\ufffdb\n3\n", p.stderr
    if shutil.which("node"):
        node = subprocess.run(["node", str(strings)], capture_output=True, text=True, timeout=TIMEOUT)
        assert node.stdout == p.stdout
    for code in (b"var a\xff = 1;\nconsole.log(a);\n", b"console.log(1);\n\xff\n"):
        bad = tmp_path / "code.js"
        bad.write_bytes(code)
        p = mpk("run", str(bad))
        assert p.returncode == 1 and "SyntaxError" in p.stderr and "Traceback" not in p.stderr, p.stderr
        assert p.stdout == ""


# 4 -------------------------------------------------------------------------------------------


def _busiest_thread(pid: int) -> int:
    """The thread of ``pid``, other than its main one, that has run longest:
    the JS program's own thread, in a loop."""

    def ticks(tid: str) -> int:
        with open(f"/proc/{pid}/task/{tid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime + stime

    others = [t for t in os.listdir(f"/proc/{pid}/task") if int(t) != pid]
    return int(max(others, key=ticks))


@pytest.mark.parametrize("taker", ["process", "program-thread"])
@pytest.mark.parametrize("jit", [[], ["--no-jit"]], ids=["jit", "no-jit"])
def test_ctrl_c_exits_130_quietly(tmp_path, jit, taker):
    """Ctrl-C is a signal to the process, which the kernel may hand to any of
    its threads.  Taken by the program's own thread (busy in a loop), Python's
    handler only flags it for the main thread: the exit must still follow."""
    prog = tmp_path / "forever.js"
    prog.write_text("console.log('started');\nlet i = 0;\nwhile (true) { i = i + 1; }\n")
    proc = subprocess.Popen(
        [sys.executable, "-m", "libmpk", "run", *jit, str(prog)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert first_line(proc) == "started\n"
        time.sleep(0.5)  # well inside the loop (compiled, with the JIT on)
        if taker == "process":
            proc.send_signal(signal.SIGINT)
        else:
            tid = _busiest_thread(proc.pid)
            assert ctypes.CDLL(None, use_errno=True).tgkill(proc.pid, tid, signal.SIGINT) == 0
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(30)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err


def test_ctrl_c_still_prints_the_statistics_asked_for(tmp_path):
    """A program too slow to wait for is the one whose ``--stats`` say why
    (AWFY's Havlak, interpreted: not one iteration in 300 s); Ctrl-C printed
    nothing.  Now the counts so far go to stderr and --stats-json, marked
    as interrupted, and the exit is still 130."""
    prog = tmp_path / "slow.js"
    prog.write_text(
        "console.log('started');\n"
        "function f(x) { return `${x}`.length; }\n"  # (a template: not compiled, so a reason)
        "let i = 0;\nwhile (true) { i = i + f(i); }\n"
    )
    js = tmp_path / "stats.json"
    proc = subprocess.Popen(
        [sys.executable, "-m", "libmpk", "run", "--stats", "--stats-json", str(js), str(prog)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert first_line(proc) == "started\n"
        time.sleep(3)  # (the loop gets hot: the compiler loads and refuses f)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(30)
    assert proc.returncode == 130, err
    assert "JIT statistics" in err and "interrupted by Ctrl-C" in err, err
    assert "Traceback" not in err, err
    stats = json.loads(js.read_text())
    assert stats["interrupted"].startswith("interrupted by Ctrl-C") and stats["jit"] is True, stats


# 5 -------------------------------------------------------------------------------------------


def test_code_and_file_together_is_a_usage_error(tmp_path):
    prog = tmp_path / "p.js"
    prog.write_text("console.log('file');\n")
    p = mpk("run", "-e", "console.log('code')", str(prog))
    refused(p, 2, "FILE", "-e CODE", "not both")
    assert p.stdout == ""
    refused(mpk("run"), 2, "FILE", "-e CODE")


# 6 -------------------------------------------------------------------------------------------


def test_unknown_bench_suite_is_a_usage_error():
    refused(mpk("bench", "--only", "nosuch"), 2, "nosuch", "switch", "kvstore")
    refused(mpk("bench", "--only", "switch,nosuch"), 2, "nosuch")


# 7, 8 ----------------------------------------------------------------------------------------


def test_keyvault_verify_failure_exits_1():
    port = free_port()
    proc, _ = spawn_cli("keyvault", "serve", "--port", str(port), ready="keyvault on")
    url = f"http://127.0.0.1:{port}"
    try:
        p = mpk("keyvault", "gen", "--url", url)
        assert p.returncode == 0, p.stderr
        kid = json.loads(p.stdout)["id"]
        mac = json.loads(mpk("keyvault", "sign", "--url", url, "--id", kid, "--message", "hi").stdout)["mac"]
        p = mpk("keyvault", "verify", "--url", url, "--id", kid, "--message", "hi", "--mac", mac)
        assert p.returncode == 0 and json.loads(p.stdout)["valid"] is True, p.stderr
        p = mpk("keyvault", "verify", "--url", url, "--id", kid, "--message", "hi", "--mac", "00" * 32)
        refused(p, 1, "does not verify", kid)
        assert json.loads(p.stdout)["valid"] is False
        refused(mpk("keyvault", "verify", "--url", url, "--id", kid, "--message", "hi", "--mac", "zz"), 1)
        refused(mpk("keyvault", "delete", "--url", url, "--id", "nosuch"), 1, "no key", "404")
    finally:
        proc.terminate()
        proc.communicate(timeout=30)


CLIENT_ACTIONS = [
    ["gen"],
    ["sign", "--id", "k", "--message", "m"],
    ["verify", "--id", "k", "--message", "m", "--mac", "00"],
    ["delete", "--id", "k"],
]


@pytest.mark.parametrize("action", CLIENT_ACTIONS, ids=[a[0] for a in CLIENT_ACTIONS])
def test_keyvault_client_without_a_server(action):
    url = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    refused(mpk("keyvault", *action, "--url", url), 2, url, "mpk keyvault serve")


# 9 -------------------------------------------------------------------------------------------


def test_help_shows_default_ports_and_urls():
    assert "(default: 11311)" in mpk("kvstore", "--help").stdout
    assert "(default: 8421)" in mpk("keyvault", "serve", "--help").stdout
    assert "http://127.0.0.1:8421" in mpk("keyvault", "--help").stdout
    for action in ("gen", "sign", "verify", "delete"):
        p = mpk("keyvault", action, "--help")
        assert "(default: http://127.0.0.1:8421)" in p.stdout and "Exit status" in p.stdout


# the same class of defect elsewhere ----------------------------------------------------------


def test_other_bad_arguments_and_os_errors(tmp_path):
    refused(mpk("vm", "--cpus", "0", "--", "true"), 2, "--cpus")
    refused(mpk("vm", "--share", str(tmp_path / "missing"), "--", "true"), 2, "--share", "not a directory")
    refused(mpk("bench", "--from", str(tmp_path / "missing.json")), 2, "cannot read", "missing.json")
    refused(mpk("bench", "--json", str(tmp_path / "no" / "r.json")), 2, "cannot write", "r.json")
    refused(mpk("kvstore", "--memory", "0"), 2, "--memory")
    refused(mpk("kvstore", "--port", "0", "--max-item", str(8 << 20)), 2, "--max-item", "1048576")
    p = mpk("run", "-e", "console.log(1)", "--stats-json", str(tmp_path / "no" / "s.json"))
    refused(p, 2, "s.json", "No such file")
    refused(mpk("audit"), 2, "--pid")
    refused(mpk("keyvault", "gen", "--url", "localhost:8421"), 2, "--url", "http://")


def test_closed_stdout_stops_the_program_quietly():
    """``mpk run p.js | head -1``: no BrokenPipeError reported as an engine bug."""
    prog = "let i = 0; while (true) { console.log(i); i = i + 1; }"
    proc = subprocess.Popen(
        [sys.executable, "-m", "libmpk", "run", "--no-jit", "-e", prog],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert first_line(proc) == b"0\n"
        proc.stdout.close()
        err = proc.communicate(timeout=60)[1].decode()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(30)
    assert proc.returncode == 0 and err == "", err


def test_mpk_run_ends_with_all_its_output_and_its_status():
    """`mpk run` ends its process without the interpreter's teardown (after a
    compiled program, freeing the compiler's objects one by one took ~0.5 s):
    the streams are flushed and the exit handlers run first (the background
    compiler's worker is closed), so every line, the statistics and the
    status (process.exitCode) still come out."""
    prog = (
        "function f(x) { return x * 2 + 1; }\n"
        "let s = 0;\n"
        "for (let i = 0; i < 20000; i++) { s = (s + f(i)) % 1000003; console.log(i, s); }\n"
        "process.exitCode = 3;\n"
    )
    p = mpk("run", "--stats", "-e", prog)
    assert p.returncode == 3, p.stderr[-2000:]
    lines = p.stdout.splitlines()
    assert len(lines) == 20000 and lines[-1].startswith("19999 ")
    assert "JIT statistics" in p.stderr and "compiled in" in p.stderr
