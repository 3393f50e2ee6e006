"""Real clients' own test suites against ``mpk kvstore``, fetched at test time
from the package registries (tests/clients/fetch.py): pymemcache's
integration tests, pylibmc's suite (libmemcached, text and binary protocol)
and memcached's own ``t/*.t`` files, each file with a fresh server as
memcached's ``make test`` runs them.

Every ``t/*.t`` file is classified below: the ones for commands and options
kvstore supports must pass; the rest are listed with the feature they need
that kvstore does not build.  A memcached release with new files fails the
classification test until someone decides.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from .apptools import free_port, spawn_cli
from .clients import fetch

pytestmark = pytest.mark.clients

HERE = Path(__file__).parent / "clients"
MPK = f"{shlex.quote(sys.executable)} -m libmpk"

# memcached's t/ files that need what kvstore chose not to build, and why
NOT_BUILT = {
    "00-startup.t": "command-line options kvstore lacks (-C no-cas, -M, -R, -B, -l other than loopback)",
    "64bit.t": "-M (error instead of evicting) and 64-bit slab accounting",
    "ascii-auth.t": "authentication (-Y authfile)",
    "binary-extstore.t": "extstore (flash-backed items)",
    "binary-sasl.t": "SASL authentication",
    "chunked-extstore.t": "extstore",
    "flush-all.t": "-C (no cas): its last check counts on memcached's one-second clock dropping a set after flush_all",
    "conn-limits.t": "read buffer memory limits (-o read_buf_mem_limit)",
    "daemonize.t": "daemon mode (-d) and pid files",
    "dash-M.t": "-M (refuse to evict)",
    "error-extstore.t": "extstore",
    "extstore-buckets.t": "extstore",
    "extstore-jbod.t": "extstore",
    "extstore.t": "extstore",
    "idle-timeout.t": "idle connection timeout (-o idle_timeout)",
    "issue_50.t": "-B binary-only mode",
    "issue_61.t": "-R requests per event",
    "issue_67.t": "starting with its own port/UDP/unix-socket options",
    "item_size_max.t": "items over 1 MiB (-I 2m and up): items are not chunked across slabs",
    "lru-crawler.t": "the LRU crawler (lru_crawler metadump/crawl commands)",
    "lru-maintainer.t": "the segmented LRU (hot/warm/cold) and its maintainer thread",
    "misbehave.t": "drop_privileges (seccomp)",
    "proxy.t": "the proxy (Lua routing)",
    "restart.t": "warm restart from a memory file (-e)",
    "sasl": "not a test",
    "slabs-reassign-chunked.t": "slab automove of chunked items",
    "slabs-reassign2.t": "slab automove statistics",
    "slabs_reassign.t": "the slabs reassign command",
    "ssl_cert_refresh.t": "TLS",
    "ssl_ports.t": "TLS",
    "ssl_proto_version.t": "TLS",
    "ssl_session_resumption.t": "TLS",
    "ssl_settings.t": "TLS",
    "ssl_verify_modes.t": "TLS",
    "udp.t": "UDP",
    "unixsocket.t": "unix-domain sockets (-s)",
    "watcher.t": "the watch command (log streaming)",
    "watcher_connid.t": "the watch command",
    "stats-conns.t": "stats conns (per-connection state lines)",
    "lru.t": "memcached's own LRU statistics (items:N:evicted_time and friends)",
    "issue_183.t": "flush_all frees items at once, so a later set reuses free memory rather than reclaiming",
    "issue_42.t": "memcached's own item header size in slab statistics",
    "refhang.t": "memcached's refcount/LRU tail-repair statistics",
    "slabhang.t": "slab reassignment under load",
    "stats.t": "memcached's full general statistics list (83 fields, exact counts)",
    "dyn-maxbytes.t": "memcached's slab preallocation figures when maxbytes grows",
    "stress-memcached.pl": "not a test (a load script)",
    "startfile.lua": "not a test",
}


@pytest.fixture(scope="module")
def kvstore():
    proc, line = spawn_cli("kvstore", "--protect", "mpk", "--port", str(free_port()), ready="kvstore on")
    port = int(re.search(r":(\d+) ", line).group(1))
    yield port
    proc.terminate()
    proc.wait(10)


def _suite(name: str, version: str) -> Path:
    try:
        return fetch.sdist(name, version)
    except fetch.Unavailable as e:
        pytest.fail(f"could not fetch {name}: {e}")


def _pytest(args: list[str], cwd: Path, env: dict | None = None, timeout: int = 900) -> tuple[str, dict[str, int]]:
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-c", os.devnull, "--rootdir", str(cwd)]
    p = subprocess.run(cmd + args, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env)
    counts = {k: int(n) for n, k in re.findall(r"(\d+) (passed|failed|errors?|skipped)", p.stdout)}
    return p.stdout[-4000:], counts


def test_pymemcache_integration_suite(kvstore):
    import pymemcache

    src = _suite("pymemcache", pymemcache.__version__)
    out, counts = _pytest(["pymemcache/test/test_integration.py", "--port", str(kvstore)], src)
    assert counts.get("passed", 0) >= 100 and not counts.get("failed") and not counts.get("error"), out


PYLIBMC = "1.6.3"


def _debian(files: dict[str, str]) -> None:
    """Install the Debian packages behind ``files`` if missing (as root, as
    the benchmarks do on a fresh machine)."""
    from libmpk.bench.tools import ensure

    missing = ensure(files)
    if missing:
        pytest.fail(f"needs the Debian packages {missing} (run as root to have them installed)")


def _pylibmc() -> None:
    """pylibmc builds against libmemcached (Debian's libmemcached-dev)."""
    _debian({"/usr/include/libmemcached/memcached.h": "libmemcached-dev", "/usr/include/zlib.h": "zlib1g-dev"})
    try:
        import pylibmc  # noqa: F401

        return
    except ImportError:
        pass
    src = _suite("pylibmc", PYLIBMC)
    p = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", str(src)], capture_output=True, text=True
    )
    if p.returncode != 0:
        pytest.fail(f"pylibmc did not build (is libmemcached-dev installed?): {p.stderr[-600:]}")


