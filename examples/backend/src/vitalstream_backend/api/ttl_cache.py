"""A small per-process cache with expiry, for lookups on the ingest path (one per chunk per
patient): a device key or a session row read again at most every few seconds."""
from __future__ import annotations

import time
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class TtlCache(Generic[K, V]):
    def __init__(self, ttl_s: float, max_items: int = 10_000) -> None:
        self.ttl_s = ttl_s
        self.max_items = max_items
        self._items: dict[K, tuple[float, V]] = {}

    def get(self, key: K) -> V | None:
        hit = self._items.get(key)
        if hit is None:
            return None
        if hit[0] < time.monotonic():
            del self._items[key]
            return None
        return hit[1]

    def put(self, key: K, value: V) -> None:
        if len(self._items) >= self.max_items:
            self._items.clear()  # crude but bounded; entries are cheap to reload
        self._items[key] = (time.monotonic() + self.ttl_s, value)

    def discard(self, key: K) -> None:
        self._items.pop(key, None)
