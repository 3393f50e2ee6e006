"""Bring real clients' own test suites from the package registries at test
time -- never copied into this repository: pymemcache's and pylibmc's source
distributions from PyPI, memcached's ``t/`` files from Debian's source
package (the upstream tarball, checked against the SHA-256 in Debian's signed
Sources index).  Each is unpacked once into a cache folder and reused.
"""

from __future__ import annotations

import hashlib
import lzma
import os
import subprocess
import sys
import tarfile
import urllib.request
from pathlib import Path

CACHE = Path(os.environ.get("MPK_CLIENT_SUITES", Path.home() / ".cache" / "libmpk-client-suites"))
DEBIAN = "http://deb.debian.org/debian"
SOURCES = f"{DEBIAN}/dists/bookworm/main/source/Sources.xz"
MEMCACHED_VERSION = "1.6.18"


class Unavailable(RuntimeError):
    """The suite could not be fetched (no registry reachable)."""


def _unpack(archive: Path, into: Path) -> Path:
    with tarfile.open(archive) as tar:
        top = tar.getnames()[0].split("/")[0]
        tar.extractall(into, filter="data")
    return into / top


def sdist(name: str, version: str) -> Path:
    """``name``'s source distribution from PyPI, unpacked; its folder."""
    dest = CACHE / f"{name}-{version}"
    if dest.is_dir():
        return dest
    CACHE.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:"]
    cmd += ["--dest", str(CACHE), f"{name}=={version}"]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    if p.returncode != 0:
        raise Unavailable(f"pip download {name}=={version}: {p.stderr[-400:]}")
    archive = next(CACHE.glob(f"{name}-{version}.tar.gz"))
    return _unpack(archive, CACHE)


def memcached_source() -> Path:
    """memcached's upstream source as Debian ships it (for its ``t/`` files
    and ``doc/protocol.txt``), verified against Debian's Sources index."""
    dest = CACHE / f"memcached-{MEMCACHED_VERSION}"
    if dest.is_dir():
        return dest
    CACHE.mkdir(parents=True, exist_ok=True)
    try:
        index = lzma.decompress(urllib.request.urlopen(SOURCES, timeout=120).read()).decode()
        stanza = next(s for s in index.split("\n\n") if s.startswith("Package: memcached\n"))
        directory = next(line.split()[1] for line in stanza.splitlines() if line.startswith("Directory:"))
        name = f"memcached_{MEMCACHED_VERSION}.orig.tar.xz"
        digest = next(
            line.split()[0] for line in stanza.splitlines() if line.endswith(name) and len(line.split()[0]) == 64
        )
        data = urllib.request.urlopen(f"{DEBIAN}/{directory}/{name}", timeout=300).read()
    except (OSError, StopIteration) as e:
        raise Unavailable(f"memcached {MEMCACHED_VERSION} source from Debian: {e}") from e
    if hashlib.sha256(data).hexdigest() != digest:
        raise Unavailable(f"{name}: SHA-256 does not match Debian's Sources index")
    archive = CACHE / name
    archive.write_bytes(data)
    return _unpack(archive, CACHE)
