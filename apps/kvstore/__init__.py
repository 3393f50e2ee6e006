"""kvstore: a memcached-compatible store whose item memory is slab pages
owned by vkeys (the paper's Memcached case)."""

from libmpk.lazy import lazy_attributes

__all__ = ["Store", "StoreError"]
# Loaded on first use: mpk's argument parser imports every subcommand's cli
# module, and should load none of their engines.
__getattr__ = lazy_attributes(__name__, dict.fromkeys(__all__, ".store"))
