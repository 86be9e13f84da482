"""A small per-process LRU cache that computes each missing key once (single flight).

Cached values must be immutable results of immutable inputs, e.g. the dashboard of a set
of stored ledger uploads: key them by database, organisation and upload ids (uploads are
never changed in place, only added or deleted), so that each worker process can keep its
own copy without any invalidation between processes.

When many requests miss the same key at once (a fresh worker under load), only the first
computes; the others wait for its result instead of computing it again.

Cached results are long-lived objects. CPython's full garbage collections walk every
tracked object; with the caches of a warm worker (~350,000 objects) each took 100-300 ms
under load and stalled every request of that worker (the dashboard API's p99). With
:func:`enable_heap_freezing`, a new cached value is followed by one collection and
``gc.freeze()``, which moves all surviving objects out of later collections' way.
"""

from __future__ import annotations

import gc
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from sqlalchemy.orm import Session

V = TypeVar("V")

_FREEZE = False


def enable_heap_freezing(enabled: bool = True) -> None:
    """Freeze the heap now and after each newly cached value (this process); or stop."""
    global _FREEZE
    _FREEZE = enabled
    if enabled:
        freeze_heap()
    else:
        gc.unfreeze()


def freeze_heap() -> None:
    """Collect garbage (including formerly frozen objects), then freeze what survives.

    One full collection, paid when a value is computed (rare), instead of many on requests.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()


class SingleFlightLRU(Generic[V]):
    """``get(key, compute)``: the cached value of ``key``, computed once if missing."""

    def __init__(self, size: int = 32) -> None:
        self._size = size
        self._values: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()
        self._pending: dict[Hashable, threading.Lock] = {}

    def get(self, key: Hashable, compute: Callable[[], V]) -> V:
        while True:
            with self._lock:
                if key in self._values:
                    self._values.move_to_end(key)
                    return self._values[key]
                flight = self._pending.get(key)
                if flight is None:
                    flight = self._pending[key] = threading.Lock()
                    flight.acquire()
                    break
            with flight:  # another thread computes this key: wait for it, then look again
                pass
        try:
            value = compute()
            with self._lock:
                self._values[key] = value
                while len(self._values) > self._size:
                    self._values.popitem(last=False)
            if _FREEZE:
                freeze_heap()
            return value
        finally:
            with self._lock:
                del self._pending[key]
            flight.release()

    def clear(self) -> None:
        with self._lock:
            self._values.clear()


def database_key(session: Session) -> str:
    """The database a session talks to, for cache keys (one process may serve several)."""
    return session.get_bind().engine.url.render_as_string(hide_password=True)
