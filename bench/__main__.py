"""``python -m bench [SUITE...] [--quick]``: run suites and print their tables."""

from __future__ import annotations

import argparse

SUITES = ("sync", "jit", "js", "keyvault", "kvstore")


def main() -> int:
    p = argparse.ArgumentParser(prog="python -m bench")
    p.add_argument("suites", nargs="*", default=list(SUITES), choices=SUITES)
    p.add_argument("--quick", action="store_true")
    args = p.parse_args()
    import sandbox

    info = sandbox.init()
    print(f"backend {info['backend']} ({info['cpu_model']}, PKU: {info['pku_available']})\n")
    for name in args.suites:
        module = __import__(f"bench.{name}", fromlist=["run"])
        for table in module.run(quick=args.quick):
            print(table.render())
            print()
    return 0


raise SystemExit(main())
