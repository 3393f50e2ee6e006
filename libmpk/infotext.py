"""Human-readable rendering of ``sandbox.info()``."""

from __future__ import annotations


def render(d: dict) -> str:
    pku = "yes" if d["pku_available"] else "no"
    lines = [
        f"libmpk-py {d['version']} (Python {d['python']}, kernel {d['kernel']})",
        f"CPU         {d['cpu_vendor']} {d['cpu_model']} [{d['cpu_arch']}]",
        f"PKU         {pku}: {d['pku_reason']}",
        f"backend     {d['backend']} ({d['backend_reason']})",
        f"hw keys     {d['hw_keys']} held, {d['hw_keys_reserved']} reserved, {d['cache_capacity']} for the vkey cache",
    ]
    for what, text in d["guarantees"].items():
        lines.append(f"{what:<12}{text}")
    if d.get("stats"):
        s = d["stats"]
        lines.append(
            f"stats       {s['vkeys']} vkeys, {len(s['cached'])} cached, {s['hits']} hits, "
            f"{s['misses']} misses, {s['evictions']} evictions"
        )
    return "\n".join(lines)
