"""The cyclic collector paused around work that only allocates objects that
stay alive (an AST and its closures, the compiler's load): each collection
it would trigger walks a growing heap for nothing."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """The collector off for the block, then back as the caller had it
    (also when the block raises)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
