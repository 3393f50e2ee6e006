"""PNG figures of the scaling tables (pages, threads, batch size) and of the
summary's ratios, with matplotlib's non-interactive backend."""

from __future__ import annotations

from pathlib import Path

from .harness import Sample, Table
from .report import Report


def _value(cell: object) -> tuple[float, float] | None:
    if isinstance(cell, Sample):
        return cell.median, cell.spread
    if isinstance(cell, (int, float)):
        return float(cell), 0.0
    return None


def _wrap(text: str, width: int = 90) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width))


def plot_table(table: Table, out: Path, subtitle: str) -> Path | None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import matplotlib.ticker

    f = table.figure
    if f is None or not table.rows:
        return None
    groups: dict[object, list[list[object]]] = {}
    for row in table.rows:
        key = row[table.columns.index(f.series)] if f.series else None
        groups.setdefault(key, []).append(row)
    fig, ax = plt.subplots(figsize=(7.5, 4.8), dpi=110)
    styles = ["-", "--", ":", "-."]
    for j, y in enumerate(f.ys):
        for key, rows in groups.items():
            xs, ms, es = [], [], []
            for row in rows:
                v = _value(row[table.columns.index(y)])
                if v is None:
                    continue
                xs.append(float(row[table.columns.index(f.x)]))
                ms.append(v[0])
                es.append(v[1])
            label = y if key is None else f"{y}, {f.series} {key}"
            ax.errorbar(xs, ms, yerr=es, marker="o", ms=4, capsize=2, linestyle=styles[j % len(styles)], label=label)
    ax.set_xscale("log" if f.logx else "linear")
    ax.set_yscale("log" if f.logy else "linear")
    ticks = sorted({float(x) for x in table.column(f.x)})
    if f.logx and len(ticks) <= 12:  # the measured sizes themselves, not 2x10^0
        ax.set_xticks(ticks, [f"{t:g}" for t in ticks])
        ax.xaxis.set_minor_locator(matplotlib.ticker.NullLocator())
    ax.set_xlabel(f.x)
    ax.set_ylabel(f.ylabel)
    ax.set_title(f"{table.title}\n{_wrap(subtitle)}", fontsize=9)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7, ncol=2)
    fig.tight_layout()
    path = out / f"{f.name}.png"
    fig.savefig(path)
    plt.close(fig)
    return path


def plot_summary(summary: Table, out: Path, subtitle: str) -> Path | None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import matplotlib.ticker

    rows = [r for r in summary.rows if isinstance(r[2], float) and r[2] > 0]
    if not rows:
        return None
    fig, ax = plt.subplots(figsize=(8, 0.32 * len(rows) + 1.4), dpi=110)
    labels = [f"{r[1]}" for r in rows]
    bars = ax.barh(range(len(rows)), [r[2] for r in rows], color="#4a7ab5")
    ax.bar_label(bars, [f"{r[2]:.2f}" for r in rows], padding=3, fontsize=7)
    ax.set_yticks(range(len(rows)), labels, fontsize=7)
    ax.invert_yaxis()
    ax.set_xscale("log")
    ax.axvline(1.0, color="black", lw=0.8)
    ax.set_xlabel("ratio (log scale; 1 = parity)")
    ax.set_xlim(right=max(r[2] for r in rows) * 3)  # room for the labels
    ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:g}"))
    ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
    fig.suptitle(f"{summary.title}\n{_wrap(subtitle)}", fontsize=9)
    ax.grid(True, axis="x", which="both", alpha=0.3)
    fig.tight_layout()
    path = out / "summary.png"
    fig.savefig(path)
    plt.close(fig)
    return path


def plot_report(report: Report, out: Path) -> list[Path]:
    from .machine import one_line

    out.mkdir(parents=True, exist_ok=True)
    subtitle = one_line(report.machine)
    paths = [plot_table(t, out, subtitle) for s in report.suites for t in s.tables]
    paths.append(plot_summary(report.summary(), out, subtitle))
    return [p for p in paths if p is not None]
