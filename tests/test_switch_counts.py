"""What a PKU hit switch executes, counted exactly (gdb single-steps the
entry points users' @njit code calls: libmpk.bench.instructions).

The counts are the design's, so they are asserted exactly where the design
fixes them -- one WRPKRU a switch (an outermost domain lives in PKRU alone:
no window on the tables) and no lock-prefixed instruction (no shared word
written) -- and bounded where they are the issue's target: at most 120
instructions for a begin+end pair.
"""

from __future__ import annotations

import pytest

from libmpk.bench.instructions import count_pair
from libmpk.vm.guest import ensure_tool

pytestmark = pytest.mark.pku


def test_a_hit_pair_is_two_checked_wrpkrus_and_no_atomic():
    ensure_tool("gdb", "gdb", log=lambda m: None)
    c = count_pair()
    assert c["begin"]["wrpkru"] == 1 and c["end"]["wrpkru"] == 1, c
    assert c["pair"]["locked"] == 0, c  # no pin, no shared LRU clock: nothing another thread writes
    assert c["pair"]["instructions"] <= 120, c  # 111 when this was written (vkey on the last key)
