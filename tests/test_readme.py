"""Every example in README.md, run as written.

Each fenced block is one test, named by its line and section:

* ```python blocks run in a fresh interpreter (this venv's) in a scratch
  directory and must exit 0.  A line whose comment says ``dies here: SIGSEGV``
  (or another signal) must kill the process right there -- the block runs once
  to show that, and once without that line, which must then exit 0.
* ```sh / ```bash blocks (and the ``$ `` lines of ```console blocks) run as one
  bash script, line by line, with this venv's bin first on PATH, in a scratch
  copy of the checkout (symlinks, so files the examples write land in the
  scratch directory).  Each line must exit 0, or N where its comment says
  ``exit status N``.  A line ending in ``&`` starts a server: the script
  waits until its ``--port`` accepts connections, and kills it at the end.
* Blocks without a language (or ```text) show output and are not run.

Lines that cannot run here are listed in NOT_RUN with the reason; the list
must name only lines README.md still has, so nothing new is skipped silently.
"""

from __future__ import annotations

import os
import re
import shlex
import signal
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
BIN = Path(sys.executable).parent  # the venv's bin: python, mpk

RUN = {"python", "sh", "bash", "console"}
SHOWN = {"", "text"}  # output, never run

VM = "boots the QEMU guest (Python + numba under TCG take minutes): covered by tests/test_vm.py"
SETUP = "runs scripts/setup, which pip-reinstalls the package into the venv this test runs from"
# README lines (the command, without its comment) that are not run, and why.
NOT_RUN = {
    "scripts/demo": SETUP + "; test_demo_script_steps runs its other steps",
    "scripts/test": "the test suite, which contains this test (and " + SETUP + ")",
    "scripts/test tests/test_heap.py -x": SETUP,
    "python -m pytest tests/test_readme.py": "this test itself",
    "mpk vm -- mpk info": VM,
    "mpk vm -- python examples/vkeys_demo.py": VM,
    "mpk vm --timeout 600 -- python -m pytest tests/test_pku_hw.py": VM,
    "mpk bench --quick": "every suite, about 2 minutes: .ci/run runs it; the --quick --only switch line runs here",
    "mpk bench": "every suite, about 15 minutes",
}

FAULT = re.compile(r"#.*\bdies here: (SIG[A-Z0-9]+)\b")
EXIT_STATUS = re.compile(r"\bexit status (\d+)\b")
COMMENT = re.compile(r"\s+#(\s.*)?$")
PORT = re.compile(r"--port[ =](\d+)\b")
TIMEOUT = 600


@dataclass(frozen=True)
class Block:
    lang: str
    line: int  # README line of the block's first code line
    heading: str
    code: str

    @property
    def id(self) -> str:
        slug = re.sub(r"[^a-z0-9]+", "-", self.heading.lower()).strip("-")
        return f"L{self.line}-{slug}-{self.lang or 'output'}"


def readme_blocks() -> list[Block]:
    blocks: list[Block] = []
    heading, lang, start, body = "", None, 0, []
    for n, text in enumerate(README.read_text().splitlines(), 1):
        if lang is None:
            m = re.match(r"^```([\w+-]*)\s*$", text)
            if m:
                lang, start, body = m.group(1), n + 1, []
            elif text.startswith("#"):
                heading = text.lstrip("#").strip().replace("`", "")
        elif text.rstrip() == "```":
            blocks.append(Block(lang, start, heading, "\n".join(body) + "\n"))
            lang = None
        else:
            body.append(text)
    assert lang is None, f"README.md: the block opened at line {start - 1} is never closed"
    return blocks


BLOCKS = readme_blocks()


def shell_commands(block: Block) -> list[tuple[int, str]]:
    """(README line, command) for each command of a shell block; comment-only
    and blank lines are skipped, backslash continuations joined."""
    out: list[tuple[int, str]] = []
    pending: tuple[int, str] | None = None
    for i, text in enumerate(block.code.splitlines()):
        n = block.line + i
        if pending is None:
            if block.lang == "console":
                if not text.startswith("$ "):
                    continue  # output
                text = text[2:]
            if not text.strip() or text.lstrip().startswith("#"):
                continue
            pending = (n, text)
        else:
            pending = (pending[0], pending[1][:-1] + text)
        if pending[1].endswith("\\"):
            continue
        out.append(pending)
        pending = None
    assert pending is None, f"README.md line {pending[0]}: continuation at the end of the block"
    return out


