"""Stands in for ``memcached-debug`` (the debug build, whose ``debugtime``
command moves the clock: passed on as ``--debug-time``) when memcached's own ``t/*.t`` files run
against kvstore: translates memcached's options to ``mpk kvstore``'s and
refuses, by name, every option that asks for a feature kvstore lacks (so a
test that needs it fails visibly instead of passing against the wrong thing).

Options that only tune memcached's internals (threads, LRU maintenance, slab
automove, the user to run as) change nothing a client can observe and are
accepted.
"""

from __future__ import annotations

import os
import shlex
import sys

HELP = "memcached 1.6.18 (mpk kvstore)\n-p, -l, -m, -I, -c, -A, -F\n"
TUNING = {
    "relaxed_privileges",
    "no_modern",
    "modern",
    "slab_reassign",
    "slab_automove",
    "slab_automove_window",
    "lru_crawler",
    "no_lru_crawler",
    "lru_maintainer",
    "no_lru_maintainer",
    "watcher_logbuf_size",
    "worker_logbuf_size",
    "slab_chunk_max",
    "hash_algorithm",
    "temporary_ttl",
}


def _size(text: str) -> int:
    unit = {"k": 1 << 10, "m": 1 << 20}.get(text[-1:].lower(), 1)
    return int(text[:-1] if unit > 1 else text) * unit


def translate(argv: list[str]) -> list[str]:
    out: list[str] = []
    it = iter(argv)
    for opt in it:
        if opt == "-h":
            sys.stdout.write(HELP)
            raise SystemExit(0)
        if opt == "-p":
            out += ["--port", next(it)]
        elif opt == "-m":
            out += ["--memory", next(it)]
        elif opt == "-I":
            out += ["--max-item", str(_size(next(it)))]
        elif opt == "-c":
            out += ["--max-connections", next(it)]
        elif opt == "-A":
            out.append("--enable-shutdown")
        elif opt == "-F":
            out.append("--disable-flush-all")
        elif opt == "-l":
            if next(it) != "127.0.0.1":
                raise SystemExit("kvstore shim: only -l 127.0.0.1")
        elif opt in ("-u", "-t"):
            next(it)
        elif opt == "-U":
            next(it)  # UDP is not served: a test that uses it fails on its own
        elif opt in ("-v", "-vv", "-vvv"):
            pass
        elif opt == "-o":
            for item in next(it).split(","):
                if item.split("=")[0] not in TUNING:
                    raise SystemExit(f"kvstore shim: unsupported memcached option -o {item}")
        else:
            raise SystemExit(f"kvstore shim: unsupported memcached option {opt}")
    return out


def main() -> None:
    args = translate(sys.argv[1:])
    protect = os.environ.get("KVSTORE_PROTECT", "mpk")
    mpk = shlex.split(os.environ.get("KVSTORE_MPK", "mpk"))  # e.g. "/path/python -m libmpk"
    os.execvp(mpk[0], [*mpk, "kvstore", "--protect", protect, "--debug-time", *args])


if __name__ == "__main__":
    main()
