"""Timing and tables for the benchmark suites.

Every figure is the median of repeated runs of an operation timed in bulk
(per-operation time = batch time / batch size), with the spread shown as the
interquartile range; comparisons are ratios of medians measured in the same
process run, side by side, so a noisy machine shifts both sides alike.
"""

from __future__ import annotations

import dataclasses
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field

_progress = [False]


def progress(text: str) -> None:
    """One line of progress on stderr (when the runner asks for it)."""
    if _progress[0]:
        print(f"    {text}", file=sys.stderr, flush=True)


@dataclass
class Sample:
    """Per-operation seconds from ``repeat`` batches."""

    runs: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    @property
    def spread(self) -> float:
        """Half the interquartile range: what ``±`` means in the tables."""
        return self.iqr / 2

    def as_dict(self) -> dict:
        return {"median": self.median, "spread": self.spread, "runs": self.runs}

    @property
    def iqr(self) -> float:
        if len(self.runs) < 4:
            return max(self.runs) - min(self.runs)
        q = statistics.quantiles(self.runs, n=4)
        return q[2] - q[0]


def measure(
    op: Callable[[], object], number: int, repeat: int = 7, setup: Callable[[], object] | None = None
) -> Sample:
    """Time ``op`` called ``number`` times per batch, ``repeat`` batches."""
    runs = []
    for _ in range(repeat):
        if setup is not None:
            setup()
        t0 = time.perf_counter()
        for _ in range(number):
            op()
        runs.append((time.perf_counter() - t0) / number)
    return Sample(runs)


def measure_batch(batch: Callable[[int], object], number: int, repeat: int = 7) -> Sample:
    """Time ``batch(number)``, which performs ``number`` operations itself."""
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        batch(number)
        runs.append((time.perf_counter() - t0) / number)
    return Sample(runs)


def fmt_time(seconds: float) -> str:
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("us", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


@dataclass
class Figure:
    """How to plot a table: ``ys`` against ``x``, one line per value of
    ``series`` (if any) and per y column."""

    name: str
    x: str
    ys: list[str]
    series: str | None = None
    ylabel: str = "time per operation (s)"
    logx: bool = True
    logy: bool = True


@dataclass
class Table:
    """One result table: rows of cells, ratio columns computed by the suite,
    the figures worth a line in the summary (``headline``) and an optional plot."""

    title: str
    columns: list[str]
    rows: list[list[object]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    headline: list[tuple[str, float]] = field(default_factory=list)
    figure: Figure | None = None

    def add(self, *cells: object) -> None:
        if len(cells) != len(self.columns):
            raise ValueError(f"{self.title}: {len(cells)} cells for {len(self.columns)} columns")
        self.rows.append(list(cells))

    def column(self, name: str) -> list[object]:
        i = self.columns.index(name)
        return [row[i] for row in self.rows]

    def render(self) -> str:
        cells = [[str(c) for c in self.columns]] + [[_cell(c) for c in row] for row in self.rows]
        widths = [max(len(r[i]) for r in cells) for i in range(len(self.columns))]
        lines = [self.title, "-" * len(self.title)]
        for j, row in enumerate(cells):
            lines.append(
                "  ".join(c.rjust(w) if j and _numeric(c) else c.ljust(w) for c, w in zip(row, widths, strict=True))
            )
            if j == 0:
                lines.append("  ".join("-" * w for w in widths))
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)

    def as_dict(self) -> dict:
        return {
            "title": self.title,
            "columns": self.columns,
            "rows": [[c.as_dict() if isinstance(c, Sample) else c for c in row] for row in self.rows],
            "notes": self.notes,
            "headline": [{"figure": k, "ratio": v} for k, v in self.headline],
            "figure": None if self.figure is None else dataclasses.asdict(self.figure),
        }

    @classmethod
    def from_dict(cls, d: dict) -> Table:
        """The inverse of :meth:`as_dict`: a saved run, ready to render or plot."""
        rows = [
            [Sample(list(c["runs"])) if isinstance(c, dict) and "runs" in c else c for c in row] for row in d["rows"]
        ]
        fig = d.get("figure")
        return cls(
            d["title"],
            list(d["columns"]),
            rows,
            list(d.get("notes", [])),
            [(h["figure"], float(h["ratio"])) for h in d.get("headline", [])],
            Figure(**fig) if fig else None,
        )


def _cell(c: object) -> str:
    if isinstance(c, Sample):
        return f"{fmt_time(c.median)} ±{fmt_time(c.spread)}"
    if isinstance(c, float):
        return f"{c:.2f}"
    return str(c)


def _numeric(text: str) -> bool:
    return bool(text) and (text[0].isdigit() or text[0] in "-±.")