def command_of(text: str) -> str:
    """The command without its trailing comment."""
    return COMMENT.sub("", text).strip()


def env() -> dict[str, str]:
    e = dict(os.environ)
    e["PATH"] = f"{BIN}{os.pathsep}{e.get('PATH', os.defpath)}"
    if (BIN.parent / "pyvenv.cfg").is_file():
        e["VIRTUAL_ENV"] = str(BIN.parent)
    return e


def run(argv: list[str], cwd: Path, what: str) -> subprocess.CompletedProcess:
    """Run in a session of its own, so a timeout kills servers it started too."""
    p = subprocess.Popen(
        argv, cwd=cwd, env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        out, err = p.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        out, err = p.communicate()
        pytest.fail(f"{what}: still running after {TIMEOUT} s\n{_tail(out, err)}")
    return subprocess.CompletedProcess(argv, p.returncode, out, err)


def _tail(out: str, err: str, n: int = 4000) -> str:
    return f"--- stdout ---\n{out[-n:]}\n--- stderr ---\n{err[-n:]}"


def scratch_checkout(tmp_path: Path) -> Path:
    """The checkout's top level as symlinks: examples read its files, and what
    they write stays in tmp_path."""
    d = tmp_path / "checkout"
    d.mkdir()
    for entry in ROOT.iterdir():
        if entry.name not in (".git", "__pycache__"):
            (d / entry.name).symlink_to(entry)
    return d


# --- the blocks --------------------------------------------------------------------


def test_every_block_is_classified():
    unknown = [(b.line, b.lang) for b in BLOCKS if b.lang not in RUN | SHOWN]
    assert not unknown, f"README blocks in a language this test neither runs nor skips (line, language): {unknown}"
    assert any(b.lang == "python" for b in BLOCKS) and any(b.lang == "sh" for b in BLOCKS)


def test_not_run_lines_are_readme_lines():
    commands = {command_of(c) for b in BLOCKS if b.lang in RUN - {"python"} for _, c in shell_commands(b)}
    stale = sorted(set(NOT_RUN) - commands)
    assert not stale, f"NOT_RUN names lines README.md no longer has: {stale}"


PY_REACHED = "@@README: reached the faulting line"
PY_SURVIVED = "@@README: survived the faulting line"


@pytest.mark.parametrize("block", [b for b in BLOCKS if b.lang == "python"], ids=lambda b: b.id)
def test_python_block(block: Block, tmp_path: Path):
    lines = block.code.splitlines()
    marked = [i for i, text in enumerate(lines) if FAULT.search(text)]
    assert len(marked) <= 1, f"README line {block.line}: more than one 'dies here' line"

    def run_code(code_lines: list[str], name: str) -> subprocess.CompletedProcess:
        script = tmp_path / name
        script.write_text("\n".join(code_lines) + "\n")
        return run([str(BIN / "python"), str(script)], tmp_path, f"README line {block.line}")

    if not marked:
        p = run_code(lines, "block.py")
        assert p.returncode == 0, (
            f"README line {block.line} ({block.heading}): exit {p.returncode}\n{_tail(p.stdout, p.stderr)}"
        )
        return

    i = marked[0]
    n = block.line + i
    sig = getattr(signal, FAULT.search(lines[i]).group(1))
    indent = lines[i][: len(lines[i]) - len(lines[i].lstrip())]

    def say(text: str) -> str:
        return f"{indent}__import__('os').write(2, {(text + chr(10)).encode()!r})"

    p = run_code([*lines[:i], say(PY_REACHED), lines[i], say(PY_SURVIVED), *lines[i + 1 :]], "faulting.py")
    assert PY_REACHED in p.stderr, f"README line {block.line}: died before line {n}\n{_tail(p.stdout, p.stderr)}"
    assert PY_SURVIVED not in p.stderr, f"README line {n} did not fault\n{_tail(p.stdout, p.stderr)}"
    assert p.returncode == -sig, (
        f"README line {n}: expected death by {sig.name}, got exit {p.returncode}\n{_tail(p.stdout, p.stderr)}"
    )

    p = run_code([*lines[:i], indent + "pass", *lines[i + 1 :]], "without.py")
    assert p.returncode == 0, (
        f"README line {block.line}: without line {n} the block fails: exit {p.returncode}\n{_tail(p.stdout, p.stderr)}"
    )


WAIT_FOR_PORT = r"""
__wait_for_port() {  # port pid line
    for _ in $(seq 600); do
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
        kill -0 "$2" 2>/dev/null || { echo "@@README line $3: the server exited before listening" >&2; exit 1; }
        sleep 0.2
    done
    echo "@@README line $3: nothing listens on port $1 after 120 s" >&2
    exit 1
}
trap 'kill $(jobs -p) 2>/dev/null; wait' EXIT
"""


def shell_script(block: Block) -> tuple[str, list[int]]:
    """The bash script that runs a block's lines (NOT_RUN ones left out) with
    their exit statuses checked; and the ports its servers use."""
    parts, ports = [WAIT_FOR_PORT], []
    for n, text in shell_commands(block):
        cmd = command_of(text)
        if cmd in NOT_RUN:
            parts.append(f"# README line {n} not run: {NOT_RUN[cmd]}")
            continue
        comment = COMMENT.search(text)
        m = EXIT_STATUS.search(comment.group(0)) if comment else None
        want = int(m.group(1)) if m else 0
        parts.append(f"echo {shlex.quote(f'@@README line {n}: {cmd}')} >&2")
        if cmd.endswith("&"):
            port = PORT.search(cmd)
            assert port, f"README line {n}: a background server needs --port so the test can wait for it"
            ports.append(int(port.group(1)))
            parts += [text, f"__wait_for_port {port.group(1)} $! {n}"]
        else:
            fail = f"@@README line {n} exited $__rc, expected {want}"
            parts += [text, "__rc=$?", f'[ "$__rc" -eq {want} ] || {{ echo "{fail}" >&2; exit 1; }}']
    return "\n".join(parts) + "\n", ports


@pytest.mark.parametrize("block", [b for b in BLOCKS if b.lang in RUN - {"python"}], ids=lambda b: b.id)
def test_shell_block(block: Block, tmp_path: Path):
    script, ports = shell_script(block)
    for port in ports:
        with socket.socket() as s:
            # (as the servers bind: a live listener still refuses it, but the
            # TIME_WAIT connections of this block's previous run do not)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                s.bind(("127.0.0.1", port))
            except OSError as e:
                pytest.fail(f"README line {block.line}: port {port} is busy ({e.strerror}); stop what listens there")
    (tmp_path / "block.sh").write_text(script)
    cwd = scratch_checkout(tmp_path)
    p = run(["bash", str(tmp_path / "block.sh")], cwd, f"README line {block.line}")
    assert p.returncode == 0, f"README line {block.line} ({block.heading}) failed\n{_tail(p.stdout, p.stderr)}"


def test_demo_script_steps(tmp_path: Path):
    """scripts/demo after its set-up step (which would reinstall this venv)."""
    lines = (ROOT / "scripts" / "demo").read_text().splitlines()
    assert "scripts/setup" in lines, "scripts/demo no longer runs scripts/setup: run it whole in NOT_RUN's place"
    kept = [t for t in lines if t != "scripts/setup" and not t.startswith("cd ")]
    (tmp_path / "demo.sh").write_text("\n".join(kept) + "\n")
    p = run(["sh", str(tmp_path / "demo.sh")], scratch_checkout(tmp_path), "scripts/demo")
    assert p.returncode == 0, f"scripts/demo's steps failed\n{_tail(p.stdout, p.stderr)}"