def test_pylibmc_suite_text_and_binary(kvstore):
    _pylibmc()
    src = _suite("pylibmc", PYLIBMC)
    env = {**os.environ, "MEMCACHED_HOST": "127.0.0.1", "MEMCACHED_PORT": str(kvstore)}
    # test_autoconf hard-codes 127.0.0.1:11211 (ElastiCache discovery), whatever the environment says
    out, counts = _pytest(["tests", "--deselect", "tests/test_autoconf.py"], src, env)
    assert counts.get("passed", 0) >= 38 and not counts.get("failed") and not counts.get("error"), out


@pytest.fixture(scope="module")
def memcached_tree() -> Path:
    def test_more() -> bool:
        return subprocess.run(["perl", "-MTest::More", "-e", "1"], capture_output=True).returncode == 0

    if not test_more():
        from libmpk.bench.tools import ensure

        ensure({"/usr/share/perl5/Test/More.pm": "perl"})  # (the path varies with perl's version)
        if not test_more():
            pytest.fail("memcached's t/ files need Perl's Test::More (Debian's perl package)")
    try:
        root = fetch.memcached_source()
    except fetch.Unavailable as e:
        pytest.fail(str(e))
    shim = root / "memcached-debug"  # what MemcachedTest.pm starts
    shim.write_text(
        f'#!/bin/sh\nexec {shlex.quote(sys.executable)} {shlex.quote(str(HERE / "memcached_shim.py"))} "$@"\n'
    )
    timedrun = root / "timedrun"
    timedrun.write_text('#!/bin/sh\nshift\nexec "$@"\n')
    for f in (shim, timedrun):
        f.chmod(0o755)
    return root


def _t_files(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "t").iterdir() if p.suffix == ".t")


def test_every_memcached_t_file_is_classified(memcached_tree):
    unknown = [f for f in _t_files(memcached_tree) if f not in NOT_BUILT and f not in SUPPORTED]
    assert not unknown, f"classify these memcached t/ files: {unknown}"


SUPPORTED = [
    "binary-get.t",
    "binary.t",
    "bogus-commands.t",
    "cas.t",
    "expirations.t",
    "flags.t",
    "getandtouch.t",
    "getset.t",
    "incrdecr.t",
    "issue_104.t",
    "issue_108.t",
    "issue_140.t",
    "issue_152.t",
    "issue_192.t",
    "issue_260.t",
    "issue_3.t",
    "issue_41.t",
    "issue_68.t",
    "line-lengths.t",
    "malicious-commands.t",
    "metaget.t",
    "evictions.t",
    "issue_14.t",
    "issue_163.t",
    "issue_22.t",
    "issue_29.t",
    "issue_70.t",
    "maxconns.t",
    "chunked-items.t",
    "multiversioning.t",
    "noreply.t",
    "quit.t",
    "shutdown.t",
    "stats-detail.t",
    "strtol-testing.t",
    "touch.t",
    "whitespace.t",
]


@pytest.mark.parametrize("name", SUPPORTED)
def test_memcached_t_file(memcached_tree, name):
    env = {**os.environ, "KVSTORE_MPK": MPK}
    p = subprocess.run(["perl", f"t/{name}"], cwd=memcached_tree, capture_output=True, text=True, timeout=600, env=env)
    failed = [line for line in p.stdout.splitlines() if line.startswith("not ok")]
    assert p.returncode == 0 and not failed, (p.stdout[-3000:], p.stderr[-2000:])
