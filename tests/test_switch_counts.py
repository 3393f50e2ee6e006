"""What a PKU hit switch executes, counted exactly (gdb single-steps the C
entry points users' @njit code calls: libmpk.bench.instructions).

The counts are the design's, so they are asserted exactly where the design
fixes them -- two WRPKRUs a switch (the window's open gate, then the close
gate that also sets the domain's bits) -- and bounded where code generation
decides (instructions, lock-prefixed atomics), so a change that makes the
hit path heavier shows up here rather than in a noisy timing.
"""

from __future__ import annotations

import pytest

from libmpk.bench.instructions import count_pair
from libmpk.vm.guest import ensure_tool

pytestmark = pytest.mark.pku


def test_a_hit_pair_is_four_checked_wrpkrus_and_a_bounded_path():
    ensure_tool("gdb", "gdb", log=lambda m: None)
    c = count_pair()
    assert c["begin"]["wrpkru"] == 2 and c["end"]["wrpkru"] == 2, c
    assert c["pair"]["instructions"] <= 330, c  # 311 when this was written (vkey on the last key)
    assert c["pair"]["locked"] <= 4, c  # the pin and the depth, each way: no shared LRU clock
