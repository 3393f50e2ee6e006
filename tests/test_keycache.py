"""The hardware-key cache policy, at capacities 0, 2 and 15, without hardware."""

from __future__ import annotations

import pytest

from libmpk.sandbox import arena
from libmpk.sandbox.errors import KeysExhaustedError
from libmpk.sandbox.keycache import KeyCache


def make(capacity: int, evict_rate: int = 0) -> KeyCache:
    return KeyCache(arena.new_table(), list(range(1, capacity + 1)), evict_rate)


def load(cache: KeyCache, vkey: int) -> int | None:
    """What the slow path does on a miss: choose, then publish the owner."""
    grant = cache.choose(vkey)
    if grant is None:
        return None
    cache.assign(grant.key, vkey, 3)
    return grant.key


def pin(cache: KeyCache, key: int, n: int = 1) -> None:
    cache.table[arena.key_base(key) + arena.K_PIN] += n


def test_capacity_zero_always_falls_back():
    c = make(0)
    assert c.capacity == 0
    assert [c.choose(v) for v in range(50)] == [None] * 50
    assert c.evictions == 0


def test_free_keys_first_then_lru_victim():
    c = make(2)
    k1, k2 = load(c, 10), load(c, 20)
    assert {k1, k2} == {1, 2}
    assert c.lookup(10) == k1 and c.lookup(20) == k2
    c.touch(k1)  # vkey 10 used more recently than 20
    grant = c.choose(30)
    assert grant.key == k2 and grant.victim == 20
    c.assign(grant.key, 30, 3)
    assert c.lookup(20) == -1 and c.lookup(30) == k2
    # now 10 is least recently used
    grant = c.choose(40)
    assert grant.victim == 10
    assert c.evictions == 2


def test_lru_order_over_fifteen_keys():
    c = make(15)
    keys = {v: load(c, v) for v in range(15)}
    assert sorted(keys.values()) == list(range(1, 16))
    for v in reversed(range(15)):  # touch so that vkey 14 is oldest ... vkey 0 newest
        c.touch(keys[v])
    victims = []
    for v in range(100, 105):
        g = c.choose(v)
        victims.append(g.victim)
        c.assign(g.key, v, 3)
    assert victims == [14, 13, 12, 11, 10]


def test_pinned_key_is_never_evicted():
    c = make(2)
    k1, k2 = load(c, 1), load(c, 2)
    c.touch(k2)  # 1 is LRU, but pinned
    pin(c, k1)
    g = c.choose(3)
    assert g.victim == 2 and g.key == k2


def test_all_pinned_raises_typed_error():
    c = make(2)
    for v in (1, 2):
        pin(c, load(c, v))
    with pytest.raises(KeysExhaustedError, match="pinned"):
        c.choose(3)


def test_claim_fails_while_pinned_and_blocks_pins():
    c = make(1)
    k = load(c, 1)
    pin(c, k)
    assert not c.claim_owned(k)
    pin(c, k, -1)
    assert c.claim_owned(k)
    assert c.pins(k) < 0  # a racing begin sees the claim and misses


@pytest.mark.parametrize("rate", [0, 1, 3])
def test_evict_rate_evicts_one_contested_miss_in_rate_plus_one(rate: int):
    c = make(2, evict_rate=rate)
    load(c, 1)
    load(c, 2)
    outcomes = []
    for v in range(100, 100 + 4 * (rate + 1)):
        g = c.choose(v)
        outcomes.append(g is not None)
        if g is not None:
            c.assign(g.key, v, 3)
    assert sum(outcomes) == 4
    assert outcomes == ([False] * rate + [True]) * 4
    assert c.fallbacks == 4 * rate


def test_released_key_is_reused_before_eviction():
    c = make(2)
    k1 = load(c, 1)
    load(c, 2)
    assert c.claim_owned(k1)
    c.release(k1)
    g = c.choose(3)
    assert g.key == k1 and g.victim is None
