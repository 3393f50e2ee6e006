"""A benchmark run: its machine, every suite's tables, the summary of ratios,
as text and as JSON."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from .harness import Table
from .machine import one_line

SCHEMA = "libmpk-py-bench/1"


@dataclass
class SuiteResult:
    name: str
    description: str
    seconds: float = 0.0
    tables: list[Table] = field(default_factory=list)
    error: str | None = None


@dataclass
class Report:
    machine: dict
    quick: bool
    started: str
    seconds: float = 0.0
    suites: list[SuiteResult] = field(default_factory=list)

    def summary(self) -> Table:
        t = Table("summary: the ratios that matter, one run, same process", ["suite", "figure", "ratio"])
        for s in self.suites:
            if s.error:
                t.add(s.name, f"FAILED: {s.error}", "-")
            for table in s.tables:
                for label, value in table.headline:
                    t.add(s.name, label, float(value))
        t.notes.append(f"machine: {one_line(self.machine)}")
        if not self.machine["pku_available"]:
            t.notes.append("no PKU on this CPU: every 'mpk' figure is the zero-key fallback (page tables)")
        return t

    def as_dict(self) -> dict:
        return {
            "schema": SCHEMA,
            "quick": self.quick,
            "started": self.started,
            "seconds": round(self.seconds, 2),
            "machine": self.machine,
            "suites": [
                {
                    "name": s.name,
                    "description": s.description,
                    "seconds": round(s.seconds, 2),
                    "error": s.error,
                    "tables": [t.as_dict() for t in s.tables],
                }
                for s in self.suites
            ],
            "summary": [{"suite": r[0], "figure": r[1], "ratio": r[2]} for r in self.summary().rows],
        }

    @classmethod
    def from_dict(cls, d: dict) -> Report:
        """A run saved with ``--json``, to print or plot again elsewhere (say,
        figures brought back from a machine with PKU)."""
        if d.get("schema") != SCHEMA:
            raise ValueError(f"not a {SCHEMA} result (schema {d.get('schema')!r})")
        suites = [
            SuiteResult(
                s["name"],
                s["description"],
                float(s.get("seconds", 0.0)),
                [Table.from_dict(t) for t in s["tables"]],
                s.get("error"),
            )
            for s in d["suites"]
        ]
        return cls(d["machine"], bool(d["quick"]), d["started"], float(d.get("seconds", 0.0)), suites)

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), indent=2, default=_plain)


def _plain(value: object) -> object:
    """numpy scalars and anything else json does not know, as plain values."""
    for kind in (int, float):
        try:
            return kind(value)  # type: ignore[call-overload]
        except (TypeError, ValueError):
            pass
    return str(value)
