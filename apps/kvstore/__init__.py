"""kvstore: a memcached-compatible store whose item memory is slab pages
owned by vkeys (the paper's Memcached case)."""

from .store import Store, StoreError

__all__ = ["Store", "StoreError"]
