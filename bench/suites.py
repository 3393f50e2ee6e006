"""The benchmark suites, in the order they run."""

from __future__ import annotations

SUITES: dict[str, str] = {
    "switch": "one thread's begin/end pair, every way, against an mprotect pair",
    "sync": "sandbox.mprotect vs mprotect(2) by pages and threads; switches from many threads",
    "jit": "compile + load + scan per function by batch size, gadget scan speed, W^X windows, audit vs ROPgadget",
    "js": "JS kernels: interpreter, JIT per W^X mode, node, CPython",
    "keyvault": "HMAC-SHA256 signatures with the key's domain opened around each, in-process and over HTTP",
    "kvstore": "kvstore none/mprotect/mpk against memcached under memaslap",
}
