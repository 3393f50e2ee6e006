"""The benchmark harness: tables, JSON, plots and the ``mpk bench`` command
(figures are never asserted -- only that they are there and well-formed)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time

import pytest

from libmpk.bench.cli import _selected
from libmpk.bench.harness import Figure, Sample, Table
from libmpk.bench.js import STARTUP, _startup_claim_broken  # (imported at collection: real load thresholds)
from libmpk.bench.plots import plot_summary, plot_table
from libmpk.bench.report import SCHEMA, Report, SuiteResult

from .apptools import gone

MACHINE = {"cpu": "test cpu", "cores": 2, "pku_available": False, "backend": "mprotect", "kernel": "k", "python": "3"}


def _table() -> Table:
    t = Table("scaling", ["pages", "threads", "ours", "theirs", "theirs / ours"])
    for threads in (1, 2):
        for pages in (1, 16, 256):
            ours, theirs = Sample([1e-6 * pages, 1.1e-6 * pages]), Sample([3e-6 * pages] * 3)
            t.add(pages, threads, ours, theirs, theirs.median / ours.median)
    t.headline.append(("theirs / ours at 256 pages", t.rows[-1][-1]))
    t.figure = Figure("scaling", x="pages", ys=["ours", "theirs"], series="threads")
    return t


def test_table_rejects_rows_of_the_wrong_width():
    with pytest.raises(ValueError, match="2 cells for 5 columns"):
        _table().add(1, 2)


def test_report_json_carries_machine_rows_and_summary():
    r = Report(MACHINE, quick=True, started="now", suites=[SuiteResult("demo", "a demo", 1.0, [_table()])])
    r.suites.append(SuiteResult("broken", "fails", 0.1, [], "RuntimeError: boom"))
    d = json.loads(r.to_json())
    assert d["schema"] == SCHEMA and d["machine"]["cpu"] == "test cpu"
    row = d["suites"][0]["tables"][0]["rows"][0]
    assert row[2]["median"] == pytest.approx(1.05e-6) and len(row[2]["runs"]) == 2
    assert d["summary"][0] == {
        "suite": "demo",
        "figure": "theirs / ours at 256 pages",
        "ratio": pytest.approx(3 / 1.05),
    }
    assert d["summary"][1]["figure"].startswith("FAILED: RuntimeError")
    assert "no PKU" in r.summary().render()


def test_plots_are_pngs(tmp_path):
    t = _table()
    path = plot_table(t, tmp_path, "subtitle")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    r = Report(MACHINE, quick=True, started="now", suites=[SuiteResult("demo", "a demo", 1.0, [t])])
    assert plot_summary(r.summary(), tmp_path, "subtitle").stat().st_size > 1000


def test_suite_selection():
    assert _selected(["keyvault,switch"]) == ["switch", "keyvault"]  # run order, not argument order
    with pytest.raises(SystemExit, match="unknown suite"):
        _selected(["nope"])


def test_mpk_bench_json_on_stdout(tmp_path):
    p = subprocess.run(
        [sys.executable, "-m", "libmpk", "bench", "--quick", "--only", "switch", "--json", "--plot", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert p.returncode == 0, p.stderr[-2000:]
    d = json.loads(p.stdout)  # stdout holds the JSON alone; the tables went to stderr
    assert [s["name"] for s in d["suites"]] == ["switch"] and d["suites"][0]["error"] is None
    table = d["suites"][0]["tables"][0]
    assert any("/" in c for c in table["columns"]) and table["rows"]
    assert d["summary"] and all(r["ratio"] > 0 for r in d["summary"])
    assert d["machine"]["backend"] in ("pku", "mprotect")
    assert "summary: the ratios" in p.stderr and "[1/1] switch" in p.stderr
    assert (tmp_path / "summary.png").exists()


def test_saved_run_round_trips_through_json():
    r = Report(
        MACHINE, quick=False, started="then", seconds=9.0, suites=[SuiteResult("demo", "a demo", 1.0, [_table()])]
    )
    back = Report.from_dict(json.loads(r.to_json()))
    assert back.summary().rows == r.summary().rows
    t, t0 = back.suites[0].tables[0], r.suites[0].tables[0]
    assert t.render() == t0.render() and t.figure == t0.figure
    assert isinstance(t.rows[0][2], Sample) and t.rows[0][2].runs == t0.rows[0][2].runs
    with pytest.raises(ValueError, match="not a libmpk-py-bench"):
        Report.from_dict({"schema": "other"})


def test_mpk_bench_from_saved_json_replots(tmp_path):
    saved = tmp_path / "run.json"
    saved.write_text(
        Report(MACHINE, quick=True, started="then", suites=[SuiteResult("demo", "a demo", 1.0, [_table()])]).to_json()
    )
    p = subprocess.run(
        [sys.executable, "-m", "libmpk", "bench", "--from", str(saved), "--plot", str(tmp_path / "plots")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert p.returncode == 0, p.stderr[-2000:]
    assert "saved run of then" in p.stdout and "scaling" in p.stdout and "theirs / ours at 256 pages" in p.stdout
    assert sorted(f.name for f in (tmp_path / "plots").iterdir()) == ["scaling.png", "summary.png"]
    bad = tmp_path / "bad.json"
    bad.write_text("{}")
    p = subprocess.run([sys.executable, "-m", "libmpk", "bench", "--from", str(bad)], capture_output=True, text=True)
    assert p.returncode != 0 and "cannot read" in p.stderr


SERVER_STARTER = r"""
import sys
from libmpk.bench import kvstore
proc, port = getattr(kvstore, sys.argv[1])(*sys.argv[2:])
print(proc.pid, flush=True)
sys.stdin.read()  # (killed here)
"""


@pytest.mark.parametrize("start", [("start_memcached",), ("start_kvstore", "none")], ids=lambda s: s[0])
def test_a_killed_benchmark_leaves_no_server_running(start):
    """The servers a benchmark starts end with it, even when it is killed
    (SIGKILL runs no cleanup): an orphaned memcached would run for ever."""
    if start[0] == "start_memcached" and shutil.which("memcached") is None:
        pytest.skip("no memcached here (.ci/run installs it)")
    bench = subprocess.Popen(
        [sys.executable, "-c", SERVER_STARTER, *start], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        server = int(bench.stdout.readline())
    finally:
        bench.kill()
        bench.wait()
    deadline = time.monotonic() + 30
    while not gone(server) and time.monotonic() < deadline:
        time.sleep(0.05)
    if not gone(server):
        os.kill(server, 9)
        pytest.fail("the server outlived the benchmark that started it")


def test_each_start_up_row_does_what_it_says():
    """The start-up table's rows say whether the compiler loads; a change of
    the load policy once left "hot: loads the compiler" timing a program that
    never loaded it.  The bench checks each claim against the run's stats;
    here every claim must hold."""
    mpk = [sys.executable, "-m", "libmpk", "run"]
    assert [loads for _what, loads in STARTUP.values()] == [False, False, True]
    for code, (what, loads) in STARTUP.items():
        assert _startup_claim_broken(mpk, code, loads) is None, (code, what)
        assert _startup_claim_broken(mpk, code, not loads) is not None, code  # the check can fail
